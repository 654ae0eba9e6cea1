import ArgumentParser
import Logging
import SluiceLedger
import SluiceStore

extension ReportFormat: ExpressibleByArgument {}

extension SluiceCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print sessions with their cost, baseline and savings, or one session's turns.")

        @Option(help: "The ledger: an SQLite file.") var ledger = ".sluice/ledger.sqlite"
        @Option(help: "Output format: table, json or csv.") var format: ReportFormat = .table
        @Option(help: "Show the turns of this session.") var session: String?
        @Option(help: "Sort sessions by: recent, cost, savings, turns.") var sort = "recent"

        func validate() throws {
            guard SavingsReport.SortKey(rawValue: sort) != nil else {
                throw ValidationError("--sort must be one of recent, cost, savings, turns.")
            }
        }

        func run() async throws {
            var logger = Logger(label: "sluice")
            logger.logLevel = .warning
            let store: any LedgerStore
            do {
                store = try await LedgerLocation(parsing: ledger).open(logger: logger)
            } catch let error as LedgerLocationError {
                throw CLIError(error.description)
            }
            defer { Task { try? await store.close() } }
            let summaries = try await store.sessionSummaries()
            if let session {
                guard let summary = summaries.first(where: { $0.session == session }) else {
                    try? await store.close()
                    throw CLIError("No session \"\(session)\" in \(ledger).")
                }
                let turns = try await store.turns(inSession: session)
                print(SessionDetailReport(summary: summary, turns: turns).rendered(as: format))
            } else {
                let report = SavingsReport(sessions: summaries, by: SavingsReport.SortKey(rawValue: sort) ?? .recent)
                print(report.rendered(as: format))
            }
            try await store.close()
        }
    }
}
