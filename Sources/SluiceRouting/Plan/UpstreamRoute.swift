package import SluiceWire

/// How to reach one candidate model: the seam between a turn and an upstream.
///
/// Chosen once per candidate by the plan, so nothing else assumes the upstream speaks the
/// client's dialect: the dialect it is spoken to in, the URL, the credentials and the header
/// they go in, how usage is read from its answers, and what happens to those answers on their
/// way back. Today every route speaks the client's own dialect and relays answers untouched;
/// a translator will be another ``RequestBody`` and ``ResponseTransform``.
package struct UpstreamRoute: Sendable, Hashable {
    /// What the gateway sends for the client's credentials.
    package enum Credentials: Sendable, Hashable {
        /// The client's own `x-api-key` or `Authorization` (`auth: passthrough`).
        case client
        /// None at all (`auth: none`): a local or third-party server never sees the client's key.
        case none
        /// The gateway's own key, from `api_key_env`, in the header the dialect uses.
        case gateway(header: String, value: String)
        /// `api_key_env` names a variable that is not set: the route cannot be used.
        case missing(variable: String)
    }

    /// What the upstream receives in place of the client's body.
    package enum RequestBody: Sendable, Hashable {
        /// The client's bytes with these spans replaced (the `model` value, usage options);
        /// everything else is forwarded untouched.
        case splice([ByteEdit])
    }

    /// What happens to the upstream's answer on its way to the client.
    package enum ResponseTransform: Sendable, Hashable {
        /// Relayed byte for byte, tapped for usage on the side; `dropsUsageChunk` removes the usage
        /// chunk of an OpenAI chat stream that Sluice asked for and the client did not.
        case relay(dropsUsageChunk: Bool)
    }

    /// The upstream's name in the policy.
    package var upstream: String
    /// The dialect the upstream is spoken to in; its answers are read in it too.
    package var dialect: Dialect
    /// Where the request goes.
    package var url: String
    /// Whose key goes with it.
    package var credentials: Credentials
    /// The body to send.
    package var body: RequestBody
    /// What to do with the answer.
    package var response: ResponseTransform
    /// Seconds to wait for the first byte before the turn fails (or falls back).
    package var firstByteTimeoutSeconds: Int

    package init(
        upstream: String, dialect: Dialect, url: String, credentials: Credentials, body: RequestBody,
        response: ResponseTransform, firstByteTimeoutSeconds: Int
    ) {
        self.upstream = upstream
        self.dialect = dialect
        self.url = url
        self.credentials = credentials
        self.body = body
        self.response = response
        self.firstByteTimeoutSeconds = firstByteTimeoutSeconds
    }

    /// The route to `upstream` for a client of `clientDialect`, or `nil` when the upstream does
    /// not speak that dialect (and no translator exists yet).
    ///
    /// - Parameters:
    ///   - upstream: The upstream serving the candidate model.
    ///   - clientDialect: The dialect the client spoke.
    ///   - operation: What the client's endpoint does.
    ///   - edits: The splices that make the client's body this upstream's.
    ///   - dropsUsageChunk: Whether Sluice asked for stream usage the client did not.
    static func to(
        _ upstream: UpstreamSpec, clientDialect: Dialect, operation: TurnOperation, edits: [ByteEdit],
        dropsUsageChunk: Bool
    ) -> UpstreamRoute? {
        guard upstream.speaks(clientDialect) else { return nil }
        let dialect = clientDialect
        return UpstreamRoute(
            upstream: upstream.name, dialect: dialect,
            url: upstream.baseURL + path(for: dialect, operation: operation),
            credentials: credentials(for: upstream, dialect: dialect), body: .splice(edits),
            response: .relay(dropsUsageChunk: dropsUsageChunk),
            firstByteTimeoutSeconds: upstream.firstByteTimeoutSeconds)
    }

    /// The endpoint's path after the base URL, by each provider's convention: Anthropic base URLs
    /// stop before `/v1`, OpenAI base URLs include it.
    static func path(for dialect: Dialect, operation: TurnOperation) -> String {
        switch (dialect, operation) {
        case (.anthropic, .answer): "/v1/messages"
        case (.anthropic, .countTokens): "/v1/messages/count_tokens"
        case (.openAIChat, _): "/chat/completions"
        case (.openAIResponses, _): "/responses"
        }
    }

    private static func credentials(for upstream: UpstreamSpec, dialect: Dialect) -> Credentials {
        if let variable = upstream.apiKeyEnvironment {
            guard let key = upstream.apiKey else { return .missing(variable: variable) }
            return dialect == .anthropic
                ? .gateway(header: "x-api-key", value: key) : .gateway(header: "authorization", value: "Bearer \(key)")
        }
        return upstream.forwardsClientCredentials ? .client : .none
    }
}

extension UpstreamRoute: CustomStringConvertible {
    /// The route for logs and `policy explain`, never with a key in it.
    package var description: String {
        let auth =
            switch credentials {
            case .client: "the client's key"
            case .none: "no key"
            case .gateway: "the gateway's key"
            case .missing(let variable): "a key from $\(variable), which is not set"
            }
        return "\(dialect.rawValue) at \(url) with \(auth)"
    }
}
