/// Quotes CSV fields the way RFC 4180 says.
///
/// Session keys, tags and reasons are free text that may hold commas, quotes or line breaks.
enum CSVText {
    /// The field as written in a CSV record: quoted, with inner quotes doubled, when it holds a
    /// comma, a quote, a line break, or leading or trailing spaces; otherwise as is.
    static func field(_ text: String) -> String {
        let needsQuotes =
            text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    /// Joins lines into a CSV document; records end with a line feed except the last.
    static func document(_ lines: [String]) -> String {
        lines.joined(separator: "\n")
    }
}
