import Foundation
package import Logging
package import SluiceLedger

/// Where a ledger lives, as `--ledger` names it: the one way `serve` and `report` open one.
///
/// A path is an embedded SQLite file (created if missing). A `postgres://` or `postgresql://`
/// URL will name a ledger several gateways share; until that store exists it is refused with a
/// message that says so, rather than taken for a file name.
///
/// ```swift
/// let location = try LedgerLocation(parsing: "~/.sluice/ledger.sqlite")
/// let store = try await location.open(logger: logger)
/// ```
package enum LedgerLocation: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite file.
    case sqlite(path: String)

    /// Reads a `--ledger` value.
    ///
    /// - Throws: ``LedgerLocationError`` for an empty value or a database URL this version
    ///   cannot open.
    package init(parsing value: String) throws(LedgerLocationError) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw LedgerLocationError("--ledger is empty; give a file path") }
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            throw LedgerLocationError(
                "PostgreSQL ledgers are not supported by this version of Sluice yet; give an SQLite file path")
        }
        if let scheme = lowered.range(of: "://"), !lowered[..<scheme.lowerBound].contains("/") {
            throw LedgerLocationError("--ledger \(trimmed): unknown kind of ledger; give an SQLite file path")
        }
        self = .sqlite(path: trimmed)
    }

    /// Opens the ledger, bringing its schema up to date.
    package func open(logger: Logger) async throws -> any LedgerStore {
        switch self {
        case .sqlite(let path): try await SQLiteLedgerStore.open(path: path, logger: logger)
        }
    }

    /// Where the writer spools records while the ledger is unavailable: a file beside it.
    package var spoolPath: String {
        switch self {
        case .sqlite(let path): path + ".spool.jsonl"
        }
    }

    package var description: String {
        switch self {
        case .sqlite(let path): path
        }
    }
}

/// A `--ledger` value Sluice cannot open, with a message a person can act on.
package struct LedgerLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
