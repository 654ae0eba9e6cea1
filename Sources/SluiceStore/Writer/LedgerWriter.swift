package import CoreMetrics
package import Logging
import ServiceLifecycle
package import SluiceLedger
import Synchronization

/// Writes turn records to the ledger off the request path, in batches, and never loses one.
///
/// The gateway calls ``record(_:)`` after the last byte of a response; it only appends to an
/// in-memory queue and returns, so a slow or broken store never delays a client (DESIGN §9).
/// ``run()`` takes the queue in batches of up to `maxBatchSize` and appends them to the store:
///
/// - When an append fails, the records are kept, one error is logged (no record contents), and
///   the append is retried with capped exponential backoff.
/// - When the store keeps failing for longer than `spoolGrace`, records go to a spool file of
///   JSON lines, synced to disk. On start, and after each successful append, the writer writes
///   spooled records to the store and removes the file. While records are spooled it also
///   retries every `spoolRetryInterval` without waiting for new turns.
/// - A record the store refuses for good (``LedgerStoreError`` `rejectedRecord`) is set aside
///   in `<spool>.rejected` with an error log, so it cannot block the records behind it.
/// - On graceful shutdown it drains the queue (to the store, or to the spool at the first
///   failure) before ``run()`` returns. Records that still arrive afterwards are spooled
///   directly.
///
/// Delivery is at least once, which is why ``LedgerStore/append(_:)`` must ignore known ids.
///
/// ```swift
/// let writer = LedgerWriter(store: store, spoolPath: ledgerPath + ".spool.jsonl", logger: logger)
/// let group = ServiceGroup(services: [writer, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// // in a handler:
/// writer.record(turn)
/// ```
package final class LedgerWriter: Service {
    private enum Phase {
        /// Taking records and writing them.
        case running
        /// Graceful shutdown (or cancellation) began: drain, and spool at the first failure.
        case stopping
        /// `run()` has returned; `record(_:)` spools directly.
        case stopped
    }

    private struct State {
        var queue: [TurnRecord] = []
        /// Records ever passed to `record(_:)`.
        var enqueued = 0
        /// Records stored, spooled or set aside, in queue order.
        var completed = 0
        var flushWaiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var phase = Phase.running
    }

    /// What the writer's loop knows about the store; only the loop touches it.
    private struct StoreHealth {
        var failingSince: ContinuousClock.Instant?
        /// During a long outage, the store is tried again only from this instant on.
        var nextAttemptAt: ContinuousClock.Instant?
        var loggedSpooling = false
        var loggedSpoolFailure = false
    }

    /// The store the writer drains into; explicit outcomes are written to it directly (rare, and
    /// the caller waits for the answer).
    package let store: any LedgerStore
    private let spool: LedgerSpool
    private let configuration: Configuration
    private let logger: Logger
    private let state = Mutex(State())
    /// `sluice_ledger_write_failures_total`: store appends that failed (each retry counts).
    private let failures: Counter
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// Creates a writer; nothing is written until ``run()`` runs (put the writer in the
    /// `ServiceGroup` before the server, so it stops after the server).
    ///
    /// - Parameters:
    ///   - store: Where records go.
    ///   - spoolPath: The spool file for when the store is down, such as `<ledger>.spool.jsonl`;
    ///     `<spoolPath>.ingesting` and `<spoolPath>.rejected` are used beside it.
    ///   - configuration: Batch size, retry and spool timings.
    ///   - logger: Receives store failures (never record contents).
    ///   - metrics: Where failed appends are counted.
    package init(
        store: any LedgerStore, spoolPath: String, configuration: Configuration = .init(), logger: Logger,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.store = store
        failures = Counter(label: "sluice_ledger_write_failures_total", factory: metrics)
        self.spool = LedgerSpool(path: spoolPath)
        self.configuration = configuration
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a record for the ledger; never blocks on the store and never drops the record.
    ///
    /// Safe to call from any task. The queue is unbounded by design: memory is the price of
    /// never losing a record while the store recovers (after `spoolGrace`, records move to
    /// disk). After ``run()`` has returned, the record is appended to the spool file directly.
    package func record(_ record: TurnRecord) {
        let queued = state.withLock { state -> Bool in
            state.enqueued += 1
            guard state.phase == .stopped else {
                state.queue.append(record)
                return true
            }
            do {
                try spool.append([record])
            } catch {
                logger.critical(
                    "Ledger record lost: writer stopped and spool unwritable",
                    metadata: ["ledger.record.id": "\(record.id)", "ledger.error": "\(error)"])
            }
            state.completed += 1
            return false
        }
        if queued { wake.yield(()) }
    }

    /// Records handed to the writer and not yet stored, spooled or set aside: what a scrape of
    /// `sluice_ledger_queue_depth` reads. It grows while the store is slow or down.
    package var queueDepth: Int {
        state.withLock { $0.enqueued - $0.completed }
    }

    /// Bytes waiting in the spool files (new and being ingested): what a scrape of
    /// `sluice_ledger_spool_bytes` reads. Above zero, the store was unavailable and records wait
    /// on disk to be written.
    package var spoolBytes: Int {
        spool.bytesWaiting
    }

    /// Returns once every record passed to ``record(_:)`` before this call is stored, spooled or
    /// set aside.
    ///
    /// For tests and short-lived commands. Waits indefinitely if ``run()`` is not running.
    package func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                guard state.completed < state.enqueued else { return true }
                state.flushWaiters.append((state.enqueued, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Records queued in memory and not yet taken by the writer's loop (for metrics).
    package var backlog: Int {
        state.withLock { $0.queue.count }
    }

    /// Ingests any spool left from before, then writes queued records until graceful shutdown
    /// or cancellation, then drains the queue and returns.
    ///
    /// - Warning: Run it once; a writer cannot be restarted.
    package func run() async throws {
        var health = StoreHealth()
        await ingestSpool(&health)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [wake, interval = configuration.spoolRetryInterval] in
                // Retries spooled or stalled records even when no new turn arrives.
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    wake.yield(())
                }
            }
            await withGracefulShutdownHandler {
                for await _ in wakeups {
                    await drain(&health)
                }
            } onGracefulShutdown: {
                self.beginStopping()
            }
            group.cancelAll()
        }
        beginStopping()
        await finish(&health)
    }

    // MARK: - The loop

    private func beginStopping() {
        state.withLock { state in
            if state.phase == .running { state.phase = .stopping }
        }
        wake.finish()
    }

    private var isStopping: Bool {
        state.withLock { $0.phase != .running }
    }

    /// Writes everything queued; records neither store nor disk take go back to the queue.
    private func drain(_ health: inout StoreHealth) async {
        while let records = takeQueue() {
            var remaining = records[...]
            while !remaining.isEmpty {
                let batch = Array(remaining.prefix(configuration.maxBatchSize))
                guard await write(batch, &health) else {
                    requeue(Array(remaining))
                    return
                }
                remaining = remaining.dropFirst(batch.count)
                complete(batch.count)
            }
        }
        // Spooled records follow once the store takes writes (or a long outage is due for a retry).
        let mayTryStore = health.nextAttemptAt.map { ContinuousClock.now >= $0 } ?? true
        if mayTryStore, spool.hasPendingRecords {
            await ingestSpool(&health)
        }
    }

    /// Drains the queue after the loop ended, then marks the writer stopped.
    private func finish(_ health: inout StoreHealth) async {
        while let records = takeQueue(stoppingWhenEmpty: true) {
            for start in stride(from: 0, to: records.count, by: configuration.maxBatchSize) {
                let batch = Array(records[start..<min(start + configuration.maxBatchSize, records.count)])
                if await !write(batch, &health) {
                    logger.critical(
                        "Ledger records lost at shutdown: store and spool both failed",
                        metadata: ["ledger.records.count": "\(batch.count)", "ledger.spool.path": "\(spool.path)"])
                }
                complete(batch.count)
            }
        }
    }

    /// Stores, spools or sets aside one batch. Returns `false` only if the store failed and the
    /// spool could not be written either (the caller keeps the records).
    private func write(_ batch: [TurnRecord], _ health: inout StoreHealth) async -> Bool {
        var pending = batch
        var delay = configuration.initialRetryDelay
        while !pending.isEmpty {
            if let nextAttemptAt = health.nextAttemptAt, ContinuousClock.now < nextAttemptAt {
                // A long outage: do not wait on a store known to be down.
                return spoolOrKeep(pending, &health)
            }
            let failure: any Error
            do {
                try await store.append(pending)
                markHealthy(&health)
                return true
            } catch {
                failure = error
            }
            if let index = rejectedIndex(failure, in: pending) {
                setAside(pending.remove(at: index), failure)
                continue
            }
            markFailing(failure, count: pending.count, &health)
            let outage = health.failingSince.map { $0.duration(to: .now) } ?? .zero
            if isStopping || Task.isCancelled || outage >= configuration.spoolGrace {
                return spoolOrKeep(pending, &health)
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                return spoolOrKeep(pending, &health)
            }
            delay = min(delay * 2, configuration.maxRetryDelay)
        }
        return true
    }

    /// Writes spooled records to the store, oldest file first; stops at the first store failure
    /// and leaves the file for a later attempt.
    private func ingestSpool(_ health: inout StoreHealth) async {
        while true {
            let claim: LedgerSpool.Claim
            do {
                guard let found = try spool.claim() else { return }
                claim = found
            } catch {
                logger.error(
                    "Cannot read the ledger spool",
                    metadata: ["ledger.spool.path": "\(spool.path)", "ledger.error": "\(error)"])
                return
            }
            if claim.unreadableLines > 0 {
                logger.error(
                    "Ledger spool had unreadable lines; set aside",
                    metadata: [
                        "ledger.lines.count": "\(claim.unreadableLines)",
                        "ledger.rejected.path": "\(spool.rejectedPath)",
                    ])
            }
            for start in stride(from: 0, to: claim.records.count, by: configuration.maxBatchSize) {
                var pending = Array(claim.records[start..<min(start + configuration.maxBatchSize, claim.records.count)])
                while !pending.isEmpty {
                    do {
                        try await store.append(pending)
                        markHealthy(&health)
                        pending = []
                    } catch {
                        if let index = rejectedIndex(error, in: pending) {
                            setAside(pending.remove(at: index), error)
                            continue
                        }
                        markFailing(error, count: pending.count, &health)
                        health.nextAttemptAt = .now + configuration.spoolRetryInterval
                        return
                    }
                }
            }
            do {
                try spool.finishClaim()
            } catch {
                logger.error(
                    "Cannot remove the ingested ledger spool",
                    metadata: ["ledger.spool.path": "\(spool.claimedPath)", "ledger.error": "\(error)"])
                return
            }
            logger.info("Ingested spooled ledger records", metadata: ["ledger.records.count": "\(claim.records.count)"])
        }
    }

    // MARK: - Helpers

    private func spoolOrKeep(_ records: [TurnRecord], _ health: inout StoreHealth) -> Bool {
        health.nextAttemptAt = .now + configuration.spoolRetryInterval
        do {
            try spool.append(records)
        } catch {
            if !health.loggedSpoolFailure {
                health.loggedSpoolFailure = true
                logger.critical(
                    "Cannot spool ledger records; keeping them in memory",
                    metadata: [
                        "ledger.records.count": "\(records.count)", "ledger.spool.path": "\(spool.path)",
                        "ledger.error": "\(error)",
                    ])
            }
            return false
        }
        if !health.loggedSpooling {
            health.loggedSpooling = true
            logger.error(
                "Ledger store unavailable; spooling records to disk",
                metadata: ["ledger.spool.path": "\(spool.path)", "ledger.records.count": "\(records.count)"])
        }
        return true
    }

    private func markFailing(_ error: any Error, count: Int, _ health: inout StoreHealth) {
        failures.increment()
        guard health.failingSince == nil else { return }
        health.failingSince = .now
        logger.error(
            "Ledger store append failed; retrying",
            metadata: ["ledger.batch.count": "\(count)", "ledger.error": "\(error)"])
    }

    private func markHealthy(_ health: inout StoreHealth) {
        guard let since = health.failingSince else { return }
        logger.info("Ledger store recovered", metadata: ["ledger.outage": "\(since.duration(to: .now))"])
        health = StoreHealth()
    }

    /// The position of the record the store refused for good, if that is what `error` says.
    private func rejectedIndex(_ error: any Error, in records: [TurnRecord]) -> Int? {
        guard let error = error as? LedgerStoreError, error.code == .rejectedRecord, let id = error.recordID else {
            return nil
        }
        return records.firstIndex { $0.id == id }
    }

    private func setAside(_ record: TurnRecord, _ error: any Error) {
        do {
            try spool.reject(record)
            logger.error(
                "Ledger store refused a record; set aside",
                metadata: [
                    "ledger.record.id": "\(record.id)", "ledger.error": "\(error)",
                    "ledger.rejected.path": "\(spool.rejectedPath)",
                ])
        } catch let writeError {
            logger.critical(
                "Ledger record lost: store refused it and it could not be set aside",
                metadata: ["ledger.record.id": "\(record.id)", "ledger.error": "\(writeError)"])
        }
    }

    private func takeQueue(stoppingWhenEmpty: Bool = false) -> [TurnRecord]? {
        state.withLock { state -> [TurnRecord]? in
            guard !state.queue.isEmpty else {
                if stoppingWhenEmpty { state.phase = .stopped }
                return nil
            }
            defer { state.queue = [] }
            return state.queue
        }
    }

    private func requeue(_ records: [TurnRecord]) {
        state.withLock { $0.queue.insert(contentsOf: records, at: 0) }
    }

    private func complete(_ count: Int) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.completed += count
            let completed = state.completed
            let ready = state.flushWaiters.filter { $0.target <= completed }.map(\.continuation)
            state.flushWaiters.removeAll { $0.target <= completed }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }
}
