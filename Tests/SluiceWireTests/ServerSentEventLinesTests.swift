import Testing

@testable import SluiceWire

@Suite struct ServerSentEventLinesTests {
    /// Every line end reported for `stream` cut into chunks of `size`, as (line text, blank).
    static func lines(_ stream: String, size: Int) -> [(String, Bool)] {
        var splitter = ServerSentEventLines()
        var lines: [(String, Bool)] = []
        var partial: [UInt8] = []
        let bytes = Array(stream.utf8)
        for start in stride(from: 0, to: bytes.count, by: size) {
            let chunk = Array(bytes[start..<min(start + size, bytes.count)])
            let tail = chunk.withUnsafeBytes { raw in
                splitter.scan(raw) { content, _, blank in
                    lines.append((String(decoding: partial + chunk[content], as: UTF8.self), blank))
                    partial.removeAll()
                }
            }
            partial += chunk[tail...]
        }
        return lines
    }

    @Test(arguments: ["\n", "\r\n", "\r"], [1, 2, 3, 7, 100])
    func findsTheSameLinesAndEventsWhateverTheLineBreaksAndCuts(_ lineBreak: String, _ size: Int) {
        let stream = ["event: a", "data: 1", "", ": comment", "data: 2", "", "data: 3"].joined(separator: lineBreak)
        let found = Self.lines(stream, size: size)
        // The last line has no line break yet: it is not reported.
        #expect(found.map(\.0) == ["event: a", "data: 1", "", ": comment", "data: 2", ""])
        #expect(found.map(\.1) == [false, false, true, false, false, true])
    }

    @Test func givesTheLineFeedOfACutCRLFToTheEventItEnds() {
        var splitter = ServerSentEventLines()
        var ends: [Int] = []
        Array("data: 1\r\n\r".utf8).withUnsafeBytes { raw in
            splitter.scan(raw) { _, next, blank in if blank { ends.append(next) } }
        }
        #expect(ends == [10])  // the event ends at its CR, without waiting for the next chunk
        Array("\ndata: 2".utf8).withUnsafeBytes { raw in
            #expect(splitter.takeEventEndingLineFeed(raw) == 1)
            #expect(splitter.takeEventEndingLineFeed(raw) == 0)
        }
    }
}
