import SluiceLedger

/// One turn to learn from: its features, its session, and what the model did next.
package struct NextMoveExample: Sendable {
    /// The turn's features as the gateway saw them.
    package var features: TurnFeatures
    /// The session the turn belongs to.
    package var session: String
    /// What keeps related sessions in one fold: the scanned key, which every run of a
    /// fingerprinted conversation shares (the same task started again).
    package var group: String
    /// Whether the next reply made tool calls that only searched, read or listed.
    package var label: Bool
}
