import PostgresNIO
import SluiceLedger

extension PostgresLedgerStore {
    /// The ledger's schema history, oldest first. Append new migrations; never edit shipped ones.
    ///
    /// The same tables, columns and rules as ``SQLiteLedgerStore/migrations``, under the same
    /// ids in the same order, so the two histories read alike; the last migration
    /// (`session_state`) exists only here, because only a shared database shares session states.
    /// The types are PostgreSQL's: SQLite's `INTEGER` is `BIGINT`, its `REAL` is
    /// `DOUBLE PRECISION`, and flags are `SMALLINT` with the same `CHECK (flag IN (0, 1))`, so
    /// they keep SQLite's meaning and sum as they do there. Ids and session keys are
    /// `COLLATE "C"`: byte order, like SQLite's and Swift's, so `ORDER BY started_at_ms, id` and
    /// the sessions' order match ``SessionSummary/summarize(_:)`` whatever the database's locale.
    /// `user` is a reserved word in PostgreSQL (it means `CURRENT_USER`), so that column is
    /// always written `"user"`.
    package static let migrations: [Migration] = [
        Migration(
            id: "2026-11-create-turn",
            statements: [
                """
                CREATE TABLE turn (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL CHECK (id <> ''),
                    started_at_ms BIGINT NOT NULL,
                    session TEXT COLLATE "C" NOT NULL,
                    tag TEXT,
                    agent_id TEXT,
                    parent_agent_id TEXT,
                    is_side_call SMALLINT NOT NULL CHECK (is_side_call IN (0, 1)),
                    client_dialect TEXT NOT NULL,
                    requested_model TEXT NOT NULL,
                    model TEXT NOT NULL,
                    model_id TEXT NOT NULL,
                    upstream TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    arm TEXT,
                    reason TEXT NOT NULL,
                    shape TEXT NOT NULL,
                    tool_categories TEXT NOT NULL,
                    prompt_tokens_estimate BIGINT NOT NULL CHECK (prompt_tokens_estimate >= 0),
                    loop_depth BIGINT NOT NULL CHECK (loop_depth >= 0),
                    tool_error SMALLINT NOT NULL CHECK (tool_error IN (0, 1)),
                    stream SMALLINT NOT NULL CHECK (stream IN (0, 1)),
                    uncached_input_tokens BIGINT NOT NULL CHECK (uncached_input_tokens >= 0),
                    cache_read_tokens BIGINT NOT NULL CHECK (cache_read_tokens >= 0),
                    cache_write_5m_tokens BIGINT NOT NULL CHECK (cache_write_5m_tokens >= 0),
                    cache_write_1h_tokens BIGINT NOT NULL CHECK (cache_write_1h_tokens >= 0),
                    output_tokens BIGINT NOT NULL CHECK (output_tokens >= 0),
                    reasoning_tokens BIGINT NOT NULL CHECK (reasoning_tokens >= 0),
                    estimated SMALLINT NOT NULL CHECK (estimated IN (0, 1)),
                    cost_nanos BIGINT NOT NULL CHECK (cost_nanos >= 0),
                    baseline_model TEXT NOT NULL,
                    baseline_list_cost_nanos BIGINT NOT NULL CHECK (baseline_list_cost_nanos >= 0),
                    baseline_cost_nanos BIGINT NOT NULL CHECK (baseline_cost_nanos >= 0),
                    first_byte_ms BIGINT CHECK (first_byte_ms >= 0),
                    total_ms BIGINT NOT NULL CHECK (total_ms >= 0),
                    status TEXT NOT NULL,
                    http_status BIGINT NOT NULL CHECK (http_status BETWEEN 0 AND 999)
                )
                """,
                "CREATE INDEX turn_session_started_at ON turn (session, started_at_ms)",
            ]
        ),
        Migration(
            id: "2026-12-turn-fallback-and-bytes",
            statements: [
                "ALTER TABLE turn ADD COLUMN fallback TEXT",
                "ALTER TABLE turn ADD COLUMN request_bytes BIGINT CHECK (request_bytes >= 0)",
                "ALTER TABLE turn ADD COLUMN response_bytes BIGINT CHECK (response_bytes >= 0)",
            ]
        ),
        // Rows written before this migration keep NULL coverage, as in SQLite.
        Migration(
            id: "2026-12-turn-counterfactuals",
            statements: [
                "ALTER TABLE turn ADD COLUMN baseline_coverage TEXT",
                "ALTER TABLE turn ADD COLUMN baseline_coverage_reason TEXT",
                "ALTER TABLE turn ADD COLUMN requested_cost_nanos BIGINT CHECK (requested_cost_nanos >= 0)",
                "ALTER TABLE turn ADD COLUMN requested_coverage TEXT",
                "ALTER TABLE turn ADD COLUMN requested_coverage_reason TEXT",
                "ALTER TABLE turn ADD COLUMN tool_call_repeats BIGINT CHECK (tool_call_repeats >= 0)",
                "ALTER TABLE turn ADD COLUMN web_search_requests BIGINT NOT NULL DEFAULT 0"
                    + " CHECK (web_search_requests >= 0)",
                #"ALTER TABLE turn ADD COLUMN "user" TEXT"#,
                "ALTER TABLE turn ADD COLUMN client TEXT",
                "CREATE INDEX turn_started_at ON turn (started_at_ms)",
            ]
        ),
        Migration(
            id: "2026-12-experiments-and-outcomes",
            statements: [
                "ALTER TABLE turn ADD COLUMN experiment TEXT",
                "ALTER TABLE turn ADD COLUMN features TEXT",
                """
                CREATE TABLE session_outcome (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL CHECK (id <> ''),
                    session TEXT COLLATE "C" NOT NULL CHECK (session <> ''),
                    verdict TEXT NOT NULL,
                    score DOUBLE PRECISION CHECK (score BETWEEN 0 AND 1),
                    note TEXT,
                    recorded_at_ms BIGINT NOT NULL
                )
                """,
                "CREATE INDEX session_outcome_session ON session_outcome (session, recorded_at_ms)",
                """
                CREATE TABLE shadow_turn (
                    id TEXT COLLATE "C" PRIMARY KEY NOT NULL CHECK (id <> ''),
                    turn_id TEXT NOT NULL,
                    session TEXT COLLATE "C" NOT NULL,
                    started_at_ms BIGINT NOT NULL,
                    name TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    shape TEXT NOT NULL,
                    arm TEXT,
                    primary_model TEXT NOT NULL,
                    shadow_model TEXT NOT NULL,
                    status TEXT NOT NULL,
                    http_status BIGINT NOT NULL CHECK (http_status BETWEEN 0 AND 999),
                    cost_nanos BIGINT NOT NULL CHECK (cost_nanos >= 0),
                    primary_cost_nanos BIGINT NOT NULL CHECK (primary_cost_nanos >= 0),
                    first_byte_ms BIGINT CHECK (first_byte_ms >= 0),
                    total_ms BIGINT NOT NULL CHECK (total_ms >= 0),
                    primary_total_ms BIGINT NOT NULL CHECK (primary_total_ms >= 0),
                    same_tools SMALLINT NOT NULL CHECK (same_tools IN (0, 1)),
                    same_arguments SMALLINT NOT NULL CHECK (same_arguments IN (0, 1)),
                    same_stop_reason SMALLINT NOT NULL CHECK (same_stop_reason IN (0, 1)),
                    detail TEXT NOT NULL
                )
                """,
                "CREATE INDEX shadow_turn_started_at ON shadow_turn (started_at_ms)",
                "CREATE INDEX turn_experiment_started_at ON turn (started_at_ms) WHERE experiment IS NOT NULL",
            ]
        ),
        Migration(
            id: "2026-12-guards",
            statements: [
                "ALTER TABLE turn ADD COLUMN guard TEXT",
                "CREATE INDEX turn_guard_started_at ON turn (started_at_ms) WHERE guard IS NOT NULL",
            ]
        ),
        // Session states shared by the gateways on this database (``PostgresSessionStore``): the
        // state is `SessionState`'s JSON. It is NULL only inside the transaction that creates the
        // row (the row is inserted first so that it can be locked), never once committed.
        // `updated_at_ms` is the database's clock, so old states can be dropped whatever the
        // gateways' clocks say.
        Migration(
            id: "2026-12-session-state",
            statements: [
                """
                CREATE TABLE session_state (
                    key TEXT PRIMARY KEY NOT NULL,
                    state TEXT,
                    updated_at_ms BIGINT NOT NULL
                )
                """,
                "CREATE INDEX session_state_updated_at ON session_state (updated_at_ms)",
            ]
        ),
        Migration(
            id: "2026-12-settings",
            statements: [
                """
                CREATE TABLE sluice_setting (
                    name TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),
                    value TEXT NOT NULL
                )
                """
            ]
        ),
    ]

