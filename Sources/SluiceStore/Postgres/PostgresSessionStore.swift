import Foundation
import Logging
import PostgresNIO
package import SluiceRouting
import Synchronization

/// Session states in PostgreSQL, shared by every gateway on the ledger's database: the store for
/// several gateways behind one load balancer, where a session's turns may reach any of them.
///
/// States live in the `session_state` table (``PostgresLedgerStore/migrations``) as
/// `SessionState`'s JSON. ``update(_:_:)`` is atomic across processes: one transaction inserts
/// the key's row if missing and locks it (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, in
/// one round trip), `change` runs on the state it read, and the new state is written back before
/// the commit; a second gateway updating the same key waits for the lock, then reads the first
/// one's state. `change` runs exactly once per update, on the caller's task.
///
/// The port cannot fail, and a turn must not wait on a sick database, so every database step has
/// a short deadline (``Configuration/timeout``). When the database does not answer in time, or
/// fails, the store keeps states in this gateway's memory (an ``InMemorySessionStore``, which
/// also holds a copy of every state written or read while the database answered), logs one
/// warning for the outage, and tries the database again at most once per
/// ``Configuration/retryInterval``. A key changed only in memory during an outage takes, at its
/// next update with the database back, whichever of the two states saw the later turn.
///
/// Database work runs in a task of its own, which the caller stops waiting for at the deadline
/// (postgres-nio cannot cancel a query in flight, so a caller that waited for it to end would be
/// stalled by a connection that died silently); that task never runs `change`, and a
/// transaction whose caller gave up is rolled back. Every 1,000th update (by default) also
/// deletes, in the background, the states no gateway updated for 24 hours.
///
/// Made by ``PostgresLedgerStore/sessionStore(configuration:)``, on the ledger store's
/// connections; after that store is closed, states stay in memory.
package final class PostgresSessionStore: SessionStateStore {
    /// How long the store waits for the database, and how it keeps the table small.
    package struct Configuration: Sendable {
        /// The longest wait for one step of a read or update (a connection, the locked row, the
        /// commit) before the store answers from memory.
        package var timeout: Duration
        /// How long after a failure the store answers from memory without trying the database.
        package var retryInterval: Duration
        /// States not updated for this long are deleted.
        package var retention: Duration
        /// Old states are deleted after every this many updates.
        package var sweepInterval: Int
        /// The most sessions the memory keeps (see ``InMemorySessionStore``).
        package var memoryCapacity: Int

        /// Sets the knobs; every one has a default. Tests shorten the durations.
        ///
        /// - Precondition: `sweepInterval >= 1`.
        package init(
            timeout: Duration = .seconds(1),
            retryInterval: Duration = .seconds(5),
            retention: Duration = .seconds(24 * 60 * 60),
            sweepInterval: Int = 1_000,
            memoryCapacity: Int = 50_000
        ) {
            precondition(sweepInterval >= 1, "sweepInterval must be at least 1")
            self.timeout = timeout
            self.retryInterval = retryInterval
            self.retention = retention
            self.sweepInterval = sweepInterval
            self.memoryCapacity = memoryCapacity
        }
    }

    /// Whether the database answers, and what changed only in memory while it did not.
    private struct Health {
        /// When the current outage began; `nil` while the database answers.
        var outageSince: ContinuousClock.Instant?
        /// Until then, operations go straight to memory.
        var retryAt: ContinuousClock.Instant?
        /// Keys whose state changed in memory only (bounded like the memory).
        var changedInMemory: Set<String> = []
        /// Updates so far, for the sweep of old states.
        var updates = 0
    }

    private let client: PostgresClient
    private let configuration: Configuration
    private let memory: InMemorySessionStore
    private let health = Mutex(Health())
    private let logger: Logger

    init(client: PostgresClient, configuration: Configuration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.memory = InMemorySessionStore(capacity: configuration.memoryCapacity)
        self.logger = logger
    }

    /// The state the database holds for `key`, or memory's when the database does not answer.
    package func state(of key: String) async -> SessionState? {
        guard shouldTryDatabase() else { return await memory.state(of: key) }
        let read = Handoff<String?>()
        let client = client
        let logger = logger
        Task {
            do {
                let rows = try await client.query(
                    "SELECT state FROM session_state WHERE key = \(key)", logger: logger
                ).collect()
                read.deliver(try rows.first?.makeRandomAccess()[0].decode(String?.self) ?? nil)
            } catch {
                read.fail(error)
            }
        }
        switch await read.wait(timeout: configuration.timeout) {
        case .value(let json):
            databaseAnswered()
            let stored = decode(json, key: key)
            if isChangedInMemory(key) {
                let remembered = await memory.state(of: key)
                return Self.later(stored, remembered)
            }
            if let stored { await keepInMemory(stored, under: key) }
            return stored
        case .failed(let error):
            databaseFailed(PostgresLedgerStore.explanation(of: error))
        case .timedOut:
            databaseFailed("no answer within \(configuration.timeout)")
        }
        return await memory.state(of: key)
    }

    /// Replaces the state under `key` with what `change` makes of it, in one transaction that
    /// holds the key's row; in memory when the database does not answer.
    package func update<Result: Sendable>(
        _ key: String, _ change: @Sendable (SessionState?) -> (SessionState, Result)
    ) async -> Result {
        let updates = health.withLock { health in
            health.updates += 1
            return health.updates
        }
        guard shouldTryDatabase() else { return await updateInMemory(key, change) }
        var inMemory: SessionState?
        if isChangedInMemory(key) { inMemory = await memory.state(of: key) }

        let read = Handoff<String?>()
        let decision = Handoff<String>()
        let committed = Handoff<Void>()
        let client = client
        let logger = logger
        let timeout = configuration.timeout
        Task {
            await Self.runUpdate(
                of: key, client: client, logger: logger, timeout: timeout, read: read, decision: decision,
                committed: committed)
        }

        let stored: SessionState?
        switch await read.wait(timeout: timeout) {
        case .value(let json):
            stored = decode(json, key: key)
        case .failed(let error):
            databaseFailed(PostgresLedgerStore.explanation(of: error))
            return await updateInMemory(key, change)
        case .timedOut:
            databaseFailed("no answer within \(timeout)")
            return await updateInMemory(key, change)
        }

        let (next, result) = change(Self.later(stored, inMemory))
        if let json = try? String(decoding: JSONEncoder().encode(next), as: UTF8.self) {
            decision.deliver(json)
            switch await committed.wait(timeout: timeout) {
            case .value:
                databaseAnswered()
                health.withLock { _ = $0.changedInMemory.remove(key) }
            case .failed(let error):
                databaseFailed(PostgresLedgerStore.explanation(of: error))
                markChangedInMemory(key)
            case .timedOut:
                // The commit may still happen; if it does, the next update finds the same turn in
                // both places and takes the database's.
                databaseFailed("no commit within \(timeout)")
                markChangedInMemory(key)
            }
        } else {
            decision.fail(UnencodableState())  // rolls the transaction back
            logger.error("Session state could not be encoded; kept in memory", metadata: ["session.key": "\(key)"])
            markChangedInMemory(key)
        }
        await keepInMemory(next, under: key)
        if updates.isMultiple(of: configuration.sweepInterval) { sweepOldStates() }
        return result
    }

    // MARK: - The database side

    /// One update's transaction: lock the row, hand its state over, wait for the new one, write
    /// it, commit. Any failure, or a caller that gave up, rolls it back.
    private static func runUpdate(
        of key: String, client: PostgresClient, logger: Logger, timeout: Duration, read: Handoff<String?>,
        decision: Handoff<String>, committed: Handoff<Void>
    ) async {
        do {
            try await client.withTransaction(logger: logger) { connection in
                // A gateway stuck while holding the row must not hold this connection forever.
                _ = try await connection.query(
                    "SELECT set_config('lock_timeout', \(Self.setting(timeout)), true)", logger: logger
                ).collect()
                let rows = try await connection.query(
                    """
                    INSERT INTO session_state (key, state, updated_at_ms)
                    VALUES (\(key), NULL, \(unescaped: PostgresLedgerStore.nowMillisecondsSQL))
                    ON CONFLICT (key) DO UPDATE SET updated_at_ms = EXCLUDED.updated_at_ms
                    RETURNING state
                    """,
                    logger: logger
                ).collect()
                let stored = try rows.first?.makeRandomAccess()[0].decode(String?.self) ?? nil
                guard read.deliver(stored) else { throw Abandoned() }
                guard case .value(let json) = await decision.wait(timeout: timeout) else { throw Abandoned() }
                try await connection.query(
                    """
                    UPDATE session_state
                    SET state = \(json), updated_at_ms = \(unescaped: PostgresLedgerStore.nowMillisecondsSQL)
                    WHERE key = \(key)
                    """,
                    logger: logger)
            }
            committed.deliver(())
        } catch {
            let cause = (error as? PostgresTransactionError).flatMap { $0.closureError ?? $0.commitError } ?? error
            read.fail(cause)
            committed.fail(cause)
        }
    }

    /// Deletes the states not updated within the retention, in the background.
    private func sweepOldStates() {
        let client = client
        let logger = logger
        let retention = Self.milliseconds(configuration.retention)
        Task {
            do {
                try await client.query(
                    """
                    DELETE FROM session_state
                    WHERE updated_at_ms < \(unescaped: PostgresLedgerStore.nowMillisecondsSQL) - \(retention)
                    """,
                    logger: logger)
            } catch {
                logger.debug(
                    "Old session states not deleted",
                    metadata: ["session_store.error": "\(PostgresLedgerStore.explanation(of: error))"])
            }
        }
    }

    // MARK: - Memory and health

    private func updateInMemory<Result: Sendable>(
        _ key: String, _ change: @Sendable (SessionState?) -> (SessionState, Result)
    ) async -> Result {
        markChangedInMemory(key)
        return await memory.update(key, change)
    }

    private func keepInMemory(_ state: SessionState, under key: String) async {
        await memory.update(key) { _ in (state, ()) }
    }

    private func isChangedInMemory(_ key: String) -> Bool {
        health.withLock { $0.changedInMemory.contains(key) }
    }

    private func markChangedInMemory(_ key: String) {
        let capacity = configuration.memoryCapacity
        health.withLock { health in
            if health.changedInMemory.count < capacity { health.changedInMemory.insert(key) }
        }
    }

    /// Whether to ask the database now: always while it answers; during an outage, once per
    /// retry interval (the first caller after it probes, the others use memory meanwhile).
    private func shouldTryDatabase() -> Bool {
        let now = ContinuousClock.now
        let retryInterval = configuration.retryInterval
        return health.withLock { health in
            guard let retryAt = health.retryAt else { return true }
            guard now >= retryAt else { return false }
            health.retryAt = now.advanced(by: retryInterval)
            return true
        }
    }

    private func databaseFailed(_ reason: String) {
        let now = ContinuousClock.now
        let retryInterval = configuration.retryInterval
        let outageBegins = health.withLock { health in
            health.retryAt = now.advanced(by: retryInterval)
            guard health.outageSince == nil else { return false }
            health.outageSince = now
            return true
        }
        if outageBegins {
            logger.warning(
                "Session store database unavailable; keeping session states in this gateway's memory",
                metadata: ["session_store.reason": "\(reason)"])
        }
    }

    private func databaseAnswered() {
        let now = ContinuousClock.now
        let outage = health.withLock { health -> Duration? in
            defer {
                health.outageSince = nil
                health.retryAt = nil
            }
            return health.outageSince.map { $0.duration(to: now) }
        }
        if let outage {
            logger.info("Session store database available again", metadata: ["session_store.outage": "\(outage)"])
        }
    }

    /// A stored state, or `nil` for none or one this version cannot read (which then starts over).
    private func decode(_ json: String?, key: String) -> SessionState? {
        guard let json else { return nil }
        guard let state = try? JSONDecoder().decode(SessionState.self, from: Data(json.utf8)) else {
            logger.debug("Stored session state unreadable; starting over", metadata: ["session.key": "\(key)"])
            return nil
        }
        return state
    }

    /// Of two states of one key, the one that saw the later turn (the database's on a tie).
    private static func later(_ stored: SessionState?, _ inMemory: SessionState?) -> SessionState? {
        guard let inMemory else { return stored }
        guard let stored else { return inMemory }
        return inMemory.lastTurnAtMilliseconds > stored.lastTurnAtMilliseconds ? inMemory : stored
    }

    /// A duration in whole milliseconds.
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    /// A duration as the text of a PostgreSQL time setting, such as `1000ms`.
    private static func setting(_ duration: Duration) -> String {
        "\(milliseconds(duration))ms"
    }

    /// The caller stopped waiting, or the new state never came: roll back.
    private struct Abandoned: Error {}

    private struct UnencodableState: Error {}
}

