/// Scanned JSON: the bytes and their tape, read through `JSONValue`.
///
/// - Warning: A document holds a pointer to bytes it does not own. Use it only inside the scope
///   that lent the bytes (`ByteBuffer.withUnsafeReadableBytes`, `Array.withUnsafeBytes`), and copy
///   out every fact you need before that scope ends.
package struct JSONDocument {
    package let bytes: UnsafeRawBufferPointer
    package let tape: JSONTape

    /// Scans and indexes `bytes`.
    package init(bytes: UnsafeRawBufferPointer) throws(JSONScanError) {
        self.bytes = bytes
        self.tape = try JSONScanner.scan(bytes)
    }

    /// The top-level value.
    package var root: JSONValue { JSONValue(document: self, index: 0) }
}

/// One value of a scanned document; decodes only what is asked of it.
package struct JSONValue {
    package let document: JSONDocument
    package let index: Int

    init(document: JSONDocument, index: Int) {
        self.document = document
        self.index = index
    }

    var entry: JSONTape.Entry { document.tape.entries[index] }

    package var kind: JSONTape.Kind { entry.kind }

    /// The value's bytes in the document, quotes and brackets included.
    package var byteRange: Range<Int> { Int(entry.start)..<Int(entry.end) }

    /// Number of elements of an array or members of an object; 0 for scalars.
    package var count: Int { Int(entry.count) }

    package var isNull: Bool { kind == .null }

    package var bool: Bool? {
        switch kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// The value of an integer number (no fraction, no exponent) that fits in `Int`.
    package var int: Int? {
        guard kind == .number else { return nil }
        var result = 0
        var negative = false
        for offset in byteRange {
            let byte = document.bytes[offset]
            if byte == 0x2D {
                negative = true
                continue
            }
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            // Accumulate with the number's sign, so Int.min (whose magnitude Int cannot hold) reads too.
            let digit = Int(byte - 0x30)
            let (times10, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            result = sum
        }
        return result
    }

    /// Bytes of a string's raw text between its quotes (escapes not decoded); empty for other kinds.
    package var rawStringRange: Range<Int> {
        guard kind == .string else { return Int(entry.start)..<Int(entry.start) }
        return (Int(entry.start) + 1)..<(Int(entry.end) - 1)
    }

    /// The decoded text of a string value.
    package var string: String? {
        guard kind == .string else { return nil }
        let range = rawStringRange
        let slice = UnsafeRawBufferPointer(rebasing: document.bytes[range])
        if !entry.hasEscapes { return String(decoding: slice, as: UTF8.self) }
        return String(decoding: JSONStringDecoder.unescape(slice), as: UTF8.self)
    }

    /// Whether this is a string equal to `text`, compared without allocating when it has no escapes.
    package func isString(_ text: String) -> Bool {
        guard kind == .string else { return false }
        // Compare code points, not `String ==` (canonical equivalence): "e\u0301" is not "é".
        if entry.hasEscapes {
            return JSONStringDecoder.unescape(UnsafeRawBufferPointer(rebasing: document.bytes[rawStringRange])).elementsEqual(text.utf8)
        }
        let range = rawStringRange
        var text = text
        return text.withUTF8 { utf8 in
            utf8.count == range.count && memoryEqual(utf8.baseAddress, document.bytes.baseAddress! + range.lowerBound, range.count)
        }
    }

    /// Whether a string's raw text starts with `prefix` (ASCII, escapes not decoded).
    package func rawStringHasPrefix(_ prefix: StaticString) -> Bool {
        guard kind == .string else { return false }
        let range = rawStringRange
        let length = prefix.utf8CodeUnitCount
        guard range.count >= length else { return false }
        return memoryEqual(prefix.utf8Start, document.bytes.baseAddress! + range.lowerBound, length)
    }

    /// Whether a string's raw text contains `needle` (ASCII, escapes not decoded).
    package func rawStringContains(_ needle: StaticString) -> Bool {
        guard kind == .string else { return false }
        return document.bytes.firstRange(of: needle, in: rawStringRange) != nil
    }

    /// The member named `key` of an object (the last one when keys repeat).
    package subscript(key: String) -> JSONValue? {
        guard kind == .object else { return nil }
        var found: JSONValue?
        var child = index + 1
        let end = Int(entry.next)
        while child < end {
            let keyValue = JSONValue(document: document, index: child)
            let valueIndex = child + 1
            if keyValue.isString(key) { found = JSONValue(document: document, index: valueIndex) }
            child = Int(document.tape.entries[valueIndex].next)
        }
        return found
    }

    /// Follows a path of object keys.
    package subscript(path first: String, _ rest: String...) -> JSONValue? {
        var value = self[first]
        for key in rest { value = value?[key] }
        return value
    }

    /// The elements of an array (empty for other kinds).
    package var elements: JSONElements { JSONElements(parent: self) }

    /// The members of an object as (key, value) pairs (empty for other kinds).
    package var members: JSONMembers { JSONMembers(parent: self) }

    /// The last element of an array.
    package var lastElement: JSONValue? {
        guard kind == .array, count > 0 else { return nil }
        var last: JSONValue?
        for element in elements { last = element }
        return last
    }
}

/// The elements of a JSON array, in order.
package struct JSONElements: Sequence {
    let parent: JSONValue?

    /// No elements: what an absent array iterates as.
    package static var empty: JSONElements { JSONElements(parent: nil) }

    package struct Iterator: IteratorProtocol {
        let document: JSONDocument?
        var child: Int
        let end: Int

        package mutating func next() -> JSONValue? {
            guard child < end, let document else { return nil }
            let value = JSONValue(document: document, index: child)
            child = Int(document.tape.entries[child].next)
            return value
        }
    }

    package func makeIterator() -> Iterator {
        guard let parent, parent.kind == .array else { return Iterator(document: nil, child: 0, end: 0) }
        return Iterator(document: parent.document, child: parent.index + 1, end: Int(parent.entry.next))
    }
}

/// The members of a JSON object, in order.
package struct JSONMembers: Sequence {
    let parent: JSONValue

    package struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var child: Int
        let end: Int

        package mutating func next() -> (key: JSONValue, value: JSONValue)? {
            guard child < end else { return nil }
            let key = JSONValue(document: document, index: child)
            let value = JSONValue(document: document, index: child + 1)
            child = Int(document.tape.entries[child + 1].next)
            return (key, value)
        }
    }

    package func makeIterator() -> Iterator {
        let isObject = parent.kind == .object
        return Iterator(
            document: parent.document, child: parent.index + 1, end: isObject ? Int(parent.entry.next) : parent.index + 1)
    }
}

@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>?, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    guard let a else { return count == 0 }
    let b = b.assumingMemoryBound(to: UInt8.self)
    for i in 0..<count where a[i] != b[i] { return false }
    return true
}

