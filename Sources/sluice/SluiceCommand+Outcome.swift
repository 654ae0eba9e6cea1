import ArgumentParser
import Foundation
import SluiceLedger

extension SluiceCommand {
    struct Outcome: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record how a session ended (success or failure), for sluice ab.",
            discussion: """
                The same as POST /v1/sessions/KEY/outcome to a running gateway, written straight to \
                the ledger. A later outcome for the same session replaces an earlier one in reports.
                """)

        @Argument(help: "The session key (x-sluice-session, as sluice report shows it).") var session: String
        @Flag(help: "The session did what it was asked.") var success = false
        @Flag(help: "It did not.") var failure = false
        @Option(help: "A score from 0 to 1 (a grader's mark, the share of tests passing).") var score: Double?
        @Option(help: "A note for people.") var note: String?
        @Option(help: "The ledger: an SQLite file.") var ledger = ".sluice/ledger.sqlite"

        func validate() throws {
            guard success != failure else { throw ValidationError("Give exactly one of --success or --failure.") }
            if let score, !(0...1).contains(score) { throw ValidationError("--score must be from 0 to 1.") }
            if let note, note.count > SessionOutcome.maxNoteLength {
                throw ValidationError("--note is longer than \(SessionOutcome.maxNoteLength) characters.")
            }
            guard !session.isEmpty else { throw ValidationError("The session key is empty.") }
        }

        func run() async throws {
            let outcome = SessionOutcome(
                id: UUID().uuidString.lowercased(), session: session, verdict: success ? .success : .failure,
                score: score, note: note, recordedAtMilliseconds: Int64(Date().timeIntervalSince1970 * 1_000))
            let known = try await LedgerOptions.withStore(at: ledger) { store in
                try await store.record(outcome)
                return try await !store.turns(inSession: session).isEmpty
            }
            print("Recorded \(outcome.verdict.rawValue) for session \(session).")
            if !known {
                print(
                    "Note: \(ledger) has no turns of session \(session) yet; the outcome is kept and counts once "
                        + "they arrive (sluice report --sessions lists the keys).")
            }
        }
    }
}
