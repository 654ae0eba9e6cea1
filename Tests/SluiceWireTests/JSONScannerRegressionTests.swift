import Foundation
import Testing

@testable import SluiceWire

/// Faults the differential tests found in the scanner, kept fixed.
///
/// The error names what is wrong, not just where: a bad byte is reported as such even when the
/// body also ends early, and `truncated` means only that a valid beginning was cut short.
@Suite struct JSONScannerRegressionTests {
    @Test(arguments: [
        // \u with a non-hex digit before the end of the body: an invalid escape, not truncation.
        (Array(#""\u12""#.utf8), JSONScanError(.invalidEscape, at: 1)),
        (Array(#""\uZ"#.utf8), JSONScanError(.invalidEscape, at: 1)),
        (Array(#"["\u00"]"#.utf8), JSONScanError(.invalidEscape, at: 2)),
        (Array(#""\u12"#.utf8), JSONScanError(.truncated, at: 5)),
        (Array(#""\u"#.utf8), JSONScanError(.truncated, at: 3)),
        // UTF-8 cut short: invalid when a byte that is there is wrong, truncated otherwise.
        ([0x22, 0xE2, 0x28], JSONScanError(.invalidUTF8, at: 1)),
        ([0x22, 0xF0, 0x9F, 0x41], JSONScanError(.invalidUTF8, at: 1)),
        ([0x22, 0xF0, 0x8F], JSONScanError(.invalidUTF8, at: 1)),
        ([0x22, 0xED, 0xA0], JSONScanError(.invalidUTF8, at: 1)),
        ([0x22, 0xE2, 0x82], JSONScanError(.truncated, at: 3)),
        ([0x22, 0xF0], JSONScanError(.truncated, at: 2)),
        ([0x22, 0xF0, 0x9F, 0x98], JSONScanError(.truncated, at: 4)),
    ])
    func namesTheFaultEvenWhereTheBodyEndsEarly(_ bytes: [UInt8], _ expected: JSONScanError) {
        #expect(throws: expected) { try bytes.withUnsafeBytes { try JSONScanner.scan($0) } }
    }

    /// Scanning a key once held a copy of the scanner across a mutating call, so a debug build
    /// copied the whole tape for every key: 200,000 nested objects took 20 s instead of 0.1 s.
    @Test func manyKeysScanInLinearTimeEvenUnoptimized() throws {
        let count = 200_000
        let nested = Array((String(repeating: #"{"a":"#, count: count) + "0" + String(repeating: "}", count: count)).utf8)
        let flat = Array(("{" + (0..<count).map { "\"k\($0)\":0" }.joined(separator: ",") + "}").utf8)
        for bytes in [nested, flat] {
            let start = Date()
            let tape = try bytes.withUnsafeBytes { try JSONScanner.scan($0) }
            #expect(tape.entries.count == 2 * count + 1)
            #expect(Date().timeIntervalSince(start) < 5, "quadratic scan of \(bytes.count) bytes")
        }
    }

    /// Strings are skipped eight bytes at a time, jumping straight to the first special byte of a
    /// word: wherever it sits, a fault is found at its exact offset and nothing after it is skipped.
    @Test func findsEverySpecialByteAtItsOffsetWhereverItSitsInAWord() throws {
        func scan(_ bytes: [UInt8]) -> JSONScanError? {
            do {
                _ = try bytes.withUnsafeBytes { try JSONScanner.scan($0) }
                return nil
            } catch { return error as? JSONScanError }
        }
        for prefix in 0..<20 {
            for suffix in 0..<10 {
                let head: [UInt8] = [0x22] + Array(repeating: 0x61, count: prefix)
                let tail: [UInt8] = Array(repeating: 0x62, count: suffix) + [0x22]
                let at = head.count
                #expect(scan(head + [0x01] + tail) == JSONScanError(.controlCharacterInString, at: at))
                #expect(scan(head + [0xFF] + tail) == JSONScanError(.invalidUTF8, at: at))
                #expect(scan(head + [0x5C, 0x78] + tail) == JSONScanError(.invalidEscape, at: at))
                #expect(scan(head + [0x22] + tail) == JSONScanError(.trailingData, at: at + 1))
                let valid = head + [0xC3, 0xA9, 0x5C, 0x6E, 0x7F, 0x5C, 0x22] + tail
                let text = try valid.withUnsafeBytes { try JSONDocument(bytes: $0).root.string }
                #expect(text == String(repeating: "a", count: prefix) + "\u{e9}\n\u{7F}\"" + String(repeating: "b", count: suffix))
            }
        }
    }
}
