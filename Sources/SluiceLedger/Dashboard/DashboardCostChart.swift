/// The cost-per-session histogram as inline SVG: one `<rect class="bar">` per bucket of
/// ``CostHistogram`` on its log scale, and a dashed vertical line at the suggested cap.
///
/// The buckets are the ones `sluice report` prints (half decades: $0.01, $0.032, $0.10, …), so
/// the dashboard and the terminal tell the same story. Each bucket gets an equal slot, which
/// makes the x axis logarithmic; the cap line is placed inside its bucket by its logarithm.
/// When the cap lies beyond the dearest bucket, the axis is widened to show it: seeing the
/// cap well clear of every session says as much as seeing it cut the tail.
struct DashboardCostChart {
    /// The sessions in buckets.
    var histogram: CostHistogram
    /// The suggested per-session cap; no line when zero.
    var cap: USD
    var frame = DashboardSVG()

    /// Appends the chart; `data-points` is the number of buckets.
    func append(to html: inout String) {
        let buckets = histogram.buckets
        frame.open(
            chart: "cost-distribution", points: buckets.count,
            label: "Sessions by cost, log scale, with the suggested cap", to: &html)
        let fullest = max(1, buckets.map(\.sessions).max() ?? 0)
        let capSlot = self.capSlot
        let slots = max(Double(max(1, buckets.count)), capSlot.map { ($0 + 0.5).rounded(.up) } ?? 0)
        let slotWidth = frame.plotWidth / slots

        for step in 0...2 {
            let count = fullest * step / 2
            let y = frame.plotBottom - frame.plotHeight * Double(count) / Double(fullest)
            if step == 0 || count > fullest * (step - 1) / 2 {
                frame.appendGridLine(y: y, label: LongTailReport.counted(count, "session"), to: &html)
            }
        }
        frame.appendAxes(to: &html)

        let labelEvery = buckets.count > 14 ? 2 : 1
        for (index, bucket) in buckets.enumerated() {
            let x = frame.left + slotWidth * Double(index)
            let height = frame.plotHeight * Double(bucket.sessions) / Double(fullest)
            html.append("<rect class=\"bar\" data-sessions=\"\(bucket.sessions)\" x=\"")
            html.append(DashboardSVG.number(x + 1))
            html.append("\" y=\"")
            html.append(DashboardSVG.number(frame.plotBottom - height))
            html.append("\" width=\"")
            html.append(DashboardSVG.number(max(1, slotWidth - 2)))
            html.append("\" height=\"")
            html.append(DashboardSVG.number(height))
            html.append("\"><title>")
            html.append(Self.range(bucket))
            html.append(": ")
            html.append(LongTailReport.counted(bucket.sessions, "session"))
            html.append("</title></rect>\n")
            if index % labelEvery == 0 {
                frame.appendBottomLabel(
                    x: x, label: CostHistogram.label(bucket.lower), anchor: index == 0 ? "start" : "middle", to: &html)
            }
        }

        if let capSlot {
            let x = frame.left + slotWidth * capSlot
            let label = "cap " + cap.display
            html.append(
                "<line class=\"cap-line\" x1=\"\(DashboardSVG.number(x))\" y1=\"\(DashboardSVG.number(frame.top))\" ")
            html.append("x2=\"\(DashboardSVG.number(x))\" y2=\"\(DashboardSVG.number(frame.plotBottom))\">")
            html.append("<title>Suggested cap per session: \(cap.display) (3 × p90)</title></line>\n")
            // The label sits left of the line when the line is near the right edge.
            let nearRight = x > frame.plotRight - 110
            html.append("<text class=\"cap-label\" x=\"\(DashboardSVG.number(nearRight ? x - 4 : x + 4))\" ")
            html.append("y=\"\(DashboardSVG.number(frame.top + 12))\" text-anchor=\"\(nearRight ? "end" : "start")\">")
            html.appendEscaped(label)
            html.append("</text>\n")
        }
        html.append("</svg>\n")
    }

    /// Where the cap falls, in bucket slots from the left edge; `nil` without a cap or positive buckets.
    ///
    /// Bucket `k` of ``CostHistogram/boundaries`` starts at 10^(k/2) nanodollars, so an amount's
    /// fractional bucket index is 2 × log₁₀ of its nanodollars.
    private var capSlot: Double? {
        guard cap.nanos > 0,
            let firstPositive = histogram.buckets.firstIndex(where: { !$0.isZero })
        else { return nil }
        let firstIndex = CostHistogram.bucketIndex(ofNanos: histogram.buckets[firstPositive].lower.nanos)
        let fractionalIndex = 2 * Logarithm.natural(Double(cap.nanos)) / Logarithm.natural(10)
        return max(0, Double(firstPositive) + fractionalIndex - Double(firstIndex))
    }

    /// `$0.10 – $0.32`, or `$0` for the bucket of free sessions.
    static func range(_ bucket: CostHistogram.Bucket) -> String {
        bucket.isZero ? "$0" : CostHistogram.label(bucket.lower) + " – " + CostHistogram.label(bucket.upper)
    }
}
