import SluiceLedger
import SluiceWire
import Yams

/// A price book document (`policies/prices.yaml`): `version: 1` and `models:`, each model with
/// optional `aliases` and `cache`, and `prices`, a list of dated entries (oldest first) with the
/// keys of a policy's `price:` block plus `from` (a UTC day), `source` and `checked`.
extension PolicyReader {
    /// The policy's `prices:` section: a price book file to include (`prices: prices.yaml`), or a
    /// price book written in place.
    mutating func readPrices(_ node: Node, into draft: inout PolicyDraft) {
        guard case .scalar(let scalar) = node else {
            draft.priceBook = readPriceBook(node, at: "prices")
            return
        }
        let file = scalar.string.trimmingWhitespace()
        guard let include else {
            report("prices", "this policy includes \"\(file)\", which cannot be read here", at: node)
            return
        }
        let text: String
        do {
            text = try include(file)
        } catch {
            report("prices", "cannot read the price book \"\(file)\": \(error)", at: node)
            return
        }
        do throws(PolicyError) {
            draft.priceBook = try PriceBook(yaml: text)
        } catch {
            for problem in error.problems {
                let line = problem.line.map { " (\(file) line \($0))" } ?? " (\(file))"
                report("prices", "\(problem.path.isEmpty ? "" : problem.path + ": ")\(problem.message)\(line)", at: node)
            }
        }
    }

    private static let bookKeys = ["version", "models"]
    private static let bookModelKeys = ["aliases", "cache", "prices"]
    static let datedPriceKeys = ["from", "source", "checked"]

    mutating func readPriceBook(_ root: Node, at path: String) -> PriceBook {
        var book = PriceBook()
        guard
            let document = fields(
                of: root, at: path, expecting: "a price book (a mapping with version and models)",
                allowed: Self.bookKeys)
        else { return book }
        if let node = required(document, "version", at: path) {
            if let version = count(node, at: Self.path(path, "version"), minimum: 1), version != Self.supportedVersion {
                report(Self.path(path, "version"), "unsupported version \(version)", at: node)
            }
        }
        guard let modelsNode = required(document, "models", at: path),
            let models = entries(of: modelsNode, at: Self.path(path, "models"), expecting: "a mapping of model ids")
        else { return book }
        for (id, node) in models {
            if let entry = readBookEntry(node, id: id, at: Self.path(Self.path(path, "models"), id)) {
                if book.entry(for: id) != nil {
                    report(Self.path(Self.path(path, "models"), id), "the model is priced twice in the book")
                }
                book.add(entry)
            }
        }
        return book
    }

    private mutating func readBookEntry(_ node: Node, id: String, at path: String) -> PriceBook.Entry? {
        guard
            let fields = fields(
                of: node, at: path, expecting: "a model's prices (a mapping with prices)", allowed: Self.bookModelKeys)
        else { return nil }
        var aliases: [String] = []
        if let node = fields["aliases"] {
            for (item, itemPath) in items(node, at: Self.path(path, "aliases")) {
                if let alias = name(item, at: itemPath, expecting: "a model id") { aliases.append(alias) }
            }
        }
        var cache: CacheBehaviour?
        if let node = fields["cache"] {
            cache = readCacheBehaviour(node, at: Self.path(path, "cache"), base: .defaults(forModelID: id))
        }
        guard let pricesNode = required(fields, "prices", at: path) else { return nil }
        var prices: [PriceBook.DatedPrice] = []
        var sound = true
        for (item, itemPath) in items(pricesNode, at: Self.path(path, "prices")) {
            if let dated = readDatedPrice(item, at: itemPath) {
                if let last = prices.last, last.fromMilliseconds >= dated.fromMilliseconds {
                    report(Self.path(itemPath, "from"), "prices must be listed oldest first, each on a later day")
                    sound = false
                }
                prices.append(dated)
            } else {
                sound = false
            }
        }
        guard sound, !prices.isEmpty else { return nil }
        return PriceBook.Entry(id: id, aliases: aliases, cache: cache, prices: prices)
    }

