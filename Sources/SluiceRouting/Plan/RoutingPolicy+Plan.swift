package import SluiceLedger
import SluiceWire

extension RoutingPolicy {
    /// Plans one turn: its session, its features, the decision, the candidates with their routes,
    /// the baseline, and whether it goes upstream at all.
    ///
    /// The one function serve, explain and replay share:
    ///
    /// 1. The session: the scanned key, or a new run of a fingerprinted conversation
    ///    (``SessionIdentity/resolve(_:state:at:)``).
    /// 2. Features that need the session: `new_prompt_tokens`, the growth since the session's
    ///    previous turn (the whole prompt when the history shrank, as after compaction); and the
    ///    next-move model's `p_cheap`, when the policy names one.
    /// 3. The decision: the session's experiment arm, if it has one
    ///    (``assignment(for:state:remembered:)``), then the arm's rules or the policy's
    ///    (``decide(for:rules:tracing:)``), then stickiness
    ///    (``applyingStickiness(to:features:session:)``); a cost-matched random control draws its
    ///    model instead.
    /// 4. The candidates: the chosen model, then each of its fallbacks that can serve the turn
    ///    (``refusal(of:for:)``) and whose key is set, each with its ``UpstreamRoute``.
    /// 5. The verdict: refused when no model was chosen (`no_route`), or when the chosen model's
    ///    upstream needs a key that is not set (`misconfigured`: a configuration error is not a
    ///    reason to fall back).
    /// 6. The shadow, if one mirrors the turn (``shadow(for:scanned:operation:turn:at:)``).
    ///
    /// ```swift
    /// let plan = policy.plan(scanned, session: await store.state(of: scanned.session), at: now)
    /// ```
    ///
    /// - Parameters:
    ///   - scanned: The request as scanned.
    ///   - state: The state stored under `scanned.session`, if any.
    ///   - operation: What the client's endpoint does.
    ///   - now: When the turn arrived, Unix milliseconds.
    ///   - experiments: The arm remembered for a session with no state, and the random controls' tallies.
    ///   - tracing: Whether the decision keeps why each rule did not match (for `policy explain`).
    /// - Returns: The plan; never fails (a refusal is a verdict).
    package func plan(
        _ scanned: ScannedRequest, session state: SessionState?, operation: TurnOperation = .answer, at now: Int64,
        experiments context: ExperimentContext = ExperimentContext(), headers: TurnHeaders = TurnHeaders(),
        tracing: Bool = false
    ) -> TurnPlan {
        let session = SessionIdentity.resolve(scanned, state: state, at: now)
        let state = session.startsRun ? nil : state
        var features = scanned.features
        if let previous = state?.promptTokens {
            let prompt = features.promptTokens
            features.newPromptTokens = prompt >= previous ? prompt - previous : prompt
        }
        features.nextMove = nextMoveModel?.predict(features)
        var decision: RoutingDecision
        var arm: PlannedArm?
        // What the ledger remembers is about the scanned key; a new run of it is a new session.
        let remembered = session.key == scanned.session ? context.remembered : nil
        if !experiments.isEmpty,
            let (experiment, chosen) = assignment(for: session.key, state: state, remembered: remembered)
        {
            let assignment = ArmAssignment(experiment: experiment.name, arm: chosen.name)
            if let matchedName = chosen.matches, let matched = experiment.arm(named: matchedName) {
                let random = randomControlDecision(
                    experiment: experiment, matched: matched, features: features, sessionKey: session.key,
                    turn: state?.turns ?? 0, tally: context.tallies[ExperimentTally.key(experiment: experiment.name, arm: chosen.name)], tracing: tracing)
                decision = random.decision
                arm = PlannedArm(assignment: assignment, matchedModel: random.matchedModel)
            } else {
                decision = applyingStickiness(
                    to: decide(for: features, rules: chosen.rules, tracing: tracing), features: features,
                    session: state)
                arm = PlannedArm(assignment: assignment)
            }
        } else {
            decision = applyingStickiness(to: decide(for: features, tracing: tracing), features: features, session: state)
        }
        var guards: [TurnGuard] = []
        // Only answers can loop: a token count of the same conversation is not a step of the agent.
        let trip = operation != .answer ? nil : loopBreaker.flatMap { breaker in
            breaker.trip(
                features, others: state?.repeatedCalls(otherThan: features.subagent ?? "main", at: now) ?? [],
                stopped: state?.stoppedCalls ?? [])
        }
        if decision.hasModel, let trip {
            switch trip.action {
            case .warn: guards.append(TurnGuard(.loopWarn, trip.pattern.rawValue))
            case .escalate:
                guards.append(TurnGuard(.loopEscalate, trip.pattern.rawValue))
                decision = escalating(decision, out: trip, features: features)
            case .stop: guards.append(TurnGuard(.loopStop, trip.pattern.rawValue))
            }
        }
        let baseline = baselineModel(for: features.dialect)
        let requested = requestedModel(features.requestedModel, at: now)
        guard decision.hasModel, let chosen = models[decision.model],
            let route = route(to: chosen, scanned: scanned, operation: operation)
        else {
            let error = ClientError(.noRoute, "Sluice has no route for this request: \(decision.reason)")
            var plan = TurnPlan(
                session: session, features: features, decision: decision, candidates: [], baseline: baseline,
                requested: requested, arm: arm, verdict: .refuse(error, status: .invalidRequest))
            plan.guards = guards
            return plan
        }
        var candidates = [PlannedCandidate(model: chosen, route: route, at: now)]
        for name in chosen.fallbacks {
            guard let fallback = models[name], !candidates.contains(where: { $0.model.name == name }),
                refusal(of: fallback, for: features) == nil,
                let route = self.route(to: fallback, scanned: scanned, operation: operation),
                !route.credentials.isMissing
            else { continue }
            candidates.append(PlannedCandidate(model: fallback, route: route, at: now))
        }
        var verdict = TurnVerdict.forward
        if case .missing(let variable) = route.credentials {
            verdict = .refuse(
                ClientError(
                    .internalError,
                    "Sluice cannot reach model \"\(chosen.name)\": its upstream \"\(route.upstream)\" sends the key in "
                        + "$\(variable), which is not set where Sluice runs."),
                status: .misconfigured)
        }
        if let trip, trip.action == .stop, verdict == .forward { verdict = .answer(text: trip.stopMessage) }
        var plan = TurnPlan(
            session: session, features: features, decision: decision, candidates: candidates, baseline: baseline,
            requested: requested, arm: arm, verdict: verdict)
        plan.guards = guards
        plan.loop = trip
        if let budgets, verdict == .forward, operation == .answer, let first = candidates.first {
            plan.budget = budgetPlan(
                budgets, chosen: first, scanned: scanned, features: features, state: state, headers: headers,
                operation: operation, session: session.key, at: now)
        }
        if !shadows.isEmpty {
            plan.shadow = shadow(for: plan, scanned: scanned, operation: operation, turn: state?.turns ?? 0, at: now)
        }
        return plan
    }

