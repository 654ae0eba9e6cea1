/// The query items of a dashboard URL, read the way HTML forms send them.
///
/// Every dashboard page is a plain GET: the period, the filters and the sort order live in the
/// URL, so a view can be bookmarked, shared and reloaded, and it works without JavaScript. The
/// gateway's router may hand the items over already split, as pairs or as a dictionary;
/// ``init(queryString:)`` reads the raw text for callers that have only that.
///
/// An empty value means "not set": a form's "any" option sends `user=`, which must not filter
/// on the empty user.
///
/// ```swift
/// let query = DashboardQuery(queryString: "user=ana&tag=&sort=cost")
/// query["user"]   // "ana"
/// query["tag"]    // nil
/// ```
package struct DashboardQuery: Sendable, Hashable {
    /// One `name=value` pair, decoded.
    package struct Item: Sendable, Hashable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The items in URL order.
    package var items: [Item]

    /// Items already split and decoded, in URL order.
    package init(_ items: [(String, String)]) {
        self.items = items.map { Item(name: $0.0, value: $0.1) }
    }

    /// Items as a dictionary; sorted by name so the result does not depend on hash order.
    package init(_ dictionary: [String: String]) {
        items = dictionary.sorted { $0.key < $1.key }.map { Item(name: $0.key, value: $0.value) }
    }

    /// Reads a raw query string (`a=1&b=two+words&c=%3C`), with or without its leading `?`.
    ///
    /// `+` is a space and `%XX` a byte, as HTML forms encode them; a `%` not followed by two hex
    /// digits stays as it is, and bytes that are not UTF-8 become U+FFFD.
    package init(queryString: String) {
        var text = Substring(queryString)
        if text.first == "?" { text = text.dropFirst() }
        items = text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return Item(
                name: Self.percentDecoded(parts[0], plusIsSpace: true),
                value: parts.count > 1 ? Self.percentDecoded(parts[1], plusIsSpace: true) : "")
        }
    }

    /// The first non-empty value of `name`, or `nil`.
    package subscript(_ name: String) -> String? {
        items.first { $0.name == name && !$0.value.isEmpty }?.value
    }

    /// `a=1&b=two%20words`: names and values percent-encoded, items with an empty value left out.
    package static func encoded(_ items: [(String, String)]) -> String {
        var text = ""
        for (name, value) in items where !value.isEmpty {
            if !text.isEmpty { text.append("&") }
            text.append(name.percentEncoded)
            text.append("=")
            text.append(value.percentEncoded)
        }
        return text
    }

    /// `path` with `items` as its query (`path?a=1`), or `path` alone when no item has a value.
    package static func link(_ path: String, _ items: [(String, String)]) -> String {
        let query = encoded(items)
        return query.isEmpty ? path : path + "?" + query
    }

    /// Decodes `%XX` escapes (and, in a query, `+` as a space); a `%` without two hex digits stays
    /// as it is, and bytes that are not UTF-8 become U+FFFD.
    ///
    /// A session page's path carries the key percent-encoded (``DashboardSessionPage/path(of:)``);
    /// its handler decodes the segment with `plusIsSpace: false`, since `+` is literal in a path.
    package static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            if plusIsSpace, byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = utf8.first.flatMap(hexValue),
                let low = utf8.dropFirst().first.flatMap(hexValue)
            {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
