/// Why a body is not JSON the scanner accepts, and where.
///
/// The message names the byte offset so a user can find the fault in a multi-megabyte body.
package struct JSONScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; bounded, so it can be a log key or metric label.
    package enum Code: String, Sendable, Hashable {
        case empty
        case truncated
        case unexpectedByte
        case invalidEscape
        case invalidUTF8
        case controlCharacterInString
        case invalidNumber
        case invalidLiteral
        case trailingData
        case tooLarge
    }

    package var code: Code
    /// Byte offset of the fault.
    package var offset: Int

    package init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    package var description: String {
        switch code {
        case .empty: "the body is empty"
        case .truncated: "the JSON ends early (truncated at byte \(offset))"
        case .unexpectedByte: "unexpected character at byte \(offset)"
        case .invalidEscape: "invalid escape sequence in a string at byte \(offset)"
        case .invalidUTF8: "invalid UTF-8 at byte \(offset)"
        case .controlCharacterInString: "unescaped control character in a string at byte \(offset)"
        case .invalidNumber: "invalid number at byte \(offset)"
        case .invalidLiteral: "invalid literal at byte \(offset)"
        case .trailingData: "unexpected data after the JSON value at byte \(offset)"
        case .tooLarge: "the JSON is larger than 2 GiB"
        }
    }
}
