import SluiceWire

extension TurnRecord {
    /// The ledger record of a turn: its facts, its outcome, its usage (estimated where the upstream
    /// reported none) and its three prices.
    ///
    /// - Usage: what the upstream reported. A turn a model may have worked on
    ///   (``TurnStatus/mayHaveUsedTokens``) that reported nothing is counted as its estimated
    ///   prompt plus `outputEstimate`; an answer cut short keeps its reported counts but takes at
    ///   least `outputEstimate` output tokens. Either way the record is marked `estimated`.
    /// - Prices: ``TurnPricing`` against the facts' baseline. A turn nothing answered costs
    ///   nothing; a turn whose policy names no baseline claims no saving (both baselines equal the
    ///   turn's own prices).
    /// - Reason: the decision's, plus the fallback when one took the turn.
    ///
    /// - Parameters:
    ///   - facts: What was known before forwarding.
    ///   - outcome: How the turn ended.
    package init(facts: TurnFacts, outcome: TurnOutcome) {
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
        var baselineCost = USD.zero
        if let model = outcome.model {
            let baseline = facts.baseline ?? model
            let priced = TurnPricing.price(
                usage: usage, actual: model.price, baseline: baseline.price, baselineIsActual: baseline.name == model.name)
            cost = priced.cost
            baselineList = priced.baselineList
            baselineCost = priced.baseline
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
            baselineModel: facts.baseline?.name ?? "", baselineListCost: baselineList, baselineCost: baselineCost,
            firstByteMilliseconds: outcome.firstByteMilliseconds, totalMilliseconds: outcome.totalMilliseconds,
            status: outcome.status, httpStatus: outcome.httpStatus, fallback: outcome.fallback,
            requestBytes: outcome.requestBytes, responseBytes: outcome.responseBytes)
    }
}
