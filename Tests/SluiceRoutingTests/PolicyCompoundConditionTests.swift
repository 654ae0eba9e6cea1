import SluiceRouting
import SluiceWire
import Testing

/// `any`, `all` and `not` in a rule's `when:`: matching, the words a decision and a trace use, the
/// YAML that reads them, and the shadowing check, which must never call a live rule dead.
@Suite struct PolicyCompoundConditionTests {
    static let sideCall = RuleConditions(shape: [.sideCall])
    static let toolError = RuleConditions(lastToolError: true)

    // MARK: - Matching

    @Test func anyHoldsWhenOneMappingHolds() {
        let conditions = RuleConditions(anyOf: [Self.sideCall, Self.toolError])
        #expect(conditions.holds(for: .sideCall()))
        #expect(conditions.holds(for: .toolFollowup(categories: [.search], error: true)))
        #expect(!conditions.holds(for: .toolFollowup(categories: [.search])))
        #expect(!conditions.holds(for: .userTurn()))
    }

    @Test func allHoldsWhenEveryMappingHolds() {
        let conditions = RuleConditions(allOf: [
            RuleConditions(shape: [.toolFollowup]), RuleConditions(anyOf: [Self.toolError, RuleConditions(loopDepth: CountRange(min: 3))]),
        ])
        #expect(conditions.holds(for: .toolFollowup(categories: [.read])))  // loop depth 3
        var shallow = TurnFeatures.toolFollowup(categories: [.read])
        shallow.loopDepth = 1
        #expect(!conditions.holds(for: shallow))
        shallow.lastToolError = true
        #expect(conditions.holds(for: shallow))
        #expect(!conditions.holds(for: .userTurn()))
    }

    @Test func notHoldsWhenItsMappingDoesNot() {
        // Holds unless every condition inside holds: not(A and B) is (not A) or (not B).
        let conditions = RuleConditions(not: RuleConditions(shape: [.toolFollowup], lastToolError: true))
        #expect(conditions.holds(for: .userTurn()))
        #expect(conditions.holds(for: .toolFollowup(categories: [.read])))
        #expect(!conditions.holds(for: .toolFollowup(categories: [.read], error: true)))
    }

    @Test func plainConditionsMustHoldBesideTheCompoundOnes() {
        let conditions = RuleConditions(
            client: [.anthropic], anyOf: [Self.sideCall, Self.toolError], not: RuleConditions(images: true))
        #expect(conditions.holds(for: .sideCall()))
        #expect(!conditions.holds(for: .sideCall(.openAIChat)))
        var withImage = TurnFeatures.sideCall()
        withImage.images = 1
        #expect(!conditions.holds(for: withImage))
        #expect(!conditions.isUnconditional)
    }

    @Test func nestedNotOfAnyMeansNoneOfThem() {
        let conditions = RuleConditions(not: RuleConditions(anyOf: [Self.sideCall, Self.toolError]))
        #expect(!conditions.holds(for: .sideCall()))
        #expect(!conditions.holds(for: .toolFollowup(categories: [.read], error: true)))
        #expect(conditions.holds(for: .toolFollowup(categories: [.read])))
        #expect(RuleConditions(not: RuleConditions(not: Self.sideCall)).holds(for: .sideCall()))
    }

    // MARK: - Words

