/// A case-insensitive pattern over names where `*` stands for any run of characters.
///
/// Used by the `requested_model` condition, so one rule covers a family of model ids:
///
/// ```swift
/// GlobPattern("*haiku*").matches("claude-haiku-5-5")   // true
/// GlobPattern("gpt-5.6-*").matches("GPT-5.6-Luna")      // true
/// ```
package struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written in the policy.
    package let text: String
    /// The pattern lowercased, as scalars, so matching does no allocation for the pattern side.
    private let folded: [Unicode.Scalar]

    package init(_ text: String) {
        self.text = text
        self.folded = Array(text.lowercased().unicodeScalars)
    }

    package var description: String { text }

    /// Whether `name` matches the whole pattern, ignoring case.
    package func matches(_ name: String) -> Bool {
        let star: Unicode.Scalar = "*"
        let subject = Array(name.lowercased().unicodeScalars)
        var patternIndex = 0
        var subjectIndex = 0
        // The last `*` seen and the subject position it is currently made to cover up to: on a
        // mismatch the star swallows one more character and matching resumes after it.
        var lastStar: Int?
        var starCoversUpTo = 0
        while subjectIndex < subject.count {
            if patternIndex < folded.count, folded[patternIndex] == star {
                lastStar = patternIndex
                starCoversUpTo = subjectIndex
                patternIndex += 1
            } else if patternIndex < folded.count, folded[patternIndex] == subject[subjectIndex] {
                patternIndex += 1
                subjectIndex += 1
            } else if let lastStar {
                patternIndex = lastStar + 1
                starCoversUpTo += 1
                subjectIndex = starCoversUpTo
            } else {
                return false
            }
        }
        while patternIndex < folded.count, folded[patternIndex] == star {
            patternIndex += 1
        }
        return patternIndex == folded.count
    }

    /// Whether the pattern is only stars, so it matches every name.
    var matchesEverything: Bool {
        folded.allSatisfy { $0 == "*" }
    }

    /// Whether the two patterns are the same once case is ignored.
    func isEquivalent(to other: GlobPattern) -> Bool {
        folded == other.folded
    }
}
