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
    let sessions: SessionMemory

    /// Handles a turn on `dialect`'s endpoint; `countTokens` forwards without recording a turn.
    ///
    /// - Parameter path: The endpoint's canonical path (`/v1/messages`), whatever prefix the client used.
    func handle(
        _ request: Request, context: GatewayRequestContext, dialect: Dialect, path: String, countTokens: Bool = false
    ) async -> Response {
        let loaded = policies.current
        let headers = TurnHeaders { request.headers[HTTPField.Name($0)!] }
        var account = TurnAccount(dialect: dialect, headers: headers)
        let recorder = Recorder(ledger: ledger, policy: loaded.policy, enabled: !countTokens, sessions: sessions)

        // 1. Read the body, within the limit.
        let body: ByteBuffer
        do {
            body = try await readBody(request)
        } catch let error as ClientError {
            return refuse(error, account: account, recorder: recorder)
        } catch {
            let error = ClientError(.invalidRequest, "The request body could not be read: the client closed it early.")
            return refuse(error, account: account, recorder: recorder)
        }

        // 2. Scan it once, in place.
        var scanned: ScannedRequest
        do throws(ClientError) {
            scanned = try body.withUnsafeReadableBytes { raw throws(ClientError) in
                try loaded.scanner.scan(raw, dialect: dialect, headers: headers)
            }
        } catch {
            return refuse(error, account: account, recorder: recorder)
        }
        if !countTokens {
            scanned.features.newPromptTokens = sessions.newPromptTokens(
                session: scanned.session, promptTokens: scanned.features.promptTokens)
        }
        account.scannedSession = scanned.session
        account.features = scanned.features

        // 3. Decide.
        var decision = loaded.policy.applyingStickiness(
            to: loaded.policy.decide(for: scanned.features, tracing: false), features: scanned.features,
            previous: sessions.previous(session: scanned.session))
        guard !decision.model.isEmpty, let model = loaded.policy.model(named: decision.model) else {
            let error = ClientError(.noRoute, "Sluice has no route for this request: \(decision.reason)")
            return refuse(error, account: account, recorder: recorder)
        }
        account.decision = decision
        context.logger.debug(
            "Route decided",
            metadata: [
                "sluice.session": "\(scanned.session)", "sluice.rule": "\(decision.rule)",
                "sluice.model": "\(decision.model)", "sluice.shape": "\(scanned.features.shape.rawValue)",
            ])
        let candidates = Self.candidates(for: model, features: scanned.features, policy: loaded.policy)

        // 4. Forward (falling back while nothing has reached the client), and 5. relay; a client
        // that leaves cancels both (a stream keeps watching).
        let watch = ConnectionWatch.of(context.channel)
        return await watch.guardTurn {
            var answered: (response: HTTPClientResponse, model: ModelSpec)?
            var lastFailure: ClientError?
            for (index, candidate) in candidates.enumerated() {
                guard let upstream = loaded.policy.upstreams[candidate.upstream] else { continue }
                let isLast = index == candidates.count - 1
                if index > 0 {
                    decision.model = candidate.name
                    decision.modelID = candidate.id
                    decision.upstream = upstream.name
                    decision.reason += "; fell back to \(candidate.name) after \(lastFailure?.kind.rawValue ?? "a failure")"
                    account.decision = decision
                }
                do {
                    let headers = try forwardedHeaders(request.headers, upstream: upstream, dialect: dialect)
                    let response = try await upstreams.send(
                        Self.edited(body, with: scanned.edits(routedModelID: candidate.id)),
                        to: UpstreamClient.url(for: upstream, clientPath: path), headers: headers,
                        firstByteTimeout: .seconds(Int64(upstream.firstByteTimeoutSeconds)), logger: context.logger)
                    let code = Int(response.status.code)
                    if !isLast && (code == 429 || code >= 500) {
                        // Dropping the response closes it; the next model gets the turn.
                        lastFailure = ClientError(.upstreamUnreachable, "upstream \(upstream.name) answered \(code)")
                        context.logger.info(
                            "Falling back", metadata: ["upstream.name": "\(upstream.name)", "upstream.status": "\(code)"])
                        continue
                    }
                    answered = (response, candidate)
                    break
                } catch {
                    if watch.isClosed || Task.isCancelled {
                        recorder.record(account, status: .clientCancelled, httpStatus: 499)
                        return Response(status: .init(code: 499))
                    }
                    let failure =
                        (error as? ClientError) ?? Self.clientError(forUpstreamFailure: error, upstream: upstream)
                    lastFailure = failure
                    context.logger.info(
                        "Upstream failed before the first byte",
                        metadata: ["upstream.name": "\(upstream.name)", "upstream.error": "\(failure.kind.rawValue)"])
                }
            }
            guard let (response, _) = answered else {
                let failure = lastFailure ?? ClientError(.noRoute, "Sluice has no upstream for this request.")
                recorder.record(account, status: .upstreamFailed, httpStatus: failure.status)
                var reply = errorResponse(failure, dialect: dialect)
                decorate(&reply.headers, session: scanned.session, decision: decision)
                return reply
            }
            account.noteFirstByte()
            var responseHeaders = Self.relayedHeaders(response.headers)
            decorate(&responseHeaders, session: scanned.session, decision: decision)
            let status = HTTPResponse.Status(code: Int(response.status.code))
            if scanned.features.stream && (200..<300).contains(status.code) && !countTokens
                && !Self.isJSON(response.headers)
            {
                let relay = StreamRelay(
                    response: response, account: account, dialect: dialect, recorder: recorder,
                    channel: context.channel, stripsUsageChunk: scanned.usageOptionEdit != nil)
                return Response(status: status, headers: responseHeaders, body: relay.body())
            }
            return await relayWhole(
                response, status: status, headers: responseHeaders, account: account, recorder: recorder,
                watch: watch, logger: context.logger)
        }
    }

    /// The decided model, then its fallbacks that can take the turn: same client dialect, and a
    /// context window that holds the prompt and the output limit.
    static func candidates(for model: ModelSpec, features: TurnFeatures, policy: RoutingPolicy) -> [ModelSpec] {
        let needed = features.promptTokens + (features.maxTokens ?? 0)
        var chain = [model]
        for name in model.fallbacks {
            guard let fallback = policy.model(named: name), !chain.contains(where: { $0.name == name }),
                policy.upstreams[fallback.upstream]?.speaks(features.dialect) == true, fallback.contextWindow >= needed
            else { continue }
            chain.append(fallback)
        }
        return chain
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

    /// The client's body with `edits` applied: the body itself when they change nothing, else one
    /// copy made from slices, everything outside the edited spans untouched.
    static func edited(_ body: ByteBuffer, with edits: [ByteEdit]) -> ByteBuffer {
        let start = body.readerIndex
        let changesNothing = edits.allSatisfy { edit in
            edit.range.count == edit.replacement.count
                && body.withUnsafeReadableBytes { raw in raw[edit.range].elementsEqual(edit.replacement) }
        }
        if changesNothing { return body }
        var out = ByteBuffer()
        out.reserveCapacity(ByteEdit.editedCount(body.readableBytes, edits))
        var cursor = 0
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

    /// Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus the ones
    /// Sluice sets itself; never relayed in either direction.
    private static let hopByHop: Set<String> = [
        "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization",
        "proxy-authenticate", "proxy-connection", "content-length", "host",
    ]

    private func forwardedHeaders(_ fields: HTTPFields, upstream: UpstreamSpec, dialect: Dialect) throws(ClientError)
        -> HTTPHeaders
    {
        var ownKey: String?
        if let variable = upstream.apiKeyEnvironment {
            guard let key = configuration.environment[variable], !key.isEmpty else {
                throw ClientError(
                    .internalError,
                    "The upstream \"\(upstream.name)\" sends the key in $\(variable), which is not set where Sluice runs.")
            }
            ownKey = key
        }
        let dropsClientCredentials = ownKey != nil || !upstream.forwardsClientCredentials
        let connectionTokens = Set(
            fields[.connection].map { $0.split(separator: ",").map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() } }
                ?? [])
        var headers = HTTPHeaders()
        for field in fields {
            let name = field.name.canonicalName
            if Self.hopByHop.contains(name) || connectionTokens.contains(name) || name.hasPrefix("x-sluice-") { continue }
            // Answers must come back uncompressed: the tap reads them as they pass.
            if name == "accept-encoding" || name == "expect" { continue }
            if dropsClientCredentials && (name == "x-api-key" || name == "authorization") { continue }
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
        for (name, value) in headers where !hopByHop.contains(name.lowercased()) {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return fields
    }

    /// Whether the answer says it is one JSON document (a stream request answered whole).
    private static func isJSON(_ headers: HTTPHeaders) -> Bool {
        headers.first(name: "content-type")?.lowercased().hasPrefix("application/json") == true
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

    // MARK: - Relaying whole answers

    /// Relays a whole (non-streamed or error) answer and reads its usage.
    private func relayWhole(
        _ response: HTTPClientResponse, status: HTTPResponse.Status, headers: HTTPFields, account: TurnAccount,
        recorder: Recorder, watch: ConnectionWatch, logger: Logger
    ) async -> Response {
        let dialect = account.dialect
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: configuration.maxResponseBytes)
        } catch {
            if watch.isClosed || Task.isCancelled {
                recorder.record(account, status: .clientCancelled, httpStatus: 499)
                return Response(status: .init(code: 499))
            }
            let failure = ClientError(
                .upstreamUnreachable, "The upstream \"\(account.decision?.upstream ?? "")\" failed while sending its answer.")
            recorder.record(account, status: .upstreamFailed, httpStatus: failure.status)
            var reply = errorResponse(failure, dialect: dialect)
            reply.headers.append(contentsOf: headers.filter { $0.name.canonicalName.hasPrefix("x-sluice-") })
            return reply
        }
        let ok = (200..<300).contains(status.code)
        if ok {
            let usage = body.withUnsafeReadableBytes { raw in
                (try? JSONDocument(bytes: raw)).flatMap { UsageReader.response($0.root, dialect: dialect) }
            }
            recorder.record(
                account, status: .ok, httpStatus: status.code, usage: usage, outputEstimate: body.readableBytes / 4)
        } else {
            logger.info("Upstream answered with an error", metadata: ["upstream.status": "\(status.code)"])
            recorder.record(account, status: .upstreamError, httpStatus: status.code)
        }
        var headers = headers
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    // MARK: - Errors

    private func refuse(
        _ error: ClientError, account: TurnAccount, recorder: Recorder, status: TurnStatus = .invalidRequest
    ) -> Response {
        recorder.record(account, status: status, httpStatus: error.status)
        var response = errorResponse(error, dialect: account.dialect)
        response.headers[HTTPField.Name("x-sluice-session")!] = account.session
        return response
    }
}

/// Hands finished turns to the ledger, priced with the policy the turn started under.
struct Recorder: Sendable {
    let ledger: LedgerWriter
    let policy: RoutingPolicy
    /// `false` for calls that are not turns (`count_tokens`).
    let enabled: Bool
    /// Told which model answered each turn, for stickiness.
    let sessions: SessionMemory

    func record(
        _ account: TurnAccount, status: TurnStatus, httpStatus: Int, usage: Usage? = nil, complete: Bool = true,
        outputEstimate: Int = 0
    ) {
        guard enabled else { return }
        let record = account.record(
            status: status, httpStatus: httpStatus, usage: usage, complete: complete, outputEstimate: outputEstimate,
            policy: policy)
        if status == .ok, !record.model.isEmpty {
            sessions.noteAnswered(session: record.session, model: record.model, cacheRead: record.usage.cacheRead)
        }
        ledger.record(record)
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
