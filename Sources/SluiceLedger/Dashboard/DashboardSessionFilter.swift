/// Which sessions the sessions page lists and in what order, read from its URL.
///
/// Filtering and sorting happen on the server, so the page works without JavaScript, a view can
/// be bookmarked, and a browser never receives 100,000 rows to sort: the filter keeps the
/// matching rows, sorts them and shows at most ``limit``.
///
/// URL items: `user`, `tag`, `client`, `arm` (exact values; ``SpendGroupKey/noValue``, `(none)`,
/// selects sessions without one), `flag` (a ``WasteFlag`` raw value such as `tool_loop`),
/// `from` and `until` (``DashboardPeriod``), `sort` (`recent`, `cost`, `savings`, `turns`,
/// `first`), `dir` (`asc`, `desc`) and `limit` (default ``defaultLimit``, at most
/// ``maximumLimit``). Values that cannot be read fall back to the defaults rather than failing
/// the page.
///
/// ```swift
/// let filter = DashboardSessionFilter(query: ["tag": "PROJ-1", "sort": "cost"], nowMilliseconds: now)
/// let selection = filter.apply(to: rows)   // PROJ-1's sessions, dearest first
/// ```
package struct DashboardSessionFilter: Sendable, Hashable {
    /// What the rows are sorted by.
    package enum Sort: String, Sendable, Hashable, CaseIterable {
        /// Latest activity (the last turn's start).
        case recent
        /// Actual cost.
        case cost
        /// Savings against the all-frontier counterfactual.
        case savings
        /// Number of turns.
        case turns
        /// The first turn's start.
        case first

        /// The sort's name in the form.
        package var label: String {
            switch self {
            case .recent: "latest activity"
            case .cost: "cost"
            case .savings: "savings"
            case .turns: "turns"
            case .first: "start"
            }
        }
    }

    /// Ascending or descending.
    package enum Direction: String, Sendable, Hashable, CaseIterable {
        case asc, desc

        /// The other direction.
        package var reversed: Direction { self == .asc ? .desc : .asc }
    }

    /// Rows shown when the URL names no limit.
    package static let defaultLimit = 200
    /// The most rows a page shows, whatever the URL asks: a page stays quick to render and read.
    package static let maximumLimit = 2_000

    /// Only sessions of this user.
    package var user: String?
    /// Only sessions with this tag.
    package var tag: String?
    /// Only sessions of this client (``DashboardSessionRow/clientName``).
    package var client: String?
    /// Only sessions in this experiment arm.
    package var arm: String?
    /// Only sessions showing this waste pattern.
    package var flag: WasteFlag?
    /// Only sessions with activity in this period.
    package var period: DashboardPeriod
    /// The order.
    package var sort: Sort
    /// Its direction.
    package var direction: Direction
    /// The most rows shown, 1 to ``maximumLimit``.
    package var limit: Int

    package init(
        period: DashboardPeriod, user: String? = nil, tag: String? = nil, client: String? = nil, arm: String? = nil,
        flag: WasteFlag? = nil, sort: Sort = .recent, direction: Direction = .desc,
        limit: Int = DashboardSessionFilter.defaultLimit
    ) {
        self.period = period
        self.user = user
        self.tag = tag
        self.client = client
        self.arm = arm
        self.flag = flag
        self.sort = sort
        self.direction = direction
        self.limit = min(max(1, limit), Self.maximumLimit)
    }

    /// Reads the filter from the page's query items.
    ///
    /// - Parameters:
    ///   - query: The query items.
    ///   - nowMilliseconds: The current time, for the default period.
    package init(query: DashboardQuery, nowMilliseconds: Int64) {
        self.init(
            period: DashboardPeriod(query: query, nowMilliseconds: nowMilliseconds), user: query["user"],
            tag: query["tag"], client: query["client"], arm: query["arm"],
            flag: query["flag"].flatMap(WasteFlag.init(rawValue:)),
            sort: query["sort"].flatMap(Sort.init(rawValue:)) ?? .recent,
            direction: query["dir"].flatMap(Direction.init(rawValue:)) ?? .desc,
            limit: query["limit"].flatMap { Int($0) } ?? Self.defaultLimit)
    }

    /// Reads the filter from query items already split, in URL order.
    package init(queryItems: [(String, String)], nowMilliseconds: Int64) {
        self.init(query: DashboardQuery(queryItems), nowMilliseconds: nowMilliseconds)
    }

    /// Reads the filter from query items as a dictionary.
    package init(query: [String: String], nowMilliseconds: Int64) {
        self.init(query: DashboardQuery(query), nowMilliseconds: nowMilliseconds)
    }

    /// The rows a page shows, and how many there were to choose from.
    package struct Selection: Sendable, Hashable {
        /// The matching rows in order, at most ``DashboardSessionFilter/limit`` of them.
        package var rows: [DashboardSessionRow]
        /// Rows that match the filter, before the limit.
        package var matching: Int
        /// Rows with activity in the period, before the other filters.
        package var total: Int
        /// What every matching row cost (not only those shown).
        package var cost: USD
        /// Their requested counterfactual.
        package var requested: USD
        /// Their all-frontier counterfactual.
        package var baseline: USD
    }

    /// Whether a row passes every filter.
    package func matches(_ row: DashboardSessionRow) -> Bool {
        guard period.overlaps(first: row.firstAtMilliseconds, last: row.lastAtMilliseconds) else { return false }
        if let user, !Self.value(row.user, is: user) { return false }
        if let tag, !Self.value(row.tag, is: tag) { return false }
        if let client, row.clientName != client { return false }
        if let arm, !Self.value(row.arm, is: arm) { return false }
        if let flag, !row.flags.contains(where: { $0.flag == flag }) { return false }
        return true
    }

    /// Whether `lhs` comes before `rhs`: by the sort key in the chosen direction, then by session
    /// key ascending, so equal keys list the same way every time.
    package func isOrderedBefore(_ lhs: DashboardSessionRow, _ rhs: DashboardSessionRow) -> Bool {
        let left = key(lhs)
        let right = key(rhs)
        if left != right { return direction == .asc ? left < right : left > right }
        return lhs.session < rhs.session
    }

    /// Filters, sorts and limits the rows, in one pass plus a sort of the matching ones.
    package func apply(to rows: [DashboardSessionRow]) -> Selection {
        var matching: [DashboardSessionRow] = []
        var total = 0
        var cost = USD.zero
        var requested = USD.zero
        var baseline = USD.zero
        for row in rows where period.overlaps(first: row.firstAtMilliseconds, last: row.lastAtMilliseconds) {
            total += 1
            guard matches(row) else { continue }
            matching.append(row)
            cost += row.cost
            requested += row.requested
            baseline += row.baseline
        }
        matching.sort(by: isOrderedBefore)
        return Selection(
            rows: Array(matching.prefix(limit)), matching: matching.count, total: total, cost: cost,
            requested: requested, baseline: baseline)
    }

    /// The URL items of this filter, period first; defaults left out, so links stay short.
    package var queryItems: [(String, String)] {
        queryItems(sort: sort, direction: direction)
    }

    /// The URL items of this filter with another order: what a column header links to.
    package func queryItems(sort: Sort, direction: Direction) -> [(String, String)] {
        var items = period.queryItems()
        for (name, value) in [("user", user), ("tag", tag), ("client", client), ("arm", arm)] {
            if let value { items.append((name, value)) }
        }
        if let flag { items.append(("flag", flag.rawValue)) }
        if sort != .recent || direction != .desc {
            items.append(("sort", sort.rawValue))
            items.append(("dir", direction.rawValue))
        }
        if limit != Self.defaultLimit { items.append(("limit", String(limit))) }
        return items
    }

    /// The row's value for the sort.
    private func key(_ row: DashboardSessionRow) -> Int64 {
        switch sort {
        case .recent: row.lastAtMilliseconds
        case .cost: row.cost.nanos
        case .savings: row.savings.nanos
        case .turns: Int64(row.turns)
        case .first: row.firstAtMilliseconds
        }
    }

    /// Whether a row's value is the one asked for; `(none)` asks for rows without one.
    private static func value(_ value: String?, is wanted: String) -> Bool {
        guard let value, !value.isEmpty else { return wanted == SpendGroupKey.noValue }
        return value == wanted
    }
}
