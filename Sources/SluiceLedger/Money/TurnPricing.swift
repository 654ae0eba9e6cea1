package import SluiceWire

/// Prices one turn: its actual cost and both baselines (DESIGN §6).
///
/// One function, used by the gateway and by `replay`, so the three figures are always derived
/// the same way from the same usage.
package enum TurnPricing {
    /// The actual cost, the list baseline and the cache-faithful baseline of one turn.
    ///
    /// - `cost` is `actual.cost(of: usage).total`.
    /// - `baselineList` is `baseline.listCost(of: usage)`: every prompt token at the baseline's
    ///   uncached input price.
    /// - `baseline` is the cache-faithful baseline. Until the prompt-cache simulation exists it
    ///   is the first approximation of DESIGN §6: the same usage (cache reads and writes as they
    ///   happened) re-priced at the baseline model's prices. When the baseline model answered
    ///   the turn it is exactly `cost`, so such a turn never shows savings or losses.
    ///
    /// ```swift
    /// let prices = TurnPricing.price(usage: usage, actual: haiku, baseline: opus, baselineIsActual: false)
    /// record.cost = prices.cost
    /// ```
    ///
    /// - Parameters:
    ///   - usage: The turn's normalized usage.
    ///   - actual: Prices of the model that answered.
    ///   - baseline: Prices of the policy's baseline model.
    ///   - baselineIsActual: Whether the baseline model answered this turn.
    package static func price(
        usage: Usage, actual: ModelPrice, baseline: ModelPrice, baselineIsActual: Bool
    ) -> (cost: USD, baselineList: USD, baseline: USD) {
        let cost = actual.cost(of: usage).total
        let baselineCost = baselineIsActual ? cost : baseline.cost(of: usage).total
        return (cost: cost, baselineList: baseline.listCost(of: usage), baseline: baselineCost)
    }
}
