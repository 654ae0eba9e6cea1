import Foundation

@testable import SluiceWire

/// Compares a scanned document with Foundation's `JSONSerialization` and checks the tape's own
/// invariants. Shared by the generated-document and recorded-trace differential suites.
///
/// Where the two parsers may differ by design, the difference is asserted by the suites, not
/// hidden here:
/// - lone surrogate escapes (`"\ud800"`): we accept them and decode U+FFFD; Foundation rejects;
/// - numbers outside Double's range (`1e400`): we accept any number the grammar allows (we never
///   convert them); Foundation rejects them as "not representable";
/// - nesting deeper than 512: we accept any depth; Foundation stops at 512;
/// - a byte-order mark or UTF-16/32 input: Foundation sniffs the encoding; we accept only UTF-8
///   without a BOM (RFC 8259 §8.1);
/// - a trailing comma (`[1,]`, `{"a":1,}`): Foundation on Linux accepts it; the grammar does
///   not, and neither do we.
///
/// Foundation keeps only 38 significant digits of a decimal (it truncates the rest), so numbers
/// longer than that are compared only when Foundation read them as integers or doubles.
enum JSONDifferential {
    /// Foundation's reading of `bytes`, or nil when it rejects them.
    static func foundation(_ bytes: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    static func foundation(_ bytes: UnsafeRawBufferPointer) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    /// Our scan of `bytes`: the error, or the problems found comparing with `theirs` (nil to skip).
    static func scanAndCompare(_ bytes: [UInt8], with theirs: Any?) -> Result<[String], JSONScanError> {
        bytes.withUnsafeBytes { raw in
            do throws(JSONScanError) {
                let document = try JSONDocument(bytes: raw)
                var problems = tapeProblems(document)
                if let theirs { problems += disagreements(document.root, theirs) }
                return .success(problems)
            } catch {
                return .failure(error)
            }
        }
    }

    // MARK: Value agreement

    private enum Step {
        case root
        case element(Int)
        case member(keyIndex: Int)
    }

    /// Every place where a value reachable from `ours` differs from Foundation's decoding, at most `limit`.
    static func disagreements(_ ours: JSONValue, _ theirs: Any, limit: Int = 8) -> [String] {
        let document = ours.document
        // The path of each pending value is kept as a parent chain, rendered only on failure.
        var steps: [(parent: Int, step: Step)] = [(-1, .root)]
        var work: [(index: Int, theirs: Any, path: Int)] = [(ours.index, theirs, 0)]
        var problems: [String] = []

        func path(_ node: Int) -> String {
            var parts: [String] = []
            var node = node
            while node >= 0 {
                switch steps[node].step {
                case .root: parts.append("$")
                case .element(let i): parts.append("[\(i)]")
                case .member(let keyIndex):
                    parts.append("." + (JSONValue(document: document, index: keyIndex).string ?? "?"))
                }
                node = steps[node].parent
            }
            return parts.reversed().joined()
        }
        func fail(_ node: Int, _ message: String) {
            if problems.count < limit { problems.append("\(path(node)): \(message)") }
        }

        while let (index, theirs, node) = work.popLast() {
            if problems.count >= limit { break }
            let value = JSONValue(document: document, index: index)
            switch value.kind {
            case .object:
                guard let dictionary = theirs as? [String: Any] else {
                    fail(node, "object here, Foundation has \(type(of: theirs))")
                    continue
                }
                // Foundation's dictionary keeps the last of equal keys (Swift `String` equality);
                // so do lookups here, which compare the decoded key's bytes.
                var lastByString: [String: JSONValue] = [:]
                var lastByBytes: [[UInt8]: Int] = [:]
                var members = 0
                for (key, member) in value.members {
                    members += 1
                    guard key.kind == .string, let name = key.string else {
                        fail(node, "key at \(key.byteRange) is not a string")
                        continue
                    }
                    lastByString[name] = member
                    lastByBytes[Array(name.utf8)] = member.index
                }
                if members != value.count { fail(node, "count \(value.count), \(members) members") }
                if lastByString.count != dictionary.count {
                    fail(node, "\(lastByString.count) distinct keys, Foundation has \(dictionary.count)")
                }
                for (name, member) in lastByString {
                    guard let theirMember = dictionary[name] else {
                        fail(node, "key \(name.debugDescription) missing in Foundation's object")
                        continue
                    }
                    steps.append((node, .member(keyIndex: member.index - 1)))
                    work.append((member.index, theirMember, steps.count - 1))
                }
                for (bytes, memberIndex) in lastByBytes {
                    let found = value[String(decoding: bytes, as: UTF8.self)]?.index
                    if found != memberIndex {
                        fail(node, "lookup of \(String(decoding: bytes, as: UTF8.self).debugDescription) gave entry \(found.map(String.init) ?? "nil"), the last such key is at \(memberIndex)")
                    }
                }
            case .array:
                guard let array = theirs as? [Any] else {
                    fail(node, "array here, Foundation has \(type(of: theirs))")
                    continue
                }
                let elements = Array(value.elements)
                if elements.count != array.count || value.count != array.count {
                    fail(node, "\(elements.count) elements (count \(value.count)), Foundation has \(array.count)")
                    continue
                }
                if value.lastElement?.index != elements.last?.index { fail(node, "lastElement is not the last element") }
                for (position, element) in elements.enumerated() {
                    steps.append((node, .element(position)))
                    work.append((element.index, array[position], steps.count - 1))
                }
            case .string:
                guard let text = theirs as? String else {
                    fail(node, "string here, Foundation has \(type(of: theirs))")
                    continue
                }
                let ours = value.string ?? ""
                if !ours.utf8.elementsEqual(text.utf8) {
                    fail(node, "string \(ours.debugDescription.prefix(120)) vs Foundation \(text.debugDescription.prefix(120))")
                }
                if !value.isString(text) { fail(node, "isString(its own text) is false") }
            case .number:
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: document.bytes[value.byteRange]), as: UTF8.self)
                guard let number = theirs as? NSNumber, !isBoolean(number) else {
                    fail(node, "number \(text) here, Foundation has \(type(of: theirs))")
                    continue
                }
                if numberAgrees(text, number) == false {
                    fail(node, "number \(text) vs Foundation \(number.stringValue) (\(String(cString: number.objCType)))")
                }
                let expectedInt = isIntegerText(text) ? Int(text) : nil
                if value.int != expectedInt {
                    fail(node, "int of \(text) is \(value.int.map(String.init) ?? "nil"), expected \(expectedInt.map(String.init) ?? "nil")")
                }
            case .true, .false:
                guard let number = theirs as? NSNumber, isBoolean(number) else {
                    fail(node, "\(value.kind) here, Foundation has \(type(of: theirs))")
                    continue
                }
                if number.boolValue != (value.kind == .true) || value.bool != (value.kind == .true) {
                    fail(node, "\(value.kind) vs Foundation \(number.boolValue)")
                }
            case .null:
                if !(theirs is NSNull) || !value.isNull { fail(node, "null here, Foundation has \(type(of: theirs))") }
            }
        }
        return problems
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    static func isIntegerText(_ text: String) -> Bool {
        !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    /// Whether the number `text` equals Foundation's `number` exactly; nil when Foundation's value
    /// is not exact (a decimal past its 38 significant digits).
    static func numberAgrees(_ text: String, _ number: NSNumber) -> Bool? {
        let ours = DecimalText(text)
        if number is NSDecimalNumber {
            guard ours.digits.count <= 38 else { return nil }
            return DecimalText(number.stringValue) == ours
        }
        switch String(cString: number.objCType) {
        case "d", "f":
            guard let double = Double(text) else { return false }
            return double.bitPattern == number.doubleValue.bitPattern
        default:
            return DecimalText(number.stringValue) == ours
        }
    }

    /// A decimal number as sign, significant digits and exponent: value = 0.digits × 10^exponent.
    struct DecimalText: Equatable {
        var negative = false
        var digits: [UInt8] = []
        var exponent = 0

        init(_ text: String) {
            var bytes = Array(text.utf8)
            var exponentPart = 0
            if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
                exponentPart = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self).replacingOccurrences(of: "+", with: "")) ?? 0
                bytes.removeSubrange(e...)
            }
            if bytes.first == UInt8(ascii: "-") {
                negative = true
                bytes.removeFirst()
            }
            let point = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
            var all = bytes
            if point < all.count { all.remove(at: point) }
            // all = integer digits then fraction digits; the point sits after `point` digits.
            let leading = all.prefix(while: { $0 == UInt8(ascii: "0") }).count
            all.removeFirst(leading)
            while all.last == UInt8(ascii: "0") { all.removeLast() }
            digits = all
            exponent = all.isEmpty ? 0 : point - leading + exponentPart
            if all.isEmpty { negative = false }
        }
    }

    // MARK: Tape invariants

    /// Violations of the tape's structure: spans in bounds and nested, `next` past the subtree,
    /// counts equal to the children, kinds matching their first byte.
    static func tapeProblems(_ document: JSONDocument, limit: Int = 8) -> [String] {
        let entries = document.tape.entries
        let bytes = document.bytes
        let n = bytes.count
        var problems: [String] = []
        func fail(_ message: String) { if problems.count < limit { problems.append(message) } }
        guard !entries.isEmpty else { return ["empty tape"] }
        if Int(entries[0].next) != entries.count { fail("root next \(entries[0].next), \(entries.count) entries") }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if !bytes[..<Int(entries[0].start)].allSatisfy(isSpace) || !bytes[Int(entries[0].end)...].allSatisfy(isSpace) {
            fail("root span \(entries[0].start)..<\(entries[0].end) does not cover the document")
        }
        for index in entries.indices {
            let entry = entries[index]
            let start = Int(entry.start)
            let end = Int(entry.end)
            let next = Int(entry.next)
            guard start >= 0, start < end, end <= n else {
                fail("entry \(index): span \(start)..<\(end) outside 0..<\(n)")
                continue
            }
            guard next > index, next <= entries.count else {
                fail("entry \(index): next \(next)")
                continue
            }
            let first = bytes[start]
            let last = bytes[end - 1]
            switch entry.kind {
            case .object, .array:
                let open: UInt8 = entry.kind == .object ? 0x7B : 0x5B
                let close: UInt8 = entry.kind == .object ? 0x7D : 0x5D
                if first != open || last != close { fail("entry \(index): \(entry.kind) spans \(first)…\(last)") }
                var child = index + 1
                var children = 0
                var previousEnd = start + 1
                while child < next {
                    var valueIndex = child
                    if entry.kind == .object {
                        if entries[child].kind != .string || Int(entries[child].next) != child + 1 {
                            fail("entry \(child): key is not a string")
                            break
                        }
                        valueIndex = child + 1
                        guard valueIndex < next else {
                            fail("entry \(index): key without value")
                            break
                        }
                    }
                    if Int(entries[child].start) < previousEnd || Int(entries[valueIndex].end) > end - 1 {
                        fail("entry \(child): span outside its parent \(index) or before its sibling")
                    }
                    previousEnd = Int(entries[valueIndex].end)
                    children += 1
                    child = Int(entries[valueIndex].next)
                    if child <= valueIndex { break }
                }
                if child != next { fail("entry \(index): children end at \(child), next is \(next)") }
                if children != Int(entry.count) { fail("entry \(index): count \(entry.count), \(children) children") }
            case .string:
                if first != 0x22 || last != 0x22 || end - start < 2 { fail("entry \(index): string not quoted") }
                let raw = bytes[(start + 1)..<(end - 1)]
                if entry.hasEscapes != raw.contains(0x5C) { fail("entry \(index): hasEscapes is \(entry.hasEscapes)") }
            case .number:
                if first != 0x2D && !(0x30...0x39).contains(first) { fail("entry \(index): number starts with \(first)") }
            case .true, .false, .null:
                let word = entry.kind == .true ? "true" : entry.kind == .false ? "false" : "null"
                if !bytes[start..<end].elementsEqual(word.utf8) { fail("entry \(index): literal is not \(word)") }
            }
            if entry.kind != .object && entry.kind != .array && (next != index + 1 || entry.count != 0) {
                fail("entry \(index): scalar with next \(next), count \(entry.count)")
            }
        }
        return problems
    }

    // MARK: Documented differences

    /// Whether a string's raw text (between its quotes) has a `\u` escape of a surrogate that is
    /// not part of a high-low pair: what we accept and Foundation rejects.
    static func hasLoneSurrogateEscape(_ raw: some Collection<UInt8>) -> Bool {
        let raw = Array(raw)
        func unit(at i: Int) -> UInt32? {
            guard i + 6 <= raw.count, raw[i] == 0x5C, raw[i + 1] == 0x75 else { return nil }
            return UInt32(String(decoding: raw[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16)
        }
        var i = 0
        while i < raw.count {
            guard raw[i] == 0x5C else {
                i += 1
                continue
            }
            guard let code = unit(at: i) else {
                i += 2
                continue
            }
            if (0xD800...0xDBFF).contains(code) {
                if let low = unit(at: i + 6), (0xDC00...0xDFFF).contains(low) {
                    i += 12
                    continue
                }
                return true
            }
            if (0xDC00...0xDFFF).contains(code) { return true }
            i += 6
        }
        return false
    }

    /// Why Foundation may accept a document we reject with `error` (nil: it must not): it takes a
    /// trailing comma before `]` or `}`, and skips a byte-order mark.
    static func documentedReasonFoundationAccepts(_ bytes: [UInt8], _ error: JSONScanError) -> String? {
        guard error.code == .unexpectedByte, error.offset < bytes.count else { return nil }
        if error.offset == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return "byte-order mark" }
        guard bytes[error.offset] == 0x5D || bytes[error.offset] == 0x7D else { return nil }
        let before = bytes[..<error.offset].last { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        return before == 0x2C ? "trailing comma" : nil
    }

    /// Why Foundation may reject a document we accept (nil: it must not): one of the documented
    /// differences above, found by reading our tape.
    static func documentedReasonFoundationRejects(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { raw -> String? in
            guard let document = try? JSONDocument(bytes: raw) else { return nil }
            var depth: [Int32] = []
            var deepest = 0
            for entry in document.tape.entries {
                while let end = depth.last, entry.start >= end { depth.removeLast() }
                switch entry.kind {
                case .object, .array:
                    depth.append(entry.end)
                    deepest = max(deepest, depth.count)
                case .string:
                    if entry.hasEscapes && hasLoneSurrogateEscape(raw[(Int(entry.start) + 1)..<(Int(entry.end) - 1)]) {
                        return "lone surrogate escape"
                    }
                case .number:
                    let text = String(decoding: raw[Int(entry.start)..<Int(entry.end)], as: UTF8.self)
                    if let double = Double(text), !double.isFinite { return "number outside Double's range" }
                default: break
                }
            }
            return deepest > 512 ? "nesting deeper than 512" : nil
        }
    }
}
