import SluiceLedger
import Yams

/// Walks a composed policy document and turns each part into its Swift value, collecting every
/// problem with its path and line instead of stopping at the first.
///
/// Yams' `Node` tree is used rather than `Decodable` because a policy check must report every
/// problem at once, with a line number, and must read prices from the scalar's text (a `Double`
/// would already have lost the exact decimal). This file holds what every section uses (paths,
/// mappings, scalars); each section has a file of its own that owns its keys, its reader and its
/// checks across sections (`PolicyReader+Upstreams.swift`, `+Models.swift`, `+Prices.swift`,
/// `+Baselines.swift`, `+Rules.swift`, `+Conditions.swift`, `+ToolCategories.swift`), and
/// `PolicyReader+Document.swift` lists the sections in the order they are read and checked.
struct PolicyReader {
    /// Every problem found so far, in the order found.
    private(set) var problems: [PolicyProblem] = []
    /// The line each visited path was written on, so checks made after reading can point at it.
    var lines: [String: Int] = [:]
    /// Reads a file the document includes, by the path as written (see `RoutingPolicy(yaml:include:)`).
    var include: ((String) throws -> String)?

    // MARK: - Reporting

    /// Records a problem at `path`, on `node`'s line or, without a node, the line `path` was read on.
    mutating func report(_ path: String, _ message: String, at node: Node? = nil) {
        problems.append(PolicyProblem(path: path, message: message, line: node?.mark?.line ?? lines[path]))
    }

    /// Runs `read` and tells whether it reported no problem, so a part with a problem can be left
    /// out of later checks (which would only repeat it).
    mutating func isSound(_ read: (inout PolicyReader) -> Void) -> Bool {
        let before = problems.count
        read(&self)
        return problems.count == before
    }

    // MARK: - Paths

    static func path(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    static func path(_ parent: String, index: Int) -> String {
        "\(parent)[\(index)]"
    }

    // MARK: - Mappings and lists

    /// The entries of a mapping whose keys are names (models, upstreams, tool names), in document
    /// order; `nil`, with a problem, when `node` is not a mapping.
    mutating func entries(of node: Node, at path: String, expecting what: String) -> [(key: String, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report(path, "expected \(what), found \(Self.describe(node))", at: node)
            return nil
        }
        var result: [(key: String, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode, !Self.isNull(keyNode) else {
                report(path, "a key must be text, found \(Self.describe(keyNode))", at: keyNode)
                continue
            }
            if let line = keyNode.mark?.line { lines[Self.path(path, key.string)] = line }
            result.append((key.string, value))
        }
        return result
    }

    /// The entries of a mapping with a fixed set of keys; unknown keys are problems, with a
    /// suggestion for likely typos or a `hint` for keys people are known to try.
    mutating func fields(
        of node: Node, at path: String, expecting what: String, allowed: [String], noun: String = "key",
        hints: [String: String] = [:]
    ) -> [String: Node]? {
        guard let entries = entries(of: node, at: path, expecting: what) else { return nil }
        var result: [String: Node] = [:]
        for (key, value) in entries {
            let keyPath = Self.path(path, key)
            if allowed.contains(key) {
                result[key] = value
            } else if let hint = hints[key] {
                report(keyPath, "unknown \(noun); \(hint)")
            } else {
                report(keyPath, "unknown \(noun)\(Wording.suggestion(for: key, among: allowed))")
            }
        }
        return result
    }

    /// The value of a key that must be present; reports `missing` at the key's path otherwise.
    mutating func required(_ fields: [String: Node], _ key: String, at path: String) -> Node? {
        guard let node = fields[key] else {
            // Point at the mapping the key is missing from.
            problems.append(PolicyProblem(path: Self.path(path, key), message: "missing", line: lines[path]))
            return nil
        }
        return node
    }

    /// A single value or a list of values, each with its own path; an empty list is a problem.
    mutating func items(_ node: Node, at path: String) -> [(node: Node, path: String)] {
        guard case .sequence(let sequence) = node else { return [(node, path)] }
        guard !sequence.isEmpty else {
            report(path, "an empty list matches nothing; leave the key out to accept any value", at: node)
            return []
        }
        return sequence.enumerated().map { ($0.element, Self.path(path, index: $0.offset)) }
    }

    // MARK: - Scalars

    /// The text of a scalar; a mapping, list or null is a problem.
    mutating func text(_ node: Node, at path: String, expecting what: String = "text") -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            report(path, "expected \(what), found \(Self.describe(node))", at: node)
            return nil
        }
        return scalar.string
    }

