import SluiceWire

extension TurnRecord {
    /// The ledger record of a turn: its facts, its outcome, its usage (estimated where the upstream
    /// reported none) and its prices.
    ///
    /// - Usage: what the upstream reported. A turn a model may have worked on
    ///   (``TurnStatus/mayHaveUsedTokens``) that reported nothing is counted as its estimated
    ///   prompt plus `outputEstimate`; an answer cut short keeps its reported counts but takes at
    ///   least `outputEstimate` output tokens. Either way the record is marked `estimated`.
    /// - Prices: the actual cost at the answering model's prices; the list baseline; and the two
    ///   counterfactuals (requested, all-frontier) from the session's simulated caches
    ///   (``SessionCaches/price(_:answeredBy:actualCost:requested:baseline:)``), which this moves
    ///   past the turn. A turn no model used tokens for costs nothing in every world, and one whose
    ///   usage is estimated is priced without moving the caches; both leave them alone.
    /// - Reason: the decision's, plus the fallback when one took the turn.
    ///
    /// - Parameters:
    ///   - facts: What was known before forwarding.
    ///   - outcome: How the turn ended.
    ///   - caches: The session's caches; a turn of no session passes fresh ones.
    package init(facts: TurnFacts, outcome: TurnOutcome, caches: inout SessionCaches) {
        var usage = outcome.usage ?? .zero
        var estimated = false
        if outcome.model != nil && outcome.status.mayHaveUsedTokens {
            if outcome.usage == nil {
                usage = Usage(uncachedInput: facts.promptTokensEstimate, output: outcome.outputEstimate)
                estimated = true
            } else if !outcome.complete {
                // A cut stream may carry only `message_start`'s counts: the output so far is a guess.
                usage.output = Swift.max(usage.output, outcome.outputEstimate)
                estimated = true
            }
        }
        var cost = USD.zero
        var baselineList = USD.zero
        var requested = Counterfactual(cost: .zero, coverage: .exact)
        var baseline = requested
        if let model = outcome.model, usage.promptTokens + usage.output > 0 {
            cost = model.price.cost(of: usage, generationMilliseconds: outcome.totalMilliseconds).total
            baselineList = (facts.baseline ?? model).price.listCost(of: usage)
            let turn = CacheTurn(
                thread: CacheTurn.thread(agentID: facts.agentID, isSideCall: facts.isSideCall),
                startedAtMilliseconds: facts.startedAtMilliseconds,
                readyAtMilliseconds: facts.startedAtMilliseconds
                    + Int64(outcome.firstByteMilliseconds ?? outcome.totalMilliseconds),
                usage: usage, request: facts.cacheRequest, generationMilliseconds: outcome.totalMilliseconds)
            let baselineModel = facts.baseline.map { CounterfactualModel.priced($0) }
                ?? .unpriced("the policy names no baseline model for \(facts.clientDialect.rawValue) clients")
            // Estimated counts are Sluice's guess in its own units: they price this turn, but must
            // not move the session's caches, whose prefixes are the upstream's real counts.
            if estimated {
                var scratch = caches
                (requested, baseline) = scratch.price(
                    turn, answeredBy: model, actualCost: cost, requested: facts.requested, baseline: baselineModel)
            } else {
                (requested, baseline) = caches.price(
                    turn, answeredBy: model, actualCost: cost, requested: facts.requested, baseline: baselineModel)
            }
        }
        var reason = facts.reason
        if let fallback = outcome.fallback, let model = outcome.model {
            reason += "; fell back to \(model.name) after \(fallback)"
        }
        self.init(
            id: facts.id, startedAtMilliseconds: facts.startedAtMilliseconds, session: facts.session, tag: facts.tag,
            agentID: facts.agentID, parentAgentID: facts.parentAgentID, isSideCall: facts.isSideCall,
            clientDialect: facts.clientDialect, requestedModel: facts.requestedModel, model: outcome.model?.name ?? "",
            modelID: outcome.model?.id ?? "", upstream: outcome.model?.upstream ?? "", rule: facts.rule, arm: facts.arm,
            reason: reason, shape: facts.shape, toolCategories: facts.toolCategories,
            promptTokensEstimate: facts.promptTokensEstimate, loopDepth: facts.loopDepth, toolError: facts.toolError,
            stream: facts.stream, usage: usage, estimated: estimated, cost: cost,
            baselineModel: facts.baseline?.name ?? "", baselineListCost: baselineList, baselineCost: baseline.cost,
            firstByteMilliseconds: outcome.firstByteMilliseconds, totalMilliseconds: outcome.totalMilliseconds,
            status: outcome.status, httpStatus: outcome.httpStatus, fallback: outcome.fallback,
            requestBytes: outcome.requestBytes, responseBytes: outcome.responseBytes,
            baselineCoverage: baseline.coverage, requestedCost: requested.cost, requestedCoverage: requested.coverage,
            toolCallRepeats: facts.toolCallRepeats, user: facts.user, client: facts.client,
            experiment: facts.experiment, features: facts.features, guardNote: facts.guardNote)
    }

    /// The record of a turn that belongs to no session's history (refused before it could be
    /// planned), or of a lone turn in a test: priced with fresh caches.
    package init(facts: TurnFacts, outcome: TurnOutcome) {
        var caches = SessionCaches()
        self.init(facts: facts, outcome: outcome, caches: &caches)
    }
}
