import Foundation
import Testing

@testable import SluiceWire

/// `JSONScanner` and `JSONValue` against Foundation's `JSONSerialization` on generated documents.
///
/// Where we differ from Foundation on purpose, the test asserts the difference (see
/// `JSONDifferential` for the list), so a change on either side shows up.
@Suite struct JSONDifferentialTests {
    static func scan(_ bytes: [UInt8]) -> Result<JSONTape, JSONScanError> {
        bytes.withUnsafeBytes { raw in Result { () throws(JSONScanError) in try JSONScanner.scan(raw) } }
    }

    static func scanError(_ bytes: [UInt8]) -> JSONScanError? {
        if case .failure(let error) = scan(bytes) { return error }
        return nil
    }

    /// Decoded strings of a document whose root is an array of strings.
    static func strings(_ bytes: [UInt8]) throws -> [String?] {
        try bytes.withUnsafeBytes { raw in try JSONDocument(bytes: raw).root.elements.map(\.string) }
    }

    // MARK: Generated documents

    @Test(arguments: 0..<4)
    func generatedDocumentsReadTheSameAsFoundation(batch: Int) {
        var generator = JSONGenerator(seed: 1_000 + UInt64(batch))
        var failures: [String] = []
        for _ in 0..<600 {
            let bytes = generator.document()
            guard let theirs = JSONDifferential.foundation(bytes) else {
                failures.append("Foundation rejects \(String(decoding: bytes, as: UTF8.self))")
                continue
            }
            switch JSONDifferential.scanAndCompare(bytes, with: theirs) {
            case .failure(let error): failures.append("\(error) in \(String(decoding: bytes, as: UTF8.self))")
            case .success(let problems) where !problems.isEmpty:
                failures.append("\(problems) in \(String(decoding: bytes, as: UTF8.self).prefix(2_000))")
            case .success: break
            }
        }
        #expect(failures.isEmpty, "\(failures.count) documents: \(failures.prefix(3))")
    }

    // MARK: Escapes

    @Test func everyBMPEscapeDecodesLikeFoundation() throws {
        // Every \uXXXX outside the surrogates, in lower- and upper-case hex, 256 to a document.
        for block in stride(from: 0, to: 0x10000, by: 256) where !(0xD800..<0xE000).contains(block) {
            var bytes = Array("[".utf8)
            for unit in block..<(block + 256) {
                let hex = String(unit, radix: 16)
                let padded = String(repeating: "0", count: 4 - hex.count) + hex
                bytes += Array("\"\\u\(unit % 2 == 0 ? padded : padded.uppercased())\",".utf8)
            }
            bytes[bytes.count - 1] = 0x5D
            let theirs = try #require(JSONDifferential.foundation(bytes) as? [String])
            let ours = try Self.strings(bytes)
            #expect(ours == theirs.map { Optional($0) }, "block \(String(block, radix: 16))")
            #expect(ours.map { $0.map { $0.unicodeScalars.map(\.value) } ?? [] } == (block..<(block + 256)).map { [UInt32($0)] })
        }
    }

    @Test func singleCharacterEscapesDecodeLikeFoundation() throws {
        let bytes = Array(#"["\"","\\","\/","\b","\f","\n","\r","\t","a\"b\\c\/d\be\ff\ng\rh\ti"]"#.utf8)
        let theirs = try #require(JSONDifferential.foundation(bytes) as? [String])
        #expect(try Self.strings(bytes) == theirs.map { Optional($0) })
        #expect(theirs[7] == "\t")
    }

    @Test func everySurrogatePairDecodesLikeFoundation() throws {
        // Every high surrogate with a sample of lows, and every low with a sample of highs.
        var pairs: [(UInt32, UInt32)] = []
        for high in UInt32(0xD800)...0xDBFF { pairs.append((high, 0xDC00 + (high &* 7919) % 0x400)) }
        for low in UInt32(0xDC00)...0xDFFF { pairs.append((0xD800 + (low &* 104_729) % 0x400, low)) }
        pairs += [(0xD800, 0xDC00), (0xDBFF, 0xDFFF), (0xD83D, 0xDE00)]
        for chunk in stride(from: 0, to: pairs.count, by: 512) {
            let slice = pairs[chunk..<min(chunk + 512, pairs.count)]
            let body = slice.map { high, low in
                "\"\\u\(String(high, radix: 16))\\u\(String(low, radix: 16).uppercased())\""
            }
            let bytes = Array(("[" + body.joined(separator: ",") + "]").utf8)
            let theirs = try #require(JSONDifferential.foundation(bytes) as? [String])
            #expect(try Self.strings(bytes) == theirs.map { Optional($0) })
            let expected = slice.map { high, low in 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00) }
            #expect(try Self.strings(bytes).map { $0?.unicodeScalars.first?.value } == expected)
        }
    }

