import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A provider stand-in on loopback that answers from a script chosen per request.
///
/// The client picks the behaviour with an `x-script` header, which the gateway forwards like any
/// other header: `ok` (default), `status-429`, `status-503`, `status-400`, `reset`, `hang`,
/// `die-midstream`, `slow-stream`, `crlf-slow` (a stream framed with CRLF whose last events come a
/// second after its first), `linger-after-end` (every event, then the body stays open until the
/// gateway closes it), `usage` (a whole answer in the path's dialect whose `usage` object is the
/// request's `x-usage` header, verbatim).
final class ScriptedUpstream: Sendable {
    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: String
    }

    private let received = Mutex<[Received]>([])
    /// When a `crlf-slow` stream started writing its last events.
    private let lastEventsSent = Mutex<ContinuousClock.Instant?>(nil)
    /// How many `linger-after-end` bodies the gateway closed after every event was sent.
    private let closedAfterEnd = Mutex(0)
    /// Requests whose connection the gateway closed while the script was still answering.
    private let cancelledStreams = Mutex(0)

    var requests: [Received] { received.withLock { $0 } }
    var cancelledStreamCount: Int { cancelledStreams.withLock { $0 } }
    var lastEventsSentAt: ContinuousClock.Instant? { lastEventsSent.withLock { $0 } }
    var closedAfterEndCount: Int { closedAfterEnd.withLock { $0 } }

    struct Context: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel
        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
        var maxUploadSize: Int { 64 * 1024 * 1024 }
    }

    /// Waits until the gateway's side of `channel` ends (`true`) or `limit` passes (`false`).
    static func waitForClose(of channel: any Channel, upTo limit: Duration) async -> Bool {
        let key = ObjectIdentifier(channel)
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if !channel.isActive || PeerClosedHandler.closed.withLock({ $0.contains(key) }) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Notes connections whose peer closed its side: Hummingbird keeps such a channel active.
    final class PeerClosedHandler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        static let closed = Mutex<Set<ObjectIdentifier>>([])

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, event == .inputClosed {
                _ = Self.closed.withLock { $0.insert(ObjectIdentifier(context.channel)) }
            }
            context.fireUserInboundEventTriggered(event)
        }

        // Forget the channel once it is gone: a new channel may reuse its identifier.
        func channelInactive(context: ChannelHandlerContext) {
            _ = Self.closed.withLock { $0.remove(ObjectIdentifier(context.channel)) }
            context.fireChannelInactive()
        }
    }

    func application(onPort: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router(context: Context.self)
        router.post("**") { request, context in try await self.answer(request, context: context) }
        var logger = Logger(label: "scripted-upstream")
        logger.logLevel = .warning
        return Application(
            router: router, server: .http1(configuration: .init(additionalChannelHandlers: [PeerClosedHandler()])),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { onPort($0.localAddress?.port ?? 0) }, logger: logger)
    }

    private func answer(_ request: Request, context: Context) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024 * 1024)
        let text = String(buffer: body)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let path = request.uri.path
        received.withLock { $0.append(Received(path: path, headers: headers, body: text)) }
        let stream = text.contains(#""stream":true"#)
        let canned = Canned.answer(path: path, stream: stream)
        switch headers["x-script"] ?? "ok" {
        case "429-unless-haiku" where !text.contains("claude-haiku"), "status-429":
            return Response(
                status: .tooManyRequests, headers: [.contentType: "application/json", .retryAfter: "7"],
                body: .init(byteBuffer: ByteBuffer(string: Canned.rateLimited(path: path))))
        case "503-if-haiku" where text.contains("claude-haiku"), "status-503", "status-400":
            let code = headers["x-script"] == "status-400" ? 400 : 503
            return Response(
                status: .init(code: code), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: Canned.rateLimited(path: path))))
        case "crlf-slow":
            // sse-starlette's framing: every line ends in CRLF.
            let events = canned.events.map { $0.replacingOccurrences(of: "\n", with: "\r\n") }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: events[0]))
                    try await Task.sleep(for: .seconds(1))
                    self.lastEventsSent.withLock { $0 = .now }
                    for event in events.dropFirst() { try await writer.write(ByteBuffer(string: event)) }
                    try await writer.finish(nil)
                })
        case "linger-after-end":
            // The answer is whole, but the body does not end: a client that has read the terminal
            // event leaves first.
            let channel = context.channel
            let events = canned.events
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    for event in events { try await writer.write(ByteBuffer(string: event)) }
                    if await Self.waitForClose(of: channel, upTo: .seconds(10)) {
                        self.closedAfterEnd.withLock { $0 += 1 }
                        return
                    }
                    try await writer.finish(nil)
                })
        case "slow-if-sonnet":
            // Sonnet takes two seconds to answer (a shadow's model); anything else answers at once.
            if text.contains("claude-sonnet") { try await Task.sleep(for: .seconds(2)) }
            let events = canned.events
            if stream {
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        for event in events { try await writer.write(ByteBuffer(string: event)) }
                        try await writer.finish(nil)
                    })
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: canned.json)))
        case "usage":
            let usage = headers["x-usage"] ?? "{}"
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: Canned.answer(path: path, usage: usage))))
        case "reset":
            try await context.channel.close()
            throw CancellationError()
        case "hang":
            // Never answers; notices when the gateway gives up on it.
            if await Self.waitForClose(of: context.channel, upTo: .seconds(3)) {
                cancelledStreams.withLock { $0 += 1 }
            }
            return Response(status: .ok)
        case "die-midstream":
            // Two whole events and half of the third, then the connection drops.
            let channel = context.channel
            let events = canned.events
            let cut = events.prefix(2).joined() + String(events[2].prefix(20))
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: cut))
                    try await Task.sleep(for: .milliseconds(50))
                    try await channel.close()
                    throw CancellationError()
                })
        case "slow-stream":
            // One event, then silence: only a gateway that watches the client can notice it left.
            let channel = context.channel
            let events = canned.events
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: events[0]))
                    if await Self.waitForClose(of: channel, upTo: .seconds(30)) {
                        self.cancelledStreams.withLock { $0 += 1 }
                        return
                    }
                    for event in events.dropFirst() { try await writer.write(ByteBuffer(string: event)) }
                    try await writer.finish(nil)
                })
        default:
            if stream {
                let events = canned.events
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream", .init("request-id")!: "req_123"],
                    body: ResponseBody { writer in
                        for event in events { try await writer.write(ByteBuffer(string: event)) }
                        try await writer.finish(nil)
                    })
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json", .init("request-id")!: "req_123"],
                body: .init(byteBuffer: ByteBuffer(string: canned.json)))
        }
    }
}
