/// Removes, from an OpenAI chat stream, the final usage chunk Sluice asked for on the client's
/// behalf.
///
/// Sluice adds `stream_options.include_usage` to chat streams so it can account for them; a
/// client that did not ask for it should not receive the extra `choices: []` chunk, which some
/// clients index into blindly. Events pass through as soon as they are complete; only the bytes of
/// an event still arriving wait for its end, so the stream is never buffered.
package struct UsageChunkFilter: Sendable {
    private var pending: [UInt8] = []

    package init() {}

    /// The bytes to send for `chunk`: its complete events, without the usage chunk.
    package mutating func filter(_ chunk: UnsafeRawBufferPointer) -> [UInt8] {
        pending.append(contentsOf: chunk)
        guard let end = Self.lastEventEnd(in: pending) else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(end)
        var start = 0
        while start < end {
            let stop = Self.nextEventEnd(in: pending, from: start, limit: end) ?? end
            let event = pending[start..<stop]
            if !Self.isUsageChunk(event) { out.append(contentsOf: event) }
            start = stop
        }
        pending.removeFirst(end)
        return out
    }

    /// What is left when the stream ends (an unfinished last event goes out as it is).
    package mutating func finish() -> [UInt8] {
        defer { pending.removeAll() }
        return pending
    }

    /// The offset just after the last blank line (`\n\n`) in `bytes`.
    private static func lastEventEnd(in bytes: [UInt8]) -> Int? {
        var i = bytes.count - 1
        while i > 0 {
            if bytes[i] == 0x0A && bytes[i - 1] == 0x0A { return i + 1 }
            i -= 1
        }
        return nil
    }

    private static func nextEventEnd(in bytes: [UInt8], from start: Int, limit: Int) -> Int? {
        var i = start + 1
        while i < limit {
            if bytes[i] == 0x0A && bytes[i - 1] == 0x0A { return i + 1 }
            i += 1
        }
        return nil
    }

    /// Whether `event` is `data: {... "choices": [], "usage": {...}}`.
    private static func isUsageChunk(_ event: ArraySlice<UInt8>) -> Bool {
        guard let open = event.firstIndex(of: 0x7B) else { return false }
        var json = Array(event[open...])
        while let last = json.last, last == 0x0A || last == 0x0D || last == 0x20 { json.removeLast() }
        return json.withUnsafeMutableBytes { raw in
            guard let document = try? JSONDocument(bytes: UnsafeRawBufferPointer(raw)),
                let choices = document.root["choices"], choices.kind == .array, choices.count == 0,
                let usage = document.root["usage"]
            else { return false }
            return usage.kind == .object
        }
    }
}
