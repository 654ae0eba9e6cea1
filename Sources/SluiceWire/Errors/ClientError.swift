/// An error Sluice itself returns to a client, rendered in the client's dialect.
///
/// Messages are written for a person and never carry credentials, prompt text or upstream bodies.
package struct ClientError: Error, Sendable, Hashable {
    /// What went wrong; bounded, so it can be a metric label.
    package enum Kind: String, Sendable, Hashable {
        case invalidRequest = "invalid_request"
        case notFound = "not_found"
        /// An admin surface asked for without the admin token, or from another machine without one set.
        case forbidden = "forbidden"
        case requestTooLarge = "request_too_large"
        case noRoute = "no_route"
        /// A budget's hard limit: 400, like LiteLLM's proxy, with `x-should-retry: false`. The
        /// official SDKs, Claude Code and Codex retry only 408, 409, 429 and 5xx; agents built on
        /// LiteLLM see a 400 as its `BadRequestError`, which aider and OpenHands do not retry,
        /// where a 402 or 403 from an OpenAI-compatible endpoint becomes a generic `APIError` they
        /// do retry (decision 0010).
        case budgetExceeded = "budget_exceeded"
        case upstreamUnreachable = "upstream_unreachable"
        case upstreamTimeout = "upstream_timeout"
        case streamInterrupted = "stream_interrupted"
        case internalError = "internal_error"
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The HTTP status for a response that has not started yet.
    package var status: Int {
        switch kind {
        case .invalidRequest, .noRoute, .budgetExceeded: 400
        case .forbidden: 403
        case .notFound: 404
        case .requestTooLarge: 413
        case .upstreamUnreachable: 502
        case .upstreamTimeout: 504
        case .streamInterrupted, .internalError: 500
        }
    }

    /// Anthropic's `error.type` for this kind.
    var anthropicType: String {
        switch kind {
        case .invalidRequest, .noRoute, .budgetExceeded: "invalid_request_error"
        case .forbidden: "permission_error"
        case .notFound: "not_found_error"
        case .requestTooLarge: "request_too_large"
        case .upstreamTimeout: "timeout_error"
        case .upstreamUnreachable, .streamInterrupted, .internalError: "api_error"
        }
    }

    /// OpenAI's `error.type` for this kind.
    var openAIType: String {
        switch kind {
        case .invalidRequest, .noRoute, .notFound, .requestTooLarge, .budgetExceeded, .forbidden: "invalid_request_error"
        case .upstreamUnreachable, .upstreamTimeout, .streamInterrupted, .internalError: "server_error"
        }
    }

    /// The JSON error body in `dialect`'s shape.
    package func body(for dialect: Dialect) -> String {
        let message = JSONStringDecoder.quoted(message)
        switch dialect {
        case .anthropic:
            return #"{"type":"error","error":{"type":"\#(anthropicType)","message":\#(message)}}"#
        case .openAIChat, .openAIResponses:
            return #"{"error":{"message":\#(message),"type":"\#(openAIType)","param":null,"code":"\#(kind.rawValue)"}}"#
        }
    }

    /// A complete SSE event that ends a stream already under way, in `dialect`'s shape.
    ///
    /// The HTTP status has been sent by then, so this event is the only way to tell the client;
    /// a silent close would look like a finished answer.
    package func streamEvent(for dialect: Dialect) -> String {
        let body = body(for: dialect)
        switch dialect {
        case .anthropic:
            return "event: error\ndata: \(body)\n\n"
        case .openAIChat:
            return "data: \(body)\n\n"
        case .openAIResponses:
            let message = JSONStringDecoder.quoted(message)
            return """
                event: response.failed
                data: {"type":"response.failed","response":{"object":"response","status":"failed","error":{"code":"\(kind.rawValue)","message":\(message)},"output":[]}}


                """
        }
    }
}
