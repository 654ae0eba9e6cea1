package import SluiceLedger
import SluiceWire

/// Everything decided about one turn before it is forwarded: the pure half of the turn pipeline.
///
/// `sluice serve`, `sluice policy explain` and `sluice replay` all make their plans with
/// ``RoutingPolicy/plan(_:session:operation:at:experiments:tracing:)``, so what explain shows is what serve
/// does. The gateway only carries a plan out: it tries the candidates in order, relays the answer
/// through the candidate's route, and records one outcome.
package struct TurnPlan: Sendable {
    /// The session the turn belongs to.
    package var session: SessionIdentity
    /// What the request showed, with the facts that need the session's state filled in.
    package var features: TurnFeatures
    /// The rule, the model, the reason (and, for `policy explain`, every rule tried).
    package var decision: RoutingDecision
    /// The chosen model, then its fallbacks that can take the turn, each with its route.
    package var candidates: [PlannedCandidate]
    /// The model the turn is priced against; `nil` when the policy names none for the dialect.
    package var baseline: ModelSpec?
    /// The model the client asked for, priced, or why it has no price: the requested counterfactual.
    package var requested: CounterfactualModel
    /// The experiment arm the session is in; `nil` outside experiments.
    package var arm: PlannedArm?
    /// Whether the turn goes upstream at all.
    package var verdict: TurnVerdict
    /// The shadow model that also answers the turn in the background, if one does.
    package var shadow: PlannedShadow?
    /// What guards did to the turn so far (a loop found, a soft limit); the gateway adds the
    /// budget's verdict when it admits the turn.
    package var guards: [TurnGuard] = []
    /// The caps that apply to the turn and what it is expected to cost; `nil` without budgets.
    package var budget: BudgetPlan?
    /// The loop the breaker found in the turn, if any.
    package var loop: LoopTrip?

    package init(
        session: SessionIdentity, features: TurnFeatures, decision: RoutingDecision, candidates: [PlannedCandidate],
        baseline: ModelSpec?, requested: CounterfactualModel = .unpriced("the request named no model"),
        arm: PlannedArm? = nil, verdict: TurnVerdict
    ) {
        self.session = session
        self.features = features
        self.decision = decision
        self.candidates = candidates
        self.baseline = baseline
        self.requested = requested
        self.arm = arm
        self.verdict = verdict
    }

    /// The tally a random control's turn counts in: `nil` outside random controls and for turns
    /// that do not go upstream.
    package var tallyKey: String? {
        guard let arm, arm.matchedModel != nil, case .forward = verdict else { return nil }
        return ExperimentTally.key(experiment: arm.assignment.experiment, arm: arm.assignment.arm)
    }

    /// What the ledger needs to know about the turn before it runs.
    ///
    /// - Parameters:
    ///   - id: The turn's unique id.
    ///   - startedAtMilliseconds: When it arrived, Unix milliseconds.
    ///   - headers: The request's session, agent and tag headers.
    package func facts(id: String, startedAtMilliseconds: Int64, headers: TurnHeaders) -> TurnFacts {
        TurnFacts(
            id: id, startedAtMilliseconds: startedAtMilliseconds, session: session.key, tag: headers.tag,
            user: headers.user(reading: features), client: headers.client,
            agentID: headers.recordedAgentID, parentAgentID: headers.parentAgentID,
            isSideCall: features.shape == .sideCall, clientDialect: features.dialect,
            requestedModel: features.requestedModel, rule: decision.rule, experiment: arm?.assignment.experiment,
            arm: arm?.assignment.arm, reason: decision.reason,
            shape: features.shape.rawValue, toolCategories: features.lastToolCategories.map(\.rawValue),
            promptTokensEstimate: features.promptTokens, loopDepth: features.loopDepth,
            toolError: features.lastToolError, stream: features.stream,
            baseline: baseline?.priced(at: startedAtMilliseconds),
            requested: requested, cacheRequest: features.cacheRequest, toolCallRepeats: features.toolCallRepeats,
            features: features.recorded, guardNote: TurnGuard.written(guards))
    }
}

extension TurnHeaders {
    /// The agent id a turn is recorded under: Claude Code's subagent id, or Codex's subagent kind.
    package var recordedAgentID: String? {
        agentID ?? openAISubagent.map { "subagent:" + $0 }
    }
}

extension TurnHeaders {
    /// The user a turn is counted under, as reports group it: `x-sluice-user`, else the user the
    /// body names, else the keyed credential.
    package func user(reading features: TurnFeatures) -> String? {
        user ?? features.clientUser ?? keyedCredential
    }
}

extension TurnPlan {
    /// The plan after its budgets admitted it: sent to the candidate the admission names (a soft
    /// limit's cheaper model, alone), or refused with a
    /// message that names the cap, the spend and how to raise it.
    package func admitted(_ admission: BudgetAdmission) -> TurnPlan {
        var plan = self
        switch admission {
        case .admit(let candidate, _, let guards):
            plan.guards += guards
            if candidate.model.name != candidates.first?.model.name {
                // No fallback to the dearer models: the reservation was sized for this one.
                plan.candidates = [candidate]
                plan.decision = decision.sending(to: candidate.model)
                plan.decision.reason += "; past a soft budget limit, sent to \(candidate.model.name)"
            }
        case .refuse(let claim, let spent, let limit):
            plan.guards.append(TurnGuard(.budgetHard, claim.cap.name))
            plan.verdict = .refuse(BudgetRefusal.error(claim, spent: spent, limit: limit), status: .refused)
        }
        return plan
    }
}
