import SluiceRouting
import SluiceWire
import Testing

@Suite struct PolicyConditionTests {
    @Test(arguments: [
        ("*haiku*", "claude-haiku-5-5", true),
        ("*haiku*", "CLAUDE-HAIKU-4-5", true),
        ("*HAIKU*", "claude-haiku-4-5", true),
        ("*haiku*", "claude-opus-5-5", false),
        ("claude-*", "claude-opus-5-5", true),
        ("claude-*", "anthropic/claude-opus", false),
        ("*-mini", "gpt-5.4-mini", true),
        ("*-mini", "gpt-5.4-mini-2026", false),
        ("gpt-5.6-sol", "GPT-5.6-Sol", true),
        ("gpt-5.6-sol", "gpt-5.6-sol-fast", false),
        ("gpt-*-*", "gpt-5.6-luna", true),
        ("a*b*c", "aXbYbZc", true),
        ("a*b*c", "aXbYbZ", false),
        ("*", "", true),
        ("", "", true),
        ("", "x", false),
        ("**x", "x", true),
    ])
    func matchesGlobPatternsIgnoringCase(pattern: String, name: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(name) == expected)
    }

    @Test func aRuleWithoutConditionsMatchesEveryTurn() {
        let conditions = RuleConditions()
        #expect(conditions.isUnconditional)
        #expect(conditions.holds(for: .userTurn()))
        #expect(conditions.mismatch(for: .userTurn()) == nil)
        #expect(conditions.summary(for: .userTurn()) == "matches every turn")
    }

    @Test func lastToolCategoriesNeedsResultsAllInTheList() {
        let conditions = RuleConditions(lastToolCategories: [.search, .read, .list])
        #expect(conditions.holds(for: .toolFollowup(categories: [.search, .list])))
        #expect(!conditions.holds(for: .toolFollowup(categories: [.search, .edit])))
        #expect(!conditions.holds(for: .userTurn()))
        #expect(
            conditions.mismatch(for: .toolFollowup(categories: [.search, .edit, .exec]))
                == "last tools include edit/exec, not only search/read/list")
        #expect(conditions.mismatch(for: .userTurn()) == "the last message carries no categorized tool results")
    }

    @Test func maxTokensRangeNeverHoldsWithoutMaxTokens() {
        let conditions = RuleConditions(maxTokens: CountRange(max: 1_024))
        #expect(conditions.holds(for: .sideCall(maxTokens: 512)))
        #expect(!conditions.holds(for: .sideCall(maxTokens: 2_048)))
        #expect(!conditions.holds(for: .sideCall(maxTokens: nil)))
        #expect(conditions.mismatch(for: .sideCall(maxTokens: nil)) == "the request sets no max_tokens")
        #expect(conditions.mismatch(for: .sideCall(maxTokens: 2_048)) == "max_tokens 2,048 is above max 1,024")
    }

    @Test func rangesIncludeBothEnds() {
        let conditions = RuleConditions(loopDepth: CountRange(min: 2, max: 4))
        let depths = (0...6).map { depth -> Bool in
            var features = TurnFeatures.toolFollowup(categories: [.read])
            features.loopDepth = depth
            return conditions.holds(for: features)
        }
        #expect(depths == [false, false, true, true, true, false, false])
        var shallow = TurnFeatures.toolFollowup(categories: [.read])
        shallow.loopDepth = 1
        #expect(conditions.mismatch(for: shallow) == "loop_depth 1 is below min 2")
        shallow.loopDepth = 3
        #expect(conditions.summary(for: shallow) == "loop depth 3 in 2…4")
    }

    @Test func mismatchNamesTheFirstFailingCondition() {
        let conditions = RuleConditions(
            client: [.anthropic], shape: [.sideCall, .userTurn], requestedModel: [GlobPattern("*haiku*")])
        #expect(conditions.mismatch(for: .userTurn(.openAIChat)) == "client is openai-chat, not anthropic")
        #expect(
            conditions.mismatch(for: .toolFollowup(categories: [.read]))
                == "shape is tool_followup, not side_call or user_turn")
        #expect(
            conditions.mismatch(for: .userTurn(requestedModel: "claude-opus-5-5"))
                == "requested model \"claude-opus-5-5\" does not match \"*haiku*\"")
        #expect(conditions.mismatch(for: .userTurn(requestedModel: "claude-haiku-5-5")) == nil)
    }

    @Test func flagsCompareTheTurnsFacts() {
        var features = TurnFeatures.userTurn()
        features.images = 2
        features.subagent = "explore-1"
        features.hasStopSequences = true
        let conditions = RuleConditions(
            tools: true, thinking: true, stream: true, images: true, subagent: true, stopSequences: true)
        #expect(conditions.holds(for: features))
        #expect(
            conditions.summary(for: features)
                == "17 tools offered, thinking asked for, streamed, 2 images, subagent explore-1, stop sequences set")
        features.toolsOffered = 0
        #expect(conditions.mismatch(for: features) == "tools is false, not true")
    }

    @Test func requestedModelSummaryNamesThePatternThatMatched() {
        let conditions = RuleConditions(requestedModel: [GlobPattern("*opus*"), GlobPattern("*haiku*")])
        #expect(
            conditions.summary(for: .userTurn(requestedModel: "claude-haiku-5-5"))
                == "requested model \"claude-haiku-5-5\" matches \"*haiku*\"")
        #expect(
            conditions.mismatch(for: .userTurn(requestedModel: "gpt-5"))
                == "requested model \"gpt-5\" matches none of \"*opus*\", \"*haiku*\"")
    }
}
