import ArgumentParser
import Logging
import SluiceLedger
import SluiceStore

/// `--ledger`, `--since` and `--until`, as every command that reads the ledger takes them.
struct LedgerOptions: ParsableArguments {
    @Option(help: "The ledger: an SQLite file.") var ledger = ".sluice/ledger.sqlite"
    @Option(help: "Only turns that started at or after this UTC day or time (2026-11-01, 2026-11-01T09:00Z).")
    var since: String?
    @Option(help: "Only turns that started before this UTC day or time.") var until: String?

    func validate() throws {
        try Self.validate(since: since, until: until)
    }

    /// The period `--since` and `--until` name; open on a side they leave out.
    var period: ReportPeriod { Self.period(since: since, until: until) }

    /// Refuses a `--since` or `--until` that is not a UTC day or time.
    static func validate(since: String?, until: String?) throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, ReportPeriod.milliseconds(parsing: value) == nil {
                throw ValidationError("\(name) takes a UTC day or time such as 2026-11-01 or 2026-11-01T09:00Z.")
            }
        }
    }

    static func period(since: String?, until: String?) -> ReportPeriod {
        ReportPeriod(
            from: since.flatMap(ReportPeriod.milliseconds(parsing:)),
            until: until.flatMap(ReportPeriod.milliseconds(parsing:)))
    }

    /// Opens the ledger, runs `body` with it, and closes it, whatever `body` does.
    func withStore<Result>(_ body: (any LedgerStore) async throws -> Result) async throws -> Result {
        try await Self.withStore(at: ledger, body)
    }

    /// Opens the ledger at `path` (see ``LedgerLocation``), runs `body`, and closes it.
    static func withStore<Result>(at path: String, _ body: (any LedgerStore) async throws -> Result) async throws
        -> Result
    {
        var logger = Logger(label: "sluice")
        logger.logLevel = .warning
        let store: any LedgerStore
        do {
            store = try await LedgerLocation(parsing: path).open(logger: logger)
        } catch let error as LedgerLocationError {
            throw CLIError(error.description)
        }
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}
