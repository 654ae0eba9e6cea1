import SluiceWire

/// Agents without tool calling (SWE-agent, text-protocol agents) write their action into the
/// assistant text, in a fenced block or `<command>`, and get its output back as the next user
/// message. Such a message is a tool result too, and the action is classified like a tool call.
///
/// aider writes edits as SEARCH/REPLACE blocks in its text; when its linter or test run fails it
/// sends the output back as a user message opening with "Fix any errors below". That message is a
/// tool result of the edit, and it reports an error. A command aider runs (`--auto-test`, `/run`,
/// `/test`) comes back as "I ran this command: ... And got this output: ...": a result of that
/// command, classified by the command itself.
extension FeatureScan {
    /// Markers that end SWE-agent's observations (its prompt line) or open mini-swe-agent's.
    private static let trailingMarkers: [StaticString] = ["bash-$", "(Current directory:"]
    private static let leadingMarkers: [StaticString] = [
        "<returncode>", "OBSERVATION:", "Observation:", "# Fix any errors below", "Fix any errors below",
    ]
    /// The name given to an action made of aider's SEARCH/REPLACE edit blocks.
    static let editBlockAction = "edit_blocks"

    /// Whether user `content` reads as an agent's observation rather than a person's words.
    ///
    /// Only the ends are searched: the markers sit there, and the output between can be long.
    static func isObservation(_ content: JSONValue?, in bytes: UnsafeRawBufferPointer) -> Bool {
        for range in textRanges(of: content) {
            let tail = Swift.max(range.lowerBound, range.upperBound - 512)..<range.upperBound
            let head = range.lowerBound..<Swift.min(range.upperBound, range.lowerBound + 256)
            if trailingMarkers.contains(where: { bytes.firstRange(of: $0, in: tail) != nil }) { return true }
            if leadingMarkers.contains(where: { bytes.firstRange(of: $0, in: head) != nil }) { return true }
        }
        return false
    }

    /// The opening of aider's report of a command it ran (its `run_output` prompt).
    private static let runOutputOpening: StaticString = "I ran this command:"
    private static let runOutputSeparator = "\n\nAnd got this output:"

    /// Whether user `content` is aider's report of a command it ran.
    static func isRunOutput(_ content: JSONValue?) -> Bool {
        content?.kind == .string && content?.rawStringHasPrefix(runOutputOpening) == true
    }

    /// The command and the raw span of the report, when user `content` is aider's report of a
    /// command it ran; `nil` otherwise.
    static func runOutput(_ content: JSONValue?) -> (command: String, output: [Range<Int>])? {
        guard let content, isRunOutput(content), let text = content.string,
            let separator = text.firstRange(of: runOutputSeparator)
        else { return nil }
        let command = text[text.index(text.startIndex, offsetBy: "I ran this command:".count)..<separator.lowerBound]
        return (String(command).trimmingWhitespace(), [content.rawStringRange])
    }

    /// The action in an assistant message's text: its last `<command>` block, or its last fenced
    /// block (without the language tag); `nil` when it has neither.
    static func textAction(in content: JSONValue?) -> String? {
        guard let content, let text = firstText(content) else { return nil }
        if text.contains("<<<<<<< SEARCH") && text.contains(">>>>>>> REPLACE") { return editBlockAction }
        guard text.contains("```") || text.contains("<command>") else { return nil }
        if let open = text.ranges(of: "<command>").last,
            let close = text[open.upperBound...].firstRange(of: "</command>")
        {
            return String(text[open.upperBound..<close.lowerBound]).trimmingWhitespace()
        }
        let fences = text.ranges(of: "```")
        guard fences.count >= 2 else { return nil }
        let block = text[fences[fences.count - 2].upperBound..<fences[fences.count - 1].lowerBound]
        // "```bash\nls -la\n```": the first line names the language when it is a single word.
        let lines = block.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        if lines.count == 2, !lines[0].contains(" ") {
            return String(lines[1]).trimmingWhitespace()
        }
        return String(block).trimmingWhitespace()
    }
}
