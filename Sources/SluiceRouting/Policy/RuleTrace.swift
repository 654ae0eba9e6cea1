/// What happened to one rule while a turn was being decided, for `sluice policy explain`.
package struct RuleTrace: Sendable, Hashable {
    /// The rule's name.
    package var rule: String
    /// Whether this rule decided the turn. A rule whose conditions held but that was passed over
    /// (its model cannot take the turn) is `false`, and `note` says why.
    package var matched: Bool
    /// Why the rule did or did not decide: `shape is user_turn, not side_call`.
    package var note: String

    package init(rule: String, matched: Bool, note: String) {
        self.rule = rule
        self.matched = matched
        self.note = note
    }
}
