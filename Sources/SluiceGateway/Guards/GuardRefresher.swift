import Logging
import ServiceLifecycle
import SluiceLedger

/// Keeps the guards' figures current from the ledger.
///
/// Every 10 minutes it recomputes the p90 session cost that `p90x3` caps and the anomaly flag
/// multiply, from the ledger's sessions of the last 30 days. On a ledger several gateways share
/// (`spendInterval` set), it also takes in, every few seconds, the spend the other gateways
/// wrote, so a cap counts every gateway's turns (``GuardBook/reconcile(_:at:)``).
struct GuardRefresher: Service {
    let guards: GuardBook
    let store: any LedgerStore
    let clock: @Sendable () -> Int64
    let logger: Logger
    var interval: Duration = .seconds(600)
    /// How often to read the shared ledger's spend; `nil` for a ledger this gateway alone writes.
    var spendInterval: Duration?

    func run() async throws {
        let tick = spendInterval.map { min($0, interval) } ?? interval
        var sincePercentiles = Duration.zero
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) }
            } catch {
                return
            }
            sincePercentiles += tick
            if sincePercentiles >= interval {
                sincePercentiles = .zero
                await refresh()
            }
            if spendInterval != nil { await reconcileSpend() }
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

    /// Takes in the spend every gateway sharing the ledger wrote; a failed read changes nothing.
    func reconcileSpend() async {
        let now = clock()
        do {
            guards.reconcile(try await store.spend(since: GuardBook.seedStart(at: now)), at: now)
        } catch {
            logger.debug("Shared spend not read from the ledger", metadata: ["ledger.error": "\(error)"])
        }
    }
}
