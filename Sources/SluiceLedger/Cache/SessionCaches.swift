import SluiceWire

/// A session's prompt caches in three worlds (what happened, the requested model answering every
/// turn, the baseline answering every turn), and the pure step that prices each turn's two
/// counterfactuals from them.
///
/// Rules (DESIGN §6; the measured facts are in the reference's caching notes):
///
/// - Token counts come from the turn's real usage. The prompt a turn shares with its thread's
///   previous one is that prompt plus its answer (as far as the new prompt reaches); a shorter
///   prompt (compaction, a rewind) shares only the thread's first prompt.
/// - A counterfactual model reads what its own cache holds, if the entry is alive (idle no longer
///   than its lifetime) and readable (the response that wrote it had begun), rounded down to the
///   model's granularity; below its minimum cacheable length nothing is cached. An explicit cache
///   (Anthropic) writes the rest up to the request's last breakpoint, only when the request marks
///   one, at the lifetime it asks for; an automatic cache (OpenAI, DeepSeek) writes by itself.
///   Where the request does not say, the lifetime the session's recorded writes show applies.
/// - Where the counterfactual model really answered and its simulated cache held what its real
///   cache held, the observed cost is kept exactly and the simulation takes the real state over.
///   After a switch the worlds differ, so the model's own turns are simulated too: the cold
///   start a switch causes shows as a loss, not as a baseline that paid it too.
package struct SessionCaches: Sendable, Hashable, Codable {
    /// The session's threads, least recently used first out once there are ``threadLimit``.
    package var threads: [CacheThread]
    /// Whether the session's recorded writes used the long lifetime; `nil` until one was written.
    package var writesLong: Bool?

    /// Threads kept per session; a forgotten thread's next turn starts cold in every world.
    package static let threadLimit = 32

    package init(threads: [CacheThread] = [], writesLong: Bool? = nil) {
        self.threads = threads
        self.writesLong = writesLong
    }

    /// Prices one turn's two counterfactuals and moves every world past the turn.
    ///
    /// - Parameters:
    ///   - turn: The turn's thread, times, real usage and cache request.
    ///   - actual: The model that answered.
    ///   - actualCost: What the turn really cost.
    ///   - requested: The model the client asked for, or why it has no price.
    ///   - baseline: The policy's baseline model, or why there is none.
    /// - Returns: The requested and the all-frontier counterfactual, each with its coverage.
    package mutating func price(
        _ turn: CacheTurn, answeredBy actual: PricedModel, actualCost: USD, requested: CounterfactualModel,
        baseline: CounterfactualModel
    ) -> (requested: Counterfactual, baseline: Counterfactual) {
        let figures = advance(
            turn, answeredBy: actual, actualCost: actualCost, requested: requested, baseline: baseline, replayed: nil)
        return (figures.requested, figures.baseline)
    }

    /// Prices one turn as another policy would have routed it (`sluice replay`), with the two
    /// counterfactuals, and moves every world past the turn.
    ///
    /// - Parameter replayed: The model the other policy chose for the turn. Where it is the model
    ///   that really answered and its cache in the replayed world held what the real one held,
    ///   the turn's real cost is kept exactly; elsewhere the turn is simulated on it.
    /// - Returns: The turn's cost under the other policy, and the two counterfactuals.
    package mutating func price(
        _ turn: CacheTurn, answeredBy actual: PricedModel, actualCost: USD, requested: CounterfactualModel,
        baseline: CounterfactualModel, replayed: CounterfactualModel
    ) -> (replayed: Counterfactual, requested: Counterfactual, baseline: Counterfactual) {
        let figures = advance(
            turn, answeredBy: actual, actualCost: actualCost, requested: requested, baseline: baseline,
            replayed: replayed)
        return (figures.replayed ?? .unknown("not replayed", actualCost: actualCost), figures.requested, figures.baseline)
    }

    private mutating func advance(
        _ turn: CacheTurn, answeredBy actual: PricedModel, actualCost: USD, requested: CounterfactualModel,
        baseline: CounterfactualModel, replayed: CounterfactualModel?
    ) -> (requested: Counterfactual, baseline: Counterfactual, replayed: Counterfactual?) {
        var turn = turn
        let usage = turn.usage
        // A provider that caches only where a request marks it did cache: the request asked for it,
        // whatever the scan saw; the lifetime then follows the session's writes.
        if turn.request == .off && actual.cache.mode == .explicit && usage.cacheRead + usage.cacheWrite > 0 {
            turn.request = .unstated
        }
        let prompt = usage.promptTokens
        var thread: CacheThread
        if let index = threads.firstIndex(where: { $0.name == turn.thread }) {
            thread = threads.remove(at: index)
            thread.clampCaches(to: thread.sharedPrefix(withPromptOf: prompt))
        } else {
            thread = CacheThread(name: turn.thread, firstPromptTokens: prompt, at: turn.startedAtMilliseconds)
        }
        if usage.cacheWrite1h > 0 {
            writesLong = true
        } else if usage.cacheWrite5m > 0 {
            writesLong = false
        }
        let step = Step(turn: turn, actual: actual, actualCost: actualCost, writesLong: writesLong, thread: thread)
        let requestedFigure = step.counterfactual(requested, world: &thread.requested)
        let baselineFigure = step.counterfactual(baseline, world: &thread.baseline)
        let replayedFigure = replayed.map { step.counterfactual($0, world: &thread.replayed) }
        thread.actual[model: step.actualKey] = step.actualAfter
        thread.lastPromptTokens = prompt
        thread.lastOutputTokens = usage.output
        thread.lastTurnAtMilliseconds = turn.startedAtMilliseconds
        threads.append(thread)
        if threads.count > Self.threadLimit {
            threads.sort { $0.lastTurnAtMilliseconds < $1.lastTurnAtMilliseconds }
            threads.removeFirst(threads.count - Self.threadLimit)
        }
        return (requestedFigure, baselineFigure, replayedFigure)
    }
}

