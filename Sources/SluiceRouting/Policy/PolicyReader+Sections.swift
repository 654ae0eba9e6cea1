import SluiceLedger
import SluiceWire
import Yams

extension PolicyReader {
    /// The policy format this code reads.
    static let supportedVersion = 1

    static let documentKeys = ["version", "upstreams", "models", "baseline", "rules", "tool_categories", "stickiness"]
    static let upstreamKeys = ["dialect", "base_url", "base_url_env", "api_key_env", "auth", "timeout"]
    static let modelKeys = ["upstream", "id", "context_window", "price", "fallback"]
    static let priceKeys = ["input", "output", "cache_read", "cache_write_5m", "cache_write_1h", "above"]
    static let tierKeys = ["tokens", "input", "output", "cache_read", "cache_write_5m", "cache_write_1h"]

    /// Dialect names an upstream's `dialect` or a rule's `client` accepts; `openai` is both OpenAI
    /// dialects, since OpenAI's own endpoint serves both.
    static let dialectWords: [String: Set<Dialect>] = Dictionary(
        uniqueKeysWithValues: Dialect.allCases.map { ($0.rawValue, [$0]) }
            + [("openai", [.openAIChat, .openAIResponses])])
    static let dialectWordList = Dialect.allCases.map(\.rawValue) + ["openai"]

    // MARK: - Document

    /// Reads a whole document; problems are left in `problems`.
    mutating func readDocument(_ root: Node) -> PolicyDraft {
        var draft = PolicyDraft()
        guard
            let document = fields(
                of: root, at: "", expecting: "a policy (a mapping with version, upstreams, models, baseline, rules)",
                allowed: Self.documentKeys, hints: ["experiments": "experiments are not supported yet"])
        else { return draft }

        if let node = required(document, "version", at: "") {
            if let version = count(node, at: "version", minimum: 1), version != Self.supportedVersion {
                report(
                    "version", "unsupported version \(version); this Sluice reads version \(Self.supportedVersion)",
                    at: node)
            }
        }
        if let node = required(document, "upstreams", at: "") {
            readUpstreams(node, into: &draft)
        }
        if let node = required(document, "models", at: "") {
            readModels(node, into: &draft)
        }
        if let node = required(document, "baseline", at: "") {
            draft.baselines = readBaselines(node, paths: &draft.baselinePaths)
        }
        if let node = required(document, "rules", at: "") {
            readRules(node, into: &draft)
        }
        if let node = document["tool_categories"], !Self.isNull(node) {
            draft.toolCategoryOverrides = readToolCategories(node)
        }
        if let node = document["stickiness"], !Self.isNull(node),
            let fields = fields(
                of: node, at: "stickiness", expecting: "a mapping such as {tool_loop: true, require_saving: true}",
                allowed: ["tool_loop", "require_saving"])
        {
            draft.stickiness.toolLoop = fields["tool_loop"].flatMap { flag($0, at: "stickiness.tool_loop") } ?? false
            draft.stickiness.requireSaving =
                fields["require_saving"].flatMap { flag($0, at: "stickiness.require_saving") } ?? false
        }
        return draft
    }

    // MARK: - Upstreams

    private mutating func readUpstreams(_ node: Node, into draft: inout PolicyDraft) {
        guard let entries = entries(of: node, at: "upstreams", expecting: "a mapping of upstream names to upstreams")
        else { return }
        if entries.isEmpty { report("upstreams", "a policy needs at least one upstream", at: node) }
        for (name, value) in entries {
            draft.upstreamNames.insert(name)
            var upstream: UpstreamSpec?
            if isSound({ upstream = $0.readUpstream(value, named: name, at: Self.path("upstreams", name)) }),
                let upstream
            {
                draft.upstreams[name] = upstream
            }
        }
    }

