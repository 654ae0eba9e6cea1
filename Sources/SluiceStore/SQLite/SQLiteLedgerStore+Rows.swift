import Foundation
import SQLiteNIO
import SluiceLedger
import SluiceWire

extension TurnRecord {
    /// The record's values in the order of ``SQLiteLedgerStore/turnColumns``.
    var sqliteBinds: [SQLiteData] {
        [
            .text(id), .integer(SQLiteInt64(startedAtMilliseconds)), .text(session), .optionalText(tag),
            .optionalText(agentID), .optionalText(parentAgentID), .flag(isSideCall), .text(clientDialect.rawValue),
            .text(requestedModel), .text(model), .text(modelID), .text(upstream), .text(rule), .optionalText(arm),
            .text(reason), .text(shape), .text(toolCategories.joined(separator: ",")),
            .int(promptTokensEstimate), .int(loopDepth), .flag(toolError), .flag(stream),
            .int(usage.uncachedInput), .int(usage.cacheRead), .int(usage.cacheWrite5m),
            .int(usage.cacheWrite1h), .int(usage.output), .int(usage.reasoning), .flag(estimated),
            .integer(SQLiteInt64(cost.nanos)), .text(baselineModel), .integer(SQLiteInt64(baselineListCost.nanos)),
            .integer(SQLiteInt64(baselineCost.nanos)), firstByteMilliseconds.map { .int($0) } ?? .null,
            .int(totalMilliseconds), .text(status.rawValue), .int(httpStatus), .optionalText(fallback),
            requestBytes.map { .int($0) } ?? .null, responseBytes.map { .int($0) } ?? .null,
            .optionalText(baselineCoverage?.name), .optionalText(baselineCoverage?.reason),
            requestedCost.map { .integer(SQLiteInt64($0.nanos)) } ?? .null, .optionalText(requestedCoverage?.name),
            .optionalText(requestedCoverage?.reason), toolCallRepeats.map { .int($0) } ?? .null,
            .int(usage.webSearchRequests), .optionalText(user), .optionalText(client), .optionalText(experiment),
            .optionalText(features?.json), .optionalText(guardNote),
        ]
    }

    /// Reads a record from a row selected with every ``SQLiteLedgerStore/turnColumns``.
    ///
    /// - Throws: ``LedgerStoreError`` `corruptRow` naming the column that does not hold what
    ///   the schema promises (for example a status this version does not know).
    init(row: SQLiteRow) throws {
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
                usage: try Usage(row: row),
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
                features: try row.optionalText("features").map(Self.features(json:)),
                guardNote: try row.optionalText("guard")
            )
        } catch var error as LedgerStoreError {
            error.recordID = id
            throw error
        }
    }
}

extension TurnRecord {
    fileprivate static func features(json: String) throws -> RecordedFeatures {
        guard let features = RecordedFeatures(json: json) else {
            throw LedgerStoreError(code: .corruptRow, detail: "column features holds an unexpected value")
        }
        return features
    }
}

extension ShadowRecord {
    /// What the columns do not hold: usage and both answers, as JSON.
    private struct Detail: Codable {
        var usage: Usage
        var primary: Answer
        var shadow: Answer
    }

    var sqliteBinds: [SQLiteData] {
        let detail = (try? JSONEncoder().encode(Detail(usage: usage, primary: primary, shadow: shadow)))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return [
            .text(id), .text(turnID), .text(session), .integer(SQLiteInt64(startedAtMilliseconds)), .text(name),
            .text(rule), .text(shape), .optionalText(arm), .text(primaryModel), .text(shadowModel),
            .text(status.rawValue), .int(httpStatus), .integer(SQLiteInt64(cost.nanos)),
            .integer(SQLiteInt64(primaryCost.nanos)), firstByteMilliseconds.map { .int($0) } ?? .null,
            .int(totalMilliseconds), .int(primaryTotalMilliseconds), .flag(sameTools), .flag(sameArguments),
            .flag(sameStopReason), .text(detail),
        ]
    }

