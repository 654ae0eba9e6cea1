package import SluiceLedger

/// A shadow in the policy (`shadows:`): a second model that also answers a sampled share of
/// turns, in the background, so its answers can be compared with the primary's before any turn
/// is routed to it. The client only ever sees the primary's answer.
package struct ShadowSpec: Sendable, Hashable {
    /// The shadow's name, in the ledger and in `sluice ab`.
    package var name: String
    /// The policy model that answers in the shadow.
    package var model: String
    /// Percent of matching turns mirrored (1...100), drawn by a keyed hash of the session and turn.
    package var samplePercent: Int
    /// Only turns decided by these rules; `nil` for any rule.
    package var rules: Set<String>?
    /// Only turns of these shapes; `nil` for any shape.
    package var shapes: Set<TurnShape>?
    /// Only turns of sessions in these experiment arms; `nil` for any session.
    package var arms: Set<String>?
    /// What the shadow may spend per UTC day; once reached, no more turns are mirrored that day.
    package var dailyCap: USD

    package init(
        name: String, model: String, samplePercent: Int, rules: Set<String>? = nil, shapes: Set<TurnShape>? = nil,
        arms: Set<String>? = nil, dailyCap: USD
    ) {
        self.name = name
        self.model = model
        self.samplePercent = samplePercent
        self.rules = rules
        self.shapes = shapes
        self.arms = arms
        self.dailyCap = dailyCap
    }
}
