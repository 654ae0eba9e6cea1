import SluiceLedger
package import SluiceRouting
package import SluiceStore
import Synchronization

/// Where every finished turn goes: its ledger record, and its session's next state.
///
/// The one place outcomes are turned into records (``TurnRecord/init(facts:outcome:)``, pure) and
/// sessions are updated (``SessionState/next(_:after:record:)``, pure). ``TurnTicket`` makes sure
/// each turn arrives here exactly once.
package final class TurnRecorder: Sendable {
    package let ledger: LedgerWriter
    package let sessions: any SessionStateStore
    private let recorded = Atomic<Int>(0)

    package init(ledger: LedgerWriter, sessions: any SessionStateStore) {
        self.ledger = ledger
        self.sessions = sessions
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
    func record(facts: TurnFacts, outcome: TurnOutcome, plan: TurnPlan?) async {
        let record = TurnRecord(facts: facts, outcome: outcome)
        if let plan {
            await sessions.update(plan.session.scannedKey) { SessionState.next($0, after: plan, record: record) }
        }
        ledger.record(record)
        recorded.add(1, ordering: .relaxed)
    }
}
