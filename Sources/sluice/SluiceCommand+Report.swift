import ArgumentParser
import SluiceLedger

extension ReportFormat: ExpressibleByArgument {}
extension SpendGroupKey: ExpressibleByArgument {}

extension SluiceCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Where the money went: the long tail of sessions, savings, waste; or one session's call tree.",
            discussion: """
                Without options: totals with both counterfactuals, the distribution of cost per session \
                (log-scale histogram, top 10% share), the most expensive sessions with their waste flags, \
                a suggested cap per tag and a 30-day forecast. --sessions lists every session instead; \
                --session KEY shows one session's turns as a call tree.
                """)

        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Output format: table, json, csv or markdown.") var format: ReportFormat = .table
        @Option(help: "Show the turns of this session, as a call tree.") var session: String?
        @Flag(help: "List every session with its cost, counterfactuals and savings.") var sessions = false
        @Option(help: "Sort --sessions by: recent, cost, savings, turns.") var sort = "recent"
        @Option(help: "Group spend by: user, tag, client, rule, model, shape, subagent.") var groupBy: SpendGroupKey?

        func validate() throws {
            guard SavingsReport.SortKey(rawValue: sort) != nil else {
                throw ValidationError("--sort must be one of recent, cost, savings, turns.")
            }
        }

        func run() async throws {
            print(try await ledger.withStore(render(from:)))
        }

        private func render(from store: any LedgerStore) async throws -> String {
            let period = ledger.period
            if let session {
                let turns = try await store.turns(inSession: session)
                guard let summary = SessionSummary.summarize(turns).first else {
                    throw CLIError("No session \"\(session)\" in \(ledger.ledger).")
                }
                return SessionDetailReport(summary: summary, turns: turns).rendered(as: format)
            }
            let sortKey = SavingsReport.SortKey(rawValue: sort) ?? .recent
            if sessions {
                let summaries = period == ReportPeriod()
                    ? try await store.sessionSummaries()
                    : SessionSummary.summarize(try await store.turns(from: period.from, until: period.until, withFeatures: false))
                return SavingsReport(sessions: summaries, by: sortKey).rendered(as: format)
            }
            let turns = try await store.turns(from: period.from, until: period.until, withFeatures: false)
            return LongTailReport(turns: turns, groupBy: groupBy).rendered(as: format)
        }
    }
}
