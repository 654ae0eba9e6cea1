import SluiceWire

/// A pattern in a session's turns that spends money without moving the work forward.
///
/// The expensive sessions of the long tail are rarely expensive because the task was big; they
/// retry, loop on a tool, resend a growing uncached context, or send chores to the frontier
/// model. Each flag names one such pattern so the top-sessions list says where to look. The
/// checks read only the ledger's rows (no prompt text), so they are heuristics: a flag is a
/// reason to open ``SessionDetailReport``, not a verdict.
///
/// ```swift
/// for tally in WasteFlag.tally(turnsOfOneSession) {
///     print(tally.flag.name, tally.turns)   // "tool loop 4"
/// }
/// ```
package enum WasteFlag: String, Sendable, Hashable, CaseIterable {
    /// A turn that resends its thread's previous request unchanged, or repeats it after it failed.
    case retries
    /// A turn whose model made the identical tool call three or more times in a row.
    case toolLoop = "tool_loop"
    /// Main-thread turns resending a large, growing prompt with no cache reads.
    case contextBloat = "context_bloat"
    /// Side calls (titles, summaries, probes) that the frontier baseline model answered.
    case frontierSideCalls = "frontier_side_calls"
    /// Turns the gateway flagged while the session ran: its cost past its tag's p90 multiple, or
    /// spending faster than its own earlier pace (the `anomalies:` section).
    case costAnomaly = "cost_anomaly"
    /// Turns a guard acted on: sent to a cheaper model past a soft limit, refused at a hard one, or
    /// caught in a loop (warned, escalated or stopped).
    case guarded

    /// How many turns of a session one flag applies to.
    package struct Tally: Sendable, Hashable {
        /// The pattern.
        package var flag: WasteFlag
        /// The session's turns that show it.
        package var turns: Int

        package init(flag: WasteFlag, turns: Int) {
            self.flag = flag
            self.turns = turns
        }
    }

    /// The prompt size from which resending without cache reads counts as bloat.
    package static let bloatPromptTokens = 20_000
    /// How many growing, uncached main-thread turns in a row make bloat.
    package static let bloatRunLength = 3
    /// Repeats of the previous tool call (``TurnRecord/toolCallRepeats``) from which the turn is
    /// in a loop: 2 repeats is the third identical call.
    package static let toolLoopRepeats = 2

    /// The flag for people, a few words: `"retries"`, `"tool loop"`.
    package var name: String {
        switch self {
        case .retries: "retries"
        case .toolLoop: "tool loop"
        case .contextBloat: "context bloat"
        case .frontierSideCalls: "frontier side calls"
        case .costAnomaly: "cost anomaly"
        case .guarded: "guarded"
        }
    }

    /// What the flag means and what to do about it, one sentence for a report's legend.
    package var description: String {
        switch self {
        case .retries:
            "turns that resend the thread's previous request unchanged, or repeat it after it failed; "
                + "check rate limits, timeouts and fallbacks"
        case .toolLoop:
            "turns after the model made the identical tool call 3 or more times in a row; "
                + "a loop breaker would stop them"
        case .contextBloat:
            "3+ consecutive main-thread turns with a growing prompt of 20,000+ tokens and no cache "
                + "reads; enable prompt caching or compact the context"
        case .frontierSideCalls:
            "side calls (titles, summaries, probes) answered by the frontier baseline model; "
                + "route them to a small model"
        case .costAnomaly:
            "turns flagged while the session ran: its cost past the policy's multiple of its tag's p90, "
                + "or spending faster than its own earlier pace"
        case .guarded:
            "turns a budget or the loop breaker acted on (cheaper model, refused, loop warned, escalated "
                + "or stopped); see each turn's guard"
        }
    }

    /// The flags one session shows, with the number of turns each applies to: the turns
    /// ``byTurn(_:)`` marks, counted.
    ///
    /// - Parameter turns: The session's turns, in any order.
    /// - Returns: The flags with at least one turn, in declaration order.
    package static func tally(_ turns: [TurnRecord]) -> [Tally] {
        var counts: [WasteFlag: Int] = [:]
        for flags in byTurn(turns).values {
            for flag in flags { counts[flag, default: 0] += 1 }
        }
        return allCases.compactMap { flag in counts[flag].map { Tally(flag: flag, turns: $0) } }
    }

    /// The flags each turn of one session shows, by turn id (turns without one are absent), in
    /// declaration order: so a reader can see *which* turns looped or resent a bloated context,
    /// and the tally counts exactly those.
    ///
    /// - Parameter turns: The session's turns; sorted chronologically (by start time, then id)
    ///   here, so any order works.
    package static func byTurn(_ turns: [TurnRecord]) -> [String: [WasteFlag]] {
        let ordered = turns.sorted(by: TurnRecord.chronologically)
        var marked: [String: Set<WasteFlag>] = [:]
        var previousInThread: [String: TurnRecord] = [:]
        for turn in ordered {
            if let previous = previousInThread[turn.thread], isRetry(turn, of: previous) {
                marked[turn.id, default: []].insert(.retries)
            }
            previousInThread[turn.thread] = turn
            if (turn.toolCallRepeats ?? 0) >= toolLoopRepeats { marked[turn.id, default: []].insert(.toolLoop) }
            if isFrontierSideCall(turn) { marked[turn.id, default: []].insert(.frontierSideCalls) }
            if let note = turn.guardNote {
                if note.contains(TurnGuardWords.anomaly) { marked[turn.id, default: []].insert(.costAnomaly) }
                if TurnGuardWords.isAction(note) { marked[turn.id, default: []].insert(.guarded) }
            }
        }
        for id in bloatedTurnIDs(ordered) {
            marked[id, default: []].insert(.contextBloat)
        }
        return marked.mapValues { flags in allCases.filter { flags.contains($0) } }
    }

    /// Whether `turn` repeats `previous`, the thread's turn before it: the same shape, and either
    /// the very same request again (same size in bytes and in estimated tokens: a client timeout,
    /// a double submit) or, after `previous` failed, a prompt estimate within 1 % of it.
    ///
    /// Time is no signal: an agent's next turn often follows within seconds with a prompt only a
    /// few hundred tokens longer, which is progress, not a retry.
    package static func isRetry(_ turn: TurnRecord, of previous: TurnRecord) -> Bool {
        guard turn.shape == previous.shape else { return false }
        if let bytes = turn.requestBytes, bytes > 0, bytes == previous.requestBytes,
            turn.promptTokensEstimate == previous.promptTokensEstimate
        {
            return true
        }
        let larger = max(turn.promptTokensEstimate, previous.promptTokensEstimate)
        return previous.status != .ok
            && abs(turn.promptTokensEstimate - previous.promptTokensEstimate) * 100 <= larger
    }

    /// Whether the frontier baseline answered a side call that a small model could have taken.
    package static func isFrontierSideCall(_ turn: TurnRecord) -> Bool {
        turn.isSideCall && !turn.baselineModel.isEmpty && turn.model == turn.baselineModel
    }

    /// Main-thread turns in runs of ``bloatRunLength`` or more consecutive main-thread turns whose
    /// prompt grows from turn to turn, is at least ``bloatPromptTokens``, and reads nothing from
    /// a cache. Subagent turns and side calls in between neither extend nor break a run.
    private static func bloatedTurnIDs(_ ordered: [TurnRecord]) -> [String] {
        var bloated: [String] = []
        var run: [String] = []
        var previousPrompt = 0
        for turn in ordered where turn.isMainThread {
            let prompt = turn.usage.promptTokens
            let uncachedAndLarge = prompt >= bloatPromptTokens && turn.usage.cacheRead == 0
            if uncachedAndLarge, !run.isEmpty, prompt > previousPrompt {
                run.append(turn.id)
            } else {
                if run.count >= bloatRunLength { bloated += run }
                run = uncachedAndLarge ? [turn.id] : []
            }
            previousPrompt = prompt
        }
        if run.count >= bloatRunLength { bloated += run }
        return bloated
    }
}

/// How the guard column reads, for the flags: the routing module writes it (`TurnGuard`), the
/// ledger only reads it.
enum TurnGuardWords {
    static let anomaly = "anomaly"

    /// Whether a guard note names a budget or loop action (anything but an anomaly flag).
    static func isAction(_ note: String) -> Bool {
        note.split(separator: ",").contains { !$0.hasPrefix(anomaly) }
    }
}
