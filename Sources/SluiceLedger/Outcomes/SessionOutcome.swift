/// What a user (or their harness) said about how a session ended: the explicit outcome.
///
/// Cost alone cannot say whether a cheaper policy is better: a session that failed for a few
/// cents is not a saving. `POST /v1/sessions/{key}/outcome` and `sluice outcome KEY` record one
/// of these; `sluice ab` counts the latest one per session next to the automatic signals Sluice
/// reads from the turns themselves (``SessionSignals``).
package struct SessionOutcome: Sendable, Hashable, Codable {
    /// Success or failure, as the user judged it.
    package enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
        case success, failure
    }

    /// Unique id of this report; recording the same id twice stores it once.
    package var id: String
    /// The session it is about.
    package var session: String
    /// The user's verdict.
    package var verdict: Verdict
    /// An optional score in 0...1 (a grader's mark, a test pass share).
    package var score: Double?
    /// An optional note for people, at most ``maxNoteLength`` characters.
    package var note: String?
    /// When it was recorded, Unix milliseconds.
    package var recordedAtMilliseconds: Int64

    /// The longest note kept; longer ones are refused at the door, not cut.
    package static let maxNoteLength = 2_000

    package init(
        id: String, session: String, verdict: Verdict, score: Double? = nil, note: String? = nil,
        recordedAtMilliseconds: Int64
    ) {
        self.id = id
        self.session = session
        self.verdict = verdict
        self.score = score
        self.note = note
        self.recordedAtMilliseconds = recordedAtMilliseconds
    }

    /// The latest outcome per session (by time, then id): a later report corrects an earlier one.
    package static func latest(_ outcomes: [SessionOutcome]) -> [String: SessionOutcome] {
        var latest: [String: SessionOutcome] = [:]
        for outcome in outcomes {
            if let current = latest[outcome.session],
                (current.recordedAtMilliseconds, current.id) >= (outcome.recordedAtMilliseconds, outcome.id)
            {
                continue
            }
            latest[outcome.session] = outcome
        }
        return latest
    }
}
