import SluiceLedger
import Testing

/// The p90 session cost behind `p90x3` caps and the anomaly flag: sessions summed from spend
/// rows, a figure only with enough sessions, a tag's own figure or the overall one.
@Suite struct SessionPercentilesTests {
    static let day: Int64 = 20_000

    /// A row of `cents` spent by `session` on `day`.
    static func row(_ session: String, tag: String? = nil, day: Int64 = SessionPercentilesTests.day, _ cents: Int64) -> SpendRow {
        SpendRow(session: session, user: nil, tag: tag, day: day, cost: .cents(cents))
    }

    @Test func sumsEachSessionsRowsBeforeTakingThePercentile() {
        // Session "long" costs 60¢ on each of two days: $1.20 in all, the dearest session.
        let rows = [
            Self.row("long", 60), Self.row("a", 5), Self.row("b", 10), Self.row("c", 20),
            Self.row("long", day: Self.day + 1, 60), Self.row("d", 100),
        ]
        let percentiles = SessionPercentiles(rows: rows)
        // Five sessions: the nearest-rank p90 of five is the largest.
        #expect(percentiles.overall == .cents(120))
        #expect(percentiles.byTag.isEmpty)
    }

    @Test func needsFiveSessionsForAFigure() {
        let four = (1...4).map { Self.row("s\($0)", Int64($0)) }
        #expect(SessionPercentiles(rows: four).overall == nil)
        #expect(SessionPercentiles(rows: four).p90(tag: nil) == nil)
        // Many rows of few sessions are still few sessions.
        let split = four + four
        #expect(SessionPercentiles(rows: split).overall == nil)
        let five = four + [Self.row("s5", 5)]
        #expect(SessionPercentiles(rows: five).overall == .cents(5))
        #expect(SessionPercentiles(rows: []) == SessionPercentiles())
    }

    @Test func aTagWithFewSessionsFallsBackToTheOverallFigure() {
        let big = (1...5).map { Self.row("big\($0)", tag: "big", Int64($0) * 100) }
        let small = (1...2).map { Self.row("small\($0)", tag: "small", Int64($0)) }
        let untagged = (1...3).map { Self.row("plain\($0)", Int64($0) * 10) }
        let percentiles = SessionPercentiles(rows: big + small + untagged)
        // Ten sessions overall: the 9th cheapest.
        #expect(percentiles.overall == .cents(400))
        #expect(percentiles.byTag == ["big": .cents(500)])
        #expect(percentiles.p90(tag: "big") == .cents(500))
        #expect(percentiles.p90(tag: "small") == .cents(400))
        #expect(percentiles.p90(tag: "unknown") == .cents(400))
        #expect(percentiles.p90(tag: nil) == .cents(400))
    }

    @Test func aSessionsTagIsTheLastItsRowsName() {
        // Each session's rows: tagged "draft", then "release", then untagged and empty-tagged
        // (which name no tag).
        let rows = (1...5).flatMap { index in
            [
                Self.row("s\(index)", tag: "draft", Int64(index)),
                Self.row("s\(index)", tag: "release", Int64(index)),
                Self.row("s\(index)", tag: "", Int64(index)),
                Self.row("s\(index)", Int64(index)),
            ]
        }
        let percentiles = SessionPercentiles(rows: rows)
        // Sessions of 4¢, 8¢ ... 20¢, all counted under "release".
        #expect(percentiles.byTag == ["release": .cents(20)])
        #expect(percentiles.overall == .cents(20))
    }

    @Test(arguments: [(5, 5), (9, 9), (10, 9), (11, 10), (20, 18), (100, 90)] as [(Int64, Int64)])
    func takesTheNearestRankP90(sessions: Int64, rank: Int64) {
        // Sessions costing 1¢, 2¢, ... listed dearest first: the p90 is the ⌈0.9 n⌉-th cheapest.
        let rows = (1...sessions).reversed().map { Self.row("s\($0)", $0) }
        #expect(SessionPercentiles(rows: rows).overall == .cents(rank))
    }
}
