package import SluiceWire

/// How one turn ended: everything forwarding and relaying learned, in one value.
///
/// Every way a turn can end (refused, failed upstream, fell back, relayed whole or streamed,
/// cut, cancelled) produces exactly one of these, and the gateway hands it to the ledger in one
/// place; pricing it is pure code (``TurnRecord/init(facts:outcome:)``).
package struct TurnOutcome: Sendable, Hashable {
    /// How the turn ended.
    package var status: TurnStatus
    /// The HTTP status the client received (499 when it left first).
    package var httpStatus: Int
    /// The model that answered, or the last one asked when none did; `nil` when nothing was
    /// forwarded.
    package var model: PricedModel?
    /// What the upstream reported, if anything.
    package var usage: Usage?
    /// Whether the answer ended as it should (a whole body, or the stream's terminal event);
    /// the usage of an answer cut short is partly an estimate.
    package var complete: Bool
    /// Output tokens to assume when the upstream reported none.
    package var outputEstimate: Int
    /// Milliseconds from the request's arrival to the first byte sent to the client.
    package var firstByteMilliseconds: Int?
    /// Milliseconds from the request's arrival to the end of the response.
    package var totalMilliseconds: Int
    /// Why the models before ``model`` were passed over (`rate_limited`, `upstream_timeout`...),
    /// when a fallback took the turn.
    package var fallback: String?
    /// Bytes of the request body the client sent.
    package var requestBytes: Int
    /// Bytes of the answer relayed to the client.
    package var responseBytes: Int

    package init(
        status: TurnStatus, httpStatus: Int, model: PricedModel? = nil, usage: Usage? = nil, complete: Bool = true,
        outputEstimate: Int = 0, firstByteMilliseconds: Int? = nil, totalMilliseconds: Int = 0,
        fallback: String? = nil, requestBytes: Int = 0, responseBytes: Int = 0
    ) {
        self.status = status
        self.httpStatus = httpStatus
        self.model = model
        self.usage = usage
        self.complete = complete
        self.outputEstimate = outputEstimate
        self.firstByteMilliseconds = firstByteMilliseconds
        self.totalMilliseconds = totalMilliseconds
        self.fallback = fallback
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
    }
}
