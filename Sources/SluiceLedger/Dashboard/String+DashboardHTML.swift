extension String {
    /// Appends `text` with the characters HTML gives meaning to replaced by entities.
    ///
    /// Everything the dashboard shows comes from the ledger or the policy, and much of it is
    /// chosen by clients: session keys, tags, user names, agent ids. Escaping `&`, `<`, `>`, `"`
    /// and `'` makes such text inert both in element content and in quoted attribute values, so
    /// one function serves both. Text without any of them (nearly all of it) is appended as is,
    /// without a second pass.
    mutating func appendEscaped(_ text: String) {
        guard text.utf8.contains(where: Self.isHTMLSpecial) else {
            append(text)
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": append("&amp;")
            case "<": append("&lt;")
            case ">": append("&gt;")
            case "\"": append("&quot;")
            case "'": append("&#39;")
            default: unicodeScalars.append(scalar)
            }
        }
    }

    /// The text with HTML's special characters replaced by entities (``appendEscaped(_:)``).
    var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        escaped.appendEscaped(self)
        return escaped
    }

    /// The text percent-encoded for a URL path segment or a query value: every byte of its UTF-8
    /// except the unreserved `A-Z a-z 0-9 - . _ ~` becomes `%XX`.
    ///
    /// Session keys hold `/`, `?`, `#` and spaces (`cc:…`, fingerprints, user-chosen headers);
    /// encoding everything else keeps `/dashboard/sessions/<key>` one path segment whatever the
    /// key, and the gateway's router decodes it back.
    var percentEncoded: String {
        var encoded = ""
        encoded.reserveCapacity(utf8.count)
        for byte in utf8 {
            if Self.isUnreserved(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded.append("%")
                encoded.append(Self.hexDigits[Int(byte >> 4)])
                encoded.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
        return encoded
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")

    private static func isHTMLSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: false
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