extension UnsafeRawBufferPointer {
    /// The first occurrence of `needle` within `range`, comparing raw bytes.
    package func firstRange(of needle: StaticString, in range: Range<Int>) -> Range<Int>? {
        let length = needle.utf8CodeUnitCount
        guard length > 0, range.count >= length else { return nil }
        let pattern = needle.utf8Start
        let first = pattern[0]
        var i = range.lowerBound
        let last = range.upperBound - length
        while i <= last {
            if self[i] == first {
                var k = 1
                while k < length && self[i + k] == pattern[k] { k += 1 }
                if k == length { return i..<(i + length) }
            }
            i += 1
        }
        return nil
    }

    /// Whether `key` (quotes included) occurs followed by a colon and an object: a cheap test
    /// before parsing an event that may carry usage or an error.
    package func hasObjectMember(named key: StaticString) -> Bool {
        var searchFrom = 0
        while let found = firstRange(of: key, in: searchFrom..<count) {
            var i = found.upperBound
            while i < count && (self[i] == 0x20 || self[i] == 0x3A || self[i] == 0x0A || self[i] == 0x09) { i += 1 }
            if i < count && self[i] == 0x7B { return true }
            searchFrom = found.upperBound
        }
        return false
    }
}

extension Optional where Wrapped == JSONValue {
    /// The elements of an array that may be absent (none when it is absent or not an array).
    package var elementsIfAny: JSONElements { self?.elements ?? .empty }
}