    private mutating func readUpstream(_ node: Node, named name: String, at path: String) -> UpstreamSpec? {
        guard
            let fields = fields(
                of: node, at: path, expecting: "an upstream (a mapping with dialect and base_url)",
                allowed: Self.upstreamKeys)
        else { return nil }
        let dialects = required(fields, "dialect", at: path).flatMap {
            readDialects($0, at: Self.path(path, "dialect"))
        }
        let baseURL = required(fields, "base_url", at: path).flatMap {
            readBaseURL($0, at: Self.path(path, "base_url"))
        }
        let baseURLEnvironment = fields["base_url_env"].flatMap {
            readEnvironmentName($0, at: Self.path(path, "base_url_env"))
        }
        let apiKeyEnvironment = fields["api_key_env"].flatMap {
            readEnvironmentName($0, at: Self.path(path, "api_key_env"))
        }
        var forwardsClientCredentials = true
        if let node = fields["auth"], let word = text(node, at: Self.path(path, "auth"), expecting: "passthrough or none") {
            switch word {
            case "passthrough": forwardsClientCredentials = true
            case "none": forwardsClientCredentials = false
            default:
                report(
                    Self.path(path, "auth"),
                    "\"\(word)\" is not passthrough (send the client's own key) or none (send no key); use api_key_env for a key of the gateway's",
                    at: node)
            }
        }
        var connect = UpstreamSpec.defaultConnectTimeoutSeconds
        var firstByte = UpstreamSpec.defaultFirstByteTimeoutSeconds
        if let node = fields["timeout"], !Self.isNull(node) {
            let timeoutPath = Self.path(path, "timeout")
            if let timeout = self.fields(
                of: node, at: timeoutPath, expecting: "timeouts in seconds, such as {connect: 10, first_byte: 300}",
                allowed: ["connect", "first_byte"])
            {
                if let node = timeout["connect"] {
                    connect = bounded(node, at: Self.path(timeoutPath, "connect"), maximum: 300) ?? connect
                }
                if let node = timeout["first_byte"] {
                    firstByte = bounded(node, at: Self.path(timeoutPath, "first_byte"), maximum: 3_600) ?? firstByte
                }
            }
        }
        guard let dialects, let baseURL else { return nil }
        return UpstreamSpec(
            name: name, dialects: dialects, baseURL: baseURL, baseURLEnvironment: baseURLEnvironment,
            apiKeyEnvironment: apiKeyEnvironment, forwardsClientCredentials: forwardsClientCredentials,
            connectTimeoutSeconds: connect, firstByteTimeoutSeconds: firstByte)
    }

    /// A timeout in whole seconds, from 1 to `maximum`.
    private mutating func bounded(_ node: Node, at path: String, maximum: Int) -> Int? {
        guard let value = count(node, at: path, minimum: 1) else { return nil }
        guard value <= maximum else {
            report(path, "must be at most \(maximum) seconds, found \(value)", at: node)
            return nil
        }
        return value
    }

    /// One dialect word or a list of them; `openai` is both OpenAI dialects.
    mutating func readDialects(_ node: Node, at path: String) -> Set<Dialect>? {
        var dialects: Set<Dialect> = []
        var sound = true
        for (item, itemPath) in items(node, at: path) {
            guard let word = text(item, at: itemPath, expecting: "a dialect") else {
                sound = false
                continue
            }
            guard let named = Self.dialectWords[word] else {
                report(itemPath, "unknown dialect \"\(word)\"\(Self.dialectHelp(for: word))", at: item)
                sound = false
                continue
            }
            dialects.formUnion(named)
        }
        return sound && !dialects.isEmpty ? dialects : nil
    }

    /// ` (did you mean "anthropic"?)` for a likely typo, else the list of dialect words.
    private static func dialectHelp(for word: String) -> String {
        let suggestion = Wording.suggestion(for: word, among: dialectWordList)
        guard suggestion.isEmpty else { return suggestion }
        return "; one of \(dialectWordList.joined(separator: ", ")) (openai is both OpenAI dialects)"
    }

    private mutating func readBaseURL(_ node: Node, at path: String) -> String? {
        guard let text = text(node, at: path, expecting: "a URL") else { return nil }
        if let problem = Self.baseURLProblem(text) {
            report(path, problem, at: node)
            return nil
        }
        return text.trimmingWhitespace().droppingTrailingSlashes()
    }

