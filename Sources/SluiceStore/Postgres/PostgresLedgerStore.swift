package import Logging
package import PostgresNIO
package import SluiceLedger
import Synchronization

/// The shared ledger: PostgreSQL through postgres-nio's pooled `PostgresClient`, for several
/// gateways that write and read one ledger.
///
/// Same tables, columns, rules and orders as ``SQLiteLedgerStore`` (see ``migrations``);
/// sessions are summed with one `GROUP BY` in SQL, and so is ``spend(since:)``. Operations run
/// concurrently on the client's pool (up to 20 connections). The store owns its client and runs
/// it in a task of its own from ``open(url:logger:)`` until ``close()``, because the
/// ``LedgerStore`` port has no `run()` for a service group to call.
///
/// Migrations are applied when the store opens, each in its own transaction that first takes a
/// transaction-scoped advisory lock, so gateways starting together apply each one once; their
/// ids are recorded in `sluice_migration`.
///
/// ```swift
/// let store = try await PostgresLedgerStore.open(url: "postgres://sluice:secret@db/ledger", logger: logger)
/// try await store.append(records)
/// let sessions = store.sessionStore()  // session states shared by the gateways on this database
/// try await store.close()
/// ```
package final class PostgresLedgerStore: LedgerStore {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let isClosed = Mutex(false)
    private let logger: Logger

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.runner = runner
        self.logger = logger
    }

    /// Connects to the database `url` names and brings its schema up to date.
    ///
    /// Starts the client's pool in a task the store owns, then applies the ``migrations`` the
    /// database has not recorded. Call ``close()`` when done.
    ///
    /// - Parameters:
    ///   - url: A `postgres://` URL (see ``PostgresURL``).
    ///   - logger: Receives migration notices, and the pool's background messages.
    /// - Throws: ``PostgresURLError`` for a URL Sluice cannot use; otherwise the driver's error
    ///   (``explanation(of:)`` turns it into a sentence), for example when the server cannot be
    ///   reached: the pool tries for up to a minute before it gives up. A migration that fails
    ///   is rolled back, leaving the database at the previous schema.
    package static func open(url: String, logger: Logger) async throws -> PostgresLedgerStore {
        let location = try PostgresURL(parsing: url)
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        let store = PostgresLedgerStore(client: client, runner: runner, logger: logger)
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    /// Stops the client's pool and waits for its connections to close; later calls throw
    /// ``LedgerStoreError`` `closed`, and session stores made by ``sessionStore(configuration:)``
    /// fall back to their memory. Closing twice is harmless.
    package func close() async throws {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        runner.cancel()
        await runner.value
    }

    /// Session states kept in this database, shared by every gateway that opens it, on this
    /// store's connections (see ``PostgresSessionStore``).
    package func sessionStore(
        configuration: PostgresSessionStore.Configuration = .init()
    ) -> PostgresSessionStore {
        PostgresSessionStore(client: client, configuration: configuration, logger: logger)
    }

    // MARK: - Turns

    /// Writes the batch in one transaction, with one multi-row `INSERT` per ``turnsPerInsert``
    /// records; records whose id is already stored are skipped, and so is a second record with
    /// the id of an earlier one in the batch.
    ///
    /// A multi-row `INSERT` that breaks a schema rule cannot say which row did, so the batch is
    /// then tried again row by row in a new transaction: the first row refused is the one
    /// reported (the batch is rolled back), and if none is, the batch is stored.
    ///
    /// - Throws: ``LedgerStoreError`` `rejectedRecord` with the record's id when a record breaks
    ///   a schema rule (a `CHECK` or `NOT NULL`, or a value PostgreSQL cannot store, such as a NUL
    ///   character in text); the driver's error otherwise.
    package func append(_ batch: [TurnRecord]) async throws {
        try checkOpen()
        var seen: Set<String> = []
        let records = batch.filter { seen.insert($0.id).inserted }
        guard !records.isEmpty else { return }
        do {
            try await inTransaction { connection in
                for start in stride(from: 0, to: records.count, by: Self.turnsPerInsert) {
                    let chunk = records[start..<min(start + Self.turnsPerInsert, records.count)]
                    try await connection.query(Self.insertTurns(chunk), logger: logger)
                }
            }
        } catch let error where Self.brokenRule(in: error) != nil {
            try await appendRowByRow(records)
        }
    }

    /// Inserts the records one statement each in one transaction, reporting the first refused.
    private func appendRowByRow(_ records: [TurnRecord]) async throws {
        try await inTransaction { connection in
            for record in records {
                do {
                    try await connection.query(Self.insertTurns(CollectionOfOne(record)), logger: logger)
                } catch let error {
                    guard let rule = Self.brokenRule(in: error) else { throw error }
                    throw LedgerStoreError(code: .rejectedRecord, recordID: record.id, detail: rule)
                }
            }
        }
    }

    /// One summary per session, aggregated with `GROUP BY` in SQL, latest activity first.
    package func sessionSummaries() async throws -> [SessionSummary] {
        try await rows(Self.selectSessionSummaries(okStatus: TurnStatus.ok.rawValue))
            .map(SessionSummary.init(postgresRow:))
    }

    /// The session's turns ordered by start time, then id.
    package func turns(inSession session: String) async throws -> [TurnRecord] {
        try await rows(Self.selectTurns(inSession: session)).map(TurnRecord.init(postgresRow:))
    }

    package func turns(from: Int64?, until: Int64?, withFeatures: Bool) async throws -> [TurnRecord] {
        try await rows(Self.selectTurns(from: from ?? Int64.min, until: until ?? Int64.max, withFeatures: withFeatures))
            .map(TurnRecord.init(postgresRow:))
    }

    // MARK: - Outcomes, shadows, arms, spend

    package func record(_ outcome: SessionOutcome) async throws {
        try checkOpen()
        do {
            try await client.query(Self.insertOutcome(outcome), logger: logger)
        } catch let error {
            guard let rule = Self.brokenRule(in: error) else { throw error }
            throw LedgerStoreError(code: .rejectedRecord, recordID: outcome.id, detail: rule)
        }
    }

    package func outcomes() async throws -> [SessionOutcome] {
        try await rows(Self.selectOutcomes).map(SessionOutcome.init(postgresRow:))
    }

    package func record(_ shadow: ShadowRecord) async throws {
        try checkOpen()
        do {
            try await client.query(Self.insertShadow(shadow), logger: logger)
        } catch let error {
            guard let rule = Self.brokenRule(in: error) else { throw error }
            throw LedgerStoreError(code: .rejectedRecord, recordID: shadow.id, detail: rule)
        }
    }

    package func shadows(from: Int64?, until: Int64?) async throws -> [ShadowRecord] {
        try await rows(Self.selectShadows(from: from ?? Int64.min, until: until ?? Int64.max))
            .map(ShadowRecord.init(postgresRow:))
    }

    package func armAssignments(since: Int64) async throws -> [String: ArmAssignment] {
        var arms: [String: ArmAssignment] = [:]
        for row in try await rows(Self.selectArmAssignments(since: since)) {
            arms[try row.text("session")] = ArmAssignment(
                experiment: try row.text("experiment"), arm: try row.text("arm"))
        }
        return arms
    }

    /// Spend by session, user, tag and UTC day, summed with one `GROUP BY` in SQL.
    package func spend(since: Int64) async throws -> [SpendRow] {
        try await rows(Self.selectSpend(since: since)).map(SpendRow.init(postgresRow:))
    }

    /// The ids of the migrations this database has recorded, in the order applied.
    ///
    /// Migrations applied in the same millisecond are listed in ``migrations`` order (ids this
    /// version does not know come last), since `sluice_migration` keeps only the time.
    package func appliedMigrations() async throws -> [String] {
        let order = Dictionary(uniqueKeysWithValues: Self.migrations.enumerated().map { ($1.id, $0) })
        let applied = try await rows("SELECT id, applied_at_ms FROM sluice_migration").map { row in
            (id: try row.text("id"), at: try row.int64("applied_at_ms"))
        }
        return applied.sorted {
            ($0.at, order[$0.id] ?? Int.max, $0.id) < ($1.at, order[$1.id] ?? Int.max, $1.id)
        }.map(\.id)
    }

    // MARK: - Migrations

    private func migrate() async throws {
        // Two gateways creating the table at once could both fail on the catalog's unique index,
        // so this too happens under the lock.
        try await inTransaction { connection in
            try await Self.lockMigrations(on: connection, logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: Self.createMigrationTableSQL), logger: logger)
        }
        let recorded = try await rows("SELECT id FROM sluice_migration").map { try $0.text("id") }
        for migration in Self.migrations where !recorded.contains(migration.id) {
            let applied = try await inTransaction { connection in
                try await Self.lockMigrations(on: connection, logger: logger)
                // Another gateway may have applied it since we looked; the lock now settles it.
                let already = try await connection.query(
                    "SELECT 1 AS applied FROM sluice_migration WHERE id = \(migration.id)", logger: logger
                ).collect()
                guard already.isEmpty else { return false }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO sluice_migration (id, applied_at_ms)
                    VALUES (\(migration.id), \(unescaped: Self.nowMillisecondsSQL))
                    """,
                    logger: logger)
                return true
            }
            if applied {
                logger.info("Applied ledger migration", metadata: ["ledger.migration": "\(migration.id)"])
            }
        }
        let known = Set(Self.migrations.map(\.id))
        let unknown = recorded.filter { !known.contains($0) }
        if !unknown.isEmpty {
            logger.warning(
                "Ledger has migrations this version does not know; it was written by a newer Sluice",
                metadata: ["ledger.migrations.unknown": "\(unknown.joined(separator: ","))"])
        }
    }

    /// Waits for the migration lock, which the transaction holds until it ends.
    private static func lockMigrations(on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLockKey))", logger: logger).collect()
    }

    // MARK: - Settings

    /// The value every gateway of this database shares under `name`: the first gateway to ask
    /// stores `proposed`, and every gateway, that one included, gets what was stored first.
    ///
    /// For the key that hashes client credentials into user identities: gateways behind one
    /// balancer must give one client the same identity.
    package func sharedSetting(_ name: String, proposing proposed: String) async throws -> String {
        try checkOpen()
        _ = try await client.query(
            "INSERT INTO sluice_setting (name, value) VALUES (\(name), \(proposed)) ON CONFLICT (name) DO NOTHING",
            logger: logger
        ).collect()
        guard let row = try await rows("SELECT value FROM sluice_setting WHERE name = \(name)").first else {
            throw LedgerStoreError(code: .corruptRow, detail: "setting \(name) missing after it was written")
        }
        return try row.text("value")
    }

    // MARK: - Helpers

    private func checkOpen() throws {
        if isClosed.withLock({ $0 }) { throw LedgerStoreError(code: .closed) }
    }

    /// Runs `query` on a pooled connection and reads every row, failing if the store is closed.
    private func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try checkOpen()
        return try await client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// Runs `body` in a transaction on a pooled connection: committed when it returns, rolled back
    /// when it throws. Throws what `body` (or the commit) threw, not the driver's wrapper.
    private func inTransaction<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(connection)
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    /// A short description of the schema rule a server error says a value breaks (SQLSTATE
    /// class 22, data exception, or 23, integrity constraint: a `CHECK`, a `NOT NULL`, a NUL in
    /// text), or `nil` for any other error, which retrying may cure.
    ///
    /// Only the SQLSTATE and the constraint or column name: the server's message and detail can
    /// quote the row.
    static func brokenRule(in error: any Error) -> String? {
        var inner = error
        if let transaction = error as? PostgresTransactionError {
            inner = transaction.closureError ?? transaction.commitError ?? error
        }
        guard let server = (inner as? PSQLError)?.serverInfo, let state = server[.sqlState],
            state.hasPrefix("22") || state.hasPrefix("23")
        else { return nil }
        if let constraint = server[.constraintName] { return "sqlstate \(state), constraint \(constraint)" }
        if let column = server[.columnName] { return "sqlstate \(state), column \(column)" }
        return "sqlstate \(state)"
    }

    /// A sentence for a person about a driver error: the server's SQLSTATE and message, or what
    /// kept the connection from working.
    ///
    /// `PSQLError` describes itself with a fixed, generic text on purpose (its details can hold
    /// query values); for an error opening the ledger the server's message is what helps, and it
    /// names users and databases, never passwords.
    package static func explanation(of error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError,
            let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError
        {
            return explanation(of: inner)
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let state = error.serverInfo?[.sqlState], let message = error.serverInfo?[.message] {
            return "the server refused: \(message) (SQLSTATE \(state))"
        }
        if let underlying = error.underlying {
            return "\(error.code): \(underlying)"
        }
        return "\(error.code)"
    }
}

extension PostgresURL {
    /// The client configuration for this URL: TLS as `sslmode` says, and `options`,
    /// `application_name` and `connect_timeout` passed on.
    package var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch self.tls {
        case .disable: tls = .disable
        // The system's trust roots, with the host name checked: libpq's verify-full.
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        if let options {
            configuration.options.additionalStartupParameters.append(("options", options))
        }
        if let applicationName {
            configuration.options.additionalStartupParameters.append(("application_name", applicationName))
        }
        if let connectTimeout {
            configuration.options.connectTimeout = connectTimeout
        }
        return configuration
    }
}
