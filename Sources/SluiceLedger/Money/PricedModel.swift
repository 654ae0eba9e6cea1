/// A model as the ledger needs it: the names it is recorded under and the prices it is billed at.
///
/// The routing core has the richer `ModelSpec`; the ledger keeps only this, so pricing a turn
/// never depends on the policy's other parts.
package struct PricedModel: Sendable, Hashable {
    /// The policy's name for the model (`opus`).
    package var name: String
    /// The provider's model id (`claude-opus-5-5`).
    package var id: String
    /// The name of the upstream that serves it.
    package var upstream: String
    /// Its list prices.
    package var price: ModelPrice

    package init(name: String, id: String, upstream: String, price: ModelPrice) {
        self.name = name
        self.id = id
        self.upstream = upstream
        self.price = price
    }
}
