import SluiceLedger
import SluiceWire
import Testing

@Suite struct DashboardOverviewTests {
    typealias M = DashboardMarkup

    /// A week ending today (2026-11-19 to 2026-11-25), by day.
    static let week = DashboardPeriod(from: M.today - 6 * M.day, until: M.today + M.day, granularity: .day)

    /// Three sessions over the week: `a` two turns on the 19th (one routed), `b` one on the 22nd,
    /// `c` one today.
    static let turns: [TurnRecord] = [
        .spend(
            id: "a1", at: M.today - 6 * M.day + M.hour, session: "a", tag: "PROJ-1", user: "ana", cost: 10_000_000,
            requested: 30_000_000, baseline: 40_000_000),
        .spend(
            id: "a2", at: M.today - 6 * M.day + 2 * M.hour, session: "a", tag: "PROJ-1", user: "ana", model: "haiku",
            cost: 1_000_000, requested: 2_000_000, baseline: 9_000_000),
        .spend(id: "b1", at: M.today - 3 * M.day, session: "b", user: "bo", cost: 200_000_000, baseline: 300_000_000),
        .spend(
            id: "c1", at: M.today + M.hour, session: "c", tag: "PROJ-2", user: "ana", cost: 3_000_000_000,
            estimated: true),
    ]

    @Test func theSpendChartHasOnePointPerDayInEachOfItsThreeSeries() throws {
        let html = DashboardOverview(turns: Self.turns, period: Self.week, nowMilliseconds: M.now).html
        let chart = M.section(of: html, from: "data-chart=\"spend-over-time\"", to: "</svg>")
        #expect(M.values(of: "data-points", in: html).first == "7")
        #expect(M.count("<polyline", in: chart) == 3)
        #expect(M.count("<circle class=\"point\"", in: chart) == 21)
        for series in ["spend", "requested", "baseline"] {
            #expect(M.count("<circle class=\"point\" data-series=\"\(series)\"", in: chart) == 7)
            #expect(M.count("<polyline data-series=\"\(series)\"", in: chart) == 1)
        }
        #expect(chart.contains("<title>2026-11-19: spend $0.0110</title>"))
    }

    @Test func weeksStartOnMondayAndTheChartStopsAtToday() {
        // 2026-11-01 is a Sunday: its week starts on Monday 2026-10-26. The period runs to the end
        // of November, but the buckets stop at this week (2026-11-23).
        let november = DashboardPeriod(from: 1_793_491_200_000, until: 1_796_083_200_000, granularity: .week)
        let series = DashboardSpendSeries(turns: Self.turns, period: november, nowMilliseconds: M.now)
        #expect(series.points.count == 5)
        #expect(UTCDateTime(unixMilliseconds: series.points[0].startMilliseconds).date == "2026-10-26")
        #expect(UTCDateTime(unixMilliseconds: series.points[4].startMilliseconds).date == "2026-11-23")
        // Every turn is in some bucket: the chart adds up to the totals.
        #expect(series.points.reduce(USD.zero) { $0 + $1.spend } == USD(nanos: 3_211_000_000))
        #expect(series.points.reduce(0) { $0 + $1.turns } == 4)

        let html = DashboardOverview(turns: Self.turns, period: november, nowMilliseconds: M.now).html
        #expect(M.values(of: "data-points", in: html).first == "5")
        #expect(M.count("<circle class=\"point\"", in: html) == 15)
        #expect(html.contains("Spend per week"))
    }

    @Test func theCostHistogramHasOneBarPerBucketAndTheSuggestedCap() throws {
        let report = LongTailReport(turns: Self.turns)
        let buckets = report.distribution.histogram.buckets
        let html = DashboardOverview(turns: Self.turns, period: Self.week, nowMilliseconds: M.now).html
        let chart = M.section(of: html, from: "data-chart=\"cost-distribution\"", to: "</svg>")
        #expect(chart.hasPrefix(" data-points=\"\(buckets.count)\""))
        #expect(M.count("<rect class=\"bar\"", in: chart) == buckets.count)
        #expect(M.values(of: "data-sessions", in: chart).map { Int($0) ?? -1 } == buckets.map(\.sessions))
        #expect(M.count("class=\"cap-line\"", in: chart) == 1)
        #expect(chart.contains("cap \(report.distribution.suggestedCap.display)"))
        for figure in ["Median", "p90", "p99", "Max"] {
            #expect(html.contains("<div class=\"label\">\(figure)</div>"))
        }
    }

