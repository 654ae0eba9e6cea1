import Foundation
package import Logging
import SQLiteNIO
package import SluiceLedger
import Synchronization

/// The embedded ledger: one SQLite file in WAL mode, through sqlite-nio.
///
/// The default store of `sluice serve`: nothing to install or start. WAL lets `sluice report`
/// read while the gateway writes; with WAL, `synchronous=NORMAL` survives a process crash (only
/// a power cut can lose the last few commits) at a fraction of the fsyncs of `FULL`; a busy
/// timeout makes a second process wait for the write lock instead of failing. Operations on one
/// store run one at a time, because sqlite-nio offers a single connection and a transaction's
/// statements must not interleave with another task's.
///
/// ```swift
/// let store = try await SQLiteLedgerStore.open(path: "~/.sluice/ledger.sqlite", logger: logger)
/// defer { Task { try await store.close() } }
/// try await store.append(records)
/// ```
package final class SQLiteLedgerStore: LedgerStore {
    private let connection: SQLiteConnection
    private let access = SerialAccess()
    private let isClosed = Mutex(false)
    private let logger: Logger

    private init(connection: SQLiteConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Opens (creating if needed) the ledger at `path` and brings its schema up to date.
    ///
    /// Creates the file's parent directory if missing, turns on WAL, `synchronous=NORMAL` and a
    /// busy timeout, then applies the ``migrations`` the file has not recorded yet, each in its
    /// own transaction. Call ``close()`` when done.
    ///
    /// - Parameters:
    ///   - path: The database file; a leading `~/` means the home directory.
    ///   - logger: Receives migration notices and warnings.
    /// - Throws: Filesystem errors, or the `SQLiteError` of a failed migration (whose
    ///   transaction is rolled back, leaving the file at the previous schema).
    package static func open(path: String, logger: Logger) async throws -> SQLiteLedgerStore {
        let path = (path as NSString).expandingTildeInPath
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let store = SQLiteLedgerStore(connection: connection, logger: logger)
        do {
            try await store.prepare()
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    /// Closes the connection; later calls throw ``LedgerStoreError`` `closed`. Closing twice is harmless.
    package func close() async throws {
        try await access.run {
            let wasClosed = isClosed.withLock { closed in
                defer { closed = true }
                return closed
            }
            if !wasClosed { try await connection.close() }
        }
    }

    /// Writes the batch in one transaction; records whose id is already stored are skipped.
    ///
    /// - Throws: ``LedgerStoreError`` `rejectedRecord` with the record's id when a record
    ///   breaks a schema rule (the whole batch is rolled back); the `SQLiteError` otherwise.
    package func append(_ batch: [TurnRecord]) async throws {
        guard !batch.isEmpty else { return }
        try await exclusively {
            try await inTransaction {
                for record in batch {
                    do {
                        try await execute(Self.insertTurnSQL, record.sqliteBinds)
                    } catch let error as SQLiteError where error.isConstraintViolation {
                        throw LedgerStoreError(code: .rejectedRecord, recordID: record.id, detail: error.message)
                    }
                }
            }
        }
    }

    /// One summary per session, aggregated with `GROUP BY` in SQL, latest activity first.
    package func sessionSummaries() async throws -> [SessionSummary] {
        try await exclusively {
            try await connection.query(Self.sessionSummariesSQL, [.text(TurnStatus.ok.rawValue)])
                .map(SessionSummary.init(row:))
        }
    }

    /// The session's turns ordered by start time, then id.
    package func turns(inSession session: String) async throws -> [TurnRecord] {
        try await exclusively {
            try await connection.query(Self.selectTurnsInSessionSQL, [.text(session)]).map(TurnRecord.init(row:))
        }
    }

    package func turns(from: Int64?, until: Int64?, withFeatures: Bool) async throws -> [TurnRecord] {
        try await exclusively {
            try await connection.query(
                withFeatures ? Self.selectTurnsInPeriodSQL : Self.selectTurnsInPeriodWithoutFeaturesSQL,
                [.integer(SQLiteInt64(from ?? Int64.min)), .integer(SQLiteInt64(until ?? Int64.max))]
            ).map(TurnRecord.init(row:))
        }
    }

    package func record(_ outcome: SessionOutcome) async throws {
        try await exclusively {
            do {
                try await execute(Self.insertOutcomeSQL, outcome.sqliteBinds)
            } catch let error as SQLiteError where error.isConstraintViolation {
                throw LedgerStoreError(code: .rejectedRecord, recordID: outcome.id, detail: error.message)
            }
        }
    }

    package func outcomes() async throws -> [SessionOutcome] {
        try await exclusively {
            try await connection.query(Self.selectOutcomesSQL).map(SessionOutcome.init(row:))
        }
    }

    package func record(_ shadow: ShadowRecord) async throws {
        try await exclusively {
            do {
                try await execute(Self.insertShadowSQL, shadow.sqliteBinds)
            } catch let error as SQLiteError where error.isConstraintViolation {
                throw LedgerStoreError(code: .rejectedRecord, recordID: shadow.id, detail: error.message)
            }
        }
    }

    package func shadows(from: Int64?, until: Int64?) async throws -> [ShadowRecord] {
        try await exclusively {
            try await connection.query(
                Self.selectShadowsSQL,
                [.integer(SQLiteInt64(from ?? Int64.min)), .integer(SQLiteInt64(until ?? Int64.max))]
            ).map(ShadowRecord.init(row:))
        }
    }

    package func armAssignments(since: Int64) async throws -> [String: ArmAssignment] {
        try await exclusively {
            var arms: [String: ArmAssignment] = [:]
            for row in try await connection.query(Self.selectArmAssignmentsSQL, [.integer(SQLiteInt64(since))]) {
                arms[try row.text("session")] = ArmAssignment(
                    experiment: try row.text("experiment"), arm: try row.text("arm"))
            }
            return arms
        }
    }

    package func spend(since: Int64) async throws -> [SpendRow] {
        try await exclusively {
            try await connection.query(Self.selectSpendSQL, [.integer(SQLiteInt64(since))]).map { row in
                SpendRow(
                    session: try row.text("session"), user: try row.optionalText("user"), tag: try row.optionalText("tag"),
                    day: try row.int64("day"), cost: USD(nanos: try row.int64("cost_nanos")))
            }
        }
    }

    /// The ids of the migrations this file has recorded, in the order applied.
    ///
    /// For diagnostics (`sluice` can show the schema version) and for tests.
    package func appliedMigrations() async throws -> [String] {
        try await exclusively {
            try await connection.query("SELECT id FROM schema_migration ORDER BY rowid").map { try $0.text("id") }
        }
    }

    // MARK: - Setup

    private func prepare() async throws {
        let journalMode = try await connection.query("PRAGMA journal_mode = WAL").first?.column("journal_mode")
        if journalMode?.string?.lowercased() != "wal" {
            // For example on a filesystem without shared memory; the ledger still works, readers block writers.
            logger.warning(
                "Ledger is not in WAL mode", metadata: ["ledger.journal_mode": "\(journalMode?.string ?? "?")"])
        }
        try await execute("PRAGMA synchronous = NORMAL")
        // Wait up to 5 s for another process's write lock. This replaces sqlite-nio's default
        // busy handler, which retries forever and would stall the writer behind a stuck process.
        try await execute("PRAGMA busy_timeout = 5000")
        try await migrate()
    }

    private func migrate() async throws {
        try await execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migration (
                id TEXT PRIMARY KEY NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            ) STRICT
            """)
        let known = Set(Self.migrations.map(\.id))
        let recorded = try await connection.query("SELECT id FROM schema_migration").map { try $0.text("id") }
        for migration in Self.migrations where !recorded.contains(migration.id) {
            let applied = try await inTransaction {
                // Another process may have applied it since we looked; the write lock now settles it.
                let alreadyApplied = try await !connection.query(
                    "SELECT 1 FROM schema_migration WHERE id = ?1", [.text(migration.id)]
                ).isEmpty
                guard !alreadyApplied else { return false }
                for statement in migration.statements {
                    try await execute(statement)
                }
                try await execute("INSERT INTO schema_migration (id) VALUES (?1)", [.text(migration.id)])
                return true
            }
            if applied {
                logger.info("Applied ledger migration", metadata: ["ledger.migration": "\(migration.id)"])
            }
        }
        let unknown = recorded.filter { !known.contains($0) }
        if !unknown.isEmpty {
            logger.warning(
                "Ledger has migrations this version does not know; it was written by a newer Sluice",
                metadata: ["ledger.migrations.unknown": "\(unknown.joined(separator: ","))"])
        }
    }

    // MARK: - Helpers

    /// Runs `operation` alone on the connection, failing if the store is closed.
    private func exclusively<Result: Sendable>(_ operation: () async throws -> Result) async throws -> Result {
        try await access.run {
            guard !isClosed.withLock({ $0 }) else { throw LedgerStoreError(code: .closed) }
            return try await operation()
        }
    }

    /// Runs `body` between `BEGIN IMMEDIATE` and `COMMIT`, rolling back if anything throws.
    ///
    /// `IMMEDIATE` takes the write lock up front, so a concurrent writer in another process waits
    /// (busy timeout) at the start instead of failing at commit.
    private func inTransaction<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await execute("BEGIN IMMEDIATE")
        do {
            let result = try await body()
            try await execute("COMMIT")
            return result
        } catch {
            do {
                try await execute("ROLLBACK")
            } catch {
                logger.error("Ledger rollback failed", metadata: ["ledger.error": "\(error)"])
            }
            throw error
        }
    }

    private func execute(_ sql: String, _ binds: [SQLiteData] = []) async throws {
        _ = try await connection.query(sql, binds)
    }
}

extension SQLiteError {
    /// Whether the statement broke a schema rule, which retrying cannot fix.
    var isConstraintViolation: Bool {
        switch reason {
        case .constraint, .constraintCheckFailed, .constraintNotNullFailed, .constraintPrimaryKeyFailed,
            .constraintUniqueFailed, .constraintStrictDataTypeFailed, .constraintForeignKeyFailed,
            .constraintTriggerFailed, .mismatch, .tooBig:
            true
        default:
            false
        }
    }
}
