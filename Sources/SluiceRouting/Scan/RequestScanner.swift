import SluiceLedger
package import SluiceWire

/// Reads a request body once and returns its features, session and splice points.
///
/// The body is indexed by `JSONScanner` (one pass, no decoding); the facts are then read from
/// the index, decoding only the few small strings routing needs (tool names, commands, ids).
package struct RequestScanner: Sendable {
    /// The tool names and their categories; fixed for the scanner's life, as its memo depends on it.
    package let catalog: ToolCatalog
    /// Earlier calls' categories, for the history features (see ``ToolCallMemo``).
    let memo = ToolCallMemo()
    /// How many of the latest replies the ``CallWindow`` holds: the loop breaker's window; `nil`
    /// when the policy has no loop breaker, and then no window is kept (it costs a few percent of
    /// the scan on long tool loops).
    package let loopWindow: Int?

    package init(catalog: ToolCatalog = .builtIn, loopWindow: Int? = nil) {
        self.catalog = catalog
        self.loopWindow = loopWindow.map { max(1, $0) }
    }

    /// Scans `body`, sent in `dialect`, with `headers`.
    ///
    /// - Throws: `ClientError` (`invalidRequest`) for a body that is not JSON, not an object, or
    ///   has no string `model`.
    package func scan(_ body: UnsafeRawBufferPointer, dialect: Dialect, headers: TurnHeaders) throws(ClientError)
        -> ScannedRequest
    {
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: body)
        } catch {
            throw ClientError(.invalidRequest, "The request body is not valid JSON: \(error.description).")
        }
        let root = document.root
        guard root.kind == .object else {
            throw ClientError(.invalidRequest, "The request body must be a JSON object.")
        }
        guard let model = root["model"], let requestedModel = model.string, !requestedModel.isEmpty else {
            throw ClientError(.invalidRequest, "The request has no `model`: a non-empty string is required.")
        }
        var scan = FeatureScan(dialect: dialect, catalog: catalog, memo: memo)
        scan.keepsLoopCalls = loopWindow != nil
        scan.features.requestedModel = requestedModel
        scan.features.stream = root["stream"]?.bool ?? false
        switch dialect {
        case .anthropic: scan.readAnthropic(root)
        case .openAIChat: scan.readChat(root)
        case .openAIResponses: scan.readResponses(root)
        }
        scan.finish(bodyBytes: body.count, headers: headers)
        if let loopWindow { scan.finishCallWindow(replies: loopWindow) }
        let session = SessionKey.resolve(
            headers: headers, body: scan.signals, dialect: dialect, requestedModel: requestedModel)
        return ScannedRequest(
            features: scan.features, session: session.key, sessionSource: session.source, modelRange: model.byteRange,
            usageOptionEdit: dialect == .openAIChat && scan.features.stream ? Self.usageOptionEdit(root) : nil)
    }

    /// The edit that makes an OpenAI chat stream end with a usage chunk, or `nil` if it already does.
    static func usageOptionEdit(_ root: JSONValue) -> ByteEdit? {
        guard let options = root["stream_options"] else {
            // Insert right after the opening brace: the first member, so no comma issues.
            let at = root.byteRange.lowerBound + 1
            return ByteEdit(range: at..<at, replacement: Array(#""stream_options":{"include_usage":true},"#.utf8))
        }
        guard options.kind == .object else {
            // `"stream_options": null`: replace the value, or the upstream reads the later key.
            return ByteEdit(range: options.byteRange, replacement: Array(#"{"include_usage":true}"#.utf8))
        }
        if let include = options["include_usage"] {
            if include.bool == true { return nil }
            return ByteEdit(range: include.byteRange, replacement: Array("true".utf8))
        }
        let at = options.byteRange.lowerBound + 1
        let text = options.count == 0 ? #""include_usage":true"# : #""include_usage":true,"#
        return ByteEdit(range: at..<at, replacement: Array(text.utf8))
    }
}

/// The working state of one scan.
struct FeatureScan {
    var features: TurnFeatures
    var signals = SessionKey.BodySignals()
    let catalog: ToolCatalog
    let memo: ToolCallMemo
    var imageBytes = 0
    /// The latest tool results: the tool-call id each answers, the raw text ranges, and the flag.
    var results: [(callID: String, textRanges: [Range<Int>], isError: Bool)] = []
    /// Tool calls by id, from the assistant turn(s) the results answer.
    var calls: [String: ToolCallInfo] = [:]
    var bytes: UnsafeRawBufferPointer?
    /// Fingerprint of the latest assistant turn's tool calls, for counting repeats.
    var lastCallPrint: UInt64?
    /// Every call of the current tool loop, for the ``CallWindow``: plain values (byte spans, not
    /// `JSONValue`s), since a long loop holds hundreds and only the repeated ones are ever read.
    var loopCalls: [LoopCall] = []
    /// Whether the calls are kept for a window at all.
    var keepsLoopCalls = false
    /// Replies with calls in the current tool loop.
    var loopReplies = 0
    /// Whether earlier assistant turns carry thinking blocks (a fallback when the request does
    /// not say whether thinking is on).
    var sawThinking = false
    /// Where the latest assistant reply starts in the body, for the prompt's growth.
    var lastReplyStart: Int?
    /// The span of the conversation (the messages or input items) in the body.
    var conversation: Range<Int>?

    init(dialect: Dialect, catalog: ToolCatalog, memo: ToolCallMemo) {
        features = TurnFeatures(dialect: dialect)
        self.catalog = catalog
        self.memo = memo
    }

    /// Derives the facts that depend on everything read: results, tokens, shape.
    mutating func finish(bodyBytes: Int, headers: TurnHeaders) {
        var categories = Set<ToolCategory>()
        var names: [String] = []
        var error = false
        var resultBytes = 0
        for result in results {
            let call = calls[result.callID]
            let category = call?.category ?? .other
            categories.insert(category)
            if let name = call?.name { names.append(name) }
            resultBytes += result.textRanges.reduce(0) { $0 + $1.count }
            if result.isError {
                error = true
            } else if let bytes, call?.viaShell == true || category == .test || category == .exec {
                error = error || result.textRanges.contains { ToolResultInspector.reportsFailure(bytes, in: $0) }
            }
        }
        features.lastToolCategories = categories.sorted()
        features.lastToolNames = names
        features.lastToolError = error
        features.lastToolResultBytes = resultBytes
        if let conversation {
            let grown = conversation.upperBound - (lastReplyStart ?? conversation.lowerBound)
            features.history.growthTokens = Swift.max(0, grown) * 2 / 7
        }
        // About 3.5 bytes of JSON per token on agent traffic; images cost a flat amount instead.
        features.promptTokens = Swift.max(0, bodyBytes - imageBytes) * 2 / 7 + features.images * 1_600
        features.subagent = headers.agentID ?? headers.openAISubagent
        features.shape = shape(headers: headers)
    }

    private func shape(headers: TurnHeaders) -> TurnShape {
        if isSideCall(headers: headers) { return .sideCall }
        switch features.lastMessage {
        case .userText: return .userTurn
        case .toolResult: return .toolFollowup
        case .assistant, .system, .none: return .other
        }
    }

    /// Background calls: compaction and memory subagents, probes and classifiers with at most 512
    /// output tokens (SDK examples ask for 1,024, agents for 32K or more), and tool-less calls to a
    /// small model or with stop sequences (titles, summaries, safety classifiers).
    private func isSideCall(headers: TurnHeaders) -> Bool {
        if let subagent = headers.openAISubagent?.lowercased(),
            subagent == "compact" || subagent == "memory_consolidation" || subagent.contains("title")
                || subagent.contains("summar")
        {
            return true
        }
        if let maxTokens = features.maxTokens, maxTokens <= 512 { return true }
        guard features.toolsOffered == 0 else { return false }
        if features.dialect == .anthropic && features.requestedModel.lowercased().contains("haiku") { return true }
        return features.hasStopSequences && features.messageCount <= 2
    }

    /// Notes one assistant turn's tool calls (their names and raw arguments), to count a run of
    /// identical calls: the loop signal. A turn without calls ends the run. With a loop breaker,
    /// the calls (or a text-protocol agent's action) also go into the window it reads.
    mutating func noteToolCalls(_ calls: [(name: JSONValue?, input: JSONValue?)], textAction: String? = nil) {
        guard !calls.isEmpty, let bytes else {
            lastCallPrint = nil
            features.toolCallRepeats = 0
            return
        }
        var hash = Fingerprint.offsetBasis
        for call in calls {
            for part in [call.name, call.input] {
                guard let part else { continue }
                hash = Fingerprint.fnv1a(UnsafeRawBufferPointer(rebasing: bytes[part.byteRange]), hash: hash)
                hash = Fingerprint.fnv1a(CollectionOfOne(0), hash: hash)
            }
        }
        features.toolCallRepeats = hash == lastCallPrint ? features.toolCallRepeats + 1 : 0
        lastCallPrint = hash
        if keepsLoopCalls { noteLoopCalls(calls, textAction: textAction, in: bytes) }
    }

    /// Keeps one reply's calls for the ``CallWindow``, each with a print of its own name and
    /// argument bytes; a text-protocol agent's action stands for its call, since the thought
    /// around it changes each time. Apart from ``noteToolCalls(_:textAction:)`` so that a policy
    /// without a loop breaker pays nothing for it.
    @inline(never)
    private mutating func noteLoopCalls(
        _ calls: [(name: JSONValue?, input: JSONValue?)], textAction: String?, in bytes: UnsafeRawBufferPointer
    ) {
        // The first reply of a tool loop (the depth was just raised to 1) starts a new window.
        if features.loopDepth <= 1 {
            loopCalls.removeAll(keepingCapacity: true)
            loopReplies = 0
        }
        loopReplies += 1
        if let textAction {
            loopCalls.append(LoopCall(reply: loopReplies, print: Fingerprint.fnv1a(Array(textAction.utf8)), action: textAction))
            return
        }
        for call in calls {
            var print = Fingerprint.offsetBasis
            for part in [call.name, call.input] {
                guard let part else { continue }
                print = Fingerprint.fnv1a(UnsafeRawBufferPointer(rebasing: bytes[part.byteRange]), hash: print)
                print = Fingerprint.fnv1a(CollectionOfOne(0), hash: print)
            }
            loopCalls.append(LoopCall(reply: loopReplies, print: print, name: call.name, input: call.input))
        }
    }

    /// Fills the ``CallWindow`` from the calls of the latest `replies` replies of the tool loop:
    /// labels are written only for calls made more than once.
    mutating func finishCallWindow(replies: Int) {
        guard !loopCalls.isEmpty else { return }
        let first = loopReplies - replies + 1
        var counts: [UInt64: (count: Int, index: Int)] = [:]
        var window = CallWindow()
        for (index, call) in loopCalls.enumerated() where call.reply >= first {
            window.calls += 1
            counts[call.print, default: (0, index)].count += 1
        }
        window.replies = min(replies, loopReplies)
        window.distinct = counts.count
        let top = counts.filter { $0.value.count > 1 }.sorted {
            ($0.value.count, $1.value.index) > ($1.value.count, $0.value.index)
        }.prefix(3)
        window.repeated = top.map { print, seen in
            RepeatedCall(print: print, count: seen.count, label: label(of: loopCalls[seen.index]))
        }
        features.callWindow = window
    }

    /// How a call reads in a message: its name and the start of its arguments, on one line.
    private func label(of call: LoopCall) -> String {
        let limit = 160
        if let action = call.action { return Self.oneLine(action, limit: limit) }
        guard let bytes else { return "a tool" }
        func text(_ range: Range<Int>, escaped: Bool) -> String {
            let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
            return escaped ? String(decoding: JSONStringDecoder.unescape(raw), as: UTF8.self) : String(decoding: raw, as: UTF8.self)
        }
        let name = call.name.map { text($0, escaped: true) } ?? "a tool"
        // Arguments as sent: a JSON object, or (OpenAI) a string holding one.
        guard let input = call.input else { return name }
        return name + " " + Self.oneLine(text(input, escaped: call.inputIsString), limit: limit)
    }

    /// `text` on one line, cut at `limit` characters with an ellipsis.
    static func oneLine(_ text: some StringProtocol, limit: Int) -> String {
        var line = ""
        for character in text.prefix(limit + 1) {
            line.append(character.isNewline ? " " : character)
        }
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }

    /// Counts one assistant reply, starting at byte `start`, in the history, from the categories
    /// of the calls it made: the same categories the rules use for the last tool results.
    mutating func noteReply(_ categories: some Sequence<ToolCategory>, at start: Int) {
        var count = 0
        var readOnly = true
        var edits = false
        for category in categories {
            count += 1
            switch category {
            case .search, .read, .list: break
            case .edit:
                edits = true
                readOnly = false
            default: readOnly = false
            }
        }
        features.history.note(calls: count, readOnly: readOnly, edits: edits)
        lastReplyStart = start
    }

    /// The category of an earlier call whose bytes are `parts` (its name and input, or the whole
    /// item), classified by `classify` once per scanner and then looked up by their hash.
    func category(of parts: JSONValue?..., classify: () -> ToolCategory) -> ToolCategory {
        guard let bytes else { return classify() }
        var hash = Fingerprint.offsetBasis
        for part in parts {
            guard let part else { continue }
            hash = Fingerprint.fnv1a(UnsafeRawBufferPointer(rebasing: bytes[part.byteRange]), hash: hash)
            hash = Fingerprint.fnv1a(CollectionOfOne(0), hash: hash)
        }
        return memo.category(for: hash, classify: classify)
    }

    /// Records the first user text for the session fingerprint.
    ///
    /// Takes the content (a string, or parts with `text`) and decodes only the first one seen.
    mutating func noteUserText(_ content: JSONValue?) {
        guard signals.firstUserText.isEmpty, let text = Self.firstText(content) else { return }
        signals.firstUserText = String(text.prefix(4096))
    }

    /// Notes an Anthropic `cache_control` mark on `holder` (the request, a system block, a tool, a
    /// content block): the longest lifetime marked wins, `5m` when a mark names none.
    mutating func noteCacheControl(_ holder: JSONValue) {
        guard let mark = holder["cache_control"], mark.kind == .object else { return }
        let lifetime = mark["ttl"]?.string.flatMap { CacheRequest.milliseconds(inLifetime: Substring($0)) }
        features.cacheRequest = features.cacheRequest.merged(with: lifetime.map { .lifetime(milliseconds: $0) } ?? .fiveMinutes)
    }

    /// Notes what an OpenAI request (Chat or Responses) says about caching and its user: the
    /// retention it asks for (`prompt_cache_retention` `24h`, where `in_memory` is the default, or
    /// `prompt_cache_options.ttl` `30m`/`12h`), and `safety_identifier` or `user`.
    mutating func noteOpenAIOptions(_ root: JSONValue) {
        for text in [root["prompt_cache_retention"]?.string, root[path: "prompt_cache_options", "ttl"]?.string] {
            guard let text, let lifetime = CacheRequest.milliseconds(inLifetime: Substring(text)) else { continue }
            features.cacheRequest = features.cacheRequest.merged(with: .lifetime(milliseconds: lifetime))
        }
        features.clientUser = (root["safety_identifier"]?.string ?? root["user"]?.string)
            .flatMap { $0.isEmpty ? nil : "openai:" + String($0.prefix(128)) }
    }

    /// Records the first system text for the session fingerprint, skipping Claude Code's rotating
    /// billing line.
    mutating func noteSystemText(_ content: JSONValue?) {
        guard signals.firstSystemText.isEmpty, let content else { return }
        if content.kind == .array {
            for part in content.elements { noteSystemText(part["text"]) }
            return
        }
        guard let text = content.string, !text.hasPrefix("x-anthropic-billing-header") else { return }
        signals.firstSystemText = String(text.prefix(4096))
    }

    /// The raw text spans of a tool result's content: the string itself, or each part's `text`.
    static func textRanges(of content: JSONValue?) -> [Range<Int>] {
        guard let content else { return [] }
        if content.kind == .string { return [content.rawStringRange] }
        return content.elements.compactMap { part in
            part["text"].flatMap { $0.kind == .string ? $0.rawStringRange : nil }
        }
    }

    /// A message content's text: the string itself, or its first part with `text`.
    static func firstText(_ content: JSONValue?) -> String? {
        guard let content else { return nil }
        if content.kind == .string { return content.string }
        return content.elements.first { $0["text"]?.kind == .string }?["text"]?.string
    }

    /// Counts an image and the bytes of its inline data.
    mutating func noteImage(dataBytes: Int) {
        features.images += 1
        imageBytes += dataBytes
    }
}

/// One call of the current tool loop, as the ``CallWindow`` needs it.
struct LoopCall {
    /// The reply it was in, counted from 1 in the loop.
    var reply: Int
    /// A hash of its name and argument bytes (or of a text agent's command).
    var print: UInt64
    /// The name's characters, without quotes.
    var name: Range<Int>?
    /// The arguments: an object's bytes, or a string's characters (`inputIsString`).
    var input: Range<Int>?
    var inputIsString = false
    /// A text-protocol agent's command.
    var action: String?

    init(reply: Int, print: UInt64, name: JSONValue? = nil, input: JSONValue? = nil, action: String? = nil) {
        self.reply = reply
        self.print = print
        self.name = name.flatMap { $0.kind == .string ? $0.rawStringRange : nil }
        if let input {
            inputIsString = input.kind == .string
            self.input = inputIsString ? input.rawStringRange : input.byteRange
        }
        self.action = action
    }
}
