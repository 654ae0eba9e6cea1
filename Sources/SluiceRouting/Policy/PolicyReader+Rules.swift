import SluiceWire
import Yams

/// The `rules:` section: each rule's name, conditions (read in `PolicyReader+Conditions.swift`) and
/// route.
///
/// Once every section is read, checks each rule as a whole: its route names a model, it can serve
/// some client dialect, it is not contradictory, no earlier rule takes all its turns, and every
/// dialect it routes has a baseline.
extension PolicyReader {
    private static let ruleKeys = ["name", "when", "route"]

    mutating func readRules(_ node: Node, into draft: inout PolicyDraft) {
        guard case .sequence(let sequence) = node else {
            report("rules", "expected a list of rules, found \(Self.describe(node))", at: node)
            return
        }
        if sequence.isEmpty {
            report("rules", "a policy needs at least one rule", at: node)
        }
        var firstIndexByName: [String: Int] = [:]
        for (index, item) in sequence.enumerated() {
            let path = Self.path("rules", index: index)
            if let line = item.mark?.line { lines[path] = line }
            var rule = RoutingRule(name: "", route: "")
            let sound = isSound { rule = $0.readRule(item, at: path) }
            // An empty name was reported while reading the rule.
            if !rule.name.isEmpty {
                if let earlier = firstIndexByName[rule.name] {
                    report(Self.path(path, "name"), "duplicate rule name \"\(rule.name)\" (also rules[\(earlier)])")
                } else {
                    firstIndexByName[rule.name] = index
                }
            }
            // Keep even a rule with a problem, so indices stay those of the file.
            if sound { draft.soundRules.insert(index) }
            draft.rules.append(rule)
        }
    }

    mutating func readRule(_ node: Node, at path: String) -> RoutingRule {
        let placeholder = RoutingRule(name: "", route: "")
        guard
            let fields = fields(
                of: node, at: path, expecting: "a rule (a mapping with name, when and route)", allowed: Self.ruleKeys)
        else { return placeholder }
        var name = required(fields, "name", at: path).flatMap { self.name($0, at: Self.path(path, "name")) } ?? ""
        if name == RoutingPolicy.baselineRuleName {
            report(Self.path(path, "name"), "\"\(name)\" is reserved for turns no rule applies to")
            name = ""
        } else if name == RoutingPolicy.stickinessRuleName {
            report(Self.path(path, "name"), "\"\(name)\" is reserved for turns stickiness keeps on their model")
            name = ""
        }
        let route =
            required(fields, "route", at: path).flatMap {
                self.name($0, at: Self.path(path, "route"), expecting: "a model name")
            } ?? ""
        var conditions = RuleConditions()
        if let when = fields["when"], !Self.isNull(when) {
            conditions = readConditions(when, at: Self.path(path, "when"))
        }
        return RoutingRule(name: name, conditions: conditions, route: route)
    }

    mutating func checkRules(_ draft: PolicyDraft) {
        let baselines = draft.resolvedBaselines
        let baselinesReadable = Self.baselinesAreReadable(draft)
        // Rules that can apply somewhere, for the shadowing check of the rules after them.
        var earlier: [(index: Int, rule: RoutingRule, model: ModelSpec, dialects: Set<Dialect>)] = []
        var dialectsWithoutBaseline: Set<Dialect> = []
        for (index, rule) in draft.rules.enumerated() {
            let path = Self.path("rules", index: index)
            // A route is checked even in a rule with other problems; the checks of the rule as a
            // whole need all of it.
            guard rule.route.isEmpty || checkModelName(rule.route, at: Self.path(path, "route"), draft: draft),
                draft.soundRules.contains(index)
            else { continue }
            guard let model = draft.models[rule.route], let upstream = draft.upstreams[model.upstream] else { continue }

            if rule.conditions.isContradictory {
                report(path, "can never match: its conditions contradict each other")
                continue
            }
            let allowed = rule.conditions.possibleClients
            let dialects = allowed.intersection(upstream.dialects)
            guard !dialects.isEmpty else {
                report(
                    path,
                    "can never apply: its client condition allows only \(Self.list(allowed)), and model "
                        + "\"\(model.name)\" is served by upstream \"\(upstream.name)\", which speaks only "
                        + "\(Self.list(upstream.dialects))")
                continue
            }
            if let min = rule.conditions.promptTokens?.min, min > model.contextWindow {
                report(
                    Self.path(path, "when.prompt_tokens"),
                    "min \(Wording.grouped(min)) is more than model \"\(model.name)\"'s context window "
                        + "(\(Wording.grouped(model.contextWindow))), so this rule can never apply")
                continue
            }
            if let shadow = earlier.first(where: { Self.shadows($0, rule: rule, model: model, dialects: dialects) }) {
                let why =
                    shadow.rule.conditions.isUnconditional
                    ? "has no conditions"
                    : shadow.rule.conditions == rule.conditions
                        ? "has the same conditions" : "matches every turn this rule would"
                report(
                    path,
                    "can never match: rule \"\(shadow.rule.name)\" (rules[\(shadow.index)]) comes first and "
                        + "\(why)")
                continue
            }
            earlier.append((index, rule, model, dialects))

            guard baselinesReadable else { continue }
            for dialect in Dialect.allCases where dialects.contains(dialect) && baselines[dialect] == nil {
                guard dialectsWithoutBaseline.insert(dialect).inserted else { continue }
                report(
                    "baseline",
                    "no baseline model for \(dialect.rawValue) clients, which rule \"\(rule.name)\" "
                        + "(rules[\(index)]) routes\(Self.baselineHint(draft, missing: dialect))")
            }
        }
    }

    /// Whether an earlier rule takes every turn the later rule could: its conditions cover the later
    /// one's, its model speaks every dialect the later rule could serve, and its context window
    /// holds every turn the later rule's could.
    static func shadows(
        _ earlier: (index: Int, rule: RoutingRule, model: ModelSpec, dialects: Set<Dialect>),
        rule: RoutingRule, model: ModelSpec, dialects: Set<Dialect>
    ) -> Bool {
        earlier.rule.conditions.covers(rule.conditions) && dialects.isSubset(of: earlier.dialects)
            && earlier.model.contextWindow >= model.contextWindow
    }
}
