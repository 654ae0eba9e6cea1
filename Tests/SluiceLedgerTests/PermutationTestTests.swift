import Foundation
import SluiceLedger
import Testing

@Suite struct PermutationTestTests {
    @Test func groupsFromOneDistributionGetALargePValue() throws {
        var data = SeededGenerator(seed: 45)
        let reference = data.normals(50)
        let treatment = data.normals(50)
        var draws = SeededGenerator(seed: 10)
        let p = try #require(
            PermutationTest.pValue(reference: reference, treatment: treatment, permutations: 2_000, using: &draws))
        #expect(p > 0.05)
    }

    @Test func clearlyShiftedGroupsGetASmallPValue() throws {
        var data = SeededGenerator(seed: 46)
        let reference = data.normals(50)
        let treatment = data.normals(50, mean: 1)
        var draws = SeededGenerator(seed: 11)
        let p = try #require(
            PermutationTest.pValue(reference: reference, treatment: treatment, permutations: 2_000, using: &draws))
        #expect(p < 0.01)
        #expect(p >= 1.0 / 2_001)  // (0 + 1) / (N + 1): never zero
    }

    @Test func identicalGroupsGetAPValueOfOne() throws {
        var draws = SeededGenerator(seed: 12)
        let p = try #require(
            PermutationTest.pValue(reference: [1, 2, 3], treatment: [3, 2, 1], permutations: 100, using: &draws))
        #expect(p == 1)
    }

    @Test func rejectsAboutFivePercentOfNullExperiments() {
        // 200 experiments where both groups come from N(0, 1): a valid test rejects at p ≤ 0.05 in
        // about 10 of them (binomial standard deviation about 3).
        var generator = SeededGenerator(seed: 47)
        var rejections = 0
        for _ in 0..<200 {
            let reference = generator.normals(20)
            let treatment = generator.normals(20)
            let p = PermutationTest.pValue(
                reference: reference, treatment: treatment, permutations: 400, using: &generator)
            if let p, p <= 0.05 { rejections += 1 }
        }
        #expect((2...20).contains(rejections))
    }

    @Test func noPValueBelowTwoValuesPerGroup() {
        var draws = SeededGenerator(seed: 1)
        #expect(PermutationTest.pValue(reference: [1], treatment: [2, 3], using: &draws) == nil)
    }
}
