import SluiceWire

extension TurnRecord {
    /// The turn's fields in session detail reports (JSON object members and CSV columns), in order.
    ///
    /// - Parameter index: The turn's 1-based position in its session.
    /// - Parameter depth: Its depth in the session's call tree (0 for the main thread).
    func reportFields(index: Int, depth: Int = 0) -> ReportFields {
        [
            ("index", .integer(index)),
            ("id", .string(id)),
            ("at", .string(UTCDateTime(unixMilliseconds: startedAtMilliseconds).iso8601)),
            ("model", .string(model)),
            ("model_id", .string(modelID)),
            ("upstream", .string(upstream)),
            ("requested_model", .string(requestedModel)),
            ("rule", .string(rule)),
            ("reason", .string(reason)),
            ("arm", .optionalString(arm)),
            ("shape", .string(shape)),
            ("tool_categories", .strings(toolCategories)),
            ("status", .string(status.rawValue)),
            ("http_status", .integer(httpStatus)),
            ("guard", .optionalString(guardNote)),
            ("stream", .bool(stream)),
            ("estimated", .bool(estimated)),
            ("input_tokens", .integer(usage.uncachedInput)),
            ("cache_read_tokens", .integer(usage.cacheRead)),
            ("cache_write_5m_tokens", .integer(usage.cacheWrite5m)),
            ("cache_write_1h_tokens", .integer(usage.cacheWrite1h)),
            ("output_tokens", .integer(usage.output)),
            ("reasoning_tokens", .integer(usage.reasoning)),
            ("web_search_requests", .integer(usage.webSearchRequests)),
            ("agent_id", .optionalString(agentID)),
            ("parent_agent_id", .optionalString(parentAgentID)),
            ("side_call", .bool(isSideCall)),
            ("depth", .integer(depth)),
            ("actual_usd", .usd(cost)),
            ("requested_usd", .usd(requested)),
            ("requested_coverage", .string(requested.coverage.name)),
            ("requested_coverage_reason", .optionalString(requested.coverage.reason)),
            ("baseline_usd", .usd(baseline)),
            ("baseline_coverage", .string(baseline.coverage.name)),
            ("baseline_coverage_reason", .optionalString(baseline.coverage.reason)),
            ("baseline_list_usd", .usd(baselineListCost)),
            ("savings_usd", .usd(savings)),
            ("routing_savings_usd", .usd(routingSavings)),
            ("first_byte_ms", .optionalInteger(firstByteMilliseconds)),
            ("total_ms", .integer(totalMilliseconds)),
        ]
    }
}