    /// Takes the lock every migration holds for its transaction, so that gateways starting
    /// together apply each migration once; the key is "sluicemg" in ASCII.
    static let migrationLockKey: Int64 = 0x736C_7569_6365_6D67

    /// The database's clock in Unix milliseconds, for `applied_at_ms` and `updated_at_ms`.
    static let nowMillisecondsSQL = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT"

    static let createMigrationTableSQL =
        "CREATE TABLE IF NOT EXISTS sluice_migration (id TEXT PRIMARY KEY NOT NULL, applied_at_ms BIGINT NOT NULL)"

    // MARK: - Turns

    /// The `turn` columns, in the order of ``SQLiteLedgerStore/turnColumns`` (the one list both
    /// stores bind and read by), each quoted because one of them is `user`.
    static let turnColumnList = SQLiteLedgerStore.turnColumns.map { "\"\($0)\"" }.joined(separator: ", ")

    /// The most turns one `INSERT` can carry: the protocol allows 65,535 bound values per statement.
    static let turnsPerInsert = Int(UInt16.max) / SQLiteLedgerStore.turnColumns.count

    /// One `INSERT` of every record (at most ``turnsPerInsert``); a record whose id is already
    /// stored is left as it is, which makes appends idempotent for the writer's at-least-once
    /// delivery.
    ///
    /// The SQL is built from the constant column list and `$n` placeholders only; every value
    /// is a bound parameter.
    static func insertTurns(_ records: some Collection<TurnRecord>) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: records.count * SQLiteLedgerStore.turnColumns.count)
        var rows: [String] = []
        rows.reserveCapacity(records.count)
        for record in records {
            let first = bindings.count + 1
            record.appendPostgresBinds(to: &bindings)
            assert(bindings.count - first + 1 == SQLiteLedgerStore.turnColumns.count, "one bind per turn column")
            let placeholders = (first...bindings.count).map { "$\($0)" }.joined(separator: ", ")
            rows.append("(\(placeholders))")
        }
        let values = rows.joined(separator: ", ")
        let sql = "INSERT INTO turn (\(turnColumnList)) VALUES \(values) ON CONFLICT (id) DO NOTHING"
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    static func selectTurns(inSession session: String) -> PostgresQuery {
        "SELECT \(unescaped: turnColumnList) FROM turn WHERE session = \(session) ORDER BY started_at_ms, id"
    }

    /// The turns started in `[from, until)`.
    static func selectTurns(from: Int64, until: Int64, withFeatures: Bool) -> PostgresQuery {
        """
        SELECT \(unescaped: withFeatures ? turnColumnList : turnColumnListWithoutFeatures) FROM turn
        WHERE started_at_ms >= \(from) AND started_at_ms < \(until) ORDER BY started_at_ms, id
        """
    }

    /// The turn columns with `NULL` for the features, which only replay and training read.
    static let turnColumnListWithoutFeatures = SQLiteLedgerStore.turnColumns.map {
        $0 == "features" ? "NULL AS features" : "\"\($0)\""
    }.joined(separator: ", ")

    /// The arm of each session's latest turn in an experiment since `since`.
    static func selectArmAssignments(since: Int64) -> PostgresQuery {
        """
        SELECT session, experiment, arm FROM turn
        WHERE started_at_ms >= \(since) AND experiment IS NOT NULL AND arm IS NOT NULL
        ORDER BY started_at_ms, id
        """
    }

    /// Spend by session, user, tag and UTC day since `since`. `SUM` of `BIGINT` is `NUMERIC`
    /// in PostgreSQL, hence the cast back.
    static func selectSpend(since: Int64) -> PostgresQuery {
        """
        SELECT session, "user", tag, started_at_ms / 86400000 AS day, SUM(cost_nanos)::BIGINT AS cost_nanos
        FROM turn
        WHERE started_at_ms >= \(since)
        GROUP BY session, "user", tag, started_at_ms / 86400000
        """
    }

    /// One row per session, aggregated in SQL, in ``SessionSummary/summarize(_:)``'s order.
    ///
    /// The tag is the one of the session's latest turn that has a tag (ties broken by id).
    /// Booleans do not sum in PostgreSQL, so the comparisons are counted with `FILTER`; sums
    /// are cast back from `NUMERIC` to `BIGINT`.
    static func selectSessionSummaries(okStatus: String) -> PostgresQuery {
        """
        SELECT
            t.session AS session,
            (SELECT tagged.tag FROM turn AS tagged
                WHERE tagged.session = t.session AND tagged.tag IS NOT NULL
                ORDER BY tagged.started_at_ms DESC, tagged.id DESC LIMIT 1) AS tag,
            MIN(t.started_at_ms) AS first_at_ms,
            MAX(t.started_at_ms) AS last_at_ms,
            COUNT(*) AS turns,
            COUNT(*) FILTER (WHERE t.model <> t.baseline_model) AS routed_turns,
            COUNT(*) FILTER (WHERE t.status <> \(okStatus)) AS failed_turns,
            SUM(t.estimated)::BIGINT AS estimated_turns,
            SUM(t.uncached_input_tokens)::BIGINT AS uncached_input_tokens,
            SUM(t.cache_read_tokens)::BIGINT AS cache_read_tokens,
            SUM(t.cache_write_5m_tokens)::BIGINT AS cache_write_5m_tokens,
            SUM(t.cache_write_1h_tokens)::BIGINT AS cache_write_1h_tokens,
            SUM(t.output_tokens)::BIGINT AS output_tokens,
            SUM(t.reasoning_tokens)::BIGINT AS reasoning_tokens,
            SUM(t.web_search_requests)::BIGINT AS web_search_requests,
            SUM(t.cost_nanos)::BIGINT AS cost_nanos,
            SUM(COALESCE(t.requested_cost_nanos, t.cost_nanos))::BIGINT AS requested_cost_nanos,
            SUM(t.baseline_list_cost_nanos)::BIGINT AS baseline_list_cost_nanos,
            SUM(t.baseline_cost_nanos)::BIGINT AS baseline_cost_nanos
        FROM turn AS t
        GROUP BY t.session
        ORDER BY last_at_ms DESC, t.session ASC
        """
    }

    // MARK: - Outcomes and shadows

    static func insertOutcome(_ outcome: SessionOutcome) -> PostgresQuery {
        """
        INSERT INTO session_outcome (id, session, verdict, score, note, recorded_at_ms)
        VALUES (\(outcome.id), \(outcome.session), \(outcome.verdict.rawValue), \(outcome.score), \(outcome.note),
                \(outcome.recordedAtMilliseconds))
        ON CONFLICT (id) DO NOTHING
        """
    }

    static let selectOutcomes: PostgresQuery =
        "SELECT id, session, verdict, score, note, recorded_at_ms FROM session_outcome ORDER BY recorded_at_ms, id"

    static let shadowColumnList = SQLiteLedgerStore.shadowColumns.joined(separator: ", ")

    /// Inserts one shadow turn, ignoring an id already stored; values bound as for turns.
    static func insertShadow(_ shadow: ShadowRecord) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: SQLiteLedgerStore.shadowColumns.count)
        shadow.appendPostgresBinds(to: &bindings)
        assert(bindings.count == SQLiteLedgerStore.shadowColumns.count, "one bind per shadow column")
        let placeholders = (1...bindings.count).map { "$\($0)" }.joined(separator: ", ")
        let sql = "INSERT INTO shadow_turn (\(shadowColumnList)) VALUES (\(placeholders)) ON CONFLICT (id) DO NOTHING"
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    static func selectShadows(from: Int64, until: Int64) -> PostgresQuery {
        """
        SELECT \(unescaped: shadowColumnList) FROM shadow_turn
        WHERE started_at_ms >= \(from) AND started_at_ms < \(until)
        ORDER BY started_at_ms, id
        """
    }
}
