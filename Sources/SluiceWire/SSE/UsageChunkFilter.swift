/// Removes, from an OpenAI chat stream, the final usage chunk Sluice asked for on the client's
/// behalf.
///
/// Sluice adds `stream_options.include_usage` to chat streams so it can account for them; a
/// client that did not ask for it should not receive the extra `choices: []` chunk, which some
/// clients index into blindly. Events pass as soon as they are complete, as spans of the chunk
/// they arrived in (no copy); only the bytes of an event still arriving are held, until its end.
/// Events end where ``ServerSentEventLines`` says, so an upstream that frames them with CRLF is
/// relayed as promptly as one that uses LF.
///
/// ```swift
/// var filter = UsageChunkFilter()
/// var pieces: [UsageChunkFilter.Piece] = []
/// filter.filter(chunk, into: &pieces)      // write each piece, in order
/// let rest = filter.finish()               // when the stream ends
/// ```
package struct UsageChunkFilter: Sendable {
    /// Part of what to send for one chunk.
    package enum Piece: Sendable, Hashable {
        /// Bytes of the chunk itself.
        case span(Range<Int>)
        /// An event that began in earlier chunks and ended in this one (its bytes copied once).
        case held([UInt8])
    }

    private var lines = ServerSentEventLines()
    /// The start of the event in progress, from earlier chunks.
    private var held: [UInt8] = []
    /// Whether the last event that ended was the usage chunk (and so was not passed on).
    private var lastEventDropped = false

    package init() {}

    /// What to send for `chunk`: its complete events without the usage chunk, in order.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the upstream's stream.
    ///   - pieces: Emptied, then filled with what to write; reuse one array for a whole stream.
    package mutating func filter(_ chunk: UnsafeRawBufferPointer, into pieces: inout [Piece]) {
        pieces.removeAll(keepingCapacity: true)
        var lines = self.lines
        // An LF that completes the previous event's CRLF goes where that event went.
        let head = lines.takeEventEndingLineFeed(chunk)
        var eventStart = head
        var passStart = head == 1 && lastEventDropped ? head : 0
        lines.scan(UnsafeRawBufferPointer(rebasing: chunk[head...])) { _, end, blank in
            guard blank else { return }
            let next = end + head
            if held.isEmpty {
                lastEventDropped = Self.isUsageChunk(UnsafeRawBufferPointer(rebasing: chunk[eventStart..<next]))
                if lastEventDropped {
                    if eventStart > passStart { pieces.append(.span(passStart..<eventStart)) }
                    passStart = next
                }
            } else {
                // Only the first event of a chunk can have begun earlier.
                held.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[eventStart..<next]))
                lastEventDropped = held.withUnsafeBytes(Self.isUsageChunk)
                if !lastEventDropped { pieces.append(.held(held)) }
                held.removeAll(keepingCapacity: true)
                passStart = next
            }
            eventStart = next
        }
        self.lines = lines
        if eventStart > passStart { pieces.append(.span(passStart..<eventStart)) }
        if eventStart < chunk.count {
            held.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[eventStart..<chunk.count]))
        }
    }

    /// What is left when the stream ends: an unfinished last event goes out as it is.
    package mutating func finish() -> [UInt8] {
        defer { held.removeAll() }
        return held
    }

    /// Whether `event` is `data: {... "choices": [], "usage": {...}}`.
    ///
    /// Every other chat chunk carries `"usage":null` or no usage, so the JSON is parsed only for
    /// an event whose `"usage"` is followed by an object.
    static func isUsageChunk(_ event: UnsafeRawBufferPointer) -> Bool {
        guard event.hasObjectMember(named: "\"usage\""),
            let open = event.firstIndex(of: 0x7B), let close = event.lastIndex(of: 0x7D), open < close,
            let document = try? JSONDocument(bytes: UnsafeRawBufferPointer(rebasing: event[open...close])),
            let choices = document.root["choices"], choices.kind == .array, choices.count == 0,
            let usage = document.root["usage"]
        else { return false }
        return usage.kind == .object
    }
}
