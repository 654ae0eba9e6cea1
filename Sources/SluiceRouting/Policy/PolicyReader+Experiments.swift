import Yams

/// The `experiments:` section: named experiments, each with arms that change the policy's rules.
///
/// ```yaml
/// experiments:
///   - name: grep-to-cheap
///     share: 100                     # percent of new sessions enrolled (default 100)
///     arms:
///       control:   {weight: 50, without: [grep-shaped-anthropic, grep-shaped-openai]}
///       candidate: {weight: 50}
///       random:    {weight: 0, cost_matched_random: candidate}
/// ```
///
/// An arm changes the policy's rules with `without` (drop rules by name), `rules` (change a
/// rule's route or conditions by name), `models` (swap one model for another in every route), or
/// replaces them with `rule_list`; an arm with none of these routes by the policy's own rules.
/// `cost_matched_random: ARM` makes a control that sends the same share of turns to each model
/// as ARM does, at random. Names must resolve: checked once every section is read.
extension PolicyReader {
    private static let experimentKeys = ["name", "share", "arms"]
    private static let armKeys = ["weight", "without", "rules", "models", "rule_list", "cost_matched_random"]

    mutating func readExperiments(_ node: Node, into draft: inout PolicyDraft) {
        guard case .sequence(let sequence) = node else {
            report(
                "experiments", "expected a list of experiments (each with a name and arms), found "
                    + Self.describe(node), at: node)
            return
        }
        var seen: [String: Int] = [:]
        for (index, item) in sequence.enumerated() {
            let path = Self.path("experiments", index: index)
            if let line = item.mark?.line { lines[path] = line }
            guard
                let fields = fields(
                    of: item, at: path, expecting: "an experiment (a mapping with name and arms)",
                    allowed: Self.experimentKeys)
            else { continue }
            let name = required(fields, "name", at: path).flatMap { self.name($0, at: Self.path(path, "name")) }
            if let name {
                if let earlier = seen[name] {
                    report(Self.path(path, "name"), "duplicate experiment name \"\(name)\" (also experiments[\(earlier)])")
                } else {
                    seen[name] = index
                }
            }
            var share = 100
            if let node = fields["share"] {
                share = count(node, at: Self.path(path, "share"), minimum: 1) ?? 100
                if share > 100 { report(Self.path(path, "share"), "a share is a percent of sessions, at most 100") }
            }
            var arms: [ExperimentDraft.Arm] = []
            if let armsNode = required(fields, "arms", at: path),
                let entries = entries(
                    of: armsNode, at: Self.path(path, "arms"), expecting: "a mapping of arm names to arms")
            {
                if entries.count < 2 {
                    report(Self.path(path, "arms"), "an experiment needs at least two arms to compare", at: armsNode)
                }
                for (armName, armNode) in entries {
                    if let arm = readArm(armNode, name: armName, at: Self.path(Self.path(path, "arms"), armName)) {
                        arms.append(arm)
                    }
                }
            }
            if let name { draft.experiments.append(ExperimentDraft(name: name, share: share, path: path, arms: arms)) }
        }
    }

    private mutating func readArm(_ node: Node, name: String, at path: String) -> ExperimentDraft.Arm? {
        guard
            let fields = fields(
                of: node, at: path, expecting: "an arm (a mapping such as {weight: 50})", allowed: Self.armKeys)
        else { return nil }
        guard let weightNode = required(fields, "weight", at: path),
            let weight = count(weightNode, at: Self.path(path, "weight"), minimum: 0)
        else { return nil }
        var arm = ExperimentDraft.Arm(name: name, weight: weight, path: path)
        if let node = fields["without"] {
            for item in items(node, at: Self.path(path, "without")) {
                if let rule = self.name(item.node, at: item.path, expecting: "a rule name") {
                    arm.without.append((rule, item.path))
                }
            }
        }
        if let node = fields["rules"] {
            arm.changes = readRuleChanges(node, at: Self.path(path, "rules"))
        }
        if let node = fields["models"],
            let entries = entries(of: node, at: Self.path(path, "models"), expecting: "a mapping of model names to models")
        {
            for (from, value) in entries {
                let swapPath = Self.path(Self.path(path, "models"), from)
                if let to = self.name(value, at: swapPath, expecting: "a model name") { arm.modelSwaps.append((from, to, swapPath)) }
            }
        }
        if let node = fields["rule_list"] {
            guard case .sequence(let sequence) = node, !sequence.isEmpty else {
                report(Self.path(path, "rule_list"), "expected a list of rules", at: node)
                return arm
            }
            arm.ruleList = sequence.enumerated().map {
                readRule($0.element, at: Self.path(Self.path(path, "rule_list"), index: $0.offset))
            }
        }
        if let node = fields["cost_matched_random"] {
            arm.matches = self.name(node, at: Self.path(path, "cost_matched_random"), expecting: "an arm name")
            if fields.keys.contains(where: { ["without", "rules", "models", "rule_list"].contains($0) }) {
                report(path, "a cost-matched random control draws its models at random; it cannot also change rules")
            }
        }
        return arm
    }

