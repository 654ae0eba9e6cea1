extension LongTailReport {
    /// One JSON object: `totals`, `sessions` (every session, most expensive first), `distribution`
    /// (with its `histogram`), `top_sessions`,
    /// `suggested_caps`, `forecast_30d`, `group_by` and `groups` (both null without grouping).
    var json: String {
        JSONText.object([
            ("totals", totalsJSON),
            ("sessions", JSONText.array(sessions.map(\.jsonObject))),
            ("distribution", distributionJSON),
            ("top_sessions", JSONText.array(topSessions.map(\.jsonObject))),
            ("suggested_caps", JSONText.array(suggestedCaps.map(\.reportFields.jsonObject))),
            ("forecast_30d", forecast.reportFields.jsonObject),
            ("group_by", ReportValue.optionalString(groups?.key.rawValue).json),
            ("groups", groups.map { JSONText.array($0.reportRows.map(\.jsonObject)) } ?? "null"),
        ])
    }

    /// With grouping, one row per group (first column named after the key); otherwise one row
    /// per session, most expensive first. Always a header row.
    var csv: String {
        if let groups {
            let header = SpendGroups.reportFields(of: SpendGroups.placeholderRow, by: groups.key).csvHeader
            return CSVText.document([header] + groups.reportRows.map(\.csvRow))
        }
        let header = SessionSpend.placeholder.csvFields.csvHeader
        return CSVText.document([header] + sessions.map(\.csvFields.csvRow))
    }

    private var totalsJSON: String {
        let fields: ReportFields = [
            ("sessions", .integer(totals.sessions)),
            ("turns", .integer(totals.turns)),
            ("estimated_turns", .integer(totals.estimatedTurns)),
            ("actual_usd", .usd(totals.cost)),
            ("requested_usd", .usd(totals.requested)),
            ("baseline_usd", .usd(totals.baseline)),
            ("savings_usd", .usd(totals.savings)),
            ("routing_savings_usd", .usd(totals.routingSavings)),
            ("savings_pct", .percent(basisPoints: totals.savingsBasisPoints)),
        ]
        var members = fields.map { (key: $0.key, json: $0.value.json) }
        members.append((key: "requested_coverage", json: totals.requestedCoverage.reportFields.jsonObject))
        members.append((key: "baseline_coverage", json: totals.baselineCoverage.reportFields.jsonObject))
        return JSONText.object(members)
    }

    private var distributionJSON: String {
        let fields: ReportFields = [
            ("count", .integer(distribution.count)),
            ("mean_usd", .usd(distribution.mean)),
            ("median_usd", .usd(distribution.median)),
            ("p90_usd", .usd(distribution.p90)),
            ("p99_usd", .usd(distribution.p99)),
            ("max_usd", .usd(distribution.maximum)),
            ("top_10pct_share_pct", .percent(basisPoints: distribution.topDecileShareBasisPoints)),
            ("suggested_cap_usd", .usd(distribution.suggestedCap)),
        ]
        var members = fields.map { (key: $0.key, json: $0.value.json) }
        let buckets = distribution.histogram.buckets.map(\.reportFields.jsonObject)
        members.append((key: "histogram", json: JSONText.array(buckets)))
        return JSONText.object(members)
    }
}

extension CostHistogram.Bucket {
    /// The bucket's fields: its range and how many sessions fall in it.
    var reportFields: ReportFields {
        [("from_usd", .usd(lower)), ("to_usd", .usd(upper)), ("sessions", .integer(sessions))]
    }
}

extension LongTailReport.SessionSpend {
    /// The session's fields shared by JSON and CSV, in order.
    var reportFields: ReportFields {
        [
            ("session", .string(session)),
            ("tag", .optionalString(tag)),
            ("turns", .integer(turns)),
            ("first_seen", .string(UTCDateTime(unixMilliseconds: firstAtMilliseconds).iso8601)),
            ("last_seen", .string(UTCDateTime(unixMilliseconds: lastAtMilliseconds).iso8601)),
            ("actual_usd", .usd(cost)),
            ("requested_usd", .usd(requested)),
            ("baseline_usd", .usd(baseline)),
            ("savings_usd", .usd(savings)),
            ("routing_savings_usd", .usd(routingSavings)),
        ]
    }

    /// The session as a JSON object; `flags` maps each flag's raw value to its turn count.
    var jsonObject: String {
        var members = reportFields.map { (key: $0.key, json: $0.value.json) }
        let counts = flags.map { (key: $0.flag.rawValue, json: String($0.turns)) }
        members.append((key: "flags", json: JSONText.object(counts)))
        return JSONText.object(members)
    }

    /// The session as CSV fields; `flags` is `retries:2;tool_loop:4`.
    var csvFields: ReportFields {
        var fields = reportFields
        fields.append(("flags", .strings(flags.map { "\($0.flag.rawValue):\($0.turns)" })))
        return fields
    }

    /// A session with no turns, for the CSV header.
    static var placeholder: Self {
        Self(session: "", turns: [])
    }
}

extension LongTailReport.TagCap {
    /// The cap's fields, in order.
    var reportFields: ReportFields {
        [
            ("tag", .string(tag)),
            ("p90_usd", .usd(p90)),
            ("cap_usd", .usd(cap)),
            ("sessions", .integer(sessions)),
        ]
    }
}

extension LongTailReport.CoverageCounts {
    /// The counts by coverage name.
    var reportFields: ReportFields {
        [("exact", .integer(exact)), ("simulated", .integer(simulated)), ("unknown", .integer(unknown))]
    }
}

extension SpendForecast {
    /// The forecast's fields, in order.
    var reportFields: ReportFields {
        [
            ("spend_usd", .usd(spend)),
            ("low_usd", .usd(low)),
            ("high_usd", .usd(high)),
            ("days_of_history", .integer(daysOfHistory)),
        ]
    }
}

extension SpendGroups {
    /// Each row's fields, in order.
    var reportRows: [ReportFields] {
        rows.map { Self.reportFields(of: $0, by: key) }
    }

    /// A row's fields: the key's value under the key's name (`"tag": "PROJ-1"`), then the figures.
    static func reportFields(of row: Row, by key: SpendGroupKey) -> ReportFields {
        [
            (key.rawValue, .string(row.key)),
            ("turns", .integer(row.turns)),
            ("sessions", .integer(row.sessions)),
            ("actual_usd", .usd(row.cost)),
            ("requested_usd", .usd(row.requested)),
            ("baseline_usd", .usd(row.baseline)),
            ("savings_usd", .usd(row.savings)),
            ("share_pct", .percent(basisPoints: row.shareBasisPoints)),
        ]
    }

    /// An empty row, for the CSV header of a report without groups.
    static var placeholderRow: Row {
        Row(key: "", turns: 0, sessions: 0, cost: .zero, requested: .zero, baseline: .zero, shareBasisPoints: nil)
    }
}
