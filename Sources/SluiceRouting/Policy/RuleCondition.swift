import SluiceLedger
import SluiceWire

/// One set condition of a rule, with how to test it and how to say what it saw.
///
/// ``RuleConditions`` stores one optional property per condition, which reads well in code and in
/// tests; this enum lets matching, explaining and rendering walk them uniformly. `any`, `all` and
/// `not` hold whole mappings of conditions, so the walk recurses through them.
enum RuleCondition: Hashable {
    case client(Set<Dialect>)
    case shape(Set<TurnShape>)
    case lastMessage(Set<MessageKind>)
    case lastToolCategories(Set<ToolCategory>)
    case flag(Flag, Bool)
    case requestedModel([GlobPattern])
    case count(Count, CountRange)
    /// At least one of the mappings holds.
    case any([RuleConditions])
    /// Every one of the mappings holds.
    case all([RuleConditions])
    /// The mapping does not hold.
    case not(RuleConditions)

    /// The yes/no conditions.
    enum Flag: String, CaseIterable {
        case lastToolError = "last_tool_error"
        case tools
        case thinking
        case stream
        case images
        case subagent
        case stopSequences = "stop_sequences"
        case edited

        func value(in features: TurnFeatures) -> Bool {
            switch self {
            case .lastToolError: features.lastToolError
            case .tools: features.toolsOffered > 0
            case .thinking: features.thinking
            case .stream: features.stream
            case .images: features.images > 0
            case .subagent: features.subagent != nil
            case .stopSequences: features.hasStopSequences
            case .edited: features.history.edited
            }
        }

        /// What the turn showed, in words: `no tool error`, `12 tools offered`.
        func summary(for features: TurnFeatures) -> String {
            switch (self, value(in: features)) {
            case (.lastToolError, true): "a tool result reports an error"
            case (.lastToolError, false): "no tool error"
            case (.tools, true): "\(Wording.grouped(features.toolsOffered)) tools offered"
            case (.tools, false): "no tools offered"
            case (.thinking, true): "thinking asked for"
            case (.thinking, false): "no thinking"
            case (.stream, true): "streamed"
            case (.stream, false): "not streamed"
            case (.images, true): "\(Wording.grouped(features.images)) images"
            case (.images, false): "no images"
            case (.subagent, true): "subagent \(features.subagent ?? "")"
            case (.subagent, false): "not a subagent"
            case (.stopSequences, true): "stop sequences set"
            case (.stopSequences, false): "no stop sequences"
            case (.edited, true): "a reply edited a file"
            case (.edited, false): "no reply edited a file yet"
            }
        }
    }

    /// The range conditions.
    enum Count: String, CaseIterable {
        case promptTokens = "prompt_tokens"
        case maxTokens = "max_tokens"
        case loopDepth = "loop_depth"
        case messages
        case lastToolResultBytes = "last_tool_result_bytes"
        case toolCallRepeats = "tool_call_repeats"
        case newPromptTokens = "new_prompt_tokens"
        case replies
        case readOnlyStreak = "read_only_streak"
        case readOnlyPercent = "read_only_percent"
        case repliesSinceEdit = "replies_since_edit"
        case previousToolCalls = "previous_tool_calls"
        case lastMessageBytes = "last_message_bytes"
        case promptGrowthTokens = "prompt_growth_tokens"
        /// The next-move model's probability, in thousandths: written `p_cheap: {min: 0.7}`.
        case pCheap = "p_cheap"

        /// The turn's count; `nil` for a request without `max_tokens`, for a session's first
        /// turn (no earlier prompt to count new tokens against), and for `p_cheap` under a
        /// policy without a next-move model.
        func value(in features: TurnFeatures) -> Int? {
            switch self {
            case .promptTokens: features.promptTokens
            case .maxTokens: features.maxTokens
            case .loopDepth: features.loopDepth
            case .messages: features.messageCount
            case .lastToolResultBytes: features.lastToolResultBytes
            case .toolCallRepeats: features.toolCallRepeats
            case .newPromptTokens: features.newPromptTokens
            case .replies: features.history.replies
            case .readOnlyStreak: features.history.readOnlyStreak
            case .readOnlyPercent: features.history.readOnlyPercent
            case .repliesSinceEdit: features.history.repliesSinceEdit
            case .previousToolCalls: features.history.previousCalls
            case .lastMessageBytes: features.history.lastMessageBytes
            case .promptGrowthTokens: features.history.growthTokens
            case .pCheap: features.nextMove?.cheapThousandths
            }
        }

