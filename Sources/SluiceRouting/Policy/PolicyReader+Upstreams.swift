import SluiceWire
import Yams

/// The `upstreams:` section: where turns can be sent, what each endpoint speaks, whose key goes.
///
/// Reads each upstream (its dialect, base URL, environment overrides, credentials, timeouts) into
/// an ``UpstreamSpec``; other sections refer to upstreams by name.
extension PolicyReader {
    private static let upstreamKeys = ["dialect", "base_url", "base_url_env", "api_key_env", "auth", "timeout"]

    mutating func readUpstreams(_ node: Node, into draft: inout PolicyDraft) {
        guard let entries = entries(of: node, at: "upstreams", expecting: "a mapping of upstream names to upstreams")
        else { return }
        if entries.isEmpty { report("upstreams", "a policy needs at least one upstream", at: node) }
        for (name, value) in entries {
            draft.upstreamNames.insert(name)
            var upstream: UpstreamSpec?
            if isSound({ upstream = $0.readUpstream(value, named: name, at: Self.path("upstreams", name)) }),
                let upstream
            {
                draft.upstreams[name] = upstream
            }
        }
    }

    mutating func readUpstream(_ node: Node, named name: String, at path: String) -> UpstreamSpec? {
        guard
            let fields = fields(
                of: node, at: path, expecting: "an upstream (a mapping with dialect and base_url)",
                allowed: Self.upstreamKeys)
        else { return nil }
        let dialects = required(fields, "dialect", at: path).flatMap {
            readDialects($0, at: Self.path(path, "dialect"))
        }
        let baseURL = required(fields, "base_url", at: path).flatMap {
            readBaseURL($0, at: Self.path(path, "base_url"))
        }
        let baseURLEnvironment = fields["base_url_env"].flatMap {
            readEnvironmentName($0, at: Self.path(path, "base_url_env"))
        }
        let apiKeyEnvironment = fields["api_key_env"].flatMap {
            readEnvironmentName($0, at: Self.path(path, "api_key_env"))
        }
        var forwardsClientCredentials = true
        if let node = fields["auth"], let word = text(node, at: Self.path(path, "auth"), expecting: "passthrough or none") {
            switch word {
            case "passthrough": forwardsClientCredentials = true
            case "none": forwardsClientCredentials = false
            default:
                report(
                    Self.path(path, "auth"),
                    "\"\(word)\" is not passthrough (send the client's own key) or none (send no key); use api_key_env for a key of the gateway's",
                    at: node)
            }
        }
        var connect = UpstreamSpec.defaultConnectTimeoutSeconds
        var firstByte = UpstreamSpec.defaultFirstByteTimeoutSeconds
        if let node = fields["timeout"], !Self.isNull(node) {
            let timeoutPath = Self.path(path, "timeout")
            if let timeout = self.fields(
                of: node, at: timeoutPath, expecting: "timeouts in seconds, such as {connect: 10, first_byte: 300}",
                allowed: ["connect", "first_byte"])
            {
                if let node = timeout["connect"] {
                    connect = bounded(node, at: Self.path(timeoutPath, "connect"), maximum: 300) ?? connect
                }
                if let node = timeout["first_byte"] {
                    firstByte = bounded(node, at: Self.path(timeoutPath, "first_byte"), maximum: 3_600) ?? firstByte
                }
            }
        }
        guard let dialects, let baseURL else { return nil }
        return UpstreamSpec(
            name: name, dialects: dialects, baseURL: baseURL, baseURLEnvironment: baseURLEnvironment,
            apiKeyEnvironment: apiKeyEnvironment, forwardsClientCredentials: forwardsClientCredentials,
            connectTimeoutSeconds: connect, firstByteTimeoutSeconds: firstByte)
    }

    /// A timeout in whole seconds, from 1 to `maximum`.
    mutating func bounded(_ node: Node, at path: String, maximum: Int) -> Int? {
        guard let value = count(node, at: path, minimum: 1) else { return nil }
        guard value <= maximum else {
            report(path, "must be at most \(maximum) seconds, found \(value)", at: node)
            return nil
        }
        return value
    }

    private mutating func readBaseURL(_ node: Node, at path: String) -> String? {
        guard let text = text(node, at: path, expecting: "a URL") else { return nil }
        if let problem = Self.baseURLProblem(text) {
            report(path, problem, at: node)
            return nil
        }
        return text.trimmingWhitespace().droppingTrailingSlashes()
    }

    /// What is wrong with a base URL, or `nil` when it is an http(s) URL with a host.
    private static func baseURLProblem(_ text: String) -> String? {
        let url = text.trimmingWhitespace()
        let lowered = url.lowercased()
        let schemeLength = lowered.hasPrefix("https://") ? 8 : lowered.hasPrefix("http://") ? 7 : 0
        guard schemeLength > 0 else {
            return "\"\(text)\" is not an http(s) URL; write it as https://host[:port][/path]"
        }
        let authority = url.dropFirst(schemeLength).prefix { $0 != "/" }
        let host = authority.prefix { $0 != ":" || authority.hasPrefix("[") }
        guard !host.isEmpty else { return "\"\(text)\" has no host" }
        guard !url.contains(where: \.isWhitespace) else { return "\"\(text)\" contains a space" }
        guard !authority.contains("@") else {
            // Not echoed: the text holds a secret, and problems are printed and logged.
            return "carries credentials; name an environment variable with api_key_env instead"
        }
        guard !url.contains("?"), !url.contains("#") else {
            return "\"\(text)\" has a query or fragment; the gateway appends the API path to the base URL"
        }
        return nil
    }

    private mutating func readEnvironmentName(_ node: Node, at path: String) -> String? {
        guard let name = text(node, at: path, expecting: "an environment variable name") else { return nil }
        guard Self.isEnvironmentName(name) else {
            report(
                path,
                "\"\(name)\" is not an environment variable name (letters, digits and _, not starting "
                    + "with a digit)", at: node)
            return nil
        }
        return name
    }

    private static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }
}
