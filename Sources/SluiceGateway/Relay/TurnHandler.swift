import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SluiceLedger
import SluiceRouting
import SluiceWire

/// Serves one agent turn: receive, scan, plan, forward and relay along the plan's routes, and
/// record one outcome.
///
/// The decision is the routing core's (``RoutingPolicy/plan(_:session:operation:at:experiments:tracing:)``);
/// this type only carries the plan out. Every exit goes through the turn's ``TurnTicket``, which
/// records it exactly once.
struct TurnHandler: Sendable {
    let policies: PolicyHolder
    let upstreams: UpstreamClient
    let recorder: TurnRecorder
    let shadows: ShadowRunner
    let configuration: GatewayConfiguration
    let admin: AdminAccess

    /// Handles a request to `dialect`'s endpoint.
    func handle(
        _ request: Request, context: GatewayRequestContext, dialect: Dialect, operation: TurnOperation
    ) async -> Response {
        let loaded = policies.current
        var headers = TurnHeaders(userHashKey: configuration.userHashKey) { request.headers[HTTPField.Name($0)!] }
        // A tier header loosens a budget, so only a caller with the admin token (a proxy in front) may send it.
        if headers.tier != nil && !admin.carriesToken(request.headers) { headers.tier = nil }
        let ticket = TurnTicket(
            dialect: dialect, headers: headers, recorder: operation == .answer ? recorder : nil,
            startedAtMilliseconds: configuration.clock())

        // Receive, within the limit.
        let body: ByteBuffer
        do {
            body = try await readBody(request)
        } catch let error as ClientError {
            return await refuse(error, status: .invalidRequest, ticket: ticket)
        } catch {
            let error = ClientError(.invalidRequest, "The request body could not be read: the client closed it early.")
            return await refuse(error, status: .invalidRequest, ticket: ticket)
        }
        ticket.noteRequestBytes(body.readableBytes)

        // Scan once, in place, and plan.
        let scanned: ScannedRequest
        do throws(ClientError) {
            scanned = try body.withUnsafeReadableBytes { raw throws(ClientError) in
                try loaded.scanner.scan(raw, dialect: dialect, headers: headers)
            }
        } catch {
            return await refuse(error, status: .invalidRequest, ticket: ticket)
        }
        let experiments =
            loaded.policy.experiments.isEmpty ? ExperimentContext() : recorder.experiments.context(for: scanned.session)
        var plan = loaded.policy.plan(
            scanned, session: await recorder.sessions.state(of: scanned.session), operation: operation,
            at: ticket.startedAtMilliseconds, experiments: experiments, headers: headers)
        // Budgets admit the turn atomically with its reservation; its one outcome releases it.
        var reservation: BudgetReservation?
        if operation == .answer && (loaded.policy.budgets != nil || loaded.policy.anomalies != nil) {
            (plan, reservation) = recorder.guards.admit(
                plan, tag: headers.tag, anomalies: loaded.policy.anomalies, at: ticket.startedAtMilliseconds)
        }
        ticket.planned(plan, reservation: reservation, budgets: loaded.policy.budgets)
        if operation == .answer && plan.arm != nil {
            recorder.experiments.remember(plan)
            recorder.experiments.count(plan)
        }
        // Only for a turn a shadow may mirror: the relay keeps the answer's bytes for it.
        var keepsAnswer = false
        if let shadow = plan.shadow, shadows.mayRun(shadow) {
            keepsAnswer = true
            ticket.shadowing(
                ShadowHandoff(
                    runner: shadows, shadow: shadow, body: body,
                    headers: ForwardedHeaders.toUpstream(request.headers, credentials: shadow.candidate.route.credentials),
                    stream: plan.features.stream))
        }
        switch plan.verdict {
        case .forward: break
        case .refuse(let error, let status):
            if !plan.guards.isEmpty {
                context.logger.info(
                    "Turn refused by a guard",
                    metadata: ["sluice.session": "\(plan.session.key)", "sluice.guard": "\(TurnGuard.written(plan.guards) ?? "")"])
            }
            return await refuse(error, status: status, ticket: ticket, plan: plan)
        case .answer(let text):
            context.logger.notice(
                "Loop stopped", metadata: ["sluice.session": "\(plan.session.key)", "sluice.guard": "\(TurnGuard.written(plan.guards) ?? "")"])
            return await answerItself(text, plan: plan, ticket: ticket)
        }
        if let note = TurnGuard.written(plan.guards) {
            context.logger.info("Guard acted", metadata: ["sluice.session": "\(plan.session.key)", "sluice.guard": "\(note)"])
        }
        context.logger.debug(
            "Turn planned",
            metadata: [
                "sluice.session": "\(plan.session.key)", "sluice.rule": "\(plan.decision.rule)",
                "sluice.model": "\(plan.decision.model)", "sluice.shape": "\(plan.features.shape.rawValue)",
            ])

        // Forward and relay; a client that leaves cancels both (a stream keeps watching).
        let watch = ConnectionWatch.of(context.channel)
        return await watch.guardTurn {
            await forward(
                body, request: request, plan: plan, ticket: ticket, watch: watch, keepsAnswer: keepsAnswer,
                context: context)
        }
    }