/// One turn's pricing, with what every world needs computed once.
private struct Step {
    let turn: CacheTurn
    let actual: PricedModel
    let actualCost: USD
    let writesLong: Bool?
    let actualKey: String
    /// The answering model's real cache before the turn, and after it.
    let actualBefore: SimulatedCache?
    let actualAfter: SimulatedCache?
    /// Prompt tokens after the request's last breakpoint, which an explicit cache never holds.
    let tail: Int

    init(turn: CacheTurn, actual: PricedModel, actualCost: USD, writesLong: Bool?, thread: CacheThread) {
        self.turn = turn
        self.actual = actual
        self.actualCost = actualCost
        self.writesLong = writesLong
        actualKey = ModelIdentity.normalized(actual.id)
        actualBefore = thread.actual[model: actualKey]
        let usage = turn.usage
        // Anthropic's uncached input is exactly what follows the last breakpoint; other caches
        // report what they missed, which says nothing about where a breakpoint would be.
        tail = actual.cache.mode == .explicit && usage.cacheRead + usage.cacheWrite > 0 ? usage.uncachedInput : 0
        actualAfter = Self.realEntry(turn, model: actual, key: actualKey, before: actualBefore, writesLong: writesLong)
    }

    /// The figure for one counterfactual world, which it moves past the turn.
    func counterfactual(_ candidate: CounterfactualModel, world: inout [SimulatedCache]) -> Counterfactual {
        let model: PricedModel
        switch candidate {
        case .priced(let priced): model = priced
        case .unpriced(let reason): return .unknown(reason, actualCost: actualCost)
        }
        let key = ModelIdentity.normalized(model.id)
        let start = turn.startedAtMilliseconds
        let before = world[model: key]
        if key == actualKey
            && (before?.readableTokens(at: start) ?? 0) == (actualBefore?.readableTokens(at: start) ?? 0)
        {
            world[model: key] = actualAfter
            return Counterfactual(cost: actualCost, coverage: .exact)
        }
        guard model.price.canEstimateGeneration else {
            return .unknown(
                "\(model.id) is priced per second of generation and its price has no tokens_per_second",
                actualCost: actualCost)
        }
        let (usage, after) = simulate(model, key: key, before: before)
        world[model: key] = after
        let seconds = key == actualKey ? turn.generationMilliseconds : nil
        return Counterfactual(cost: model.price.cost(of: usage, generationMilliseconds: seconds).total, coverage: .simulated)
    }

