import SluiceWire

/// Which waste flags each turn of a session shows, for the session page's call tree.
///
/// ``WasteFlag/tally(_:)`` counts a session's turns per flag; the call tree needs the turns
/// themselves, so a reader can see *which* turns looped or resent a bloated context. The
/// checks are ``WasteFlag``'s own (``WasteFlag/isRetry(_:of:)``, ``WasteFlag/isFrontierSideCall(_:)``,
/// the tool-loop threshold, the guard column's words); only the context-bloat run, which
/// ``WasteFlag`` keeps private, is walked again here by the same rule, so that every turn the
/// tally counts is the one marked here.
enum DashboardTurnFlags {
    /// The flags of each turn, by turn id; turns without flags are absent.
    ///
    /// - Parameter ordered: One session's turns, chronologically (``TurnRecord/chronologically``).
    static func flags(_ ordered: [TurnRecord]) -> [String: [WasteFlag]] {
        var marked: [String: Set<WasteFlag>] = [:]
        var previousInThread: [String: TurnRecord] = [:]
        for turn in ordered {
            if let previous = previousInThread[turn.thread], WasteFlag.isRetry(turn, of: previous) {
                marked[turn.id, default: []].insert(.retries)
            }
            previousInThread[turn.thread] = turn
            if (turn.toolCallRepeats ?? 0) >= WasteFlag.toolLoopRepeats {
                marked[turn.id, default: []].insert(.toolLoop)
            }
            if WasteFlag.isFrontierSideCall(turn) { marked[turn.id, default: []].insert(.frontierSideCalls) }
            if let note = turn.guardNote {
                if note.contains(TurnGuardWords.anomaly) { marked[turn.id, default: []].insert(.costAnomaly) }
                if TurnGuardWords.isAction(note) { marked[turn.id, default: []].insert(.guarded) }
            }
        }
        for id in bloatedTurnIDs(ordered) {
            marked[id, default: []].insert(.contextBloat)
        }
        // In declaration order, as the tally lists them.
        return marked.mapValues { flags in WasteFlag.allCases.filter { flags.contains($0) } }
    }

    /// Main-thread turns in runs of ``WasteFlag/bloatRunLength`` or more consecutive main-thread
    /// turns whose prompt grows, is at least ``WasteFlag/bloatPromptTokens`` and reads nothing
    /// from a cache; subagent turns and side calls neither extend nor break a run.
    private static func bloatedTurnIDs(_ ordered: [TurnRecord]) -> [String] {
        var bloated: [String] = []
        var run: [String] = []
        var previousPrompt = 0
        for turn in ordered where turn.isMainThread {
            let prompt = turn.usage.promptTokens
            let uncachedAndLarge = prompt >= WasteFlag.bloatPromptTokens && turn.usage.cacheRead == 0
            if uncachedAndLarge, !run.isEmpty, prompt > previousPrompt {
                run.append(turn.id)
            } else {
                if run.count >= WasteFlag.bloatRunLength { bloated += run }
                run = uncachedAndLarge ? [turn.id] : []
            }
            previousPrompt = prompt
        }
        if run.count >= WasteFlag.bloatRunLength { bloated += run }
        return bloated
    }
}
