/// An exact amount of money in US dollars, counted in whole nanodollars.
///
/// Costs are sums of many tiny line items (a cache read of 3 tokens costs a few nanodollars),
/// so binary floating point would drift and make reports disagree with themselves. An `Int64`
/// count of nanodollars is exact, adds exactly, maps to an `INTEGER`/`BIGINT` column, and tops
/// out near $9.2 billion, far beyond any ledger. Arithmetic traps on overflow, like `Int64`.
///
/// ```swift
/// let total = USD(nanos: 1_200_000) + USD(nanos: 3_300_000)   // $0.0045
/// total.decimalString   // "0.0045"
/// total.display         // "$0.0045"
/// ```
package struct USD: Sendable, Hashable, Comparable, Codable {
    /// The amount in nanodollars (10⁻⁹ dollars); negative for a loss, such as negative savings.
    package var nanos: Int64

    /// Wraps a count of nanodollars.
    package init(nanos: Int64) {
        self.nanos = nanos
    }

    /// No money; the start of every sum.
    package static let zero = USD(nanos: 0)

    /// Nanodollars in one dollar.
    package static let nanosPerDollar: Int64 = 1_000_000_000

    /// Adds two amounts exactly; traps on overflow, which no real ledger reaches.
    package static func + (lhs: USD, rhs: USD) -> USD {
        USD(nanos: lhs.nanos + rhs.nanos)
    }

    /// Subtracts exactly, for savings (baseline − actual); traps on overflow.
    package static func - (lhs: USD, rhs: USD) -> USD {
        USD(nanos: lhs.nanos - rhs.nanos)
    }

    /// Adds in place, for running totals.
    package static func += (lhs: inout USD, rhs: USD) {
        lhs.nanos += rhs.nanos
    }

    /// Subtracts in place.
    package static func -= (lhs: inout USD, rhs: USD) {
        lhs.nanos -= rhs.nanos
    }

    /// Orders amounts by value, so reports can sort by cost or savings.
    package static func < (lhs: USD, rhs: USD) -> Bool {
        lhs.nanos < rhs.nanos
    }

    /// Encodes as a bare integer count of nanodollars, so a JSON round trip is exact.
    package init(from decoder: any Decoder) throws {
        nanos = try decoder.singleValueContainer().decode(Int64.self)
    }

    /// Encodes as a bare integer count of nanodollars, so a JSON round trip is exact.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(nanos)
    }
}