    /// The turn's usage on `model` with its simulated cache, and that cache after the turn.
    private func simulate(_ model: PricedModel, key: String, before: SimulatedCache?) -> (Usage, SimulatedCache?) {
        let behaviour = model.cache
        let real = turn.usage
        let prompt = real.promptTokens
        let readable = before?.readableTokens(at: turn.startedAtMilliseconds) ?? 0
        var read = 0
        var write = 0
        var after = before
        let long = Self.isLong(turn.request, behaviour: behaviour, writesLong: writesLong)
        if Self.caches(behaviour, turn.request) && prompt >= behaviour.minimumTokens {
            var held = 0
            switch behaviour.mode {
            case .explicit:
                let cacheable = max(0, prompt - tail)
                if cacheable >= behaviour.minimumTokens {
                    read = min(readable, cacheable)
                    write = cacheable - read
                    held = cacheable
                }
            case .automatic:
                read = min(readable, prompt) / behaviour.granularity * behaviour.granularity
                if read < behaviour.minimumTokens { read = 0 }
                write = prompt - read
                held = prompt + (behaviour.cachesOutput ? real.output : 0)
            case .none:
                break
            }
            if held > 0 {
                after = SimulatedCache(
                    model: key, tokens: held, priorTokens: readable, readableAtMilliseconds: turn.readyAtMilliseconds,
                    refreshedAtMilliseconds: turn.readyAtMilliseconds,
                    lifetimeMilliseconds: long ? behaviour.longLifetimeMilliseconds : behaviour.shortLifetimeMilliseconds)
            }
        }
        let usage = Usage(
            uncachedInput: prompt - read - write, cacheRead: read, cacheWrite5m: long ? 0 : write,
            cacheWrite1h: long ? write : 0, output: real.output, reasoning: real.reasoning,
            webSearchRequests: real.webSearchRequests)
        return (usage, after)
    }

    /// The answering model's real cache after the turn, from what its usage reported.
    private static func realEntry(
        _ turn: CacheTurn, model: PricedModel, key: String, before: SimulatedCache?, writesLong: Bool?
    ) -> SimulatedCache? {
        let behaviour = model.cache
        let usage = turn.usage
        let held: Int
        let lifetime: Int64
        switch behaviour.mode {
        case .explicit:
            held = usage.cacheRead + usage.cacheWrite
            if usage.cacheWrite1h > 0 {
                lifetime = behaviour.longLifetimeMilliseconds
            } else if usage.cacheWrite5m > 0 {
                lifetime = behaviour.shortLifetimeMilliseconds
            } else {
                lifetime = before?.lifetimeMilliseconds ?? behaviour.shortLifetimeMilliseconds
            }
        case .automatic:
            held = usage.promptTokens >= behaviour.minimumTokens
                ? usage.promptTokens + (behaviour.cachesOutput ? usage.output : 0) : 0
            lifetime = isLong(turn.request, behaviour: behaviour, writesLong: writesLong)
                ? behaviour.longLifetimeMilliseconds : behaviour.shortLifetimeMilliseconds
        case .none:
            held = 0
            lifetime = 0
        }
        guard held > 0 else { return before }
        return SimulatedCache(
            model: key, tokens: held, priorTokens: usage.cacheRead, readableAtMilliseconds: turn.readyAtMilliseconds,
            refreshedAtMilliseconds: turn.readyAtMilliseconds, lifetimeMilliseconds: lifetime)
    }

    /// Whether `behaviour` caches anything for a request that asked `request`.
    private static func caches(_ behaviour: CacheBehaviour, _ request: CacheRequest) -> Bool {
        switch behaviour.mode {
        case .explicit: request != .off
        case .automatic: true
        case .none: false
        }
    }

    /// Whether entries get the long lifetime: the request asked for more than the short one, or,
    /// where it does not say, the session's recorded writes were long.
    private static func isLong(_ request: CacheRequest, behaviour: CacheBehaviour, writesLong: Bool?) -> Bool {
        switch request {
        case .lifetime(let milliseconds): milliseconds > behaviour.shortLifetimeMilliseconds
        case .unstated: writesLong ?? false
        case .off: false
        }
    }
}
