/// Splits a byte stream into server-sent events, chunk by chunk.
///
/// Pure and incremental: feed it the chunks as they arrive, in order; it calls back once per
/// complete event with the event name and the data (multi-line data joined with `\n`, as the
/// HTML Living Standard says). Lines end in LF, CRLF or CR, and may be cut anywhere between
/// chunks. Buffers are reused, so a long stream allocates only while they grow.
package struct ServerSentEventParser: Sendable {
    private var partialLine: [UInt8] = []
    private var eventName: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var skipLeadingLF = false

    package init() {}

    /// Feeds one chunk.
    ///
    /// - Parameter onEvent: Called for each complete event with its name (empty when the event
    ///   had no `event:` field) and its data. Both buffers are only valid during the call.
    package mutating func feed(
        _ chunk: UnsafeRawBufferPointer,
        onEvent: (_ name: UnsafeRawBufferPointer, _ data: UnsafeRawBufferPointer) -> Void
    ) {
        var lineStart = 0
        var i = 0
        let count = chunk.count
        if skipLeadingLF, count > 0 {
            skipLeadingLF = false
            if chunk[0] == 0x0A {
                i = 1
                lineStart = 1
            }
        }
        while i < count {
            let byte = chunk[i]
            guard byte == 0x0A || byte == 0x0D else {
                i += 1
                continue
            }
            let line = UnsafeRawBufferPointer(rebasing: chunk[lineStart..<i])
            if partialLine.isEmpty {
                processLine(line, onEvent: onEvent)
            } else {
                partialLine.append(contentsOf: line)
                let joined = partialLine
                joined.withUnsafeBytes { processLine($0, onEvent: onEvent) }
                partialLine.removeAll(keepingCapacity: true)
            }
            i += 1
            if byte == 0x0D {
                if i < count {
                    if chunk[i] == 0x0A { i += 1 }
                } else {
                    skipLeadingLF = true
                }
            }
            lineStart = i
        }
        if lineStart < count {
            partialLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[lineStart..<count]))
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
