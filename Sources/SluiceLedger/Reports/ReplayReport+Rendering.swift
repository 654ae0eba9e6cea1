extension ReplayReport {
    /// The report in `format`; CSV lists the sessions.
    package func rendered(as format: ReportFormat) -> String {
        switch format {
        case .table: table
        case .json: json
        case .markdown: markdown
        case .csv: csv
        }
    }

    private static let estimateNote =
        "Estimates: turns the candidate routes like the record are priced exactly from recorded usage; the "
        + "others are simulated on the candidate's model with its own prompt cache (a switch pays its cold "
        + "cache), measured against the recorded timestamps."

    private func totalsRows() -> [[String]] {
        [candidate, current].map { side in
            let totals = side.totals
            return [
                side.label, NumberText.grouped(totals.turns), totals.actual.display, totals.requested.display,
                totals.baseline.display, totals.savings.display, NumberText.grouped(totals.simulatedTurns),
            ]
        }
    }

    private static let totalsColumns: [TextTable.Column] = [
        .init(header: "POLICY", alignment: .left), .init(header: "TURNS", alignment: .right),
        .init(header: "ACTUAL", alignment: .right), .init(header: "REQUESTED", alignment: .right),
        .init(header: "BASELINE", alignment: .right), .init(header: "SAVINGS", alignment: .right),
        .init(header: "SIMULATED", alignment: .right),
    ]

    private static let countColumns: [TextTable.Column] = [
        .init(header: "NAME", alignment: .left), .init(header: "TURNS", alignment: .right),
        .init(header: "CHANGED", alignment: .right),
    ]

    private func countRows(_ counts: [Count]) -> [[String]] {
        counts.map { [$0.name, NumberText.grouped($0.turns), NumberText.grouped($0.changed)] }
    }

    private var headline: String {
        "Replayed \(NumberText.grouped(turns)) turns of \(NumberText.grouped(sessions.count)) sessions: the candidate decides "
            + "\(NumberText.grouped(changedTurns)) turns differently from \(current.label)."
    }

    private var modelLine: String {
        "Turns per model (candidate): "
            + candidate.byModel.map { "\($0.name) \(NumberText.grouped($0.turns))" }.joined(separator: ", ")
    }

    var table: String {
        var lines = [headline, ""]
        var totals = TextTable(Self.totalsColumns)
        totalsRows().forEach { totals.append($0) }
        lines += totals.rendered()
        if let recordedActual { lines.append("What really happened, priced exactly: \(recordedActual.display)") }
        lines += ["", modelLine, "", "By rule (candidate)"]
        var rules = TextTable(Self.countColumns)
        countRows(byRule).forEach { rules.append($0) }
        lines += rules.rendered()
        lines += ["", "By shape"]
        var shapes = TextTable(Self.countColumns)
        countRows(byShape).forEach { shapes.append($0) }
        lines += shapes.rendered()
        lines += ["", Self.estimateNote] + notes
        return lines.joined(separator: "\n")
    }

    var markdown: String {
        var lines = ["## Replay", "", MarkdownText.escaped(headline), ""]
        lines += MarkdownText.table(Self.totalsColumns, rows: totalsRows())
        if let recordedActual { lines += ["", "What really happened, priced exactly: \(recordedActual.display)"] }
        lines += ["", MarkdownText.escaped(modelLine), "", "### By rule (candidate)", ""]
        lines += MarkdownText.table(Self.countColumns, rows: countRows(byRule))
        lines += ["", "### By shape", ""]
        lines += MarkdownText.table(Self.countColumns, rows: countRows(byShape))
        lines += ["", MarkdownText.escaped(Self.estimateNote)] + notes.map { "" + MarkdownText.escaped($0) }
        return lines.joined(separator: "\n")
    }

    var csv: String {
        var lines = [
            "session,turns,changed,candidate_actual_usd,candidate_baseline_usd,current_actual_usd,current_baseline_usd"
        ]
        for session in sessions {
            lines.append(
                [
                    CSVText.field(session.key), String(session.turns), String(session.changed),
                    session.candidate.actual.decimalString, session.candidate.baseline.decimalString,
                    session.current.actual.decimalString, session.current.baseline.decimalString,
                ].joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        func totals(_ totals: Totals) -> String { JSONText.object(totalsMembers(totals)) }
        func side(_ side: Side) -> String {
            var members = [(key: String, json: String)]()
            members.append(("label", JSONText.string(side.label)))
            members += totalsMembers(side.totals)
            members.append(("by_model", JSONText.object(side.byModel.map { ($0.name, "\($0.turns)") })))
            return JSONText.object(members)
        }
        func totalsMembers(_ totals: Totals) -> [(key: String, json: String)] {
            [
                ("turns", "\(totals.turns)"), ("actual_usd", totals.actual.decimalString),
                ("requested_usd", totals.requested.decimalString), ("baseline_usd", totals.baseline.decimalString),
                ("savings_usd", totals.savings.decimalString),
                ("routing_savings_usd", totals.routingSavings.decimalString),
                ("simulated_turns", "\(totals.simulatedTurns)"), ("refused_turns", "\(totals.refusedTurns)"),
            ]
        }
        func counts(_ counts: [Count]) -> String {
            JSONText.object(counts.map { ($0.name, JSONText.object([("turns", "\($0.turns)"), ("changed", "\($0.changed)")])) })
        }
        var members: [(key: String, json: String)] = [
            ("turns", "\(turns)"), ("sessions", "\(sessions.count)"), ("changed_turns", "\(changedTurns)"),
            ("by_rule", counts(byRule)), ("by_shape", counts(byShape)),
            ("by_model", JSONText.object(candidate.byModel.map { ($0.name, "\($0.turns)") })),
            ("candidate", side(candidate)), ("current", side(current)),
        ]
        if let recordedActual {
            members.append(("recorded", JSONText.object([("actual_usd", recordedActual.decimalString)])))
        }
        members.append(
            (
                "per_session",
                JSONText.array(
                    sessions.map {
                        JSONText.object([
                            ("session", JSONText.string($0.key)), ("turns", "\($0.turns)"), ("changed", "\($0.changed)"),
                            ("candidate", totals($0.candidate)), ("current", totals($0.current)),
                        ])
                    })
            ))
        members.append(("estimate", JSONText.string(Self.estimateNote)))
        members.append(("notes", JSONText.array(notes.map(JSONText.string))))
        return JSONText.object(members)
    }
}
