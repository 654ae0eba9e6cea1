extension ExperimentReport {
    /// The table's sections as Markdown, for an issue or a pull request that proposes to adopt
    /// (or drop) an arm: a heading per section, pipe tables (the same columns as the table's,
    /// ``armSections``), the notes under a table and the conclusions as lists, and the footnotes
    /// as paragraphs.
    var markdown: String {
        var lines = ["# Sluice experiment report: \(MarkdownText.escaped(experiment))", ""]
        guard sessions + inProgress > 0 else {
            lines.append(MarkdownText.escaped(emptyText))
            return lines.joined(separator: "\n")
        }
        lines.append(MarkdownText.escaped(headline))
        for section in armSections {
            lines += ["", "## \(MarkdownText.escaped(section.title))", ""]
            lines += section.markdownTable
            if !section.notes.isEmpty {
                lines.append("")
                lines += section.notes.map { "- " + MarkdownText.escaped($0) }
            }
        }
        if let differences = differenceSection {
            lines += ["", "## \(MarkdownText.escaped(differences.title))", ""]
            lines += differences.markdownTable
            lines.append("")
            lines += comparisons.map {
                "- **\(MarkdownText.escaped($0.arm))**: \(MarkdownText.escaped($0.conclusion))"
            }
        }
        for note in footnotes {
            lines += ["", MarkdownText.escaped(note)]
        }
        return lines.joined(separator: "\n")
    }
}
