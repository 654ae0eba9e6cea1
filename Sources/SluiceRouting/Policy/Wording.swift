/// Small text helpers shared by the policy's messages, reasons and problems.
enum Wording {
    /// `12345` as `12,345`: token counts in reasons are read by people.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// `a`, `a or b`, `a, b or c`.
    static func alternatives(_ words: [String]) -> String {
        guard let last = words.last else { return "" }
        guard words.count > 1 else { return last }
        return words.dropLast().joined(separator: ", ") + " or " + last
    }

    /// ` (did you mean "shape"?)` when `word` is a likely typo of one of `candidates`, else empty.
    ///
    /// Case is ignored, and a candidate qualifies when at most a third of its letters (at least one,
    /// at most three) must change, so `shap` suggests `shape` but `gpt-x` does not suggest `opus`.
    static func suggestion(for word: String, among candidates: some Sequence<String>) -> String {
        let folded = Array(word.lowercased())
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(folded, Array(candidate.lowercased()))
            let allowed = max(1, min(3, candidate.count / 3))
            guard distance <= allowed else { continue }
            if let current = best, (distance, candidate) >= (current.distance, current.candidate) { continue }
            best = (candidate, distance)
        }
        guard let best else { return "" }
        return " (did you mean \"\(best.candidate)\"?)"
    }

    /// Levenshtein distance: insertions, deletions and substitutions each cost one.
    static func editDistance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        guard !lhs.isEmpty else { return rhs.count }
        guard !rhs.isEmpty else { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for (i, left) in lhs.enumerated() {
            current[0] = i + 1
            for (j, right) in rhs.enumerated() {
                let substitution = previous[j] + (left == right ? 0 : 1)
                current[j + 1] = min(substitution, previous[j + 1] + 1, current[j] + 1)
            }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
