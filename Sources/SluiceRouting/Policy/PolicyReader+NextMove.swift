import Yams

/// The policy's `next_move_model:` section: the file of the model that gives each turn its
/// `p_cheap`, read through the same `include` as a price book (relative to the policy file).
extension PolicyReader {
    mutating func readNextMoveModel(_ node: Node, into draft: inout PolicyDraft) {
        guard case .scalar(let scalar) = node, !scalar.string.trimmingWhitespace().isEmpty else {
            report("next_move_model", "expected the path of a model file, such as models/next-move.json", at: node)
            return
        }
        let file = scalar.string.trimmingWhitespace()
        guard let include else {
            report("next_move_model", "this policy names the model \"\(file)\", which cannot be read here", at: node)
            return
        }
        do {
            draft.nextMoveModel = try NextMoveModel(json: include(file))
        } catch let error as NextMoveModelError {
            report("next_move_model", "\(file): \(error)", at: node)
        } catch {
            report("next_move_model", "cannot read the model \"\(file)\": \(error)", at: node)
        }
    }

    /// A rule (of the policy or of an arm) that tests `p_cheap` needs a model to give it one;
    /// without it the condition would quietly never hold.
    mutating func checkNextMoveConditions(_ draft: PolicyDraft) {
        guard draft.nextMoveModel == nil else { return }
        let why = "p_cheap needs a model: name one with next_move_model (the shipped one is models/next-move.json)"
        for (index, rule) in draft.rules.enumerated() where rule.conditions.uses(.pCheap) {
            report(Self.path(Self.path("rules", index: index), "when"), why)
        }
        for experiment in draft.experiments {
            for arm in experiment.arms {
                if arm.changes.contains(where: { $0.conditions?.uses(.pCheap) == true })
                    || arm.ruleList?.contains(where: { $0.conditions.uses(.pCheap) }) == true
                {
                    report(arm.path, why)
                }
            }
        }
    }
}

extension RuleConditions {
    /// Whether a range condition on `count` appears anywhere in these conditions, nested ones
    /// included.
    func uses(_ count: RuleCondition.Count) -> Bool {
        !allConditions { condition in
            switch condition {
            case .count(let used, _): used != count
            case .any(let branches), .all(let branches): !branches.contains { $0.uses(count) }
            case .not(let negated): !negated.uses(count)
            default: true
            }
        }
    }
}
