/// The five per-token prices a model charges within one context-length band.
///
/// Each kind of prompt token is priced separately because prompt caching changes the bill far
/// more than model choice does: a cache read is typically a tenth of an uncached input token,
/// and a cache write costs more than one.
package struct PriceTier: Sendable, Hashable {
    /// Prompt tokens neither read from nor written to a cache.
    package var input: TokenPrice
    /// Generated tokens, reasoning included.
    package var output: TokenPrice
    /// Prompt tokens read from a cache.
    package var cacheRead: TokenPrice
    /// Prompt tokens written to a cache entry with a 5-minute (default) lifetime.
    package var cacheWrite5m: TokenPrice
    /// Prompt tokens written to a cache entry with a 1-hour lifetime.
    package var cacheWrite1h: TokenPrice

    /// Groups the five prices; cache prices default to free for models without a prompt cache.
    package init(
        input: TokenPrice, output: TokenPrice, cacheRead: TokenPrice = .zero,
        cacheWrite5m: TokenPrice = .zero, cacheWrite1h: TokenPrice = .zero
    ) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
    }

    /// A tier where every token is free, for local models.
    package static let free = PriceTier(input: .zero, output: .zero)
}
