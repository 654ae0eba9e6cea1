/// One conversation thread of a session as the prompt cache sees it: the main conversation, one
/// subagent's, or the side calls.
///
/// Each thread has its own prefix (a subagent's prompt is not the main conversation's), so each
/// keeps its own caches, in three worlds: the one that happened (``actual``, from real usage),
/// the one where the client's requested model answered every turn (``requested``), and the one
/// where the policy's baseline did (``baseline``).
package struct CacheThread: Sendable, Hashable, Codable {
    /// `main`, a subagent's id, or `side`.
    package var name: String
    /// The previous turn's prompt tokens, as the upstream counted them.
    package var lastPromptTokens: Int
    /// The previous turn's output tokens: the next prompt usually starts with prompt plus answer.
    package var lastOutputTokens: Int
    /// The thread's first prompt: the part (tools, system prompt, first message) that a
    /// compacted conversation still starts with.
    package var stablePrefixTokens: Int
    /// When the thread's latest turn arrived; the least recent thread is forgotten first.
    package var lastTurnAtMilliseconds: Int64
    /// Caches as they really were, per model, from each turn's usage.
    package var actual: [SimulatedCache]
    /// Caches had the requested model answered every turn.
    package var requested: [SimulatedCache]
    /// Caches had the baseline model answered every turn.
    package var baseline: [SimulatedCache]
    /// Caches had another policy routed the session (`sluice replay`): each turn on the model
    /// that policy chose, so a switch finds the new model's cache cold.
    package var replayed: [SimulatedCache]

    package init(name: String, firstPromptTokens: Int, at time: Int64) {
        self.name = name
        lastPromptTokens = 0
        lastOutputTokens = 0
        stablePrefixTokens = firstPromptTokens
        lastTurnAtMilliseconds = time
        actual = []
        requested = []
        baseline = []
        replayed = []
    }

    /// The leading tokens a prompt of `promptTokens` shares with the thread's previous turn.
    ///
    /// A prompt at least as long as the previous one continues it (its answer included, as far as
    /// the new prompt reaches); a shorter one was compacted or rewound and keeps only the stable
    /// prefix (caching.md: after compaction Claude Code reads only its fixed 16–28k prefix).
    package func sharedPrefix(withPromptOf promptTokens: Int) -> Int {
        if promptTokens >= lastPromptTokens { return min(promptTokens, lastPromptTokens + lastOutputTokens) }
        return min(promptTokens, stablePrefixTokens)
    }

    /// Forgets, in every world, what lies past the first `prefix` tokens.
    package mutating func clampCaches(to prefix: Int) {
        for index in actual.indices { actual[index].clamp(to: prefix) }
        for index in requested.indices { requested[index].clamp(to: prefix) }
        for index in baseline.indices { baseline[index].clamp(to: prefix) }
        for index in replayed.indices { replayed[index].clamp(to: prefix) }
    }
}
