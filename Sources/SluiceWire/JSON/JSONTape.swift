/// A validated index of every value in one JSON document: one pass over the bytes, no decoding.
///
/// Agent requests are 100 KB to several MB and Sluice needs a few dozen facts from each. Decoding
/// the whole body into Swift objects would cost far more than forwarding it, so the scanner only
/// records where each value starts and ends and how to skip it (`next`). Values are decoded
/// lazily, and only the ones a caller asks for (`JSONValue`).
///
/// The tape holds offsets, not bytes: read it through `JSONDocument`, which pairs it with the
/// bytes it was built from.
package struct JSONTape: Sendable {
    /// The kind of a JSON value.
    package enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    /// One value: `start..<end` is its span in the bytes (quotes and brackets included).
    package struct Entry: Sendable {
        package var kind: Kind
        /// For strings: whether the raw text contains a backslash escape.
        package var hasEscapes: Bool
        package var start: Int32
        package var end: Int32
        /// Index of the entry after this value's subtree (its next sibling, or its parent's next).
        package var next: Int32
        /// Number of direct children: elements of an array, members (key and value pairs) of an object.
        package var count: Int32
    }

    package private(set) var entries: [Entry]

    init(entries: [Entry]) {
        self.entries = entries
    }
}
