/// The port through which the ledger is written and read; each backend (SQLite, PostgreSQL,
/// in-memory) implements it.
///
/// The pure ring declares what it needs and the adapters supply it, so pricing, reports and
/// replay never depend on a database module.
///
/// Conformers must make ``append(_:)`` idempotent by record id: the writer delivers at least
/// once (a batch whose commit succeeded but whose reply was lost is sent again, and spooled
/// records may be re-ingested after a crash), so a second append of the same id is ignored.
package protocol LedgerStore: Sendable {
    /// Writes a batch of records atomically: all of them or none.
    ///
    /// - Throws: ``LedgerStoreError`` with code `rejectedRecord` and the record's id when the
    ///   store will never accept that record (it breaks a schema rule), so the writer can set it
    ///   aside instead of retrying forever; any other error means "try again later".
    func append(_ batch: [TurnRecord]) async throws

    /// One summary per session, most recent activity first (see ``SessionSummary/summarize(_:)``).
    func sessionSummaries() async throws -> [SessionSummary]

    /// The turns of one session, ordered by start time, then id.
    func turns(inSession session: String) async throws -> [TurnRecord]

    /// The turns that started in `[from, until)` (Unix milliseconds; `nil` leaves that side open),
    /// ordered by start time, then id: what `sluice report` summarizes over a period.
    ///
    /// - Parameter withFeatures: `false` leaves each record's ``TurnRecord/features`` `nil`.
    ///   Only replay and training read them, and decoding them is most of the cost of reading
    ///   a large ledger, so reports and the dashboard skip them.
    func turns(from: Int64?, until: Int64?, withFeatures: Bool) async throws -> [TurnRecord]

    /// Records an explicit session outcome; a second report with the same id is ignored.
    func record(_ outcome: SessionOutcome) async throws

    /// Every explicit outcome recorded, in the order recorded (see ``SessionOutcome/latest(_:)``).
    func outcomes() async throws -> [SessionOutcome]

    /// Records a shadow turn; a second record with the same id is ignored.
    func record(_ shadow: ShadowRecord) async throws

    /// The shadow turns that started in `[from, until)`, by start time, then id.
    func shadows(from: Int64?, until: Int64?) async throws -> [ShadowRecord]

    /// The experiment arm of every session with a turn at or after `since` (Unix milliseconds)
    /// that was in an experiment, by session key: what a starting gateway remembers, so a
    /// session keeps its arm across restarts even when the weights changed.
    func armAssignments(since: Int64) async throws -> [String: ArmAssignment]

    /// Spend by session, user, tag and UTC day of the turns that started at or after `since`
    /// (Unix milliseconds): what budgets count again when a gateway starts.
    func spend(since: Int64) async throws -> [SpendRow]

    /// Releases the store's connections; later calls throw. Closing twice is harmless.
    func close() async throws
}

extension LedgerStore {
    /// The turns that started in `[from, until)`, with their recorded features.
    package func turns(from: Int64?, until: Int64?) async throws -> [TurnRecord] {
        try await turns(from: from, until: until, withFeatures: true)
    }
}
