import Foundation
import SluiceLedger
import Synchronization

/// A local file of turn records, one JSON object per line, for when the store is down.
///
/// DESIGN §9: a turn record is never silently lost. While the store fails, the writer appends
/// records here and syncs them to disk; when the store is back, it claims the file (renames it
/// to `<path>.ingesting`, so new records start a fresh file), writes its records to the store
/// and deletes it. A claimed file left by a crash is ingested first on the next start.
/// Records the store refuses for good, and lines that cannot be decoded, go to
/// `<path>.rejected` for a person to look at.
///
/// The line format is `TurnRecord`'s `Codable` form (property names as keys, money as integer
/// nanodollars), so renaming a `TurnRecord` property must keep its coding key.
final class LedgerSpool: Sendable {
    /// Records waiting for the store.
    let path: String
    /// A spool file being written to the store.
    var claimedPath: String { path + ".ingesting" }
    /// Records or lines the store will never accept.
    var rejectedPath: String { path + ".rejected" }

    /// Serializes file operations of this process: appends may come from `record(_:)` after
    /// shutdown as well as from the writer's loop.
    private let lock = Mutex(())

    init(path: String) {
        self.path = Self.expandingHome(path)
    }

    /// What a claim found: the decodable records, and how many lines were not.
    struct Claim {
        var records: [TurnRecord]
        var unreadableLines: Int
    }

    /// `path` with a leading `~/` taken from `$HOME`: Foundation's own expansion prefers the
    /// user database's home, which in a container may not be the volume `HOME` names.
    static func expandingHome(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty else {
            return (path as NSString).expandingTildeInPath
        }
        return home + path.dropFirst()
    }

    /// Whether a spool or claimed file exists.
    var hasPendingRecords: Bool {
        lock.withLock { _ in
            FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(atPath: claimedPath)
        }
    }

    /// The size of the spool and claimed files together, in bytes.
    var bytesWaiting: Int {
        lock.withLock { _ in
            [path, claimedPath].reduce(0) { total, file in
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
                return total + (size ?? 0)
            }
        }
    }

    /// Appends the records and syncs the file to disk before returning.
    func append(_ records: [TurnRecord]) throws {
        let encoder = JSONEncoder()
        var data = Data()
        for record in records {
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        try lock.withLock { _ in try Self.appendAndSync(data, to: path) }
    }

    /// Sets a record aside in the rejected file, synced to disk.
    func reject(_ record: TurnRecord) throws {
        var data = try JSONEncoder().encode(record)
        data.append(UInt8(ascii: "\n"))
        try lock.withLock { _ in try Self.appendAndSync(data, to: rejectedPath) }
    }

    /// Takes the records to ingest: a claimed file left from before if there is one, otherwise
    /// the spool file, renamed to the claimed path. `nil` when there is nothing to ingest.
    ///
    /// Lines that do not decode (a line cut short by a crash mid-write) are copied to the
    /// rejected file and counted.
    func claim() throws -> Claim? {
        try lock.withLock { _ -> Claim? in
            let files = FileManager.default
            if !files.fileExists(atPath: claimedPath) {
                guard files.fileExists(atPath: path) else { return nil }
                try files.moveItem(atPath: path, toPath: claimedPath)
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: claimedPath))
            let decoder = JSONDecoder()
            var claim = Claim(records: [], unreadableLines: 0)
            var unreadable = Data()
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                if let record = try? decoder.decode(TurnRecord.self, from: Data(line)) {
                    claim.records.append(record)
                } else {
                    claim.unreadableLines += 1
                    unreadable.append(contentsOf: line)
                    unreadable.append(UInt8(ascii: "\n"))
                }
            }
            if !unreadable.isEmpty {
                try Self.appendAndSync(unreadable, to: rejectedPath)
                // Rewrite the claim without the bad lines so a retry does not copy them again.
                let good = try claim.records.reduce(into: Data()) { data, record in
                    data.append(try JSONEncoder().encode(record))
                    data.append(UInt8(ascii: "\n"))
                }
                try good.write(to: URL(fileURLWithPath: claimedPath), options: .atomic)
            }
            return claim
        }
    }

    /// Deletes the claimed file once all its records are in the store.
    func finishClaim() throws {
        try lock.withLock { _ in
            if FileManager.default.fileExists(atPath: claimedPath) {
                try FileManager.default.removeItem(atPath: claimedPath)
            }
        }
    }

    /// Appends to a file (created with owner-only permissions if missing) and fsyncs it.
    private static func appendAndSync(_ data: Data, to path: String) throws {
        let files = FileManager.default
        if !files.fileExists(atPath: path) {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }
}
