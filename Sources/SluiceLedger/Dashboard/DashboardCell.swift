/// Table cells the dashboard pages share, each written straight into the page's buffer.
///
/// Figures are right-aligned (`class="num"`) and carry their exact value in `data-sort-value`
/// (nanodollars for money, milliseconds for times), so what a cell says can be checked without
/// parsing its display text, and a table's order can be read off its rows.
enum DashboardCell {
    /// A money cell: `$1.2300` over its nanodollars; `mark` (`~` for estimated usage) before it.
    static func money(_ amount: USD, mark: String = "", to html: inout String) {
        html.append("<td class=\"num\" data-sort-value=\"\(amount.nanos)\">")
        html.append(mark)
        html.append(amount.display)
        html.append("</td>")
    }

    /// A savings cell, green when money was saved and red when routing cost more.
    static func savings(_ amount: USD, mark: String = "", to html: inout String) {
        html.append("<td class=\"num \(tone(amount))\" data-sort-value=\"\(amount.nanos)\">")
        html.append(mark)
        html.append(amount.display)
        html.append("</td>")
    }

    /// A count: `1,234`.
    static func count(_ value: Int, to html: inout String) {
        html.append("<td class=\"num\" data-sort-value=\"\(value)\">")
        html.append(NumberText.grouped(value))
        html.append("</td>")
    }

    /// A moment to the minute, with the full ISO 8601 time as its tooltip.
    static func time(_ milliseconds: Int64, to html: inout String) {
        let moment = UTCDateTime(unixMilliseconds: milliseconds)
        html.append("<td class=\"num\" data-sort-value=\"\(milliseconds)\" title=\"")
        html.append(moment.iso8601)
        html.append("\">")
        html.append(moment.shortDisplay)
        html.append("</td>")
    }

    /// Text, escaped; `–` when absent or empty.
    static func text(_ value: String?, className: String? = nil, to html: inout String) {
        html.append(className.map { "<td class=\"\($0)\">" } ?? "<td>")
        if let value, !value.isEmpty {
            html.appendEscaped(value)
        } else {
            html.append("–")
        }
        html.append("</td>")
    }

    /// A share in basis points as `12.34%`, `–` without one.
    static func percent(basisPoints: Int?, to html: inout String) {
        html.append("<td class=\"num\" data-sort-value=\"\(basisPoints ?? 0)\">")
        html.append(SavingsReport.percentCell(basisPoints))
        html.append("</td>")
    }

    /// A counterfactual's price and, in the next cell, its coverage: `≈` marks a simulated
    /// figure and `?` an unknown one, whose reason is the coverage cell's tooltip.
    static func counterfactual(_ figure: Counterfactual, to html: inout String) {
        html.append("<td class=\"num\" data-sort-value=\"\(figure.cost.nanos)\">")
        html.append(SessionDetailReport.counterfactualCell(figure))
        html.append("</td><td class=\"coverage\"")
        if let reason = figure.coverage.reason {
            html.append(" title=\"")
            html.appendEscaped(reason)
            html.append("\"")
        }
        html.append(">")
        html.append(figure.coverage.name)
        html.append("</td>")
    }

    /// Waste flags as small labels, each with its meaning as a tooltip; `counts` adds the number
    /// of turns (`tool loop ×4`).
    static func flags(_ flags: [WasteFlag.Tally], counts: Bool, to html: inout String) {
        html.append("<td class=\"flags\">")
        for tally in flags {
            appendFlag(tally.flag, turns: counts ? tally.turns : nil, to: &html)
        }
        html.append("</td>")
    }

    /// One flag label.
    static func appendFlag(_ flag: WasteFlag, turns: Int?, to html: inout String) {
        html.append("<span class=\"flag\" data-flag=\"")
        html.append(flag.rawValue)
        html.append("\" title=\"")
        html.appendEscaped(flag.description)
        html.append("\">")
        html.append(flag.name)
        if let turns { html.append(" ×\(turns)") }
        html.append("</span>")
    }

    /// A verdict as a label coloured by how it went; `in progress` for a session not settled.
    static func verdict(_ verdict: SessionSignals.Verdict, inProgress: Bool, to html: inout String) {
        html.append("<td class=\"verdict-\(verdict.rawValue)\">")
        html.append(inProgress && verdict == .unknown ? "in progress" : verdict.name)
        html.append("</td>")
    }

    /// `pos` for a saving, `neg` for a loss, nothing for zero.
    static func tone(_ amount: USD) -> String {
        amount.nanos > 0 ? "pos" : amount.nanos < 0 ? "neg" : ""
    }

    /// A share of a whole in basis points, rounded half up; `nil` when the whole is zero.
    static func basisPoints(_ part: Int, of whole: Int) -> Int? {
        guard whole > 0 else { return nil }
        return (part * 20_000 + whole) / (2 * whole)
    }
}
