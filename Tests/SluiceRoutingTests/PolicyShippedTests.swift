import SluiceLedger
import SluiceRouting
import SluiceWire
import Testing

/// The policies in `policies/`: each loads without a problem, and routes turns where its comments
/// say it does.
@Suite struct PolicyShippedTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var policy: String
        var label: String
        var features: TurnFeatures
        var model: String
        var rule: String

        init(_ policy: String, _ label: String, _ features: TurnFeatures, _ model: String, _ rule: String) {
            self.policy = policy
            self.label = label
            self.features = features
            self.model = model
            self.rule = rule
        }

        var testDescription: String { "\(policy): \(label)" }
    }

    @Test func everyPolicyTheBriefNamesIsShipped() throws {
        let names = try PolicyFixtures.shippedPolicyNames()
        for name in ["anthropic.yaml", "default.yaml", "local.yaml", "openai.yaml"] {
            #expect(names.contains(name))
        }
    }

    @Test(arguments: try PolicyFixtures.shippedPolicyNames())
    func loadsWithoutAProblem(_ name: String) throws {
        let problems = PolicyFixtures.problems(in: try PolicyFixtures.shippedPolicyText(name))
        #expect(problems.map(\.description) == [])
    }

    @Test(arguments: try PolicyFixtures.shippedPolicyNames())
    func datesItsPricesAndCallsGrepShapedRoutingAHypothesis(_ name: String) throws {
        let text = try PolicyFixtures.shippedPolicyText(name)
        #expect(text.contains("2026-11-25"))
        #expect(text.contains("HYPOTHESIS"))
        #expect(text.contains("Switchyard"), "the evidence against the hypothesis is cited")
    }

    /// A model id priced in two shipped policies has the same prices and window in both, so a
    /// session's savings do not depend on which file priced it.
    @Test func everyModelIdHasOnePriceAcrossThePolicies() throws {
        var seen: [String: (policy: String, model: ModelSpec)] = [:]
        for name in try PolicyFixtures.shippedPolicyNames() {
            let policy = try PolicyFixtures.shippedPolicy(name)
            for model in policy.models.values.sorted(by: { $0.name < $1.name }) {
                guard let earlier = seen[model.id] else {
                    seen[model.id] = (name, model)
                    continue
                }
                #expect(model.price == earlier.model.price, "\(model.id) in \(name) and \(earlier.policy)")
                #expect(model.contextWindow == earlier.model.contextWindow, "\(model.id) in \(name)")
            }
        }
        #expect(seen["claude-opus-5-5"] != nil)
        #expect(seen["gpt-5.6-sol"] != nil)
    }

    static let cases: [Case] = [
        // anthropic.yaml
        Case("anthropic.yaml", "side call", .sideCall(), "haiku", "side-calls"),
        Case("anthropic.yaml", "grep-shaped", .toolFollowup(categories: [.search, .read]), "haiku", "grep-shaped"),
        Case(
            "anthropic.yaml", "a failed search", .toolFollowup(categories: [.search], error: true), "opus",
            "after-error"),
        Case(
            "anthropic.yaml", "grep-shaped over 100K", .toolFollowup(categories: [.read], promptTokens: 100_001),
            "opus", "frontier"),
        Case("anthropic.yaml", "an edit result", .toolFollowup(categories: [.edit]), "opus", "frontier"),
        Case("anthropic.yaml", "user turn", .userTurn(requestedModel: "claude-opus-5-5"), "opus", "frontier"),
        Case(
            "anthropic.yaml", "asked for Haiku", .userTurn(requestedModel: "claude-haiku-5-5"), "haiku",
            "asked-for-haiku"),
        Case(
            "anthropic.yaml", "asked for Sonnet", .userTurn(requestedModel: "claude-sonnet-5-5"), "sonnet",
            "asked-for-sonnet"),
        Case(
            "anthropic.yaml", "asked for Sonnet, grep-shaped",
            .toolFollowup(categories: [.list]).asking(for: "claude-sonnet-5-5"), "haiku", "grep-shaped"),
        Case("anthropic.yaml", "an OpenAI client is refused", .userTurn(.openAIChat), "", ""),

        // openai.yaml
        Case("openai.yaml", "Codex side call", .sideCall(.openAIResponses), "luna", "side-calls"),
        Case(
            "openai.yaml", "Codex likely read", .toolFollowup(.openAIResponses, categories: [.list]).likely(0.5),
            "luna", "likely-read"),
        Case(
            "openai.yaml", "Codex unlikely read", .toolFollowup(.openAIResponses, categories: [.list]).likely(0.49),
            "sol", "frontier"),
        Case(
            "openai.yaml", "chat likely read over 200K",
            .toolFollowup(.openAIChat, categories: [.search, .read], promptTokens: 200_001).likely(0.9), "sol",
            "frontier"),
        Case(
            "openai.yaml", "failing tests", .toolFollowup(.openAIChat, categories: [.test], error: true), "sol",
            "after-error"),
        Case(
            "openai.yaml", "Codex user turn", .userTurn(.openAIResponses, requestedModel: "gpt-5.6-sol"), "sol",
            "frontier"),
        Case(
            "openai.yaml", "asked for Luna", .userTurn(.openAIChat, requestedModel: "gpt-5.6-luna"), "luna",
            "asked-for-luna"),
        Case("openai.yaml", "Claude Code is refused", .userTurn(), "", ""),

        // local.yaml
        Case(
            "local.yaml", "grep-shaped goes local", .toolFollowup(categories: [.search, .read]),
            "local-coder-anthropic", "grep-shaped-local"),
        Case(
            "local.yaml", "grep-shaped over 64K stays on Opus",
            .toolFollowup(categories: [.read], promptTokens: 64_001), "opus", "frontier"),
        Case(
            "local.yaml", "grep-shaped with an image stays on Opus",
            .toolFollowup(categories: [.read]).withImages(1), "opus", "frontier"),
        Case(
            "local.yaml", "a max_tokens the local window cannot hold falls through",
            .toolFollowup(categories: [.search], promptTokens: 60_000, maxTokens: 128_000), "opus", "frontier"),
        Case("local.yaml", "side calls stay on Haiku", .sideCall(), "haiku", "side-calls"),
        Case(
            "local.yaml", "a failed read", .toolFollowup(categories: [.read], error: true), "opus", "after-error"),
        Case("local.yaml", "user turn", .userTurn(), "opus", "frontier"),
        Case(
            "local.yaml", "chat client grep-shaped", .toolFollowup(.openAIChat, categories: [.search]),
            "local-coder", "chat-clients-local"),
        Case("local.yaml", "chat client user turn", .userTurn(.openAIChat), "local-coder", "chat-clients-local"),
        Case("local.yaml", "Codex is refused", .userTurn(.openAIResponses), "", ""),
    ]

    @Test(arguments: cases)
    func routesWhereItsCommentsSay(_ example: Case) throws {
        let policy = try PolicyFixtures.shippedPolicy(example.policy)
        let decision = policy.decide(for: example.features)
        #expect(decision.model == example.model, "\(decision.reason)")
        #expect(decision.rule == example.rule)
        #expect(policy.decide(for: example.features, tracing: false).model == example.model)
    }

    @Test func localSendsClaudeCodeToTheLocalServersAnthropicEndpointWithoutItsKey() throws {
        let policy = try PolicyFixtures.shippedPolicy("local.yaml")
        let local = try #require(policy.upstreams["local-anthropic"])
        #expect(local.dialects == [.anthropic])
        #expect(local.baseURL == "http://127.0.0.1:11434")
        #expect(!local.forwardsClientCredentials)
        #expect(policy.upstreams["local"]?.baseURL == "http://127.0.0.1:11434/v1")
        #expect(policy.upstreams["local"]?.forwardsClientCredentials == false)
        #expect(policy.model(named: "local-coder-anthropic")?.price == ModelPrice(base: .free))
    }
}

extension TurnFeatures {
    /// The same turn, as if the client had asked for `model`.
    fileprivate func asking(for model: String) -> Self {
        var copy = self
        copy.requestedModel = model
        return copy
    }

    /// The same turn, with the next-move model's probability `pCheap`.
    fileprivate func likely(_ pCheap: Double) -> Self {
        var copy = self
        copy.nextMove = NextMovePrediction(cheap: pCheap)
        return copy
    }

    /// The same turn, carrying `count` images.
    fileprivate func withImages(_ count: Int) -> Self {
        var copy = self
        copy.images = count
        return copy
    }
}
