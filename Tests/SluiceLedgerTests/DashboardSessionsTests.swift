import SluiceLedger
import SluiceWire
import Testing

@Suite struct DashboardSessionsTests {
    typealias M = DashboardMarkup

    static let period = DashboardPeriod.lastDays(7, nowMilliseconds: M.now)

    /// `a`: three turns two days ago (ana, PROJ-1, claude-code); `b`: one turn yesterday (bo,
    /// PROJ-1, codex) in a tool loop; `c`: two turns in the last half hour (ana, no tag, no
    /// client, arm `cheap`), one routed; `old`: twenty days ago, outside the period.
    static let turns: [TurnRecord] = {
        var turns: [TurnRecord] = []
        for index in 0..<3 {
            turns.append(
                .spend(
                    id: "a\(index)", at: M.today - 2 * M.day + Int64(index) * M.hour, session: "a", tag: "PROJ-1",
                    user: "ana", client: "claude-code", cost: 10_000_000, requested: 20_000_000, baseline: 30_000_000))
        }
        turns.append(
            .spend(
                id: "b0", at: M.today - M.day, session: "b", tag: "PROJ-1", user: "bo", client: "codex",
                toolCallRepeats: 2, cost: 50_000_000))
        for (index, model) in ["opus", "haiku"].enumerated() {
            var turn = TurnRecord.spend(
                id: "c\(index)", at: M.now - 30 * 60_000 + Int64(index) * 20 * 60_000, session: "c", user: "ana",
                model: model, cost: 5_000_000, baseline: 20_000_000)
            turn.arm = "cheap"
            turn.experiment = "e"
            turns.append(turn)
        }
        turns.append(.spend(id: "old", at: M.today - 20 * M.day, session: "old", tag: "OLD", cost: 1))
        return turns
    }()

    static let outcomes = [SessionOutcome(id: "o", session: "a", verdict: .success, recordedAtMilliseconds: M.now)]

    static func page(_ filter: DashboardSessionFilter) -> DashboardSessions {
        DashboardSessions(turns: Self.turns, outcomes: Self.outcomes, filter: filter, nowMilliseconds: M.now)
    }

    static func order(_ filter: DashboardSessionFilter) -> [String] {
        M.values(of: "data-session", in: page(filter).html)
    }

    /// Each order and the sessions it lists: `a` costs 3¢ and saved 6¢, `b` 5¢ and nothing, `c` 1¢
    /// and 3¢.
    static let orders: [(DashboardSessionFilter.Sort, DashboardSessionFilter.Direction, [String])] = [
        (.recent, .desc, ["c", "b", "a"]),
        (.recent, .asc, ["a", "b", "c"]),
        (.cost, .desc, ["b", "a", "c"]),
        (.cost, .asc, ["c", "a", "b"]),
        (.savings, .desc, ["a", "c", "b"]),
        (.turns, .desc, ["a", "c", "b"]),
        (.first, .asc, ["a", "b", "c"]),
    ]

    @Test(arguments: DashboardSessionsTests.orders)
    func sortsOnTheServer(
        sort: DashboardSessionFilter.Sort, direction: DashboardSessionFilter.Direction, expected: [String]
    ) {
        #expect(Self.order(DashboardSessionFilter(period: Self.period, sort: sort, direction: direction)) == expected)
    }

    @Test func equalKeysFallBackToTheSessionKey() {
        let rows = ["z", "m", "a"].map { key in
            DashboardSessionRow(
                session: key, turns: [.spend(id: key, at: M.now - M.hour, session: key, cost: 5)], outcome: nil,
                nowMilliseconds: M.now)
        }
        let filter = DashboardSessionFilter(period: Self.period, sort: .cost, direction: .desc)
        #expect(filter.apply(to: rows).rows.map(\.session) == ["a", "m", "z"])
    }

    @Test func filtersKeepOnlyMatchingSessions() {
        func only(
            user: String? = nil, tag: String? = nil, client: String? = nil, arm: String? = nil, flag: WasteFlag? = nil
        ) -> [String] {
            Self.order(
                DashboardSessionFilter(period: Self.period, user: user, tag: tag, client: client, arm: arm, flag: flag))
        }
        #expect(only(tag: "PROJ-1") == ["b", "a"])
        #expect(only(tag: "(none)") == ["c"])
        #expect(only(user: "ana") == ["c", "a"])
        #expect(only(client: "codex") == ["b"])
        #expect(only(client: "anthropic") == ["c"])  // no program named: the dialect stands in
        #expect(only(arm: "cheap") == ["c"])
        #expect(only(flag: .toolLoop) == ["b"])
        #expect(only(user: "ana", tag: "PROJ-1") == ["a"])
        #expect(only(tag: "nobody").isEmpty)
    }

    @Test func countsShownOfTotalAndRespectsTheLimit() {
        let html = Self.page(DashboardSessionFilter(period: Self.period, sort: .cost, limit: 2)).html
        #expect(M.values(of: "data-session", in: html) == ["b", "a"])
        // The session twenty days ago is outside the period and not counted.
        #expect(html.contains("<strong>2 of 3 sessions</strong> (3 match; the first 2 are shown"))
        let none = Self.page(DashboardSessionFilter(period: Self.period, tag: "nobody")).html
        #expect(none.contains("<strong>0 of 3 sessions</strong>"))
        #expect(none.contains("No session matches these filters"))
        #expect(M.count("id=\"sessions\"", in: none) == 0)
    }

