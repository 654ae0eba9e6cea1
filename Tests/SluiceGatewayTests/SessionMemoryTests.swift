import Testing

@testable import SluiceGateway

@Suite struct SessionMemoryTests {
    @Test func countsTheGrowthOfASessionsPrompt() {
        let memory = SessionMemory()
        #expect(memory.newPromptTokens(session: "a", promptTokens: 1_000) == nil)
        #expect(memory.newPromptTokens(session: "a", promptTokens: 1_500) == 500)
        #expect(memory.newPromptTokens(session: "b", promptTokens: 10) == nil)
        // Compaction: the history shrank, so the whole (new, shorter) prompt is new.
        #expect(memory.newPromptTokens(session: "a", promptTokens: 300) == 300)
    }

    @Test func forgetsTheLeastRecentlySeenSessionsBeyondItsCapacity() {
        let memory = SessionMemory(capacity: 10)
        for index in 0..<10 { _ = memory.newPromptTokens(session: "s\(index)", promptTokens: 1) }
        _ = memory.newPromptTokens(session: "s0", promptTokens: 2)  // s0 is now the most recent
        _ = memory.newPromptTokens(session: "s10", promptTokens: 1)  // over capacity: a sweep
        #expect(memory.newPromptTokens(session: "s0", promptTokens: 3) == 1)
        #expect(memory.newPromptTokens(session: "s1", promptTokens: 1) == nil)
    }
}
