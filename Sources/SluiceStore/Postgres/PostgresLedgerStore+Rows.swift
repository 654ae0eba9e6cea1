import Foundation
import PostgresNIO
import SluiceLedger
import SluiceWire

// Row <-> record mapping for PostgreSQL. It mirrors `SQLiteLedgerStore+Rows.swift` column for
// column (the column lists themselves are shared); the decoding is not shared because the SQLite
// side reads `SQLiteRow` directly, with no backend-neutral row type in between.

extension TurnRecord {
    /// Appends the record's values in the order of ``SQLiteLedgerStore/turnColumns``.
    ///
    /// Integers are bound as `BIGINT` and flags as `SMALLINT` 0 or 1; an absent optional is
    /// `NULL`, whose type the server takes from the column.
    func appendPostgresBinds(to bindings: inout PostgresBindings) {
        bindings.append(id)
        bindings.append(startedAtMilliseconds)
        bindings.append(session)
        bindings.append(tag)
        bindings.append(agentID)
        bindings.append(parentAgentID)
        bindings.append(PostgresFlag.value(isSideCall))
        bindings.append(clientDialect.rawValue)
        bindings.append(requestedModel)
        bindings.append(model)
        bindings.append(modelID)
        bindings.append(upstream)
        bindings.append(rule)
        bindings.append(arm)
        bindings.append(reason)
        bindings.append(shape)
        bindings.append(toolCategories.joined(separator: ","))
        bindings.append(promptTokensEstimate)
        bindings.append(loopDepth)
        bindings.append(PostgresFlag.value(toolError))
        bindings.append(PostgresFlag.value(stream))
        bindings.append(usage.uncachedInput)
        bindings.append(usage.cacheRead)
        bindings.append(usage.cacheWrite5m)
        bindings.append(usage.cacheWrite1h)
        bindings.append(usage.output)
        bindings.append(usage.reasoning)
        bindings.append(PostgresFlag.value(estimated))
        bindings.append(cost.nanos)
        bindings.append(baselineModel)
        bindings.append(baselineListCost.nanos)
        bindings.append(baselineCost.nanos)
        bindings.append(firstByteMilliseconds)
        bindings.append(totalMilliseconds)
        bindings.append(status.rawValue)
        bindings.append(httpStatus)
        bindings.append(fallback)
        bindings.append(requestBytes)
        bindings.append(responseBytes)
        bindings.append(baselineCoverage?.name)
        bindings.append(baselineCoverage?.reason)
        bindings.append(requestedCost?.nanos)
        bindings.append(requestedCoverage?.name)
        bindings.append(requestedCoverage?.reason)
        bindings.append(toolCallRepeats)
        bindings.append(usage.webSearchRequests)
        bindings.append(user)
        bindings.append(client)
        bindings.append(experiment)
        bindings.append(features?.json)
        bindings.append(guardNote)
    }

    /// Reads a record from a row selected with every ``SQLiteLedgerStore/turnColumns``.
    ///
    /// - Throws: ``LedgerStoreError`` `corruptRow` naming the column that does not hold what
    ///   the schema promises (for example a status this version does not know).
    init(postgresRow row: PostgresRandomAccessRow) throws {
        let id = try row.text("id")
        do {
            let categories = try row.text("tool_categories")
            self.init(
                id: id,
                startedAtMilliseconds: try row.int64("started_at_ms"),
                session: try row.text("session"),
                tag: try row.optionalText("tag"),
                agentID: try row.optionalText("agent_id"),
                parentAgentID: try row.optionalText("parent_agent_id"),
                isSideCall: try row.flag("is_side_call"),
                clientDialect: try row.enumeration("client_dialect"),
                requestedModel: try row.text("requested_model"),
                model: try row.text("model"),
                modelID: try row.text("model_id"),
                upstream: try row.text("upstream"),
                rule: try row.text("rule"),
                arm: try row.optionalText("arm"),
                reason: try row.text("reason"),
                shape: try row.text("shape"),
                toolCategories: categories.isEmpty ? [] : categories.split(separator: ",").map(String.init),
                promptTokensEstimate: try row.int("prompt_tokens_estimate"),
                loopDepth: try row.int("loop_depth"),
                toolError: try row.flag("tool_error"),
                stream: try row.flag("stream"),
                usage: try Usage(postgresRow: row),
                estimated: try row.flag("estimated"),
                cost: USD(nanos: try row.int64("cost_nanos")),
                baselineModel: try row.text("baseline_model"),
                baselineListCost: USD(nanos: try row.int64("baseline_list_cost_nanos")),
                baselineCost: USD(nanos: try row.int64("baseline_cost_nanos")),
                firstByteMilliseconds: try row.optionalInt("first_byte_ms"),
                totalMilliseconds: try row.int("total_ms"),
                status: try row.enumeration("status"),
                httpStatus: try row.int("http_status"),
                fallback: try row.optionalText("fallback"),
                requestBytes: try row.optionalInt("request_bytes"),
                responseBytes: try row.optionalInt("response_bytes"),
                baselineCoverage: try row.coverage("baseline_coverage"),
                requestedCost: try row.optionalInt64("requested_cost_nanos").map(USD.init(nanos:)),
                requestedCoverage: try row.coverage("requested_coverage"),
                toolCallRepeats: try row.optionalInt("tool_call_repeats"),
                user: try row.optionalText("user"),
                client: try row.optionalText("client"),
                experiment: try row.optionalText("experiment"),
                features: try row.optionalText("features").map(recordedFeatures(json:)),
                guardNote: try row.optionalText("guard")
            )
        } catch var error as LedgerStoreError {
            error.recordID = id
            throw error
        }
    }
}

