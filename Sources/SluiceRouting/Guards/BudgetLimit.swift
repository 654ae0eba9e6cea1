package import SluiceLedger

/// A cap's ceiling: a fixed amount, or a multiple of the p90 session cost the ledger shows.
package enum BudgetLimit: Sendable, Hashable {
    /// A fixed amount.
    case dollars(USD)
    /// `cap: p90x3`: the multiple of the p90 cost of recent sessions (of the session's tag, when
    /// the tag has enough of them), recomputed from the ledger while the gateway runs. Until the
    /// ledger holds enough sessions there is no ceiling.
    case p90Times(Int)

    /// How the policy writes it: `1.00` or `p90x3`.
    package var written: String {
        switch self {
        case .dollars(let amount): amount.decimalString
        case .p90Times(let multiple): "p90x\(multiple)"
        }
    }
}

/// Where a soft limit starts: an amount, or a share of the cap.
package enum BudgetThreshold: Sendable, Hashable {
    case dollars(USD)
    case percent(Int)

    /// The amount for a cap of `limit`.
    package func amount(of limit: USD) -> USD {
        switch self {
        case .dollars(let amount): amount
        case .percent(let percent): USD(nanos: limit.nanos / 100 * Int64(percent) + limit.nanos % 100 * Int64(percent) / 100)
        }
    }
}
