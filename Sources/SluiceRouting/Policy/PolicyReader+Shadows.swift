import SluiceLedger
import Yams

/// The `shadows:` section: second models that also answer a sampled share of turns in the
/// background, for comparison.
///
/// ```yaml
/// shadows:
///   - name: opus-on-grep
///     model: opus
///     sample: 20                      # percent of matching turns
///     rules: [grep-shaped-anthropic]  # optional: only turns these rules decided
///     shapes: [tool_followup]         # optional
///     arms: [candidate]               # optional: only sessions in these experiment arms
///     daily_cap: 2.00                 # dollars per UTC day; required
/// ```
extension PolicyReader {
    private static let shadowKeys = ["name", "model", "sample", "rules", "shapes", "arms", "daily_cap"]

    mutating func readShadows(_ node: Node, into draft: inout PolicyDraft) {
        guard case .sequence(let sequence) = node else {
            report("shadows", "expected a list of shadows (each with name, model, sample and daily_cap)", at: node)
            return
        }
        var seen: Set<String> = []
        for (index, item) in sequence.enumerated() {
            let path = Self.path("shadows", index: index)
            if let line = item.mark?.line { lines[path] = line }
            guard
                let fields = fields(
                    of: item, at: path, expecting: "a shadow (a mapping with name, model, sample and daily_cap)",
                    allowed: Self.shadowKeys)
            else { continue }
            let name = required(fields, "name", at: path).flatMap { self.name($0, at: Self.path(path, "name")) }
            if let name, !seen.insert(name).inserted {
                report(Self.path(path, "name"), "duplicate shadow name \"\(name)\"")
            }
            let model = required(fields, "model", at: path).flatMap {
                self.name($0, at: Self.path(path, "model"), expecting: "a model name")
            }
            var sample: Int?
            if let node = required(fields, "sample", at: path) {
                sample = count(node, at: Self.path(path, "sample"), minimum: 1)
                if let value = sample, value > 100 {
                    report(Self.path(path, "sample"), "a sample is a percent of matching turns, at most 100")
                    sample = nil
                }
            }
            var cap: USD?
            if let node = required(fields, "daily_cap", at: path),
                let text = text(node, at: Self.path(path, "daily_cap"), expecting: "an amount in dollars")
            {
                cap = USD(dollars: text.trimmingWhitespace())
                if cap == nil || cap! <= .zero {
                    report(Self.path(path, "daily_cap"), "\"\(text)\" is not a positive amount in dollars", at: node)
                    cap = nil
                }
            }
            func listed(_ key: String) -> Set<String>? {
                guard let node = fields[key] else { return nil }
                return Set(items(node, at: Self.path(path, key)).compactMap { self.name($0.node, at: $0.path) })
            }
            let rules = listed("rules")
            let arms = listed("arms")
            var shapes: Set<TurnShape>?
            if let node = fields["shapes"] {
                shapes = Set(items(node, at: Self.path(path, "shapes")).compactMap {
                    choice($0.node, at: $0.path, kind: "shape") as TurnShape?
                })
            }
            guard let name, let model, let sample, let cap else { continue }
            draft.shadows.append(
                ShadowSpec(
                    name: name, model: model, samplePercent: sample, rules: rules, shapes: shapes, arms: arms,
                    dailyCap: cap))
            draft.shadowPaths.append(path)
        }
    }

    mutating func checkShadows(_ draft: PolicyDraft) {
        var ruleNames = Set(draft.rules.map(\.name))
        ruleNames.insert(RoutingPolicy.baselineRuleName)
        ruleNames.insert(RoutingPolicy.stickinessRuleName)
        ruleNames.insert(RoutingPolicy.randomControlRuleName)
        var armNames: Set<String> = []
        for experiment in draft.experiments {
            for arm in experiment.arms {
                armNames.insert(arm.name)
                ruleNames.formUnion((arm.ruleList ?? []).map(\.name))
            }
        }
        for (shadow, path) in zip(draft.shadows, draft.shadowPaths) {
            _ = checkModelName(shadow.model, at: Self.path(path, "model"), draft: draft)
            for rule in (shadow.rules ?? []).sorted() where !ruleNames.contains(rule) {
                report(Self.path(path, "rules"), "no rule \"\(rule)\"\(Wording.suggestion(for: rule, among: ruleNames))")
            }
            for arm in (shadow.arms ?? []).sorted() where !armNames.contains(arm) {
                report(
                    Self.path(path, "arms"),
                    "no experiment arm \"\(arm)\"\(Wording.suggestion(for: arm, among: armNames))")
            }
        }
    }
}
