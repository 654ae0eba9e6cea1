package import SluiceLedger
import SluiceWire

/// What Sluice remembers about a session between its turns: a value the turn plan reads, and
/// that ``next(_:after:record:)`` derives from each turn's plan and ledger record.
///
/// Kept behind ``SessionStateStore``: one gateway keeps states in memory, several gateways that
/// share a ledger will share them too, and neither the plan nor this type changes.
package struct SessionState: Sendable, Hashable, Codable {
    /// The key the session's turns are recorded under: the scanned key, or, for a fingerprinted
    /// conversation, the key of its current run (see ``SessionIdentity``).
    package var key: String
    /// Turns recorded, side calls included.
    package var turns: Int
    /// Estimated prompt tokens of the latest turn of the conversation (side calls aside); `nil`
    /// until one was recorded.
    package var promptTokens: Int?
    /// Assistant messages the latest turn's request carried; none means the conversation was at
    /// its start.
    package var assistantMessages: Int
    /// The policy model that answered the latest turn of the conversation; `nil` until one did.
    package var answeredModel: String?
    /// Prompt tokens that turn read from the model's cache, as the upstream reported.
    package var cacheRead: Int
    /// Tool follow-ups in a row since the last user turn.
    package var toolLoopTurns: Int
    /// Turns in a row whose latest tool call repeated the one before it (a loop in the making).
    package var repeatedCallTurns: Int
    /// What the session's turns have cost so far.
    package var cost: USD
    /// When the latest turn arrived, in Unix milliseconds.
    package var lastTurnAtMilliseconds: Int64
    /// The session's prompt caches as they were and as the counterfactual models' would be.
    package var caches: SessionCaches
    /// The output of the conversation's recent answered turns (halved toward each new one);
    /// `nil` until one answered: what a budget reserves for the next turn's answer.
    package var outputTokens: Int?
    /// The calls each thread (the main agent, each subagent) repeated in its latest tool-loop
    /// turn, so that subagents looping in parallel count together.
    package var loopThreads: [LoopThread] = []
    /// The calls the session's loops were stopped on (their prints), latest last: made again,
    /// they are stopped at once.
    package var stoppedCalls: [UInt64] = []
    /// The experiment arm the session was assigned when Sluice first saw it; `nil` when it is in
    /// no experiment (and then it stays out, see ``RoutingPolicy/assignment(for:state:remembered:)``).
    package var arm: ArmAssignment?

    package init(
        key: String, turns: Int = 0, promptTokens: Int? = nil, assistantMessages: Int = 0, answeredModel: String? = nil,
        cacheRead: Int = 0, toolLoopTurns: Int = 0, repeatedCallTurns: Int = 0, cost: USD = .zero,
        lastTurnAtMilliseconds: Int64 = 0, caches: SessionCaches = SessionCaches(), arm: ArmAssignment? = nil
    ) {
        self.key = key
        self.turns = turns
        self.promptTokens = promptTokens
        self.assistantMessages = assistantMessages
        self.answeredModel = answeredModel
        self.cacheRead = cacheRead
        self.toolLoopTurns = toolLoopTurns
        self.repeatedCallTurns = repeatedCallTurns
        self.cost = cost
        self.lastTurnAtMilliseconds = lastTurnAtMilliseconds
        self.caches = caches
        self.arm = arm
    }

    /// A finished turn's ledger record and the session's state after it, in one pure step.
    ///
    /// The record's counterfactuals need the session's caches and the next state needs the
    /// record, so the two are made together, inside one atomic update of the store
    /// (``SessionStateStore/update(_:_:)``): two turns of one session that end together are
    /// priced one after the other, never from the same caches.
    ///
    /// - Parameters:
    ///   - state: The state stored for the session now.
    ///   - facts: What was known before forwarding.
    ///   - outcome: How the turn ended.
    ///   - plan: The turn's plan.
    /// - Returns: The state to keep and the record to write.
    package static func recording(
        _ state: SessionState?, facts: TurnFacts, outcome: TurnOutcome, plan: TurnPlan
    ) -> (state: SessionState, record: TurnRecord) {
        let current = state.flatMap { $0.key == plan.session.key ? $0 : nil }
        var caches = current?.caches ?? SessionCaches()
        let record = TurnRecord(facts: facts, outcome: outcome, caches: &caches)
        var after = Self.next(current, after: plan, record: record)
        after.caches = caches
        return (after, record)
    }

    /// The session's state after a turn.
    ///
    /// A turn of another run than the stored state's (a fingerprinted conversation that started
    /// again) starts from nothing; turns of one run that end together all count. Side calls add
    /// their turn and cost but leave the conversation's facts alone: a title request is not the
    /// prompt the next turn grows from, and the model that answered it is not the one whose cache
    /// the conversation warmed. Only a turn that ended `ok` names the model that answered.
    ///
    /// - Parameters:
    ///   - state: The state the turn's plan read (or the store holds now).
    ///   - plan: The turn's plan.
    ///   - record: The turn's ledger record.
    /// - Returns: The state to keep.
    package static func next(_ state: SessionState?, after plan: TurnPlan, record: TurnRecord) -> SessionState {
        var next =
            state.flatMap { $0.key == plan.session.key ? $0 : nil }
            ?? SessionState(key: plan.session.key, arm: plan.arm?.assignment)
        next.turns += 1
        next.cost += record.cost
        next.lastTurnAtMilliseconds = record.startedAtMilliseconds
        let features = plan.features
        guard features.shape != .sideCall else { return next }
        next.notingCalls(of: features, at: record.startedAtMilliseconds)
        if let trip = plan.loop, trip.action == .stop, case .answer = plan.verdict, let call = trip.call,
            !next.stoppedCalls.contains(call.print)
        {
            next.stoppedCalls.append(call.print)
            if next.stoppedCalls.count > maxStoppedCalls { next.stoppedCalls.removeFirst() }
        }
        next.promptTokens = features.promptTokens
        next.assistantMessages = features.assistantMessages
        if record.status == .ok && !record.model.isEmpty {
            next.answeredModel = record.model
            next.cacheRead = record.usage.cacheRead
            next.outputTokens = next.outputTokens.map { ($0 + record.usage.output) / 2 } ?? record.usage.output
        }
        switch features.shape {
        case .toolFollowup: next.toolLoopTurns += 1
        case .userTurn: next.toolLoopTurns = 0
        case .sideCall, .other: break
        }
        next.repeatedCallTurns = features.toolCallRepeats > 0 ? next.repeatedCallTurns + 1 : 0
        return next
    }
}

