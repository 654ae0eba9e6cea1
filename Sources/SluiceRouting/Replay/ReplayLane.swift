import SluiceLedger
import SluiceWire

/// One policy's run over recorded turns in `sluice replay`: its sessions' states, its random
/// controls' tallies and caches, and what it decided and would have cost.
///
/// Turns are fed in the order they really arrived, across sessions, as the gateway saw them: a
/// random control's tally then grows exactly as it did live.
struct ReplayLane {
    let policy: RoutingPolicy
    private var states: [String: SessionState] = [:]
    private var caches: [String: SessionCaches] = [:]
    private var tallies: [String: ExperimentTally] = [:]
    /// What the lane decided and cost, turn by turn, in the order fed.
    private(set) var outcomes: [ReplayedTurn] = []

    init(policy: RoutingPolicy) {
        self.policy = policy
    }

    /// Decides one turn with the same plan as `sluice serve`, and prices it.
    mutating func replay(_ turn: ReplayTurn) {
        let scanned = turn.scanned
        let now = turn.startedAtMilliseconds
        let context = ExperimentContext(remembered: turn.recorded?.arm, tallies: tallies)
        let plan = policy.plan(scanned, session: states[scanned.session], at: now, experiments: context)
        if let arm = plan.arm, let matched = arm.matchedModel {
            tallies[arm.assignment.experiment, default: ExperimentTally()].count(matched)
        }
        let chosen = plan.candidates.first.map { $0.model.priced(at: now) }
        let features = plan.features
        var replayed = ReplayedTurn(
            session: plan.session.key, shape: features.shape.rawValue, rule: plan.decision.rule,
            model: chosen?.name, modelID: chosen?.id, arm: plan.arm?.assignment)
        let baseline: CounterfactualModel =
            plan.baseline.map { .priced($0.priced(at: now)) }
            ?? .unpriced("the policy names no baseline model for \(features.dialect.rawValue) clients")
        let recorded = turn.recorded
        // What answered: the recorded model; without a record, the lane's own choice on the
        // prompt as Sluice estimates it (no output: none was recorded).
        let usage = recorded?.usage ?? Usage(uncachedInput: features.promptTokens)
        let answeredBy: PricedModel? = recorded.map { answer in
            if case .priced(let model) = policy.requestedModel(answer.modelID, at: now) { return model }
            return PricedModel(name: answer.modelName ?? answer.modelID, id: answer.modelID, upstream: "", price: .free)
        } ?? chosen
        if let answeredBy, let chosen, case .forward = plan.verdict, usage.promptTokens + usage.output > 0 {
            let total = recorded?.totalMilliseconds ?? 0
            let actualCost =
                recorded?.cost ?? answeredBy.price.cost(of: usage, generationMilliseconds: total).total
            let cacheTurn = CacheTurn(
                thread: CacheTurn.thread(agentID: turn.agentID, isSideCall: features.shape == .sideCall),
                startedAtMilliseconds: now,
                readyAtMilliseconds: now + Int64(recorded?.firstByteMilliseconds ?? total),
                usage: usage, request: features.cacheRequest, generationMilliseconds: total)
            let figures = caches[plan.session.key, default: SessionCaches()].price(
                cacheTurn, answeredBy: answeredBy, actualCost: actualCost, requested: plan.requested,
                baseline: baseline, replayed: .priced(chosen))
            replayed.recordedCost = recorded == nil ? nil : actualCost
            replayed.cost = figures.replayed
            replayed.requested = figures.requested
            replayed.baseline = figures.baseline
            replayed.estimated = recorded == nil
        }
        // The session moves on as if the lane's model had answered.
        let facts = plan.facts(id: "replay", startedAtMilliseconds: now, headers: TurnHeaders())
        let outcome = TurnOutcome(
            status: chosen == nil ? .invalidRequest : .ok, httpStatus: chosen == nil ? 400 : 200, model: chosen,
            usage: usage, totalMilliseconds: recorded?.totalMilliseconds ?? 0)
        states[scanned.session] = SessionState.next(
            states[scanned.session], after: plan, record: TurnRecord(facts: facts, outcome: outcome))
        outcomes.append(replayed)
    }
}
