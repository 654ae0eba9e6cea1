import SluiceLedger
import SluiceWire

extension NextMoveEvaluation {
    /// The report `sluice train` prints: this evaluation over every client, then `byFamily` (the
    /// same evaluation over each family's turns alone), then calibration.
    package func text(
        trained result: NextMoveTrainer.Result, unlabelled: Int, folds: Int,
        byFamily: [(clients: String, evaluation: NextMoveEvaluation)] = []
    ) -> String {
        let share = Self.share
        var lines: [String] = []
        lines.append("Label: \(NextMoveModel.label).")
        lines.append(
            "Turns: \(Wording.grouped(turns)) labelled from the turn after them (\(Wording.grouped(unlabelled)) "
                + "without a later turn showing their reply were left out), \(Wording.grouped(sessions)) sessions; "
                + "next reply read-only: \(Wording.grouped(positives)) (\(share(Double(positives) / Double(Swift.max(turns, 1))))).")
        for segment in result.model.segments {
            let training = segment.training
            let pooled =
                segment.clients.isSubset(of: result.pooled)
                ? " (too few to fit alone: weights fitted on every client's turns)" : ""
            lines.append(
                "  \(segment.clientNames.joined(separator: ", ")): \(Wording.grouped(training.turns)) turns, "
                    + "\(training.sessions) sessions, \(Wording.grouped(training.positives)) read-only next\(pooled)")
        }
        lines.append("")
        lines.append(
            "Evaluation: \(folds) folds by session; every turn scored by weights fitted without its session. "
                + "95% intervals resample sessions.")
        lines += section("All clients")
        for (clients, evaluation) in byFamily {
            lines += evaluation.section(clients)
        }
        lines.append("")
        lines.append("Calibration (out of fold, deciles of p_cheap)")
        lines.append("  decile  predicted  observed  turns")
        for (index, decile) in calibration.enumerated() {
            lines.append(
                "  \(String(index + 1).leftPadded(6))  \(Self.share(decile.predicted))      "
                    + "\(Self.share(decile.observed))     \(Wording.grouped(decile.turns))")
        }
        return lines.joined(separator: "\n")
    }

    /// A share with three decimals: `0.579`.
    static func share(_ value: Double) -> String {
        guard value.isFinite else { return "  -  " }
        let thousandths = Int((value * 1000).rounded())
        return "\(thousandths / 1000)." + String(thousandths % 1000).leftPadded(3, "0")
    }

    /// The model's precision at each recall and the policies' cheap routes, under a title.
    private func section(_ title: String) -> [String] {
        let share = Self.share
        func span(_ interval: ConfidenceInterval?) -> String {
            interval.map { "[\(share($0.lower)), \(share($0.upper))]" } ?? "[  -  ,   -  ]"
        }
        var lines: [String] = []
        lines.append("")
        lines.append(
            "\(title): \(Wording.grouped(turns)) turns, \(Wording.grouped(sessions)) sessions, "
                + "next reply read-only \(share(Double(positives) / Double(Swift.max(turns, 1))))")
        lines.append("Model (p_cheap, out of fold)")
        lines.append("  recall  precision  interval          p_cheap ≥  turns")
        for score in atRecall {
            lines.append(
                "  \(share(score.recall))    \(share(score.precision))      \(span(score.precisionInterval))    "
                    + "\(score.threshold.map(share) ?? "  -  ")     \(Wording.grouped(score.picked))")
        }
        var policy = ""
        for rule in rules {
            if rule.policy != policy {
                policy = rule.policy
                lines.append("")
                lines.append("Cheap routes of \(policy) on the same turns (p_cheap out of fold; stickiness aside)")
                lines.append("  routes                          precision  interval          recall  interval          turns")
            }
            let name = (rule.rule.map { "rule \($0)" } ?? "all cheap routes").padding(to: 30)
            let score = rule.score
            lines.append(
                "  \(name)  \(share(score.precision))      \(span(score.precisionInterval))    \(share(score.recall))   "
                    + "\(span(score.recallInterval))    \(Wording.grouped(score.picked))")
            if let model = rule.model {
                lines.append(
                    "  \("the model at that recall".padding(to: 30))  \(share(model.precision))      "
                        + "\(span(model.precisionInterval))    p_cheap ≥ \(model.threshold.map(share) ?? "-")")
            }
        }
        return lines
    }
}
