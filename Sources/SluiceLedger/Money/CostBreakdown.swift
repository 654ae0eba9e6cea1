/// What one turn cost, line item by line item.
///
/// Keeping the line items apart lets reports show where money went (cache writes are often a
/// surprise) and lets tests check each rounding on its own.
package struct CostBreakdown: Sendable, Hashable {
    /// Uncached prompt tokens.
    package var input: USD
    /// Prompt tokens read from a cache.
    package var cacheRead: USD
    /// Prompt tokens written with a 5-minute lifetime.
    package var cacheWrite5m: USD
    /// Prompt tokens written with a 1-hour lifetime.
    package var cacheWrite1h: USD
    /// Generated tokens, reasoning included.
    package var output: USD
    /// Fees per server-side tool request (web searches).
    package var serverTools: USD
    /// Time-priced generation (a local model's amortized hardware and power).
    package var generation: USD

    /// Groups the line items.
    package init(
        input: USD = .zero, cacheRead: USD = .zero, cacheWrite5m: USD = .zero, cacheWrite1h: USD = .zero,
        output: USD = .zero, serverTools: USD = .zero, generation: USD = .zero
    ) {
        self.input = input
        self.cacheRead = cacheRead
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.output = output
        self.serverTools = serverTools
        self.generation = generation
    }

    /// The turn's cost: the exact sum of the already-rounded line items.
    package var total: USD { input + cacheRead + cacheWrite5m + cacheWrite1h + output + serverTools + generation }
}
