import SluiceLedger
package import SluiceWire

/// What Sluice saw in one request and how the policy planned it: `sluice policy explain`.
///
/// Made with the same ``RoutingPolicy/plan(_:session:operation:at:experiments:tracing:)`` as the gateway's
/// turns, so what it shows is what `sluice serve` does with the same request and session state.
package struct PolicyExplanation: Sendable {
    /// The plan, with the trace of every rule tried.
    package var plan: TurnPlan
    /// The inputs that moved the turn's `p_cheap` most, with their share of the log-odds.
    package var nextMoveReasons: [(input: NextMoveInput, logOdds: Double)] = []

    /// What the request showed, with the facts that need the session filled in.
    package var features: TurnFeatures { plan.features }
    /// The rule, the model and why, with every rule tried.
    package var decision: RoutingDecision { plan.decision }

    /// Scans `body` as the gateway would and plans it with `policy`.
    ///
    /// - Parameters:
    ///   - sessions: The state of a session by its scanned key, when explaining a turn in the
    ///     middle of one.
    ///   - now: When the turn arrived, Unix milliseconds (names a new run of a fingerprint).
    /// - Throws: `ClientError` for a body the gateway would refuse, with the same message.
    package init(
        body: UnsafeRawBufferPointer, dialect: Dialect, headers: TurnHeaders, policy: RoutingPolicy,
        sessions: (String) -> SessionState? = { _ in nil }, at now: Int64
    ) throws(ClientError) {
        let scanner = policy.makeScanner()
        let scanned = try scanner.scan(body, dialect: dialect, headers: headers)
        plan = policy.plan(scanned, session: sessions(scanned.session), at: now, headers: headers, tracing: true)
        nextMoveReasons = policy.nextMoveModel?.contributions(plan.features) ?? []
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
        let session = plan.session
        let run = session.source == .fingerprint && session.key != session.scannedKey
            ? "; a run of \(session.scannedKey)" : ""
        lines.append("  session          \(session.key)  (from \(session.source.rawValue)\(run))")
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
        lines.append("  loop depth       \(f.loopDepth) (tool-call replies since the last user text)")
        let h = f.history
        lines.append(
            "  history          \(h.replies) replies, \(h.readOnlyStreak) read-only in a row, \(h.readOnlyPercent)% read-only, "
                + (h.edited ? "\(h.repliesSinceEdit) since an edit" : "no edit yet"))
        lines.append("  previous reply   \(h.previousCalls) tool call(s)")
        lines.append("  last message     \(Wording.grouped(h.lastMessageBytes)) bytes")
        lines.append("  prompt growth    ~\(Wording.grouped(h.growthTokens)) tokens since the previous reply was asked for")
        if let prediction = f.nextMove {
            let why = nextMoveReasons.map {
                "\($0.input.rawValue) \($0.logOdds >= 0 ? "+" : "")\(Self.twoDecimals($0.logOdds))"
            }
            lines.append(
                "  p_cheap          \(RuleCondition.Count.pCheap.shown(prediction.cheapThousandths))"
                    + (why.isEmpty ? "" : "  (log-odds: \(why.joined(separator: ", ")))"))
        } else {
            lines.append("  p_cheap          - (the policy names no next_move_model)")
        }
        if f.toolCallRepeats > 0 { lines.append("  repeated call    \(f.toolCallRepeats) time(s) in a row before this one") }
        lines.append("  prompt tokens    ~\(Wording.grouped(f.promptTokens)) (estimate)")
        if let new = f.newPromptTokens { lines.append("  new tokens       ~\(Wording.grouped(new)) since the session's previous turn") }
        lines.append("  messages         \(f.messageCount)")
        lines.append("  tools offered    \(f.toolsOffered)")
        lines.append("  max tokens       \(f.maxTokens.map(Wording.grouped) ?? "-")")
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
        if decision.stickiness != nil { lines.append("  stickiness changed the rules' choice") }
        if let arm = plan.arm {
            lines.append("  experiment \(arm.assignment.experiment), arm \(arm.assignment.arm) (the arm's rules decided)")
        }
        if plan.candidates.count > 1 {
            lines.append("  fallbacks: \(plan.candidates.dropFirst().map(\.model.name).joined(separator: ", "))")
        }
        if let route = plan.candidates.first?.route { lines.append("  route: \(route)") }
        if case .refuse(let error, let status) = plan.verdict, decision.hasModel {
            lines.append("  refused (\(status.rawValue)): \(error.message)")
        }
        if case .answer(let text) = plan.verdict {
            lines.append("  answered by Sluice: " + String(text.prefix(200).map { $0.isNewline ? " " : $0 }))
        }
        if let guards = TurnGuard.written(plan.guards) { lines.append("  guards: \(guards)") }
        let window = f.callWindow
        if window.calls > 0 {
            var line = "  call window: \(window.calls) call(s) in \(window.replies) reply(ies), \(window.distinct) distinct"
            if let top = window.repeated.first { line += "; most repeated \(top.count)×: \(top.label)" }
            lines.append(line)
        }
        if let budget = plan.budget, let first = plan.candidates.first {
            let caps = budget.claims.map { "\($0.cap.name) (\($0.cap.scope.rawValue) \($0.key))" }
            lines.append(
                "  budgets: \(caps.joined(separator: ", "))\(budget.tier.map { "; tier \($0)" } ?? "")"
                    + "; reserves \(budget.reservation(on: first).display) on \(first.model.name) while it runs")
        }
        lines.append("  baseline: \(decision.baseline.isEmpty ? "-" : decision.baseline)")
        return lines.joined(separator: "\n")
    }

    /// `1.23`, `-0.40`: a log-odds share as explain prints it.
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((abs(value) * 100).rounded())
        return (value < 0 ? "-" : "") + "\(hundredths / 100)." + String(hundredths % 100).leftPadded(2, "0")
    }

    /// The same as JSON, one object, numbers as JSON numbers.
    package var json: String {
        let f = features
        func q(_ text: String) -> String { JSONStringDecoder.quoted(text) }
        func list(_ items: [String]) -> String { "[" + items.map(q).joined(separator: ",") + "]" }
        var refusal = "null"
        if case .refuse(let error, let status) = plan.verdict {
            refusal = #"{"status":\#(q(status.rawValue)),"message":\#(q(error.message))}"#
        }
        if case .answer(let text) = plan.verdict {
            refusal = #"{"status":"refused","message":\#(q(text))}"#
        }
        let trace = decision.trace.map {
            #"{"rule":\#(q($0.rule)),"matched":\#($0.matched),"note":\#(q($0.note))}"#
        }
        let fields: [(String, String)] = [
            ("dialect", q(f.dialect.rawValue)), ("session", q(plan.session.key)),
            ("session_source", q(plan.session.source.rawValue)), ("session_starts", "\(plan.session.startsRun)"),
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
            ("replies", "\(f.history.replies)"), ("read_only_streak", "\(f.history.readOnlyStreak)"),
            ("read_only_percent", "\(f.history.readOnlyPercent)"), ("edited", "\(f.history.edited)"),
            ("replies_since_edit", "\(f.history.repliesSinceEdit)"),
            ("previous_tool_calls", "\(f.history.previousCalls)"),
            ("last_message_bytes", "\(f.history.lastMessageBytes)"),
            ("prompt_growth_tokens", "\(f.history.growthTokens)"),
            ("p_cheap", f.nextMove.map { RuleCondition.Count.pCheap.shown($0.cheapThousandths) } ?? "null"),
            ("rule", decision.hasModel ? q(decision.rule) : "null"),
            ("model", decision.hasModel ? q(decision.model) : "null"),
            ("model_id", decision.hasModel ? q(decision.modelID) : "null"),
            ("baseline", decision.baseline.isEmpty ? "null" : q(decision.baseline)), ("reason", q(decision.reason)),
            ("stickiness", decision.stickiness.map(q) ?? "null"),
            ("experiment", plan.arm.map { q($0.assignment.experiment) } ?? "null"),
            ("arm", plan.arm.map { q($0.assignment.arm) } ?? "null"),
            ("candidates", list(plan.candidates.map(\.model.name))), ("refused", refusal),
            ("guards", list(plan.guards.map(\.written))),
            ("call_window", #"{"replies":\#(f.callWindow.replies),"calls":\#(f.callWindow.calls),"distinct":\#(f.callWindow.distinct),"most_repeated":\#(f.callWindow.repeated.first.map { #"{"count":\#($0.count),"call":\#(q($0.label))}"# } ?? "null")}"#),
            ("budget_caps", list(plan.budget?.claims.map(\.cap.name) ?? [])),
            ("tier", plan.budget?.tier.map(q) ?? "null"),
            ("reservation_usd", plan.budget.flatMap { b in plan.candidates.first.map { b.reservation(on: $0).decimalString } } ?? "null"),
            ("trace", "[" + trace.joined(separator: ",") + "]"),
        ]
        return "{" + fields.map { "\(q($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
