package import SluiceLedger
package import SluiceWire

/// Whether a planned turn goes upstream.
///
/// A turn is refused when the policy has no model for it, cannot reach the model it chose, or a
/// budget's hard limit stops it; the loop breaker answers it itself.
package enum TurnVerdict: Sendable, Hashable {
    /// Send it to the plan's candidates, in order.
    case forward
    /// Answer the client with `error` in its dialect, and record the turn as `status`.
    case refuse(ClientError, status: TurnStatus)
    /// Answer the client with `text` as an ordinary assistant reply in its dialect (no tool call,
    /// so the agent stops and shows it), and record the turn as refused by a guard.
    case answer(text: String)
}
