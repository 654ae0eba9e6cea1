/// Validates a JSON document and indexes it, in one pass over its bytes.
///
/// Strict RFC 8259: one value, optional surrounding whitespace, strings of valid UTF-8 with valid
/// escapes, numbers in the JSON grammar. Nesting depth is limited only by memory (the scanner is
/// iterative). Duplicate keys are kept; lookups take the last one, as JavaScript and Python do.
///
/// Strings are skipped eight bytes at a time while they hold no quote, backslash, control
/// character or non-ASCII byte, which is most of an agent's request (source code and tool output).
package enum JSONScanner {
    /// Scans `bytes` into a tape.
    ///
    /// - Throws: `JSONScanError` naming the first fault and its byte offset.
    package static func scan(_ bytes: UnsafeRawBufferPointer) throws(JSONScanError) -> JSONTape {
        guard bytes.count < Int(Int32.max) else { throw JSONScanError(.tooLarge, at: 0) }
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw JSONScanError(.empty, at: 0) }
        var scanner = Scanner(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        try scanner.run()
        return JSONTape(entries: scanner.entries)
    }
}

private let quote: UInt8 = 0x22
private let backslash: UInt8 = 0x5C
private let ones: UInt64 = 0x0101_0101_0101_0101
private let highBits: UInt64 = 0x8080_8080_8080_8080

/// The high bit of each zero byte of `word`. Bits above the first zero byte may be false
/// positives (a borrow carries up), but the lowest set bit is always exact.
@inline(__always)
private func zeroBytes(_ word: UInt64) -> UInt64 {
    (word &- ones) & ~word & highBits
}

private struct Scanner {
    let p: UnsafePointer<UInt8>
    let n: Int
    var entries: [JSONTape.Entry] = []
    var stack: [Int32] = []

    init(base: UnsafePointer<UInt8>, count: Int) {
        p = base
        n = count
        entries.reserveCapacity(Swift.max(16, count / 32))
    }

    @inline(__always)
    func skipWhitespace(_ start: Int) -> Int {
        var i = start
        while i < n {
            switch p[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return i
            }
        }
        return i
    }

    @inline(__always)
    mutating func append(_ kind: JSONTape.Kind, start: Int, end: Int, hasEscapes: Bool = false) -> Int32 {
        let index = Int32(entries.count)
        entries.append(
            JSONTape.Entry(
                kind: kind, hasEscapes: hasEscapes, start: Int32(start), end: Int32(end), next: index + 1, count: 0))
        return index
    }

    mutating func run() throws(JSONScanError) {
        var i = skipWhitespace(0)
        if i == n { throw JSONScanError(.empty, at: 0) }
        while true {
            let (offset, complete) = try scanValue(at: i)
            i = offset
            if !complete { continue }
            // A value is complete: close containers and find the next value to scan.
            while true {
                guard let top = stack.last else {
                    let end = skipWhitespace(i)
                    if end != n { throw JSONScanError(.trailingData, at: end) }
                    return
                }
                entries[Int(top)].count += 1
                i = skipWhitespace(i)
                guard i < n else { throw JSONScanError(.truncated, at: n) }
                let separator = p[i]
                let isObject = entries[Int(top)].kind == .object
                if separator == 0x2C {  // ,
                    i += 1
                    if isObject { i = try scanKey(at: i) }
                    break
                }
                if (isObject && separator == 0x7D) || (!isObject && separator == 0x5D) {
                    entries[Int(top)].end = Int32(i + 1)
                    entries[Int(top)].next = Int32(entries.count)
                    stack.removeLast()
                    i += 1
                    continue
                }
                throw JSONScanError(.unexpectedByte, at: i)
            }
        }
    }

    /// Scans one value at `start` (whitespace allowed before it); returns the offset after it.
    ///
    /// A container with children is pushed and the offset of its first child returned with
    /// `complete == false`: the caller loops instead of recursing, so depth costs no stack.
    mutating func scanValue(at start: Int) throws(JSONScanError) -> (offset: Int, complete: Bool) {
        var i = skipWhitespace(start)
        guard i < n else { throw JSONScanError(.truncated, at: n) }
        switch p[i] {
        case 0x7B:  // {
            let index = append(.object, start: i, end: i + 1)
            i = skipWhitespace(i + 1)
            guard i < n else { throw JSONScanError(.truncated, at: n) }
            if p[i] == 0x7D {
                entries[Int(index)].end = Int32(i + 1)
                return (i + 1, true)
            }
            stack.append(index)
            return (try scanKey(at: i), false)
        case 0x5B:  // [
            let index = append(.array, start: i, end: i + 1)
            i = skipWhitespace(i + 1)
            guard i < n else { throw JSONScanError(.truncated, at: n) }
            if p[i] == 0x5D {
                entries[Int(index)].end = Int32(i + 1)
                return (i + 1, true)
            }
            stack.append(index)
            return (i, false)
        case quote:
            return (try scanString(at: i), true)
        case 0x2D, 0x30...0x39:
            return (try scanNumber(at: i), true)
        case 0x74: return (try scanLiteral(at: i, "true", .true), true)
        case 0x66: return (try scanLiteral(at: i, "false", .false), true)
        case 0x6E: return (try scanLiteral(at: i, "null", .null), true)
        default:
            throw JSONScanError(.unexpectedByte, at: i)
        }
    }

