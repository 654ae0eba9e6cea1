/// A line chart of amounts over time as inline SVG: one `<polyline>` per series and one
/// `<circle class="point">` per data point of each series, with a tooltip per point.
///
/// The overview draws spend against its two counterfactuals on one scale, so the gaps between
/// the lines are the savings. The y axis starts at zero: a chart that cut the axis would make
/// a few cents look like a cliff.
struct DashboardLineChart {
    /// One line.
    struct Series {
        /// `spend`, `requested`, `baseline`: the `data-series` the style sheet colours by.
        var name: String
        /// What the tooltip calls it.
        var label: String
        /// One amount per point, in point order.
        var values: [USD]
    }

    /// The `data-chart` name.
    var chart: String
    /// What the chart shows, for screen readers.
    var description: String
    /// One label per point, in order (dates).
    var labels: [String]
    /// The lines, each with one value per label.
    var series: [Series]
    var frame = DashboardSVG()

    /// Appends the chart; `data-points` is the number of points per series.
    func append(to html: inout String) {
        let count = labels.count
        frame.open(chart: chart, points: count, label: description, to: &html)
        var largest: Int64 = 1
        for line in series {
            for value in line.values { largest = max(largest, value.nanos) }
        }
        let top = Double(largest)
        for step in 0...4 {
            let share = Double(step) / 4
            let y = frame.plotBottom - frame.plotHeight * share
            // Clamped below Int64's end, which a Double cannot hold exactly.
            let amount = USD(nanos: Int64(min(top * share, 9.0e18)))
            frame.appendGridLine(y: y, label: CostHistogram.label(amount), to: &html)
        }
        frame.appendAxes(to: &html)
        for index in DashboardSVG.labelIndices(points: count, count: 6) {
            let anchor = count > 1 && index == 0 ? "start" : count > 1 && index == count - 1 ? "end" : "middle"
            frame.appendBottomLabel(x: x(index, of: count), label: labels[index], anchor: anchor, to: &html)
        }
        for line in series {
            appendLine(line, top: top, to: &html)
        }
        html.append("</svg>\n")
    }

    /// The x of point `index` of `count`: spread edge to edge, a single point in the middle.
    private func x(_ index: Int, of count: Int) -> Double {
        guard count > 1 else { return frame.left + frame.plotWidth / 2 }
        return frame.left + frame.plotWidth * Double(index) / Double(count - 1)
    }

    private func y(_ value: USD, top: Double) -> Double {
        frame.plotBottom - frame.plotHeight * Double(max(0, value.nanos)) / top
    }

    private func appendLine(_ line: Series, top: Double, to html: inout String) {
        let count = min(line.values.count, labels.count)
        html.append("<polyline data-series=\"")
        html.appendEscaped(line.name)
        html.append("\" points=\"")
        for index in 0..<count {
            if index > 0 { html.append(" ") }
            html.append(DashboardSVG.number(x(index, of: count)))
            html.append(",")
            html.append(DashboardSVG.number(y(line.values[index], top: top)))
        }
        html.append("\"/>\n")
        for index in 0..<count {
            html.append("<circle class=\"point\" data-series=\"")
            html.appendEscaped(line.name)
            html.append("\" cx=\"")
            html.append(DashboardSVG.number(x(index, of: count)))
            html.append("\" cy=\"")
            html.append(DashboardSVG.number(y(line.values[index], top: top)))
            html.append("\" r=\"2.5\"><title>")
            html.appendEscaped(labels[index])
            html.append(": ")
            html.appendEscaped(line.label)
            html.append(" ")
            html.append(line.values[index].display)
            html.append("</title></circle>\n")
        }
    }
}
