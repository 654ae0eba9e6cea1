import SluiceLedger
import SluiceWire
import Yams

/// The `budgets:` section: plan tiers, spending caps with their alert, soft and hard limits,
/// and the webhook alerts are posted to.
///
/// ```yaml
/// budgets:
///   webhook: https://hooks.example.com/sluice      # optional
///   tiers:                                          # optional; the first that takes a turn wins
///     - {name: paid, users: [alice@example.com], tags: [release], header: paid}
///     - {name: free}                                # no conditions: everyone else
///   caps:
///     - name: free-session
///       per: session                                # session | user | tag | all
///       tier: free                                  # optional
///       cap: 1.00                                   # dollars, or p90x3 (sessions only)
///       alert: 75%                                  # optional
///       soft: {at: 0.50, route: {anthropic: haiku, openai: luna}}   # optional
///     - {name: paid-user-day, per: user, period: day, tier: paid, cap: 50.00, hard: false, alert: 90%}
/// ```
extension PolicyReader {
    private static let budgetKeys = ["webhook", "tiers", "caps"]
    private static let tierKeys = ["name", "users", "tags", "header"]
    private static let capKeys = ["name", "per", "period", "tier", "cap", "alert", "soft", "hard"]
    private static let softKeys = ["at", "route"]

    mutating func readBudgets(_ node: Node, into draft: inout PolicyDraft) {
        guard
            let fields = fields(
                of: node, at: "budgets", expecting: "a mapping with caps (and optionally tiers and webhook)",
                allowed: Self.budgetKeys)
        else { return }
        var budgets = Budgets()
        if let node = fields["webhook"], let url = name(node, at: "budgets.webhook", expecting: "a URL") {
            if url.hasPrefix("http://") || url.hasPrefix("https://") {
                budgets.webhook = url
            } else {
                report("budgets.webhook", "\"\(url)\" is not an http or https URL", at: node)
            }
        }
        if let node = fields["tiers"] { budgets.tiers = readTiers(node) }
        if let node = required(fields, "caps", at: "budgets") {
            budgets.caps = readCaps(node, draft: &draft)
        }
        draft.budgets = budgets
    }

    private mutating func readTiers(_ node: Node) -> [PlanTier] {
        guard case .sequence(let sequence) = node else {
            report("budgets.tiers", "expected a list of tiers (each with a name)", at: node)
            return []
        }
        var tiers: [PlanTier] = []
        for (index, item) in sequence.enumerated() {
            let path = Self.path("budgets.tiers", index: index)
            if let line = item.mark?.line { lines[path] = line }
            guard let fields = fields(of: item, at: path, expecting: "a tier (a mapping with a name)", allowed: Self.tierKeys),
                let name = required(fields, "name", at: path).flatMap({ self.name($0, at: Self.path(path, "name")) })
            else { continue }
            if tiers.contains(where: { $0.name == name }) {
                report(Self.path(path, "name"), "duplicate tier name \"\(name)\"")
            }
            func listed(_ key: String) -> Set<String> {
                guard let node = fields[key] else { return [] }
                return Set(items(node, at: Self.path(path, key)).compactMap { self.name($0.node, at: $0.path) })
            }
            let header = fields["header"].flatMap { self.name($0, at: Self.path(path, "header"), expecting: "the x-sluice-tier value") }
            let tier = PlanTier(name: name, users: listed("users"), tags: listed("tags"), header: header)
            if let earlier = tiers.first(where: \.takesEveryone) {
                report(path, "tier \"\(earlier.name)\" before it has no conditions and takes every turn, so this one never applies")
            }
            tiers.append(tier)
        }
        return tiers
    }