/// A value handed once from one task to another, which waits for it a bounded time.
///
/// Whoever comes first settles it: the value (or a failure), or the waiter's deadline. A value
/// delivered after the deadline is refused (``deliver(_:)`` returns `false`), so its sender
/// knows nobody will use it and can undo its work.
final class Handoff<Value: Sendable>: Sendable {
    /// What the waiter got.
    enum Outcome: Sendable {
        case value(Value)
        case failed(any Error)
        case timedOut
    }

    private enum State {
        case empty
        case waiting(CheckedContinuation<Outcome, Never>)
        case settled(Outcome)
        case taken
    }

    private let state = Mutex(State.empty)

    /// Hands `value` over; `false` when the waiter already gave up.
    @discardableResult
    func deliver(_ value: Value) -> Bool {
        settle(.value(value))
    }

    /// Tells the waiter the value will not come; ignored once settled.
    func fail(_ error: any Error) {
        settle(.failed(error))
    }

    /// The value, the failure, or `timedOut` after `timeout`. One waiter per handoff.
    func wait(timeout: Duration) async -> Outcome {
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self.settle(.timedOut)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let ready: Outcome? = state.withLock { state in
                switch state {
                case .empty:
                    state = .waiting(continuation)
                    return nil
                case .settled(let outcome):
                    state = .taken
                    return outcome
                case .waiting, .taken:
                    preconditionFailure("a handoff has one waiter")
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Settles the handoff unless it is settled already; `true` when `outcome` is what the
    /// waiter gets.
    @discardableResult
    private func settle(_ outcome: Outcome) -> Bool {
        let (waiter, accepted): (CheckedContinuation<Outcome, Never>?, Bool) = state.withLock { state in
            switch state {
            case .empty:
                state = .settled(outcome)
                return (nil, true)
            case .waiting(let continuation):
                state = .taken
                return (continuation, true)
            case .settled, .taken:
                return (nil, false)
            }
        }
        waiter?.resume(returning: outcome)
        return accepted
    }
}
