import ArgumentParser
import Foundation
import SluiceGateway
import SluiceRouting
import SluiceWire

extension Dialect: ExpressibleByArgument {}

extension SluiceCommand.Policy {
    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the features Sluice reads from a request, each rule tried, and the decision.",
            discussion: """
                --request takes one request body (JSON); --requests takes JSON lines of \
                {"protocol": "anthropic"|"openai-chat"|"openai-responses", "body": {...}, "headers": {...}} \
                and ends with counts per shape and per rule.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Argument(help: "The policy file.") var file: String
        @Option(help: "A request body to explain.") var request: String?
        @Option(help: "JSON lines of requests to explain.") var requests: String?
        @Option(help: "The request's dialect (default: guessed from the body).") var dialect: Dialect?
        @Option(name: .customLong("header"), help: "A request header, as Name:Value (repeatable).")
        var headers: [String] = []
        @Option(help: "Output format: text or json.") var format: Format = .text

        func validate() throws {
            guard (request == nil) != (requests == nil) else {
                throw ValidationError("Give exactly one of --request FILE or --requests FILE.jsonl.")
            }
            for header in headers where !header.contains(":") {
                throw ValidationError("--header takes Name:Value, got \"\(header)\".")
            }
        }

        func run() async throws {
            let policy = try Self.loadPolicy(file)
            if let request {
                var body = try Self.read(request)
                let lookup = Dictionary(
                    headers.map { header -> (String, String) in
                        let parts = header.split(separator: ":", maxSplits: 1)
                        return (parts[0].lowercased().trimmingCharacters(in: .whitespaces),
                                String(parts[1]).trimmingCharacters(in: .whitespaces))
                    }, uniquingKeysWith: { _, last in last })
                let explanation = try body.withUnsafeMutableBytes { raw throws(ClientError) in
                    let bytes = UnsafeRawBufferPointer(raw)
                    return try PolicyExplanation(
                        body: bytes, dialect: dialect ?? PolicyExplanation.guessDialect(of: bytes),
                        headers: TurnHeaders { lookup[$0] }, policy: policy, at: Self.now)
                }
                print(format == .json ? explanation.json : explanation.text)
            } else if let requests {
                let report = try RequestLogExplanation(
                    lines: Self.read(requests), policy: policy, dialect: dialect, at: Self.now)
                print(format == .json ? report.json : report.text)
            }
        }

        /// The policy as `sluice serve` would load it here, with this environment's base URLs and keys.
        static func loadPolicy(_ path: String) throws -> RoutingPolicy {
            let text = try SluiceCommand.Policy.readText(path)
            do {
                return try RoutingPolicy(yaml: text, include: Gateway.includer(forPolicyAt: path))
                    .resolvingEnvironment(ProcessInfo.processInfo.environment)
            } catch {
                throw CLIError("The policy \(path) has problems:\n\(error)")
            }
        }

        /// Now, in Unix milliseconds: when the explained requests arrive.
        static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

        static func read(_ path: String) throws -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("Cannot read \(path).") }
            return [UInt8](data)
        }
    }
}
