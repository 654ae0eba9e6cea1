import SluiceLedger
import SluiceWire
import Testing

/// Reading the dashboard's markup in tests, without Foundation or an HTML parser: the pages put
/// every fact a test needs in attributes (`data-session`, `data-turn-id`, `data-points`…).
enum DashboardMarkup {
    /// Now in the dashboard tests: 2026-11-25T12:00:00Z.
    static let now: Int64 = 1_795_608_000_000
    /// Midnight UTC of 2026-11-25.
    static let today: Int64 = 1_795_564_800_000
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000

    /// How often `needle` occurs in `text`, not overlapping.
    static func count(_ needle: String, in text: String) -> Int {
        let bytes = Array(text.utf8)
        let pattern = Array(needle.utf8)
        var found = 0
        var index = 0
        while let start = find(pattern, in: bytes, from: index) {
            found += 1
            index = start + pattern.count
        }
        return found
    }

    /// The values of every ` name="…"` attribute, in document order, as written (still escaped).
    static func values(of attribute: String, in html: String) -> [String] {
        let bytes = Array(html.utf8)
        let pattern = Array(" \(attribute)=\"".utf8)
        var values: [String] = []
        var index = 0
        while let start = find(pattern, in: bytes, from: index) {
            let valueStart = start + pattern.count
            var end = valueStart
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
            values.append(String(decoding: bytes[valueStart..<end], as: UTF8.self))
            index = end
        }
        return values
    }

    /// The text from the first `start` to the next `end` after it (both excluded); empty when absent.
    static func section(of html: String, from start: String, to end: String) -> String {
        let bytes = Array(html.utf8)
        guard let open = find(Array(start.utf8), in: bytes, from: 0) else { return "" }
        let from = open + start.utf8.count
        let close = find(Array(end.utf8), in: bytes, from: from) ?? bytes.count
        return String(decoding: bytes[from..<close], as: UTF8.self)
    }

    /// Every problem that would make a page load something from elsewhere or run a script.
    static func offSiteProblems(in html: String) -> [String] {
        var problems: [String] = []
        for attribute in ["src", "href", "action", "xlink:href", "srcset", "poster", "data"] {
            for value in values(of: attribute, in: html) where !(value.hasPrefix("/") && !value.hasPrefix("//")) {
                problems.append("\(attribute)=\"\(value)\"")
            }
        }
        for needle in ["http://", "https://", "<script", "<link", "<iframe", "<img", "@import", "url("] {
            if count(needle, in: html) > 0 { problems.append(needle) }
        }
        return problems
    }

    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        var index = start
        while index <= bytes.count - pattern.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                return index
            }
            index += 1
        }
        return nil
    }
}

/// The shared pieces: escaping, URLs, the period, and that no page reaches off-site.
@Suite struct DashboardHTMLTests {
    static let hostile = "<script>alert('x')</script>\"&"

    @Test func escapesEveryCharacterHTMLGivesMeaningTo() {
        #expect(
            DashboardLayout.escaped(#"<a href="x">'&'</a>"#)
                == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(DashboardLayout.escaped("plain ünïcode · text") == "plain ünïcode · text")
    }

    @Test func sessionLinksKeepTheKeyOnePathSegment() {
        #expect(
            DashboardSessionPage.path(of: "cc:a b/c?d#<é>") == "/dashboard/sessions/cc%3Aa%20b%2Fc%3Fd%23%3C%C3%A9%3E")
        #expect(DashboardSessionPage.path(of: "plain-key_1.2~x") == "/dashboard/sessions/plain-key_1.2~x")
        // The handler gets the key back from the segment, a plus staying a plus.
        for key in ["cc:a+b c/d?e#f", Self.hostile, "ünï%code"] {
            let segment = String(DashboardSessionPage.path(of: key).dropFirst("/dashboard/sessions/".count))
            #expect(DashboardSessionPage.session(fromPathSegment: segment) == key)
        }
    }

