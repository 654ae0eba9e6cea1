/// A ledger kept in memory, for tests and for `replay`, which must not touch the real ledger.
///
/// Behaves like the durable stores: appends are idempotent by id and reads use the same orders.
package actor InMemoryLedgerStore: LedgerStore {
    private var records: [TurnRecord] = []
    private var ids: Set<String> = []
    private var recordedOutcomes: [SessionOutcome] = []
    private var shadowRecords: [ShadowRecord] = []

    /// Starts with the given records (duplicates by id are dropped).
    package init(records: [TurnRecord] = []) {
        for record in records where ids.insert(record.id).inserted {
            self.records.append(record)
        }
    }

    /// Adds the records whose ids are not stored yet.
    package func append(_ batch: [TurnRecord]) {
        for record in batch where ids.insert(record.id).inserted {
            records.append(record)
        }
    }

    /// Summaries computed with ``SessionSummary/summarize(_:)``.
    package func sessionSummaries() -> [SessionSummary] {
        SessionSummary.summarize(records)
    }

    /// The session's turns by start time, then id.
    package func turns(inSession session: String) -> [TurnRecord] {
        records.filter { $0.session == session }.sorted(by: TurnRecord.chronologically)
    }

    /// The turns started in `[from, until)`, by start time, then id.
    package func turns(from: Int64?, until: Int64?, withFeatures: Bool = true) -> [TurnRecord] {
        records.filter { turn in
            from.map { turn.startedAtMilliseconds >= $0 } ?? true && until.map { turn.startedAtMilliseconds < $0 } ?? true
        }.sorted(by: TurnRecord.chronologically).map { turn in
            var turn = turn
            if !withFeatures { turn.features = nil }
            return turn
        }
    }

    /// Keeps the outcome unless one with its id is kept already.
    package func record(_ outcome: SessionOutcome) {
        guard !recordedOutcomes.contains(where: { $0.id == outcome.id }) else { return }
        recordedOutcomes.append(outcome)
    }

    /// The outcomes in the order recorded.
    package func outcomes() -> [SessionOutcome] {
        recordedOutcomes
    }

    /// Keeps the shadow turn unless one with its id is kept already.
    package func record(_ shadow: ShadowRecord) {
        guard !shadowRecords.contains(where: { $0.id == shadow.id }) else { return }
        shadowRecords.append(shadow)
    }

    /// The shadow turns started in `[from, until)`, by start time, then id.
    package func shadows(from: Int64?, until: Int64?) -> [ShadowRecord] {
        shadowRecords.filter { shadow in
            from.map { shadow.startedAtMilliseconds >= $0 } ?? true
                && until.map { shadow.startedAtMilliseconds < $0 } ?? true
        }.sorted { ($0.startedAtMilliseconds, $0.id) < ($1.startedAtMilliseconds, $1.id) }
    }

    /// The arm of each session's latest turn in an experiment, among turns from `since` on.
    package func armAssignments(since: Int64) -> [String: ArmAssignment] {
        var arms: [String: ArmAssignment] = [:]
        for record in records.sorted(by: TurnRecord.chronologically) where record.startedAtMilliseconds >= since {
            if let experiment = record.experiment, let arm = record.arm {
                arms[record.session] = ArmAssignment(experiment: experiment, arm: arm)
            }
        }
        return arms
    }

    /// Nothing to release.
    package func close() {}

    /// Every stored record, in the order appended.
    package var allRecords: [TurnRecord] { records }
}