    @Test func showsTotalsBothSavingsAndTheRoutedShare() {
        let html = DashboardOverview(turns: Self.turns, period: Self.week, nowMilliseconds: M.now).html
        // Spend $3.211, requested $3.232 (b1 has no requested price: counted at its cost),
        // baseline $3.349; one estimated turn marks the money with ~.
        #expect(html.contains("data-sort-value=\"3211000000\">~$3.2110</div>"))
        #expect(html.contains("data-sort-value=\"3232000000\">~$3.2320</div>"))
        #expect(html.contains("data-sort-value=\"3349000000\">~$3.3490</div>"))
        #expect(html.contains("data-sort-value=\"138000000\">~$0.1380</div>"))  // saved against baseline
        // One of four turns was answered by a model other than the baseline.
        #expect(html.contains("<div class=\"label\">Routed</div><div class=\"value\">25.00%</div>"))
        #expect(html.contains("1 with estimated usage"))
        // Top users: ana spent on a and c, most first.
        let users = M.section(of: html, from: "id=\"top-users\"", to: "</table>")
        #expect(M.count("<tr><td", in: users) == 2)
        #expect(users.contains("<td class=\"key\">ana</td>"))
        let tags = M.section(of: html, from: "id=\"top-tags\"", to: "</table>")
        #expect(tags.contains("<td class=\"key\">(none)</td>"))
    }

    @Test func anEmptyPeriodIsAFriendlyPageWithoutCharts() {
        let html = DashboardOverview(turns: [], period: Self.week, nowMilliseconds: M.now).html
        #expect(html.contains("No turns in this period"))
        #expect(M.count("<svg", in: html) == 0)
        #expect(M.count("data-points", in: html) == 0)
        #expect(html.hasSuffix("</html>\n"))
    }

    @Test func freeSessionsDrawBarsButNoCapLine() {
        let free: [TurnRecord] = [.spend(id: "f", at: M.now - M.hour, session: "f", cost: 0)]
        let html = DashboardOverview(turns: free, period: Self.week, nowMilliseconds: M.now).html
        let chart = M.section(of: html, from: "data-chart=\"cost-distribution\"", to: "</svg>")
        #expect(M.count("<rect class=\"bar\"", in: chart) == 1)
        #expect(M.count("cap-line", in: chart) == 0)
    }

    /// 100,000 turns in 5,000 sessions render in linear passes: well within a test's patience.
    @Test(.timeLimit(.minutes(1))) func rendersAHundredThousandTurns() {
        var turns: [TurnRecord] = []
        turns.reserveCapacity(100_000)
        for index in 0..<100_000 {
            turns.append(
                .spend(
                    id: "t\(index)", at: M.today - Int64(index % 30) * M.day + Int64(index % 997) * 1_000,
                    session: "s\(index % 5_000)", tag: "T\(index % 40)", user: "u\(index % 25)",
                    model: index % 3 == 0 ? "haiku" : "opus", cost: Int64(1_000 + index % 10_000 * 1_000)))
        }
        let period = DashboardPeriod.lastDays(30, nowMilliseconds: M.now)
        let overview = DashboardOverview(turns: turns, period: period, nowMilliseconds: M.now).html
        #expect(M.values(of: "data-points", in: overview).first == "30")
        let filter = DashboardSessionFilter(period: period, sort: .cost)
        let sessions = DashboardSessions(turns: turns, outcomes: [], filter: filter, nowMilliseconds: M.now).html
        #expect(M.values(of: "data-session", in: sessions).count == DashboardSessionFilter.defaultLimit)
        #expect(sessions.contains("200 of 5,000 sessions"))
    }
}
