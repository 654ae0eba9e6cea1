import SluiceWire

/// One line of a recorded-requests file, `{"protocol": ..., "body": {...}, "headers": {...}}`, as
/// `sluice policy explain --requests` and `sluice replay --requests` read it.
struct RequestLine {
    /// The dialect the body is written in.
    var dialect: Dialect
    /// The headers, by lowercase name.
    var headers: [String: String]
    /// The body's bytes in the line: scanned in place, as the gateway scans a request.
    var body: Range<Int>

    /// Reads the line's envelope; `protocol` may be `openai` (Chat Completions), as in exported
    /// traces, and `override`, when given, replaces it.
    ///
    /// - Throws: `ClientError` saying what the line lacks.
    init(_ root: JSONValue, dialect override: Dialect? = nil) throws(ClientError) {
        guard root.kind == .object, let body = root["body"], body.kind == .object else {
            throw ClientError(.invalidRequest, "not a JSON object with a \"body\" object")
        }
        let name = root["protocol"]?.string ?? ""
        guard let dialect = override ?? (name == "openai" ? .openAIChat : Dialect(rawValue: name)) else {
            throw ClientError(
                .invalidRequest,
                "unknown protocol \"\(name.prefix(40))\"; use anthropic, openai-chat (or openai) or openai-responses")
        }
        var headers: [String: String] = [:]
        if let object = root["headers"] {
            for (key, value) in object.members {
                if let name = key.string, let text = value.string { headers[name.lowercased()] = text }
            }
        }
        self.dialect = dialect
        self.headers = headers
        self.body = body.byteRange
    }
}
