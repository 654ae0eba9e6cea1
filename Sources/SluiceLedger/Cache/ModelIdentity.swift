/// Model ids compared the way providers treat them.
///
/// Clients often send a dated snapshot (`claude-opus-4-5-20251101`, `gpt-5-2025-08-07`) where a
/// policy or price book names the model (`claude-opus-4-5`, `gpt-5`); both mean the same prices
/// and the same prompt cache.
package enum ModelIdentity {
    /// The id in lowercase, without a provider prefix (`anthropic/`, `openai/`) and without a
    /// trailing date (`-20251101`, `-2025-08-07`) or `-latest`.
    package static func normalized(_ id: String) -> String {
        var id = Substring(id.lowercased())
        if let slash = id.lastIndex(of: "/") { id = id[id.index(after: slash)...] }
        if id.hasSuffix("-latest") { id = id.dropLast(7) }
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        func isDigits(_ part: Substring, count: Int) -> Bool { part.count == count && part.allSatisfy(\.isASCIIDigit) }
        if let last = parts.last, parts.count > 1, isDigits(last, count: 8) {
            id = id.dropLast(last.count + 1)
        } else if parts.count > 3, isDigits(parts[parts.count - 3], count: 4),
            isDigits(parts[parts.count - 2], count: 2), isDigits(parts[parts.count - 1], count: 2)
        {
            id = id.dropLast(11)
        }
        return String(id)
    }

    /// Whether two ids name the same model.
    package static func same(_ lhs: String, _ rhs: String) -> Bool {
        normalized(lhs) == normalized(rhs)
    }
}

extension Character {
    /// `0` to `9` only; `Character.isNumber` also accepts other scripts' digits and fractions.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
