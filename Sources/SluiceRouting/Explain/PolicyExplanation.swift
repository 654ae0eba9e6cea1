package import SluiceWire

/// What Sluice saw in one request and how the policy decided it: `sluice policy explain`.
package struct PolicyExplanation: Sendable {
    package var features: TurnFeatures
    package var session: String
    package var sessionSource: SessionSource
    package var decision: RoutingDecision

    /// Scans `body` as the gateway would and decides it with `policy`.
    ///
    /// - Throws: `ClientError` for a body the gateway would refuse, with the same message.
    package init(
        body: UnsafeRawBufferPointer, dialect: Dialect, headers: TurnHeaders, policy: RoutingPolicy
    ) throws(ClientError) {
        let scanner = RequestScanner(catalog: ToolCatalog.builtIn.overriding(with: policy.toolCategoryOverrides))
        let scanned = try scanner.scan(body, dialect: dialect, headers: headers)
        features = scanned.features
        session = scanned.session
        sessionSource = scanned.sessionSource
        decision = policy.decide(for: scanned.features)
    }

    /// The dialect a body is most likely written in, for requests saved without their path.
    ///
    /// `input` means Responses; chat-only roles (`tool`, `system`, `developer` inside `messages`)
    /// or `tool_calls` mean Chat Completions; otherwise a `max_tokens` (required by Anthropic)
    /// means Messages.
    package static func guessDialect(of body: UnsafeRawBufferPointer) -> Dialect {
        guard let document = try? JSONDocument(bytes: body), document.root.kind == .object else { return .openAIChat }
        let root = document.root
        if root["input"] != nil || root["instructions"] != nil { return .openAIResponses }
        for message in root["messages"].elementsIfAny {
            if let role = message["role"]?.string, ["tool", "system", "developer", "function"].contains(role) {
                return .openAIChat
            }
            if message["tool_calls"] != nil { return .openAIChat }
        }
        return root["max_tokens"] != nil || root["system"] != nil ? .anthropic : .openAIChat
    }

    /// A person's reading: the features, each rule tried, the decision.
    package var text: String {
        let f = features
        var lines: [String] = []
        lines.append("Request (\(f.dialect.rawValue))")
        lines.append("  session          \(session)  (from \(sessionSource.rawValue))")
        lines.append("  requested model  \(f.requestedModel)")
        lines.append("  shape            \(f.shape.rawValue)")
        lines.append("  last message     \(f.lastMessage.rawValue)")
        if !f.lastToolNames.isEmpty {
            lines.append("  last tool calls  \(f.lastToolNames.joined(separator: ", "))")
        }
        lines.append(
            "  tool categories  \(f.lastToolCategories.isEmpty ? "-" : f.lastToolCategories.map(\.rawValue).joined(separator: ", "))"
        )
        lines.append("  tool error       \(f.lastToolError ? "yes" : "no")")
        lines.append("  loop depth       \(f.loopDepth)")
        if f.toolCallRepeats > 0 { lines.append("  repeated call    \(f.toolCallRepeats) time(s) in a row before this one") }
        lines.append("  prompt tokens    ~\(Self.grouped(f.promptTokens)) (estimate)")
        lines.append("  messages         \(f.messageCount)")
        lines.append("  tools offered    \(f.toolsOffered)")
        lines.append("  max tokens       \(f.maxTokens.map(Self.grouped) ?? "-")")
        lines.append("  thinking         \(f.thinking ? "yes" : "no")")
        lines.append("  stream           \(f.stream ? "yes" : "no")")
        if f.images > 0 { lines.append("  images           \(f.images)") }
        if let subagent = f.subagent { lines.append("  subagent         \(subagent)") }
        lines.append("")
        lines.append("Rules")
        let width = decision.trace.map(\.rule.count).max() ?? 0
        for step in decision.trace {
            let mark = step.matched ? "✔" : "✘"
            lines.append("  \(mark) \(step.rule.padding(to: width))  \(step.note)")
        }
        if decision.trace.isEmpty { lines.append("  (no rule was tried)") }
        lines.append("")
        if decision.hasModel {
            lines.append("Decision: \(decision.model) (\(decision.modelID) on \(decision.upstream)), rule \(decision.rule)")
        } else {
            lines.append("Decision: none, the gateway refuses this turn")
        }
        lines.append("  \(decision.reason)")
        lines.append("  baseline: \(decision.baseline.isEmpty ? "-" : decision.baseline)")
        return lines.joined(separator: "\n")
    }

    /// The same as JSON, one object, numbers as JSON numbers.
    package var json: String {
        let f = features
        func q(_ text: String) -> String { JSONStringDecoder.quoted(text) }
        func list(_ items: [String]) -> String { "[" + items.map(q).joined(separator: ",") + "]" }
        let trace = decision.trace.map {
            #"{"rule":\#(q($0.rule)),"matched":\#($0.matched),"note":\#(q($0.note))}"#
        }
        let fields: [(String, String)] = [
            ("dialect", q(f.dialect.rawValue)), ("session", q(session)), ("session_source", q(sessionSource.rawValue)),
            ("requested_model", q(f.requestedModel)), ("shape", q(f.shape.rawValue)),
            ("last_message", q(f.lastMessage.rawValue)), ("prompt_tokens", "\(f.promptTokens)"),
            ("messages", "\(f.messageCount)"), ("tools", "\(f.toolsOffered)"),
            ("tool_choice", f.toolChoice.map(q) ?? "null"), ("thinking", "\(f.thinking)"),
            ("max_tokens", f.maxTokens.map { "\($0)" } ?? "null"), ("images", "\(f.images)"), ("stream", "\(f.stream)"),
            ("stop_sequences", "\(f.hasStopSequences)"), ("last_tool_names", list(f.lastToolNames)),
            ("last_tool_categories", list(f.lastToolCategories.map(\.rawValue))),
            ("last_tool_error", "\(f.lastToolError)"), ("last_tool_result_bytes", "\(f.lastToolResultBytes)"),
            ("loop_depth", "\(f.loopDepth)"), ("tool_call_repeats", "\(f.toolCallRepeats)"),
            ("new_prompt_tokens", f.newPromptTokens.map { "\($0)" } ?? "null"), ("subagent", f.subagent.map(q) ?? "null"),
            ("rule", decision.hasModel ? q(decision.rule) : "null"),
            ("model", decision.hasModel ? q(decision.model) : "null"),
            ("model_id", decision.hasModel ? q(decision.modelID) : "null"),
            ("baseline", decision.baseline.isEmpty ? "null" : q(decision.baseline)), ("reason", q(decision.reason)),
            ("trace", "[" + trace.joined(separator: ",") + "]"),
        ]
        return "{" + fields.map { "\(q($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
