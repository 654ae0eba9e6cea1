import Foundation
import HTTPTypes
import Logging
import Hummingbird
import NIOCore
import SluiceLedger
import SluiceStore
import SluiceWire

/// `POST /v1/sessions/{key}/outcome`: a user's or a harness's verdict on a session.
///
/// Written straight to the ledger store, not through the batching writer: outcomes are rare, and
/// the caller should hear whether its report was stored. The answer is JSON in OpenAI's error
/// shape on failure (the endpoint is Sluice's own, not a provider's).
struct OutcomeHandler: Sendable {
    let store: any LedgerStore
    let clock: @Sendable () -> Int64
    /// The largest outcome body read; a note is at most 2,000 characters.
    static let maxBodyBytes = 64 * 1024

    func handle(_ request: Request, context: GatewayRequestContext) async -> Response {
        let session = context.parameters.get("key") ?? ""
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch {
            return errorResponse(
                ClientError(.requestTooLarge, "An outcome body is at most \(Self.maxBodyBytes / 1024) KB."),
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
        let json = ByteBuffer(string: outcome.json)
        return Response(
            status: .created, headers: [.contentType: "application/json", .contentLength: String(json.readableBytes)],
            body: ResponseBody(byteBuffer: json))
    }
}
