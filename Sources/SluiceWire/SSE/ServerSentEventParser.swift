/// Splits a byte stream into server-sent events, chunk by chunk.
///
/// Pure and incremental: feed it the chunks as they arrive, in order; it calls back once per
/// complete event with the event name and the data (multi-line data joined with `\n`, as the
/// HTML Living Standard says). Lines end in LF, CRLF or CR, and may be cut anywhere between
/// chunks: ``ServerSentEventLines`` finds them, as it does for ``UsageChunkFilter``. Buffers are
/// reused, so a long stream allocates only while they grow.
package struct ServerSentEventParser: Sendable {
    private var lines = ServerSentEventLines()
    private var partialLine: [UInt8] = []
    private var eventName: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false

    package init() {}

    /// Feeds one chunk.
    ///
    /// - Parameter onEvent: Called for each complete event with its name (empty when the event
    ///   had no `event:` field) and its data. Both buffers are only valid during the call.
    package mutating func feed(
        _ chunk: UnsafeRawBufferPointer,
        onEvent: (_ name: UnsafeRawBufferPointer, _ data: UnsafeRawBufferPointer) -> Void
    ) {
        // Moved out while it runs, so the closure below may change the rest of `self`.
        var lines = self.lines
        let tail = lines.scan(chunk) { content, _, _ in
            let line = UnsafeRawBufferPointer(rebasing: chunk[content])
            if partialLine.isEmpty {
                processLine(line, onEvent: onEvent)
            } else {
                partialLine.append(contentsOf: line)
                let joined = partialLine
                joined.withUnsafeBytes { processLine($0, onEvent: onEvent) }
                partialLine.removeAll(keepingCapacity: true)
            }
        }
        self.lines = lines
        if tail < chunk.count {
            partialLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[tail..<chunk.count]))
        }
    }

    /// Ends the stream: a last event that lacks its blank line is still delivered.
    ///
    /// The standard drops such an event; a gateway reading usage is better served keeping it.
    package mutating func finish(onEvent: (_ name: UnsafeRawBufferPointer, _ data: UnsafeRawBufferPointer) -> Void) {
        if !partialLine.isEmpty {
            let line = partialLine
            partialLine.removeAll()
            line.withUnsafeBytes { processLine($0, onEvent: onEvent) }
        }
        dispatch(onEvent: onEvent)
    }

    private mutating func processLine(
        _ line: UnsafeRawBufferPointer,
        onEvent: (_ name: UnsafeRawBufferPointer, _ data: UnsafeRawBufferPointer) -> Void
    ) {
        if line.isEmpty {
            dispatch(onEvent: onEvent)
            return
        }
        if line[0] == 0x3A { return }  // comment
        var colon = 0
        while colon < line.count && line[colon] != 0x3A { colon += 1 }
        var valueStart = Swift.min(colon + 1, line.count)
        if valueStart < line.count && line[valueStart] == 0x20 { valueStart += 1 }
        let field = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<line.count])
        if field.elementsEqual("data".utf8) {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            eventName.removeAll(keepingCapacity: true)
            eventName.append(contentsOf: value)
        }
    }

    private mutating func dispatch(onEvent: (_ name: UnsafeRawBufferPointer, _ data: UnsafeRawBufferPointer) -> Void) {
        defer {
            eventName.removeAll(keepingCapacity: true)
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return }
        eventName.withUnsafeBytes { name in
            data.withUnsafeBytes { data in onEvent(name, data) }
        }
    }
}
