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
                look. Without EXPERIMENT, every experiment in the ledger.
                """)

        @Argument(help: "The experiment's name, as in the policy.") var experiment: String?
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The policy, to list the arms in its order (the first is the reference).") var policy: String?
        @Option(help: "Output format: table, json, csv or markdown.") var format: ReportFormat = .table
        @Option(help: "Minutes without a turn after which a session with no success recorded is abandoned.")
        var idleMinutes = Int(SessionSignals.defaultIdleMilliseconds / 60_000)

        func validate() throws {
            guard idleMinutes > 0 else { throw ValidationError("--idle-minutes must be positive.") }
        }

        func run() async throws {
            let period = ledger.period
            let (turns, outcomes, shadows) = try await ledger.withStore { store in
                (
                    try await store.turns(from: period.from, until: period.until), try await store.outcomes(),
                    try await store.shadows(from: period.from, until: period.until)
                )
            }
            let experiments = Dictionary(grouping: turns.filter { $0.experiment != nil }, by: { $0.experiment ?? "" })
            let names = experiment.map { [$0] } ?? experiments.keys.sorted()
            let shadowReport = shadows.isEmpty ? nil : ShadowReport(shadows: shadows)
            guard !names.isEmpty || shadowReport != nil else {
                throw CLIError(
                    "No experiment in \(ledger.ledger): add an experiments: section to the policy and let sessions run.")
            }
            let loaded = try policy.map { try SluiceCommand.Policy.Explain.loadPolicy($0) }
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            var reports: [String] = []
            for name in names {
                guard let experimentTurns = experiments[name] else {
                    let known = experiments.keys.sorted().joined(separator: ", ")
                    throw CLIError(
                        "No turns of experiment \"\(name)\" in \(ledger.ledger)"
                            + (known.isEmpty ? "." : "; it has \(known)."))
                }
                let armOrder =
                    loaded?.experiments.first { $0.name == name }?.arms.map(\.name)
                    ?? Self.defaultOrder(Set(experimentTurns.compactMap(\.arm)))
                let report = ExperimentReport(
                    experiment: name, arms: armOrder, turns: experimentTurns, outcomes: outcomes, nowMilliseconds: now,
                    idleMilliseconds: Int64(idleMinutes) * 60_000)
                reports.append(report.rendered(as: format))
            }
            print(Self.combined(reports, shadows: shadowReport, format: format))
        }

        /// The experiments' reports, then the shadows'. In JSON, one experiment is its report's
        /// object, with a `shadows` member when there are shadow turns; several (or none) are
        /// `{"experiments": [...], "shadows": [...]}`.
        static func combined(_ reports: [String], shadows: ShadowReport?, format: ReportFormat) -> String {
            guard format == .json else {
                return (reports + [shadows?.rendered(as: format)].compactMap { $0 }).joined(separator: "\n\n")
            }
            let shadowJSON = shadows?.json ?? "[]"
            if reports.count == 1, let report = reports.first, report.hasSuffix("}") {
                return String(report.dropLast()) + ",\"shadows\":" + shadowJSON + "}"
            }
            return "{\"experiments\":[" + reports.joined(separator: ",") + "],\"shadows\":" + shadowJSON + "}"
        }

        /// Without the policy: `control` first when there is one (the reference), then by name.
        static func defaultOrder(_ arms: Set<String>) -> [String] {
            arms.sorted { ($0 == "control" ? 0 : 1, $0) < ($1 == "control" ? 0 : 1, $1) }
        }
    }
}
