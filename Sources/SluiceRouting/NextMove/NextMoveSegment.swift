import SluiceLedger
package import SluiceWire

/// One family of clients' weight set.
package struct NextMoveSegment: Sendable, Hashable {
    /// The client dialects it scores.
    package var clients: Set<Dialect>
    /// The constant term, in log-odds.
    package var intercept: Double
    /// The weight of each input, in ``NextMoveInput/allCases`` order.
    package var weights: [Double]
    /// What it was trained on.
    package var training: NextMoveTraining

    package init(clients: Set<Dialect>, intercept: Double, weights: [Double], training: NextMoveTraining) {
        precondition(weights.count == NextMoveInput.allCases.count, "one weight per input")
        self.clients = clients
        self.intercept = intercept
        self.weights = weights
        self.training = training
    }

    /// The clients' dialect names in their fixed order, as the file and the report write them.
    package var clientNames: [String] { Dialect.allCases.filter(clients.contains).map(\.rawValue) }

    /// The inputs in weight order, made once: `allCases` may build an array on every call.
    static let inputs = NextMoveInput.allCases

    /// The log-odds for a turn.
    package func logOdds(_ features: TurnFeatures) -> Double {
        var sum = intercept
        for index in weights.indices {
            let weight = weights[index]
            if weight != 0 { sum += weight * Self.inputs[index].value(in: features) }
        }
        return sum
    }
}
