package import SluiceWire

/// A provider endpoint a policy can send turns to: where it is, what it speaks, whose key to use.
///
/// ```yaml
/// upstreams:
///   openai:
///     dialect: openai                          # both OpenAI dialects
///     base_url: https://api.openai.com/v1
///     base_url_env: SLUICE_OPENAI_BASE_URL
/// ```
///
/// Base URLs follow each provider's own convention, so the ones users already know work unchanged:
/// Anthropic's has no `/v1` (the gateway appends `/v1/messages`), OpenAI's includes it (the gateway
/// appends `/chat/completions` or `/responses`). Trailing slashes are dropped when the policy is read.
package struct UpstreamSpec: Sendable, Hashable {
    /// The upstream's name in the policy (`upstreams.<name>`).
    package var name: String
    /// The dialects this endpoint speaks; `openai` in the policy means both OpenAI dialects.
    package var dialects: Set<Dialect>
    /// The endpoint's base URL, without a trailing slash.
    package var baseURL: String
    /// An environment variable that, when set and non-empty, replaces `baseURL`
    /// (see ``RoutingPolicy/resolvingEnvironment(_:)``).
    package var baseURLEnvironment: String?
    /// An environment variable holding the key to send instead of the client's own credentials.
    package var apiKeyEnvironment: String?
    /// The key `apiKeyEnvironment` held when the policy was resolved against the environment
    /// (``RoutingPolicy/resolvingEnvironment(_:)``); `nil` when it was not set. Never printed.
    package var apiKey: String?
    /// Whether the client's own `x-api-key` or `Authorization` goes to this upstream when
    /// `apiKeyEnvironment` is not set (`auth: passthrough`, the default). `auth: none` keeps a
    /// client's key from ever reaching, say, a local or third-party server.
    package var forwardsClientCredentials: Bool
    /// Seconds allowed to open a connection. Upstreams share one connection pool, so the gateway
    /// applies the policy's longest connect timeout to all of them.
    package var connectTimeoutSeconds: Int
    /// Seconds allowed between sending the request and the first response byte; long, because a
    /// model may think for minutes before it answers.
    package var firstByteTimeoutSeconds: Int

    package static let defaultConnectTimeoutSeconds = 10
    package static let defaultFirstByteTimeoutSeconds = 300

    package init(
        name: String, dialects: Set<Dialect>, baseURL: String, baseURLEnvironment: String? = nil,
        apiKeyEnvironment: String? = nil, forwardsClientCredentials: Bool = true,
        connectTimeoutSeconds: Int = Self.defaultConnectTimeoutSeconds,
        firstByteTimeoutSeconds: Int = Self.defaultFirstByteTimeoutSeconds
    ) {
        self.name = name
        self.dialects = dialects
        self.baseURL = baseURL
        self.baseURLEnvironment = baseURLEnvironment
        self.apiKeyEnvironment = apiKeyEnvironment
        self.forwardsClientCredentials = forwardsClientCredentials
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.firstByteTimeoutSeconds = firstByteTimeoutSeconds
    }

    /// Whether this upstream can answer a client of `dialect` without translation.
    package func speaks(_ dialect: Dialect) -> Bool {
        dialects.contains(dialect)
    }
}