    @Test func readsQueryStringsAsFormsSendThem() {
        let query = DashboardQuery(queryString: "?user=ana+b&tag=%3Cx%3E&empty=&flag&bad=%zz%4")
        #expect(query["user"] == "ana b")
        #expect(query["tag"] == "<x>")
        #expect(query["empty"] == nil)
        #expect(query["flag"] == nil)
        #expect(query["bad"] == "%zz%4")
        #expect(
            DashboardQuery.encoded([("tag", "a b&c"), ("user", ""), ("sort", "cost")]) == "tag=a%20b%26c&sort=cost")
        #expect(DashboardQuery(["b": "2", "a": "1"]).items.map(\.name) == ["a", "b"])
    }

    @Test func thePeriodNamesItsLastDayAndDefaultsToThirtyDays() {
        let november = DashboardPeriod(
            query: DashboardQuery(queryString: "from=2026-11-01&until=2026-11-30"), nowMilliseconds: DashboardMarkup.now
        )
        #expect(november.from == 1_793_491_200_000)
        #expect(november.until == 1_796_083_200_000)  // midnight after the 30th
        #expect(november.untilText == "2026-11-30")
        #expect(november.granularity == .day)
        #expect(november.caption == "2026-11-01 – 2026-11-30")

        let standard = DashboardPeriod(query: DashboardQuery([]), nowMilliseconds: DashboardMarkup.now)
        #expect(standard.until == DashboardMarkup.today + DashboardMarkup.day)
        #expect(standard.from == standard.until - 30 * DashboardMarkup.day)
        #expect(standard.contains(DashboardMarkup.now))

        let year = DashboardPeriod(query: DashboardQuery(["from": "2026-01-01"]), nowMilliseconds: DashboardMarkup.now)
        #expect(year.granularity == .week)
        let asked = DashboardPeriod(
            query: DashboardQuery(["from": "2026-01-01", "granularity": "day"]), nowMilliseconds: DashboardMarkup.now)
        #expect(asked.granularity == .day)

        // A start after the end, or text that is no date, falls back to the default.
        let backwards = DashboardPeriod(
            query: DashboardQuery(["from": "2026-12-05", "until": "nonsense"]), nowMilliseconds: DashboardMarkup.now)
        #expect(backwards == standard)
    }

    /// Every page, with hostile values everywhere a client chooses text, loads nothing from
    /// elsewhere and runs nothing.
    @Test func noPageReferencesAnythingOffSite() {
        let hostile = Self.hostile
        var turns: [TurnRecord] = [
            .spend(
                id: "t1", at: DashboardMarkup.now - DashboardMarkup.hour, session: hostile, tag: hostile, user: hostile,
                client: hostile, agent: hostile, rule: hostile, cost: 20_000_000),
            .spend(id: "t2", at: DashboardMarkup.now - 2 * DashboardMarkup.hour, session: "plain", cost: 5_000_000),
        ]
        turns[0].arm = hostile
        turns[0].experiment = hostile
        turns[0].guardNote = hostile
        let period = DashboardPeriod.lastDays(7, nowMilliseconds: DashboardMarkup.now)
        let filter = DashboardSessionFilter(period: period, tag: hostile)
        let outcome = SessionOutcome(
            id: "o", session: hostile, verdict: .failure, note: hostile, recordedAtMilliseconds: DashboardMarkup.now)
        let pages = [
            DashboardOverview(turns: turns, period: period, nowMilliseconds: DashboardMarkup.now).html,
            DashboardOverview(turns: [], period: period, nowMilliseconds: DashboardMarkup.now).html,
            DashboardSessions(turns: turns, outcomes: [outcome], filter: filter, nowMilliseconds: DashboardMarkup.now)
                .html,
            DashboardSessionPage(
                session: hostile, turns: [turns[0]], outcome: outcome, nowMilliseconds: DashboardMarkup.now
            ).html,
            DashboardSessionPage.notFoundHTML(session: hostile, nowMilliseconds: DashboardMarkup.now),
            DashboardExperiments(
                turns: turns, outcomes: [outcome], period: period, nowMilliseconds: DashboardMarkup.now
            )
            .html,
            DashboardExperiments(turns: [], outcomes: [], period: period, nowMilliseconds: DashboardMarkup.now).html,
            DashboardPolicy(
                path: hostile, yaml: hostile, loadedAtMilliseconds: DashboardMarkup.now, ruleNames: [hostile],
                turns: turns, period: period, nowMilliseconds: DashboardMarkup.now
            ).html,
        ]
        for html in pages {
            #expect(DashboardMarkup.offSiteProblems(in: html) == [])
            #expect(DashboardMarkup.count("<script", in: html) == 0)
            #expect(DashboardMarkup.count("alert('x')", in: html) == 0)
            #expect(html.hasPrefix("<!doctype html>"))
            #expect(html.contains("Content-Security-Policy"))
            #expect(DashboardMarkup.count("<svg", in: html) == DashboardMarkup.count("</svg>", in: html))
        }
        // The hostile text is shown, escaped, where it belongs.
        #expect(pages[2].contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"))
        #expect(pages[3].contains("<code>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;</code>"))
        #expect(pages[7].contains("<pre id=\"policy-yaml\"><code>&lt;script&gt;"))
    }
}
