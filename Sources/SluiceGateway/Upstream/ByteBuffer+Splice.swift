import NIOCore
import SluiceRouting

extension ByteBuffer {
    /// The buffer with `edits` applied: itself when they change nothing, else one copy made from
    /// slices, everything outside the edited spans untouched.
    ///
    /// - Parameter edits: Sorted, non-overlapping spans of the readable bytes and their
    ///   replacements.
    func splicing(_ edits: [ByteEdit]) -> ByteBuffer {
        let start = readerIndex
        let changesNothing = edits.allSatisfy { edit in
            edit.range.count == edit.replacement.count
                && withUnsafeReadableBytes { raw in raw[edit.range].elementsEqual(edit.replacement) }
        }
        if changesNothing { return self }
        var out = ByteBuffer()
        out.reserveCapacity(ByteEdit.editedCount(readableBytes, edits))
        var cursor = 0
        for edit in edits {
            if edit.range.lowerBound > cursor {
                out.writeImmutableBuffer(getSlice(at: start + cursor, length: edit.range.lowerBound - cursor)!)
            }
            out.writeBytes(edit.replacement)
            cursor = edit.range.upperBound
        }
        if cursor < readableBytes {
            out.writeImmutableBuffer(getSlice(at: start + cursor, length: readableBytes - cursor)!)
        }
        return out
    }
}
