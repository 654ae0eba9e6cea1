/// The output formats of `sluice report`.
///
/// The raw values are what users type after `--format`.
package enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// Aligned columns for people.
    case table
    /// One JSON document, numbers as exact decimals, for scripts.
    case json
    /// RFC 4180 CSV with a header row, for spreadsheets.
    case csv
    /// GitHub-flavoured Markdown (headings, pipe tables), for issues, pull requests and wikis.
    case markdown
}
