extension ExperimentReport {
    /// One arm against the reference arm: the difference in mean cost per session, how sure the
    /// data are of it, and a sentence saying what can be concluded.
    package struct Comparison: Sendable, Hashable {
        /// The reference arm's name.
        package var reference: String
        /// The compared arm's name.
        package var arm: String
        /// Sessions in the reference arm.
        package var referenceSessions: Int
        /// Sessions in the compared arm.
        package var armSessions: Int
        /// Mean cost per session of the arm minus the reference's (exact means); negative when
        /// the arm is cheaper.
        package var meanDifference: USD
        /// The 95 % bootstrap interval of the difference; `nil` below two sessions in either arm.
        package var interval: ClosedRange<USD>?
        /// The permutation test's two-sided p-value; `nil` below two sessions in either arm.
        package var pValue: Double?
        /// The always-valid 95 % interval of the difference; `nil` below two sessions in either arm.
        package var alwaysValid: ClosedRange<USD>?
        /// Sessions per arm a single-look test would need to detect the observed difference
        /// (``SampleSize``); `nil` when the difference is zero or the spread is unknown.
        package var sessionsNeededPerArm: Int?
        /// Whether the difference is real: both arms have ``ExperimentReport/minimumSessionsPerArm``
        /// sessions and the always-valid interval leaves out zero.
        package var conclusive: Bool
        /// What can be concluded, in one plain sentence.
        package var conclusion: String

        /// Compares `arm` with `reference`.
        ///
        /// - Parameters:
        ///   - reference: The reference arm.
        ///   - arm: The arm compared with it.
        ///   - bootstrap: The bootstrap for the interval of the difference.
        ///   - permutations: Random relabellings for the p-value.
        ///   - seed: The comparison's random draws.
        init(reference: Arm, arm: Arm, bootstrap: Bootstrap, permutations: Int, seed: SeededGenerator) {
            let referenceDollars = reference.sessionDollars
            let armDollars = arm.sessionDollars
            self.reference = reference.name
            self.arm = arm.name
            referenceSessions = reference.sessions
            armSessions = arm.sessions
            let difference = arm.costPerSession.mean - reference.costPerSession.mean
            meanDifference = difference

            // Two generators from one seed, so the p-value does not change with the resamples.
            var bootstrapDraws = seed
            var permutationDraws = SeededGenerator(seed: bootstrapDraws.next())
            interval = bootstrap.intervalOfDifference(
                of: .mean, reference: referenceDollars, treatment: armDollars, using: &bootstrapDraws
            ).map(ExperimentReport.usdRange)
            pValue = PermutationTest.pValue(
                reference: referenceDollars, treatment: armDollars, permutations: permutations,
                using: &permutationDraws)

            let referenceSummary = SampleSummary(referenceDollars)
            let armSummary = SampleSummary(armDollars)
            let always = AlwaysValidInterval(
                reference: referenceSummary, treatment: armSummary, alpha: 1 - ExperimentReport.level)
            let alwaysRange = always.map { ExperimentReport.usdRange($0.interval) }
            alwaysValid = alwaysRange
            let spread = SampleSummary.pooledVariance(referenceSummary, armSummary).map { $0.squareRoot() }
            let needed = spread.flatMap {
                SampleSize.sessionsPerArm(difference: ExperimentReport.dollars(difference), standardDeviation: $0)
            }
            sessionsNeededPerArm = needed
            let enough = min(reference.sessions, arm.sessions) >= ExperimentReport.minimumSessionsPerArm
            let conclusive = enough && (always?.excludesZero ?? false)
            self.conclusive = conclusive
            conclusion = Self.sentence(
                reference: reference, arm: arm, difference: difference, alwaysValid: alwaysRange, needed: needed,
                conclusive: conclusive)
        }

        /// The sentence: the direction and size of a conclusive difference, or why there is none
        /// yet and, when it can be told, how many sessions the observed difference would need.
        private static func sentence(
            reference: Arm, arm: Arm, difference: USD, alwaysValid: ClosedRange<USD>?, needed: Int?, conclusive: Bool
        ) -> String {
            let size = (difference < USD.zero ? USD.zero - difference : difference).display
            if conclusive, let alwaysValid {
                let direction = difference < USD.zero ? "less" : "more"
                return "conclusive: \(arm.name) costs \(size) \(direction) per session than \(reference.name) "
                    + "(always-valid 95% interval \(alwaysValid.lowerBound.display) to "
                    + "\(alwaysValid.upperBound.display))."
            }
            let minimum = ExperimentReport.minimumSessionsPerArm
            let fewest = min(reference.sessions, arm.sessions)
            var text = "too few sessions to conclude anything: "
            if reference.sessions == arm.sessions {
                text += "\(NumberText.grouped(fewest)) per arm so far"
            } else {
                text += "\(NumberText.grouped(reference.sessions)) (\(reference.name)) and "
                text += "\(NumberText.grouped(arm.sessions)) (\(arm.name)) so far"
            }
            if fewest < minimum { text += " (at least \(minimum) per arm are needed)" }
            if difference == .zero {
                return text + "; the arms cost the same per session so far."
            }
            guard let needed else {
                return text + "; the observed difference of \(size) per session needs more sessions to size."
            }
            let target = max(needed, minimum)
            if target > fewest {
                return text
                    + "; the observed difference of \(size) per session would need about "
                    + "\(NumberText.grouped(target)) per arm."
            }
            return text
                + "; the observed difference of \(size) per session is still within the always-valid "
                + "interval, so keep collecting."
        }
    }
}
