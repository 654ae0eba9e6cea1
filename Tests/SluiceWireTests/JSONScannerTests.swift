import Foundation
import Testing

@testable import SluiceWire

@Suite struct JSONScannerTests {
    static let valid: [String] = [
        #"{}"#, #"[]"#, #"0"#, #"-0"#, #"1.5e10"#, #"-12.25E-3"#, #"true"#, #"false"#, #"null"#, #""""#,
        #" { "a" : [ 1 , 2 , { "b" : null } ] , "c" : "d" } "#,
        #"{"s":"esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00"}"#,
        #"{"dup":1,"dup":2}"#, "\"caf\u{e9} \u{1F600} \u{4e2d}\"", #"[[[[[[[[[[]]]]]]]]]]"#,
        "{\"a\":\t\r\n1}", #"{"long":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#,
    ]

    static let invalid: [(String, JSONScanError.Code)] = [
        ("", .empty), ("   ", .empty), (#"{"a":1"#, .truncated), (#"{"a":"#, .truncated), (#"{"a":"x"#, .truncated),
        (#"[1,2"#, .truncated), (#"{"a" 1}"#, .unexpectedByte), (#"{a:1}"#, .unexpectedByte), (#"[1,]"#, .unexpectedByte),
        (#"{"a":1,}"#, .unexpectedByte), (#"01"#, .trailingData), (#"1."#, .truncated), (#"1.x"#, .invalidNumber),
        (#"-"#, .truncated), (#"+1"#, .unexpectedByte), (#"tru"#, .truncated), (#"trux"#, .invalidLiteral),
        (#""\x""#, .invalidEscape), (#""\u12G4""#, .invalidEscape), ("\"a\u{01}b\"", .controlCharacterInString),
        (#"{} {}"#, .trailingData), (#"[1 2]"#, .unexpectedByte), (#"{"a":1]"#, .unexpectedByte),
    ]

    @Test(arguments: valid)
    func acceptsWhatFoundationAccepts(_ text: String) throws {
        let bytes = Array(text.utf8)
        let foundationAccepts =
            (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
        #expect(foundationAccepts)
        let tape = try bytes.withUnsafeBytes { try JSONScanner.scan($0) }
        #expect(!tape.entries.isEmpty)
    }

    @Test(arguments: invalid)
    func rejectsWithTheRightReason(_ text: String, _ code: JSONScanError.Code) {
        let bytes = Array(text.utf8)
        #expect(throws: JSONScanError.self) { try bytes.withUnsafeBytes { try JSONScanner.scan($0) } }
        do {
            _ = try bytes.withUnsafeBytes { try JSONScanner.scan($0) }
        } catch let error as JSONScanError {
            #expect(error.code == code, "\(text): \(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func rejectsInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0x22, 0xC0, 0xAF, 0x22],  // overlong
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // surrogate
            [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xE2, 0x28, 0xA1, 0x22],  // bad continuation
        ]
        for bytes in cases {
            #expect(throws: JSONScanError(.invalidUTF8, at: 1)) { try bytes.withUnsafeBytes { try JSONScanner.scan($0) } }
        }
    }

    @Test func nestsDeeperThanAnyRecursiveParserWithoutOverflowing() throws {
        let depth = 200_000
        let bytes = Array(String(repeating: "[", count: depth).utf8) + Array(String(repeating: "]", count: depth).utf8)
        let tape = try bytes.withUnsafeBytes { try JSONScanner.scan($0) }
        #expect(tape.entries.count == depth)
    }

    @Test func readsValuesThroughTheDocument() throws {
        let text = #"{"model":"claude","n":-42,"big":12345678901234567890,"f":1.5,"ok":true,"s":"a\nb\u00e9","arr":[1,{"x":"y"},3],"dup":"first","dup":"last"}"#
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBytes { raw in
            let document = try JSONDocument(bytes: UnsafeRawBufferPointer(raw))
            let root = document.root
            #expect(root["model"]?.string == "claude")
            #expect(root["model"]?.isString("claude") == true)
            #expect(root["n"]?.int == -42)
            #expect(root["big"]?.int == nil)
            #expect(root["f"]?.int == nil)
            #expect(root["ok"]?.bool == true)
            #expect(root["s"]?.string == "a\nb\u{e9}")
            #expect(root["arr"]?.count == 3)
            #expect(root["arr"]?.elements.map(\.kind) == [.number, .object, .number])
            #expect(root[path: "arr"]?.lastElement?.int == 3)
            #expect(root["dup"]?.string == "last")
            #expect(root["missing"] == nil)
            let range = try #require(root["model"]?.byteRange)
            #expect(String(decoding: Array(text.utf8)[range], as: UTF8.self) == #""claude""#)
        }
    }

    @Test func decodesSurrogatePairsAndReplacesLoneOnes() throws {
        var bytes = Array(#"["\ud83d\ude00","\ud83d","\ude00x"]"#.utf8)
        try bytes.withUnsafeMutableBytes { raw in
            let document = try JSONDocument(bytes: UnsafeRawBufferPointer(raw))
            let strings = document.root.elements.map { $0.string }
            #expect(strings == ["\u{1F600}", "\u{FFFD}", "\u{FFFD}x"])
        }
    }

    @Test func agreesWithFoundationOnGeneratedDocuments() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let text = Self.randomJSON(depth: 0, &generator)
            let bytes = Array(text.utf8)
            let foundation = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            let ours = (try? bytes.withUnsafeBytes { try JSONScanner.scan($0) }) != nil
            #expect(foundation == ours, "disagree on \(text)")
            // Every prefix of a valid document is invalid (except where it is a complete number).
            if ours, bytes.count > 1 {
                let cut = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count - 1)) + 1))
                let cutFoundation = (try? JSONSerialization.jsonObject(with: Data(cut), options: [.fragmentsAllowed])) != nil
                let cutOurs = (try? cut.withUnsafeBytes { try JSONScanner.scan($0) }) != nil
                #expect(cutFoundation == cutOurs, "disagree on prefix \(String(decoding: cut, as: UTF8.self))")
            }
        }
    }

    static func randomJSON(depth: Int, _ g: inout SplitMix64) -> String {
        let choice = depth > 4 ? g.next() % 5 : g.next() % 7
        switch choice {
        case 0: return ["0", "-1", "3.25", "1e5", "-0.5E-2", "12345678901234567890"][Int(g.next() % 6)]
        case 1: return ["true", "false", "null"][Int(g.next() % 3)]
        case 2, 3:
            let pieces = ["a", "\\n", "\\\"", "\\u00e9", "\u{e9}", "\u{1F600}", " ", "\\\\", "long text of code {}[]:,"]
            return "\"" + (0..<Int(g.next() % 6)).map { _ in pieces[Int(g.next() % UInt64(pieces.count))] }.joined() + "\""
        case 4:
            return "[ " + (0..<Int(g.next() % 4)).map { _ in randomJSON(depth: depth + 1, &g) }.joined(separator: " ,") + "]"
        default:
            return "{" + (0..<Int(g.next() % 4)).map { i in "\"k\(i)\" :\n" + randomJSON(depth: depth + 1, &g) }.joined(separator: ",") + " }"
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
