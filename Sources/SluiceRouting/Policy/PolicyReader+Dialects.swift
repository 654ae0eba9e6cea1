import SluiceWire
import Yams

/// Dialect words, as an upstream's `dialect`, a baseline's keys and a rule's `client` write them.
extension PolicyReader {
    /// Dialect names an upstream's `dialect` or a rule's `client` accepts; `openai` is both OpenAI
    /// dialects, since OpenAI's own endpoint serves both.
    static let dialectWords: [String: Set<Dialect>] = Dictionary(
        uniqueKeysWithValues: Dialect.allCases.map { ($0.rawValue, [$0]) }
            + [("openai", [.openAIChat, .openAIResponses])])
    private static let dialectWordList = Dialect.allCases.map(\.rawValue) + ["openai"]

    /// One dialect word or a list of them; `openai` is both OpenAI dialects.
    mutating func readDialects(_ node: Node, at path: String) -> Set<Dialect>? {
        var dialects: Set<Dialect> = []
        var sound = true
        for (item, itemPath) in items(node, at: path) {
            guard let word = text(item, at: itemPath, expecting: "a dialect") else {
                sound = false
                continue
            }
            guard let named = Self.dialectWords[word] else {
                report(itemPath, "unknown dialect \"\(word)\"\(Self.dialectHelp(for: word))", at: item)
                sound = false
                continue
            }
            dialects.formUnion(named)
        }
        return sound && !dialects.isEmpty ? dialects : nil
    }

    /// ` (did you mean "anthropic"?)` for a likely typo, else the list of dialect words.
    static func dialectHelp(for word: String) -> String {
        let suggestion = Wording.suggestion(for: word, among: dialectWordList)
        guard suggestion.isEmpty else { return suggestion }
        return "; one of \(dialectWordList.joined(separator: ", ")) (openai is both OpenAI dialects)"
    }

    /// Dialects in declaration order: `anthropic, openai-chat`.
    static func list(_ dialects: Set<Dialect>) -> String {
        Dialect.allCases.filter(dialects.contains).map(\.rawValue).joined(separator: ", ")
    }
}
