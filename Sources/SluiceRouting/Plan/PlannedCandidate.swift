/// One model the plan may send a turn to, and how to reach it.
package struct PlannedCandidate: Sendable, Hashable {
    /// The policy model.
    package var model: ModelSpec
    /// How to reach its upstream.
    package var route: UpstreamRoute

    package init(model: ModelSpec, route: UpstreamRoute) {
        self.model = model
        self.route = route
    }
}
