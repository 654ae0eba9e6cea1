import ArgumentParser
import Foundation
import SluiceLedger
import SluiceRouting
import SluiceWire

extension SluiceCommand {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-decide recorded sessions under a candidate policy, without calling any model.",
            discussion: """
                From the ledger (its stored features and usage), or from a JSON-lines file of requests: \
                {"protocol": "anthropic"|"openai-chat"|"openai-responses", "body": {...}, "headers": {...}} per \
                line, a session's turns in order, optionally with "timestamp", the "model" that really answered \
                and its "usage" in the provider's shape (at the top level or under "meta", as exported traces \
                keep them). Shows the decisions that change per rule and shape, turns per model, and for the \
                candidate and the current policy (--against, or what was recorded) the estimated cost and both \
                counterfactuals, priced with the prompt-cache simulation.
                """)

        @Option(help: "The candidate policy.") var policy: String
        @Option(help: "The policy to compare with (default: the decisions that were recorded).") var against: String?
        @Option(help: "Replay this ledger (an SQLite file).") var ledger: String?
        @Option(help: "Replay this JSON-lines file of requests.") var requests: String?
        @Option(help: "Ledger turns that started at or after this UTC day or time.") var since: String?
        @Option(help: "Ledger turns that started before this UTC day or time.") var until: String?
        @Option(help: "Output format: table, json, csv (sessions) or markdown.") var format: ReportFormat = .table

        func validate() throws {
            guard (ledger == nil) != (requests == nil) else {
                throw ValidationError("Give exactly one of --ledger PATH or --requests FILE.jsonl.")
            }
            try LedgerOptions.validate(since: since, until: until)
        }

        func run() async throws {
            let candidate = try SluiceCommand.Policy.Explain.loadPolicy(policy)
            let current = try against.map { try SluiceCommand.Policy.Explain.loadPolicy($0) }
            let (turns, notes) = try await ledger != nil ? readLedger() : readRequests(candidate)
            guard !turns.isEmpty else { throw CLIError("No turns to replay.") }
            print(PolicyReplay.run(turns, candidate: candidate, against: current, notes: notes).rendered(as: format))
        }

        private func readLedger() async throws -> ([ReplayTurn], [String]) {
            let period = LedgerOptions.period(since: since, until: until)
            let records = try await LedgerOptions.withStore(at: ledger ?? "") {
                try await $0.turns(from: period.from, until: period.until)
            }
            let bare = records.filter { $0.features == nil }.count
            var notes: [String] = []
            if bare > 0 {
                notes.append(
                    "\(bare) ledger rows predate stored features: only their columns (shape, tool categories, "
                        + "prompt size, loop depth, error flag) were replayed.")
            }
            let withoutHistory = records.filter { $0.features != nil && $0.features?.history == nil }.count
            if withoutHistory > 0 {
                notes.append(
                    "\(withoutHistory) ledger rows predate the history features: their history conditions and p_cheap "
                        + "read them as the start of a conversation.")
            }
            let turns = records.compactMap(ReplayTurn.init(record:))
            if turns.count < records.count {
                notes.append(
                    "\(records.count - turns.count) requests refused before they could be read (malformed, too large) "
                        + "were left out: no policy decides them.")
            }
            return (turns, notes)
        }

        private func readRequests(_ policy: RoutingPolicy) throws -> ([ReplayTurn], [String]) {
            let data = try SluiceCommand.Policy.Explain.read(requests ?? "")
            let scanner = policy.makeScanner()
            var turns: [ReplayTurn] = []
            var skipped: [String] = []
            var previous = SluiceCommand.Policy.Explain.now
            var lineNumber = 0
            for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                do {
                    let bytes = Array(line)
                    let turn = try bytes.withUnsafeBytes { raw throws(ClientError) -> ReplayTurn in
                        try ReplayTurn(line: raw, scanner: scanner, after: previous)
                    }
                    previous = turn.startedAtMilliseconds
                    turns.append(turn)
                } catch let error as ClientError {
                    skipped.append("line \(lineNumber): \(error.message)")
                }
            }
            let notes = skipped.isEmpty ? [] : ["\(skipped.count) lines skipped: " + skipped.prefix(5).joined(separator: "; ")]
            return (turns, notes)
        }
    }
}
