extension ExperimentReport {
    /// One arm against the reference arm: the difference in mean cost per session, how sure the
    /// data are of it, and a sentence saying what can be concluded.
    ///
    /// Like the arms' figures, it covers settled sessions only (``Arm/inProgress``).
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
        /// The always-valid 95 % interval of the difference; `nil` below two sessions in either
        /// arm, or when the pilot has fewer than three sessions in all or no spread.
        package var alwaysValid: ClosedRange<USD>?
        /// τ², the always-valid interval's mixing variance in squared dollars, fixed from the
        /// pilot (``AlwaysValidInterval/tunedMixingVariance(reference:treatment:alpha:)`` of the
        /// two arms' ``Arm/pilot``): it stops moving once each arm's first
        /// ``ExperimentReport/minimumSessionsPerArm`` sessions have settled. `nil` when the pilot
        /// holds fewer than three sessions in all.
        package var mixingVariance: Double?
        /// Sessions per arm at which the always-valid interval, at the observed spread and the
        /// fixed τ², would leave out zero if the observed difference held
        /// (``AlwaysValidInterval/sessionsPerArm(difference:sessionVariance:mixingVariance:alpha:)``),
        /// and at least ``ExperimentReport/minimumSessionsPerArm``; `nil` when the difference is
        /// zero or the spread or τ² is unknown.
        package var sessionsNeededPerArm: Int?
        /// How many more sessions the arm with fewer needs to reach ``sessionsNeededPerArm``;
        /// zero once it has them, `nil` with it.
        package var sessionsMorePerArm: Int?
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

            let alpha = 1 - ExperimentReport.level
            let referenceSummary = SampleSummary(referenceDollars)
            let armSummary = SampleSummary(armDollars)
            // τ² from the pilot alone: re-estimating it from all the data at every look would
            // void the guarantee that makes daily checks safe.
            let mixing = AlwaysValidInterval.tunedMixingVariance(
                reference: reference.pilot, treatment: arm.pilot, alpha: alpha)
            mixingVariance = mixing
            let always = mixing.flatMap {
                AlwaysValidInterval(
                    reference: referenceSummary, treatment: armSummary, mixingVariance: $0, alpha: alpha)
            }
            let alwaysRange = always.map { ExperimentReport.usdRange($0.interval) }
            alwaysValid = alwaysRange
            let needed = Self.sessionsNeeded(
                difference: difference, reference: referenceSummary, arm: armSummary, mixingVariance: mixing,
                alpha: alpha)
            let fewest = min(reference.sessions, arm.sessions)
            let more = needed.map { max(0, $0 - fewest) }
            sessionsNeededPerArm = needed
            sessionsMorePerArm = more
            let enough = fewest >= ExperimentReport.minimumSessionsPerArm
            let conclusive = enough && (always?.excludesZero ?? false)
            self.conclusive = conclusive
            conclusion = Self.sentence(
                reference: reference, arm: arm, difference: difference, alwaysValid: alwaysRange, needed: needed,
                more: more, conclusive: conclusive)
        }

        /// ``sessionsNeededPerArm``: the always-valid sample size at the pooled spread of all the
        /// settled sessions and the pilot's τ², raised to the minimum per arm.
        private static func sessionsNeeded(
            difference: USD, reference: SampleSummary, arm: SampleSummary, mixingVariance: Double?, alpha: Double
        ) -> Int? {
            guard let mixingVariance, let spread = SampleSummary.pooledVariance(reference, arm),
                let needed = AlwaysValidInterval.sessionsPerArm(
                    difference: ExperimentReport.dollars(difference), sessionVariance: spread,
                    mixingVariance: mixingVariance, alpha: alpha)
            else { return nil }
            return max(needed, ExperimentReport.minimumSessionsPerArm)
        }

        /// The sentence: the direction and size of a conclusive difference, or why there is none
        /// yet and, when it can be told, how many more sessions the observed difference would
        /// need before the always-valid interval could leave out zero.
        private static func sentence(
            reference: Arm, arm: Arm, difference: USD, alwaysValid: ClosedRange<USD>?, needed: Int?, more: Int?,
            conclusive: Bool
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
            guard let needed, let more else {
                return text + "; the observed difference of \(size) per session needs more sessions to size."
            }
            if more > 0 {
                return text
                    + "; the observed difference of \(size) per session would need about "
                    + "\(NumberText.grouped(more)) more per arm (needed per arm in total: "
                    + "\(NumberText.grouped(needed)))."
            }
            return text
                + "; the observed difference of \(size) per session is still within the always-valid "
                + "interval, so keep collecting."
        }
    }
}