    /// Tries the plan's candidates in order while nothing has reached the client, and relays the
    /// first answer that is not a failure a fallback may take (or the last one's, whatever it is).
    private func forward(
        _ body: ByteBuffer, request: Request, plan: TurnPlan, ticket: TurnTicket, watch: ConnectionWatch,
        keepsAnswer: Bool, context: GatewayRequestContext
    ) async -> Response {
        var fallback: TurnStatus?
        var failure: UpstreamFailure?
        for (index, candidate) in plan.candidates.enumerated() {
            let route = candidate.route
            let sent: ByteBuffer
            switch route.body {
            case .splice(let edits): sent = body.splicing(edits)
            }
            do {
                ticket.noteCalling()
                let response = try await upstreams.send(
                    sent, along: route, headers: ForwardedHeaders.toUpstream(request.headers, credentials: route.credentials),
                    logger: context.logger)
                let code = Int(response.status.code)
                if index < plan.candidates.count - 1 && UpstreamFailure.allowsFallback(httpStatus: code) {
                    // Dropping the response closes it; the next model gets the turn.
                    fallback = TurnStatus.answered(httpStatus: code)
                    context.logger.info(
                        "Falling back", metadata: ["upstream.name": "\(route.upstream)", "upstream.status": "\(code)"])
                    continue
                }
                return await relay(
                    response, from: candidate, fallback: fallback, plan: plan, ticket: ticket, watch: watch,
                    keepsAnswer: keepsAnswer)
            } catch {
                if watch.isClosed || Task.isCancelled {
                    await ticket.finish(ticket.outcome(.clientCancelled, httpStatus: 499, model: candidate.priced))
                    return Response(status: .init(code: 499))
                }
                let reason = UpstreamFailure(error, route: route)
                (failure, fallback) = (reason, reason.status)
                context.logger.info(
                    "Upstream failed before the first byte",
                    metadata: ["upstream.name": "\(route.upstream)", "upstream.error": "\(reason.status.rawValue)"])
            }
        }
        // Every candidate failed before answering; the last failure is what the client hears.
        guard let failure, let last = plan.candidates.last else {
            let error = ClientError(.noRoute, "Sluice has no upstream for this request.")
            return await refuse(error, status: .invalidRequest, ticket: ticket)
        }
        await ticket.finish(ticket.outcome(failure.status, httpStatus: failure.error.status, model: last.priced))
        var reply = errorResponse(failure.error, dialect: plan.features.dialect)
        decorate(&reply.headers, plan: plan, answered: last.model, fallback: nil)
        return reply
    }

    /// Relays an answer: streamed events as they arrive, anything else whole.
    private func relay(
        _ response: HTTPClientResponse, from candidate: PlannedCandidate, fallback: TurnStatus?, plan: TurnPlan,
        ticket: TurnTicket, watch: ConnectionWatch, keepsAnswer: Bool
    ) async -> Response {
        ticket.noteFirstByte()
        var headers = ForwardedHeaders.toClient(response.headers)
        decorate(&headers, plan: plan, answered: candidate.model, fallback: fallback)
        let status = HTTPResponse.Status(code: Int(response.status.code))
        if plan.features.stream && (200..<300).contains(status.code) && !ForwardedHeaders.isJSON(response.headers) {
            ticket.relaying(candidate.priced, httpStatus: status.code, fallback: fallback?.rawValue)
            let relay = StreamRelay(
                response: response, candidate: candidate, fallback: fallback, ticket: ticket, keepsAnswer: keepsAnswer)
            return Response(status: status, headers: headers, body: relay.body(watching: watch))
        }
        return await relayWhole(
            response, status: status, headers: headers, candidate: candidate, fallback: fallback, ticket: ticket,
            watch: watch, keepsAnswer: keepsAnswer)
    }

