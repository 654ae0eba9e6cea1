/// Reads usage and the outcome of a streamed answer on the side, while its bytes are relayed.
///
/// The relay hands every chunk to `consume` after (or while) writing it to the client; the tap
/// never changes or holds back a byte. It parses an event's JSON only when the event can carry
/// usage or an error, so most text deltas cost one byte search.
package struct StreamUsageTap: Sendable {
    package let dialect: Dialect
    /// Usage seen so far; `nil` until the upstream reported any.
    package private(set) var usage: Usage?
    /// Whether the stream's terminal event arrived (`message_stop`, `[DONE]`, `response.completed`).
    package private(set) var completed = false
    /// The error type the upstream reported inside the stream, if any.
    package private(set) var upstreamError: String?
    /// Number of events seen.
    package private(set) var events = 0
    private var parser = ServerSentEventParser()

    package init(dialect: Dialect) {
        self.dialect = dialect
    }

    /// Reads one chunk of the stream.
    package mutating func consume(_ chunk: UnsafeRawBufferPointer) {
        // Move the parser out (not copy) so its buffers stay uniquely referenced and are reused.
        var parser = ServerSentEventParser()
        swap(&parser, &self.parser)
        parser.feed(chunk) { name, data in handle(name: name, data: data) }
        swap(&parser, &self.parser)
    }

    /// Reads what is left once the stream has ended.
    package mutating func finish() {
        var parser = ServerSentEventParser()
        swap(&parser, &self.parser)
        parser.finish { name, data in handle(name: name, data: data) }
        swap(&parser, &self.parser)
    }

    /// Whether the stream reached its end: its terminal event, or an error event from upstream.
    package var ended: Bool { completed || upstreamError != nil }

    private mutating func handle(name: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) {
        events += 1
        switch dialect {
        case .anthropic: handleAnthropic(name: name, data: data)
        case .openAIChat: handleChat(data: data)
        case .openAIResponses: handleResponses(name: name, data: data)
        }
    }

    private mutating func handleAnthropic(name: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) {
        if name.isEmpty {
            // No `event:` line (some compatible servers): read the type from the data.
            guard let document = try? JSONDocument(bytes: data), let type = document.root["type"]?.string else {
                return
            }
            Array(type.utf8).withUnsafeBytes { handleAnthropic(type: $0, data: data) }
        } else {
            handleAnthropic(type: name, data: data)
        }
    }

    /// Compares the event type as bytes: most events are deltas, and they must cost no allocation.
    private mutating func handleAnthropic(type: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) {
        let isStart = type.elementsEqual("message_start".utf8)
        if isStart || type.elementsEqual("message_delta".utf8) {
            guard let document = try? JSONDocument(bytes: data) else { return }
            let object = isStart ? document.root[path: "message", "usage"] : document.root["usage"]
            guard let object else { return }
            var current = usage ?? .zero
            UsageReader.applyAnthropic(object, to: &current)
            usage = current
        } else if type.elementsEqual("message_stop".utf8) {
            completed = true
        } else if type.elementsEqual("error".utf8) {
            let document = try? JSONDocument(bytes: data)
            upstreamError = document?.root[path: "error", "type"]?.string ?? "error"
        }
    }

    private mutating func handleChat(data: UnsafeRawBufferPointer) {
        if data.elementsEqual("[DONE]".utf8) {
            completed = true
            return
        }
        let mayHaveUsage = data.hasObjectMember(named: "\"usage\"")
        let mayHaveError = data.hasObjectMember(named: "\"error\"")
        guard mayHaveUsage || mayHaveError, let document = try? JSONDocument(bytes: data) else { return }
        if let object = document.root["usage"], let value = UsageReader.openAIChat(object) { usage = value }
        if let error = document.root["error"], error.kind == .object {
            upstreamError = error["type"]?.string ?? error["code"]?.string ?? "error"
        }
    }

    private mutating func handleResponses(name: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) {
        let terminal: Bool
        if name.elementsEqual("response.completed".utf8) || name.elementsEqual("response.incomplete".utf8) {
            terminal = true
        } else if name.elementsEqual("response.failed".utf8) || name.elementsEqual("error".utf8) {
            terminal = name.elementsEqual("response.failed".utf8)
            let document = try? JSONDocument(bytes: data)
            upstreamError =
                document?.root[path: "response", "error", "code"]?.string ?? document?.root["code"]?.string ?? "error"
        } else if name.isEmpty {
            // No `event:` line: fall back to the type inside the data.
            guard data.hasObjectMember(named: "\"usage\""),
                let document = try? JSONDocument(bytes: data), let type = document.root["type"]?.string
            else { return }
            terminal = type == "response.completed" || type == "response.incomplete" || type == "response.failed"
        } else {
            return
        }
        if terminal {
            completed = true
            if let document = try? JSONDocument(bytes: data), let object = document.root[path: "response", "usage"],
                let value = UsageReader.openAIResponses(object)
            {
                usage = value
            }
        }
    }
}
