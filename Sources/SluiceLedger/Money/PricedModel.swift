/// A model as the ledger needs it: the names it is recorded under, the prices it is billed at,
/// and how its prompt cache behaves.
///
/// The routing core has the richer `ModelSpec`; the ledger keeps only this, so pricing a turn
/// never depends on the policy's other parts. The prices are the ones in force when the turn ran.
package struct PricedModel: Sendable, Hashable {
    /// The policy's name for the model (`opus`); the id again for a model known only from the
    /// price book.
    package var name: String
    /// The provider's model id (`claude-opus-5-5`).
    package var id: String
    /// The name of the upstream that serves it; empty for a model known only from the price book.
    package var upstream: String
    /// Its list prices.
    package var price: ModelPrice
    /// How its prompt cache behaves.
    package var cache: CacheBehaviour

    package init(name: String, id: String, upstream: String, price: ModelPrice, cache: CacheBehaviour? = nil) {
        self.name = name
        self.id = id
        self.upstream = upstream
        self.price = price
        self.cache = cache ?? .defaults(forModelID: id)
    }
}

/// The model a counterfactual prices a turn on, or why there is none.
package enum CounterfactualModel: Sendable, Hashable {
    /// Price the turn on this model.
    case priced(PricedModel)
    /// No figure: the reason goes into the turn's coverage.
    case unpriced(String)
}