    private mutating func readDatedPrice(_ node: Node, at path: String) -> PriceBook.DatedPrice? {
        guard case .mapping(let mapping) = node else {
            report(path, "expected a dated price (a mapping with from, source and prices)", at: node)
            return nil
        }
        var priceMapping = Node.Mapping([])
        var dated: [String: Node] = [:]
        for (key, value) in mapping {
            if case .scalar(let scalar) = key, Self.datedPriceKeys.contains(scalar.string) {
                dated[scalar.string] = value
            } else {
                priceMapping[key] = value
            }
        }
        if let line = node.mark?.line { lines[path] = line }
        let from = required(dated, "from", at: path).flatMap { day($0, at: Self.path(path, "from")) }
        let source = required(dated, "source", at: path).flatMap {
            name($0, at: Self.path(path, "source"), expecting: "where the prices come from")
        }
        if let checked = dated["checked"] { _ = day(checked, at: Self.path(path, "checked")) }
        let price = readPrice(.mapping(priceMapping), at: path, contextWindow: nil)
        guard let from, let source, let price else { return nil }
        return PriceBook.DatedPrice(fromMilliseconds: from, price: price, source: source)
    }

    /// A UTC day written `YYYY-MM-DD`, as midnight in Unix milliseconds.
    mutating func day(_ node: Node, at path: String) -> Int64? {
        guard let text = text(node, at: path, expecting: "a day, YYYY-MM-DD") else { return nil }
        let trimmed = text.trimmingWhitespace()
        // Only a day: `ReportPeriod` also reads times, which a price's date must not have.
        guard trimmed.count == 10, let milliseconds = ReportPeriod.milliseconds(parsing: trimmed) else {
            report(path, "\"\(text)\" is not a day written YYYY-MM-DD", at: node)
            return nil
        }
        return milliseconds
    }

    private static let cacheKeys = ["mode", "minimum_tokens", "granularity", "lifetime_short", "lifetime_long"]

    /// A model's `cache:` block; keys left out keep `base`'s values.
    mutating func readCacheBehaviour(_ node: Node, at path: String, base: CacheBehaviour) -> CacheBehaviour? {
        guard
            let fields = fields(
                of: node, at: path, expecting: "a cache behaviour, such as {mode: explicit, minimum_tokens: 4096}",
                allowed: Self.cacheKeys)
        else { return nil }
        var behaviour = base
        var sound = true
        if let node = fields["mode"] {
            let mode = text(node, at: Self.path(path, "mode"), expecting: "explicit, automatic or none")
                .flatMap(CacheBehaviour.Mode.init(rawValue:))
            if let mode { behaviour.mode = mode } else {
                report(Self.path(path, "mode"), "the mode is explicit, automatic or none", at: node)
                sound = false
            }
        }
        for (key, apply) in [
            ("minimum_tokens", { (behaviour: inout CacheBehaviour, value: Int) in behaviour.minimumTokens = value }),
            ("granularity", { (behaviour: inout CacheBehaviour, value: Int) in behaviour.granularity = value }),
        ] {
            guard let node = fields[key] else { continue }
            if let value = count(node, at: Self.path(path, key), minimum: key == "granularity" ? 1 : 0) {
                apply(&behaviour, value)
            } else {
                sound = false
            }
        }
        for key in ["lifetime_short", "lifetime_long"] {
            guard let node = fields[key] else { continue }
            guard let text = text(node, at: Self.path(path, key), expecting: "a lifetime such as 5m or 1h"),
                let milliseconds = CacheRequest.milliseconds(inLifetime: Substring(text.trimmingWhitespace()))
            else {
                report(Self.path(path, key), "expected a lifetime such as 5m, 30m, 1h or 24h", at: node)
                sound = false
                continue
            }
            if key == "lifetime_short" {
                behaviour.shortLifetimeMilliseconds = milliseconds
            } else {
                behaviour.longLifetimeMilliseconds = milliseconds
            }
        }
        if behaviour.longLifetimeMilliseconds < behaviour.shortLifetimeMilliseconds {
            report(path, "lifetime_long is shorter than lifetime_short", at: node)
            sound = false
        }
        return sound ? behaviour : nil
    }
}
