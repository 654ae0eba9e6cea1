import Foundation
import HTTPTypes
import Logging
import Hummingbird
import NIOCore
import SluiceLedger
import SluiceRouting
import SluiceStore
import SluiceWire

/// `POST /v1/sessions/{key}/outcome`: a user's or a harness's verdict on a session.
///
/// Written straight to the ledger store, not through the batching writer: outcomes are rare, and
/// the caller should hear whether its report was stored. The answer is JSON in OpenAI's error
/// shape on failure (the endpoint is Sluice's own, not a provider's). An outcome for a session
/// Sluice has not seen is kept (a harness may report before the ledger has written the last
/// turn) and the answer says `"session_known": false`, so a mistyped key shows at once.
struct OutcomeHandler: Sendable {
    let store: any LedgerStore
    let sessions: any SessionStateStore
    let clock: @Sendable () -> Int64
    let admin: AdminAccess
    /// The largest outcome body read; a note is at most 2,000 characters.
    static let maxBodyBytes = 64 * 1024

    func handle(_ request: Request, context: GatewayRequestContext) async -> Response {
        guard admin.allows(request, context: context) else {
            let message =
                admin.token == nil
                ? "Outcomes are accepted only from this machine; set SLUICE_ADMIN_TOKEN where Sluice runs to accept them from elsewhere with the token."
                : "Posting an outcome needs the admin token: send Authorization: Bearer <SLUICE_ADMIN_TOKEN> (or x-sluice-admin-token)."
            return errorResponse(ClientError(.forbidden, message), dialect: .openAIChat)
        }
        // Session keys may hold any character (`prompt_cache_key` values do): the path carries
        // them percent-encoded.
        let raw = context.parameters.get("key") ?? ""
        let session = raw.removingPercentEncoding ?? raw
        let tooLarge = errorResponse(
            ClientError(.requestTooLarge, "An outcome body is at most \(Self.maxBodyBytes / 1024) KB."),
            dialect: .openAIChat)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > Self.maxBodyBytes {
            return tooLarge
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return tooLarge
        } catch is NIOTooManyBytesError {
            return tooLarge
        } catch {
            return errorResponse(
                ClientError(.invalidRequest, "The outcome body could not be read: the client closed it early."),
                dialect: .openAIChat)
        }
        let outcome: SessionOutcome
        do throws(ClientError) {
            outcome = try body.withUnsafeReadableBytes { raw throws(ClientError) in
                try SessionOutcome(
                    requestBody: raw, session: session, id: UUID().uuidString.lowercased(), at: clock())
            }
        } catch {
            return errorResponse(error, dialect: .openAIChat)
        }
        do {
            try await store.record(outcome)
        } catch {
            context.logger.error("Outcome not stored", metadata: ["ledger.error": "\(error)"])
            var response = errorResponse(
                ClientError(.internalError, "The ledger could not store the outcome; send it again."),
                dialect: .openAIChat)
            response.status = .serviceUnavailable
            return response
        }
        let known = await isKnown(session)
        let json = ByteBuffer(string: String(outcome.json.dropLast()) + ",\"session_known\":\(known)}")
        return Response(
            status: .created, headers: [.contentType: "application/json", .contentLength: String(json.readableBytes)],
            body: ResponseBody(byteBuffer: json))
    }

    /// Whether Sluice has seen the session: in memory, or in the ledger.
    private func isKnown(_ session: String) async -> Bool {
        if await sessions.state(of: session) != nil { return true }
        return (try? await store.turns(inSession: session).isEmpty == false) ?? false
    }
}