        /// Whether a turn may have no value: no range then holds.
        var mayBeAbsent: Bool { self == .maxTokens || self == .newPromptTokens || self == .pCheap }

        /// A value as a person reads it: `12,345`, or `0.700` for a probability.
        func shown(_ value: Int) -> String {
            guard self == .pCheap else { return Wording.grouped(value) }
            let whole = value / 1000
            let fraction = String(value % 1000)
            return "\(whole)." + String(repeating: "0", count: 3 - fraction.count) + fraction
        }

        /// The count with its unit: `12,345 prompt tokens`, `loop depth 3`.
        func label(_ value: Int) -> String {
            let number = shown(value)
            return switch self {
            case .promptTokens: "\(number) prompt tokens"
            case .maxTokens: "max_tokens \(number)"
            case .loopDepth: "loop depth \(number)"
            case .messages: "\(number) messages"
            case .lastToolResultBytes: "\(number) bytes of tool results"
            case .toolCallRepeats: "the same tool call \(number) time(s) before"
            case .newPromptTokens: "\(number) new prompt tokens"
            case .replies: "\(number) replies so far"
            case .readOnlyStreak: "\(number) read-only replies in a row"
            case .readOnlyPercent: "\(number)% of replies read-only"
            case .repliesSinceEdit: "\(number) replies since an edit"
            case .previousToolCalls: "\(number) tool calls in the previous reply"
            case .lastMessageBytes: "\(number) bytes in the last message"
            case .promptGrowthTokens: "prompt grew ~\(number) tokens since the previous reply"
            case .pCheap: "p_cheap \(number)"
            }
        }
    }

    /// The condition's key in a policy's `when:` block.
    var key: String {
        switch self {
        case .client: "client"
        case .shape: "shape"
        case .lastMessage: "last_message"
        case .lastToolCategories: "last_tool_categories"
        case .flag(let flag, _): flag.rawValue
        case .requestedModel: "requested_model"
        case .count(let count, _): count.rawValue
        case .any: "any"
        case .all: "all"
        case .not: "not"
        }
    }

    func holds(for features: TurnFeatures) -> Bool {
        switch self {
        case .client(let dialects):
            return dialects.contains(features.dialect)
        case .shape(let shapes):
            return shapes.contains(features.shape)
        case .lastMessage(let kinds):
            return kinds.contains(features.lastMessage)
        case .lastToolCategories(let allowed):
            return !features.lastToolCategories.isEmpty && features.lastToolCategories.allSatisfy(allowed.contains)
        case .flag(let flag, let wanted):
            return flag.value(in: features) == wanted
        case .requestedModel(let patterns):
            return patterns.contains { $0.matches(features.requestedModel) }
        case .count(let count, let range):
            guard let value = count.value(in: features) else { return false }
            return range.contains(value)
        case .any(let branches):
            return branches.contains { $0.holds(for: features) }
        case .all(let branches):
            return branches.allSatisfy { $0.holds(for: features) }
        case .not(let negated):
            return !negated.holds(for: features)
        }
    }

