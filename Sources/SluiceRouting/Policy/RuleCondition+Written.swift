extension RuleCondition {
    /// The condition as the policy states it, independent of any turn: `shape side_call or
    /// user_turn`, `prompt_tokens ≤ 150,000`, `not(last_tool_error true)`.
    ///
    /// A held `not` cannot say what the turn showed for conditions that failed, so its summary
    /// and its mismatch quote the conditions themselves in this form.
    var written: String {
        switch self {
        case .client(let dialects):
            return "client \(Wording.alternatives(ordered(dialects)))"
        case .shape(let shapes):
            return "shape \(Wording.alternatives(ordered(shapes)))"
        case .lastMessage(let kinds):
            return "last_message \(Wording.alternatives(ordered(kinds)))"
        case .lastToolCategories(let allowed):
            return "last_tool_categories \(ordered(allowed).joined(separator: "/"))"
        case .flag(let flag, let wanted):
            return "\(flag.rawValue) \(wanted)"
        case .requestedModel(let patterns):
            return "requested_model \(Wording.alternatives(patterns.map { "\"\($0.text)\"" }))"
        case .count(let count, let range):
            switch (range.min, range.max) {
            case (let min?, let max?): return "\(count.rawValue) in \(count.shown(min))…\(count.shown(max))"
            case (let min?, nil): return "\(count.rawValue) ≥ \(count.shown(min))"
            case (nil, let max?): return "\(count.rawValue) ≤ \(count.shown(max))"
            case (nil, nil): return "\(count.rawValue) any"
            }
        case .any(let branches):
            return "any(\(branches.map(\.written).joined(separator: "; ")))"
        case .all(let branches):
            return "all(\(branches.map(\.written).joined(separator: "; ")))"
        case .not(let negated):
            return "not(\(negated.written))"
        }
    }
}
