import SluiceLedger
import Testing

@Suite struct SeededGeneratorTests {
    @Test func matchesTheReferenceSplitMix64Outputs() {
        // The first outputs of Vigna's splitmix64.c seeded with 0.
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xe220_a839_7b1d_cdaf)
        #expect(generator.next() == 0x6e78_9e6a_a1b9_65f4)
        #expect(generator.next() == 0x06c4_5d18_8009_454f)
    }

    @Test func theSameNameGivesTheSameSequenceAndAnotherNameAnother() {
        var first = SeededGenerator(name: "cheap-first")
        var again = SeededGenerator(name: "cheap-first")
        var other = SeededGenerator(name: "cheap-second")
        let a = (0..<8).map { _ in first.next() }
        #expect(a == (0..<8).map { _ in again.next() })
        #expect(a != (0..<8).map { _ in other.next() })
    }

    @Test func indicesStayInRangeAndCoverIt() {
        var generator = SeededGenerator(seed: 3)
        var seen = Array(repeating: 0, count: 7)
        var outside = 0
        for _ in 0..<7_000 {
            let index = generator.index(below: 7)
            if (0..<7).contains(index) { seen[index] += 1 } else { outside += 1 }
        }
        #expect(outside == 0)
        // Each of 7 values about 1,000 times; 800 is more than 6 standard deviations below.
        #expect(seen.allSatisfy { $0 > 800 })
    }

    @Test func unitDoublesLieInTheHalfOpenUnitInterval() {
        var generator = SeededGenerator(seed: 4)
        var sum = 0.0
        var outside = 0
        for _ in 0..<10_000 {
            let value = generator.unitDouble()
            if !(value >= 0 && value < 1) { outside += 1 }
            sum += value
        }
        #expect(outside == 0)
        #expect(abs(sum / 10_000 - 0.5) < 0.01)
    }
}