    private mutating func readCaps(_ node: Node, draft: inout PolicyDraft) -> [BudgetCap] {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            report("budgets.caps", "expected a list of caps (each with name, per and cap)", at: node)
            return []
        }
        var caps: [BudgetCap] = []
        for (index, item) in sequence.enumerated() {
            let path = Self.path("budgets.caps", index: index)
            if let line = item.mark?.line { lines[path] = line }
            guard
                let fields = fields(
                    of: item, at: path, expecting: "a cap (a mapping with name, per and cap)", allowed: Self.capKeys)
            else { continue }
            let name = required(fields, "name", at: path).flatMap { self.name($0, at: Self.path(path, "name")) }
            if let name, caps.contains(where: { $0.name == name }) {
                report(Self.path(path, "name"), "duplicate cap name \"\(name)\"")
            }
            let scope = required(fields, "per", at: path).flatMap {
                choice($0, at: Self.path(path, "per"), kind: "scope") as BudgetScope?
            }
            var period = scope == .session ? BudgetPeriod.total : .month
            if let node = fields["period"], let chosen = choice(node, at: Self.path(path, "period"), kind: "period") as BudgetPeriod? {
                if scope == .session && chosen != .total {
                    report(Self.path(path, "period"), "a session cap counts the whole session; leave period out")
                } else if scope != nil && scope != .session && chosen == .total {
                    report(Self.path(path, "period"), "a \(scope!.rawValue) cap counts a day or a month")
                } else {
                    period = chosen
                }
            }
            let tier = fields["tier"].flatMap { self.name($0, at: Self.path(path, "tier"), expecting: "a tier name") }
            var limit: BudgetLimit?
            if let node = required(fields, "cap", at: path) {
                limit = self.limit(node, at: Self.path(path, "cap"), scope: scope)
            }
            var alert: Int?
            if let node = fields["alert"] { alert = percent(node, at: Self.path(path, "alert")) }
            var soft: SoftLimit?
            if let node = fields["soft"] { soft = softLimit(node, at: Self.path(path, "soft"), limit: limit) }
            let hard = fields["hard"].flatMap { flag($0, at: Self.path(path, "hard")) } ?? true
            guard let name, let scope, let limit else { continue }
            caps.append(
                BudgetCap(
                    name: name, scope: scope, period: period, tier: tier, limit: limit, alertPercent: alert, soft: soft,
                    hard: hard))
            draft.capPaths.append(path)
        }
        return caps
    }

    /// `1.00` or `p90x3`.
    private mutating func limit(_ node: Node, at path: String, scope: BudgetScope?) -> BudgetLimit? {
        guard let text = text(node, at: path, expecting: "an amount in dollars, or p90x3")?.trimmingWhitespace() else {
            return nil
        }
        if text.lowercased().hasPrefix("p90x") {
            guard let multiple = Int(text.dropFirst(4)), multiple >= 1, multiple <= 100 else {
                report(path, "\"\(text)\" is not a multiple of the p90 session cost, such as p90x3", at: node)
                return nil
            }
            guard scope == nil || scope == .session else {
                report(path, "p90x\(multiple) is a multiple of the p90 session cost, so only a session cap can use it", at: node)
                return nil
            }
            return .p90Times(multiple)
        }
        guard let amount = USD(dollars: text), amount > .zero else {
            report(path, "\"\(text)\" is not a positive amount in dollars (or p90x3)", at: node)
            return nil
        }
        return .dollars(amount)
    }

    /// `75%` or `75`: a whole percent from 1 to 100.
    private mutating func percent(_ node: Node, at path: String) -> Int? {
        guard let text = text(node, at: path, expecting: "a percent of the cap, such as 75%") else { return nil }
        var digits = text.trimmingWhitespace()
        if digits.hasSuffix("%") { digits.removeLast() }
        guard let value = Int(digits.trimmingWhitespace()), (1...100).contains(value) else {
            report(path, "\"\(text)\" is not a percent of the cap from 1% to 100%", at: node)
            return nil
        }
        return value
    }

    private mutating func softLimit(_ node: Node, at path: String, limit: BudgetLimit?) -> SoftLimit? {
        guard let fields = fields(of: node, at: path, expecting: "a mapping with at and route", allowed: Self.softKeys)
        else { return nil }
        var threshold: BudgetThreshold?
        if let node = required(fields, "at", at: path) {
            let atPath = Self.path(path, "at")
            if let text = text(node, at: atPath, expecting: "an amount in dollars or a percent of the cap"), text.hasSuffix("%") {
                if let value = percent(node, at: atPath) {
                    if value < 100 {
                        threshold = .percent(value)
                    } else {
                        report(atPath, "the soft limit must be below the cap, so under 100%", at: node)
                    }
                }
            } else if let text = text(node, at: atPath), let amount = USD(dollars: text.trimmingWhitespace()), amount > .zero {
                if case .dollars(let cap) = limit, !(amount < cap) {
                    report(atPath, "the soft limit must be below the cap (\(cap.decimalString))", at: node)
                } else if case .p90Times = limit {
                    report(atPath, "with a p90 cap, write the soft limit as a percent of it, such as 50%", at: node)
                } else {
                    threshold = .dollars(amount)
                }
            } else {
                report(atPath, "expected an amount in dollars or a percent of the cap, such as 0.50 or 50%", at: node)
            }
        }
        var models: [Dialect: String] = [:]
        if let node = required(fields, "route", at: path) {
            let routePath = Self.path(path, "route")
            if case .scalar = node {
                if let model = name(node, at: routePath, expecting: "a model name") {
                    for dialect in Dialect.allCases { models[dialect] = model }
                }
            } else if let entries = entries(of: node, at: routePath, expecting: "a model name, or client dialects to model names") {
                for (word, value) in entries {
                    guard let dialects = Self.dialectWords[word] else {
                        report(Self.path(routePath, word), "unknown dialect\(Self.dialectHelp(for: word))")
                        continue
                    }
                    guard let model = name(value, at: Self.path(routePath, word), expecting: "a model name") else { continue }
                    for dialect in dialects { models[dialect] = model }
                }
            }
        }
        guard let threshold, !models.isEmpty else { return nil }
        return SoftLimit(threshold: threshold, models: models)
    }

    mutating func checkBudgets(_ draft: PolicyDraft) {
        guard let budgets = draft.budgets else { return }
        let tierNames = budgets.tiers.map(\.name)
        for (cap, path) in zip(budgets.caps, draft.capPaths) {
            if let tier = cap.tier, !tierNames.contains(tier) {
                let help = tierNames.isEmpty ? "; budgets.tiers names none" : Wording.suggestion(for: tier, among: tierNames)
                report(Self.path(path, "tier"), "no tier \"\(tier)\"\(help)")
            }
            guard let soft = cap.soft else { continue }
            let routePath = Self.path(path, "soft.route")
            for name in Set(soft.models.values).sorted() { checkModelName(name, at: routePath, draft: draft) }
            // A single name applies to every dialect; only the dialects it can serve count.
            guard Set(soft.models.values).count > 1 else { continue }
            for (dialect, name) in soft.models.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                guard let model = draft.models[name], let upstream = draft.upstreams[model.upstream],
                    !upstream.speaks(dialect)
                else { continue }
                report(
                    routePath,
                    "model \"\(name)\" is served by upstream \"\(upstream.name)\", which does not speak \(dialect.rawValue)")
            }
        }
    }
}