    @Test func mismatchOfAnySaysWhyEachMappingFailed() {
        let conditions = RuleConditions(anyOf: [Self.sideCall, Self.toolError])
        #expect(
            conditions.mismatch(for: .userTurn())
                == "none of any held: shape is user_turn, not side_call; last_tool_error is false, not true")
        #expect(conditions.mismatch(for: .sideCall()) == nil)
    }

    @Test func aNestedAnyIsBracketedInsideItsParent() {
        let conditions = RuleConditions(anyOf: [
            Self.sideCall, RuleConditions(anyOf: [Self.toolError, RuleConditions(images: true)]),
        ])
        #expect(
            conditions.mismatch(for: .userTurn())
                == "none of any held: shape is user_turn, not side_call; (none of any held: last_tool_error is "
                + "false, not true; images is false, not true)")
    }

    @Test func mismatchOfAllNamesTheMappingThatFailed() {
        let conditions = RuleConditions(allOf: [RuleConditions(client: [.anthropic]), Self.sideCall])
        #expect(conditions.mismatch(for: .userTurn()) == "all[1]: shape is user_turn, not side_call")
    }

    @Test func mismatchOfNotQuotesItAndSaysWhatTheTurnShowed() {
        let conditions = RuleConditions(not: RuleConditions(shape: [.sideCall], maxTokens: CountRange(max: 1_024)))
        #expect(
            conditions.mismatch(for: .sideCall())
                == "excluded by not(shape side_call, max_tokens ≤ 1,024): shape side_call, max_tokens 512 ≤ 1,024")
    }

    @Test func plainConditionsAreCheckedAndNamedFirst() {
        let conditions = RuleConditions(shape: [.toolFollowup], not: Self.sideCall)
        #expect(conditions.mismatch(for: .sideCall()) == "shape is side_call, not tool_followup")
    }

    @Test func summariesNameTheMappingThatLetTheTurnThrough() {
        let conditions = RuleConditions(
            shape: [.toolFollowup], anyOf: [Self.toolError, RuleConditions(loopDepth: CountRange(min: 2))],
            allOf: [RuleConditions(stream: true)], not: RuleConditions(images: true))
        #expect(
            conditions.summary(for: .toolFollowup(categories: [.read]))
                == "shape tool_followup, any[1] (loop depth 3 ≥ 2), all (streamed), not(images true)")
    }

    @Test func notQuotesEveryKindOfCondition() {
        let inner = RuleConditions(
            client: [.anthropic, .openAIChat], shape: [.sideCall], lastMessage: [.toolResult],
            lastToolCategories: [.search, .read], lastToolError: false, requestedModel: [GlobPattern("*haiku*")],
            promptTokens: CountRange(min: 1_000, max: 2_000), loopDepth: CountRange(min: 4),
            anyOf: [Self.sideCall, Self.toolError], allOf: [RuleConditions(thinking: true)])
        #expect(
            RuleConditions(not: inner).summary(for: .userTurn())
                == "not(client anthropic or openai-chat, shape side_call, last_message tool_result, "
                + "last_tool_categories search/read, last_tool_error false, requested_model \"*haiku*\", "
                + "prompt_tokens in 1,000…2,000, loop_depth ≥ 4, any(shape side_call; last_tool_error true), "
                + "all(thinking true))")
    }

    // MARK: - Reading

    @Test func readsAnyAllAndNotNestedBesidePlainConditions() throws {
        let yaml = PolicyFixtures.small(
            replacing: "when: {client: anthropic, shape: side_call}",
            with: """
                when: {client: anthropic,
                               any: [{shape: side_call}, {shape: tool_followup, not: {last_tool_categories: [edit]}}],
                               all: [{stream: true}, {any: [{tools: false}, {max_tokens: {max: 64}}]}],
                               not: {images: true}}
                """)
        let rule = try #require(try RoutingPolicy(yaml: yaml).rules.first)
        #expect(
            rule.conditions
                == RuleConditions(
                    client: [.anthropic],
                    anyOf: [
                        Self.sideCall,
                        RuleConditions(shape: [.toolFollowup], not: RuleConditions(lastToolCategories: [.edit])),
                    ],
                    allOf: [
                        RuleConditions(stream: true),
                        RuleConditions(anyOf: [RuleConditions(tools: false), RuleConditions(maxTokens: CountRange(max: 64))]),
                    ],
                    not: RuleConditions(images: true)))
    }

    @Test func pointsAtTheLineOfANestedProblem() {
        let yaml = PolicyFixtures.small(
            replacing: "when: {client: anthropic, shape: side_call}",
            with: """
                when: {any: [{shape: side_call},
                                     {loop_dept: {min: 3}}]}
                """)
        #expect(
            PolicyFixtures.problems(in: yaml).map(\.description) == [
                "rules[0].when.any[1].loop_dept: unknown condition (did you mean \"loop_depth\"?) (line 12)"
            ])
    }

    // MARK: - Deciding

    @Test func decisionsAndTracesUseTheCompoundWords() throws {
        let yaml = PolicyFixtures.small(
            replacing: "{name: side-calls, when: {client: anthropic, shape: side_call}, route: haiku}",
            with: "{name: cheap, when: {client: anthropic, any: [{shape: side_call}, {loop_depth: {min: 3}}], "
                + "not: {last_tool_error: true}}, route: haiku}")
        let policy = try RoutingPolicy(yaml: yaml)

        let deep = policy.decide(for: .toolFollowup(categories: [.edit]))
        #expect(deep.rule == "cheap")
        #expect(deep.reason == "rule cheap: client anthropic, any[1] (loop depth 3 ≥ 3), not(last_tool_error true)")

        let failed = policy.decide(for: .toolFollowup(categories: [.edit], error: true))
        #expect(failed.rule == "default-anthropic")
        #expect(
            failed.trace.first
                == RuleTrace(
                    rule: "cheap", matched: false,
                    note: "excluded by not(last_tool_error true): a tool result reports an error"))

        let user = policy.decide(for: .userTurn())
        #expect(
            user.trace.first?.note
                == "none of any held: shape is user_turn, not side_call; loop_depth 0 is below min 3")
    }

    @Test func decidingWithoutATraceChoosesTheSameModel() throws {
        let yaml = PolicyFixtures.small(
            replacing: "{name: side-calls, when: {client: anthropic, shape: side_call}, route: haiku}",
            with: """
                {name: cheap, when: {any: [{shape: side_call}, {all: [{shape: tool_followup}, \
                {not: {any: [{last_tool_error: true}, {last_tool_categories: [edit, exec]}]}}]}]}, route: haiku}
                """)
        let policy = try RoutingPolicy(yaml: yaml)
        let turns: [TurnFeatures] = [
            .sideCall(), .sideCall(.openAIChat), .userTurn(), .userTurn(.openAIResponses),
            .toolFollowup(categories: [.read]), .toolFollowup(categories: [.read], error: true),
            .toolFollowup(categories: [.edit, .exec]), .toolFollowup(categories: [.read, .exec]),
            .toolFollowup(.openAIChat, categories: [.search]), .sideCall(promptTokens: 199_600),
        ]
        let expected = ["haiku", "sol", "opus", "sol", "haiku", "opus", "opus", "haiku", "sol", "opus"]
        #expect(turns.map { policy.decide(for: $0).model } == expected)
        #expect(turns.map { policy.decide(for: $0, tracing: false).model } == expected)
        #expect(turns.map { policy.decide(for: $0, tracing: false).rule } == turns.map { policy.decide(for: $0).rule })
    }

    // MARK: - Shadowing

    /// An earlier rule, a later one, and whether the check calls the later rule shadowed.
    struct Shadow: CustomTestStringConvertible, Sendable {
        var label: String
        var earlier: String
        var later: String
        var shadowed: Bool

        init(_ label: String, _ earlier: String, _ later: String, _ shadowed: Bool) {
            self.label = label
            self.earlier = earlier
            self.later = later
            self.shadowed = shadowed
        }

        var testDescription: String { label }
    }

    static let shadows: [Shadow] = [
        Shadow("one of any's mappings is the later rule", "{any: [{shape: side_call}, {shape: user_turn}]}",
               "{shape: side_call, last_tool_error: false}", true),
        Shadow("a plain rule does not cover a wider any", "{shape: side_call}",
               "{any: [{shape: side_call}, {shape: user_turn}]}", false),
        Shadow("a wider any covers a narrower one", "{any: [{shape: side_call}, {shape: user_turn}, {images: true}]}",
               "{any: [{shape: user_turn}, {shape: side_call}]}", true),
        Shadow("the same any in another order", "{any: [{loop_depth: {min: 3}}, {shape: side_call}]}",
               "{any: [{shape: side_call}, {loop_depth: {min: 3}}]}", true),
        Shadow("not side_call covers user turns", "{not: {shape: side_call}}", "{shape: user_turn}", true),
        Shadow("not side_call does not cover every turn", "{not: {shape: side_call}}", "{stream: true}", false),
        Shadow("not side_call does not cover other side calls", "{not: {shape: side_call}}",
               "{shape: [side_call, user_turn]}", false),
        Shadow("not of an any covers what clashes with each mapping",
               "{not: {any: [{shape: side_call}, {last_tool_error: true}]}}",
               "{shape: tool_followup, last_tool_error: false}", true),
        Shadow("not of an any: one mapping left open", "{not: {any: [{shape: side_call}, {last_tool_error: true}]}}",
               "{shape: tool_followup}", false),
        Shadow("all of mappings covers their sum", "{all: [{shape: tool_followup}, {last_tool_error: false}]}",
               "{shape: tool_followup, last_tool_error: false, prompt_tokens: {max: 5000}}", true),
        Shadow("a later all is as narrow as its mappings", "{shape: tool_followup}",
               "{all: [{stream: true}, {shape: tool_followup}], not: {images: true}}", true),
        Shadow("a shape spelled out by elimination: true but unproven", "{shape: tool_followup}",
               "{not: {shape: [side_call, user_turn, other]}}", false),
        Shadow("a later not that says the same as the earlier not", "{not: {last_tool_error: true}}",
               "{not: {last_tool_error: true}, shape: tool_followup}", true),
        Shadow("a later not narrower than the earlier one", "{not: {shape: side_call}}",
               "{not: {shape: [side_call, other]}}", true),
        Shadow("a later not wider than the earlier one", "{not: {shape: [side_call, other]}}",
               "{not: {shape: side_call}}", false),
        Shadow("ranges that cannot overlap", "{not: {prompt_tokens: {max: 1000}}}",
               "{prompt_tokens: {min: 1001}}", true),
        Shadow("ranges that touch", "{not: {prompt_tokens: {max: 1000}}}", "{prompt_tokens: {min: 1000}}", false),
        Shadow("categories that cannot overlap", "{not: {last_tool_categories: [edit]}}",
               "{last_tool_categories: [search, read]}", true),
        Shadow("categories that can overlap", "{not: {last_tool_categories: [edit, read]}}",
               "{last_tool_categories: [search, read]}", false),
        Shadow("model patterns are never proven apart", "{not: {requested_model: \"*haiku*\"}}",
               "{requested_model: \"*opus*\"}", false),
        Shadow("true but unproven: left alone rather than guessed", "{last_tool_error: false}",
               "{not: {last_tool_error: true}}", false),
    ]

    @Test(arguments: shadows)
    func callsARuleShadowedOnlyWhenThatIsCertain(_ example: Shadow) {
        let yaml = PolicyFixtures.small(
            replacing: "  - {name: side-calls, when: {client: anthropic, shape: side_call}, route: haiku}",
            with: "  - {name: earlier, when: \(example.earlier), route: opus}\n"
                + "  - {name: later, when: \(example.later), route: haiku}")
        let expected =
            example.shadowed
            ? ["rules[1]: can never match: rule \"earlier\" (rules[0]) comes first and matches every turn this rule would"]
            : []
        #expect(PolicyFixtures.problems(in: yaml).map { "\($0.path): \($0.message)" } == expected)
    }

    @Test(arguments: [
        ("{any: [{shape: side_call}, {shape: user_turn}]}", false),
        ("{all: [{shape: side_call}, {shape: user_turn}]}", true),
        ("{shape: side_call, not: {shape: side_call}}", true),
        ("{shape: side_call, not: {shape: user_turn}}", false),
        ("{not: {not: {shape: side_call}}, shape: user_turn}", true),
        ("{loop_depth: {min: 5}, all: [{loop_depth: {max: 4}}]}", true),
        ("{any: [{tools: true}, {thinking: true}], not: {any: [{tools: true}, {thinking: true}]}}", true),
        ("{any: [{tools: true}, {thinking: true}], not: {all: [{tools: true}, {thinking: true}]}}", false),
    ])
    func findsRulesThatContradictThemselves(_ when: String, _ contradictory: Bool) {
        let yaml = PolicyFixtures.small(
            replacing: "{client: anthropic, shape: side_call}", with: when)
        let expected = contradictory ? ["rules[0]: can never match: its conditions contradict each other"] : []
        #expect(PolicyFixtures.problems(in: yaml).map { "\($0.path): \($0.message)" } == expected)
    }
}
