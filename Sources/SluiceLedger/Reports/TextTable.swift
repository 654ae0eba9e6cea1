/// Lays out rows of text in aligned columns for terminal reports.
///
/// Widths are measured in characters (grapheme clusters), which matches the terminal for the
/// ASCII-heavy content of reports.
struct TextTable {
    enum Alignment {
        case left, right
    }

    struct Column {
        var header: String
        var alignment: Alignment
    }

    enum Row {
        case cells([String])
        case rule
    }

    var columns: [Column]
    var rows: [Row] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    mutating func append(_ cells: [String]) {
        precondition(cells.count == columns.count, "a row needs one cell per column")
        rows.append(.cells(cells))
    }

    mutating func appendRule() {
        rows.append(.rule)
    }

    /// The table as lines without trailing spaces: header, a rule, then the rows.
    func rendered() -> [String] {
        var widths = columns.map(\.header.count)
        for case .cells(let cells) in rows {
            for (index, cell) in cells.enumerated() {
                widths[index] = max(widths[index], cell.count)
            }
        }
        let totalWidth = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        let rule = String(repeating: "─", count: totalWidth)
        var lines = [line(columns.map(\.header), widths: widths), rule]
        for row in rows {
            switch row {
            case .cells(let cells): lines.append(line(cells, widths: widths))
            case .rule: lines.append(rule)
            }
        }
        return lines
    }

    private func line(_ cells: [String], widths: [Int]) -> String {
        var text = ""
        for (index, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: widths[index] - cell.count)
            if index > 0 { text += "  " }
            text += columns[index].alignment == .left ? cell + padding : padding + cell
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// `text` cut to at most `limit` characters, ending with "…" when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
