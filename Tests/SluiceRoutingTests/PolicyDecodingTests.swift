import Foundation
import SluiceLedger
import SluiceRouting
import SluiceWire
import Testing

@Suite struct PolicyDecodingTests {
    private func price(_ text: String) -> TokenPrice {
        TokenPrice(dollarsPerMillionTokens: text)!
    }

    @Test func readsEveryPartOfTheExamplePolicy() throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.example)

        #expect(
            policy.upstreams["anthropic"]
                == UpstreamSpec(
                    name: "anthropic", dialects: [.anthropic], baseURL: "https://api.anthropic.com",
                    baseURLEnvironment: "SLUICE_ANTHROPIC_BASE_URL"))
        #expect(
            policy.upstreams["openai"]
                == UpstreamSpec(
                    name: "openai", dialects: [.openAIChat, .openAIResponses], baseURL: "https://api.openai.com/v1",
                    baseURLEnvironment: "SLUICE_OPENAI_BASE_URL", apiKeyEnvironment: "OPENAI_API_KEY",
                    connectTimeoutSeconds: 5, firstByteTimeoutSeconds: 120))

        #expect(policy.models.keys.sorted() == ["gpt", "haiku", "opus"])
        let opus = try #require(policy.model(named: "opus"))
        #expect(opus.upstream == "anthropic")
        #expect(opus.id == "claude-opus-5-5")
        #expect(opus.contextWindow == 1_000_000)
        #expect(
            opus.price
                == ModelPrice(
                    base: PriceTier(
                        input: price("4"), output: price("20"), cacheRead: price("0.2"), cacheWrite5m: price("5"),
                        cacheWrite1h: price("8"))))
        let haiku = try #require(policy.model(named: "haiku"))
        #expect(
            haiku.price.longContext
                == LongContextTier(
                    aboveTokens: 100_000,
                    tier: PriceTier(
                        input: price("0.5"), output: price("2.5"), cacheRead: price("0.05"),
                        cacheWrite5m: price("0.625"), cacheWrite1h: price("1"))))
        #expect(policy.model(named: "gpt")?.contextWindow == 1_050_000)

        #expect(policy.baselines == [.anthropic: "opus", .openAIChat: "gpt", .openAIResponses: "gpt"])
        #expect(policy.baselineModel(for: .openAIResponses)?.id == "gpt-5.6-sol")
        #expect(
            policy.rules == [
                RoutingRule(
                    name: "side-calls", conditions: RuleConditions(client: [.anthropic], shape: [.sideCall]),
                    route: "haiku"),
                RoutingRule(name: "default-anthropic", conditions: RuleConditions(client: [.anthropic]), route: "opus"),
                RoutingRule(name: "default-openai", route: "gpt"),
            ])
        #expect(policy.toolCategoryOverrides == ["my_search_tool": .search])
    }

    @Test func parsesPricesExactlyFromTheirText() throws {
        let haiku = try #require(try RoutingPolicy(yaml: PolicyFixtures.example).model(named: "haiku"))
        #expect(haiku.price.base.input.nanosPerThousandTokens == 100_000)
        #expect(haiku.price.base.cacheRead.nanosPerThousandTokens == 10_000)
        #expect(haiku.price.base.cacheWrite5m.nanosPerThousandTokens == 125_000)
        #expect(haiku.price.longContext?.tier.cacheWrite5m.nanosPerThousandTokens == 625_000)
    }

    @Test func cachePricesLeftOutBillAsInput() throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.small)
        let tier = try #require(policy.model(named: "haiku")).price.base
        #expect(tier.cacheRead == tier.input)
        #expect(tier.cacheWrite5m == tier.input)
        #expect(tier.cacheWrite1h == tier.input)
        #expect(tier.input == price("0.10"))
    }

    @Test func zeroPricesAreValidForLocalModels() throws {
        let policy = try RoutingPolicy(
            yaml: PolicyFixtures.small(
                replacing: "price: {input: 0.10, output: 0.50}", with: "price: {input: 0, output: 0}"))
        #expect(policy.model(named: "haiku")?.price == ModelPrice(base: .free))
    }

    @Test func longContextFieldsLeftOutKeepTheBaseTierOrFollowItsInput() throws {
        let yaml = PolicyFixtures.small(
            replacing: "price: {input: 0.10, output: 0.50}",
            with: "price: {input: 1, output: 5, cache_read: 0.1, above: {tokens: 150000, input: 2}}")
        let price = try #require(try RoutingPolicy(yaml: yaml).model(named: "haiku")).price
        let long = try #require(price.longContext)
        #expect(long.aboveTokens == 150_000)
        #expect(long.tier.input == self.price("2"))
        #expect(long.tier.output == self.price("5"), "output left out: the base tier's")
        #expect(long.tier.cacheRead == self.price("0.1"), "cache_read given in the base tier: kept")
        #expect(long.tier.cacheWrite5m == self.price("2"), "no cache write price anywhere: the tier's input")
        #expect(long.tier.cacheWrite1h == self.price("2"))
    }

    @Test func upstreamTimeoutsDefaultToTenAndThreeHundredSeconds() throws {
        let anthropic = try #require(try RoutingPolicy(yaml: PolicyFixtures.small).upstreams["anthropic"])
        #expect(anthropic.connectTimeoutSeconds == 10)
        #expect(anthropic.firstByteTimeoutSeconds == 300)
        #expect(anthropic.apiKeyEnvironment == nil)
    }

    @Test func oneBaselineNameCoversTheDialectsItsUpstreamSpeaks() throws {
        let yaml = PolicyFixtures.small(
            replacing: "baseline: {anthropic: opus, openai-chat: sol, openai-responses: sol}", with: "baseline: opus"
        )
        .replacingOccurrences(of: "\n  - {name: default-openai, when: {client: openai}, route: sol}", with: "")
        let policy = try RoutingPolicy(yaml: yaml)
        #expect(policy.baselines == [.anthropic: "opus"])
    }

    @Test func openaiInABaselineMapSetsBothOpenAIDialects() throws {
        let policy = try RoutingPolicy(
            yaml: PolicyFixtures.small(
                replacing: "baseline: {anthropic: opus, openai-chat: sol, openai-responses: sol}",
                with: "baseline: {anthropic: opus, openai: sol}"))
        #expect(policy.baselines == [.anthropic: "opus", .openAIChat: "sol", .openAIResponses: "sol"])
    }

    @Test func readsEveryKindOfCondition() throws {
        let yaml = PolicyFixtures.small(
            replacing: "when: {client: anthropic, shape: side_call}",
            with: """
                when: {client: [anthropic], shape: [side_call, other], last_message: user_text,
                               last_tool_categories: [search, read], last_tool_error: false, tools: true,
                               thinking: false,
                               stream: true, images: false, subagent: true, stop_sequences: false,
                               requested_model: ["*haiku*", "claude-3*"], prompt_tokens: {max: 150_000},
                               max_tokens: {min: 1, max: 1024}, loop_depth: {min: 2}, messages: {min: 0, max: 10},
                               last_tool_result_bytes: {max: 65536}}
                """)
        let rule = try #require(try RoutingPolicy(yaml: yaml).rules.first)
        #expect(
            rule.conditions
                == RuleConditions(
                    client: [.anthropic], shape: [.sideCall, .other], lastMessage: [.userText],
                    lastToolCategories: [.search, .read], lastToolError: false, tools: true, thinking: false,
                    stream: true, images: false, subagent: true, stopSequences: false,
                    requestedModel: [GlobPattern("*haiku*"), GlobPattern("claude-3*")],
                    promptTokens: CountRange(max: 150_000), maxTokens: CountRange(min: 1, max: 1024),
                    loopDepth: CountRange(min: 2), messages: CountRange(min: 0, max: 10),
                    lastToolResultBytes: CountRange(max: 65536)))
    }

    @Test func anEmptyWhenMatchesEveryTurn() throws {
        let yaml = PolicyFixtures.small(
            replacing: "{name: default-openai, when: {client: openai}, route: sol}",
            with: "{name: default-openai, when: {}, route: sol}")
        let rule = try #require(try RoutingPolicy(yaml: yaml).rules.last)
        #expect(rule.conditions.isUnconditional)
    }

    @Test func theShippedPolicyHasNoProblems() throws {
        let text = try PolicyFixtures.defaultPolicyText()
        #expect(PolicyFixtures.problems(in: text) == [])
        let policy = try PolicyFixtures.shippedPolicy("default.yaml")
        #expect(policy.baselineModel(for: .anthropic)?.id == "claude-opus-5-5")
        #expect(policy.baselineModel(for: .openAIChat)?.id == "gpt-5.6-sol")
        #expect(policy.baselineModel(for: .openAIResponses)?.id == "gpt-5.6-sol")
        #expect(policy.upstreams["anthropic"]?.baseURLEnvironment == "SLUICE_ANTHROPIC_BASE_URL")
        #expect(policy.upstreams["openai"]?.baseURLEnvironment == "SLUICE_OPENAI_BASE_URL")
    }

    @Test func theShippedPolicyKeepsEachClientInItsOwnFamily() throws {
        let policy = try PolicyFixtures.shippedPolicy("default.yaml")
        func likely(_ features: TurnFeatures, _ pCheap: Double) -> TurnFeatures {
            var copy = features
            copy.nextMove = NextMovePrediction(cheap: pCheap)
            return copy
        }
        let cases: [(TurnFeatures, String, String)] = [
            (.sideCall(), "haiku", "side-calls-anthropic"),
            (likely(.toolFollowup(categories: [.search, .read]), 0.38), "haiku", "likely-read-anthropic"),
            (likely(.toolFollowup(categories: [.search, .read]), 0.37), "opus", "frontier-anthropic"),
            // A failed search is not the kind of error the frontier model must work out.
            (likely(.toolFollowup(categories: [.search], error: true), 0.6), "haiku", "likely-read-anthropic"),
            (likely(.toolFollowup(categories: [.test], error: true), 0.9), "opus", "after-error-anthropic"),
            // No prompt limit of its own: stickiness weighs the cache a switch gives up.
            (likely(.toolFollowup(categories: [.read], promptTokens: 150_000), 0.6), "haiku", "likely-read-anthropic"),
            (likely(.toolFollowup(categories: [.edit]), 0.2), "opus", "frontier-anthropic"),
            (.userTurn(requestedModel: "claude-opus-5-5"), "opus", "frontier-anthropic"),
            (.userTurn(requestedModel: "claude-haiku-5-5"), "haiku", "asked-for-haiku"),
            (.sideCall(.openAIResponses), "luna", "side-calls-openai"),
            (likely(.toolFollowup(.openAIResponses, categories: [.list]), 0.5), "luna", "likely-read-openai"),
            (likely(.toolFollowup(.openAIResponses, categories: [.list]), 0.49), "sol", "frontier-openai"),
            (likely(.toolFollowup(.openAIChat, categories: [.test], error: true), 0.9), "sol", "after-error-openai"),
            (.userTurn(.openAIResponses, requestedModel: "gpt-5.6-sol"), "sol", "frontier-openai"),
        ]
        for (features, model, rule) in cases {
            let decision = policy.decide(for: features)
            #expect(decision.model == model, "\(features.shape) \(features.dialect): \(decision.reason)")
            #expect(decision.rule == rule)
        }
    }

    @Test func environmentOverridesBaseURLsOnlyWhenSetAndNotEmpty() throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.example)
        let resolved = policy.resolvingEnvironment([
            "SLUICE_ANTHROPIC_BASE_URL": "http://127.0.0.1:9000/",
            "SLUICE_OPENAI_BASE_URL": "",
            "UNRELATED": "https://example.com",
        ])
        #expect(resolved.upstreams["anthropic"]?.baseURL == "http://127.0.0.1:9000")
        #expect(resolved.upstreams["openai"]?.baseURL == "https://api.openai.com/v1")
        #expect(policy.resolvingEnvironment([:]).upstreams == policy.upstreams)

        let small = try RoutingPolicy(yaml: PolicyFixtures.small)
        #expect(small.resolvingEnvironment(["SLUICE_ANTHROPIC_BASE_URL": "http://x"]).upstreams == small.upstreams)
    }
}
