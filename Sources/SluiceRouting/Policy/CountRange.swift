/// An inclusive range of counts a rule condition accepts, open at either end.
///
/// Written `{min: 1, max: 150000}` in a policy; a bare number is refused, because "exactly N
/// prompt tokens" is never what a rule means.
package struct CountRange: Sendable, Hashable {
    /// The smallest count accepted; `nil` for no lower bound.
    package var min: Int?
    /// The largest count accepted; `nil` for no upper bound.
    package var max: Int?

    package init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }

    /// Whether `value` lies in the range, ends included.
    package func contains(_ value: Int) -> Bool {
        if let min, value < min { return false }
        if let max, value > max { return false }
        return true
    }

    /// Whether every count `other` accepts, this range accepts too.
    func includes(_ other: CountRange) -> Bool {
        if let min {
            guard let otherMin = other.min, otherMin >= min else { return false }
        }
        if let max {
            guard let otherMax = other.max, otherMax <= max else { return false }
        }
        return true
    }
}
