import ArgumentParser
import Foundation
import SluiceGateway
import SluiceRouting

extension SluiceCommand {
    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with routing policies.", subcommands: [Check.self, Explain.self])

        /// The text of the policy file at `path`, or an error a person can act on.
        static func readText(_ path: String) throws -> String {
            do {
                return try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CLIError("Cannot read \(path): \(error.localizedDescription)")
            }
        }
    }
}

extension SluiceCommand.Policy {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a policy file and list every problem with its path.")

        @Argument(help: "The policy file.") var file: String

        func run() async throws {
            let text = try SluiceCommand.Policy.readText(file)
            let problems: [PolicyProblem]
            do {
                let policy = try RoutingPolicy(yaml: text, include: Gateway.includer(forPolicyAt: file))
                problems = policy.unsetKeyProblems(in: ProcessInfo.processInfo.environment)
                if problems.isEmpty {
                    print(
                        "\(file): OK (\(policy.upstreams.count) upstreams, \(policy.models.count) models, \(policy.rules.count) rules)")
                    return
                }
            } catch {
                problems = error.problems
            }
            print("\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
            for problem in problems { print("  \(problem)") }
            throw ExitCode(1)
        }
    }
}
