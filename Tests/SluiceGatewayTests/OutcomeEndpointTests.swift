import Foundation
import NIOHTTP1
import SluiceLedger
import SluiceStore
import Testing

/// `POST /v1/sessions/{key}/outcome` through the real server: what it stores, and every way a
/// report can be wrong.
@Suite struct OutcomeEndpointTests {
    @Test func storesOutcomesAndRefusesBadOnesInOpenAIsShape() async throws {
        try await GatewayHarness.run { harness in
            // A session Sluice has seen.
            _ = try await harness.post(
                "/v1/messages", body: GoldenInvoiceTests.main(GoldenInvoiceTests.ask),
                headers: [("x-sluice-session", "known one")])
            let stored = try await harness.post(
                "/v1/sessions/known%20one/outcome", body: #"{"outcome":"success","score":1,"note":"tests \"pass\""}"#)
            #expect(stored.status == 201, "\(stored.body)")
            #expect(stored.body.contains(#""session":"known one""#))
            #expect(stored.body.contains(#""session_known":true"#))
            let zero = try await harness.post("/v1/sessions/never-seen/outcome", body: #"{"success":false,"score":0}"#)
            #expect(zero.status == 201, "\(zero.body)")
            #expect(zero.body.contains(#""outcome":"failure""#) && zero.body.contains(#""session_known":false"#))

            let bad: [(body: String, says: String)] = [
                ("not json", "JSON object"),
                (#"{"outcome":"maybe"}"#, "success"),
                (#"{"score":0.5}"#, "outcome"),
                (#"{"outcome":"success","score":-0.1}"#, "score"),
                (#"{"outcome":"success","score":"high"}"#, "score"),
                (#"{"outcome":"success","note":5}"#, "note"),
                (#"{"outcome":"success","note":"\#(String(repeating: "x", count: 2_001))"}"#, "2000"),
            ]
            for (body, says) in bad {
                let reply = try await harness.post("/v1/sessions/known%20one/outcome", body: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.body.contains(#""error":{"message":"#) && reply.body.contains(says), "\(reply.body)")
            }
            let huge = try await harness.post(
                "/v1/sessions/known%20one/outcome", body: #"{"outcome":"success","note":""# + String(repeating: "y", count: 70_000) + #""}"#)
            #expect(huge.status == 413, "\(huge.body)")

            // Only the two good reports were stored, exactly as sent.
            let outcomes = try await harness.ledger.store.outcomes()
            #expect(outcomes.count == 2)
            #expect(outcomes.first { $0.session == "known one" }?.score == 1)
            #expect(outcomes.first { $0.session == "known one" }?.note == #"tests "pass""#)
            #expect(outcomes.first { $0.session == "never-seen" }?.score == 0)
        }
    }
}
