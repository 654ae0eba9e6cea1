/// Dated list prices for models by id: what a turn costs on a model the policy does not route to
/// (the requested counterfactual), and the price in force on the day a turn ran.
///
/// Read from a price book file (`policies/prices.yaml`), which a policy includes with
/// `prices: FILE`. Ids match as ``ModelIdentity`` compares them, so a dated snapshot id finds its
/// model, and an entry's aliases find it too.
package struct PriceBook: Sendable, Hashable {
    /// One model's prices over time.
    package struct Entry: Sendable, Hashable {
        /// The provider's id.
        package var id: String
        /// Other ids the provider accepts for it.
        package var aliases: [String]
        /// How its prompt cache behaves.
        package var cache: CacheBehaviour
        /// Its prices, oldest first; each holds from its date until the next one's.
        package var prices: [DatedPrice]

        package init(id: String, aliases: [String] = [], cache: CacheBehaviour? = nil, prices: [DatedPrice]) {
            self.id = id
            self.aliases = aliases
            self.cache = cache ?? .defaults(forModelID: id)
            self.prices = prices.sorted { $0.fromMilliseconds < $1.fromMilliseconds }
        }

        /// The price in force at `time` (Unix milliseconds); `nil` before the first one.
        package func price(at time: Int64) -> ModelPrice? {
            prices.last { $0.fromMilliseconds <= time }?.price
        }

        /// The model as the ledger prices it at `time`, named by its id.
        package func priced(at time: Int64) -> PricedModel? {
            price(at: time).map { PricedModel(name: id, id: id, upstream: "", price: $0, cache: cache) }
        }
    }

    /// A price and the day it took effect.
    package struct DatedPrice: Sendable, Hashable {
        /// Midnight UTC of the day it took effect, Unix milliseconds.
        package var fromMilliseconds: Int64
        package var price: ModelPrice
        /// Where the numbers come from.
        package var source: String

        package init(fromMilliseconds: Int64, price: ModelPrice, source: String) {
            self.fromMilliseconds = fromMilliseconds
            self.price = price
            self.source = source
        }
    }

    /// The entries, in the file's order.
    package private(set) var entries: [Entry]
    private var index: [String: Int]

    package init(entries: [Entry] = []) {
        self.entries = []
        index = [:]
        for entry in entries { add(entry) }
    }

    /// An empty book.
    package static let empty = PriceBook()

    /// Adds an entry; an id or alias already taken keeps its first entry.
    package mutating func add(_ entry: Entry) {
        entries.append(entry)
        for id in [entry.id] + entry.aliases {
            let key = ModelIdentity.normalized(id)
            if index[key] == nil { index[key] = entries.count - 1 }
        }
    }

    /// The entry for a model id or alias, dated snapshots included.
    package func entry(for id: String) -> Entry? {
        index[ModelIdentity.normalized(id)].map { entries[$0] }
    }
}
