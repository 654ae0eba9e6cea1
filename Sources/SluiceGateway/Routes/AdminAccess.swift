import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Who may use Sluice's own surfaces (posting outcomes) and choose a plan tier by header.
///
/// With `SLUICE_ADMIN_TOKEN` set, a request must carry the token (`Authorization: Bearer TOKEN`
/// or `x-sluice-admin-token: TOKEN`) from wherever it comes. Without it, only clients on this
/// machine (loopback) may post outcomes, and no header can choose a tier: a budget is never
/// loosened by a header the agent itself could send.
struct AdminAccess: Sendable {
    /// `SLUICE_ADMIN_TOKEN`; `nil` or empty when unset.
    let token: String?

    init(environment: [String: String]) {
        let value = environment["SLUICE_ADMIN_TOKEN"] ?? ""
        token = value.isEmpty ? nil : value
    }

    /// Whether the request may use an admin surface.
    func allows(_ request: Request, context: GatewayRequestContext) -> Bool {
        if token != nil { return carriesToken(request.headers) }
        return Self.isLoopback(context.channel.remoteAddress)
    }

    /// Whether the request may read an operator's surface (`/metrics`, `/dashboard`): with a
    /// token set, only with the token (a header, or the dashboard's cookie); without one, anyone
    /// who can reach the port, which is this machine alone unless `--host` says otherwise.
    func allowsReading(_ headers: HTTPFields) -> Bool {
        token == nil || carriesToken(headers) || carriesCookie(headers)
    }

    /// Whether the request carries the dashboard's cookie with the admin token.
    func carriesCookie(_ headers: HTTPFields) -> Bool {
        guard let token else { return false }
        for cookies in headers[values: .cookie] {
            for pair in cookies.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == Self.cookieName,
                    Self.equalInConstantTime(Array(parts[1].utf8), Array(token.utf8))
                {
                    return true
                }
            }
        }
        return false
    }

    /// The cookie a browser keeps the token in, once the dashboard's sign-in form was sent.
    static let cookieName = "sluice_admin_token"

    /// Whether the request carries the admin token (always `false` when none is set).
    func carriesToken(_ headers: HTTPFields) -> Bool {
        guard let token else { return false }
        let presented =
            headers[HTTPField.Name("x-sluice-admin-token")!]
            ?? headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let presented else { return false }
        return Self.equalInConstantTime(Array(presented.utf8), Array(token.utf8))
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip == "::1" || ip.hasPrefix("127.") || ip.hasPrefix("::ffff:127.")
    }

    /// Compares without stopping at the first difference, so timing does not reveal a prefix.
    static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
