import Foundation
import SluiceLedger
import SluiceRouting
import SluiceWire
import Synchronization

/// One turn's bookkeeping from its arrival to its one recorded outcome.
///
/// Every path a turn takes (refused, failed upstream, fallen back, relayed whole, streamed, cut,
/// cancelled) ends in ``finish(_:)``, which records it once; later calls are ignored. If a turn's
/// last holder lets go without finishing it (Hummingbird drops a streamed response whose client
/// left before the response head went out, and never runs its body), the ticket records the turn
/// as cancelled from `deinit`.
final class TurnTicket: Sendable {
    let id = UUID().uuidString.lowercased()
    let startedAtMilliseconds: Int64
    private let started = ContinuousClock.now
    let dialect: Dialect
    let headers: TurnHeaders
    /// `nil` for calls that are not turns (`count_tokens`): nothing is recorded.
    private let recorder: TurnRecorder?
    private let state = Mutex(State())

    private struct State {
        var plan: TurnPlan?
        /// What the turn reserved under its budgets, and the budgets: released and checked once.
        var reservation: BudgetReservation?
        var budgets: Budgets?
        var firstByte: Duration?
        var requestBytes = 0
        /// When the whole request was in hand, and when the first and the latest upstream call went out.
        var received: ContinuousClock.Instant?
        var firstCall: ContinuousClock.Instant?
        var latestCall: ContinuousClock.Instant?
        var head: ContinuousClock.Instant?
        /// What a turn cancelled before its relay ran is recorded with.
        var relaying: (model: PricedModel, httpStatus: Int, fallback: String?)?
        var finished = false
        /// The shadow to start once the answer has ended, and the answer's bytes for it.
        var shadow: ShadowHandoff?
        var answer: ShadowHandoff.Answer?

        /// The turn's timings so far, for a turn ending at `end`.
        func timings(endingAt end: ContinuousClock.Instant) -> TurnTimings {
            TurnTimings(
                overhead: received.flatMap { received in firstCall.map { $0 - received } },
                upstreamFirstByte: latestCall.flatMap { call in head.map { $0 - call } },
                upstreamTotal: latestCall.map { end - $0 })
        }
    }

    init(dialect: Dialect, headers: TurnHeaders, recorder: TurnRecorder?, startedAtMilliseconds: Int64) {
        self.startedAtMilliseconds = startedAtMilliseconds
        self.dialect = dialect
        self.headers = headers
        self.recorder = recorder
    }

    deinit {
        let (finished, plan, relaying, requestBytes, reservation, budgets, timings) = state.withLock {
            ($0.finished, $0.plan, $0.relaying, $0.requestBytes, $0.reservation, $0.budgets, $0.timings(endingAt: .now))
        }
        guard !finished, let recorder else { return }
        let outcome = TurnOutcome(
            status: .clientCancelled, httpStatus: relaying?.httpStatus ?? 499, model: relaying?.model, complete: false,
            totalMilliseconds: (ContinuousClock.now - started).milliseconds, fallback: relaying?.fallback,
            requestBytes: requestBytes)
        let facts = Self.facts(id: id, startedAt: startedAtMilliseconds, dialect: dialect, headers: headers, plan: plan)
        // The one unstructured task of the relay: a deinit cannot wait, and the turn must not be lost.
        Task {
            await recorder.record(
                facts: facts, outcome: outcome, plan: plan, reservation: reservation, budgets: budgets, timings: timings)
        }
    }

    /// The session key to answer with: the plan's, or (before the body was planned) the one the
    /// headers alone give.
    var session: String {
        if let plan = state.withLock({ $0.plan }) { return plan.session.key }
        return SessionKey.resolve(headers: headers, body: .init(), dialect: dialect, requestedModel: "").key
    }

    /// The gateway's metrics, for a relay's gauges; `nil` for calls that are not turns.
    var metrics: GatewayMetrics? { recorder?.metrics }

    /// Notes the size of the request body, once it has been read.
    func noteRequestBytes(_ bytes: Int) {
        let now = ContinuousClock.now
        state.withLock {
            $0.requestBytes = bytes
            $0.received = now
        }
    }

