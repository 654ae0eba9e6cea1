/// The p90 session cost of recent sessions, overall and per tag: what a `p90x3` cap and the
/// anomaly flag multiply.
///
/// A figure needs ``LongTailReport/minimumSessionsForTagCap`` sessions behind it; a tag with
/// fewer falls back to the overall figure, and with fewer overall there is none.
package struct SessionPercentiles: Sendable, Hashable {
    package var overall: USD?
    package var byTag: [String: USD]

    package init(overall: USD? = nil, byTag: [String: USD] = [:]) {
        self.overall = overall
        self.byTag = byTag
    }

    /// Sums `rows` into sessions (a session's tag is the last one its rows name) and takes the
    /// nearest-rank p90 of their costs.
    package init(rows: [SpendRow]) {
        var costs: [String: USD] = [:]
        var tags: [String: String] = [:]
        for row in rows {
            costs[row.session, default: .zero] += row.cost
            if let tag = row.tag, !tag.isEmpty { tags[row.session] = tag }
        }
        let minimum = LongTailReport.minimumSessionsForTagCap
        var byTag: [String: [USD]] = [:]
        for (session, tag) in tags { byTag[tag, default: []].append(costs[session]!) }
        let all = costs.values.sorted()
        self.init(
            overall: all.count >= minimum ? CostDistribution.percentile(90, ofSorted: all) : nil,
            byTag: byTag.compactMapValues { $0.count >= minimum ? CostDistribution.percentile(90, ofSorted: $0.sorted()) : nil })
    }

    /// The p90 that applies to a session tagged `tag`.
    package func p90(tag: String?) -> USD? {
        tag.flatMap { byTag[$0] } ?? overall
    }

    /// `multiple` times the p90 that applies to a session tagged `tag` (saturating, never
    /// overflowing): a `p90x3` cap's ceiling, or the anomaly flag's line.
    package func p90(tag: String?, times multiple: Int) -> USD? {
        p90(tag: tag).map { p90 in
            let (product, overflow) = p90.nanos.multipliedReportingOverflow(by: Int64(multiple))
            return USD(nanos: overflow ? .max : product)
        }
    }
}
