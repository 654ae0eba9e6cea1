import SluiceLedger
package import SluiceWire

extension ReplayTurn {
    /// Reads one line of a `--requests` file: `{"protocol": ..., "body": {...}, "headers": {...}}`,
    /// optionally with `"timestamp"`, the `"model"` that really answered and its `"usage"` in the
    /// provider's own shape, at the top level or under `"meta"` (where exported traces keep them).
    ///
    /// The body is scanned in place, as the gateway scans it. A line without a session header
    /// takes `meta.session_id` when there is one; a line without a timestamp is dated a second
    /// after the previous one, so caches still age.
    ///
    /// - Parameters:
    ///   - bytes: The line.
    ///   - scanner: The scanner with the policy's tool categories.
    ///   - previous: The previous line's time, Unix milliseconds.
    /// - Throws: `ClientError` saying what is wrong with the line.
    package init(line bytes: UnsafeRawBufferPointer, scanner: RequestScanner, after previous: Int64) throws(ClientError) {
        guard let document = try? JSONDocument(bytes: bytes), document.root.kind == .object else {
            throw ClientError(.invalidRequest, "not a JSON object")
        }
        let root = document.root
        let meta = root["meta"]
        func field(_ name: String) -> JSONValue? {
            if let value = root[name], !value.isNull { return value }
            if let value = meta?[name], !value.isNull { return value }
            return nil
        }
        let envelope = try RequestLine(root)
        var headers = envelope.headers
        if headers["x-sluice-session"] == nil, let session = meta?["session_id"]?.string, !session.isEmpty {
            headers["x-sluice-session"] = session
        }
        let turnHeaders = TurnHeaders { headers[$0] }
        let dialect = envelope.dialect
        let scanned = try scanner.scan(
            UnsafeRawBufferPointer(rebasing: bytes[envelope.body]), dialect: dialect, headers: turnHeaders)
        let time = field("timestamp").flatMap { Self.milliseconds($0, in: bytes) } ?? previous + 1_000
        var recorded: RecordedAnswer?
        if let usageObject = field("usage"), usageObject.kind == .object {
            let usage = Self.usage(usageObject, dialect: dialect)
            let model = field("model")?.string ?? scanned.features.requestedModel
            recorded = RecordedAnswer(modelID: model, usage: usage)
        }
        self.init(
            scanned: scanned, startedAtMilliseconds: time, agentID: turnHeaders.recordedAgentID ?? Self.thread(meta),
            recorded: recorded)
    }

    /// A trace's thread name as the agent id, unless it is the main conversation.
    private static func thread(_ meta: JSONValue?) -> String? {
        guard let thread = meta?["thread"]?.string, thread != "main", !thread.isEmpty else { return nil }
        return thread
    }

    /// Usage in the provider's shape: Anthropic's counts, OpenAI Chat's or Responses', or the flat
    /// `prompt_tokens`/`cached_tokens`/`completion_tokens` some exports write.
    static func usage(_ object: JSONValue, dialect: Dialect) -> Usage {
        if object["input_tokens"] != nil && object["output_tokens"] != nil && dialect == .anthropic {
            var usage = Usage.zero
            UsageReader.applyAnthropic(object, to: &usage)
            return usage
        }
        if dialect == .openAIResponses, let usage = UsageReader.openAIResponses(object) { return usage }
        guard var usage = UsageReader.openAIChat(object) else { return .zero }
        if let cached = object["cached_tokens"]?.int, usage.cacheRead == 0, cached <= usage.uncachedInput {
            usage.cacheRead = cached
            usage.uncachedInput -= cached
        }
        return usage
    }

    /// Unix seconds (with a fraction) or milliseconds, or an ISO 8601 UTC time.
    static func milliseconds(_ value: JSONValue, in bytes: UnsafeRawBufferPointer) -> Int64? {
        if value.kind == .number {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[value.byteRange]), as: UTF8.self)
            guard let number = Double(text), number.isFinite, number > 0 else { return nil }
            // Anything before 1973 in milliseconds is a time in seconds.
            return number < 1e11 ? Int64((number * 1_000).rounded()) : Int64(number.rounded())
        }
        guard let text = value.string else { return nil }
        return iso8601Milliseconds(text)
    }

    /// `2026-01-21T01:09:01.581Z` (seconds, fraction and `Z` optional) as Unix milliseconds.
    static func iso8601Milliseconds(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { "-T:Z ".contains($0) })
        guard parts.count >= 5, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            let hour = Int(parts[3]), let minute = Int(parts[4]), (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60
        else { return nil }
        var seconds = 0.0
        if parts.count >= 6 {
            guard let value = Double(parts[5]), value >= 0, value < 61 else { return nil }
            seconds = value
        }
        let days = UTCDateTime.daysSinceEpoch(year: year, month: month, day: day)
        return days * UTCDateTime.millisecondsPerDay + Int64(hour * 3_600_000 + minute * 60_000)
            + Int64((seconds * 1_000).rounded())
    }
}
