import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SluiceLedger
import SluiceRouting
import SluiceStore
import SluiceWire

/// Serves one agent turn: read, scan, decide, forward, relay, account.
///
/// Same-dialect only: the body goes upstream as the client sent it, with the `model` value
/// spliced (and usage asked for on OpenAI chat streams). The answer comes back byte for byte;
/// a tap reads usage from it on the side.
struct TurnHandler: Sendable {
    let policies: PolicyHolder
    let upstreams: UpstreamClient
    let ledger: LedgerWriter
    let configuration: GatewayConfiguration

    /// Handles a turn on `dialect`'s endpoint; `countTokens` forwards without recording a turn.
    ///
    /// - Parameter path: The endpoint's canonical path (`/v1/messages`), whatever prefix the client used.
    func handle(
        _ request: Request, context: GatewayRequestContext, dialect: Dialect, path: String, countTokens: Bool = false
    ) async -> Response {
        let loaded = policies.current
        let headers = TurnHeaders { request.headers[HTTPField.Name($0)!] }
        var account = TurnAccount(dialect: dialect, headers: headers)

        // 1. Read the body, within the limit.
        let body: ByteBuffer
        do {
            body = try await readBody(request)
        } catch let error as ClientError {
            return refuse(error, account: account, policy: loaded.policy, record: !countTokens)
        } catch {
            return refuse(
                ClientError(.invalidRequest, "The request body could not be read: the client closed it early."),
                account: account, policy: loaded.policy, record: !countTokens)
        }

        // 2. Scan it once.
        let scanned: ScannedRequest
        do {
            scanned = try body.withUnsafeReadableBytes { raw throws(ClientError) in
                try loaded.scanner.scan(raw, dialect: dialect, headers: headers)
            }
        } catch let error as ClientError {
            return refuse(error, account: account, policy: loaded.policy, record: !countTokens)
        } catch {
            return refuse(
                ClientError(.internalError, "The request could not be read."), account: account, policy: loaded.policy,
                record: !countTokens)
        }
        account.session = scanned.session
        account.features = scanned.features

        // 3. Decide.
        let decision = loaded.policy.decide(for: scanned.features)
        guard !decision.model.isEmpty, let model = loaded.policy.model(named: decision.model),
            let upstream = loaded.policy.upstreams[model.upstream]
        else {
            return refuse(
                ClientError(.noRoute, "Sluice has no route for this request: \(decision.reason)"), account: account,
                policy: loaded.policy, record: !countTokens)
        }
        account.decision = decision
        context.logger.debug(
            "Route decided",
            metadata: [
                "sluice.session": "\(scanned.session)", "sluice.rule": "\(decision.rule)",
                "sluice.model": "\(decision.model)", "sluice.shape": "\(scanned.features.shape.rawValue)",
            ])

        // 4. Forward.
        let outgoing = Self.edited(body, with: scanned.edits(routedModelID: model.id))
        let url = UpstreamClient.url(for: upstream, clientPath: path)
        let response: HTTPClientResponse
        do {
            response = try await upstreams.send(
                outgoing, to: url, headers: forwardedHeaders(request.headers, upstream: upstream, dialect: dialect),
                firstByteTimeout: .seconds(Int64(upstream.firstByteTimeoutSeconds)), logger: context.logger)
        } catch {
            let failure = Self.clientError(forUpstreamFailure: error, upstream: upstream)
            context.logger.info(
                "Upstream failed before the first byte",
                metadata: ["upstream.name": "\(upstream.name)", "upstream.error": "\(failure.kind.rawValue)"])
            var response = errorResponse(failure, dialect: dialect)
            decorate(&response.headers, session: scanned.session, decision: decision)
            if !countTokens {
                ledger.record(
                    account.record(
                        status: .upstreamFailed, httpStatus: failure.status, usage: nil, outputBytes: 0,
                        policy: loaded.policy))
            }
            return response
        }

        // 5. Relay.
        var responseHeaders = Self.relayedHeaders(response.headers)
        decorate(&responseHeaders, session: scanned.session, decision: decision)
        let status = HTTPResponse.Status(code: Int(response.status.code))
        let isEventStream = response.headers.first(name: "content-type")?.lowercased().contains("text/event-stream") == true
        if scanned.features.stream && isEventStream && (200..<300).contains(Int(response.status.code)) && !countTokens {
            return Response(
                status: status, headers: responseHeaders,
                body: streamBody(
                    response, account: account, dialect: dialect, policy: loaded.policy, channel: context.channel))
        }
        return await relayWhole(
            response, status: status, headers: responseHeaders, account: account, dialect: dialect,
            policy: loaded.policy, record: !countTokens, logger: context.logger)
    }

