/// A permutation test of whether two groups have the same mean: the p-value of the observed
/// difference in means.
///
/// If an experiment's arms made no difference, which session landed in which arm would be an
/// accident of the random assignment, and shuffling the labels would produce differences as
/// large as the observed one about as often as not. The share of shuffles that do is the
/// p-value. It needs no assumption about how session costs are distributed, which matters for
/// heavy-tailed spend (Good, "Permutation, Parametric, and Bootstrap Tests of Hypotheses",
/// 2005).
///
/// Enumerating every relabelling is out of reach beyond tiny groups, so the test draws random
/// ones (Monte Carlo) and reports `(hits + 1) / (permutations + 1)`: counting the observed
/// labelling as one of the permutations keeps the p-value from ever being 0 and keeps the test
/// valid at any number of draws (Phipson and Smyth, 2010).
///
/// ```swift
/// var generator = SeededGenerator(name: "cheap-first/control/cheap")
/// let p = PermutationTest.pValue(reference: control, treatment: cheap, using: &generator)
/// ```
package enum PermutationTest {
    /// Random relabellings drawn unless told otherwise: a p-value of 0.05 is then known to about
    /// ±0.004.
    package static let defaultPermutations = 10_000

    /// The two-sided Monte Carlo p-value for `mean(treatment) − mean(reference)`; `nil` when
    /// either group has fewer than two values.
    ///
    /// A shuffle counts when its difference is at least as far from zero as the observed one,
    /// less 10⁻⁹ of the values' mean magnitude: rounding in the sums must not decide ties, so two
    /// groups with the same values score exactly 1.
    ///
    /// - Parameters:
    ///   - reference: One group.
    ///   - treatment: The other.
    ///   - permutations: Random relabellings to draw (at least 1).
    ///   - generator: The source of random draws.
    /// - Returns: A p-value in `(0, 1]`.
    package static func pValue(
        reference: [Double], treatment: [Double], permutations: Int = PermutationTest.defaultPermutations,
        using generator: inout SeededGenerator
    ) -> Double? {
        guard reference.count >= 2, treatment.count >= 2 else { return nil }
        let permutations = max(1, permutations)
        var pooled = reference + treatment
        let total = pooled.count
        var grandSum = 0.0
        for value in pooled { grandSum += value }
        var observedReferenceSum = 0.0
        for value in reference { observedReferenceSum += value }
        let referenceCount = Double(reference.count)
        let treatmentCount = Double(treatment.count)
        // The same formula as for each shuffle below, so equal labellings round alike.
        let observed = (grandSum - observedReferenceSum) / treatmentCount - observedReferenceSum / referenceCount
        var magnitudes = 0.0
        for value in pooled { magnitudes += value.magnitude }
        let threshold = observed.magnitude - 1e-9 * magnitudes / Double(total)

        var hits = 0
        for _ in 0..<permutations {
            // A partial Fisher–Yates shuffle: the first `reference.count` slots become a uniformly
            // random subset of the pooled values, whatever order the last shuffle left.
            var referenceSum = 0.0
            for slot in 0..<reference.count {
                let pick = slot + generator.index(below: total - slot)
                pooled.swapAt(slot, pick)
                referenceSum += pooled[slot]
            }
            let difference = (grandSum - referenceSum) / treatmentCount - referenceSum / referenceCount
            if difference.magnitude >= threshold { hits += 1 }
        }
        return Double(hits + 1) / Double(permutations + 1)
    }
}
