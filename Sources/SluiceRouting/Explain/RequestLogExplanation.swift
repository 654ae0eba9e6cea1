package import SluiceWire

/// `sluice policy explain --requests`: many recorded requests, one line each, then counts.
package struct RequestLogExplanation: Sendable {
    /// One request's outcome: its explanation, or why it could not be read.
    package enum Entry: Sendable {
        case explained(PolicyExplanation)
        case refused(line: Int, message: String)
    }

    package var entries: [Entry] = []

    /// Reads JSON lines of `{"protocol": ..., "body": {...}, "headers": {...}}`.
    ///
    /// `protocol` may also be `openai` (Chat Completions), as in the shared traces; `dialect`,
    /// when given, overrides it. Each body is scanned from its bytes in the line, as the gateway
    /// would scan it.
    package init(lines data: [UInt8], policy: RoutingPolicy, dialect override: Dialect? = nil) {
        var lineNumber = 0
        var start = 0
        while start < data.count {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.count
            lineNumber += 1
            let line = Array(data[start..<end])
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            entries.append(Self.explain(line: line, number: lineNumber, policy: policy, dialect: override))
        }
    }

    private static func explain(line: [UInt8], number: Int, policy: RoutingPolicy, dialect override: Dialect?)
        -> Entry
    {
        line.withUnsafeBytes { raw in
            guard let document = try? JSONDocument(bytes: raw), let body = document.root["body"],
                body.kind == .object
            else {
                return .refused(line: number, message: "not a JSON object with a \"body\" object")
            }
            let protocolName = document.root["protocol"]?.string ?? ""
            let dialect = override ?? (protocolName == "openai" ? .openAIChat : Dialect(rawValue: protocolName))
            guard let dialect else {
                return .refused(line: number, message: "unknown protocol \"\(protocolName)\"")
            }
            var headers: [String: String] = [:]
            if let object = document.root["headers"] {
                for (key, value) in object.members {
                    if let name = key.string, let text = value.string { headers[name.lowercased()] = text }
                }
            }
            let bodyBytes = UnsafeRawBufferPointer(rebasing: raw[body.byteRange])
            do {
                return .explained(
                    try PolicyExplanation(
                        body: bodyBytes, dialect: dialect, headers: TurnHeaders { headers[$0] }, policy: policy))
            } catch let error as ClientError {
                return .refused(line: number, message: error.message)
            } catch {
                return .refused(line: number, message: "\(error)")
            }
        }
    }

    /// Requests per shape and per rule, most frequent first.
    package var counts: (shapes: [(String, Int)], rules: [(String, Int)]) {
        var shapes: [String: Int] = [:]
        var rules: [String: Int] = [:]
        for case .explained(let explanation) in entries {
            shapes[explanation.features.shape.rawValue, default: 0] += 1
            rules[explanation.decision.hasModel ? explanation.decision.rule : "(refused)", default: 0] += 1
        }
        let order: ((String, Int), (String, Int)) -> Bool = { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return (shapes.sorted(by: order), rules.sorted(by: order))
    }

    package var text: String {
        var lines: [String] = []
        for (index, entry) in entries.enumerated() {
            switch entry {
            case .explained(let e):
                let categories = e.features.lastToolCategories.map(\.rawValue).joined(separator: "/")
                lines.append(
                    "\(index + 1)\t\(e.features.shape.rawValue)\t\(categories.isEmpty ? "-" : categories)"
                        + "\t\(e.features.lastToolError ? "error" : "-")\t~\(e.features.promptTokens) tokens"
                        + "\t\(e.decision.hasModel ? "\(e.decision.rule) → \(e.decision.model)" : "refused: \(e.decision.reason)")")
            case .refused(let line, let message):
                lines.append("\(index + 1)\tline \(line): \(message)")
            }
        }
        let (shapes, rules) = counts
        lines.append("")
        lines.append("\(entries.count) requests")
        lines.append("By shape: " + shapes.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        lines.append("By rule:  " + rules.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    package var json: String {
        let items = entries.map { entry -> String in
            switch entry {
            case .explained(let explanation): explanation.json
            case .refused(let line, let message):
                #"{"line":\#(line),"error":\#(JSONStringDecoder.quoted(message))}"#
            }
        }
        let (shapes, rules) = counts
        func object(_ pairs: [(String, Int)]) -> String {
            "{" + pairs.map { "\(JSONStringDecoder.quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        }
        return #"{"requests":[\#(items.joined(separator: ","))],"counts":{"shape":\#(object(shapes)),"rule":\#(object(rules))}}"#
    }
}
