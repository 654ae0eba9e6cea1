import SluiceWire

/// Reads tool results for signs of failure without decoding them.
///
/// The `is_error` flag is the clean signal (Claude Code). Shell-based agents report failure in
/// text instead: a non-zero exit code (`<returncode>1`, `Exit code 2`, mini-swe-agent 2's
/// `{"returncode": 1, ...}`), or, when a pipe hid the
/// exit code, a traceback or a failing test summary. Those markers are matched only on results of
/// shell and test commands: source code a `Read` returned mentions `error:` all the time.
package enum ToolResultInspector {
    private static let markers: [StaticString] = [
        "Traceback (most recent call last)", "--- FAIL", "[build failed]", "command not found",
        "No such file or directory", "panicked at", "npm ERR!", "EXECUTION TIMED OUT", "FAILED (",
        "=== FAILURES ===", " failed, ", "error[E0", "Your proposed edit has introduced new syntax error",
        "<tool_use_error>",
    ]
    private static let exitCodeMarkers: [StaticString] = [
        "<returncode>", "Exit code: ", "Exit code ", "exit status ", "\\\"exit_code\\\":", "\"exit_code\":",
        "Process exited with code ", "\\\"returncode\\\":", "\"returncode\":",
    ]

    /// Whether the raw string text in `range` of `document` reports a failure.
    package static func reportsFailure(_ bytes: UnsafeRawBufferPointer, in range: Range<Int>) -> Bool {
        // Bound the cost on huge outputs: failures show at the start or the end.
        let window = 65_536
        if range.count > 2 * window {
            return reportsFailure(bytes, in: range.lowerBound..<(range.lowerBound + window))
                || reportsFailure(bytes, in: (range.upperBound - window)..<range.upperBound)
        }
        for marker in exitCodeMarkers {
            var from = range.lowerBound
            while let found = bytes.firstRange(of: marker, in: from..<range.upperBound) {
                var i = found.upperBound
                while i < range.upperBound && bytes[i] == 0x20 { i += 1 }
                if i < range.upperBound, bytes[i] >= 0x31 && bytes[i] <= 0x39 { return true }
                if i + 1 < range.upperBound, bytes[i] == 0x30, bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39 { return true }
                from = found.upperBound
            }
        }
        for marker in markers where bytes.firstRange(of: marker, in: range) != nil {
            return true
        }
        return false
    }
}
