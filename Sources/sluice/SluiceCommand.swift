import ArgumentParser

/// `sluice`: a cost-aware model routing gateway for coding agents.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A cost-aware model routing gateway for coding agents.",
        discussion: """
            Point your agent at Sluice (ANTHROPIC_BASE_URL=http://127.0.0.1:8787, or \
            OPENAI_BASE_URL=http://127.0.0.1:8787/v1); it routes every turn under a YAML policy \
            and records what each session cost against an all-frontier baseline.
            """,
        subcommands: [Serve.self, Report.self, Ab.self, Replay.self, Train.self, Outcome.self, Policy.self])
}