    /// Relays a whole (non-streamed or error) answer and reads its usage.
    private func relayWhole(
        _ response: HTTPClientResponse, status: HTTPResponse.Status, headers: HTTPFields, candidate: PlannedCandidate,
        fallback: TurnStatus?, ticket: TurnTicket, watch: ConnectionWatch, keepsAnswer: Bool
    ) async -> Response {
        let model = candidate.priced
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: configuration.maxResponseBytes)
        } catch {
            if watch.isClosed || Task.isCancelled {
                await ticket.finish(ticket.outcome(.clientCancelled, httpStatus: 499, model: model, complete: false))
                return Response(status: .init(code: 499))
            }
            let failure = ClientError(
                .upstreamUnreachable, "The upstream \"\(candidate.route.upstream)\" failed while sending its answer.")
            await ticket.finish(
                ticket.outcome(
                    .upstreamUnreachable, httpStatus: failure.status, model: model, complete: false,
                    fallback: fallback?.rawValue))
            var reply = errorResponse(failure, dialect: ticket.dialect)
            reply.headers.append(contentsOf: headers.filter { $0.name.canonicalName.hasPrefix("x-sluice-") })
            return reply
        }
        let turnStatus = TurnStatus.answered(httpStatus: status.code)
        var usage: Usage?
        if turnStatus == .ok {
            let dialect = candidate.route.dialect
            usage = body.withUnsafeReadableBytes { raw in
                (try? JSONDocument(bytes: raw)).flatMap { UsageReader.response($0.root, dialect: dialect) }
            }
            if keepsAnswer {
                ticket.noteAnswer(ShadowHandoff.Answer(bytes: body, dialect: dialect, streamed: false))
            }
        }
        await ticket.finish(
            ticket.outcome(
                turnStatus, httpStatus: status.code, model: model, usage: usage, outputEstimate: body.readableBytes / 4,
                fallback: fallback?.rawValue, responseBytes: body.readableBytes))
        var headers = headers
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
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

    // MARK: - Answers

    /// Tells the client what happened: the session, the model that really answered, the rule
    /// that chose it, and the failure a fallback stepped in for.
    private func decorate(_ headers: inout HTTPFields, plan: TurnPlan, answered: ModelSpec?, fallback: TurnStatus?) {
        headers[HTTPField.Name("x-sluice-session")!] = plan.session.key
        headers[HTTPField.Name("x-sluice-model")!] = answered?.name ?? plan.decision.model
        headers[HTTPField.Name("x-sluice-rule")!] = plan.decision.rule
        if let arm = plan.arm { Self.tell(arm, in: &headers) }
        if let fallback { headers[HTTPField.Name("x-sluice-fallback")!] = fallback.rawValue }
        if let note = TurnGuard.written(plan.guards) { headers[HTTPField.Name("x-sluice-guard")!] = note }
    }

    /// The experiment and arm the turn's session is in.
    private static func tell(_ arm: PlannedArm, in headers: inout HTTPFields) {
        headers[HTTPField.Name("x-sluice-experiment")!] = arm.assignment.experiment
        headers[HTTPField.Name("x-sluice-arm")!] = arm.assignment.arm
    }

    private func refuse(_ error: ClientError, status: TurnStatus, ticket: TurnTicket, plan: TurnPlan? = nil) async
        -> Response
    {
        await ticket.finish(ticket.outcome(status, httpStatus: error.status))
        var response = errorResponse(error, dialect: ticket.dialect)
        response.headers[HTTPField.Name("x-sluice-session")!] = ticket.session
        if let arm = plan?.arm { Self.tell(arm, in: &response.headers) }
        if let note = plan.flatMap({ TurnGuard.written($0.guards) }) {
            response.headers[HTTPField.Name("x-sluice-guard")!] = note
        }
        if error.kind == .budgetExceeded {
            // The official SDKs read this before their own retry rules.
            response.headers[HTTPField.Name("x-should-retry")!] = "false"
        }
        return response
    }

    /// Answers the turn with Sluice's own assistant reply (the loop breaker's stop), streamed if
    /// the client asked for a stream, and records it as refused by its guard.
    private func answerItself(_ text: String, plan: TurnPlan, ticket: TurnTicket) async -> Response {
        let answer = SyntheticAnswer(
            text: text, model: plan.features.requestedModel, id: ticket.id.replacingOccurrences(of: "-", with: ""))
        let createdAt = ticket.startedAtMilliseconds / 1_000
        let dialect = plan.features.dialect
        let stream = plan.features.stream
        let body = ByteBuffer(string: stream ? answer.stream(for: dialect, createdAt: createdAt) : answer.body(for: dialect, createdAt: createdAt))
        await ticket.finish(ticket.outcome(.refused, httpStatus: 200, responseBytes: body.readableBytes))
        var headers: HTTPFields = [
            .contentType: stream ? "text/event-stream" : "application/json", .contentLength: String(body.readableBytes),
        ]
        decorate(&headers, plan: plan, answered: nil, fallback: nil)
        headers[HTTPField.Name("x-sluice-model")!] = nil
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
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
