import Foundation
package import Logging
import ServiceLifecycle
import SluiceRouting
import UnixSignals

/// Reloads the policy file on SIGHUP and whenever the file changes, without dropping a turn.
///
/// A new policy is read and validated in full before it replaces the old one; a file with any
/// problem is refused, every problem is logged, and the old policy keeps serving. Turns read the
/// policy once when they start (`PolicyHolder`), so a turn in flight finishes under the policy it
/// began with.
package struct PolicyReloader: Service {
    let path: String
    let environment: [String: String]
    let policies: PolicyHolder
    let logger: Logger
    /// How often the file's size and modification time are checked.
    let pollInterval: Duration
    /// Dates each load, for the dashboard's policy page.
    let clock: @Sendable () -> Int64

    package init(
        path: String, environment: [String: String], policies: PolicyHolder, logger: Logger,
        pollInterval: Duration = .seconds(1), clock: @escaping @Sendable () -> Int64 = GatewayConfiguration().clock
    ) {
        self.clock = clock
        self.path = path
        self.environment = environment
        self.policies = policies
        self.logger = logger
        self.pollInterval = pollInterval
    }

    package func run() async throws {
        let initial = fileStamp()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
                    reload(because: "SIGHUP")
                }
            }
            group.addTask {
                var lastSeen = initial
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try? await Task.sleep(for: pollInterval)
                    let stamp = fileStamp()
                    if stamp != lastSeen {
                        lastSeen = stamp
                        if stamp != nil { reload(because: "the file changed") }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Reads, validates and installs the policy file; returns whether it was installed.
    @discardableResult
    package func reload(because cause: String) -> Bool {
        do {
            let (policy, text) = try Gateway.readPolicy(path: path, environment: environment)
            policies.replace(with: policy, source: PolicySource(path: path, text: text, loadedAtMilliseconds: clock()))
            logger.notice(
                "Policy reloaded",
                metadata: ["policy": "\(path)", "cause": "\(cause)", "rules": "\(policy.rules.count)"])
            for problem in policy.unsetKeyProblems(in: environment) {
                logger.warning("Upstream key not set", metadata: ["policy": "\(path)", "problem": "\(problem)"])
            }
            return true
        } catch let error as PolicyError {
            logger.error(
                "Policy refused; the previous policy keeps serving",
                metadata: [
                    "policy": "\(path)", "cause": "\(cause)",
                    "problems": "\(error.problems.map(\.description).joined(separator: "; "))",
                ])
        } catch {
            logger.error(
                "Policy file unreadable; the previous policy keeps serving",
                metadata: ["policy": "\(path)", "cause": "\(cause)", "error": "\(error)"])
        }
        return false
    }

    /// Size and modification time: a change in either means the file was rewritten.
    private func fileStamp() -> [String]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return ["\(size)", "\(modified)"]
    }
}