    /// Notes an upstream call going out (the first candidate's, or a fallback's).
    func noteCalling() {
        let now = ContinuousClock.now
        state.withLock {
            if $0.firstCall == nil { $0.firstCall = now }
            $0.latestCall = now
        }
    }

    /// Notes the turn's plan: from now on its record has the plan's facts, and its session is
    /// updated; and what it reserved under `budgets`, released when it is recorded.
    func planned(_ plan: TurnPlan, reservation: BudgetReservation? = nil, budgets: Budgets? = nil) {
        state.withLock {
            $0.plan = plan
            $0.reservation = reservation
            $0.budgets = budgets
        }
    }

    /// Notes that the answer's head is about to go out; the first call fixes the time to first byte.
    func noteFirstByte() {
        let now = ContinuousClock.now
        state.withLock {
            if $0.firstByte == nil {
                $0.firstByte = now - started
                $0.head = now
            }
        }
    }

    /// Notes the answer a relay is about to stream, for the record of a turn whose relay never runs.
    func relaying(_ model: PricedModel, httpStatus: Int, fallback: String?) {
        state.withLock { $0.relaying = (model, httpStatus, fallback) }
    }

    /// Notes the shadow that mirrors this turn: the relay keeps the answer's bytes for it, and
    /// ``finish(_:)`` hands both to the shadow once the answer has ended well.
    func shadowing(_ handoff: ShadowHandoff) {
        state.withLock { $0.shadow = handoff }
    }

    /// Notes the primary's answer as relayed, for its shadow to read.
    func noteAnswer(_ answer: ShadowHandoff.Answer) {
        state.withLock { $0.answer = answer }
    }

    /// An outcome with this turn's timings and request size filled in.
    func outcome(
        _ status: TurnStatus, httpStatus: Int, model: PricedModel? = nil, usage: Usage? = nil, complete: Bool = true,
        outputEstimate: Int = 0, fallback: String? = nil, responseBytes: Int = 0
    ) -> TurnOutcome {
        let (firstByte, requestBytes) = state.withLock { ($0.firstByte, $0.requestBytes) }
        return TurnOutcome(
            status: status, httpStatus: httpStatus, model: model, usage: usage, complete: complete,
            outputEstimate: outputEstimate, firstByteMilliseconds: firstByte.map(\.milliseconds),
            totalMilliseconds: (ContinuousClock.now - started).milliseconds, fallback: fallback,
            requestBytes: requestBytes, responseBytes: responseBytes)
    }

    /// Records the turn's outcome; only the first call counts.
    func finish(_ outcome: TurnOutcome) async {
        let now = ContinuousClock.now
        let taken = state.withLock { state in
            guard !state.finished else { return nil as State? }
            state.finished = true
            return state
        }
        guard let taken, let recorder else { return }
        let facts = Self.facts(
            id: id, startedAt: startedAtMilliseconds, dialect: dialect, headers: headers, plan: taken.plan)
        let record = await recorder.record(
            facts: facts, outcome: outcome, plan: taken.plan, reservation: taken.reservation, budgets: taken.budgets,
            timings: taken.timings(endingAt: now))
        if let handoff = taken.shadow, let answer = taken.answer, record.status == .ok {
            handoff.runner.launch(handoff, primary: answer, turn: record)
        }
    }

    private static func facts(
        id: String, startedAt: Int64, dialect: Dialect, headers: TurnHeaders, plan: TurnPlan?
    ) -> TurnFacts {
        if let plan { return plan.facts(id: id, startedAtMilliseconds: startedAt, headers: headers) }
        let session = SessionKey.resolve(headers: headers, body: .init(), dialect: dialect, requestedModel: "").key
        return TurnFacts(
            id: id, startedAtMilliseconds: startedAt, session: session, tag: headers.tag,
            user: headers.user ?? headers.keyedCredential, client: headers.client, agentID: headers.recordedAgentID,
            parentAgentID: headers.parentAgentID, clientDialect: dialect)
    }
}