extension ShadowRecord {
    /// Appends the shadow's values in the order of ``SQLiteLedgerStore/shadowColumns``.
    func appendPostgresBinds(to bindings: inout PostgresBindings) {
        bindings.append(id)
        bindings.append(turnID)
        bindings.append(session)
        bindings.append(startedAtMilliseconds)
        bindings.append(name)
        bindings.append(rule)
        bindings.append(shape)
        bindings.append(arm)
        bindings.append(primaryModel)
        bindings.append(shadowModel)
        bindings.append(status.rawValue)
        bindings.append(httpStatus)
        bindings.append(cost.nanos)
        bindings.append(primaryCost.nanos)
        bindings.append(firstByteMilliseconds)
        bindings.append(totalMilliseconds)
        bindings.append(primaryTotalMilliseconds)
        bindings.append(PostgresFlag.value(sameTools))
        bindings.append(PostgresFlag.value(sameArguments))
        bindings.append(PostgresFlag.value(sameStopReason))
        bindings.append(PostgresShadowDetail(usage: usage, primary: primary, shadow: shadow).json)
    }

    init(postgresRow row: PostgresRandomAccessRow) throws {
        let id = try row.text("id")
        guard let detail = PostgresShadowDetail(json: try row.text("detail")) else {
            throw LedgerStoreError(code: .corruptRow, recordID: id, detail: "column detail holds an unexpected value")
        }
        self.init(
            id: id, turnID: try row.text("turn_id"), session: try row.text("session"),
            startedAtMilliseconds: try row.int64("started_at_ms"), name: try row.text("name"),
            rule: try row.text("rule"), shape: try row.text("shape"), arm: try row.optionalText("arm"),
            primaryModel: try row.text("primary_model"), shadowModel: try row.text("shadow_model"),
            status: try row.enumeration("status"), httpStatus: try row.int("http_status"), usage: detail.usage,
            cost: USD(nanos: try row.int64("cost_nanos")), primaryCost: USD(nanos: try row.int64("primary_cost_nanos")),
            firstByteMilliseconds: try row.optionalInt("first_byte_ms"), totalMilliseconds: try row.int("total_ms"),
            primaryTotalMilliseconds: try row.int("primary_total_ms"), primary: detail.primary, shadow: detail.shadow,
            sameTools: try row.flag("same_tools"), sameArguments: try row.flag("same_arguments"),
            sameStopReason: try row.flag("same_stop_reason"))
    }
}

/// What the `shadow_turn` columns do not hold: usage and both answers, as JSON.
///
/// The same JSON as the SQLite store's (a private type there), so a row means the same in both.
struct PostgresShadowDetail: Codable {
    var usage: Usage
    var primary: ShadowRecord.Answer
    var shadow: ShadowRecord.Answer

    init(usage: Usage, primary: ShadowRecord.Answer, shadow: ShadowRecord.Answer) {
        self.usage = usage
        self.primary = primary
        self.shadow = shadow
    }

    init?(json: String) {
        guard let detail = try? JSONDecoder().decode(Self.self, from: Data(json.utf8)) else { return nil }
        self = detail
    }