    /// What is wrong with a base URL, or `nil` when it is an http(s) URL with a host.
    static func baseURLProblem(_ text: String) -> String? {
        let url = text.trimmingWhitespace()
        let lowered = url.lowercased()
        let schemeLength = lowered.hasPrefix("https://") ? 8 : lowered.hasPrefix("http://") ? 7 : 0
        guard schemeLength > 0 else {
            return "\"\(text)\" is not an http(s) URL; write it as https://host[:port][/path]"
        }
        let authority = url.dropFirst(schemeLength).prefix { $0 != "/" }
        let host = authority.prefix { $0 != ":" || authority.hasPrefix("[") }
        guard !host.isEmpty else { return "\"\(text)\" has no host" }
        guard !url.contains(where: \.isWhitespace) else { return "\"\(text)\" contains a space" }
        guard !authority.contains("@") else {
            // Not echoed: the text holds a secret, and problems are printed and logged.
            return "carries credentials; name an environment variable with api_key_env instead"
        }
        guard !url.contains("?"), !url.contains("#") else {
            return "\"\(text)\" has a query or fragment; the gateway appends the API path to the base URL"
        }
        return nil
    }

    private mutating func readEnvironmentName(_ node: Node, at path: String) -> String? {
        guard let name = text(node, at: path, expecting: "an environment variable name") else { return nil }
        guard Self.isEnvironmentName(name) else {
            report(
                path,
                "\"\(name)\" is not an environment variable name (letters, digits and _, not starting "
                    + "with a digit)", at: node)
            return nil
        }
        return name
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }

    // MARK: - Models

    private mutating func readModels(_ node: Node, into draft: inout PolicyDraft) {
        guard let entries = entries(of: node, at: "models", expecting: "a mapping of model names to models")
        else { return }
        if entries.isEmpty { report("models", "a policy needs at least one model", at: node) }
        for (name, value) in entries {
            draft.modelNames.insert(name)
            var model: ModelSpec?
            if isSound({ model = $0.readModel(value, named: name, at: Self.path("models", name)) }), let model {
                draft.models[name] = model
            }
        }
    }

    private mutating func readModel(_ node: Node, named name: String, at path: String) -> ModelSpec? {
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
        let price = required(fields, "price", at: path).flatMap {
            readPrice($0, at: Self.path(path, "price"), contextWindow: window)
        }
        var fallbacks: [String] = []
        if let node = fields["fallback"] {
            for (item, itemPath) in items(node, at: Self.path(path, "fallback")) {
                if let fallback = self.name(item, at: itemPath, expecting: "a model name") { fallbacks.append(fallback) }
            }
        }
        guard let upstream, let id, let window, let price else { return nil }
        return ModelSpec(
            name: name, upstream: upstream, id: id, contextWindow: window, price: price, fallbacks: fallbacks)
    }

    /// A model's prices. Cache prices left out bill those tokens at the input price: that is what a
    /// provider that publishes no cache price charges for them (local models, most OpenAI-compatible
    /// hosts). In `above`, a field left out keeps the base tier's value, except a cache price the
    /// base tier also left out, which again follows the input price (now the tier's).
    private mutating func readPrice(_ node: Node, at path: String, contextWindow: Int?) -> ModelPrice? {
        guard
            let fields = fields(
                of: node, at: path,
                expecting: "prices in dollars per million tokens, such as {input: 3.00, output: 15.00}",
                allowed: Self.priceKeys)
        else { return nil }
        let input = required(fields, "input", at: path).flatMap { price($0, at: Self.path(path, "input")) }
        let output = required(fields, "output", at: path).flatMap { price($0, at: Self.path(path, "output")) }
        let cacheRead = fields["cache_read"].map { price($0, at: Self.path(path, "cache_read")) }
        let write5m = fields["cache_write_5m"].map { price($0, at: Self.path(path, "cache_write_5m")) }
        let write1h = fields["cache_write_1h"].map { price($0, at: Self.path(path, "cache_write_1h")) }
        guard let input, let output, cacheRead != .some(nil), write5m != .some(nil), write1h != .some(nil) else {
            if let above = fields["above"] { _ = readTier(above, at: Self.path(path, "above"), base: nil) }
            return nil
        }
        let given = ExplicitCachePrices(cacheRead: cacheRead ?? nil, write5m: write5m ?? nil, write1h: write1h ?? nil)
        let base = PriceTier(
            input: input, output: output, cacheRead: given.cacheRead ?? input, cacheWrite5m: given.write5m ?? input,
            cacheWrite1h: given.write1h ?? input)
        guard let aboveNode = fields["above"] else { return ModelPrice(base: base, longContext: nil) }
        let abovePath = Self.path(path, "above")
        guard let tier = readTier(aboveNode, at: abovePath, base: (base, given)) else { return nil }
        if let contextWindow, tier.aboveTokens >= contextWindow {
            report(
                Self.path(abovePath, "tokens"),
                "\(Wording.grouped(tier.aboveTokens)) is not below the context window "
                    + "(\(Wording.grouped(contextWindow))), so this tier could never apply")
            return nil
        }
        return ModelPrice(base: base, longContext: tier)
    }

