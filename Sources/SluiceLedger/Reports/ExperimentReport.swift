/// The report of `sluice ab`: an experiment's arms side by side (cost per session with its
/// uncertainty, savings, outcomes) and whether the difference between them is real yet.
///
/// An experiment answers "is the cheaper policy as good, and how much cheaper?". Means alone
/// invite stopping at the first good-looking day, so every figure comes with a 95 % bootstrap
/// interval, each arm is compared with the first (the reference, usually `control`) by a
/// permutation test and an always-valid interval, and only the always-valid interval decides
/// "conclusive", because people check this report daily and that interval stays honest under
/// repeated looks (``AlwaysValidInterval``). Its mixing variance τ² is fixed from a pilot, each
/// arm's first ``minimumSessionsPerArm`` sessions by start time: until an arm has that many
/// settled, the pilot is what it has, and τ² stops moving once both arms have 10 sessions (their
/// first 10 by start time settled).
/// When the answer is "not yet", the report says how many more sessions per arm the observed
/// difference would need before that interval could leave out zero
/// (``AlwaysValidInterval/sessionsPerArm(difference:sessionVariance:mixingVariance:alpha:)``).
///
/// Sessions still in progress (no explicit outcome, a turn within the idle threshold) are left
/// out of every figure, spend included, and only counted per arm (``Arm/inProgress``): a half-done
/// session would pull cost per session down, and the sequential test assumes each session's
/// cost is final when it enters. So all figures describe the same, settled sessions.
///
/// Random draws are seeded from the experiment and arm names, so the same ledger always gives
/// the same numbers. Rendering is pure, like the other reports.
///
/// ```swift
/// let report = ExperimentReport(
///     experiment: "cheap-first", arms: ["control", "cheap"], turns: turnsOfTheExperiment,
///     outcomes: try await store.outcomes(), nowMilliseconds: now)
/// print(report.rendered(as: .table))
/// ```
package struct ExperimentReport: Sendable, Hashable {
    /// Sessions each arm needs before any difference is called conclusive: below this the
    /// plug-in variances behind the intervals are too rough to trust. Also the size of each
    /// arm's pilot, which fixes the always-valid interval's τ² (``Arm/pilot``).
    package static let minimumSessionsPerArm = 10
    /// The confidence level of every interval in the report.
    package static let level = 0.95

    /// The experiment's name.
    package var experiment: String
    /// The arms in report order; the first is the reference the others are compared with.
    package var arms: [Arm]
    /// Each arm after the first against the first, in arm order.
    package var comparisons: [Comparison]
    /// Sessions with turns in more than one arm; each is counted in the arm of its first turn.
    package var mixedSessions: Int
    /// How long a session may be quiet before it counts as abandoned (and settled), in
    /// milliseconds.
    package var idleMilliseconds: Int64

    /// The reference arm, `nil` without arms.
    package var reference: Arm? { arms.first }
    /// Settled sessions over all arms.
    package var sessions: Int { arms.reduce(0) { $0 + $1.sessions } }
    /// Sessions in progress over all arms, not counted in any figure yet.
    package var inProgress: Int { arms.reduce(0) { $0 + $1.inProgress } }
    /// Turns of settled sessions over all arms.
    package var turns: Int { arms.reduce(0) { $0 + $1.turns } }

    /// Computes the report.
    ///
    /// A session belongs to the arm of its first turn (by start time, then id). Turns without an
    /// arm are ignored. Arms named in `arms` are listed even without sessions; arms found only
    /// in the turns follow them, sorted.
    ///
    /// - Parameters:
    ///   - experiment: The experiment's name; it also seeds the random draws.
    ///   - arms: The arm names in the policy's order, the reference first; empty to list the
    ///     arms found in the turns, sorted by name.
    ///   - turns: The turns of this experiment only (the caller selects them), in any order.
    ///   - outcomes: Explicit outcomes; the latest per session counts, others are ignored.
    ///   - nowMilliseconds: The current time, Unix milliseconds, for abandonment and sessions in
    ///     progress.
    ///   - idleMilliseconds: How long without a turn makes a session abandoned; a session without
    ///     an explicit outcome is in progress until then.
    ///   - resamples: Bootstrap resamples per interval.
    ///   - permutations: Random relabellings per permutation test.
    package init(
        experiment: String, arms armOrder: [String], turns: [TurnRecord], outcomes: [SessionOutcome],
        nowMilliseconds: Int64, idleMilliseconds: Int64 = SessionSignals.defaultIdleMilliseconds,
        resamples: Int = Bootstrap.defaultResamples, permutations: Int = PermutationTest.defaultPermutations
    ) {
        var sessionsByArm: [String: [Arm.Session]] = [:]
        var mixed = 0
        for (session, sessionTurns) in Dictionary(grouping: turns.filter { $0.arm != nil }, by: \.session) {
            let ordered = sessionTurns.sorted(by: TurnRecord.chronologically)
            guard let arm = ordered.first?.arm else { continue }
            if ordered.contains(where: { $0.arm != arm }) { mixed += 1 }
            sessionsByArm[arm, default: []].append(Arm.Session(key: session, turns: ordered))
        }

        var names: [String] = []
        for name in armOrder where !names.contains(name) { names.append(name) }
        let unlisted = sessionsByArm.keys.filter { !names.contains($0) }.sorted()
        names += unlisted

        let latest = SessionOutcome.latest(outcomes)
        let bootstrap = Bootstrap(resamples: resamples, level: Self.level)
        let arms = names.map { name in
            Arm(
                name: name, sessions: sessionsByArm[name] ?? [], outcomes: latest, nowMilliseconds: nowMilliseconds,
                idleMilliseconds: idleMilliseconds, bootstrap: bootstrap,
                seed: Self.seed(experiment, name))
        }
        self.experiment = experiment
        self.arms = arms
        comparisons = arms.dropFirst().map { arm in
            Comparison(
                reference: arms[0], arm: arm, bootstrap: bootstrap, permutations: permutations,
                seed: Self.seed(experiment, arms[0].name, arm.name))
        }
        mixedSessions = mixed
        self.idleMilliseconds = idleMilliseconds
    }

    /// The report as text in the given format; no format ends with a newline.
    ///
    /// The table is for people: cost per session with intervals (and sessions still in
    /// progress), spend and savings, outcomes, effort per session, verdicts, turns per rule, then
    /// each arm against the reference with a sentence saying what can be concluded. JSON is one
    /// object (`experiment`, `arms`, `difference`, `differences`) with money as exact decimals
    /// and null for intervals that cannot be computed. CSV has one row per arm. Markdown has the
    /// table's sections as headings and pipe tables.
    package func rendered(as format: ReportFormat) -> String {
        switch format {
        case .table: table
        case .json: json
        case .csv: csv
        case .markdown: markdown
        }
    }

    /// The seed of a report's random draws: the names joined by NUL, which no name contains, so
    /// that different experiments and arms never share a sequence by accident.
    static func seed(_ names: String...) -> SeededGenerator {
        SeededGenerator(name: names.joined(separator: "\u{0}"))
    }

    /// An amount as `Double` dollars, the unit of the statistics.
    static func dollars(_ amount: USD) -> Double {
        Double(amount.nanos) / Double(USD.nanosPerDollar)
    }

    /// `Double` dollars back as an amount, rounded to the nearest nanodollar (zero for NaN,
    /// clamped to the `Int64` range).
    static func usd(dollars: Double) -> USD {
        let nanos = (dollars * Double(USD.nanosPerDollar)).rounded()
        if nanos.isNaN { return .zero }
        if nanos >= 9.2e18 { return USD(nanos: .max) }
        if nanos <= -9.2e18 { return USD(nanos: .min) }
        return USD(nanos: Int64(nanos))
    }

    /// An interval of `Double` dollars as a range of amounts.
    static func usdRange(_ interval: ConfidenceInterval) -> ClosedRange<USD> {
        usd(dollars: interval.lower)...usd(dollars: interval.upper)
    }

    /// `value` with exactly `places` decimals, rounded half away from zero: `(0.80157, 4)` is
    /// `"0.8016"`; `nil` when it is not finite or beyond 10¹⁵ units of the last place.
    ///
    /// Shares and p-values are `Double`; this renders them the same on every machine, as plain
    /// decimal text usable verbatim as a JSON number.
    static func decimalText(_ value: Double, places: Int) -> String? {
        guard value.isFinite, places >= 0, places <= 9 else { return nil }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let units = (value.magnitude * Double(scale)).rounded()
        guard units < 1e15 else { return nil }
        let whole = Int64(units)
        let sign = value < 0 && whole != 0 ? "-" : ""
        let integer = String(whole / scale)
        guard places > 0 else { return sign + integer }
        return sign + integer + "." + NumberText.zeroPadded(Int(whole % scale), width: places)
    }
}
