import ArgumentParser
import Foundation
import SluiceRouting

extension SluiceCommand {
    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with routing policies.", subcommands: [Check.self, Explain.self])
    }
}

extension SluiceCommand.Policy {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a policy file and list every problem with its path.")

        @Argument(help: "The policy file.") var file: String

        func run() async throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw CLIError("Cannot read \(file): \(error.localizedDescription)")
            }
            do {
                let policy = try RoutingPolicy(yaml: text)
                print(
                    "\(file): OK (\(policy.upstreams.count) upstreams, \(policy.models.count) models, \(policy.rules.count) rules)")
            } catch {
                print("\(file): \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s")")
                for problem in error.problems { print("  \(problem)") }
                throw ExitCode(1)
            }
        }
    }
}
