/// Builds GitHub-flavoured Markdown for reports pasted into issues, pull requests and wikis.
///
/// Session keys, tags and rule names are free text, and a `|` would split a table cell or a `*`
/// start emphasis, so every piece of data goes through ``escaped(_:)``.
enum MarkdownText {
    /// `text` with the characters that Markdown would read as syntax backslash-escaped, and line
    /// breaks turned into spaces so a value never ends a table row or paragraph.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\n", "\r", "\r\n":
                result.append(" ")
            case "\\", "|", "*", "_", "`", "[", "]", "<":
                result.append("\\")
                result.append(character)
            default:
                result.append(character)
            }
        }
        return result
    }

    /// A pipe table: the header row, the alignment row, then one row per entry; every cell is
    /// escaped here.
    ///
    /// - Parameters:
    ///   - columns: Headers and alignments (right for figures).
    ///   - rows: One cell per column each.
    static func table(_ columns: [TextTable.Column], rows: [[String]]) -> [String] {
        var lines = [row(columns.map(\.header))]
        lines.append("|" + columns.map { $0.alignment == .right ? " ---: |" : " --- |" }.joined())
        for cells in rows {
            precondition(cells.count == columns.count, "a row needs one cell per column")
            lines.append(row(cells))
        }
        return lines
    }

    /// Lines in a fenced code block, shown verbatim in a monospaced font.
    static func codeBlock(_ lines: [String]) -> [String] {
        ["```text"] + lines + ["```"]
    }

    private static func row(_ cells: [String]) -> String {
        "| " + cells.map(escaped).joined(separator: " | ") + " |"
    }
}
