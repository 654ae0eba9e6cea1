package import SluiceLedger

/// A named, priced target in a policy: an upstream, the provider's model id, its context window and
/// its prices.
///
/// Rules route to these by name; the gateway sends `id` upstream and the ledger prices the turn
/// with `price`.
package struct ModelSpec: Sendable, Hashable {
    /// The model's name in the policy (`models.<name>`), which rules and baselines refer to.
    package var name: String
    /// The name of the upstream that serves it.
    package var upstream: String
    /// The provider's model id, spliced into the request's `model` value.
    package var id: String
    /// The most tokens (prompt plus output) one request may hold; a rule never routes a turn that
    /// does not fit.
    package var contextWindow: Int
    /// List prices, exact, with an optional long-context tier.
    package var price: ModelPrice
    /// Models to try, in order, when this model's upstream fails before the first byte reaches
    /// the client (`fallback: [opus]`): refused, timed out, reset, or answering 429 or 5xx.
    package var fallbacks: [String]

    package init(
        name: String, upstream: String, id: String, contextWindow: Int, price: ModelPrice, fallbacks: [String] = []
    ) {
        self.name = name
        self.upstream = upstream
        self.id = id
        self.contextWindow = contextWindow
        self.price = price
        self.fallbacks = fallbacks
    }
}
