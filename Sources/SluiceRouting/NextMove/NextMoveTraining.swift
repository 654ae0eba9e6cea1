/// What a segment was trained on, as the file says.
package struct NextMoveTraining: Sendable, Hashable {
    /// Labelled turns the weights were fitted on.
    package var turns: Int
    /// Sessions they came from.
    package var sessions: Int
    /// Turns whose next reply was read-only.
    package var positives: Int
    /// The L2 penalty of the fit (on standardized inputs).
    package var penalty: Double

    package init(turns: Int, sessions: Int, positives: Int, penalty: Double) {
        self.turns = turns
        self.sessions = sessions
        self.positives = positives
        self.penalty = penalty
    }
}
