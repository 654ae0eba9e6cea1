import Logging
import ServiceLifecycle
import SluiceLedger

/// Recomputes, every few minutes, the p90 session cost that `p90x3` caps and the anomaly flag
/// multiply, from the ledger's sessions of the last 30 days.
struct GuardRefresher: Service {
    let guards: GuardBook
    let store: any LedgerStore
    let clock: @Sendable () -> Int64
    let logger: Logger
    var interval: Duration = .seconds(600)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            await refresh()
        }
    }

    /// Reads the last 30 days' spend and replaces the figures; a failed read keeps the old ones.
    func refresh() async {
        do {
            let rows = try await store.spend(since: clock() - 30 * UTCDateTime.millisecondsPerDay)
            guards.update(SessionPercentiles(rows: rows))
        } catch {
            logger.warning("Session percentiles not read from the ledger", metadata: ["ledger.error": "\(error)"])
        }
    }
}
