import SluiceRouting
import SluiceStore
import Testing

@Suite struct InMemorySessionStoreTests {
    /// Records a turn of `key` in `store` with a prompt of `tokens`.
    static func touch(_ store: InMemorySessionStore, _ key: String, tokens: Int = 1) async {
        let turns = await store.update(key) { state in
            var next = state ?? SessionState(key: key)
            next.turns += 1
            next.promptTokens = tokens
            return (next, next.turns)
        }
        #expect(turns >= 1)
    }

    @Test func forgetsTheLeastRecentlyUpdatedSessionsBeyondItsCapacity() async {
        let store = InMemorySessionStore(capacity: 10)
        for index in 0..<10 { await Self.touch(store, "s\(index)") }
        await Self.touch(store, "s0", tokens: 2)  // s0 is now the most recent
        await Self.touch(store, "s10")  // over capacity: a sweep
        #expect(await store.state(of: "s0")?.promptTokens == 2)
        #expect(await store.state(of: "s1") == nil)
        #expect(await store.state(of: "s10") != nil)
    }

    @Test func readingAStateChangesNothing() async {
        let store = InMemorySessionStore(capacity: 3)
        for key in ["a", "b", "c"] { await Self.touch(store, key) }
        for _ in 0..<5 { _ = await store.state(of: "a") }  // reads do not make "a" recent
        await Self.touch(store, "d")  // over capacity: the two most recently updated stay
        #expect(await store.state(of: "a") == nil)
        #expect(await store.state(of: "c") != nil)
        #expect(await store.state(of: "d") != nil)
    }

    @Test func countsEveryUpdateOfTurnsThatEndTogether() async {
        let store = InMemorySessionStore()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { await Self.touch(store, "busy") } }
        }
        #expect(await store.state(of: "busy")?.turns == 200)
    }
}
