import Foundation
import Testing

@testable import SluiceWire

@Suite struct UsageChunkFilterTests {
    static let stream =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"
        + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
        + "data: {\"choices\": [], \"usage\": {\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n"
        + "data: [DONE]\n\n"

    @Test(arguments: [1, 3, 7, 40, 1000])
    func dropsOnlyTheUsageChunkWhereverTheStreamIsCut(_ size: Int) {
        var filter = UsageChunkFilter()
        var out: [UInt8] = []
        let bytes = Array(Self.stream.utf8)
        for start in stride(from: 0, to: bytes.count, by: size) {
            out += bytes[start..<min(start + size, bytes.count)].withUnsafeBytes { filter.filter($0) }
        }
        out += filter.finish()
        let expected = Self.stream.replacingOccurrences(
            of: "data: {\"choices\": [], \"usage\": {\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n", with: "")
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func holdsBackOnlyAnUnfinishedEvent() {
        var filter = UsageChunkFilter()
        let first = Array("data: {\"choices\":[{\"delta\":{}}]}\n\ndata: {\"cho".utf8).withUnsafeBytes { filter.filter($0) }
        #expect(String(decoding: first, as: UTF8.self) == "data: {\"choices\":[{\"delta\":{}}]}\n\n")
        #expect(String(decoding: filter.finish(), as: UTF8.self) == "data: {\"cho")
    }
}
