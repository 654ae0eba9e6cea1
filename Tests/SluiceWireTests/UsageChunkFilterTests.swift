import Foundation
import Testing

@testable import SluiceWire

@Suite struct UsageChunkFilterTests {
    static let stream =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"
        + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
        + "data: {\"choices\": [], \"usage\": {\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n"
        + "data: [DONE]\n\n"

    /// Feeds `bytes` as one chunk and returns what the filter passes for it.
    static func filter(_ filter: inout UsageChunkFilter, _ bytes: some Collection<UInt8>) -> [UInt8] {
        let chunk = Array(bytes)
        var pieces: [UsageChunkFilter.Piece] = []
        chunk.withUnsafeBytes { filter.filter($0, into: &pieces) }
        var out: [UInt8] = []
        for piece in pieces {
            switch piece {
            case .span(let range): out += chunk[range]
            case .held(let held): out += held
            }
        }
        return out
    }

    /// The whole stream cut into chunks of `size` bytes, through one filter.
    static func filtered(_ stream: String, size: Int) -> String {
        var filter = UsageChunkFilter()
        var out: [UInt8] = []
        let bytes = Array(stream.utf8)
        for start in stride(from: 0, to: bytes.count, by: size) {
            out += Self.filter(&filter, bytes[start..<min(start + size, bytes.count)])
        }
        out += filter.finish()
        return String(decoding: out, as: UTF8.self)
    }

    @Test(arguments: [1, 3, 7, 40, 1000])
    func dropsOnlyTheUsageChunkWhereverTheStreamIsCut(_ size: Int) {
        let expected = Self.stream.replacingOccurrences(
            of: "data: {\"choices\": [], \"usage\": {\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n", with: "")
        #expect(Self.filtered(Self.stream, size: size) == expected)
    }

    @Test func holdsBackOnlyAnUnfinishedEvent() {
        var filter = UsageChunkFilter()
        let first = Self.filter(&filter, Array("data: {\"choices\":[{\"delta\":{}}]}\n\ndata: {\"cho".utf8))
        #expect(String(decoding: first, as: UTF8.self) == "data: {\"choices\":[{\"delta\":{}}]}\n\n")
        #expect(String(decoding: filter.finish(), as: UTF8.self) == "data: {\"cho")
    }

    @Test(arguments: ["\r\n", "\r"], [1, 2, 5, 13, 1000])
    func dropsTheUsageChunkOfAStreamFramedWithCarriageReturns(_ lineBreak: String, _ size: Int) {
        let stream = Self.stream.replacingOccurrences(of: "\n", with: lineBreak)
        let usage = "data: {\"choices\": [], \"usage\": {\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n"
            .replacingOccurrences(of: "\n", with: lineBreak)
        #expect(Self.filtered(stream, size: size) == stream.replacingOccurrences(of: usage, with: ""))
    }

    @Test func passesACRLFFramedEventAsSoonAsItEnds() {
        var filter = UsageChunkFilter()
        let event = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\r\n\r\n"
        let passed = Self.filter(&filter, Array((event + "data: {\"choi").utf8))
        #expect(String(decoding: passed, as: UTF8.self) == event)
    }
}