    // MARK: - Reading

    private func readBody(_ request: Request) async throws -> ByteBuffer {
        let limit = configuration.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw Self.tooLarge(limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.tooLarge(limit)
        }
    }

    private static func tooLarge(_ limit: Int) -> ClientError {
        ClientError(
            .requestTooLarge,
            "The request body is larger than Sluice's limit of \(limit / (1024 * 1024)) MB (set with --max-body-mb).")
    }

    // MARK: - Forwarding

    /// The client's body with `edits` applied; one copy, everything else untouched.
    static func edited(_ body: ByteBuffer, with edits: [ByteEdit]) -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(ByteEdit.editedCount(body.readableBytes, edits))
        var cursor = 0
        let start = body.readerIndex
        for edit in edits {
            if edit.range.lowerBound > cursor {
                out.writeImmutableBuffer(body.getSlice(at: start + cursor, length: edit.range.lowerBound - cursor)!)
            }
            out.writeBytes(edit.replacement)
            cursor = edit.range.upperBound
        }
        if cursor < body.readableBytes {
            out.writeImmutableBuffer(body.getSlice(at: start + cursor, length: body.readableBytes - cursor)!)
        }
        return out
    }

    private static let hopByHop: Set<String> = [
        "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "upgrade",
        "proxy-authorization", "proxy-connection", "accept-encoding", "expect", "trailer",
    ]

    private func forwardedHeaders(_ fields: HTTPFields, upstream: UpstreamSpec, dialect: Dialect) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let ownKey = upstream.apiKeyEnvironment.flatMap { configuration.environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        for field in fields {
            let name = field.name.canonicalName
            if Self.hopByHop.contains(name) || name.hasPrefix("x-sluice-") { continue }
            if ownKey != nil && (name == "x-api-key" || name == "authorization") { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        if let ownKey {
            if dialect == .anthropic {
                headers.add(name: "x-api-key", value: ownKey)
            } else {
                headers.add(name: "authorization", value: "Bearer \(ownKey)")
            }
        }
        return headers
    }

    private static func relayedHeaders(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower == "connection" || lower == "transfer-encoding" || lower == "keep-alive" || lower == "content-length" {
                continue
            }
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return fields
    }

    private func decorate(_ headers: inout HTTPFields, session: String, decision: RoutingDecision) {
        headers[HTTPField.Name("x-sluice-session")!] = session
        headers[HTTPField.Name("x-sluice-model")!] = decision.model
        headers[HTTPField.Name("x-sluice-rule")!] = decision.rule
    }

    static func clientError(forUpstreamFailure error: any Error, upstream: UpstreamSpec) -> ClientError {
        if let error = error as? HTTPClientError,
            error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            return ClientError(
                .upstreamTimeout,
                "The upstream \"\(upstream.name)\" did not answer in time (\(upstream.firstByteTimeoutSeconds) s to the first byte).")
        }
        return ClientError(
            .upstreamUnreachable,
            "The upstream \"\(upstream.name)\" at \(upstream.baseURL) could not be reached or closed the connection before answering.")
    }

    // MARK: - Relaying

    /// Relays a whole (non-streamed or error) answer and reads its usage.
    private func relayWhole(
        _ response: HTTPClientResponse, status: HTTPResponse.Status, headers: HTTPFields, account: TurnAccount,
        dialect: Dialect, policy: RoutingPolicy, record: Bool, logger: Logger
    ) async -> Response {
        var account = account
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: configuration.maxResponseBytes)
            account.noteFirstByte()
        } catch {
            let failure = ClientError(
                .upstreamUnreachable, "The upstream \"\(account.decision?.upstream ?? "")\" failed while sending its answer.")
            if record {
                ledger.record(
                    account.record(
                        status: .upstreamFailed, httpStatus: failure.status, usage: nil, outputBytes: 0, policy: policy))
            }
            var response = errorResponse(failure, dialect: dialect)
            response.headers.append(contentsOf: headers.filter { $0.name.canonicalName.hasPrefix("x-sluice-") })
            return response
        }
        let ok = (200..<300).contains(status.code)
        if record {
            let usage =
                ok
                ? body.withUnsafeReadableBytes { raw in
                    (try? JSONDocument(bytes: raw)).flatMap { UsageReader.response($0.root, dialect: dialect) }
                } : nil
            ledger.record(
                account.record(
                    status: ok ? .ok : .upstreamError, httpStatus: status.code, usage: usage,
                    outputBytes: body.readableBytes, policy: policy))
        }
        if !ok {
            logger.info("Upstream answered with an error", metadata: ["upstream.status": "\(status.code)"])
        }
        var headers = headers
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// Relays a stream chunk by chunk, as it arrives, tapping it for usage.
    private func streamBody(
        _ response: HTTPClientResponse, account: TurnAccount, dialect: Dialect, policy: RoutingPolicy,
        channel: any Channel
    ) -> ResponseBody {
        let ledger = self.ledger
        return ResponseBody { writer in
            var account = account
            var tap = StreamUsageTap(dialect: dialect)
            var relayed = 0
            var status = TurnStatus.ok
            var clientWriteFailed = false
            let watcher = DisconnectWatcher()
            await watcher.watch(channel) {
                do {
                    for try await chunk in response.body {
                        account.noteFirstByte()
                        do {
                            try await writer.write(chunk)
                        } catch {
                            clientWriteFailed = true
                            throw error
                        }
                        relayed += chunk.readableBytes
                        chunk.withUnsafeReadableBytes { tap.consume($0) }
                    }
                    tap.finish()
                    if !tap.completed {
                        status = .streamInterrupted
                        let error = ClientError(
                            .streamInterrupted,
                            "The upstream \"\(account.decision?.upstream ?? "")\" ended the stream before the answer was complete.")
                        try? await writer.write(ByteBuffer(string: error.streamEvent(for: dialect)))
                    } else if tap.upstreamError != nil {
                        status = .upstreamError
                    }
                } catch {
                    tap.finish()
                    if clientWriteFailed || watcher.clientGone || Task.isCancelled {
                        status = .clientCancelled
                    } else {
                        status = .streamInterrupted
                        let error = ClientError(
                            .streamInterrupted,
                            "The upstream \"\(account.decision?.upstream ?? "")\" failed in the middle of the stream.")
                        try? await writer.write(ByteBuffer(string: error.streamEvent(for: dialect)))
                    }
                }
            }
            ledger.record(
                account.record(
                    status: status, httpStatus: 200, usage: tap.usage, outputBytes: relayed, policy: policy))
            if status != .clientCancelled { try await writer.finish(nil) }
        }
    }

    // MARK: - Errors

    private func refuse(_ error: ClientError, account: TurnAccount, policy: RoutingPolicy, record: Bool) -> Response {
        if record {
            ledger.record(
                account.record(
                    status: .invalidRequest, httpStatus: error.status, usage: nil, outputBytes: 0, policy: policy))
        }
        var response = errorResponse(error, dialect: account.dialect)
        response.headers[HTTPField.Name("x-sluice-session")!] = account.session
        return response
    }
}

/// A response carrying `error` in `dialect`'s error shape.
func errorResponse(_ error: ClientError, dialect: Dialect) -> Response {
    let body = ByteBuffer(string: error.body(for: dialect))
    return Response(
        status: .init(code: error.status),
        headers: [.contentType: "application/json", .contentLength: String(body.readableBytes)],
        body: ResponseBody(byteBuffer: body))
}
