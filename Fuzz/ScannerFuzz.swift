// libFuzzer target for the JSON scanner. Built by `scripts/fuzz` together with SluiceWire's
// sources into one module (so it sees `package` and internal API), with
// `-sanitize=fuzzer,address`: out-of-bounds reads, traps (overflow, bounds) and failed invariants
// all count as crashes.
//
// For every input: scan it. If it is refused, the error must point inside the input. If it is
// accepted, walk the whole tape and read every value through `JSONValue` the way the gateway does
// (decode every string, read every int, look keys up), checking the tape's invariants.

@_cdecl("LLVMFuzzerTestOneInput")
public func scannerFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let document: JSONDocument
    do {
        document = try JSONDocument(bytes: bytes)
    } catch {
        checkRefusal(error, size: size)
        return 0
    }
    checkTape(document)
    checkValues(document)
    checkRootRescans(document)
    return 0
}

/// Stops the run with `message`; libFuzzer saves the input that caused it.
@inline(never)
func fuzzFailure(_ message: String) -> Never {
    fatalError("ScannerFuzz: \(message)")
}

@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fuzzFailure(message()) }
}

func checkRefusal(_ error: JSONScanError, size: Int) {
    check(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside 0...\(size)")
    switch error.code {
    case .truncated: check(error.offset == size, "truncated at \(error.offset), size \(size)")
    case .empty: check(error.offset == 0, "empty at \(error.offset)")
    case .tooLarge: fuzzFailure("tooLarge for \(size) bytes")
    default: check(error.offset < size, "\(error.code) at the end of the input")
    }
}

/// Spans inside the input and nested in their parents, `next` past each subtree, counts equal to
/// the children, keys that are strings, kinds that match their bytes.
func checkTape(_ document: JSONDocument) {
    let entries = document.tape.entries
    let bytes = document.bytes
    let n = bytes.count
    check(!entries.isEmpty, "empty tape")
    check(Int(entries[0].next) == entries.count, "root next \(entries[0].next) of \(entries.count)")
    for index in entries.indices {
        let entry = entries[index]
        let start = Int(entry.start)
        let end = Int(entry.end)
        let next = Int(entry.next)
        check(start >= 0 && start < end && end <= n, "entry \(index): span \(start)..<\(end) of \(n)")
        check(next > index && next <= entries.count, "entry \(index): next \(next)")
        switch entry.kind {
        case .object, .array:
            let isObject = entry.kind == .object
            check(bytes[start] == (isObject ? 0x7B : 0x5B), "entry \(index): opens with \(bytes[start])")
            check(bytes[end - 1] == (isObject ? 0x7D : 0x5D), "entry \(index): closes with \(bytes[end - 1])")
            var child = index + 1
            var children = 0
            var previousEnd = start + 1
            while child < next {
                var valueIndex = child
                if isObject {
                    check(entries[child].kind == .string && Int(entries[child].next) == child + 1, "entry \(child): key")
                    valueIndex = child + 1
                    check(valueIndex < next, "entry \(index): key without value")
                }
                check(Int(entries[child].start) >= previousEnd, "entry \(child): starts before its sibling ends")
                check(Int(entries[valueIndex].end) <= end - 1, "entry \(valueIndex): ends after its parent")
                previousEnd = Int(entries[valueIndex].end)
                children += 1
                child = Int(entries[valueIndex].next)
            }
            check(child == next, "entry \(index): children end at \(child), next \(next)")
            check(children == Int(entry.count), "entry \(index): count \(entry.count), \(children) children")
        case .string:
            check(end - start >= 2 && bytes[start] == 0x22 && bytes[end - 1] == 0x22, "entry \(index): unquoted")
            check(entry.hasEscapes == bytes[(start + 1)..<(end - 1)].contains(0x5C), "entry \(index): hasEscapes")
        case .number:
            check(bytes[start] == 0x2D || (0x30...0x39).contains(bytes[start]), "entry \(index): number")
        case .true, .false, .null:
            let word: StaticString = entry.kind == .true ? "true" : entry.kind == .false ? "false" : "null"
            check(end - start == word.utf8CodeUnitCount, "entry \(index): literal length")
            check(memoryEqual(word.utf8Start, bytes.baseAddress! + start, end - start), "entry \(index): literal")
        }
        if entry.kind != .object && entry.kind != .array {
            check(next == index + 1 && entry.count == 0, "entry \(index): scalar with children")
        }
    }
}

/// Reads every value the way the gateway reads them.
func checkValues(_ document: JSONDocument) {
    let entries = document.tape.entries
    for index in entries.indices {
        let value = JSONValue(document: document, index: index)
        let range = value.byteRange
        check(range.lowerBound >= 0 && range.upperBound <= document.bytes.count, "value \(index): byteRange")
        switch value.kind {
        case .string:
            let raw = UnsafeRawBufferPointer(rebasing: document.bytes[value.rawStringRange])
            let decoded = value.entry.hasEscapes ? JSONStringDecoder.unescape(raw) : Array(raw)
            // An escape never decodes longer than it is written (\uXXXX: 6 bytes to at most 3).
            check(decoded.count <= raw.count, "value \(index): decoded \(decoded.count) bytes from \(raw.count)")
            check(isValidUTF8(decoded), "value \(index): decodes to invalid UTF-8")
            let text = value.string
            check(text != nil && text!.utf8.elementsEqual(decoded), "value \(index): string differs from unescape")
            check(value.isString(text!), "value \(index): isString(its own text) is false")
            _ = value.rawStringHasPrefix("tool_")
            _ = value.rawStringContains("\\n")
        case .number:
            let text = Array(document.bytes[range])
            let isInteger = !text.contains { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }
            let expected = isInteger ? Int(String(decoding: text, as: UTF8.self)) : nil
            check(value.int == expected, "value \(index): int \(String(describing: value.int)), expected \(String(describing: expected))")
        case .true, .false:
            check(value.bool == (value.kind == .true), "value \(index): bool")
        case .null:
            check(value.isNull && value.bool == nil && value.string == nil && value.int == nil, "value \(index): null")
        case .array:
            var count = 0
            var last: Int?
            for element in value.elements {
                count += 1
                last = element.index
            }
            check(count == value.count, "value \(index): \(count) elements, count \(value.count)")
            check(value.lastElement?.index == last, "value \(index): lastElement")
            check(value[""] == nil && Array(value.members).isEmpty, "value \(index): an array has members")
        case .object:
            var members: [(key: [UInt8], value: Int)] = []
            for (key, member) in value.members {
                check(key.kind == .string, "value \(index): key of kind \(key.kind)")
                members.append((Array((key.string ?? "").utf8), member.index))
            }
            check(members.count == value.count, "value \(index): \(members.count) members, count \(value.count)")
            check(Array(value.elements).isEmpty, "value \(index): an object has elements")
            // Lookups take the last member whose key has the same code points (small objects only:
            // this check is quadratic).
            if members.count <= 64 {
                for (key, _) in members {
                    let found = value[String(decoding: key, as: UTF8.self)]?.index
                    let expected = members.last { $0.key == key }?.value
                    check(found == expected, "value \(index): lookup gave \(String(describing: found)), expected \(String(describing: expected))")
                }
            }
        }
    }
}

/// The root's own bytes, copied to an allocation of exactly their size (so the address sanitizer
/// sees any read past them), scan alone to the same tape, shifted by where they start.
func checkRootRescans(_ document: JSONDocument) {
    let root = document.root
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: root.byteRange.count, alignment: 1)
    defer { copy.deallocate() }
    copy.copyMemory(from: UnsafeRawBufferPointer(rebasing: document.bytes[root.byteRange]))
    guard let again = try? JSONScanner.scan(UnsafeRawBufferPointer(copy)) else { fuzzFailure("the root's bytes do not scan alone") }
    check(again.entries.count == document.tape.entries.count, "the root alone has a different tape")
    let shift = Int32(root.byteRange.lowerBound)
    for (a, b) in zip(again.entries, document.tape.entries) {
        check(a.kind == b.kind && a.start + shift == b.start && a.end + shift == b.end && a.next == b.next && a.count == b.count,
              "the root alone has a different entry")
    }
}

/// Whether `bytes` is well-formed UTF-8 (RFC 3629), checked independently of the scanner.
func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}
