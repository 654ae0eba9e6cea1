package import Logging
import SluiceLedger
package import SluiceRouting
package import SluiceStore
import Synchronization

/// Where every finished turn goes: its ledger record, and its session's next state.
///
/// The one place outcomes are turned into records and sessions are updated, both by
/// ``SessionState/recording(_:facts:outcome:plan:)`` (pure), inside one atomic store update.
/// ``TurnTicket`` makes sure each turn arrives here exactly once.
package final class TurnRecorder: Sendable {
    package let ledger: LedgerWriter
    package let sessions: any SessionStateStore
    /// Arms remembered from the ledger, and the random controls' tallies.
    package let experiments: ExperimentMemory
    /// The running spend behind budgets, settled here by each turn's outcome.
    package let guards: GuardBook
    let alerts: AlertSender
    let metrics: GatewayMetrics
    private let recorded = Atomic<Int>(0)

    package init(
        ledger: LedgerWriter, sessions: any SessionStateStore, experiments: ExperimentMemory = ExperimentMemory(),
        guards: GuardBook = GuardBook(), logger: Logger = Logger(label: "sluice.guards"),
        metrics: GatewayMetrics = GatewayMetrics()
    ) {
        self.metrics = metrics
        self.ledger = ledger
        self.sessions = sessions
        self.experiments = experiments
        self.guards = guards
        alerts = AlertSender(logger: logger)
    }

    /// Turns handed to the ledger since start: each turn counts once, whichever way it ended.
    package var recordedTurns: Int { recorded.load(ordering: .relaxed) }

    /// Records one finished turn.
    ///
    /// The session's state is updated before this returns, so a client that sends its next turn
    /// as soon as this one's answer ends finds it; the ledger row is written off the request path.
    ///
    /// - Parameters:
    ///   - facts: What was known before forwarding.
    ///   - outcome: How the turn ended.
    ///   - plan: The turn's plan; `nil` for a request refused before it could be planned, which
    ///     belongs to no session's history.
    ///   - reservation: What the turn reserved under its budgets, released here.
    ///   - budgets: The budgets the turn was admitted under, whose alerts its spend may cross.
    ///   - timings: Where the turn's time went, for the latency histograms.
    /// - Returns: The record handed to the ledger.
    @discardableResult
    func record(
        facts: TurnFacts, outcome: TurnOutcome, plan: TurnPlan?, reservation: BudgetReservation? = nil,
        budgets: Budgets? = nil, timings: TurnTimings = TurnTimings()
    ) async -> TurnRecord {
        let record: TurnRecord
        if let plan {
            record = await sessions.update(plan.session.scannedKey) {
                SessionState.recording($0, facts: facts, outcome: outcome, plan: plan)
            }
        } else {
            record = TurnRecord(facts: facts, outcome: outcome)
        }
        if let plan {
            metrics.count(plan.guards)
            let crossed = guards.settle(reservation, record: record, budgets: budgets)
            if !crossed.isEmpty {
                metrics.count(crossed)
                alerts.send(crossed, webhook: budgets?.webhook)
            }
        }
        metrics.count(record, timings: timings)
        ledger.record(record)
        recorded.add(1, ordering: .relaxed)
        return record
    }
}