    @Test func readsTheFilterFromTheURL() {
        let filter = DashboardSessionFilter(
            queryItems: [
                ("tag", "PROJ-1"), ("user", ""), ("flag", "tool_loop"), ("sort", "cost"), ("dir", "asc"),
                ("limit", "99999"), ("from", "2026-11-19"), ("until", "2026-11-25"),
            ], nowMilliseconds: M.now)
        #expect(filter.tag == "PROJ-1")
        #expect(filter.user == nil)
        #expect(filter.flag == .toolLoop)
        #expect(filter.sort == .cost && filter.direction == .asc)
        #expect(filter.limit == DashboardSessionFilter.maximumLimit)
        #expect(filter.period == Self.period)

        let nonsense = DashboardSessionFilter(
            query: ["sort": "price", "dir": "up", "limit": "many", "flag": "bogus"], nowMilliseconds: M.now)
        #expect(nonsense.sort == .recent && nonsense.direction == .desc)
        #expect(nonsense.limit == DashboardSessionFilter.defaultLimit)
        #expect(nonsense.flag == nil)
    }

    @Test func columnHeadersSortAndKeepTheOtherFilters() {
        let filter = DashboardSessionFilter(period: Self.period, tag: "PROJ-1", sort: .cost, direction: .desc)
        let html = Self.page(filter).html
        let hrefs = M.values(of: "href", in: html)
        // The current column flips its direction; another starts descending; both keep the tag.
        #expect(hrefs.contains { $0.contains("tag=PROJ-1") && $0.contains("sort=cost&amp;dir=asc") })
        #expect(hrefs.contains { $0.contains("tag=PROJ-1") && $0.contains("sort=turns&amp;dir=desc") })
        #expect(html.contains("<th class=\"num\" data-sort=\"cost\" aria-sort=\"descending\">"))
        // The period presets keep the filters too.
        #expect(hrefs.contains { $0.hasPrefix("/dashboard/sessions?from=") && $0.contains("tag=PROJ-1") })
    }

    @Test func theFormOffersTheValuesPresentInThePeriod() {
        let html = Self.page(DashboardSessionFilter(period: Self.period, tag: "PROJ-1")).html
        let tags = M.section(of: html, from: "<select name=\"tag\">", to: "</select>")
        #expect(M.values(of: "value", in: tags) == ["", "PROJ-1", "(none)"])
        #expect(tags.contains("<option value=\"PROJ-1\" selected>"))
        let flags = M.section(of: html, from: "<select name=\"flag\">", to: "</select>")
        #expect(M.values(of: "value", in: flags) == ["", "tool_loop"])
        #expect(M.count("<form class=\"filters\" method=\"get\"", in: html) == 1)
    }

    @Test func rowsCarryExactFiguresOutcomesAndFlags() {
        let html = Self.page(DashboardSessionFilter(period: Self.period)).html
        let a = M.section(of: html, from: "<tr data-session=\"a\">", to: "</tr>")
        #expect(a.contains("<a href=\"/dashboard/sessions/a\">a</a>"))
        #expect(a.contains("<td class=\"num\" data-sort-value=\"30000000\">$0.0300</td>"))  // cost
        #expect(a.contains("<td class=\"num\" data-sort-value=\"60000000\">$0.0600</td>"))  // requested
        #expect(a.contains("<td class=\"num pos\" data-sort-value=\"60000000\">$0.0600</td>"))  // savings
        #expect(a.contains("<td class=\"verdict-success\">success</td>"))
        let b = M.section(of: html, from: "<tr data-session=\"b\">", to: "</tr>")
        #expect(b.contains("data-flag=\"tool_loop\""))
        let c = M.section(of: html, from: "<tr data-session=\"c\">", to: "</tr>")
        #expect(c.contains("in progress"))
        #expect(c.contains("<td>cheap</td>"))
    }

    @Test func hostileKeysAreEscapedAndEncoded() {
        let key = "x\"><script>alert(1)</script>"
        let turns: [TurnRecord] = [.spend(id: "h", at: M.now - M.hour, session: key, tag: "<b>t</b>")]
        let html = DashboardSessions(
            turns: turns, outcomes: [], filter: DashboardSessionFilter(period: Self.period), nowMilliseconds: M.now
        ).html
        #expect(M.count("<script>", in: html) == 0)
        #expect(M.count("<b>t</b>", in: html) == 0)
        #expect(M.values(of: "data-session", in: html) == ["x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"])
        #expect(html.contains("href=\"/dashboard/sessions/x%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E\""))
        #expect(html.contains("<option value=\"&lt;b&gt;t&lt;/b&gt;\">&lt;b&gt;t&lt;/b&gt;</option>"))
    }

    @Test func anEmptyPeriodSaysSo() {
        let html = DashboardSessions(
            turns: [], outcomes: [], filter: DashboardSessionFilter(period: Self.period), nowMilliseconds: M.now
        ).html
        #expect(html.contains("No sessions in this period"))
        #expect(M.count("<table", in: html) == 0)
    }
}
