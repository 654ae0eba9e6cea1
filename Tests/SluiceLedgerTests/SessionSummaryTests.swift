import SluiceLedger
import SluiceWire
import Testing

@Suite struct SessionSummaryTests {
    @Test func summarizesMixedTurnsPerSession() throws {
        let turns: [TurnRecord] = [
            .fixture(
                id: "a1", at: 1_000, session: "a", tag: "PROJ-1", model: "haiku",
                usage: Usage(
                    uncachedInput: 100, cacheRead: 1_000, cacheWrite5m: 10, cacheWrite1h: 5, output: 50, reasoning: 20),
                cost: 100, baselineList: 900, baseline: 700),
            .fixture(
                id: "a2", at: 3_000, session: "a", tag: nil, usage: Usage(uncachedInput: 10, output: 5),
                estimated: true, cost: 400, baselineList: 500, baseline: 400),
            .fixture(
                id: "a3", at: 2_000, session: "a", tag: "PROJ-2", model: "sonnet", status: .upstreamError,
                httpStatus: 529),
            .fixture(id: "b1", at: 2_500, session: "b", cost: 10, baselineList: 10, baseline: 10),
        ]
        let summaries = SessionSummary.summarize(turns)
        #expect(summaries.map(\.session) == ["a", "b"])  // latest activity first

        let a = try #require(summaries.first)
        #expect(a.tag == "PROJ-2")  // the latest turn that has a tag
        #expect(a.firstAtMilliseconds == 1_000)
        #expect(a.lastAtMilliseconds == 3_000)
        #expect(a.turns == 3)
        #expect(a.routedTurns == 2)
        #expect(a.failedTurns == 1)
        #expect(a.estimatedTurns == 1)
        #expect(
            a.usage
                == Usage(
                    uncachedInput: 120, cacheRead: 1_000, cacheWrite5m: 10, cacheWrite1h: 5, output: 60, reasoning: 20))
        #expect(a.cost == USD(nanos: 1_500))
        #expect(a.baselineListCost == USD(nanos: 3_400))
        #expect(a.baselineCost == USD(nanos: 2_100))
        #expect(a.savings == USD(nanos: 600))
        #expect(a.savingsBasisPoints == 2_857)  // 600 / 2100 = 28.571 %

        let b = try #require(summaries.last)
        #expect(b.tag == nil)
        #expect(b.routedTurns == 0)
        #expect(b.savings == .zero)
        #expect(b.savingsBasisPoints == 0)
    }

    @Test func savingsPercentageIsAbsentWithoutABaseline() {
        let summary = SessionSummary.summarize([
            .fixture(id: "x", model: "local", cost: 0, baselineList: 0, baseline: 0)
        ])
        #expect(summary.first?.savingsBasisPoints == nil)
    }

    @Test func ordersSessionsWithTheSameLastActivityByKey() {
        let summaries = SessionSummary.summarize([
            .fixture(id: "1", at: 5, session: "z"), .fixture(id: "2", at: 5, session: "m"),
        ])
        #expect(summaries.map(\.session) == ["m", "z"])
    }

    @Test func inMemoryStoreIgnoresRepeatedIDsAndOrdersTurns() async {
        let store = InMemoryLedgerStore()
        await store.append([.fixture(id: "2", at: 20), .fixture(id: "1", at: 20), .fixture(id: "0", at: 30)])
        await store.append([.fixture(id: "2", at: 20, cost: 999_999)])
        let turns = await store.turns(inSession: "k")
        #expect(turns.map(\.id) == ["1", "2", "0"])
        #expect(turns[1].cost == USD(nanos: 1_000))
        #expect(await store.sessionSummaries().first?.turns == 3)
    }
}
