extension ExperimentReport {
    /// The report for people: a heading line, then cost per session (with the sessions still in
    /// progress), spend, outcomes, effort per session, verdicts, turns per rule, the differences
    /// against the reference with their sentences, and what the figures mean.
    ///
    /// The tables are the same as in Markdown (``armSections``, ``differenceSection``).
    var table: String {
        guard sessions + inProgress > 0 else { return emptyText }
        var lines = [headline]
        for section in armSections {
            lines.append("")
            lines.append(section.title)
            lines += section.textTable.rendered()
            lines += section.notes
        }
        if let differences = differenceSection {
            lines.append("")
            lines.append(differences.title)
            lines += differences.textTable.rendered()
            lines.append("")
            lines += comparisons.map { "\($0.arm): \($0.conclusion)" }
        }
        lines.append("")
        lines += footnotes
        return lines.joined(separator: "\n")
    }

    /// What the report says when the experiment has no sessions yet.
    var emptyText: String {
        "No turns of experiment \(experiment) in the ledger yet."
    }

    /// `Experiment cheap-first: 2 arms, 52 sessions, 610 turns; reference arm control.`, with
    /// `; 3 more sessions in progress, not counted yet` before the reference when there are any.
    var headline: String {
        var line = "Experiment \(experiment): \(LongTailReport.counted(arms.count, "arm")), "
        line += "\(LongTailReport.counted(sessions, "session")), \(LongTailReport.counted(turns, "turn"))"
        if inProgress > 0 {
            line += "; \(NumberText.grouped(inProgress)) more \(inProgress == 1 ? "session" : "sessions") in progress, "
            line += "not counted yet"
        }
        if let reference { line += "; reference arm \(reference.name)" }
        return line + "."
    }

    /// The notes under the tables, in plain words (text and markdown alike).
    var footnotes: [String] {
        let idle: String = LongTailReport.counted(Int(idleMilliseconds / 60_000), "minute")
        let pilot = Self.minimumSessionsPerArm
        var ranges: String = "Ranges are 95% bootstrap intervals: where the figure would likely land if the same "
        ranges += "arms ran again on new sessions."
        var always: String = "The always-valid interval stays trustworthy however often you look, so this report is "
        always += "safe to check daily. Its tuning (the mixing variance τ²) is fixed from the first \(pilot) "
        always += "sessions of each arm by start time, so later sessions never move it. A difference counts as "
        always += "conclusive only when that interval leaves out zero and each arm has at least "
        always += "\(Self.minimumSessionsPerArm) sessions; \"more per arm\" is how many sessions it would take "
        always += "for the interval to leave out zero if the difference seen so far held."
        var pValue: String = "P-value: how often a difference this large would appear by chance if the arms "
        pValue += "cost the same."
        var shares: String = "Shares: success among sessions with a reported outcome; tests passed among sessions "
        shares += "that ran tests (their last run); abandoned: quiet for \(idle) without a reported success; errors: "
        shares += "at least one failed turn of any kind (upstream errors, refusals); fallbacks: at least one turn "
        shares += "answered by a fallback model."
        var effort: String = "Effort per session: loop trips (turns in a tool loop) and tool error turns (turns "
        effort += "whose tool result reported an error) are means; minutes to finish is the median time from a "
        effort += "session's first turn to its last."
        var settled: String = "Sessions in progress (a turn in the last \(idle) and no reported outcome) are left "
        settled += "out of every figure, spend included, until they settle, so all figures describe the same sessions."
        var notes: [String] = [ranges, always, pValue, shares, effort, settled]
        if mixedSessions > 0 {
            var mixed: String = LongTailReport.counted(mixedSessions, "session")
            mixed += " had turns in more than one arm; each counts in the arm of its first turn."
            notes.append(mixed)
        }
        return notes
    }

    /// `"$0.3500 – $0.4500"`, or `"–"` without an interval.
    static func rangeText(_ range: ClosedRange<USD>?) -> String {
        guard let range else { return "–" }
        return "\(range.lowerBound.display) – \(range.upperBound.display)"
    }

    /// `"80.0% of 10 (49.0–94.3%)"`, or `"–"` when no session qualifies.
    static func shareText(_ proportion: ProportionInterval?) -> String {
        guard let proportion else { return "–" }
        return "\(percentText(proportion.share)) of \(NumberText.grouped(proportion.trials)) "
            + "(\(percentNumber(proportion.interval.lower))–\(percentText(proportion.interval.upper)))"
    }

    /// A share as a percentage with one decimal: 0.8016 → `"80.2%"`.
    static func percentText(_ share: Double) -> String {
        percentNumber(share) + "%"
    }

    /// A p-value with four decimals, or `"–"`.
    static func pValueText(_ pValue: Double?) -> String {
        pValue.flatMap { decimalText($0, places: 4) } ?? "–"
    }

    /// A share as a percentage number with one decimal, without the sign: 0.8016 → `"80.2"`.
    private static func percentNumber(_ share: Double) -> String {
        decimalText(share * 100, places: 1) ?? "–"
    }
}
