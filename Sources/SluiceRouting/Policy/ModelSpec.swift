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
    /// How its prompt cache behaves (`cache:`, else the price book's, else the provider's default).
    package var cache: CacheBehaviour
    /// Its dated prices, when the policy took them from its price book instead of a `price:`.
    package var datedPrices: PriceBook.Entry?

    package init(
        name: String, upstream: String, id: String, contextWindow: Int, price: ModelPrice, fallbacks: [String] = [],
        cache: CacheBehaviour? = nil, datedPrices: PriceBook.Entry? = nil
    ) {
        self.name = name
        self.upstream = upstream
        self.id = id
        self.contextWindow = contextWindow
        self.price = price
        self.fallbacks = fallbacks
        self.cache = cache ?? datedPrices?.cache ?? .defaults(forModelID: id)
        self.datedPrices = datedPrices
    }

    /// The model as the ledger prices a turn that ran at `time`: the price in force that day when
    /// the prices are dated, the policy's own otherwise. A turn dated before the book's first price
    /// for a model the policy routes to takes the newest one (``price``): the turn ran, so it cost
    /// something; a requested model the book cannot price that day is unknown instead.
    package func priced(at time: Int64) -> PricedModel {
        PricedModel(
            name: name, id: id, upstream: upstream, price: datedPrices?.price(at: time) ?? price, cache: cache)
    }
}
