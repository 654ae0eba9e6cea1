import AsyncHTTPClient
import Foundation
package import Logging
import NIOCore
import NIOHTTP1
import SluiceLedger
import SluiceRouting
import SluiceWire

/// Tells people a budget's alert threshold was crossed: a log line always, and a JSON POST to
/// the policy's webhook when it names one (in the background: a slow hook never delays a turn,
/// and a failed one is logged, not retried).
package struct AlertSender: Sendable {
    let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    func send(_ alerts: [BudgetAlert], webhook: String?) {
        for alert in alerts {
            logger.warning(
                "Budget alert",
                metadata: [
                    "sluice.cap": "\(alert.cap.name)", "sluice.session": "\(alert.session)",
                    "sluice.spent": "\(alert.spent.decimalString)", "sluice.limit": "\(alert.limit.decimalString)",
                    "sluice.percent": "\(alert.percent)",
                ])
            guard let webhook else { continue }
            let body = Self.body(of: alert)
            let logger = logger
            Task {
                var request = HTTPClientRequest(url: webhook)
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
                do {
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                    if !(200..<300).contains(response.status.code) {
                        logger.warning("Budget webhook refused the alert", metadata: ["http.status": "\(response.status.code)"])
                    }
                    _ = try? await response.body.collect(upTo: 64 * 1024)
                } catch {
                    logger.warning("Budget webhook failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// The webhook's JSON: which cap, whose spend, how far along.
    static func body(of alert: BudgetAlert) -> String {
        func q(_ text: String?) -> String { text.map(JSONStringDecoder.quoted) ?? "null" }
        return "{" + [
            #""type":"budget_alert""#,
            #""cap":\#(q(alert.cap.name))"#,
            #""scope":\#(q(alert.cap.scope.rawValue))"#,
            #""period":\#(q(alert.cap.period.rawValue))"#,
            #""key":\#(q(alert.key))"#,
            #""session":\#(q(alert.session))"#,
            #""user":\#(q(alert.user))"#,
            #""tag":\#(q(alert.tag))"#,
            #""spent":\#(alert.spent.decimalString)"#,
            #""limit":\#(alert.limit.decimalString)"#,
            #""percent":\#(alert.percent)"#,
            #""at":\#(q(UTCDateTime(unixMilliseconds: alert.atMilliseconds).iso8601))"#,
        ].joined(separator: ",") + "}"
    }
}
