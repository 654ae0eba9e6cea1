/// Where a turn's time went, for the latency histograms; the ledger keeps its own milliseconds.
struct TurnTimings: Sendable {
    /// Sluice's own time: from the whole request in hand to the first upstream call.
    var overhead: Duration?
    /// From the call of the upstream that answered to its response head.
    var upstreamFirstByte: Duration?
    /// From the call of the upstream that answered to the end of its answer.
    var upstreamTotal: Duration?
}
