import SluiceLedger
import SluiceWire

/// One policy's run over recorded turns in `sluice replay`: its sessions' states, its random
/// controls' tallies and caches, and what it decided and would have cost.
///
/// It keeps the gateway's timing. Turns are planned in the order they arrived, across sessions,
/// each with its session's state as it stood then; a turn's outcome moves the session's state and
/// caches when the turn ended (arrival plus its recorded duration), in the order turns ended, as
/// `TurnRecorder` does. Overlapping turns of one session (a subagent's, a side call) therefore
/// see what the gateway's saw. Where the lane decided as the record did (``agrees(plan:chosen:recorded:)``),
/// the turn's real ending (its status, the model that answered, its usage and cost) stands;
/// elsewhere the lane assumes its model answered with the recorded usage, priced on that model.
struct ReplayLane {
    let policy: RoutingPolicy
    private var states: [String: SessionState] = [:]
    private var caches: [String: SessionCaches] = [:]
    private var tallies: [String: ExperimentTally] = [:]
    /// Turns planned whose outcome has not moved their session yet, by when they end.
    private var pending: [Pending] = []
    /// What the lane decided and cost, turn by turn, in the order fed.
    private(set) var outcomes: [ReplayedTurn] = []

    private struct Pending {
        var endsAt: Int64
        var index: Int
        var plan: TurnPlan
        var record: TurnRecord
        /// What pricing the turn needs, for a turn that used tokens.
        var pricing: Pricing?

        typealias Pricing = (
            turn: CacheTurn, answeredBy: PricedModel, actualCost: USD, chosen: PricedModel, baseline: CounterfactualModel
        )
    }

    init(policy: RoutingPolicy) {
        self.policy = policy
    }

    /// Decides one turn with the same plan as `sluice serve`; its outcome is applied when it ends.
    mutating func replay(_ turn: ReplayTurn) {
        let now = turn.startedAtMilliseconds
        settle(through: now)
        let scanned = turn.scanned
        let context = ExperimentContext(remembered: turn.recorded?.arm, tallies: tallies)
        let plan = policy.plan(scanned, session: states[scanned.session], at: now, experiments: context)
        if let key = plan.tallyKey, let matched = plan.arm?.matchedModel {
            tallies[key, default: ExperimentTally()].count(matched)
        }
        var chosen: PricedModel?
        if case .forward = plan.verdict { chosen = plan.candidates.first?.priced }
        let features = plan.features
        let recorded = turn.recorded
        let agrees = Self.agrees(plan: plan, chosen: chosen, recorded: recorded)
        // Without a record, the lane's model answers the prompt as Sluice estimates it (no output:
        // none was recorded).
        let usage = recorded?.usage ?? Usage(uncachedInput: features.promptTokens)
        let total = recorded?.totalMilliseconds ?? 0
        var replayed = ReplayedTurn(
            session: plan.session.key, shape: features.shape.rawValue, rule: plan.decision.rule, model: chosen?.name,
            modelID: chosen?.id, recordedCost: recorded?.cost, estimated: recorded == nil)
        var pricing: Pending.Pricing?
        if let chosen, usage.promptTokens + usage.output > 0 {
            let answeredBy = recorded.map { Self.priced($0, by: policy, at: now) } ?? chosen
            let actualCost =
                recorded?.cost ?? answeredBy.price.cost(of: usage, generationMilliseconds: total).total
            if recorded?.cost == nil, recorded != nil { replayed.recordedCost = actualCost }
            let cacheTurn = CacheTurn(
                thread: CacheTurn.thread(agentID: turn.agentID, isSideCall: features.shape == .sideCall),
                startedAtMilliseconds: now, readyAtMilliseconds: now + Int64(recorded?.firstByteMilliseconds ?? total),
                usage: usage, request: features.cacheRequest, generationMilliseconds: total)
            let baseline: CounterfactualModel =
                plan.baseline.map { .priced($0.priced(at: now)) }
                ?? .unpriced("the policy names no baseline model for \(features.dialect.rawValue) clients")
            pricing = (cacheTurn, answeredBy, actualCost, agrees ? answeredBy : chosen, baseline)
        }
        // The ending that moves the session: the real one where the lane agrees with the record.
        let facts = plan.facts(id: "replay", startedAtMilliseconds: now, headers: TurnHeaders())
        let outcome: TurnOutcome
        if agrees, let recorded {
            let answered = recorded.modelName.flatMap { policy.models[$0] }?.priced(at: now) ?? chosen
            outcome = TurnOutcome(
                status: recorded.status, httpStatus: recorded.status == .ok ? 200 : 0, model: answered, usage: usage,
                totalMilliseconds: total)
        } else if let chosen {
            outcome = TurnOutcome(status: .ok, httpStatus: 200, model: chosen, usage: usage, totalMilliseconds: total)
        } else {
            outcome = TurnOutcome(status: .invalidRequest, httpStatus: 400)
        }
        outcomes.append(replayed)
        pending.append(
            Pending(
                endsAt: now + Int64(total), index: outcomes.count - 1, plan: plan,
                record: TurnRecord(facts: facts, outcome: outcome), pricing: pricing))
    }

    /// Applies every pending outcome; call once all turns are fed.
    mutating func finish() {
        settle(through: .max)
    }

    /// Applies the outcomes of the turns that ended by `time`, in the order they ended.
    private mutating func settle(through time: Int64) {
        guard pending.contains(where: { $0.endsAt <= time }) else { return }
        let (due, later) = (pending.filter { $0.endsAt <= time }, pending.filter { $0.endsAt > time })
        pending = later
        for item in due.sorted(by: { ($0.endsAt, $0.index) < ($1.endsAt, $1.index) }) {
            let key = item.plan.session.scannedKey
            states[key] = SessionState.next(states[key], after: item.plan, record: item.record)
            guard let pricing = item.pricing else { continue }
            let figures = caches[item.plan.session.key, default: SessionCaches()].price(
                pricing.turn, answeredBy: pricing.answeredBy, actualCost: pricing.actualCost,
                requested: item.plan.requested, baseline: pricing.baseline, replayed: .priced(pricing.chosen))
            outcomes[item.index].cost = figures.replayed
            outcomes[item.index].requested = figures.requested
            outcomes[item.index].baseline = figures.baseline
        }
    }

    /// The model that really answered, as this policy prices it (by name, by id, or from its price
    /// book); unpriced models cost what the ledger says, with their family's cache behaviour.
    private static func priced(_ answer: RecordedAnswer, by policy: RoutingPolicy, at time: Int64) -> PricedModel {
        if case .priced(let model) = policy.requestedModel(answer.modelID, at: time) { return model }
        return PricedModel(name: answer.modelName ?? answer.modelID, id: answer.modelID, upstream: "", price: .free)
    }

    /// Whether the lane decided the turn as it was decided live, so its real ending (a failure, a
    /// fallback's answer) is what the lane's choice would have met: the same rule (when the record
    /// names one) and the model that answered, or a turn that failed or fell back from that rule.
    static func agrees(plan: TurnPlan, chosen: PricedModel?, recorded: RecordedAnswer?) -> Bool {
        guard let chosen, let recorded, !recorded.modelID.isEmpty else { return false }
        if let rule = recorded.rule {
            guard rule == plan.decision.rule else { return false }
            if recorded.fellBack || recorded.status != .ok { return true }
        }
        return sameModel(chosen.id, recorded.modelID)
    }

    static func sameModel(_ lhs: String?, _ rhs: String?) -> Bool {
        lhs.map(ModelIdentity.normalized) == rhs.map(ModelIdentity.normalized)
    }
}
