import Foundation
import Logging
import NIOHTTP1
import SluiceGateway
import Testing

/// Reloading the policy while turns are in flight.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PolicyReloadTests {
    static let body = #"{"model":"claude-sonnet-5-5","max_tokens":4096,"messages":[{"role":"user","content":"Hello"}]}"#

    @Test func reloadsUnderLoadWithoutFailingATurnAndRefusesABadFile() async throws {
        try await GatewayHarness.run { harness in
            let original = try String(contentsOfFile: harness.policyPath, encoding: .utf8)
            // The same policy with the default Anthropic rule renamed and sent to the cheap model.
            let changed = original.replacingOccurrences(
                of: "{name: default-anthropic, when: {client: anthropic}, route: frontier}",
                with: "{name: reloaded, when: {client: anthropic}, route: cheap}")
            #expect(changed != original)
            var logger = Logger(label: "reload-test")
            logger.logLevel = .critical
            let reloader = PolicyReloader(
                path: harness.policyPath, environment: [:], policies: harness.policies, logger: logger)

            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var seen: [Int] = []
                        for _ in 0..<25 {
                            seen.append(try await harness.post("/v1/messages", body: Self.body).status)
                        }
                        return seen
                    }
                }
                group.addTask {
                    for round in 0..<20 {
                        let text = round.isMultiple(of: 2) ? changed : original
                        try text.write(toFile: harness.policyPath, atomically: true, encoding: .utf8)
                        #expect(reloader.reload(because: "test"))
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    return []
                }
                var all: [Int] = []
                for try await statuses in group { all += statuses }
                return all
            }
            #expect(statuses.count == 200)
            #expect(statuses.allSatisfy { $0 == 200 })

            // Install the changed policy, then try a broken one: it is refused and the changed one stays.
            try changed.write(toFile: harness.policyPath, atomically: true, encoding: .utf8)
            #expect(reloader.reload(because: "test"))
            try "version: 1\nrules: [".write(toFile: harness.policyPath, atomically: true, encoding: .utf8)
            #expect(!reloader.reload(because: "test"))
            let reply = try await harness.post("/v1/messages", body: Self.body)
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "x-sluice-rule") == "reloaded")
            #expect(reply.headers.first(name: "x-sluice-model") == "cheap")
        }
    }

    @Test func noticesWhenThePolicyFileChanges() async throws {
        try await GatewayHarness.run { harness in
            let original = try String(contentsOfFile: harness.policyPath, encoding: .utf8)
            var logger = Logger(label: "reload-test")
            logger.logLevel = .critical
            let reloader = PolicyReloader(
                path: harness.policyPath, environment: [:], policies: harness.policies, logger: logger,
                pollInterval: .milliseconds(50))
            let watching = Task { try await reloader.run() }
            defer { watching.cancel() }
            try await Task.sleep(for: .milliseconds(120))
            try original.replacingOccurrences(
                of: "{name: default-anthropic, when: {client: anthropic}, route: frontier}",
                with: "{name: edited, when: {client: anthropic}, route: frontier}"
            ).write(toFile: harness.policyPath, atomically: true, encoding: .utf8)
            var rule: String?
            for _ in 0..<60 {
                try await Task.sleep(for: .milliseconds(50))
                rule = try await harness.post("/v1/messages", body: Self.body).headers.first(name: "x-sluice-rule")
                if rule == "edited" { break }
            }
            #expect(rule == "edited")
        }
    }
}
