/// Random valid JSON for the differential tests: every escape, raw UTF-8 of every length,
/// numbers in every form the grammar allows, duplicate keys (also spelled with escapes), and
/// whitespace between every pair of tokens. Deterministic for a seed, so a failure reproduces.
///
/// It never writes what Foundation rejects by design (lone surrogates, numbers past Double's
/// range, nesting deeper than 512); those have their own tests.
struct JSONGenerator {
    var random: SplitMix64
    var maxDepth = 6
    /// Percent chance of whitespace at each place it is allowed.
    var whitespacePercent = 40

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
    mutating func inRange(_ range: Range<Int>) -> Int { range.lowerBound + below(range.count) }

    mutating func document() -> [UInt8] {
        var out: [UInt8] = []
        whitespace(&out)
        value(depth: 0, &out)
        whitespace(&out)
        return out
    }

    mutating func whitespace(_ out: inout [UInt8]) {
        guard chance(whitespacePercent) else { return }
        for _ in 0..<(1 + below(3)) { out.append(pick([0x20, 0x0A, 0x0D, 0x09])) }
    }

    mutating func value(depth: Int, _ out: inout [UInt8]) {
        switch below(depth >= maxDepth ? 6 : 9) {
        case 0, 1: out += Array(number().utf8)
        case 2: out += Array(pick(["true", "false", "null"]).utf8)
        case 3, 4, 5: string(&out)
        case 6, 7:
            out.append(0x5B)
            whitespace(&out)
            for i in 0..<below(5) {
                if i > 0 {
                    out.append(0x2C)
                    whitespace(&out)
                }
                value(depth: depth + 1, &out)
                whitespace(&out)
            }
            out.append(0x5D)
        default:
            out.append(0x7B)
            whitespace(&out)
            for i in 0..<below(5) {
                if i > 0 {
                    out.append(0x2C)
                    whitespace(&out)
                }
                key(&out)
                whitespace(&out)
                out.append(0x3A)
                whitespace(&out)
                value(depth: depth + 1, &out)
                whitespace(&out)
            }
            out.append(0x7D)
        }
    }

    /// Keys from a small pool, so objects repeat them, some spelled two ways (`a` and `\u0061`,
    /// precomposed and decomposed `é`).
    mutating func key(_ out: inout [UInt8]) {
        if chance(25) { return string(&out) }
        let pool = [
            #""a""#, #""\u0061""#, #""b""#, #""model""#, #""messages""#, #""""#, "\"\u{e9}\"", #""\u00e9""#,
            "\"e\u{301}\"", #""e\u0301""#, #""\ud83d\ude00""#, "\"\u{1F600}\"", #""a\u0000b""#, #""tab\tkey""#,
        ]
        out += Array(pick(pool).utf8)
    }

    mutating func string(_ out: inout [UInt8]) {
        out.append(0x22)
        for _ in 0..<below(8) { stringPiece(&out) }
        out.append(0x22)
    }

    mutating func stringPiece(_ out: inout [UInt8]) {
        switch below(9) {
        case 0, 1:
            for _ in 0..<below(24) { out.append(printableASCII()) }
        case 2:
            out += [0x5C, pick(Array(#""\/bfnrt"#.utf8))]
        case 3:
            // \uXXXX of a BMP scalar, controls and Latin-1 often, never a surrogate.
            let scalar = chance(40) ? UInt32(below(0x100)) : UInt32(inRange(pick([0..<0xD800, 0xE000..<0x10000])))
            hexEscape(scalar, &out)
        case 4:
            // A surrogate pair for a scalar above the BMP.
            let scalar = 0x10000 + UInt32(below(0x100000))
            hexEscape(0xD800 + ((scalar - 0x10000) >> 10), &out)
            hexEscape(0xDC00 + ((scalar - 0x10000) & 0x3FF), &out)
        case 5:
            out += utf8(randomScalar())
        case 6:
            out.append(0x7F)
        default:
            // A long run, so specials land at every offset of the eight-byte fast path.
            for _ in 0..<(40 + below(200)) { out.append(printableASCII()) }
        }
    }

    mutating func printableASCII() -> UInt8 {
        let byte = UInt8(0x20 + below(0x5F))
        return byte == 0x22 || byte == 0x5C ? 0x61 : byte
    }

    mutating func randomScalar() -> UInt32 {
        switch below(3) {
        case 0: UInt32(0x80 + below(0x800 - 0x80))
        case 1: UInt32(inRange(pick([0x800..<0xD800, 0xE000..<0x10000])))
        default: UInt32(0x10000 + below(0x100000))
        }
    }

    mutating func hexEscape(_ unit: UInt32, _ out: inout [UInt8]) {
        let digits = chance(50) ? Array("0123456789abcdef".utf8) : Array("0123456789ABCDEF".utf8)
        out += [0x5C, 0x75]
        for shift in [12, 8, 4, 0] { out.append(digits[Int((unit >> UInt32(shift)) & 0xF)]) }
    }

    /// A number in any form the grammar allows, within Double's range.
    mutating func number() -> String {
        if chance(10) { return pick(Self.boundaryNumbers) }
        var text = chance(30) ? "-" : ""
        switch below(6) {
        case 0: text += "0"
        case 1: text += digits(1 + below(3))
        case 2: text += digits(1 + below(18))
        case 3: text += digits(19 + below(2))
        case 4: text += digits(21 + below(18))
        default: text += digits(39 + below(8))
        }
        if chance(35) { text += "." + digits(1 + below(25), leadingZeroAllowed: true) }
        if chance(30) {
            text += pick(["e", "E"]) + pick(["", "+", "-"])
            text += pick(["", "0", "00"]) + String(below(100))
        }
        return text
    }

    mutating func digits(_ count: Int, leadingZeroAllowed: Bool = false) -> String {
        var text = ""
        for i in 0..<count {
            text.append(Character(Unicode.Scalar(UInt8(0x30 + ((i == 0 && !leadingZeroAllowed) ? 1 + below(9) : below(10))))))
        }
        return text
    }

    static let boundaryNumbers = [
        "0", "-0", "0.0", "-0.0", "0e0", "0E-0", "1E+2", "1e+0", "-1.0e-0", "123.456e-2", "1e007", "0.1",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "9007199254740993", "4.9e-324", "2.5e-324", "1e-400",
        "2.2250738585072014e-308", "1.7976931348623157e308", "0.30000000000000004",
    ]
}

/// The UTF-8 bytes of a scalar.
func utf8(_ scalar: UInt32) -> [UInt8] {
    Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
}
