import SluiceLedger
import Testing

@Suite struct ProportionIntervalTests {
    @Test(arguments: [
        // Hand-computed Wilson intervals at 95 % (z = 1.959964).
        (successes: 8, trials: 10, lower: 0.4902, upper: 0.9433),
        (successes: 0, trials: 10, lower: 0.0, upper: 0.2775),
        (successes: 10, trials: 10, lower: 0.7225, upper: 1.0),
        (successes: 1, trials: 2, lower: 0.0945, upper: 0.9055),
        (successes: 50, trials: 100, lower: 0.4038, upper: 0.5962),
    ])
    func matchesHandComputedWilsonIntervals(successes: Int, trials: Int, lower: Double, upper: Double) throws {
        let proportion = try #require(ProportionInterval(successes: successes, trials: trials))
        #expect(proportion.share == Double(successes) / Double(trials))
        #expect(abs(proportion.interval.lower - lower) < 1e-4)
        #expect(abs(proportion.interval.upper - upper) < 1e-4)
    }

    @Test func staysInsideZeroToOne() throws {
        let none = try #require(ProportionInterval(successes: 0, trials: 3))
        let all = try #require(ProportionInterval(successes: 3, trials: 3))
        #expect(none.interval.lower == 0)
        #expect(all.interval.upper == 1)
    }

    @Test func noIntervalWithoutTrialsOrWithImpossibleCounts() {
        #expect(ProportionInterval(successes: 0, trials: 0) == nil)
        #expect(ProportionInterval(successes: 4, trials: 3) == nil)
        #expect(ProportionInterval(successes: -1, trials: 3) == nil)
    }
}