    init(row: SQLiteRow) throws {
        let id = try row.text("id")
        guard let detail = try? JSONDecoder().decode(Detail.self, from: Data(try row.text("detail").utf8)) else {
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

extension SessionOutcome {
    var sqliteBinds: [SQLiteData] {
        [
            .text(id), .text(session), .text(verdict.rawValue), score.map { .float($0) } ?? .null,
            .optionalText(note), .integer(SQLiteInt64(recordedAtMilliseconds)),
        ]
    }

    init(row: SQLiteRow) throws {
        let score: Double?
        switch row.column("score") {
        case .float(let value): score = value
        case .integer(let value): score = Double(value)
        default: score = nil
        }
        self.init(
            id: try row.text("id"), session: try row.text("session"), verdict: try row.enumeration("verdict"),
            score: score, note: try row.optionalText("note"), recordedAtMilliseconds: try row.int64("recorded_at_ms"))
    }
}

extension SessionSummary {
    /// Reads a summary from a row of ``SQLiteLedgerStore/sessionSummariesSQL``.
    init(row: SQLiteRow) throws {
        self.init(
            session: try row.text("session"),
            tag: try row.optionalText("tag"),
            firstAtMilliseconds: try row.int64("first_at_ms"),
            lastAtMilliseconds: try row.int64("last_at_ms"),
            turns: try row.int("turns"),
            routedTurns: try row.int("routed_turns"),
            failedTurns: try row.int("failed_turns"),
            estimatedTurns: try row.int("estimated_turns"),
            usage: try Usage(row: row),
            cost: USD(nanos: try row.int64("cost_nanos")),
            baselineListCost: USD(nanos: try row.int64("baseline_list_cost_nanos")),
            baselineCost: USD(nanos: try row.int64("baseline_cost_nanos")),
            requestedCost: USD(nanos: try row.int64("requested_cost_nanos"))
        )
    }
}

extension Usage {
    /// Reads the six usage columns, which turns and summaries name alike.
    init(row: SQLiteRow) throws {
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

extension SQLiteData {
    static func optionalText(_ text: String?) -> SQLiteData {
        text.map { .text($0) } ?? .null
    }

    static func int(_ value: Int) -> SQLiteData {
        .integer(SQLiteInt64(value))
    }

    static func flag(_ value: Bool) -> SQLiteData {
        .integer(value ? 1 : 0)
    }
}

extension SQLiteRow {
    /// The column's value, or `corruptRow` if the query did not select it.
    private func data(_ column: String) throws -> SQLiteData {
        guard let data = self.column(column) else { throw Self.corrupt(column) }
        return data
    }

    func text(_ column: String) throws -> String {
        guard case .text(let text) = try data(column) else { throw Self.corrupt(column) }
        return text
    }

    func optionalText(_ column: String) throws -> String? {
        switch try data(column) {
        case .null: return nil
        case .text(let text): return text
        default: throw Self.corrupt(column)
        }
    }

    func int64(_ column: String) throws -> Int64 {
        guard case .integer(let value) = try data(column) else { throw Self.corrupt(column) }
        return Int64(value)
    }

    func int(_ column: String) throws -> Int {
        guard case .integer(let value) = try data(column), let int = Int(exactly: value) else {
            throw Self.corrupt(column)
        }
        return int
    }

    func optionalInt(_ column: String) throws -> Int? {
        if case .null = try data(column) { return nil }
        return try int(column)
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        if case .null = try data(column) { return nil }
        return try int64(column)
    }

    /// A coverage column and its reason column (`<column>_reason`); `nil` when the row predates them.
    func coverage(_ column: String) throws -> Coverage? {
        guard let name = try optionalText(column) else { return nil }
        guard let coverage = Coverage(name: name, reason: try optionalText(column + "_reason")) else {
            throw Self.corrupt(column)
        }
        return coverage
    }

    func flag(_ column: String) throws -> Bool {
        switch try data(column) {
        case .integer(0): return false
        case .integer(1): return true
        default: throw Self.corrupt(column)
        }
    }

    func enumeration<Value: RawRepresentable<String>>(_ column: String) throws -> Value {
        guard let value = Value(rawValue: try text(column)) else { throw Self.corrupt(column) }
        return value
    }

    private static func corrupt(_ column: String) -> LedgerStoreError {
        LedgerStoreError(code: .corruptRow, detail: "column \(column) holds an unexpected value")
    }
}
