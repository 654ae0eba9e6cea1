extension SQLiteLedgerStore {
    /// The ledger's schema history, oldest first. Append new migrations; never edit shipped ones.
    ///
    /// The schema states the rules the ledger relies on, so a bug elsewhere cannot store a
    /// negative token count or an impossible flag: `STRICT` column types, `NOT NULL`, and
    /// `CHECK` constraints. Enum values (dialect, status) are stored as their raw text without a
    /// `CHECK`, because SQLite can only change a `CHECK` by rebuilding the table, and a new
    /// status must not need that; reads reject unknown values instead.
    package static let migrations: [Migration] = [
        Migration(
            id: "2026-11-create-turn",
            statements: [
                """
                CREATE TABLE turn (
                    id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
                    started_at_ms INTEGER NOT NULL,
                    session TEXT NOT NULL,
                    tag TEXT,
                    agent_id TEXT,
                    parent_agent_id TEXT,
                    is_side_call INTEGER NOT NULL CHECK (is_side_call IN (0, 1)),
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
                    prompt_tokens_estimate INTEGER NOT NULL CHECK (prompt_tokens_estimate >= 0),
                    loop_depth INTEGER NOT NULL CHECK (loop_depth >= 0),
                    tool_error INTEGER NOT NULL CHECK (tool_error IN (0, 1)),
                    stream INTEGER NOT NULL CHECK (stream IN (0, 1)),
                    uncached_input_tokens INTEGER NOT NULL CHECK (uncached_input_tokens >= 0),
                    cache_read_tokens INTEGER NOT NULL CHECK (cache_read_tokens >= 0),
                    cache_write_5m_tokens INTEGER NOT NULL CHECK (cache_write_5m_tokens >= 0),
                    cache_write_1h_tokens INTEGER NOT NULL CHECK (cache_write_1h_tokens >= 0),
                    output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
                    reasoning_tokens INTEGER NOT NULL CHECK (reasoning_tokens >= 0),
                    estimated INTEGER NOT NULL CHECK (estimated IN (0, 1)),
                    cost_nanos INTEGER NOT NULL CHECK (cost_nanos >= 0),
                    baseline_model TEXT NOT NULL,
                    baseline_list_cost_nanos INTEGER NOT NULL CHECK (baseline_list_cost_nanos >= 0),
                    baseline_cost_nanos INTEGER NOT NULL CHECK (baseline_cost_nanos >= 0),
                    first_byte_ms INTEGER CHECK (first_byte_ms >= 0),
                    total_ms INTEGER NOT NULL CHECK (total_ms >= 0),
                    status TEXT NOT NULL,
                    http_status INTEGER NOT NULL CHECK (http_status BETWEEN 0 AND 999)
                ) STRICT
                """,
                "CREATE INDEX turn_session_started_at ON turn (session, started_at_ms)",
            ]
        ),
        Migration(
            id: "2026-12-turn-fallback-and-bytes",
            statements: [
                "ALTER TABLE turn ADD COLUMN fallback TEXT",
                "ALTER TABLE turn ADD COLUMN request_bytes INTEGER CHECK (request_bytes >= 0)",
                "ALTER TABLE turn ADD COLUMN response_bytes INTEGER CHECK (response_bytes >= 0)",
            ]
        ),
        // Rows written before this migration keep NULL coverage: their baseline re-priced the
        // turn's own usage and their requested model was not priced (see `TurnRecord.requested`).
        Migration(
            id: "2026-12-turn-counterfactuals",
            statements: [
                "ALTER TABLE turn ADD COLUMN baseline_coverage TEXT",
                "ALTER TABLE turn ADD COLUMN baseline_coverage_reason TEXT",
                "ALTER TABLE turn ADD COLUMN requested_cost_nanos INTEGER CHECK (requested_cost_nanos >= 0)",
                "ALTER TABLE turn ADD COLUMN requested_coverage TEXT",
                "ALTER TABLE turn ADD COLUMN requested_coverage_reason TEXT",
                "ALTER TABLE turn ADD COLUMN tool_call_repeats INTEGER CHECK (tool_call_repeats >= 0)",
                "ALTER TABLE turn ADD COLUMN web_search_requests INTEGER NOT NULL DEFAULT 0 CHECK (web_search_requests >= 0)",
                "ALTER TABLE turn ADD COLUMN user TEXT",
                "ALTER TABLE turn ADD COLUMN client TEXT",
                "CREATE INDEX turn_started_at ON turn (started_at_ms)",
            ]
        ),
        // Experiments and replay: the experiment next to the arm, what replay re-decides a turn
        // with (JSON, see `RecordedFeatures`), and the outcomes users report per session.
        Migration(
            id: "2026-12-experiments-and-outcomes",
            statements: [
                "ALTER TABLE turn ADD COLUMN experiment TEXT",
                "ALTER TABLE turn ADD COLUMN features TEXT",
                """
                CREATE TABLE session_outcome (
                    id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
                    session TEXT NOT NULL CHECK (session <> ''),
                    verdict TEXT NOT NULL,
                    score REAL CHECK (score BETWEEN 0 AND 1),
                    note TEXT,
                    recorded_at_ms INTEGER NOT NULL
                ) STRICT
                """,
                "CREATE INDEX session_outcome_session ON session_outcome (session, recorded_at_ms)",
                """
                CREATE TABLE shadow_turn (
                    id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
                    turn_id TEXT NOT NULL,
                    session TEXT NOT NULL,
                    started_at_ms INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    shape TEXT NOT NULL,
                    arm TEXT,
                    primary_model TEXT NOT NULL,
                    shadow_model TEXT NOT NULL,
                    status TEXT NOT NULL,
                    http_status INTEGER NOT NULL CHECK (http_status BETWEEN 0 AND 999),
                    cost_nanos INTEGER NOT NULL CHECK (cost_nanos >= 0),
                    primary_cost_nanos INTEGER NOT NULL CHECK (primary_cost_nanos >= 0),
                    first_byte_ms INTEGER CHECK (first_byte_ms >= 0),
                    total_ms INTEGER NOT NULL CHECK (total_ms >= 0),
                    primary_total_ms INTEGER NOT NULL CHECK (primary_total_ms >= 0),
                    same_tools INTEGER NOT NULL CHECK (same_tools IN (0, 1)),
                    same_arguments INTEGER NOT NULL CHECK (same_arguments IN (0, 1)),
                    same_stop_reason INTEGER NOT NULL CHECK (same_stop_reason IN (0, 1)),
                    detail TEXT NOT NULL
                ) STRICT
                """,
                "CREATE INDEX shadow_turn_started_at ON shadow_turn (started_at_ms)",
                "CREATE INDEX turn_experiment_started_at ON turn (started_at_ms) WHERE experiment IS NOT NULL",
            ]
        ),
        // Guards: what a budget or the loop breaker did to a turn (`budget-hard:per-session`), and
        // the spend a starting gateway counts again per session, user and tag.
        Migration(
            id: "2026-12-guards",
            statements: [
                "ALTER TABLE turn ADD COLUMN guard TEXT",
                "CREATE INDEX turn_guard_started_at ON turn (started_at_ms) WHERE guard IS NOT NULL",
            ]
        ),
    ]

    /// The `turn` columns in the order of ``turnBinds(_:)``.
    static let turnColumns = [
        "id", "started_at_ms", "session", "tag", "agent_id", "parent_agent_id", "is_side_call", "client_dialect",
        "requested_model", "model", "model_id", "upstream", "rule", "arm", "reason", "shape", "tool_categories",
        "prompt_tokens_estimate", "loop_depth", "tool_error", "stream", "uncached_input_tokens", "cache_read_tokens",
        "cache_write_5m_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens", "estimated",
        "cost_nanos", "baseline_model", "baseline_list_cost_nanos", "baseline_cost_nanos", "first_byte_ms",
        "total_ms", "status", "http_status", "fallback", "request_bytes", "response_bytes", "baseline_coverage",
        "baseline_coverage_reason", "requested_cost_nanos", "requested_coverage", "requested_coverage_reason",
        "tool_call_repeats", "web_search_requests", "user", "client", "experiment", "features",
        "guard",
    ]

    /// Inserts one turn; a turn whose id is already stored is left as it is, which makes appends
    /// idempotent for the writer's at-least-once delivery. Built from constant column names only.
    static let insertTurnSQL =
        "INSERT INTO turn (\(turnColumns.joined(separator: ", "))) VALUES ("
        + (1...turnColumns.count).map { "?\($0)" }.joined(separator: ", ") + ") ON CONFLICT (id) DO NOTHING"

    /// Selects every `turn` column, for decoding with ``TurnRecord/init(row:)``.
    static let selectTurnsInSessionSQL =
        "SELECT \(turnColumns.joined(separator: ", ")) FROM turn WHERE session = ?1 ORDER BY started_at_ms, id"

    /// Selects every `turn` column of the turns started in `[?1, ?2)`.
    static let selectTurnsInPeriodSQL =
        "SELECT \(turnColumns.joined(separator: ", ")) FROM turn WHERE started_at_ms >= ?1 AND started_at_ms < ?2 "
        + "ORDER BY started_at_ms, id"

    /// The same, with `NULL` for the features, which only replay and training read.
    static let selectTurnsInPeriodWithoutFeaturesSQL =
        "SELECT \(turnColumnsWithoutFeatures.joined(separator: ", ")) FROM turn "
        + "WHERE started_at_ms >= ?1 AND started_at_ms < ?2 ORDER BY started_at_ms, id"

    /// The turn columns with `NULL AS features` in place of the features column.
    static let turnColumnsWithoutFeatures = turnColumns.map { $0 == "features" ? "NULL AS features" : $0 }

    static let insertOutcomeSQL =
        "INSERT INTO session_outcome (id, session, verdict, score, note, recorded_at_ms) "
        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING"

    static let selectOutcomesSQL =
        "SELECT id, session, verdict, score, note, recorded_at_ms FROM session_outcome ORDER BY recorded_at_ms, id"

    static let shadowColumns = [
        "id", "turn_id", "session", "started_at_ms", "name", "rule", "shape", "arm", "primary_model", "shadow_model",
        "status", "http_status", "cost_nanos", "primary_cost_nanos", "first_byte_ms", "total_ms", "primary_total_ms",
        "same_tools", "same_arguments", "same_stop_reason", "detail",
    ]

    static let insertShadowSQL =
        "INSERT INTO shadow_turn (\(shadowColumns.joined(separator: ", "))) VALUES ("
        + (1...shadowColumns.count).map { "?\($0)" }.joined(separator: ", ") + ") ON CONFLICT (id) DO NOTHING"

    static let selectShadowsSQL =
        "SELECT \(shadowColumns.joined(separator: ", ")) FROM shadow_turn WHERE started_at_ms >= ?1 AND started_at_ms < ?2 "
        + "ORDER BY started_at_ms, id"

    /// The arm of each session's latest turn in an experiment since `?1`.
    static let selectArmAssignmentsSQL = """
        SELECT session, experiment, arm FROM turn
        WHERE started_at_ms >= ?1 AND experiment IS NOT NULL AND arm IS NOT NULL
        ORDER BY started_at_ms, id
        """

    /// Spend by session, user, tag and UTC day since `?1`.
    static let selectSpendSQL = """
        SELECT session, user, tag, started_at_ms / 86400000 AS day, SUM(cost_nanos) AS cost_nanos FROM turn
        WHERE started_at_ms >= ?1
        GROUP BY session, user, tag, day
        """

    /// One row per session, aggregated in SQL; `?1` is the `ok` status text.
    ///
    /// The tag is the one of the session's latest turn that has a tag (ties broken by id, like
    /// ``SessionSummary/summarize(_:)``); the order matches it too.
    static let sessionSummariesSQL = """
        SELECT
            t.session AS session,
            (SELECT tagged.tag FROM turn AS tagged
                WHERE tagged.session = t.session AND tagged.tag IS NOT NULL
                ORDER BY tagged.started_at_ms DESC, tagged.id DESC LIMIT 1) AS tag,
            MIN(t.started_at_ms) AS first_at_ms,
            MAX(t.started_at_ms) AS last_at_ms,
            COUNT(*) AS turns,
            SUM(t.model <> t.baseline_model) AS routed_turns,
            SUM(t.status <> ?1) AS failed_turns,
            SUM(t.estimated) AS estimated_turns,
            SUM(t.uncached_input_tokens) AS uncached_input_tokens,
            SUM(t.cache_read_tokens) AS cache_read_tokens,
            SUM(t.cache_write_5m_tokens) AS cache_write_5m_tokens,
            SUM(t.cache_write_1h_tokens) AS cache_write_1h_tokens,
            SUM(t.output_tokens) AS output_tokens,
            SUM(t.reasoning_tokens) AS reasoning_tokens,
            SUM(t.web_search_requests) AS web_search_requests,
            SUM(t.cost_nanos) AS cost_nanos,
            SUM(COALESCE(t.requested_cost_nanos, t.cost_nanos)) AS requested_cost_nanos,
            SUM(t.baseline_list_cost_nanos) AS baseline_list_cost_nanos,
            SUM(t.baseline_cost_nanos) AS baseline_cost_nanos
        FROM turn AS t
        GROUP BY t.session
        ORDER BY last_at_ms DESC, t.session ASC
        """
}
