import SluiceLedger
import SluiceWire
import Testing

@Suite struct WasteFlagTests {
    /// A main-thread turn whose prompt is all uncached input.
    static func bloat(_ id: String, at: Int64, prompt: Int, cacheRead: Int = 0) -> TurnRecord {
        .spend(id: id, at: at, usage: Usage(uncachedInput: prompt - cacheRead, cacheRead: cacheRead, output: 100))
    }

    static func count(of flag: WasteFlag, in turns: [TurnRecord]) -> Int {
        WasteFlag.tally(turns).first { $0.flag == flag }?.turns ?? 0
    }

    @Test func aRepeatAfterAFailureIsARetry() {
        let turns: [TurnRecord] = [
            .spend(id: "1", at: 0, promptEstimate: 10_000, status: .upstreamError),
            .spend(id: "2", at: 60_000, promptEstimate: 10_050),  // 0.5 % larger, a minute later
        ]
        #expect(WasteFlag.tally(turns) == [WasteFlag.Tally(flag: .retries, turns: 1)])
    }

    @Test func theSameRequestAgainIsARetryEvenAfterSuccess() {
        let turns: [TurnRecord] = [
            .spend(id: "1", at: 0, promptEstimate: 10_000, requestBytes: 40_000),
            .spend(id: "2", at: 30_000, promptEstimate: 10_000, requestBytes: 40_000),  // resent unchanged: a retry
            // A few seconds later with a slightly longer prompt: the agent's next step, not a retry.
            .spend(id: "3", at: 33_000, promptEstimate: 10_050, requestBytes: 40_200),
            .spend(id: "4", at: 36_000, promptEstimate: 10_050, requestBytes: 40_201),
        ]
        #expect(Self.count(of: .retries, in: turns) == 1)
    }

    @Test func theTurnsMustHaveTheSameShapeAndAPromptWithinOnePercent() {
        let failed = TurnRecord.spend(id: "1", at: 0, promptEstimate: 10_000, status: .rateLimited)
        #expect(WasteFlag.isRetry(.spend(id: "2", at: 1, promptEstimate: 10_100), of: failed))  // exactly 1 %
        #expect(!WasteFlag.isRetry(.spend(id: "2", at: 1, promptEstimate: 10_102), of: failed))
        #expect(WasteFlag.isRetry(.spend(id: "2", at: 1, promptEstimate: 9_901), of: failed))  // 99 ≤ 1 % of 10,000
        #expect(!WasteFlag.isRetry(.spend(id: "2", at: 1, promptEstimate: 9_899), of: failed))
        #expect(!WasteFlag.isRetry(.spend(id: "2", at: 1, shape: "tool_followup", promptEstimate: 10_000), of: failed))
    }

    @Test func retriesAreMatchedWithinTheirThread() {
        let turns: [TurnRecord] = [
            .spend(id: "1", at: 0, promptEstimate: 5_000, status: .upstreamTimeout),
            // A subagent's and a side call's turns in between: other threads, neither retries nor breaks.
            .spend(id: "2", at: 1_000, agent: "A", promptEstimate: 5_000),
            .spend(id: "3", at: 1_500, sideCall: true, promptEstimate: 5_000),
            .spend(id: "4", at: 2_000, promptEstimate: 5_000),  // repeats turn 1: a retry
        ]
        #expect(Self.count(of: .retries, in: turns) == 1)
    }

    @Test func findsRetriesWhateverTheInputOrder() {
        let turns: [TurnRecord] = [
            .spend(id: "2", at: 1_000, promptEstimate: 7_000),
            .spend(id: "1", at: 0, promptEstimate: 7_000, status: .upstreamError),
        ]
        #expect(Self.count(of: .retries, in: turns) == 1)
    }

    @Test func countsTurnsWithTheThirdIdenticalToolCallOrLater() {
        let turns: [TurnRecord] = [
            .spend(id: "1", at: 0, toolCallRepeats: nil), .spend(id: "2", at: 10_000, toolCallRepeats: 0),
            .spend(id: "3", at: 20_000, toolCallRepeats: 1), .spend(id: "4", at: 30_000, toolCallRepeats: 2),
            .spend(id: "5", at: 40_000, toolCallRepeats: 5),
        ]
        #expect(WasteFlag.tally(turns) == [WasteFlag.Tally(flag: .toolLoop, turns: 2)])
    }

    @Test func threeGrowingUncachedLargePromptsAreBloat() {
        let turns = [
            Self.bloat("1", at: 0, prompt: 20_000), Self.bloat("2", at: 10_000, prompt: 30_000),
            Self.bloat("3", at: 20_000, prompt: 35_000), Self.bloat("4", at: 30_000, prompt: 36_000),
        ]
        #expect(WasteFlag.tally(turns) == [WasteFlag.Tally(flag: .contextBloat, turns: 4)])
        #expect(Self.count(of: .contextBloat, in: Array(turns.prefix(2))) == 0)
    }

