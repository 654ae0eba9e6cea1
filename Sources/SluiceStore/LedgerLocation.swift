import Foundation
package import Logging
package import SluiceLedger

/// Where a ledger lives, as `--ledger` names it: the one way `serve` and `report` open one.
///
/// A path is an embedded SQLite file (created if missing), for one gateway. A `postgres://` or
/// `postgresql://` URL (see ``PostgresURL``) names a PostgreSQL database that several gateways
/// share; the URL is checked when parsed, so a typo fails at startup, not at the first turn.
/// Anything else with a `scheme://` is refused rather than taken for a file name.
///
/// ```swift
/// let location = try LedgerLocation(parsing: "postgres://sluice:secret@db.internal/ledger")
/// let store = try await location.open(logger: logger)
/// print(location)  // postgres://sluice:***@db.internal:5432/ledger?sslmode=disable
/// ```
package enum LedgerLocation: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database, as a `postgres://` URL (which may hold a password: print the
    /// location, never the URL).
    case postgres(url: String)

    /// Where spool files of database ledgers go when the caller names no directory.
    package static let defaultSpoolDirectory = "~/.sluice"

    /// Whether several gateways may write this ledger at once (a database), so what one gateway
    /// knows from its own turns (budgets' spend) must be read back from the ledger.
    package var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// Reads a `--ledger` value.
    ///
    /// - Throws: ``LedgerLocationError`` for an empty value, a `postgres://` URL Sluice cannot
    ///   use (saying which part is wrong), or another kind of URL.
    package init(parsing value: String) throws(LedgerLocationError) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw LedgerLocationError("--ledger is empty; give an SQLite file path or a postgres:// URL")
        }
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            do {
                _ = try PostgresURL(parsing: trimmed)
            } catch {
                throw LedgerLocationError("--ledger: \(error)")
            }
            self = .postgres(url: trimmed)
            return
        }
        if let scheme = lowered.range(of: "://"), !lowered[..<scheme.lowerBound].contains("/") {
            throw LedgerLocationError(
                "--ledger \(trimmed): unknown kind of ledger; give an SQLite file path or a postgres:// URL")
        }
        self = .sqlite(path: trimmed)
    }

    /// Opens the ledger, bringing its schema up to date.
    ///
    /// - Throws: For PostgreSQL, ``LedgerLocationError`` saying why the database could not be
    ///   used (unreachable, refused the login, no such database, a failed migration), with the
    ///   password hidden; for SQLite, the file's or SQLite's error.
    package func open(logger: Logger) async throws -> any LedgerStore {
        switch self {
        case .sqlite(let path):
            return try await SQLiteLedgerStore.open(path: path, logger: logger)
        case .postgres(let url):
            do {
                return try await PostgresLedgerStore.open(url: url, logger: logger)
            } catch let error as PostgresURLError {
                throw LedgerLocationError("--ledger: \(error)")
            } catch {
                throw LedgerLocationError(
                    "cannot open the ledger at \(self): \(PostgresLedgerStore.explanation(of: error))")
            }
        }
    }

    /// Where the writer spools records while the ledger is unavailable, with database spools in
    /// ``defaultSpoolDirectory``; see ``spoolPath(in:)``.
    package var spoolPath: String {
        spoolPath(in: Self.defaultSpoolDirectory)
    }

    /// Where the writer spools records while the ledger is unavailable.
    ///
    /// An SQLite ledger's spool is a file beside it (`<path>.spool.jsonl`), whatever the
    /// directory. A PostgreSQL ledger has no file to sit beside, so its spool goes in
    /// `directory`, named after the database it waits for:
    /// `postgres-<16 hex digits>.spool.jsonl`, the digits a stable hash (FNV-1a, the same in every
    /// run and on every machine) of host, port, database and server options
    /// (``PostgresURL/ledgerIdentity``). So a restarted gateway finds the records its previous
    /// run spooled for the same database, and gateways of one machine that write to different
    /// databases never mix their records; user and password are left out, since they reach the
    /// same tables. Several gateways of one machine that share one database each name their own
    /// `instance` (`sluice serve` gives its port), so no two processes ever append to or claim
    /// the same file.
    ///
    /// - Parameters:
    ///   - directory: The directory of database spools; a leading `~/` means the home
    ///     directory, and the writer creates it when it first spools.
    ///   - instance: What tells this gateway from others on the machine; `nil` for one alone.
    package func spoolPath(in directory: String, instance: String? = nil) -> String {
        switch self {
        case .sqlite(let path):
            return path + ".spool.jsonl"
        case .postgres(let url):
            let identity = (try? PostgresURL(parsing: url))?.ledgerIdentity ?? url
            let name = "postgres-" + Self.stableHash(identity) + (instance.map { "-" + $0 } ?? "") + ".spool.jsonl"
            return directory.hasSuffix("/") ? directory + name : directory + "/" + name
        }
    }

    /// The path, or the URL with its password hidden.
    package var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url):
            (try? PostgresURL(parsing: url))?.description ?? "a postgres:// URL that does not parse"
        }
    }

    /// 64-bit FNV-1a of the text's UTF-8, as 16 hex digits; unlike `Hasher`, the same in every process.
    private static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// A `--ledger` value Sluice cannot open, with a message a person can act on.
package struct LedgerLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
