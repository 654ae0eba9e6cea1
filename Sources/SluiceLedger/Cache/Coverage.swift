/// How much of a counterfactual price is observed rather than modelled.
///
/// A savings figure is only as good as the counterfactual behind it, so every counterfactual says
/// which kind it is: a finance team can accept the exact ones, check the simulated ones against
/// their own bills, and see why the unknown ones are missing.
package enum Coverage: Sendable, Hashable, Codable {
    /// That model really answered the turn with the same cache state: its observed cost.
    case exact
    /// Priced from the turn's real token counts with a simulated prompt cache of that model.
    case simulated
    /// Not priced; the reason says why (no price for the model, no baseline in the policy).
    /// Sums count such a turn at its actual cost, so no saving is claimed for it.
    case unknown(String)

    /// `exact`, `simulated` or `unknown`, as the ledger and reports write it.
    package var name: String {
        switch self {
        case .exact: "exact"
        case .simulated: "simulated"
        case .unknown: "unknown"
        }
    }

    /// Why the figure is unknown; `nil` otherwise.
    package var reason: String? {
        if case .unknown(let reason) = self { return reason }
        return nil
    }

    /// Whether the figure is a price at all.
    package var isKnown: Bool { reason == nil }

    /// Reads the ledger's text back; `nil` for a name this version does not know.
    package init?(name: String, reason: String?) {
        switch name {
        case "exact": self = .exact
        case "simulated": self = .simulated
        case "unknown": self = .unknown(reason ?? "")
        default: return nil
        }
    }
}

/// What a turn would have cost on another model, and how that figure was obtained.
package struct Counterfactual: Sendable, Hashable, Codable {
    /// The price; the turn's actual cost when ``coverage`` is unknown, so sums claim no saving.
    package var cost: USD
    /// Exact, simulated, or unknown with a reason.
    package var coverage: Coverage

    package init(cost: USD, coverage: Coverage) {
        self.cost = cost
        self.coverage = coverage
    }

    /// An unknown figure, counted at the turn's actual cost.
    package static func unknown(_ reason: String, actualCost: USD) -> Counterfactual {
        Counterfactual(cost: actualCost, coverage: .unknown(reason))
    }
}
