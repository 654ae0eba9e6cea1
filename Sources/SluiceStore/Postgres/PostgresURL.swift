import Foundation

/// A PostgreSQL connection URL, read without touching the network:
/// `postgres://USER[:PASSWORD]@HOST[:PORT][/DATABASE][?PARAMETERS]`.
///
/// The form is libpq's (`postgresql://` works too; user, password, host and database are
/// percent-decoded), so a URL that `psql` accepts usually works here. Fewer parameters are read,
/// and an unknown one is refused rather than ignored, so a typo never silently changes where
/// the ledger goes:
///
/// - `sslmode`: `disable` (the default) or `require`. `require` verifies the server's
///   certificate against the system's trust roots and its host name, which is stricter than
///   libpq's `require` (libpq only verifies with `verify-full`, accepted here as a synonym).
///   `allow`, `prefer` and `verify-ca` are refused: they would either fall back to plain text
///   or skip the host-name check without saying so.
/// - `options`: command-line options for the server, as libpq sends them; for example
///   `options=-csearch_path%3Dledger` keeps the tables in schema `ledger`.
/// - `application_name`: the name `pg_stat_activity` shows.
/// - `connect_timeout`: seconds to wait for a connection.
///
/// One host only: libpq's lists of hosts and Unix-domain socket paths are refused.
///
/// ```swift
/// let url = try PostgresURL(parsing: "postgres://sluice:secret@db.internal/ledger?sslmode=require")
/// print(url)  // postgres://sluice:***@db.internal:5432/ledger?sslmode=require
/// ```
package struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// Whether connections use TLS.
    package enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP.
        case disable
        /// TLS, with the server's certificate and host name verified; no fallback to plain TCP.
        case require
    }

    /// The port when the URL names none.
    package static let defaultPort = 5432

    package var user: String
    /// `nil` when the URL has none (the server may not ask for one); never shown by ``description``.
    package var password: String?
    package var host: String
    package var port: Int
    /// `nil` when the URL names none: the server then opens the database named like the user.
    package var database: String?
    package var tls: TLSMode
    /// The `options` startup parameter, such as `-csearch_path=ledger`.
    package var options: String?
    package var applicationName: String?
    package var connectTimeout: Duration?

    /// Reads a URL.
    ///
    /// - Throws: ``PostgresURLError`` saying which part is wrong; its message never contains
    ///   the password.
    package init(parsing text: String) throws(PostgresURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = trimmed.range(of: "://") else {
            throw PostgresURLError("not a URL; write postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresURLError("the scheme must be postgres:// or postgresql://, not \(scheme)://")
        }
        var rest = trimmed[schemeEnd.upperBound...]
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring?
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // The last `@` ends the user part, so an unencoded `@` in a password still parses.
        guard let at = rest.lastIndex(of: "@") else {
            throw PostgresURLError("the URL names no user; write postgres://USER:PASSWORD@HOST/DATABASE")
        }
        let userInfo = rest[..<at]
        let hostAndPort = rest[rest.index(after: at)...]

        if let colon = userInfo.firstIndex(of: ":") {
            user = try Self.decoded(userInfo[..<colon], part: "user")
            password = try Self.decoded(userInfo[userInfo.index(after: colon)...], part: "password")
        } else {
            user = try Self.decoded(userInfo, part: "user")
            password = nil
        }
        guard !user.isEmpty else {
            throw PostgresURLError("the URL names no user; write postgres://USER:PASSWORD@HOST/DATABASE")
        }

        let (hostText, portText) = try Self.split(hostAndPort)
        host = try Self.decoded(hostText, part: "host")
        guard !host.isEmpty else { throw PostgresURLError("the URL names no host") }
        guard !host.contains(",") else {
            throw PostgresURLError("several hosts are not supported; name one host")
        }
        guard !host.hasPrefix("/") else {
            throw PostgresURLError("Unix-domain sockets are not supported; name a host and port")
        }
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(portText),
                (1...65_535).contains(number)
            else {
                throw PostgresURLError("the port must be a number from 1 to 65535, not \"\(portText)\"")
            }
            port = number
        } else {
            port = Self.defaultPort
        }

        var name = ""
        if let path { name = try Self.decoded(path, part: "database name") }
        database = name.isEmpty ? nil : name

        tls = .disable
        options = nil
        applicationName = nil
        connectTimeout = nil
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decoded(parts[0], part: "parameter name")
            guard parts.count == 2 else { throw PostgresURLError("parameter \(key) has no value; write \(key)=VALUE") }
            let value = try Self.decoded(parts[1], part: "value of \(key)")
            try read(key: key, value: value)
        }
    }

    /// Applies one query parameter.
    private mutating func read(key: String, value: String) throws(PostgresURLError) {
        switch key {
        case "sslmode":
            switch value {
            case "disable": tls = .disable
            case "require", "verify-full": tls = .require
            case "allow", "prefer", "verify-ca":
                throw PostgresURLError(
                    "sslmode=\(value) is not supported; use sslmode=disable,"
                        + " or sslmode=require (the certificate is verified)")
            default:
                throw PostgresURLError("unknown sslmode \"\(value)\"; use disable or require")
            }
        case "options":
            options = value
        case "application_name":
            applicationName = value
        case "connect_timeout":
            guard let seconds = Int(value), seconds > 0 else {
                throw PostgresURLError("connect_timeout must be a whole number of seconds above 0")
            }
            connectTimeout = .seconds(seconds)
        default:
            throw PostgresURLError(
                "unknown parameter \(key); Sluice reads sslmode, options, application_name and connect_timeout")
        }
    }

    /// The URL with the password replaced by `***`, safe for logs and messages.
    package var description: String {
        var text = "postgres://" + Self.encoded(user) + (password == nil ? "" : ":***") + "@"
        text += host.contains(":") ? "[\(host)]" : Self.encoded(host)
        text += ":\(port)"
        if let database { text += "/" + Self.encoded(database) }
        var parameters = ["sslmode=\(tls.rawValue)"]
        if let options { parameters.append("options=" + Self.encoded(options)) }
        if let applicationName { parameters.append("application_name=" + Self.encoded(applicationName)) }
        if let connectTimeout { parameters.append("connect_timeout=\(connectTimeout.components.seconds)") }
        return text + "?" + parameters.joined(separator: "&")
    }

    /// What tells one ledger from another: host, port, database and the server options (which
    /// may choose the schema), but not the user or password, which reach the same tables.
    package var ledgerIdentity: String {
        "\(host.lowercased()):\(port)/\(database ?? user)" + (options.map { "?options=\($0)" } ?? "")
    }

    // MARK: - Parsing helpers

    /// The host and, when the URL has one, the port text; a bracketed host is an IPv6 address.
    private static func split(_ hostAndPort: Substring) throws(PostgresURLError) -> (Substring, Substring?) {
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else {
                throw PostgresURLError("the IPv6 address has no closing ]")
            }
            let host = hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close]
            let after = hostAndPort[hostAndPort.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw PostgresURLError("unexpected text after the IPv6 address") }
            return (host, after.dropFirst())
        }
        guard let colon = hostAndPort.lastIndex(of: ":") else { return (hostAndPort, nil) }
        return (hostAndPort[..<colon], hostAndPort[hostAndPort.index(after: colon)...])
    }

    private static func decoded(_ text: Substring, part: String) throws(PostgresURLError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw PostgresURLError("the \(part) has a malformed %-escape")
        }
        return decoded
    }

    /// Unreserved characters stay; everything else is %-escaped, so the text reads back unchanged.
    private static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// RFC 3986's unreserved characters.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

/// A `postgres://` URL Sluice cannot use, with a message a person can act on. The message never
/// contains the password.
package struct PostgresURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, without the `postgres URL:` prefix.
    package var problem: String

    init(_ problem: String) {
        self.problem = problem
    }

    package var description: String { "postgres URL: \(problem)" }
}