    /// Scans `"key" :` and returns the offset after the colon.
    mutating func scanKey(at start: Int) throws(JSONScanError) -> Int {
        var i = skipWhitespace(start)
        guard i < n else { throw JSONScanError(.truncated, at: n) }
        guard p[i] == quote else { throw JSONScanError(.unexpectedByte, at: i) }
        // Two statements: `skipWhitespace(try scanString(...))` holds a copy of `self` across the
        // mutating call, so an unoptimized build copies the whole tape for every key.
        let afterKey = try scanString(at: i)
        i = skipWhitespace(afterKey)
        guard i < n else { throw JSONScanError(.truncated, at: n) }
        guard p[i] == 0x3A else { throw JSONScanError(.unexpectedByte, at: i) }
        return i + 1
    }

    mutating func scanString(at start: Int) throws(JSONScanError) -> Int {
        var j = start + 1
        var hasEscapes = false
        while true {
            // Fast path: skip plain ASCII eight bytes at a time. `special` has the high bit of each
            // quote, backslash, control or non-ASCII byte; its lowest set bit is exact (see
            // `zeroBytes`), so the scan goes straight to the first special byte.
            while j + 8 <= n {
                let word = UInt64(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                let special =
                    (word & highBits) | zeroBytes(word ^ (ones &* UInt64(quote)))
                    | zeroBytes(word ^ (ones &* UInt64(backslash))) | ((word &- ones &* 0x20) & ~word & highBits)
                if special != 0 {
                    j += special.trailingZeroBitCount >> 3
                    break
                }
                j += 8
            }
            guard j < n else { throw JSONScanError(.truncated, at: n) }
            let byte = p[j]
            if byte == quote {
                _ = append(.string, start: start, end: j + 1, hasEscapes: hasEscapes)
                return j + 1
            }
            if byte == backslash {
                hasEscapes = true
                guard j + 1 < n else { throw JSONScanError(.truncated, at: n) }
                switch p[j + 1] {
                case quote, backslash, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    j += 2
                case 0x75:  // \uXXXX
                    // A non-hex digit is an invalid escape, even where the body ends soon after it.
                    for k in (j + 2)..<Swift.min(j + 6, n) where hexValue(p[k]) == nil {
                        throw JSONScanError(.invalidEscape, at: j)
                    }
                    guard j + 6 <= n else { throw JSONScanError(.truncated, at: n) }
                    j += 6
                default:
                    throw JSONScanError(.invalidEscape, at: j)
                }
            } else if byte < 0x20 {
                throw JSONScanError(.controlCharacterInString, at: j)
            } else if byte < 0x80 {
                j += 1
            } else {
                j = try skipUTF8Sequence(at: j)
            }
        }
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    func skipUTF8Sequence(at j: Int) throws(JSONScanError) -> Int {
        let lead = p[j]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw JSONScanError(.invalidUTF8, at: j)
        }
        // The bytes that are there are checked first: a bad one is invalid UTF-8 even in a
        // sequence the end of the body cuts short.
        let end = Swift.min(j + length, n)
        if j + 1 < end {
            let second = p[j + 1]
            guard second >= low && second <= high else { throw JSONScanError(.invalidUTF8, at: j) }
        }
        var k = j + 2
        while k < end {
            guard p[k] & 0xC0 == 0x80 else { throw JSONScanError(.invalidUTF8, at: j) }
            k += 1
        }
        // A valid sequence cut by the end of the body is truncation, not corruption.
        guard end == j + length else { throw JSONScanError(.truncated, at: n) }
        return j + length
    }

    mutating func scanNumber(at start: Int) throws(JSONScanError) -> Int {
        var j = start
        @inline(__always) func isDigit(_ index: Int) -> Bool { index < n && p[index] >= 0x30 && p[index] <= 0x39 }
        @inline(__always) func fault(_ index: Int) -> JSONScanError {
            index >= n ? JSONScanError(.truncated, at: n) : JSONScanError(.invalidNumber, at: start)
        }
        if p[j] == 0x2D { j += 1 }
        guard j < n else { throw JSONScanError(.truncated, at: n) }
        if p[j] == 0x30 {
            j += 1
        } else if isDigit(j) {
            while isDigit(j) { j += 1 }
        } else {
            throw fault(j)
        }
        if j < n && p[j] == 0x2E {
            j += 1
            guard isDigit(j) else { throw fault(j) }
            while isDigit(j) { j += 1 }
        }
        if j < n && (p[j] == 0x65 || p[j] == 0x45) {
            j += 1
            if j < n && (p[j] == 0x2B || p[j] == 0x2D) { j += 1 }
            guard isDigit(j) else { throw fault(j) }
            while isDigit(j) { j += 1 }
        }
        _ = append(.number, start: start, end: j)
        return j
    }

    mutating func scanLiteral(at start: Int, _ word: StaticString, _ kind: JSONTape.Kind) throws(JSONScanError) -> Int {
        let length = word.utf8CodeUnitCount
        let expected = word.utf8Start
        for k in 0..<length {
            guard start + k < n else { throw JSONScanError(.truncated, at: n) }
            guard p[start + k] == expected[k] else { throw JSONScanError(.invalidLiteral, at: start) }
        }
        _ = append(kind, start: start, end: start + length)
        return start + length
    }
}

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: UInt32(byte - 0x30)
    case 0x41...0x46: UInt32(byte - 0x41 + 10)
    case 0x61...0x66: UInt32(byte - 0x61 + 10)
    default: nil
    }
}
