import SluiceWire
import Yams

/// A rule's `when:` block: plain conditions, ranges, and `any`, `all` and `not`, nested.
extension PolicyReader {
    /// Every condition key a `when:` block accepts, in the order ``RuleConditions`` lists them.
    private static let conditionKeys =
        ["client", "shape", "last_message", "last_tool_categories"]
        + RuleCondition.Flag.allCases.map(\.rawValue) + ["requested_model"]
        + RuleCondition.Count.allCases.map(\.rawValue) + ["any", "all", "not"]

    /// Words people reach for instead of `any`, `all` and `not`. Without these, `or` and `and`
    /// would be taken for typos of `not` and `any`, the opposite of what was meant.
    private static let conditionHints = [
        "or": "write alternatives as any: [{shape: side_call}, {last_tool_error: true}]",
        "and": "the conditions of one mapping must all hold already; to combine any and not, use all: [{...}, {...}]",
        "none": "write not: {any: [{...}, {...}]} for \"none of these\"",
        "nor": "write not: {any: [{...}, {...}]} for \"none of these\"",
    ]

    /// How deep `any`, `all` and `not` may nest. Real policies need two or three levels; a limit
    /// keeps a generated or mistaken file from making the checks (which recurse) slow.
    private static let maxConditionDepth = 8

    mutating func readConditions(_ node: Node, at path: String, depth: Int = 0) -> RuleConditions {
        var conditions = RuleConditions()
        guard
            let entries = entries(
                of: node, at: path, expecting: "conditions (a mapping such as {shape: side_call})")
        else { return conditions }
        for (key, value) in entries {
            let keyPath = Self.path(path, key)
            switch key {
            case "client":
                conditions.client = readDialects(value, at: keyPath)
            case "shape":
                conditions.shape = readChoices(value, at: keyPath, kind: "shape")
            case "last_message":
                conditions.lastMessage = readChoices(value, at: keyPath, kind: "message kind")
            case "last_tool_categories":
                conditions.lastToolCategories = readChoices(value, at: keyPath, kind: "tool category")
            case "requested_model":
                conditions.requestedModel = readPatterns(value, at: keyPath)
            case "any":
                conditions.anyOf = readBranches(value, at: keyPath, key: key, depth: depth + 1)
            case "all":
                conditions.allOf = readBranches(value, at: keyPath, key: key, depth: depth + 1)
            case "not":
                conditions.not = readBranch(value, at: keyPath, depth: depth + 1, negated: true)
            default:
                if let flag = RuleCondition.Flag(rawValue: key) {
                    conditions[flag: flag] = self.flag(value, at: keyPath)
                } else if key == RuleCondition.Count.pCheap.rawValue {
                    conditions.pCheap = readProbabilityRange(value, at: keyPath)
                } else if let count = RuleCondition.Count(rawValue: key) {
                    conditions[count: count] = readRange(value, at: keyPath)
                } else if let hint = Self.conditionHints[key.lowercased()] {
                    report(keyPath, "unknown condition; \(hint)")
                } else {
                    report(keyPath, "unknown condition\(Wording.suggestion(for: key, among: Self.conditionKeys))")
                }
            }
        }
        return conditions
    }

    /// The list of mappings under `any` or `all`; `nil` when it is not a list or is empty.
    private mutating func readBranches(_ node: Node, at path: String, key: String, depth: Int) -> [RuleConditions]? {
        guard case .sequence(let sequence) = node else {
            report(
                path,
                "expected a list of conditions, such as \(key): [{shape: side_call}, {last_tool_error: true}], "
                    + "found \(Self.describe(node))", at: node)
            return nil
        }
        guard !sequence.isEmpty else {
            let why =
                key == "any"
                ? "an empty list holds for no turn; list at least one mapping of conditions"
                : "an empty list adds no condition; list at least one mapping of conditions, or leave all out"
            report(path, why, at: node)
            return nil
        }
        return sequence.enumerated().map { index, item in
            readBranch(item, at: Self.path(path, index: index), depth: depth, negated: false)
        }
    }

