/// One thing wrong with a policy file, located by its path in the document.
///
/// A policy is checked in one pass that collects every problem, so `sluice policy check` can list
/// them all at once instead of making the user fix them one run at a time.
///
/// ```
/// rules[2].route: unknown model "gpt-x" (line 41)
/// ```
package struct PolicyProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where in the document: `models.haiku.price.cache_read`, `rules[2].when.shape`; empty for
    /// problems with the document as a whole (a YAML syntax error).
    package var path: String
    /// What is wrong, in words a person can act on.
    package var message: String
    /// The 1-based line the problem is on, when known.
    package var line: Int?

    package init(path: String, message: String, line: Int? = nil) {
        self.path = path
        self.message = message
        self.line = line
    }

    package var description: String {
        let located = path.isEmpty ? message : "\(path): \(message)"
        guard let line else { return located }
        return "\(located) (line \(line))"
    }
}