    /// `rules: [{name: grep-shaped, route: local}]`: changes to the policy's rules by name.
    private mutating func readRuleChanges(
        _ node: Node, at path: String
    ) -> [(name: String, conditions: RuleConditions?, route: String?, path: String)] {
        guard case .sequence(let sequence) = node else {
            report(path, "expected a list of rule changes such as [{name: grep-shaped, route: local}]", at: node)
            return []
        }
        var changes: [(name: String, conditions: RuleConditions?, route: String?, path: String)] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = Self.path(path, index: index)
            guard
                let fields = fields(
                    of: item, at: itemPath, expecting: "a rule change (a mapping with name, and route or when)",
                    allowed: ["name", "when", "route"])
            else { continue }
            guard let name = required(fields, "name", at: itemPath).flatMap({ self.name($0, at: Self.path(itemPath, "name")) })
            else { continue }
            let route = fields["route"].flatMap { self.name($0, at: Self.path(itemPath, "route"), expecting: "a model name") }
            let conditions = fields["when"].map { readConditions($0, at: Self.path(itemPath, "when")) }
            if fields["route"] == nil && fields["when"] == nil {
                report(itemPath, "a rule change needs a new route, new conditions (when), or both")
            }
            changes.append((name, conditions, route, itemPath))
        }
        return changes
    }

    mutating func checkExperiments(_ draft: PolicyDraft) {
        let ruleNames = draft.rules.map(\.name).filter { !$0.isEmpty }
        for experiment in draft.experiments {
            let armNames = experiment.arms.map(\.name)
            for arm in experiment.arms {
                let listed = arm.ruleList.map { $0.map(\.name) } ?? ruleNames
                for (name, path) in arm.without where !listed.contains(name) {
                    report(path, "no rule \"\(name)\" to leave out\(Wording.suggestion(for: name, among: listed))")
                }
                for change in arm.changes {
                    if !listed.contains(change.name) {
                        report(
                            Self.path(change.path, "name"),
                            "no rule \"\(change.name)\" to change\(Wording.suggestion(for: change.name, among: listed)); "
                                + "an arm's rules change the policy's rules by name (use rule_list for a list of its own)")
                    }
                    if let route = change.route { _ = checkModelName(route, at: Self.path(change.path, "route"), draft: draft) }
                }
                for swap in arm.modelSwaps {
                    _ = checkModelName(swap.from, at: swap.path, draft: draft)
                    _ = checkModelName(swap.to, at: swap.path, draft: draft)
                }
                for (index, rule) in (arm.ruleList ?? []).enumerated() where !rule.route.isEmpty {
                    _ = checkModelName(
                        rule.route, at: Self.path(Self.path(Self.path(arm.path, "rule_list"), index: index), "route"),
                        draft: draft)
                }
                if let matches = arm.matches {
                    let path = Self.path(arm.path, "cost_matched_random")
                    if matches == arm.name {
                        report(path, "a random control cannot match itself")
                    } else if let matched = experiment.arms.first(where: { $0.name == matches }) {
                        if matched.matches != nil { report(path, "arm \"\(matches)\" is a random control itself") }
                    } else {
                        report(path, "no arm \"\(matches)\" in this experiment\(Wording.suggestion(for: matches, among: armNames))")
                    }
                }
            }
        }
    }
}