    /// One mapping of conditions inside `any`, `all` or `not`. An empty mapping is a problem
    /// there: it holds for every turn, so it makes an `any` always hold, adds nothing to an `all`,
    /// and makes a `not` (and so the rule) never hold.
    private mutating func readBranch(_ node: Node, at path: String, depth: Int, negated: Bool) -> RuleConditions {
        guard depth <= Self.maxConditionDepth else {
            report(path, "any, all and not are nested more than \(Self.maxConditionDepth) deep", at: node)
            return RuleConditions()
        }
        if case .mapping(let mapping) = node, mapping.isEmpty {
            let why =
                negated
                ? "empty conditions hold for every turn, so not: {} holds for none"
                : "empty conditions hold for every turn; write at least one condition"
            report(path, why, at: node)
            return RuleConditions()
        }
        return readConditions(node, at: path, depth: depth)
    }

    private mutating func readChoices<Value: CaseIterable & RawRepresentable & Hashable>(
        _ node: Node, at path: String, kind: String
    ) -> Set<Value>? where Value.RawValue == String {
        var values: Set<Value> = []
        var sound = true
        for (item, itemPath) in items(node, at: path) {
            if let value: Value = choice(item, at: itemPath, kind: kind) {
                values.insert(value)
            } else {
                sound = false
            }
        }
        return sound && !values.isEmpty ? values : nil
    }

    private mutating func readPatterns(_ node: Node, at path: String) -> [GlobPattern]? {
        var patterns: [GlobPattern] = []
        var sound = true
        for (item, itemPath) in items(node, at: path) {
            if let text = name(item, at: itemPath, expecting: "a model name pattern, such as \"*haiku*\"") {
                patterns.append(GlobPattern(text))
            } else {
                sound = false
            }
        }
        return sound && !patterns.isEmpty ? patterns : nil
    }

    private mutating func readRange(_ node: Node, at path: String) -> CountRange? {
        guard case .mapping = node else {
            let found = Self.describe(node)
            let bare = Self.wholeNumber(node.scalar?.string ?? "") != nil ? "; a bare number is not supported" : ""
            report(path, "expected a range such as {min: 1, max: 150000}, found \(found)\(bare)", at: node)
            return nil
        }
        guard
            let fields = fields(
                of: node, at: path, expecting: "a range such as {min: 1, max: 150000}", allowed: ["min", "max"])
        else { return nil }
        guard !fields.isEmpty else {
            report(path, "a range needs min, max or both", at: node)
            return nil
        }
        let min = fields["min"].map { count($0, at: Self.path(path, "min"), minimum: 0) }
        let max = fields["max"].map { count($0, at: Self.path(path, "max"), minimum: 0) }
        guard min != .some(nil), max != .some(nil) else { return nil }
        let range = CountRange(min: min ?? nil, max: max ?? nil)
        if let low = range.min, let high = range.max, low > high {
            report(path, "min \(Wording.grouped(low)) is greater than max \(Wording.grouped(high))", at: node)
            return nil
        }
        return range
    }

    /// A range of probabilities, `{min: 0.7}`, kept in thousandths: a probability is a decimal
    /// from 0 to 1 with at most three digits after the point.
    private mutating func readProbabilityRange(_ node: Node, at path: String) -> CountRange? {
        let example = "a range of probabilities such as {min: 0.7}"
        guard case .mapping = node else {
            report(path, "expected \(example), found \(Self.describe(node))", at: node)
            return nil
        }
        guard let fields = fields(of: node, at: path, expecting: example, allowed: ["min", "max"]) else { return nil }
        guard !fields.isEmpty else {
            report(path, "a range needs min, max or both", at: node)
            return nil
        }
        func thousandths(_ key: String) -> Int?? {
            guard let value = fields[key] else { return .some(nil) }
            let text = value.scalar?.string ?? ""
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                let whole = Int(parts[0].isEmpty ? "0" : parts[0]), parts.count == 1 || parts[1].count <= 3
            else {
                report(
                    Self.path(path, key),
                    "expected a probability from 0 to 1 with at most three decimals, found \(Self.describe(value))",
                    at: value)
                return nil
            }
            let digits = parts.count == 2 ? parts[1] + String(repeating: "0", count: 3 - parts[1].count) : "0"
            let fraction = Int(digits) ?? 0
            let parsed = whole * 1000 + fraction
            guard parsed <= 1000 else {
                report(Self.path(path, key), "a probability is at most 1, found \(text)", at: value)
                return nil
            }
            return .some(parsed)
        }
        let min = thousandths("min")
        let max = thousandths("max")
        guard let min, let max else { return nil }
        if let low = min, let high = max, low > high {
            report(path, "min is greater than max", at: node)
            return nil
        }
        return CountRange(min: min, max: max)
    }
}
