import SluiceLedger
import Testing

@Suite struct SampleSizeTests {
    @Test func matchesTheHandComputedSize() throws {
        // 2 × (1.959964 + 0.841621)² × 1² / 0.5² = 62.79, so 63 sessions per arm.
        let exact = try #require(SampleSize.exactSessionsPerArm(difference: 0.5, standardDeviation: 1))
        #expect(abs(exact - 62.79) < 0.01)
        #expect(SampleSize.sessionsPerArm(difference: 0.5, standardDeviation: 1) == 63)
        #expect(SampleSize.sessionsPerArm(difference: -0.5, standardDeviation: 1) == 63)
    }

    @Test func halvingTheDifferenceQuadruplesTheSessions() throws {
        let wide = try #require(SampleSize.exactSessionsPerArm(difference: 0.02, standardDeviation: 0.1))
        let narrow = try #require(SampleSize.exactSessionsPerArm(difference: 0.01, standardDeviation: 0.1))
        #expect(abs(narrow / wide - 4) < 1e-9)
    }

    @Test func noSizeForNoDifference() {
        #expect(SampleSize.sessionsPerArm(difference: 0, standardDeviation: 1) == nil)
        #expect(SampleSize.sessionsPerArm(difference: .nan, standardDeviation: 1) == nil)
        #expect(SampleSize.sessionsPerArm(difference: .infinity, standardDeviation: 1) == nil)
        #expect(SampleSize.sessionsPerArm(difference: 1, standardDeviation: .nan) == nil)
    }

    @Test func atLeastTwoAndAtMostTheCap() {
        #expect(SampleSize.sessionsPerArm(difference: 10, standardDeviation: 0.1) == 2)
        #expect(SampleSize.sessionsPerArm(difference: 1e-12, standardDeviation: 1) == SampleSize.maximumSessions)
    }
}
