/// A failure of a ledger store, with a bounded code that is safe to log and count.
///
/// The writer must tell apart "the store is down, retry" from "this record can never be
/// stored"; the code carries that distinction, and messages never contain record contents.
package struct LedgerStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a small bounded set.
    package enum Code: String, Sendable, Hashable {
        /// The store refused a record because it breaks a schema rule; retrying cannot help.
        case rejectedRecord = "rejected_record"
        /// A stored row could not be read back as a record.
        case corruptRow = "corrupt_row"
        /// The store was used after it was closed.
        case closed
    }

    /// What went wrong.
    package var code: Code
    /// The id of the record concerned, when there is one.
    package var recordID: String?
    /// A short, content-free explanation (a column name, a constraint name).
    package var detail: String

    /// Builds an error.
    package init(code: Code, recordID: String? = nil, detail: String = "") {
        self.code = code
        self.recordID = recordID
        self.detail = detail
    }

    /// `code`, the record id and the detail, for logs.
    package var description: String {
        var text = "ledger store error: \(code.rawValue)"
        if let recordID { text += " (record \(recordID))" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
