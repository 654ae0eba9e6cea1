import HTTPTypes
import Hummingbird
import NIOCore
import SluiceRouting
import SluiceWire

/// Registers every endpoint an agent or an operator calls.
struct GatewayRoutes {
    let turns: TurnHandler
    let policies: PolicyHolder
    let outcomes: OutcomeHandler
    let admin: AdminAccess
    let metrics: MetricsEndpoint?

    func register(on router: Router<GatewayRequestContext>) {
        router.add(middleware: DialectErrorMiddleware())
        // Each endpoint also answers without the `/v1` prefix, for base URLs set without it.
        for prefix in ["/v1", ""] {
            router.post("\(prefix)/messages") { request, context in
                await turns.handle(request, context: context, dialect: .anthropic, operation: .answer)
            }
            router.post("\(prefix)/messages/count_tokens") { request, context in
                await turns.handle(request, context: context, dialect: .anthropic, operation: .countTokens)
            }
            router.post("\(prefix)/chat/completions") { request, context in
                await turns.handle(request, context: context, dialect: .openAIChat, operation: .answer)
            }
            router.post("\(prefix)/responses") { request, context in
                await turns.handle(request, context: context, dialect: .openAIResponses, operation: .answer)
            }
            router.get("\(prefix)/models") { _, _ in modelList() }
            router.post("\(prefix)/sessions/:key/outcome") { request, context in
                await outcomes.handle(request, context: context)
            }
        }
        router.head("/") { _, _ in Response(status: .ok) }
        router.get("/") { _, _ in "Sluice is running. Point your agent's API base URL here.\n" }
        router.get("/healthz") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/metrics") { request, _ in metricsResponse(request) }
        // Claude Code posts telemetry to its base URL; accept and drop it rather than fail.
        router.post("/api/event_logging/batch") { _, _ in Response(status: .noContent) }
    }

    /// A scrape, for a caller allowed to read it.
    private func metricsResponse(_ request: Request) -> Response {
        guard admin.allowsReading(request.headers) else {
            return errorResponse(
                ClientError(
                    .forbidden,
                    "Metrics need the admin token: send Authorization: Bearer <SLUICE_ADMIN_TOKEN> (Prometheus: authorization.credentials)."
                ), dialect: .openAIChat)
        }
        guard let metrics else {
            return errorResponse(ClientError(.notFound, "This gateway exports no metrics."), dialect: .openAIChat)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.scrape())))
    }

    /// The policy's models, in a shape both SDKs read: OpenAI's list and Anthropic's page.
    private func modelList() -> Response {
        let models = policies.current.policy.models.values.sorted { $0.name < $1.name }
        let items = models.map { model in
            let id = JSONStringDecoder.quoted(model.id)
            let name = JSONStringDecoder.quoted(model.name)
            return #"{"id":\#(id),"object":"model","type":"model","display_name":\#(name),"created":0,"created_at":"1970-01-01T00:00:00Z","owned_by":"sluice","context_window":\#(model.contextWindow)}"#
        }
        let first = models.first.map { JSONStringDecoder.quoted($0.id) } ?? "null"
        let last = models.last.map { JSONStringDecoder.quoted($0.id) } ?? "null"
        let body = #"{"object":"list","data":[\#(items.joined(separator: ","))],"has_more":false,"first_id":\#(first),"last_id":\#(last)}"#
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Renders Hummingbird's own errors (unknown path, wrong method) in the client's dialect.
struct DialectErrorMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let dialect = Self.dialect(guessedFrom: request)
            let message: String
            switch error.status {
            case .notFound:
                message = "Sluice has no endpoint \(request.method.rawValue) \(request.uri.path). Agent endpoints: POST /v1/messages, /v1/chat/completions, /v1/responses."
                return errorResponse(ClientError(.notFound, message), dialect: dialect)
            case .methodNotAllowed:
                message = "\(request.method.rawValue) is not allowed on \(request.uri.path)."
                var response = errorResponse(ClientError(.invalidRequest, message), dialect: dialect)
                response.status = .methodNotAllowed
                return response
            default:
                throw error
            }
        }
    }

    static func dialect(guessedFrom request: Request) -> Dialect {
        let path = request.uri.path
        if path.contains("messages") || request.headers[HTTPField.Name("anthropic-version")!] != nil {
            return .anthropic
        }
        return path.contains("responses") ? .openAIResponses : .openAIChat
    }
}
