/// What the next-move model said about one turn.
package struct NextMovePrediction: Sendable, Hashable {
    /// The probability that the frontier model's next reply would only search, read or list.
    package var cheap: Double

    package init(cheap: Double) {
        self.cheap = cheap
    }

    /// ``cheap`` in thousandths, rounded: what a `p_cheap` range is compared with.
    package var cheapThousandths: Int { Int((cheap * 1000).rounded()) }
}
