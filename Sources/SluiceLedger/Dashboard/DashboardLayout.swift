/// The frame every dashboard page shares: the document head with its inline style sheet, the
/// navigation (Overview · Sessions · Experiments · Policy), the period selector, and the footer.
///
/// The dashboard is served by the gateway itself, often on a laptop or behind a firewall, so a
/// page is one self-contained HTML document: the CSS is inline, charts are inline SVG drawn on
/// the server, and nothing is fetched from anywhere (no CDN, no web font, no script). The
/// content security policy in the head says so to the browser as well: even text that escaped
/// escaping could not run a script or load a resource. Everything works without JavaScript:
/// the period, filters and sort order are plain links and GET forms.
///
/// A page renders into one `String` reserved up front: the layout writes the head, calls the
/// page's body closure with the same buffer, and writes the footer.
///
/// ```swift
/// let layout = DashboardLayout(page: .overview, title: "Overview", period: period, nowMilliseconds: now)
/// let html = layout.rendered { html in html.append("<p>…</p>") }
/// ```
package struct DashboardLayout: Sendable {
    /// A top-level page, as the navigation lists it.
    package enum Page: String, Sendable, Hashable, CaseIterable {
        case overview, sessions, experiments, policy

        /// The name in the navigation.
        package var title: String {
            switch self {
            case .overview: "Overview"
            case .sessions: "Sessions"
            case .experiments: "Experiments"
            case .policy: "Policy"
            }
        }

        /// The page's path on the gateway.
        package var path: String {
            self == .overview ? Self.root : Self.root + "/" + rawValue
        }

        /// Where the dashboard is mounted.
        package static let root = "/dashboard"
    }

    /// The page shown; its navigation link is marked current.
    package var page: Page
    /// The document title, before `· Sluice`.
    package var title: String
    /// The period the page covers; `nil` hides the period selector (a single session).
    package var period: DashboardPeriod?
    /// The current time, Unix milliseconds: the period presets count back from its day.
    package var nowMilliseconds: Int64
    /// Query items besides the period that the period selector keeps (a sessions filter), so
    /// choosing another period does not drop them.
    package var keptQuery: [DashboardQuery.Item]
    /// Whether the selector offers day or week buckets (only the overview's chart uses them).
    package var showsGranularity: Bool

    package init(
        page: Page, title: String, period: DashboardPeriod?, nowMilliseconds: Int64,
        keptQuery: [DashboardQuery.Item] = [], showsGranularity: Bool = false
    ) {
        self.page = page
        self.title = title
        self.period = period
        self.nowMilliseconds = nowMilliseconds
        self.keptQuery = keptQuery
        self.showsGranularity = showsGranularity
    }

    /// `text` with HTML's special characters replaced by entities: safe in element content and in
    /// quoted attribute values. Every value from the ledger or the policy goes through it.
    package static func escaped(_ text: String) -> String {
        text.htmlEscaped
    }

    /// The whole document: head, navigation, period selector, the body `body` appends, footer.
    ///
    /// - Parameters:
    ///   - capacity: Bytes to reserve; a good guess saves the buffer from growing and copying.
    ///   - body: Appends the page's own markup to the buffer it is given.
    func rendered(capacity: Int = 32_768, body: (inout String) -> Void) -> String {
        var html = ""
        html.reserveCapacity(capacity + Self.styleSheet.utf8.count + 4_096)
        html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.append("<meta http-equiv=\"Content-Security-Policy\" content=\"\(Self.contentSecurityPolicy)\">\n")
        html.append("<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"robots\" content=\"noindex\">\n")
        html.append("<title>")
        html.appendEscaped(title)
        html.append(" · Sluice</title>\n<style>\n")
        html.append(Self.styleSheet)
        html.append("</style>\n</head>\n<body>\n<header class=\"top\">\n<a class=\"brand\" href=\"")
        html.append(Page.root)
        html.append("\">Sluice</a>\n")
        appendNavigation(to: &html)
        if let period { appendPeriodSelector(period, to: &html) }
        html.append("</header>\n<main>\n")
        body(&html)
        html.append("</main>\n<footer>Rendered ")
        html.append(UTCDateTime(unixMilliseconds: nowMilliseconds).shortDisplay)
        html.append(" UTC. Every figure comes from the ledger: ≈ simulated with the model's prompt cache, ")
        html.append("? unknown (counted at the actual cost), ~ estimated usage.</footer>\n</body>\n</html>\n")
        return html
    }

    /// Nothing may be loaded or run: styles are inline, images are inline SVG, forms go back to
    /// the gateway.
    package static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'"

    private func appendNavigation(to html: inout String) {
        html.append("<nav aria-label=\"Dashboard\">")
        for (index, target) in Page.allCases.enumerated() {
            if index > 0 { html.append("<span class=\"sep\" aria-hidden=\"true\">·</span>") }
            html.append("<a href=\"")
            // The period travels with the navigation, so every page shows the same stretch of time.
            html.appendEscaped(DashboardQuery.link(target.path, period?.queryItems() ?? []))
            html.append(target == page ? "\" aria-current=\"page\">" : "\">")
            html.append(target.title)
            html.append("</a>")
        }
        html.append("</nav>\n")
    }

    /// Preset links (today, 7 days, …) and a GET form with the two dates (and the chart's buckets
    /// on the overview), keeping the page's other query items.
    private func appendPeriodSelector(_ period: DashboardPeriod, to html: inout String) {
        let kept = keptQuery.map { ($0.name, $0.value) }
        html.append("<form class=\"period\" method=\"get\" action=\"")
        html.append(page.path)
        html.append("\">\n<span class=\"presets\">")
        for days in DashboardPeriod.presetDays {
            let preset = DashboardPeriod.lastDays(days, nowMilliseconds: nowMilliseconds)
            html.append("<a href=\"")
            html.appendEscaped(DashboardQuery.link(page.path, preset.queryItems() + kept))
            let current = preset.from == period.from && preset.until == period.until
            html.append(current ? "\" aria-current=\"true\">" : "\">")
            html.append(days == 1 ? "Today" : "\(days) days")
            html.append("</a>")
        }
        html.append("</span>\n")
        for item in keptQuery where !item.value.isEmpty {
            Self.appendHidden(item.name, item.value, to: &html)
        }
        html.append("<label>From <input type=\"date\" name=\"from\" value=\"")
        html.appendEscaped(UTCDateTime(unixMilliseconds: period.from).date)
        html.append("\"></label>\n<label>Until <input type=\"date\" name=\"until\" value=\"")
        html.appendEscaped(UTCDateTime(unixMilliseconds: period.until - 1).date)
        html.append("\"></label>\n")
        if showsGranularity {
            html.append("<label>By <select name=\"granularity\">")
            for granularity in DashboardPeriod.Granularity.allCases {
                Self.appendOption(
                    value: granularity.rawValue, label: granularity.rawValue,
                    selected: granularity == period.granularity, to: &html)
            }
            html.append("</select></label>\n")
        }
        html.append("<button type=\"submit\">Show</button>\n</form>\n")
    }
}

extension DashboardLayout {
    /// `<input type="hidden" name="…" value="…">`, both escaped.
    static func appendHidden(_ name: String, _ value: String, to html: inout String) {
        html.append("<input type=\"hidden\" name=\"")
        html.appendEscaped(name)
        html.append("\" value=\"")
        html.appendEscaped(value)
        html.append("\">\n")
    }

    /// `<option value="…" selected>label</option>`, both escaped.
    static func appendOption(value: String, label: String, selected: Bool, to html: inout String) {
        html.append("<option value=\"")
        html.appendEscaped(value)
        html.append(selected ? "\" selected>" : "\">")
        html.appendEscaped(label)
        html.append("</option>")
    }

    /// A friendly empty state: a heading and a paragraph of already-safe markup.
    ///
    /// - Parameters:
    ///   - title: Plain text, escaped here.
    ///   - detailHTML: Markup written by the dashboard itself, appended as is.
    static func appendEmptyState(title: String, detailHTML: String, to html: inout String) {
        html.append("<div class=\"empty\">\n<h2>")
        html.appendEscaped(title)
        html.append("</h2>\n")
        html.append(detailHTML)
        html.append("\n</div>\n")
    }
}