    @Test func aCacheReadASmallPromptOrAShrinkingPromptBreaksTheRun() {
        let cached = [
            Self.bloat("1", at: 0, prompt: 25_000), Self.bloat("2", at: 10_000, prompt: 30_000),
            Self.bloat("3", at: 20_000, prompt: 35_000, cacheRead: 1),
        ]
        #expect(Self.count(of: .contextBloat, in: cached) == 0)
        let small = [
            Self.bloat("1", at: 0, prompt: 19_999), Self.bloat("2", at: 10_000, prompt: 25_000),
            Self.bloat("3", at: 20_000, prompt: 30_000),
        ]
        #expect(Self.count(of: .contextBloat, in: small) == 0)
        // 25k, 30k, then a drop to 28k starts a new run: 28k, 29k, 31k.
        let shrinking = [
            Self.bloat("1", at: 0, prompt: 25_000), Self.bloat("2", at: 10_000, prompt: 30_000),
            Self.bloat("3", at: 20_000, prompt: 28_000), Self.bloat("4", at: 30_000, prompt: 29_000),
            Self.bloat("5", at: 40_000, prompt: 31_000),
        ]
        #expect(Self.count(of: .contextBloat, in: shrinking) == 3)
    }

    @Test func bloatCountsOnlyMainThreadTurnsAndCacheWritesDoNotHelp() {
        let turns: [TurnRecord] = [
            Self.bloat("1", at: 0, prompt: 25_000),
            .spend(id: "a", at: 5_000, agent: "A", usage: Usage(uncachedInput: 100)),  // skipped, not a break
            .spend(id: "2", at: 10_000, usage: Usage(uncachedInput: 1_000, cacheWrite5m: 29_000)),
            .spend(id: "s", at: 15_000, sideCall: true, usage: Usage(uncachedInput: 90_000)),  // not main
            Self.bloat("3", at: 20_000, prompt: 35_000),
        ]
        #expect(Self.count(of: .contextBloat, in: turns) == 3)
    }

    @Test func sideCallsOnTheBaselineModelAreFrontierSideCalls() {
        let turns: [TurnRecord] = [
            .spend(id: "1", at: 0, sideCall: true, model: "opus", baselineModel: "opus"),
            .spend(id: "2", at: 10_000, sideCall: true, model: "haiku", baselineModel: "opus"),
            .spend(id: "3", at: 20_000, sideCall: true, model: "opus", baselineModel: ""),  // no baseline
            .spend(id: "4", at: 30_000, sideCall: false, model: "opus", baselineModel: "opus"),
        ]
        #expect(WasteFlag.tally(turns) == [WasteFlag.Tally(flag: .frontierSideCalls, turns: 1)])
    }

    @Test func tallyListsEveryFlagFoundInDeclarationOrder() {
        let turns: [TurnRecord] = [
            .spend(id: "f1", at: 0, sideCall: true, promptEstimate: 300, toolCallRepeats: 3),
            Self.bloat("b1", at: 10_000, prompt: 20_000), Self.bloat("b2", at: 20_000, prompt: 21_000),
            Self.bloat("b3", at: 30_000, prompt: 22_000),
            .spend(id: "r1", at: 40_000, agent: "A", promptEstimate: 900, status: .upstreamError),
            .spend(id: "r2", at: 41_000, agent: "A", promptEstimate: 900),
        ]
        #expect(
            WasteFlag.tally(turns) == [
                .init(flag: .retries, turns: 1), .init(flag: .toolLoop, turns: 1), .init(flag: .contextBloat, turns: 3),
                .init(flag: .frontierSideCalls, turns: 1),
            ])
    }

    @Test func aCleanSessionHasNoFlags() {
        #expect(WasteFlag.tally([]).isEmpty)
        #expect(WasteFlag.tally([.spend(id: "1", at: 0), .spend(id: "2", at: 60_000, promptEstimate: 5_000)]).isEmpty)
    }

    @Test func turnsTheGatewayFlaggedOrGuardedAreCountedFromTheGuardColumn() {
        func turn(_ id: String, _ note: String?) -> TurnRecord {
            var record = TurnRecord.spend(id: id, at: Int64(id)! * 60_000)
            record.guardNote = note
            return record
        }
        let tallies = WasteFlag.tally([
            turn("1", nil), turn("2", "anomaly:p90x3"), turn("3", "budget-soft:per-session"),
            turn("4", "loop-warn:tight,anomaly:growth"), turn("5", "budget-hard:per-session"),
        ])
        #expect(tallies.first { $0.flag == .costAnomaly }?.turns == 2)
        #expect(tallies.first { $0.flag == .guarded }?.turns == 3)
    }

    @Test func everyFlagHasANameADescriptionAndASnakeCaseRawValue() {
        #expect(WasteFlag.allCases.map(\.rawValue) == ["retries", "tool_loop", "context_bloat", "frontier_side_calls", "cost_anomaly", "guarded"])
        #expect(WasteFlag.allCases.map(\.name) == ["retries", "tool loop", "context bloat", "frontier side calls", "cost anomaly", "guarded"])
        #expect(Set(WasteFlag.allCases.map(\.description)).count == WasteFlag.allCases.count)
        #expect(!WasteFlag.allCases.contains { $0.description.isEmpty })
    }
}
