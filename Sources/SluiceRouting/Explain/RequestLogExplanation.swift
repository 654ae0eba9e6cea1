import SluiceLedger
package import SluiceWire

/// `sluice policy explain --requests`: many recorded requests, one line each, then counts.
package struct RequestLogExplanation: Sendable {
    /// One request's outcome: its explanation, or why it could not be read.
    package enum Entry: Sendable {
        case explained(PolicyExplanation)
        case refused(line: Int, message: String)
    }

    package var entries: [Entry] = []

    /// Reads JSON lines of `{"protocol": ..., "body": {...}, "headers": {...}}` and plans each
    /// request in order, as a gateway that received them one after another would.
    ///
    /// `protocol` may also be `openai` (Chat Completions), as in the shared traces; `dialect`,
    /// when given, overrides it. Each body is scanned from its bytes in the line. Sessions carry
    /// over from line to line exactly as in `sluice serve`: each planned turn updates its
    /// session's state with ``SessionState/next(_:after:record:)``, as if its chosen model had
    /// answered it, so stickiness, `new_prompt_tokens` and new runs of a fingerprinted
    /// conversation come out as the gateway would decide them.
    ///
    /// - Parameter now: When the first request arrived, Unix milliseconds; each later line
    ///   arrives one millisecond after the one before.
    package init(lines data: [UInt8], policy: RoutingPolicy, dialect override: Dialect? = nil, at now: Int64) {
        var sessions: [String: SessionState] = [:]
        var lineNumber = 0
        var start = 0
        while start < data.count {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.count
            lineNumber += 1
            let line = Array(data[start..<end])
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let arrival = now + Int64(entries.count)
            let entry = Self.explain(
                line: line, number: lineNumber, policy: policy, dialect: override, sessions: sessions, at: arrival)
            if case .explained(let explanation) = entry {
                let plan = explanation.plan
                let key = plan.session.scannedKey
                sessions[key] = SessionState.next(sessions[key], after: plan, record: Self.assumedRecord(plan, at: arrival))
            }
            entries.append(entry)
        }
    }

    /// The record the gateway would write if the plan's first candidate answered: what explain
    /// assumes, having no answers to read.
    static func assumedRecord(_ plan: TurnPlan, at now: Int64) -> TurnRecord {
        let facts = plan.facts(id: "explain-\(now)", startedAtMilliseconds: now, headers: TurnHeaders())
        switch plan.verdict {
        case .forward:
            return TurnRecord(
                facts: facts, outcome: TurnOutcome(status: .ok, httpStatus: 200, model: plan.candidates.first?.priced))
        case .refuse(let error, let status):
            return TurnRecord(facts: facts, outcome: TurnOutcome(status: status, httpStatus: error.status))
        case .answer:
            return TurnRecord(facts: facts, outcome: TurnOutcome(status: .refused, httpStatus: 200))
        }
    }

    private static func explain(
        line: [UInt8], number: Int, policy: RoutingPolicy, dialect override: Dialect?,
        sessions: [String: SessionState], at now: Int64
    ) -> Entry {
        line.withUnsafeBytes { raw in
            let envelope: RequestLine
            do throws(ClientError) {
                guard let document = try? JSONDocument(bytes: raw) else {
                    throw ClientError(.invalidRequest, "not a JSON object with a \"body\" object")
                }
                envelope = try RequestLine(document.root, dialect: override)
            } catch {
                return .refused(line: number, message: error.message)
            }
            let headers = envelope.headers
            let dialect = envelope.dialect
            let bodyBytes = UnsafeRawBufferPointer(rebasing: raw[envelope.body])
            do {
                return .explained(
                    try PolicyExplanation(
                        body: bodyBytes, dialect: dialect, headers: TurnHeaders { headers[$0] }, policy: policy,
                        sessions: { sessions[$0] }, at: now))
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
            let refused = if case .refuse = explanation.plan.verdict { true } else { false }
            rules[refused ? "(refused)" : explanation.decision.rule, default: 0] += 1
        }
        let order: ((String, Int), (String, Int)) -> Bool = { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return (shapes.sorted(by: order), rules.sorted(by: order))
    }

    package var text: String {
        var lines: [String] = []
        for (index, entry) in entries.enumerated() {
            switch entry {
            case .explained(let e):
                let f = e.features
                let categories = f.lastToolCategories.map(\.rawValue).joined(separator: "/")
                let history =
                    "read-only: \(f.history.readOnlyStreak) in a row, \(f.history.readOnlyPercent)%; "
                    + (f.history.edited ? "\(f.history.repliesSinceEdit) since an edit" : "no edit")
                let pCheap = f.nextMove.map { "p_cheap " + RuleCondition.Count.pCheap.shown($0.cheapThousandths) } ?? "p_cheap -"
                lines.append(
                    "\(index + 1)\t\(f.shape.rawValue)\t\(categories.isEmpty ? "-" : categories)"
                        + "\t\(f.lastToolError ? "error" : "-")\t~\(f.promptTokens) tokens\t\(history)\t\(pCheap)"
                        + "\t\(Self.outcome(e.plan))")
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

    /// `rule → model`, or why the turn is refused.
    private static func outcome(_ plan: TurnPlan) -> String {
        if case .refuse(let error, _) = plan.verdict { return "refused: \(error.message)" }
        return "\(plan.decision.rule) → \(plan.decision.model)"
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