    var json: String {
        (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// Reads a turn's `features` column.
private func recordedFeatures(json: String) throws -> RecordedFeatures {
    guard let features = RecordedFeatures(json: json) else {
        throw LedgerStoreError(code: .corruptRow, detail: "column features holds an unexpected value")
    }
    return features
}

extension SessionOutcome {
    init(postgresRow row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.text("id"), session: try row.text("session"), verdict: try row.enumeration("verdict"),
            score: try row.optionalDouble("score"), note: try row.optionalText("note"),
            recordedAtMilliseconds: try row.int64("recorded_at_ms"))
    }
}

extension SessionSummary {
    /// Reads a summary from a row of ``PostgresLedgerStore/selectSessionSummaries(okStatus:)``.
    init(postgresRow row: PostgresRandomAccessRow) throws {
        self.init(
            session: try row.text("session"),
            tag: try row.optionalText("tag"),
            firstAtMilliseconds: try row.int64("first_at_ms"),
            lastAtMilliseconds: try row.int64("last_at_ms"),
            turns: try row.int("turns"),
            routedTurns: try row.int("routed_turns"),
            failedTurns: try row.int("failed_turns"),
            estimatedTurns: try row.int("estimated_turns"),
            usage: try Usage(postgresRow: row),
            cost: USD(nanos: try row.int64("cost_nanos")),
            baselineListCost: USD(nanos: try row.int64("baseline_list_cost_nanos")),
            baselineCost: USD(nanos: try row.int64("baseline_cost_nanos")),
            requestedCost: USD(nanos: try row.int64("requested_cost_nanos"))
        )
    }
}

extension SpendRow {
    /// Reads a row of ``PostgresLedgerStore/selectSpend(since:)``.
    init(postgresRow row: PostgresRandomAccessRow) throws {
        self.init(
            session: try row.text("session"), user: try row.optionalText("user"), tag: try row.optionalText("tag"),
            day: try row.int64("day"), cost: USD(nanos: try row.int64("cost_nanos")))
    }
}

extension Usage {
    /// Reads the usage columns, which turns and summaries name alike.
    init(postgresRow row: PostgresRandomAccessRow) throws {
        self.init(
            uncachedInput: try row.int("uncached_input_tokens"),
            cacheRead: try row.int("cache_read_tokens"),
            cacheWrite5m: try row.int("cache_write_5m_tokens"),
            cacheWrite1h: try row.int("cache_write_1h_tokens"),
            output: try row.int("output_tokens"),
            reasoning: try row.int("reasoning_tokens"),
            webSearchRequests: try row.int("web_search_requests")
        )
    }
}

/// Flags are `SMALLINT` 0 or 1, as SQLite's are `INTEGER` 0 or 1.
enum PostgresFlag {
    static func value(_ flag: Bool) -> Int16 { flag ? 1 : 0 }
}

extension PostgresRandomAccessRow {
    /// The column's value as `Value`, or `corruptRow` if the query did not select it or it does
    /// not hold a `Value` (checked first: a missing name would otherwise stop the process).
    private func decoded<Value: PostgresDecodable>(_ column: String, as type: Value.Type) throws -> Value {
        guard contains(column) else { throw Self.corrupt(column) }
        do {
            return try self[column].decode(Value.self)
        } catch {
            throw Self.corrupt(column)
        }
    }

    func text(_ column: String) throws -> String {
        try decoded(column, as: String.self)
    }

    func optionalText(_ column: String) throws -> String? {
        try decoded(column, as: String?.self)
    }

    func int64(_ column: String) throws -> Int64 {
        try decoded(column, as: Int64.self)
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        try decoded(column, as: Int64?.self)
    }

    func int(_ column: String) throws -> Int {
        guard let int = Int(exactly: try int64(column)) else { throw Self.corrupt(column) }
        return int
    }

    func optionalInt(_ column: String) throws -> Int? {
        guard let value = try optionalInt64(column) else { return nil }
        guard let int = Int(exactly: value) else { throw Self.corrupt(column) }
        return int
    }

    func optionalDouble(_ column: String) throws -> Double? {
        try decoded(column, as: Double?.self)
    }

    func flag(_ column: String) throws -> Bool {
        switch try decoded(column, as: Int16.self) {
        case 0: return false
        case 1: return true
        default: throw Self.corrupt(column)
        }
    }

    func enumeration<Value: RawRepresentable<String>>(_ column: String) throws -> Value {
        guard let value = Value(rawValue: try text(column)) else { throw Self.corrupt(column) }
        return value
    }

    /// A coverage column and its reason column (`<column>_reason`); `nil` when the row predates them.
    func coverage(_ column: String) throws -> Coverage? {
        guard let name = try optionalText(column) else { return nil }
        guard let coverage = Coverage(name: name, reason: try optionalText(column + "_reason")) else {
            throw Self.corrupt(column)
        }
        return coverage
    }

    private static func corrupt(_ column: String) -> LedgerStoreError {
        LedgerStoreError(code: .corruptRow, detail: "column \(column) holds an unexpected value")
    }
}
