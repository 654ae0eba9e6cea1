package import SluiceLedger

/// One model the plan may send a turn to, and how to reach it.
package struct PlannedCandidate: Sendable, Hashable {
    /// The policy model.
    package var model: ModelSpec
    /// How to reach its upstream.
    package var route: UpstreamRoute
    /// The model as the ledger prices this turn: at the price in force when it arrived.
    package var priced: PricedModel

    package init(model: ModelSpec, route: UpstreamRoute, at time: Int64) {
        self.model = model
        self.route = route
        priced = model.priced(at: time)
    }
}
