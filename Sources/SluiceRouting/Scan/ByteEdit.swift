/// A replacement of one byte range of a request body; everything else is forwarded untouched.
package struct ByteEdit: Sendable, Hashable {
    package var range: Range<Int>
    package var replacement: [UInt8]

    package init(range: Range<Int>, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }

    /// The size of a body of `count` bytes after `edits` (sorted, non-overlapping).
    package static func editedCount(_ count: Int, _ edits: [ByteEdit]) -> Int {
        edits.reduce(count) { $0 - $1.range.count + $1.replacement.count }
    }
}