    /// Why the condition fails for the turn: `shape is tool_followup, not side_call`.
    func mismatch(for features: TurnFeatures) -> String {
        switch self {
        case .client(let dialects):
            return "client is \(features.dialect.rawValue), not \(Wording.alternatives(ordered(dialects)))"
        case .shape(let shapes):
            return "shape is \(features.shape.rawValue), not \(Wording.alternatives(ordered(shapes)))"
        case .lastMessage(let kinds):
            return "last_message is \(features.lastMessage.rawValue), not \(Wording.alternatives(ordered(kinds)))"
        case .lastToolCategories(let allowed):
            guard !features.lastToolCategories.isEmpty else {
                return "the last message carries no categorized tool results"
            }
            let outside = features.lastToolCategories.filter { !allowed.contains($0) }.sorted()
            return "last tools include \(outside.map(\.rawValue).joined(separator: "/")), "
                + "not only \(ordered(allowed).joined(separator: "/"))"
        case .flag(let flag, let wanted):
            return "\(flag.rawValue) is \(flag.value(in: features)), not \(wanted)"
        case .requestedModel(let patterns):
            let written = patterns.map { "\"\($0.text)\"" }
            let verdict =
                written.count == 1
                ? "does not match " + written[0] : "matches none of " + written.joined(separator: ", ")
            return "requested model \"\(features.requestedModel)\" \(verdict)"
        case .count(let count, let range):
            guard let value = count.value(in: features) else {
                switch count {
                case .newPromptTokens: return "no earlier turn of this session was seen"
                case .pCheap: return "the policy names no next_move_model"
                default: return "the request sets no \(count.rawValue)"
                }
            }
            if let max = range.max, value > max {
                return "\(count.rawValue) \(count.shown(value)) is above max \(count.shown(max))"
            }
            return "\(count.rawValue) \(count.shown(value)) is below min \(count.shown(range.min ?? 0))"
        case .any(let branches):
            // Every branch failed; say why each did. A branch's own reason that lists several (a
            // nested `any`) is bracketed so the two levels cannot be confused.
            let reasons = branches.map { branch in
                let reason = branch.mismatch(for: features) ?? "holds"
                return reason.contains("; ") ? "(\(reason))" : reason
            }
            return "none of any held: " + reasons.joined(separator: "; ")
        case .all(let branches):
            guard let index = branches.firstIndex(where: { !$0.holds(for: features) }) else { return "all hold" }
            return "all[\(index)]: " + (branches[index].mismatch(for: features) ?? "holds")
        case .not(let negated):
            return "excluded by not(\(negated.written)): \(negated.summary(for: features))"
        }
    }

    /// What the turn showed for a condition that held: `shape tool_followup`.
    func summary(for features: TurnFeatures) -> String {
        switch self {
        case .client:
            return "client \(features.dialect.rawValue)"
        case .shape:
            return "shape \(features.shape.rawValue)"
        case .lastMessage:
            return "last message \(features.lastMessage.rawValue)"
        case .lastToolCategories:
            return "last tools \(features.lastToolCategories.sorted().map(\.rawValue).joined(separator: "/"))"
        case .flag(let flag, _):
            return flag.summary(for: features)
        case .requestedModel(let patterns):
            let pattern = patterns.first { $0.matches(features.requestedModel) } ?? patterns[0]
            return "requested model \"\(features.requestedModel)\" matches \"\(pattern.text)\""
        case .count(let count, let range):
            let label = count.label(count.value(in: features) ?? 0)
            switch (range.min, range.max) {
            case (let min?, let max?): return "\(label) in \(count.shown(min))…\(count.shown(max))"
            case (let min?, nil): return "\(label) ≥ \(count.shown(min))"
            case (nil, let max?): return "\(label) ≤ \(count.shown(max))"
            case (nil, nil): return label
            }
        case .any(let branches):
            // Name the branch that let the turn through: the first, as matching tries them in order.
            guard let index = branches.firstIndex(where: { $0.holds(for: features) }) else { return "any held" }
            return "any[\(index)] (\(branches[index].summary(for: features)))"
        case .all(let branches):
            return "all (\(branches.map { $0.summary(for: features) }.joined(separator: ", ")))"
        case .not(let negated):
            return "not(\(negated.written))"
        }
    }

    /// Raw values in the order their type declares its cases, so messages are stable.
    func ordered<Value: CaseIterable & RawRepresentable & Hashable>(_ values: Set<Value>) -> [String]
    where Value.RawValue == String {
        Value.allCases.filter(values.contains).map(\.rawValue)
    }
}