/// One thread's repeated calls as of its latest turn.
package struct LoopThread: Sendable, Hashable, Codable {
    /// `main`, or the subagent's id.
    package var thread: String
    package var atMilliseconds: Int64
    package var repeated: [RepeatedCall]

    package init(thread: String, atMilliseconds: Int64, repeated: [RepeatedCall]) {
        self.thread = thread
        self.atMilliseconds = atMilliseconds
        self.repeated = repeated
    }
}

extension SessionState {
    /// Threads whose latest turn is older than this no longer count toward a loop.
    package static let loopThreadLifetimeMilliseconds: Int64 = 10 * 60 * 1_000
    /// Threads remembered at most; the oldest is forgotten first.
    static let maxLoopThreads = 16
    /// Stopped calls remembered at most; the oldest is forgotten first.
    static let maxStoppedCalls = 16

    /// The repeated calls of the session's threads other than `thread` that are recent at `now`.
    package func repeatedCalls(otherThan thread: String, at now: Int64) -> [RepeatedCall] {
        loopThreads.filter { $0.thread != thread && now - $0.atMilliseconds <= Self.loopThreadLifetimeMilliseconds }
            .flatMap(\.repeated)
    }

    /// Keeps the repeated calls of the thread `features` came from.
    mutating func notingCalls(of features: TurnFeatures, at now: Int64) {
        let thread = features.subagent ?? "main"
        loopThreads.removeAll { $0.thread == thread }
        guard features.shape == .toolFollowup, !features.callWindow.repeated.isEmpty else { return }
        loopThreads.append(LoopThread(thread: thread, atMilliseconds: now, repeated: features.callWindow.repeated))
        if loopThreads.count > Self.maxLoopThreads { loopThreads.removeFirst(loopThreads.count - Self.maxLoopThreads) }
    }
}