    /// Non-empty text, such as a name or a model id.
    mutating func name(_ node: Node, at path: String, expecting what: String = "a name") -> String? {
        guard let text = text(node, at: path, expecting: what) else { return nil }
        guard !text.trimmingWhitespace().isEmpty else {
            report(path, "must not be empty", at: node)
            return nil
        }
        return text
    }

    /// A whole number no smaller than `minimum`; `_` may group digits (`1_000_000`).
    mutating func count(_ node: Node, at path: String, minimum: Int) -> Int? {
        guard let text = text(node, at: path, expecting: "a whole number") else { return nil }
        guard let value = Self.wholeNumber(text) else {
            report(path, "\"\(text)\" is not a whole number", at: node)
            return nil
        }
        guard value >= minimum else {
            let rule = minimum == 1 ? "must be positive" : "must be at least \(minimum)"
            report(path, "\(rule), found \(value)", at: node)
            return nil
        }
        return value
    }

    /// `true` or `false`.
    mutating func flag(_ node: Node, at path: String) -> Bool? {
        guard let text = text(node, at: path, expecting: "true or false") else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            report(path, "\"\(text)\" is not true or false", at: node)
            return nil
        }
    }

    /// A price in dollars per million tokens, parsed exactly from the scalar's text.
    mutating func price(_ node: Node, at path: String) -> TokenPrice? {
        guard let text = text(node, at: path, expecting: "a price in dollars per million tokens") else { return nil }
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.hasPrefix("-") else {
            report(path, "a price cannot be negative, found \(trimmed)", at: node)
            return nil
        }
        guard let price = TokenPrice(dollarsPerMillionTokens: trimmed) else {
            report(path, "\"\(text)\" is not a price in dollars per million tokens", at: node)
            return nil
        }
        return price
    }

    /// One of the raw values of `Value`, such as a shape or a tool category.
    mutating func choice<Value: CaseIterable & RawRepresentable>(
        _ node: Node, at path: String, kind: String
    ) -> Value? where Value.RawValue == String {
        guard let text = text(node, at: path, expecting: "a \(kind)") else { return nil }
        if let value = Value(rawValue: text) { return value }
        let choices = Value.allCases.map(\.rawValue)
        let suggestion = Wording.suggestion(for: text, among: choices)
        let help = suggestion.isEmpty ? "; one of \(choices.joined(separator: ", "))" : suggestion
        report(path, "unknown \(kind) \"\(text)\"\(help)", at: node)
        return nil
    }

    // MARK: - Node facts

    /// Whether the node is YAML's null: `~`, `null` or nothing at all after a key.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a node reads in a message: `"abc"`, `a list`, `a mapping`, `nothing`.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): isNull(node) ? "nothing" : "\"\(scalar.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// Digits with an optional sign, `_` allowed between digits; `nil` for anything else or overflow.
    static func wholeNumber(_ text: String) -> Int? {
        var digits = Substring(text.trimmingWhitespace())
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard let first = digits.first, let last = digits.last, first.isASCII, first.isNumber, last.isASCII,
            last.isNumber
        else { return nil }
        var value = 0
        for character in digits where character != "_" {
            guard character.isASCII, let digit = character.wholeNumberValue else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            value = sum
        }
        return negative ? -value : value
    }
}