    /// The cache prices a tier wrote out, as opposed to those that default to its input price.
    private struct ExplicitCachePrices {
        var cacheRead: TokenPrice?
        var write5m: TokenPrice?
        var write1h: TokenPrice?
    }

    /// The long-context tier; `base` is `nil` when the base tier is unusable and the tier is read
    /// only to report its own problems.
    private mutating func readTier(
        _ node: Node, at path: String, base: (tier: PriceTier, given: ExplicitCachePrices)?
    ) -> LongContextTier? {
        guard
            let fields = fields(
                of: node, at: path,
                expecting: "a long-context tier, such as {tokens: 200000, input: 6.00, output: 22.50}",
                allowed: Self.tierKeys)
        else { return nil }
        let tokens = required(fields, "tokens", at: path).flatMap {
            count($0, at: Self.path(path, "tokens"), minimum: 1)
        }
        var prices: [String: TokenPrice?] = [:]
        for key in Self.tierKeys.dropFirst() {
            if let node = fields[key] { prices[key] = price(node, at: Self.path(path, key)) }
        }
        guard let tokens, let base, !prices.values.contains(where: { $0 == nil }) else { return nil }
        let input = prices["input"].flatMap { $0 } ?? base.tier.input
        let output = prices["output"].flatMap { $0 } ?? base.tier.output
        func cache(_ key: String, _ baseGiven: TokenPrice?) -> TokenPrice {
            prices[key].flatMap { $0 } ?? baseGiven ?? input
        }
        let tier = PriceTier(
            input: input, output: output, cacheRead: cache("cache_read", base.given.cacheRead),
            cacheWrite5m: cache("cache_write_5m", base.given.write5m),
            cacheWrite1h: cache("cache_write_1h", base.given.write1h))
        return LongContextTier(aboveTokens: tokens, tier: tier)
    }

    // MARK: - Baseline

    private mutating func readBaselines(_ node: Node, paths: inout [Dialect: String]) -> PolicyDraft.Baselines? {
        if case .scalar = node {
            return name(node, at: "baseline", expecting: "a model name, or a mapping of client dialects to model names")
                .map(PolicyDraft.Baselines.single)
        }
        guard
            let entries = entries(
                of: node, at: "baseline", expecting: "a model name, or a mapping of client dialects to model names")
        else { return nil }
        var names: [Dialect: String] = [:]
        var sound = true
        for (word, value) in entries {
            let path = Self.path("baseline", word)
            guard let dialects = Self.dialectWords[word] else {
                report(path, "unknown dialect\(Self.dialectHelp(for: word))")
                sound = false
                continue
            }
            guard let model = name(value, at: path, expecting: "a model name") else {
                sound = false
                continue
            }
            for dialect in dialects.sorted(by: { $0.rawValue < $1.rawValue }) {
                if let earlier = names[dialect], earlier != model {
                    report(path, "sets the \(dialect.rawValue) baseline a second time (\"\(earlier)\" before)")
                    sound = false
                }
                names[dialect] = model
                paths[dialect] = path
            }
        }
        if entries.isEmpty {
            report("baseline", "names no model", at: node)
            return nil
        }
        return sound ? .perDialect(names) : nil
    }

    // MARK: - Tool categories

    private mutating func readToolCategories(_ node: Node) -> [String: ToolCategory] {
        guard
            let entries = entries(
                of: node, at: "tool_categories", expecting: "a mapping of tool names to categories")
        else { return [:] }
        var categories: [String: ToolCategory] = [:]
        for (tool, value) in entries {
            if let category: ToolCategory = choice(value, at: Self.path("tool_categories", tool), kind: "tool category")
            {
                categories[tool] = category
            }
        }
        return categories
    }
}