    /// The model the client asked for, as the requested counterfactual prices it: the policy's
    /// model of that name, or the one whose id it names (a dated snapshot id included), or the
    /// price book's entry for it.
    ///
    /// - Parameters:
    ///   - requested: The request's `model` value.
    ///   - time: When the turn ran, for the price in force that day.
    /// - Returns: The model priced, or why it has no price.
    package func requestedModel(_ requested: String, at time: Int64) -> CounterfactualModel {
        let trimmed = requested.trimmingWhitespace()
        guard !trimmed.isEmpty else { return .unpriced("the request named no model") }
        if let model = models[trimmed] { return .priced(model.priced(at: time)) }
        if let name = modelNamesByID[ModelIdentity.normalized(trimmed)], let model = models[name] {
            return .priced(model.priced(at: time))
        }
        let shown = String(trimmed.prefix(80))
        guard let entry = priceBook.entry(for: trimmed) else {
            return .unpriced("no price for the requested model \"\(shown)\"")
        }
        guard let model = entry.priced(at: time) else {
            return .unpriced("the price book has no price for \"\(shown)\" in force on that day")
        }
        return .priced(model)
    }

    /// The decision with its model replaced by the baseline, for a loop the breaker escalates; the
    /// decision as it was when the baseline cannot take the turn.
    private func escalating(_ decision: RoutingDecision, out trip: LoopTrip, features: TurnFeatures) -> RoutingDecision {
        guard let frontier = baselineModel(for: features.dialect), frontier.name != decision.model,
            refusal(of: frontier, for: features) == nil
        else { return decision }
        var escalated = decision.sending(to: frontier)
        escalated.reason += "; the loop breaker found a \(trip.pattern.rawValue) loop and escalated to \(frontier.name)"
        return escalated
    }

    /// The budgets of a turn going to `chosen`: the caps that apply to its session, user, tag and
    /// tier, its expected cost inputs from the session's recent turns, and the cheaper models its
    /// soft limits name that could take it.
    private func budgetPlan(
        _ budgets: Budgets, chosen: PlannedCandidate, scanned: ScannedRequest, features: TurnFeatures,
        state: SessionState?, headers: TurnHeaders, operation: TurnOperation, session: String, at now: Int64
    ) -> BudgetPlan? {
        let user = headers.user(reading: features)
        let tier = budgets.tier(user: user, tag: headers.tag, headerValue: headers.tier)
        let claims = budgets.claims(session: session, user: user, tag: headers.tag, tier: tier)
        guard !claims.isEmpty else { return nil }
        var budget = BudgetPlan(
            claims: claims, tier: tier, dialect: features.dialect, promptTokens: features.promptTokens,
            warmModel: state?.answeredModel, warmTokens: state?.cacheRead ?? 0,
            outputTokens: state?.outputTokens ?? BudgetPlan.firstTurnOutputTokens)
        let chosenCost = budget.reservation(on: chosen)
        for claim in claims {
            guard let name = claim.cap.soft?.models[features.dialect], budget.softCandidates[name] == nil,
                name != chosen.model.name, let model = models[name], refusal(of: model, for: features) == nil,
                let route = route(to: model, scanned: scanned, operation: operation), !route.credentials.isMissing
            else { continue }
            let candidate = PlannedCandidate(model: model, route: route, at: now)
            if budget.reservation(on: candidate) < chosenCost { budget.softCandidates[name] = candidate }
        }
        return budget
    }

    /// The route to `model`'s upstream for this request, or `nil` when it cannot be reached in
    /// the client's dialect.
    private func route(to model: ModelSpec, scanned: ScannedRequest, operation: TurnOperation) -> UpstreamRoute? {
        guard let upstream = upstreams[model.upstream] else { return nil }
        return UpstreamRoute.to(
            upstream, clientDialect: scanned.features.dialect, operation: operation,
            edits: scanned.edits(routedModelID: model.id), dropsUsageChunk: scanned.usageOptionEdit != nil)
    }
}

extension UpstreamRoute.Credentials {
    /// Whether the key this route needs is not set.
    var isMissing: Bool {
        if case .missing = self { return true }
        return false
    }
}
