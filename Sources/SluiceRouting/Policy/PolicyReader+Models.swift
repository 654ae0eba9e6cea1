import SluiceLedger
import Yams

/// The `models:` section: named, priced targets on an upstream, with their fallbacks.
///
/// Prices are read in `PolicyReader+Prices.swift`. Once every section is read, checks that each
/// model's upstream exists and that each fallback could take over its model's turns.
extension PolicyReader {
    private static let modelKeys = ["upstream", "id", "context_window", "price", "fallback", "cache"]

    mutating func readModels(_ node: Node, into draft: inout PolicyDraft) {
        guard let entries = entries(of: node, at: "models", expecting: "a mapping of model names to models")
        else { return }
        if entries.isEmpty { report("models", "a policy needs at least one model", at: node) }
        for (name, value) in entries {
            draft.modelNames.insert(name)
            var model: ModelSpec?
            if isSound({ model = $0.readModel(value, named: name, at: Self.path("models", name), book: draft.priceBook) }),
                let model
            {
                draft.models[name] = model
            }
        }
    }

    private mutating func readModel(_ node: Node, named name: String, at path: String, book: PriceBook) -> ModelSpec? {
        guard
            let fields = fields(
                of: node, at: path, expecting: "a model (a mapping with upstream, id, context_window, price)",
                allowed: Self.modelKeys, hints: ["fallbacks": "the key is fallback: [model, ...]"])
        else { return nil }
        let upstream = required(fields, "upstream", at: path).flatMap {
            self.name($0, at: Self.path(path, "upstream"), expecting: "an upstream name")
        }
        let id = required(fields, "id", at: path).flatMap {
            self.name($0, at: Self.path(path, "id"), expecting: "the provider's model id")
        }
        let window = required(fields, "context_window", at: path).flatMap {
            count($0, at: Self.path(path, "context_window"), minimum: 1)
        }
        // The book's entry for the model's id gives its cache behaviour, and, without a `price:`,
        // its dated prices.
        let entry = id.flatMap { book.entry(for: $0) }
        var price: ModelPrice?
        if let node = fields["price"] {
            price = readPrice(node, at: Self.path(path, "price"), contextWindow: window)
        } else if let entry {
            price = entry.prices.last?.price
        } else {
            report(Self.path(path, "price"), "missing, and no price book included (prices:) has \"\(id ?? name)\"", at: node)
        }
        var cache: CacheBehaviour?
        if let node = fields["cache"], let id {
            cache = readCacheBehaviour(node, at: Self.path(path, "cache"), base: entry?.cache ?? .defaults(forModelID: id))
        }
        var fallbacks: [String] = []
        if let node = fields["fallback"] {
            for (item, itemPath) in items(node, at: Self.path(path, "fallback")) {
                if let fallback = self.name(item, at: itemPath, expecting: "a model name") { fallbacks.append(fallback) }
            }
        }
        guard let upstream, let id, let window, let price else { return nil }
        return ModelSpec(
            name: name, upstream: upstream, id: id, contextWindow: window, price: price, fallbacks: fallbacks,
            cache: cache ?? entry?.cache, datedPrices: fields["price"] == nil ? entry : nil)
    }

    /// Each model's upstream exists, and each fallback could take over its model's turns.
    mutating func checkModels(_ draft: PolicyDraft) {
        checkModelUpstreams(draft)
        checkFallbacks(draft)
    }

    private mutating func checkModelUpstreams(_ draft: PolicyDraft) {
        for model in draft.models.values.sorted(by: { $0.name < $1.name })
        where !draft.upstreamNames.contains(model.upstream) {
            let suggestion = Wording.suggestion(for: model.upstream, among: draft.upstreamNames)
            report(
                Self.path(Self.path("models", model.name), "upstream"),
                "unknown upstream \"\(model.upstream)\"\(suggestion)")
        }
    }

    /// A fallback must be another model, and able to answer some client its model answers
    /// (there is no translation between dialects yet).
    private mutating func checkFallbacks(_ draft: PolicyDraft) {
        for model in draft.models.values.sorted(by: { $0.name < $1.name }) {
            let dialects = draft.upstreams[model.upstream]?.dialects ?? []
            for (index, fallback) in model.fallbacks.enumerated() {
                let path = Self.path(Self.path(Self.path("models", model.name), "fallback"), index: index)
                guard checkModelName(fallback, at: path, draft: draft) else { continue }
                if fallback == model.name {
                    report(path, "a model cannot be its own fallback")
                } else if let other = draft.models[fallback], let theirs = draft.upstreams[other.upstream]?.dialects,
                    !dialects.isEmpty, dialects.isDisjoint(with: theirs)
                {
                    report(
                        path,
                        "\"\(fallback)\" speaks \(Self.list(theirs)), not \(Self.list(dialects)) like \"\(model.name)\": "
                            + "it could never take over one of its turns")
                }
            }
        }
    }

    /// Reports a name that is not a model; `false` when the model is unknown.
    @discardableResult
    mutating func checkModelName(_ name: String, at path: String, draft: PolicyDraft) -> Bool {
        var reported: Set<String> = []
        return checkModelName(name, at: path, draft: draft, reportOnce: &reported)
    }

    mutating func checkModelName(
        _ name: String, at path: String, draft: PolicyDraft, reportOnce reported: inout Set<String>
    ) -> Bool {
        guard !draft.modelNames.contains(name) else { return true }
        if reported.insert(path).inserted {
            report(path, "unknown model \"\(name)\"\(Wording.suggestion(for: name, among: draft.modelNames))")
        }
        return false
    }
}
