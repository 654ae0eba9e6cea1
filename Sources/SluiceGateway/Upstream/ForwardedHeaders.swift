import HTTPTypes
import NIOHTTP1
import SluiceRouting

/// The headers that cross the gateway, in each direction.
enum ForwardedHeaders {
    /// Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus the ones
    /// Sluice sets itself; never relayed in either direction.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization",
        "proxy-authenticate", "proxy-connection", "content-length", "host",
    ]

    /// The client's headers as the upstream gets them: hop-by-hop headers, `x-sluice-*` and
    /// `accept-encoding` dropped (answers must come back uncompressed, for the tap), and the
    /// credentials the route says.
    static func toUpstream(_ fields: HTTPFields, credentials: UpstreamRoute.Credentials) -> HTTPHeaders {
        let keepsClientKey = credentials == .client
        let connectionTokens = Set(
            fields[.connection].map { $0.split(separator: ",").map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() } }
                ?? [])
        var headers = HTTPHeaders()
        for field in fields {
            let name = field.name.canonicalName
            if hopByHop.contains(name) || connectionTokens.contains(name) || name.hasPrefix("x-sluice-") { continue }
            if name == "accept-encoding" || name == "expect" { continue }
            if !keepsClientKey && (name == "x-api-key" || name == "authorization") { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        if case .gateway(let header, let value) = credentials {
            headers.add(name: header, value: value)
        }
        return headers
    }

    /// The upstream's answer headers as the client gets them.
    static func toClient(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers where !hopByHop.contains(name.lowercased()) {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return fields
    }

    /// Whether the answer says it is one JSON document (a stream request answered whole).
    static func isJSON(_ headers: HTTPHeaders) -> Bool {
        headers.first(name: "content-type")?.lowercased().hasPrefix("application/json") == true
    }
}
