/// The plot area and number formatting shared by the dashboard's inline SVG charts.
///
/// Charts are drawn on the server as SVG inside the page, so they need no script and no
/// library, print well and read the same in every browser. Money stays exact everywhere else;
/// only here, to place a point on screen, is an amount turned into a `Double`.
struct DashboardSVG {
    /// The whole drawing, in SVG user units (the `viewBox`); the browser scales it to fit.
    var width: Double = 760
    var height: Double = 260
    /// Room for the axis labels around the plot area.
    var left: Double = 72
    var right: Double = 16
    var top: Double = 14
    var bottom: Double = 30

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }
    var plotBottom: Double { top + plotHeight }
    var plotRight: Double { left + plotWidth }

    /// Opens the `<svg>` with its chart name, point count and an accessible label.
    ///
    /// - Parameters:
    ///   - chart: The `data-chart` name tests and people can find the chart by.
    ///   - points: The `data-points` count: how many data points (buckets) the chart has.
    ///   - label: What the chart shows, for screen readers and as its tooltip.
    func open(chart: String, points: Int, label: String, to html: inout String) {
        // Inline SVG in HTML needs no namespace declaration: the parser puts it in SVG's namespace.
        html.append("<svg class=\"chart\" viewBox=\"0 0 ")
        html.append(Self.number(width))
        html.append(" ")
        html.append(Self.number(height))
        html.append("\" role=\"img\" data-chart=\"")
        html.appendEscaped(chart)
        html.append("\" data-points=\"")
        html.append(String(points))
        html.append("\" aria-label=\"")
        html.appendEscaped(label)
        html.append("\">\n<title>")
        html.appendEscaped(label)
        html.append("</title>\n")
    }

    /// A horizontal grid line at `y` with `label` left of the plot.
    func appendGridLine(y: Double, label: String, to html: inout String) {
        html.append("<line class=\"grid\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(y))\" ")
        html.append("x2=\"\(Self.number(plotRight))\" y2=\"\(Self.number(y))\"/>")
        html.append("<text x=\"\(Self.number(left - 6))\" y=\"\(Self.number(y + 4))\" text-anchor=\"end\">")
        html.appendEscaped(label)
        html.append("</text>\n")
    }

    /// A label under the plot, centred on `x`.
    func appendBottomLabel(x: Double, label: String, anchor: String = "middle", to html: inout String) {
        html.append("<text x=\"\(Self.number(x))\" y=\"\(Self.number(plotBottom + 18))\" text-anchor=\"\(anchor)\">")
        html.appendEscaped(label)
        html.append("</text>\n")
    }

    /// The plot's axes: the baseline and the left edge.
    func appendAxes(to html: inout String) {
        html.append("<line class=\"axis\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(plotBottom))\" ")
        html.append("x2=\"\(Self.number(plotRight))\" y2=\"\(Self.number(plotBottom))\"/>")
        html.append("<line class=\"axis\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(top))\" ")
        html.append("x2=\"\(Self.number(left))\" y2=\"\(Self.number(plotBottom))\"/>\n")
    }

    /// A coordinate with one decimal, without Foundation's formatters: `12.34` → `"12.3"`.
    ///
    /// A tenth of a user unit is finer than any screen shows, and short numbers keep a chart of
    /// a few thousand points small. Values that are not finite (which the charts never produce)
    /// are written as 0 rather than as text a browser would reject.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((min(max(value, -1e12), 1e12) * 10).rounded())
        let magnitude = tenths.magnitude
        let sign = tenths < 0 ? "-" : ""
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    /// The indices of at most `count` labels spread evenly over `points` points, first and last
    /// included, so a long axis is not a smear of overlapping text.
    static func labelIndices(points: Int, count: Int) -> [Int] {
        guard points > 0 else { return [] }
        let shown = min(points, max(2, count))
        guard shown > 1 else { return [0] }
        var indices: [Int] = []
        for step in 0..<shown {
            let index = step * (points - 1) / (shown - 1)
            if indices.last != index { indices.append(index) }
        }
        return indices
    }
}