    /// A lone surrogate escape is valid JSON grammar (RFC 8259 §8.2 allows it) but no Unicode
    /// text. We accept it and decode U+FFFD, as JavaScript's `TextEncoder` does, so a body an
    /// agent could send is never refused for it; Foundation rejects the document.
    @Test(arguments: [
        (#""\ud83d""#, "\u{FFFD}"), (#""\ude00""#, "\u{FFFD}"), (#""\ud83dx""#, "\u{FFFD}x"),
        (#""\ud83d\u0041""#, "\u{FFFD}A"), (#""\ud83d\ud83d\ude00""#, "\u{FFFD}\u{1F600}"),
        (#""\ude00\ud83d""#, "\u{FFFD}\u{FFFD}"), (#""\uD800\n""#, "\u{FFFD}\n"), (#""\uDFFF""#, "\u{FFFD}"),
        (#""a\udbff""#, "a\u{FFFD}"), (#""\ud800\\ud800""#, "\u{FFFD}\\ud800"), (#""\udbff\udfff""#, "\u{10FFFF}"),
    ])
    func loneSurrogateEscapesAreAcceptedAndFoundationRejectsThem(_ text: String, _ decoded: String) throws {
        let bytes = Array(text.utf8)
        let string = try bytes.withUnsafeBytes { raw in try JSONDocument(bytes: raw).root.string }
        #expect(string.map { Array($0.unicodeScalars) } == Array(decoded.unicodeScalars))
        let isLone = decoded.unicodeScalars.contains("\u{FFFD}")
        #expect((JSONDifferential.foundation(bytes) == nil) == isLone, "documented difference: lone surrogates")
        #expect((JSONDifferential.documentedReasonFoundationRejects(bytes) != nil) == isLone)
        // As an object key too: the lookup finds it by its decoded text.
        let object = Array("{\(text):1}".utf8)
        let found = try object.withUnsafeBytes { raw in try JSONDocument(bytes: raw).root[decoded]?.int }
        #expect(found == 1)
    }

    @Test(arguments: [#""\x""#, #""\u12""#, #""\u12G4""#, #""\U0041""#, #""\'""#, #""\a""#, #""\0""#, #""\ ""#, "\"\\\u{e9}\""])
    func invalidEscapesAreRejectedByBoth(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.scanError(bytes)?.code == .invalidEscape)
        #expect(JSONDifferential.foundation(bytes) == nil)
    }

    // MARK: Nesting

    @Test(arguments: [1, 2, 100, 511, 512])
    func nestingFoundationAcceptsReadsTheSame(depth: Int) {
        for bytes in Self.nested(depth: depth) {
            let theirs = JSONDifferential.foundation(bytes)
            #expect(theirs != nil)
            #expect(JSONDifferential.scanAndCompare(bytes, with: theirs) == .success([]))
        }
    }

    /// We accept any depth (the scanner is iterative); Foundation stops at 512.
    @Test(arguments: [513, 10_000, 300_000])
    func nestingDeeperThanFoundationAcceptsIsAccepted(depth: Int) throws {
        for bytes in Self.nested(depth: depth) {
            #expect(JSONDifferential.foundation(bytes) == nil, "documented difference: depth over 512")
            #expect(JSONDifferential.documentedReasonFoundationRejects(bytes) == "nesting deeper than 512")
            #expect(JSONDifferential.scanAndCompare(bytes, with: nil) == .success([]))
            // Every proper prefix is truncated, however deep.
            let cut = Array(bytes.prefix(bytes.count - 1))
            #expect(Self.scanError(cut) == JSONScanError(.truncated, at: cut.count))
        }
    }

    /// Arrays, objects, and the two alternating, `depth` levels deep, with a value at the bottom.
    static func nested(depth: Int) -> [[UInt8]] {
        let arrays = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        let objects = String(repeating: #"{"a":"#, count: depth) + "null" + String(repeating: "}", count: depth)
        let half = depth / 2
        let mixed =
            String(repeating: #"{"k":[ "#, count: half) + (depth % 2 == 1 ? "[]" : #""s""#)
            + String(repeating: "] }", count: half)
        return [Array(arrays.utf8), Array(objects.utf8), Array(mixed.utf8)]
    }

    // MARK: Huge strings

    @Test func hugeStringsDecodeLikeFoundation() throws {
        var generator = JSONGenerator(seed: 99)
        var plain: [UInt8] = [0x22]
        while plain.count < 4_000_000 { plain.append(generator.printableASCII()) }
        plain.append(0x22)
        var mixed: [UInt8] = [0x22]
        while mixed.count < 2_000_000 { generator.stringPiece(&mixed) }
        mixed.append(0x22)
        let escapes = Array(("\"" + String(repeating: #"\n\u00e9\ud83d\ude00\\"#, count: 100_000) + "\"").utf8)
        let object = Array(#"{"model":"m","messages":[{"role":"user","content":"#.utf8) + mixed + Array("}]}".utf8)
        for bytes in [plain, mixed, escapes, object] {
            let theirs = try #require(JSONDifferential.foundation(bytes))
            #expect(JSONDifferential.scanAndCompare(bytes, with: theirs) == .success([]))
        }
        // A fault at the very end of a huge string is found, at its offset.
        var bad = plain
        bad[bad.count - 2] = 0x01
        #expect(Self.scanError(bad) == JSONScanError(.controlCharacterInString, at: bad.count - 2))
        bad[bad.count - 2] = 0xFF
        #expect(Self.scanError(bad) == JSONScanError(.invalidUTF8, at: bad.count - 2))
        #expect(Self.scanError(Array(plain.dropLast())) == JSONScanError(.truncated, at: plain.count - 1))
    }

    // MARK: Numbers

    @Test func generatedNumbersReadTheSameAsFoundation() {
        var generator = JSONGenerator(seed: 5)
        var failures: [String] = []
        var numbers = JSONGenerator.boundaryNumbers
        for _ in 0..<3_000 { numbers.append(generator.number()) }
        for text in numbers {
            for wrapped in [text, "[\(text)]", "{\"n\":\(text)}", " \(text)\n"] {
                let bytes = Array(wrapped.utf8)
                guard let theirs = JSONDifferential.foundation(bytes) else {
                    failures.append("Foundation rejects \(wrapped)")
                    continue
                }
                let result = JSONDifferential.scanAndCompare(bytes, with: theirs)
                if result != .success([]) {
                    failures.append("\(wrapped): \(result)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count): \(failures.prefix(5))")
    }

    @Test(arguments: [
        ("01", JSONScanError.Code.trailingData), ("-01", .trailingData), ("00", .trailingData), ("1.", .truncated),
        (".5", .unexpectedByte), ("-.5", .invalidNumber), ("1e", .truncated), ("1e+", .truncated), ("1E-", .truncated),
        ("+1", .unexpectedByte), ("-", .truncated), ("--1", .invalidNumber), ("NaN", .unexpectedByte),
        ("-NaN", .invalidNumber), ("Infinity", .unexpectedByte), ("-Infinity", .invalidNumber), ("inf", .unexpectedByte),
        ("0x10", .trailingData), ("1_000", .trailingData), ("1.2.3", .trailingData), ("1e5.5", .trailingData),
        ("0.e1", .invalidNumber), ("1.e1", .invalidNumber), ("- 1", .invalidNumber), ("1ee5", .invalidNumber),
        ("1e5e5", .trailingData), ("\u{661}", .unexpectedByte), ("1.5e", .truncated), ("1e+-5", .invalidNumber),
    ])
    func invalidNumbersAreRejectedByBoth(_ text: String, _ code: JSONScanError.Code) {
        #expect(Self.scanError(Array(text.utf8))?.code == code)
        for wrapped in [text, "[\(text)]", "{\"n\":\(text)}", "[\(text) ]"] {
            let bytes = Array(wrapped.utf8)
            #expect(Self.scanError(bytes) != nil, "\(wrapped)")
            #expect(JSONDifferential.foundation(bytes) == nil, "\(wrapped)")
        }
    }

    /// We check only the grammar and never convert, so a number too large for a Double is kept
    /// (its bytes go upstream untouched); Foundation rejects the document.
    @Test(arguments: ["1e400", "-1e400", "1.7976931348623159e308", "1" + String(repeating: "0", count: 400), "123456789e999999999"])
    func numbersPastDoubleRangeAreAcceptedAndFoundationRejectsThem(_ text: String) throws {
        let bytes = Array("[\(text)]".utf8)
        #expect(JSONDifferential.foundation(bytes) == nil, "documented difference: numbers past Double's range")
        #expect(JSONDifferential.documentedReasonFoundationRejects(bytes) == "number outside Double's range")
        try bytes.withUnsafeBytes { raw in
            let number = try #require(try JSONDocument(bytes: raw).root.lastElement)
            #expect(number.kind == .number)
            #expect(number.byteRange == 1..<(bytes.count - 1))
            #expect(number.int == nil)
        }
    }

    @Test func intReadsEveryIntegerThatFits() throws {
        for value in [0, 1, -1, 42, Int.max, Int.min, Int.max - 1, Int.min + 1, 1_000_000_007, -9_007_199_254_740_993] {
            let bytes = Array("[\(value)]".utf8)
            let int = try bytes.withUnsafeBytes { raw in try JSONDocument(bytes: raw).root.lastElement?.int }
            #expect(int == value)
        }
        for text in ["9223372036854775808", "-9223372036854775809", "99999999999999999999", "1.0", "1e2", "-0.0"] {
            let bytes = Array(text.utf8)
            #expect(try bytes.withUnsafeBytes { raw in try JSONDocument(bytes: raw).root.int } == nil, "\(text)")
        }
        #expect(try Array("-0".utf8).withUnsafeBytes { raw in try JSONDocument(bytes: raw).root.int } == 0)
    }

    // MARK: Keys

    @Test func duplicateKeysKeepEveryMemberAndLookupsTakeTheLast() throws {
        let text = #"{"a":1,"m":[1],"a":2,"\u0061":3,"m":{"x":true},"b":null,"b":"s"}"#
        let bytes = Array(text.utf8)
        let theirs = try #require(JSONDifferential.foundation(bytes) as? [String: Any])
        #expect(JSONDifferential.scanAndCompare(bytes, with: theirs) == .success([]))
        try bytes.withUnsafeBytes { raw in
            let root = try JSONDocument(bytes: raw).root
            #expect(root.count == 7)
            #expect(Array(root.members).count == 7)
            #expect(root["a"]?.int == 3)
            #expect(root["m"]?.kind == .object)
            #expect(root["b"]?.string == "s")
        }
        #expect(theirs["a"] as? Int == 3)
    }

    /// Keys are compared by their decoded bytes (RFC 8259 §8.3), whether or not the client escaped
    /// them: `e` + U+0301 is not the key `é` (U+00E9), though Swift's `String ==` says they are equal.
    @Test func keysCompareByCodePointsWhetherEscapedOrNot() throws {
        for text in ["{\"e\u{301}\":1}", #"{"e\u0301":1}"#, #"{"\u0065\u0301":1}"#] {
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBytes { raw in
                let root = try JSONDocument(bytes: raw).root
                #expect(root["e\u{301}"]?.int == 1, "\(text)")
                #expect(root["\u{e9}"] == nil, "\(text)")
                #expect(root.members.first { _ in true }?.key.isString("\u{e9}") == false, "\(text)")
            }
        }
    }

    /// The grammar has no trailing comma, and we refuse one; Foundation on Linux takes it.
    @Test(arguments: ["[1,]", "[1 , ]", #"{"a":1,}"#, "{\"a\":1 ,\n}", "[[],]", #"{"a":[{"b":2,}]}"#])
    func trailingCommasAreRefusedThoughFoundationTakesThem(_ text: String) throws {
        let bytes = Array(text.utf8)
        let error = try #require(Self.scanError(bytes))
        #expect(error.code == .unexpectedByte)
        #expect(JSONDifferential.foundation(bytes) != nil, "documented difference: trailing comma")
        #expect(JSONDifferential.documentedReasonFoundationAccepts(bytes, error) == "trailing comma")
    }

    // MARK: Whitespace

    @Test func whitespaceIsAllowedBetweenEveryTokenAndNowhereElse() {
        var generator = JSONGenerator(seed: 17)
        generator.whitespacePercent = 100
        var failures: [String] = []
        for _ in 0..<300 {
            let bytes = generator.document()
            let theirs = JSONDifferential.foundation(bytes)
            if theirs == nil || JSONDifferential.scanAndCompare(bytes, with: theirs) != .success([]) {
                failures.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        // Not whitespace in JSON: vertical tab, form feed, NBSP, U+2028, U+FEFF, NUL (after the
        // first four bytes, where Foundation sniffs the encoding).
        for space in ["\u{0B}", "\u{0C}", "\u{A0}", "\u{2028}", "\u{FEFF}", "\u{0}"] {
            for text in ["[1,\(space)2]", "{\"a\"\(space):1}", "[true]\(space)", "[  \(space)1]"] {
                let bytes = Array(text.utf8)
                #expect(Self.scanError(bytes) != nil, "\(text.debugDescription)")
                #expect(JSONDifferential.foundation(bytes) == nil, "\(text.debugDescription)")
            }
        }
        // A byte-order mark: Foundation skips it; we refuse it (RFC 8259 §8.1: senders must not add one).
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{}".utf8)
        #expect(JSONDifferential.foundation(bom) != nil, "documented difference: BOM")
        #expect(Self.scanError(bom) == JSONScanError(.unexpectedByte, at: 0))
    }

    // MARK: Invalid UTF-8

    /// Every two-byte sequence that starts with a non-ASCII byte, and every second byte after each
    /// three- and four-byte lead, inside a string: we accept exactly what Foundation accepts, which
    /// is exactly what Swift's own UTF-8 validation accepts.
    @Test func utf8IsValidatedLikeFoundation() {
        var failures: [String] = []
        func check(_ sequence: [UInt8]) {
            let bytes = [0x5B, 0x22] + sequence + [0x22, 0x5D]
            let foundation = JSONDifferential.foundation(bytes) != nil
            let ours = Self.scanError(bytes) == nil
            let swift =
                String(validating: sequence, as: UTF8.self).map { !$0.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } } ?? false
            if foundation != ours || ours != swift { failures.append("\(sequence.map { String($0, radix: 16) })") }
        }
        for first in UInt8(0x80)...0xFF {
            for second in UInt8(0x20)...0xFF where second != 0x22 && second != 0x5C { check([first, second]) }
        }
        for lead in UInt8(0xE0)...0xF4 {
            for second in UInt8(0x20)...0xFF where second != 0x22 && second != 0x5C {
                check(lead < 0xF0 ? [lead, second, 0x80] : [lead, second, 0x80, 0x80])
                check(lead < 0xF0 ? [lead, 0xA0 - (lead == 0xED ? 0x10 : 0), second] : [lead, 0x90 - (lead == 0xF4 ? 0x10 : 0), second, 0x80])
            }
        }
        #expect(failures.isEmpty, "\(failures.count) disagree: \(failures.prefix(10))")
    }

    static let invalidSequences: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
        [0xED, 0xBF, 0xBF], [0xE2, 0x82], [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x9F, 0x98],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8], [0xFE], [0xFF],
    ]

    /// Invalid sequences put at the start and end of strings in generated documents are found at
    /// their offset; outside strings they are unexpected bytes. Foundation rejects them all.
    @Test func invalidUTF8InGeneratedDocumentsIsFoundAtItsOffset() throws {
        var generator = JSONGenerator(seed: 23)
        var failures: [String] = []
        for round in 0..<200 {
            let bytes = generator.document()
            let spans = try bytes.withUnsafeBytes { raw in
                try JSONScanner.scan(raw).entries.filter { $0.kind == .string }.map { (Int($0.start), Int($0.end)) }
            }
            let sequence = Self.invalidSequences[round % Self.invalidSequences.count]
            let places = [(0, JSONScanError.Code.unexpectedByte)] + spans.flatMap { [($0.0 + 1, .invalidUTF8), ($0.1 - 1, .invalidUTF8)] }
            for (offset, code) in places.prefix(6) {
                var bad = bytes
                bad.insert(contentsOf: sequence, at: offset)
                let error = Self.scanError(bad)
                if error != JSONScanError(code, at: offset) || JSONDifferential.foundation(bad) != nil {
                    failures.append("\(sequence) at \(offset): \(String(describing: error)) in \(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count): \(failures.prefix(3))")
    }

    // MARK: Truncation and corruption

    static let smallDocuments = [
        #"{"model":"claude-sonnet-4-5","max_tokens":32000,"stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"Fix the bug in \"main.go\" \u2014 caf\u00e9 \ud83d\ude00\n\tthanks"}]},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_01","name":"Bash","input":{"command":"go test ./...","timeout":-1.5e3}}]}],"metadata":{"user_id":null},"temperature":0.0,"top_p":1E-2,"ok":false}"#,
        "[ \"caf\u{e9} \u{1F600} \u{4e2d}\" , -0.25e+10 , { \"a\" : [ true , null , { } , [ ] ] } , 12345678901234567890 ]",
        #"{"tools":[{"type":"function","function":{"name":"shell","parameters":{"type":"object","properties":{"command":{"type":"array","items":{"type":"string"}}}}}}],"input":[{"type":"function_call_output","call_id":"c1","output":"{\"exit\":0,\"stdout\":\"ok\\n\"}"}]}"#,
    ]

    /// Every proper prefix of a document is refused as truncated at its end (or empty), as
    /// Foundation refuses it too.
    @Test(arguments: smallDocuments)
    func everyTruncationIsRefusedAsTruncated(_ text: String) {
        let bytes = Array(text.utf8)
        var failures: [String] = []
        for length in 0..<bytes.count {
            let cut = Array(bytes[..<length])
            let error = Self.scanError(cut)
            let expected = length == 0 ? JSONScanError(.empty, at: 0) : JSONScanError(.truncated, at: length)
            if error != expected || JSONDifferential.foundation(cut) != nil {
                failures.append("\(length): \(String(describing: error))")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    /// Each byte of a document replaced by each of a set of bytes that matter to a JSON parser:
    /// we accept exactly what Foundation accepts, apart from the documented differences.
    @Test(arguments: smallDocuments)
    func everySingleByteCorruptionIsJudgedLikeFoundation(_ text: String) {
        let bytes = Array(text.utf8)
        let replacements: [UInt8] = [
            0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2C, 0x20, 0x0A, 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF,
            0x30, 0x31, 0x2D, 0x2B, 0x2E, 0x65, 0x75, 0x6E, 0x74, 0x61, 0x44,
        ]
        var failures: [String] = []
        for offset in bytes.indices {
            for byte in replacements where byte != bytes[offset] {
                var bad = bytes
                bad[offset] = byte
                // Foundation reads a NUL among the first four bytes as a sign of UTF-16 or UTF-32.
                if byte == 0 && offset < 4 { continue }
                let theirs = JSONDifferential.foundation(bad)
                switch JSONDifferential.scanAndCompare(bad, with: theirs) {
                case .success(let problems) where !problems.isEmpty:
                    failures.append("\(offset)=\(byte): \(problems)")
                case .success where theirs == nil:
                    if JSONDifferential.documentedReasonFoundationRejects(bad) == nil {
                        failures.append("\(offset)=\(byte): we accept, Foundation rejects")
                    }
                case .failure(let error) where theirs != nil:
                    if JSONDifferential.documentedReasonFoundationAccepts(bad, error) == nil {
                        failures.append("\(offset)=\(byte): we reject (\(error)), Foundation accepts")
                    }
                default: break
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count): \(failures.prefix(5))")
    }
}
