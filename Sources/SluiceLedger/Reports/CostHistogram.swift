/// Session costs counted in log-scale buckets, for a text histogram of the long tail.
///
/// Session costs span five or six orders of magnitude (a side-call-only session costs a few
/// hundredths of a cent, a runaway agent tens of dollars), so equal-width buckets would put
/// nearly every session in the first one. Buckets are powers of ten split in halves at √10:
/// …, $0.01–$0.0316, $0.0316–$0.10, $0.10–$0.316, …. The √10 boundaries are computed exactly in
/// integer nanodollars (``boundaries``), so which bucket a cost falls in never depends on
/// floating point.
///
/// ```swift
/// let histogram = CostHistogram(sessionCosts: costs)
/// print(histogram.lines().joined(separator: "\n"))
/// //   $0.032 – $0.10   ████████████████████  1
/// //    $0.10 – $0.32   ████████████████████████████████████████  2
/// ```
package struct CostHistogram: Sendable, Hashable {
    /// The sessions whose cost falls in `lower ..< upper`.
    package struct Bucket: Sendable, Hashable {
        /// The smallest cost in the bucket; zero only for the bucket of free sessions.
        package var lower: USD
        /// The first cost above the bucket.
        package var upper: USD
        /// How many sessions cost `lower ..< upper`.
        package var sessions: Int

        package init(lower: USD, upper: USD, sessions: Int) {
            self.lower = lower
            self.upper = upper
            self.sessions = sessions
        }

        /// Whether this is the bucket of sessions that cost nothing (`$0 ..< 1 nanodollar`),
        /// which a log scale cannot place.
        package var isZero: Bool { lower.nanos == 0 }
    }

    /// The buckets from the cheapest session's to the most expensive one's, empty ones in
    /// between included, so gaps in the tail show; first the bucket of free sessions, when any.
    package var buckets: [Bucket]

    /// The longest bar, in characters; the fullest bucket gets it.
    package static let barWidth = 40

    /// Counts the sessions into buckets.
    ///
    /// A cost of zero (or, which the ledger never holds, below zero) goes in the bucket of free
    /// sessions.
    ///
    /// - Parameter sessionCosts: One cost per session, in any order.
    package init(sessionCosts: [USD]) {
        var freeSessions = 0
        var counts: [Int: Int] = [:]
        for cost in sessionCosts {
            if cost.nanos <= 0 {
                freeSessions += 1
            } else {
                counts[Self.bucketIndex(ofNanos: cost.nanos), default: 0] += 1
            }
        }
        var buckets: [Bucket] = []
        if freeSessions > 0 {
            buckets.append(Bucket(lower: .zero, upper: USD(nanos: 1), sessions: freeSessions))
        }
        if let cheapest = counts.keys.min(), let dearest = counts.keys.max() {
            for index in cheapest...dearest {
                buckets.append(
                    Bucket(
                        lower: USD(nanos: Self.boundaries[index]), upper: USD(nanos: Self.upperBoundary(of: index)),
                        sessions: counts[index] ?? 0))
            }
        }
        self.buckets = buckets
    }

    /// The lower boundaries of the positive buckets, in nanodollars: 10^(k/2) for even k and
    /// √10 × 10^((k−1)/2) rounded to the nearest nanodollar for odd k, k = 0...37 (1 nanodollar
    /// up to about $3.16 billion, the last that fits in `Int64`).
    ///
    /// The odd ones are `round(√(10^k))`, taken with an integer square root in `Int128`, so
    /// `boundaries[15]` is exactly 31_622_777 ($0.0316…).
    package static let boundaries: [Int64] = (0...37).map { (k: Int) -> Int64 in
        let power = CostHistogram.power(of: 10, k / 2)
        guard k % 2 == 1 else { return power }
        let square = Int128(power) * Int128(power) * 10
        let root = CostHistogram.integerSquareRoot(square)
        // √square is irrational, so it is never exactly halfway: round up when
        // square − root² > root, that is when square > (root + ½)².
        return Int64(square - root * root > root ? root + 1 : root)
    }

    /// The index into ``boundaries`` of the bucket holding a positive cost.
    package static func bucketIndex(ofNanos nanos: Int64) -> Int {
        precondition(nanos > 0, "only positive costs have a log-scale bucket")
        var index = 0
        while index + 1 < boundaries.count, boundaries[index + 1] <= nanos {
            index += 1
        }
        return index
    }

    /// The histogram as text lines, without trailing spaces; no lines when there are no sessions.
    ///
    /// Each line is the bucket's range, a bar scaled so the fullest bucket has ``barWidth``
    /// characters (any non-empty bucket at least one), and the number of sessions:
    /// `  $0.10 – $0.32   ████████████  41`. Ranges and counts are aligned.
    package func lines() -> [String] {
        guard let fullest = buckets.map(\.sessions).max(), fullest > 0 else { return [] }
        let froms = buckets.map { Self.label($0.lower) }
        let tos = buckets.map { $0.isZero ? "" : Self.label($0.upper) }
        let fromWidth = froms.map(\.count).max() ?? 0
        let toWidth = tos.map(\.count).max() ?? 0
        let countWidth = buckets.map { String($0.sessions).count }.max() ?? 0

        return buckets.indices.map { (index: Int) -> String in
            let bucket = buckets[index]
            let from = Self.padding(fromWidth - froms[index].count) + froms[index]
            // The free bucket has no upper end to show; blanks keep the bars aligned.
            let to =
                bucket.isZero
                ? Self.padding(3 + toWidth) : " – " + tos[index] + Self.padding(toWidth - tos[index].count)
            let length = Self.barLength(bucket.sessions, fullest: fullest)
            let bar = String(repeating: "█", count: length) + Self.padding(Self.barWidth - length)
            let count = String(bucket.sessions)
            return "  " + from + to + "   " + bar + "  " + Self.padding(countWidth - count.count) + count
        }
    }

    /// A bucket boundary for people: two significant digits below a dollar (`"$0.032"`,
    /// `"$0.10"`, `"$0.000000003"`), cents from a dollar up (`"$3.16"`, `"$1,000.00"`), `"$0"`
    /// for nothing. Rounded half up.
    ///
    /// ``USD/display`` shows four decimals, which would print $0.0316 and $0.00316 alike as
    /// `$0.0316` and `$0.0032`; a scale that spans decades reads better with a fixed number of
    /// significant digits.
    package static func label(_ amount: USD) -> String {
        guard amount.nanos > 0 else { return "$0" }
        let digits = String(amount.nanos).count
        // Keep two significant digits: a 9-digit amount (dimes) shows 2 decimals, an 8-digit
        // one 3, and so on, but never fewer than 2 or more than 9.
        let fractionDigits = min(9, max(2, 11 - digits))
        let unit = power(of: 10, 9 - fractionDigits)
        var scaled = amount.nanos / unit
        if (amount.nanos % unit) * 2 >= unit { scaled += 1 }
        let scale = power(of: 10, fractionDigits)
        var fraction = String(scaled % scale)
        fraction = String(repeating: "0", count: fractionDigits - fraction.count) + fraction
        while fraction.count > 2, fraction.last == "0" {
            fraction.removeLast()
        }
        return "$" + NumberText.grouped(scaled / scale) + "." + fraction
    }

    /// The upper end of bucket `index`: the next boundary, or the largest amount for the last.
    private static func upperBoundary(of index: Int) -> Int64 {
        index + 1 < boundaries.count ? boundaries[index + 1] : Int64.max
    }

    /// `sessions` scaled to `fullest` → ``barWidth``, rounded half up; at least 1 when non-zero.
    private static func barLength(_ sessions: Int, fullest: Int) -> Int {
        guard sessions > 0 else { return 0 }
        return max(1, (2 * sessions * barWidth + fullest) / (2 * fullest))
    }

    private static func padding(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width))
    }

    private static func power(of base: Int64, _ exponent: Int) -> Int64 {
        (0..<exponent).reduce(Int64(1)) { product, _ in product * base }
    }

    /// ⌊√n⌋ by Newton's method on integers (exact, no floating point).
    private static func integerSquareRoot(_ n: Int128) -> Int128 {
        guard n > 1 else { return n }
        var x = n
        var y = (x + 1) / 2
        while y < x {
            x = y
            y = (x + n / x) / 2
        }
        return x
    }
}
