import ArgumentParser
import Foundation
import Logging
import SluiceGateway
import SluiceRouting
import SluiceStore

extension SluiceCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the gateway (embedded SQLite ledger, the shipped default policy).")

        @Option(help: "Routing policy file.") var policy = "policies/default.yaml"
        @Option(help: "The ledger: an SQLite file (created if missing).") var ledger = ".sluice/ledger.sqlite"
        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on.") var port = 8787
        @Option(name: .customLong("max-body-mb"), help: "Largest request body accepted, in MiB.") var maxBodyMB = 32
        @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
            guard maxBodyMB > 0 else { throw ValidationError("--max-body-mb must be positive.") }
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error.")
            }
        }

        func run() async throws {
            guard FileManager.default.isReadableFile(atPath: policy) else {
                throw CLIError(
                    "Cannot read the policy file \(policy) (from \(FileManager.default.currentDirectoryPath)): run "
                        + "from the repository's root, or name a policy with --policy FILE.")
            }
            var logger = Logger(label: "sluice")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            var configuration = GatewayConfiguration()
            configuration.host = host
            configuration.port = port
            configuration.policyPath = policy
            configuration.ledger = ledger
            configuration.maxBodyBytes = maxBodyMB * 1024 * 1024
            configuration.environment = ProcessInfo.processInfo.environment
            configuration.userHashKey = try Self.userHashKey(
                environment: configuration.environment, besideLedger: ledger)
            do {
                try await Gateway.run(configuration: configuration, logger: logger)
            } catch let error as PolicyError {
                throw CLIError("The policy \(policy) has problems:\n\(error)")
            } catch let error as LedgerLocationError {
                throw CLIError(error.description)
            }
        }
    }
}

extension SluiceCommand.Serve {
    /// The key that hashes client credentials into user identities: `$SLUICE_USER_HASH_KEY` when
    /// set, otherwise a random key kept in `user-hash-key` beside an SQLite ledger (made on the
    /// first start, readable by its owner only), so users keep their identity across restarts.
    /// Empty for a database ledger: the gateway reads the key its database shares once open.
    static func userHashKey(environment: [String: String], besideLedger ledger: String) throws -> [UInt8] {
        if let key = environment["SLUICE_USER_HASH_KEY"], !key.isEmpty { return Array(key.utf8) }
        guard !ledger.contains("://") else { return [] }
        let folder = (ledger as NSString).deletingLastPathComponent
        let path = (folder.isEmpty ? "." : folder) + "/user-hash-key"
        if let existing = FileManager.default.contents(atPath: path), !existing.isEmpty { return Array(existing) }
        try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        let key = UserHashKey.random()
        guard FileManager.default.createFile(atPath: path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CLIError("Cannot write the user hash key \(path); set SLUICE_USER_HASH_KEY instead.") }
        return Array(key.utf8)
    }
}

/// An error the CLI prints as is, with no stack of types around it.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
