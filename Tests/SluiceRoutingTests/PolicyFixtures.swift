import Foundation
import SluiceRouting
import SluiceWire

/// Policy texts and turn builders shared by the policy tests.
enum PolicyFixtures {
    /// The example from the policy format's description, completed with the `gpt` model its
    /// baseline names and a rule for OpenAI clients.
    static let example = """
        version: 1
        upstreams:
          anthropic:
            dialect: anthropic
            base_url: https://api.anthropic.com
            base_url_env: SLUICE_ANTHROPIC_BASE_URL
          openai:
            dialect: openai
            base_url: https://api.openai.com/v1/
            base_url_env: SLUICE_OPENAI_BASE_URL
            api_key_env: OPENAI_API_KEY
            timeout: {connect: 5, first_byte: 120}
        models:
          opus:
            upstream: anthropic
            id: claude-opus-5-5
            context_window: 1000000
            price: {input: 4.00, output: 20.00, cache_read: 0.20, cache_write_5m: 5.00, cache_write_1h: 8.00}
          haiku:
            upstream: anthropic
            id: claude-haiku-5-5
            context_window: 1000000
            price: {input: 0.10, output: 0.50, cache_read: 0.01, cache_write_5m: 0.125, cache_write_1h: 0.20,
                    above: {tokens: 100000, input: 0.50, output: 2.50, cache_read: 0.05, cache_write_5m: 0.625,
                            cache_write_1h: 1.00}}
          gpt:
            upstream: openai
            id: gpt-5.6-sol
            context_window: 1_050_000
            price: {input: 4, output: 20}
        baseline:
          anthropic: opus
          openai-chat: gpt
          openai-responses: gpt
        rules:
          - name: side-calls
            when: {client: anthropic, shape: side_call}
            route: haiku
          - name: default-anthropic
            when: {client: anthropic}
            route: opus
          - name: default-openai
            route: gpt
        tool_categories:
          my_search_tool: search
        """

    /// A small valid policy the validation cases edit one piece at a time.
    static let small = """
        version: 1
        upstreams:
          anthropic: {dialect: anthropic, base_url: https://api.anthropic.com}
          openai: {dialect: openai, base_url: https://api.openai.com/v1}
        models:
          opus: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000, price: {input: 4.00, output: 20.00}}
          haiku: {upstream: anthropic, id: claude-haiku-5-5, context_window: 200000, price: {input: 0.10, output: 0.50}}
          sol: {upstream: openai, id: gpt-5.6-sol, context_window: 1050000, price: {input: 4.00, output: 20.00}}
        baseline: {anthropic: opus, openai-chat: sol, openai-responses: sol}
        rules:
          - {name: side-calls, when: {client: anthropic, shape: side_call}, route: haiku}
          - {name: default-anthropic, when: {client: anthropic}, route: opus}
          - {name: default-openai, when: {client: openai}, route: sol}
        """

    /// `small` with one piece of text replaced; traps when the piece is not there, so a case
    /// can never silently test the unedited policy.
    static func small(replacing original: String, with replacement: String) -> String {
        precondition(small.contains(original), "the small policy has no \"\(original)\"")
        return small.replacingOccurrences(of: original, with: replacement)
    }

    /// A policy for `decide(for:)`: Anthropic rules in the style of DESIGN §7, an OpenAI-chat
    /// rule that only takes user turns and tool follow-ups, and no model for OpenAI Responses.
    static let deciding = """
        version: 1
        upstreams:
          anthropic: {dialect: anthropic, base_url: https://api.anthropic.com}
          openai: {dialect: openai-chat, base_url: https://api.openai.com/v1}
        models:
          opus: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000, price: {input: 4, output: 20}}
          haiku: {upstream: anthropic, id: claude-haiku-5-5, context_window: 200000, price: {input: 0.10, output: 0.50}}
          mini: {upstream: openai, id: gpt-5.4-mini, context_window: 272000, price: {input: 0.75, output: 4.50}}
        baseline: {anthropic: opus, openai-chat: mini}
        rules:
          - {name: side-calls, when: {shape: side_call}, route: haiku}
          - {name: after-error, when: {last_tool_error: true}, route: opus}
          - name: grep-shaped
            when: {shape: tool_followup, last_tool_categories: [search, read, list], prompt_tokens: {max: 150000}}
            route: haiku
          - {name: default, route: opus}
          - {name: chat, when: {client: openai-chat, shape: [user_turn, tool_followup]}, route: mini}
        """

    /// The repository's `policies/` folder, found from this file's path.
    static let policiesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SluiceRoutingTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("policies")

    /// The shipped default policy.
    static func defaultPolicyText() throws -> String {
        try shippedPolicyText("default.yaml")
    }

    /// A shipped policy's text, by file name.
    static func shippedPolicyText(_ name: String) throws -> String {
        try String(contentsOf: policiesFolder.appendingPathComponent(name), encoding: .utf8)
    }

    /// The file names of every shipped policy, sorted.
    /// The shipped policies: every YAML file in `policies/` but the price book they can include.
    static func shippedPolicyNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: policiesFolder.path)
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && $0 != "prices.yaml" }
            .sorted()
    }

    /// Reads a file a shipped policy includes (its price book), from `policies/`.
    static func include(_ file: String) throws -> String {
        try String(contentsOf: policiesFolder.appendingPathComponent(file), encoding: .utf8)
    }

    /// A shipped policy, read with the files it includes.
    static func shippedPolicy(_ name: String) throws -> RoutingPolicy {
        try RoutingPolicy(yaml: try shippedPolicyText(name), include: include)
    }

    /// The problems a policy text has, as printed by `sluice policy check`; empty when it loads.
    /// Files it includes are read from `policies/`.
    static func problems(in yaml: String) -> [PolicyProblem] {
        do {
            _ = try RoutingPolicy(yaml: yaml, include: include)
            return []
        } catch {
            return error.problems
        }
    }
}

extension TurnFeatures {
    /// A side call from Claude Code, such as title generation.
    static func sideCall(_ dialect: Dialect = .anthropic, promptTokens: Int = 2_000, maxTokens: Int? = 512) -> Self {
        TurnFeatures(
            dialect: dialect, requestedModel: "claude-opus-5-5", promptTokens: promptTokens, messageCount: 1,
            maxTokens: maxTokens, lastMessage: .userText, shape: .sideCall)
    }

    /// A turn handing tool results back to the model.
    static func toolFollowup(
        _ dialect: Dialect = .anthropic, categories: [ToolCategory], error: Bool = false, promptTokens: Int = 12_345,
        maxTokens: Int? = 32_000
    ) -> Self {
        TurnFeatures(
            dialect: dialect, requestedModel: "claude-opus-5-5", stream: true, promptTokens: promptTokens,
            messageCount: 9, toolsOffered: 17, maxTokens: maxTokens, lastMessage: .toolResult,
            lastToolCategories: categories, lastToolError: error, lastToolResultBytes: 4_096, loopDepth: 3,
            shape: .toolFollowup)
    }

    /// New text from the user.
    static func userTurn(_ dialect: Dialect = .anthropic, promptTokens: Int = 30_000, requestedModel: String = "")
        -> Self
    {
        TurnFeatures(
            dialect: dialect, requestedModel: requestedModel, stream: true, promptTokens: promptTokens,
            messageCount: 3, toolsOffered: 17, thinking: true, maxTokens: 32_000, lastMessage: .userText,
            shape: .userTurn)
    }
}
