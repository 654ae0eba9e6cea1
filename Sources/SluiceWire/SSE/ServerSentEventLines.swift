/// Finds where lines and events end in a server-sent event stream that arrives in chunks.
///
/// Lines end in LF, CRLF or CR, and a CRLF may be cut between two chunks; an empty line ends an
/// event (HTML Living Standard, "Parsing an event stream"). The parser, which reads fields, and
/// the usage-chunk filter, which passes or drops whole events by their bytes, both walk a stream
/// with this one splitter, so they agree on where every event ends whatever framing the upstream
/// uses (sse-starlette, for one, frames events with `\r\n\r\n`).
///
/// ```swift
/// var lines = ServerSentEventLines()
/// let tail = lines.scan(chunk) { content, next, blank in
///     if blank { /* an event ended at `next` */ }
/// }
/// // chunk[tail...] is the start of a line that ends in a later chunk.
/// ```
///
/// Pure and allocation-free: it keeps two flags between chunks.
package struct ServerSentEventLines: Sendable, Hashable {
    /// Whether the line in progress already has bytes from an earlier chunk.
    private var lineHasBytes = false
    /// The previous chunk ended in CR: an LF first in the next one completes that CRLF.
    private var pendingCR = false
    /// That CR ended an empty line, so the LF completing it is the end of an event.
    private var pendingCREndsEvent = false

    package init() {}

    /// Walks `chunk` and reports each line that ends in it.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream.
    ///   - onLineEnd: Called once per line end, in order, with the line's bytes that lie in this
    ///     chunk (`content`; earlier bytes of the same line arrived in earlier chunks), where the
    ///     next line starts (`next`, just past the line break), and whether the whole line was
    ///     empty (`blank`: the end of an event).
    /// - Returns: Where the unfinished last line starts in `chunk`; `chunk.count` when every line
    ///   in it ended.
    /// - Complexity: O(`chunk.count`).
    @discardableResult
    package mutating func scan(
        _ chunk: UnsafeRawBufferPointer, onLineEnd: (_ content: Range<Int>, _ next: Int, _ blank: Bool) -> Void
    ) -> Int {
        let count = chunk.count
        var i = 0
        if pendingCR {
            pendingCR = false
            if count > 0 && chunk[0] == Self.lineFeed { i = 1 }
        }
        var lineStart = i
        while i < count {
            let byte = chunk[i]
            guard byte == Self.lineFeed || byte == Self.carriageReturn else {
                i += 1
                continue
            }
            let blank = i == lineStart && !lineHasBytes
            var next = i + 1
            if byte == Self.carriageReturn {
                if next < count {
                    if chunk[next] == Self.lineFeed { next += 1 }
                } else {
                    pendingCR = true
                    pendingCREndsEvent = blank
                }
            }
            onLineEnd(lineStart..<i, next, blank)
            lineHasBytes = false
            i = next
            lineStart = next
        }
        if lineStart < count { lineHasBytes = true }
        return lineStart
    }

    /// Takes the LF that opens `chunk` when it completes a CRLF whose CR ended an event at the end
    /// of the previous chunk; returns how many bytes it took (0 or 1).
    ///
    /// ``scan(_:onLineEnd:)`` skips such an LF too, but reports the event as ended at the CR,
    /// without waiting for the next chunk (an upstream that frames with CR alone would otherwise
    /// have every event held back). A caller that hands out whole events by their bytes calls this
    /// first, so the LF goes with the event it ends rather than open the next one.
    package mutating func takeEventEndingLineFeed(_ chunk: UnsafeRawBufferPointer) -> Int {
        guard pendingCR && pendingCREndsEvent, chunk.count > 0, chunk[0] == Self.lineFeed else { return 0 }
        pendingCR = false
        return 1
    }

    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
}
