import SluiceWire

extension SessionSummary {
    /// The session's fields in savings reports (JSON object members and CSV columns), in order.
    var reportFields: ReportFields {
        [
            ("session", .string(session)),
            ("tag", .optionalString(tag)),
            ("turns", .integer(turns)),
            ("routed_turns", .integer(routedTurns)),
            ("failed_turns", .integer(failedTurns)),
            ("estimated_turns", .integer(estimatedTurns)),
            ("input_tokens", .integer(usage.uncachedInput)),
            ("cache_read_tokens", .integer(usage.cacheRead)),
            ("cache_write_tokens", .integer(usage.cacheWrite)),
            ("output_tokens", .integer(usage.output)),
            ("reasoning_tokens", .integer(usage.reasoning)),
            ("actual_usd", .usd(cost)),
            ("requested_usd", .usd(requestedCost)),
            ("baseline_usd", .usd(baselineCost)),
            ("baseline_list_usd", .usd(baselineListCost)),
            ("savings_usd", .usd(savings)),
            ("routing_savings_usd", .usd(routingSavings)),
            ("savings_pct", .percent(basisPoints: savingsBasisPoints)),
            ("first_seen", .string(UTCDateTime(unixMilliseconds: firstAtMilliseconds).iso8601)),
            ("last_seen", .string(UTCDateTime(unixMilliseconds: lastAtMilliseconds).iso8601)),
        ]
    }

    /// A money cell for tables, marked `~` when some of the session's usage is estimated.
    func moneyCell(_ amount: USD) -> String {
        (estimatedTurns > 0 ? "~" : "") + amount.display
    }
}
