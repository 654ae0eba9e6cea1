import ArgumentParser
import Foundation
import SluiceLedger
import SluiceRouting
import SluiceWire

extension SluiceCommand {
    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the next-move model (p_cheap) on recorded traffic and compare it with a policy's rules.",
            discussion: """
                The label of a turn is what the model did next: whether its next reply made tool calls that \
                only searched, read or listed, as the turn after it shows (the same tool categories the rules \
                use). Reads JSON lines of requests ({"protocol": ..., "body": {...}, "headers": {...}} per line, \
                a session's turns in order; "-" reads standard input; repeatable), or the ledger's rows. Turns \
                are split into folds by session; the report gives the model's precision at recall 0.2 to 0.5 \
                and the policy's cheap routes on the same turns, with 95% intervals, and calibration by decile. \
                The model written is fitted on every labelled turn.
                """)

        @Option(help: "JSON lines of requests to learn from (repeatable; - for standard input).")
        var requests: [String] = []
        @Option(help: "Learn from this ledger's rows instead (an SQLite file).") var ledger: String?
        @Option(help: "Ledger turns that started at or after this UTC day or time.") var since: String?
        @Option(help: "Ledger turns that started before this UTC day or time.") var until: String?
        @Option(help: "Write the model here (JSON); a policy names it with next_move_model.") var out: String?
        @Option(help: "The policy whose cheap routes are compared (and whose tool categories apply).")
        var policy = "policies/default.yaml"
        @Option(help: "Another policy to compare on the same turns (repeatable).") var compare: [String] = []
        @Option(help: "Session-level folds for the evaluation.") var folds = 5
        @Option(help: "The L2 penalty on standardized weights (larger keeps rare inputs from dominating).")
        var penalty = NextMoveTrainer.defaultPenalty

        func validate() throws {
            guard requests.isEmpty == (ledger != nil) else {
                throw ValidationError("Give --requests FILE.jsonl (one or more) or --ledger PATH.")
            }
            guard (2...20).contains(folds) else { throw ValidationError("--folds takes 2 to 20.") }
            guard penalty >= 0, penalty.isFinite else { throw ValidationError("--penalty takes a number ≥ 0.") }
            try LedgerOptions.validate(since: since, until: until)
        }

        func run() async throws {
            let main = try SluiceCommand.Policy.Explain.loadPolicy(policy)
            let others = try compare.map { ($0, try SluiceCommand.Policy.Explain.loadPolicy($0)) }
            let turns = try await ledger != nil ? readLedger() : readRequests(main)
            let dataset = NextMoveDataset(turns: turns, policy: main)
            let trainer = NextMoveTrainer(folds: folds, penalty: penalty)
            guard let result = trainer.train(dataset) else {
                throw CLIError(
                    "No turn could be labelled: a turn is labelled by a later turn of its session that shows its "
                        + "reply, and \(turns.count) turns gave none.")
            }
            let policies = [(policy, main)] + others
            let evaluation = NextMoveEvaluation(
                examples: dataset.examples, outOfFold: result.outOfFold, policies: policies)
            // The same evaluation over each family's turns alone: a policy routes each family by
            // rules of its own, and their thresholds are chosen per family.
            let byFamily = result.model.segments.compactMap { segment -> (String, NextMoveEvaluation)? in
                let members = dataset.examples.indices.filter { segment.clients.contains(dataset.examples[$0].features.dialect) }
                guard members.count < dataset.examples.count else { return nil }
                return (
                    segment.clientNames.joined(separator: ", "),
                    NextMoveEvaluation(
                        examples: members.map { dataset.examples[$0] }, outOfFold: members.map { result.outOfFold[$0] },
                        policies: policies)
                )
            }
            print(
                evaluation.text(
                    trained: result, unlabelled: dataset.unlabelled, folds: trainer.folds, byFamily: byFamily))
            if let out {
                do {
                    try Data(result.model.json.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
                } catch {
                    throw CLIError("Cannot write \(out): \(error.localizedDescription)")
                }
                print("\nWrote \(out) (fitted on all \(dataset.examples.count) labelled turns).")
            }
        }

        private func readLedger() async throws -> [ReplayTurn] {
            let period = LedgerOptions.period(since: since, until: until)
            let records = try await LedgerOptions.withStore(at: ledger ?? "") {
                try await $0.turns(from: period.from, until: period.until)
            }
            // A row without the history features cannot be labelled, nor label the turn before it.
            let usable = records.filter { $0.features?.history != nil }
            if usable.count < records.count {
                FileHandle.standardError.write(
                    Data("\(records.count - usable.count) ledger rows predate the history features and were left out.\n".utf8))
            }
            return usable.compactMap(ReplayTurn.init(record:))
        }

        private func readRequests(_ policy: RoutingPolicy) throws -> [ReplayTurn] {
            let scanner = policy.makeScanner()
            var turns: [ReplayTurn] = []
            var previous = SluiceCommand.Policy.Explain.now
            var skipped = 0
            for path in requests {
                let data: [UInt8]
                if path == "-" {
                    data = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
                } else {
                    data = try SluiceCommand.Policy.Explain.read(path)
                }
                for line in data.split(separator: 0x0A) {
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                    do {
                        let turn = try Array(line).withUnsafeBytes { raw throws(ClientError) -> ReplayTurn in
                            try ReplayTurn(line: raw, scanner: scanner, after: previous)
                        }
                        previous = turn.startedAtMilliseconds
                        turns.append(turn)
                    } catch {
                        skipped += 1
                    }
                }
            }
            if skipped > 0 {
                FileHandle.standardError.write(Data("\(skipped) lines could not be read as requests and were skipped.\n".utf8))
            }
            return turns
        }
    }
}
