import ArgumentParser
import Foundation
import SluiceLedger
import SluiceRouting

extension SluiceCommand {
    struct Ab: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ab",
            abstract: "Compare an experiment's arms: cost per session and outcomes, with the uncertainty stated.",
            discussion: """
                Per arm: sessions, cost per session (mean, median, p90) with bootstrap 95% intervals, savings \
                against both counterfactuals, outcome rates (explicit outcomes, last test run, abandoned) with \
                intervals. Each arm against the first (the reference): the difference in mean cost per session, \
                a permutation-test p-value, and an always-valid interval that stays honest however often you \
                look. Only settled sessions count (an outcome reported, or quiet for --idle-minutes). Without \
                EXPERIMENT, every experiment in the ledger; then how shadow models compared, per rule.
                """)

        @Argument(help: "The experiment's name, as in the policy.") var experiment: String?
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The policy, to list the arms in its order (the first is the reference).") var policy: String?
        @Option(help: "Output format: table, json, csv or markdown.") var format: ReportFormat = .table
        @Option(help: "Minutes without a turn after which a session is settled (abandoned unless it succeeded).")
        var idleMinutes = Int(SessionSignals.defaultIdleMilliseconds / 60_000)

        func validate() throws {
            guard idleMinutes > 0 else { throw ValidationError("--idle-minutes must be positive.") }
        }

        func run() async throws {
            let period = ledger.period
            let (turns, outcomes, shadows) = try await ledger.withStore { store in
                (
                    try await store.turns(from: period.from, until: period.until, withFeatures: false), try await store.outcomes(),
                    try await store.shadows(from: period.from, until: period.until)
                )
            }
            let orders = try policy.map { path in
                Dictionary(
                    uniqueKeysWithValues: try SluiceCommand.Policy.Explain.loadPolicy(path).experiments.map {
                        ($0.name, $0.arms.map(\.name))
                    })
            }
            do {
                let report = try ABReport(
                    experiment: experiment, armOrders: orders ?? [:], turns: turns, outcomes: outcomes,
                    shadows: shadows, nowMilliseconds: Int64(Date().timeIntervalSince1970 * 1_000),
                    idleMilliseconds: Int64(idleMinutes) * 60_000)
                print(report.rendered(as: format))
            } catch {
                throw CLIError("\(ledger.ledger) has \(error)")
            }
        }
    }
}
