/// The `anomalies:` section: sessions whose cost runs away, flagged while they run.
///
/// Two signs: a session whose cost passes `p90Multiple` times the p90 session cost of its tag (of
/// every session when its tag has too few), and one whose spend over the latest `growthMinutes`
/// runs faster than `growthMultiple` times its own rate before them. A flagged turn carries the
/// flag in the ledger, `sluice report` lists the session, and a metric counts it; nothing is
/// refused for it (budgets do that).
package struct AnomalyWatch: Sendable, Hashable {
    package var p90Multiple: Int?
    package var growthMultiple: Int?
    package var growthMinutes: Int

    package init(p90Multiple: Int? = nil, growthMultiple: Int? = nil, growthMinutes: Int = 10) {
        self.p90Multiple = p90Multiple
        self.growthMultiple = growthMultiple
        self.growthMinutes = growthMinutes
    }

    /// The growth window in milliseconds.
    package var growthWindowMilliseconds: Int64 { Int64(growthMinutes) * 60_000 }
}
