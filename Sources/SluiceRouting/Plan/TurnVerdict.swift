package import SluiceLedger
package import SluiceWire

/// Whether a planned turn goes upstream.
///
/// Guards (budgets, loop breakers) will add their own verdicts; today a turn is refused only when
/// the policy has no model for it or cannot reach the model it chose.
package enum TurnVerdict: Sendable, Hashable {
    /// Send it to the plan's candidates, in order.
    case forward
    /// Answer the client with `error` in its dialect, and record the turn as `status`.
    case refuse(ClientError, status: TurnStatus)
}
