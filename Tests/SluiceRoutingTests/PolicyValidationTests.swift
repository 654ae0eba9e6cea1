import Foundation
import SluiceRouting
import Testing

@Suite struct PolicyValidationTests {
    /// One edit of the small policy and the problems it must cause, as `path: message`.
    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var original: String
        var replacement: String
        var expected: [String]

        init(_ label: String, _ original: String, _ replacement: String, _ expected: [String]) {
            self.label = label
            self.original = original
            self.replacement = replacement
            self.expected = expected
        }

        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            "version other than 1", "version: 1", "version: 2",
            ["version: unsupported version 2; this Sluice reads version 1"]),
        Case(
            "version missing", "version: 1\n", "",
            ["version: missing"]),
        Case(
            "unknown top-level key", "version: 1", "version: 1\nexperiment: []",
            ["experiment: unknown key; the section is called experiments (a list)"]),
        Case(
            "experiments not a list", "version: 1", "version: 1\nexperiments: {grep: 1}",
            ["experiments: expected a list of experiments (each with a name and arms), found a mapping"]),
        Case(
            "top-level typo", "version: 1", "version: 1\ntool_category: {}",
            ["tool_category: unknown key (did you mean \"tool_categories\"?)"]),
        Case(
            "unknown upstream dialect", "{dialect: anthropic,", "{dialect: antropic,",
            ["upstreams.anthropic.dialect: unknown dialect \"antropic\" (did you mean \"anthropic\"?)"]),
        Case(
            "dialect far from any", "{dialect: anthropic,", "{dialect: grpc,",
            [
                "upstreams.anthropic.dialect: unknown dialect \"grpc\"; one of anthropic, openai-chat, "
                    + "openai-responses, openai (openai is both OpenAI dialects)"
            ]),
        Case(
            "base URL without scheme", "base_url: https://api.anthropic.com", "base_url: api.anthropic.com",
            [
                "upstreams.anthropic.base_url: \"api.anthropic.com\" is not an http(s) URL; write it as "
                    + "https://host[:port][/path]"
            ]),
        Case(
            "base URL with a query", "base_url: https://api.anthropic.com", "base_url: \"https://x.dev/?a=1\"",
            [
                "upstreams.anthropic.base_url: \"https://x.dev/?a=1\" has a query or fragment; the gateway appends "
                    + "the API path to the base URL"
            ]),
        Case(
            "base URL with credentials", "base_url: https://api.anthropic.com",
            "base_url: \"https://me:secret@x.dev\"",
            [
                "upstreams.anthropic.base_url: carries credentials; name an environment variable with api_key_env "
                    + "instead"
            ]),
        Case(
            "bad environment variable names", "base_url: https://api.anthropic.com}",
            "base_url: https://api.anthropic.com, base_url_env: 1URL, api_key_env: MY-KEY}",
            [
                "upstreams.anthropic.base_url_env: \"1URL\" is not an environment variable name (letters, digits and "
                    + "_, not starting with a digit)",
                "upstreams.anthropic.api_key_env: \"MY-KEY\" is not an environment variable name (letters, digits and "
                    + "_, not starting with a digit)",
            ]),
        Case(
            "auth word", "base_url: https://api.anthropic.com}",
            "base_url: https://api.anthropic.com, auth: bearer}",
            [
                "upstreams.anthropic.auth: \"bearer\" is not passthrough (send the client's own key) or none (send "
                    + "no key); use api_key_env for a key of the gateway's"
            ]),
        Case(
            "endless timeout", "base_url: https://api.anthropic.com}",
            "base_url: https://api.anthropic.com, timeout: {first_byte: 99999999999}}",
            ["upstreams.anthropic.timeout.first_byte: must be at most 3600 seconds, found 99999999999"]),
        Case(
            "zero timeout", "base_url: https://api.anthropic.com}",
            "base_url: https://api.anthropic.com, timeout: {connect: 0, first_bite: 5}}",
            [
                "upstreams.anthropic.timeout.first_bite: unknown key (did you mean \"first_byte\"?)",
                "upstreams.anthropic.timeout.connect: must be positive, found 0",
            ]),
        Case(
            "model names an unknown upstream", "opus: {upstream: anthropic,", "opus: {upstream: anthropc,",
            ["models.opus.upstream: unknown upstream \"anthropc\" (did you mean \"anthropic\"?)"]),
        Case(
            "price that is not a number", "price: {input: 0.10, output: 0.50}", "price: {input: abc, output: 0.50}",
            ["models.haiku.price.input: \"abc\" is not a price in dollars per million tokens"]),
        Case(
            "price finer than a millionth", "price: {input: 0.10, output: 0.50}",
            "price: {input: 0.10, output: 0.50, cache_read: 0.0000001}",
            ["models.haiku.price.cache_read: \"0.0000001\" is not a price in dollars per million tokens"]),
        Case(
            "negative price", "price: {input: 0.10, output: 0.50}", "price: {input: -1, output: 0.50}",
            ["models.haiku.price.input: a price cannot be negative, found -1"]),
        Case(
            "price without output", "price: {input: 0.10, output: 0.50}", "price: {input: 0.10}",
            ["models.haiku.price.output: missing"]),
        Case(
            "price key typo", "price: {input: 0.10, output: 0.50}",
            "price: {input: 0.10, output: 0.50, cache_reed: 0.01}",
            ["models.haiku.price.cache_reed: unknown key (did you mean \"cache_read\"?)"]),
        Case(
            "long-context tier without tokens", "price: {input: 0.10, output: 0.50}",
            "price: {input: 0.10, output: 0.50, above: {input: 0.5}}",
            ["models.haiku.price.above.tokens: missing"]),
        Case(
            "long-context tier past the window", "price: {input: 0.10, output: 0.50}",
            "price: {input: 0.10, output: 0.50, above: {tokens: 200000, input: 0.5}}",
            [
                "models.haiku.price.above.tokens: 200,000 is not below the context window (200,000), so this tier "
                    + "could never apply"
            ]),
        Case(
            "context window of zero", "context_window: 200000,", "context_window: 0,",
            ["models.haiku.context_window: must be positive, found 0"]),
        Case(
            "context window that is not a number", "context_window: 200000,", "context_window: 200k,",
            ["models.haiku.context_window: \"200k\" is not a whole number"]),
        Case(
            "model key typo", "context_window: 200000,", "context_windw: 200000,",
            [
                "models.haiku.context_windw: unknown key (did you mean \"context_window\"?)",
                "models.haiku.context_window: missing",
            ]),
        Case(
            "fallback to an unknown model", "context_window: 200000,", "context_window: 200000, fallback: [opuss],",
            ["models.haiku.fallback[0]: unknown model \"opuss\" (did you mean \"opus\"?)"]),
        Case(
            "fallback to itself", "context_window: 200000,", "context_window: 200000, fallback: [opus, haiku],",
            ["models.haiku.fallback[1]: a model cannot be its own fallback"]),
        Case(
            "fallback in another dialect", "context_window: 200000,", "context_window: 200000, fallback: [sol],",
            [
                "models.haiku.fallback[0]: \"sol\" speaks openai-chat, openai-responses, not anthropic like \"haiku\": "
                    + "it could never take over one of its turns"
            ]),
        Case(
            "route to an unknown model", "route: sol}", "route: gpt-x}",
            ["rules[2].route: unknown model \"gpt-x\""]),
        Case(
            "route typo", "route: sol}", "route: sool}",
            ["rules[2].route: unknown model \"sool\" (did you mean \"sol\"?)"]),
        Case(
            "baseline names an unknown model", "openai-chat: sol,", "openai-chat: gpt,",
            ["baseline.openai-chat: unknown model \"gpt\""]),
        Case(
            "baseline model that cannot speak the dialect", "openai-chat: sol,", "openai-chat: opus,",
            [
                "baseline.openai-chat: model \"opus\" is served by upstream \"anthropic\", which does not speak "
                    + "openai-chat"
            ]),
        Case(
            "baseline for an unknown dialect", "openai-responses: sol}", "openai-responses: sol, gemini: sol}",
            ["baseline.gemini: unknown dialect; one of anthropic, openai-chat, openai-responses, openai (openai "
                    + "is both OpenAI dialects)"]),
        Case(
            "routable dialect without baseline", ", openai-responses: sol}", "}",
            [
                "baseline: no baseline model for openai-responses clients, which rule \"default-openai\" (rules[2]) "
                    + "routes"
            ]),
        Case(
            "one baseline name for two families",
            "baseline: {anthropic: opus, openai-chat: sol, openai-responses: sol}", "baseline: opus",
            [
                "baseline: no baseline model for openai-chat clients, which rule \"default-openai\" (rules[2]) routes; "
                    + "baseline \"opus\" covers only the dialects its upstream speaks, so name one per client dialect, "
                    + "such as baseline: {anthropic: ..., openai-chat: ...}",
                "baseline: no baseline model for openai-responses clients, which rule \"default-openai\" (rules[2]) "
                    + "routes; baseline \"opus\" covers only the dialects its upstream speaks, so name one per client "
                    + "dialect, such as baseline: {anthropic: ..., openai-responses: ...}",
            ]),
        Case(
            "baseline missing", "baseline: {anthropic: opus, openai-chat: sol, openai-responses: sol}\n", "",
            ["baseline: missing"]),
        Case(
            "rule whose model cannot speak its clients", "{client: openai}, route: sol}",
            "{client: openai}, route: opus}",
            [
                "rules[2]: can never apply: its client condition allows only openai-chat, openai-responses, and model "
                    + "\"opus\" is served by upstream \"anthropic\", which speaks only anthropic"
            ]),
        Case(
            "rule after an unconditional one", "  - {name: side-calls,",
            "  - {name: everything, route: opus}\n  - {name: side-calls,",
            [
                "rules[1]: can never match: rule \"everything\" (rules[0]) comes first and has no conditions",
                "rules[2]: can never match: rule \"everything\" (rules[0]) comes first and has no conditions",
            ]),
        Case(
            "rule with the same conditions as an earlier one", "  - {name: default-openai,",
            "  - {name: anthropic-again, when: {client: anthropic}, route: opus}\n  - {name: default-openai,",
            [
                "rules[2]: can never match: rule \"default-anthropic\" (rules[1]) comes first and has the same "
                    + "conditions"
            ]),
        Case(
            "rule narrower than an earlier one", "  - {name: default-openai,",
            "  - {name: big, when: {client: anthropic, prompt_tokens: {min: 1000}}, route: opus}\n"
                + "  - {name: default-openai,",
            [
                "rules[2]: can never match: rule \"default-anthropic\" (rules[1]) comes first and matches every turn "
                    + "this rule would"
            ]),
        Case(
            "duplicate rule names", "  - {name: default-openai,",
            "  - {name: side-calls, when: {client: openai, shape: side_call}, route: sol}\n  - {name: default-openai,",
            ["rules[2].name: duplicate rule name \"side-calls\" (also rules[0])"]),
        Case(
            "rule named baseline", "{name: side-calls,", "{name: baseline,",
            ["rules[0].name: \"baseline\" is reserved for turns no rule applies to"]),
        Case(
            "rule without a route", ", route: haiku}", "}",
            ["rules[0].route: missing"]),
        Case(
            "no rules", "rules:\n", "rules: []\nunused:\n",
            [
                "rules: a policy needs at least one rule",
                "unused: unknown key",
            ]),
        Case(
            "condition typo", "shape: side_call}", "shap: side_call}",
            ["rules[0].when.shap: unknown condition (did you mean \"shape\"?)"]),
        Case(
            "shape typo", "shape: side_call}", "shape: side-call}",
            ["rules[0].when.shape: unknown shape \"side-call\" (did you mean \"side_call\"?)"]),
        Case(
            "unknown tool category", "shape: side_call}", "last_tool_categories: [search, grep]}",
            [
                "rules[0].when.last_tool_categories[1]: unknown tool category \"grep\"; one of search, read, list, "
                    + "edit, exec, test, plan, web, agent, other"
            ]),
        Case(
            "unknown message kind", "shape: side_call}", "last_message: tool_results}",
            ["rules[0].when.last_message: unknown message kind \"tool_results\" (did you mean \"tool_result\"?)"]),
        Case(
            "unknown client dialect", "{client: anthropic, shape", "{client: claude, shape",
            [
                "rules[0].when.client: unknown dialect \"claude\"; one of anthropic, openai-chat, openai-responses, "
                    + "openai (openai is both OpenAI dialects)"
            ]),
        Case(
            "empty list", "shape: side_call}", "shape: []}",
            ["rules[0].when.shape: an empty list matches nothing; leave the key out to accept any value"]),
        Case(
            "flag that is not a boolean", "shape: side_call}", "last_tool_error: yes}",
            ["rules[0].when.last_tool_error: \"yes\" is not true or false"]),
        Case(
            "range with min above max", "shape: side_call}", "prompt_tokens: {min: 10, max: 5}}",
            ["rules[0].when.prompt_tokens: min 10 is greater than max 5"]),
        Case(
            "bare number for a range", "shape: side_call}", "max_tokens: 512}",
            [
                "rules[0].when.max_tokens: expected a range such as {min: 1, max: 150000}, found \"512\"; a bare "
                    + "number is not supported"
            ]),
        Case(
            "empty range", "shape: side_call}", "loop_depth: {}}",
            ["rules[0].when.loop_depth: a range needs min, max or both"]),
        Case(
            "negative range end", "shape: side_call}", "messages: {min: -1}}",
            ["rules[0].when.messages.min: must be at least 0, found -1"]),
        Case(
            "range key typo", "shape: side_call}", "messages: {mx: 3}}",
            [
                "rules[0].when.messages.mx: unknown key (did you mean \"max\"?)",
                "rules[0].when.messages: a range needs min, max or both",
            ]),
        Case(
            "prompt floor above the model's window", "shape: side_call}", "prompt_tokens: {min: 300000}}",
            [
                "rules[0].when.prompt_tokens: min 300,000 is more than model \"haiku\"'s context window (200,000), so "
                    + "this rule can never apply"
            ]),
        Case(
            "condition typo inside any", "shape: side_call}", "any: [{shape: user_turn}, {shap: side_call}]}",
            ["rules[0].when.any[1].shap: unknown condition (did you mean \"shape\"?)"]),
        Case(
            "bad value deep inside not", "shape: side_call}",
            "not: {all: [{loop_depth: {min: 2}}, {any: [{shape: side-call}]}]}}",
            ["rules[0].when.not.all[1].any[0].shape: unknown shape \"side-call\" (did you mean \"side_call\"?)"]),
        Case(
            "empty any", "shape: side_call}", "any: []}",
            ["rules[0].when.any: an empty list holds for no turn; list at least one mapping of conditions"]),
        Case(
            "empty all", "shape: side_call}", "all: []}",
            [
                "rules[0].when.all: an empty list adds no condition; list at least one mapping of conditions, or "
                    + "leave all out"
            ]),
        Case(
            "any that is not a list", "shape: side_call}", "any: {shape: side_call}}",
            [
                "rules[0].when.any: expected a list of conditions, such as any: [{shape: side_call}, "
                    + "{last_tool_error: true}], found a mapping"
            ]),
        Case(
            "any item that is not a mapping", "shape: side_call}", "any: [side_call]}",
            [
                "rules[0].when.any[0]: expected conditions (a mapping such as {shape: side_call}), found "
                    + "\"side_call\""
            ]),
        Case(
            "empty mapping in all", "shape: side_call}", "all: [{shape: side_call}, {}]}",
            ["rules[0].when.all[1]: empty conditions hold for every turn; write at least one condition"]),
        Case(
            "empty not", "shape: side_call}", "not: {}}",
            ["rules[0].when.not: empty conditions hold for every turn, so not: {} holds for none"]),
        Case(
            "not that is a list", "shape: side_call}", "not: [{shape: side_call}]}",
            ["rules[0].when.not: expected conditions (a mapping such as {shape: side_call}), found a list"]),
        Case(
            "or instead of any", "shape: side_call}", "or: [{shape: side_call}]}",
            [
                "rules[0].when.or: unknown condition; write alternatives as any: [{shape: side_call}, "
                    + "{last_tool_error: true}]"
            ]),
        Case(
            "and instead of all", "shape: side_call}", "AND: [{shape: side_call}]}",
            [
                "rules[0].when.AND: unknown condition; the conditions of one mapping must all hold already; to "
                    + "combine any and not, use all: [{...}, {...}]"
            ]),
        Case(
            "nested too deep", "shape: side_call}",
            String(repeating: "not: {", count: 9) + "shape: side_call" + String(repeating: "}", count: 9) + "}",
            ["rules[0].when.not.not.not.not.not.not.not.not.not: any, all and not are nested more than 8 deep"]),
        Case(
            "rule that contradicts itself", "shape: side_call}", "shape: side_call, not: {shape: side_call}}",
            ["rules[0]: can never match: its conditions contradict each other"]),
        Case(
            "all of two shapes", "shape: side_call}", "all: [{shape: side_call}, {shape: user_turn}]}",
            ["rules[0]: can never match: its conditions contradict each other"]),
        Case(
            "rule whose any allows only clients its model cannot speak", "{client: anthropic, shape: side_call}",
            "{any: [{client: openai-chat}, {client: openai-responses, shape: side_call}]}",
            [
                "rules[0]: can never apply: its client condition allows only openai-chat, openai-responses, and "
                    + "model \"haiku\" is served by upstream \"anthropic\", which speaks only anthropic"
            ]),
        Case(
            "unknown tool category override", "version: 1", "version: 1\ntool_categories: {rg: serach}",
            ["tool_categories.rg: unknown tool category \"serach\" (did you mean \"search\"?)"]),
        Case(
            "rules that are not a list", "rules:\n", "rules: {}\nignored:\n",
            [
                "rules: expected a list of rules, found a mapping",
                "ignored: unknown key",
            ]),
    ]

    @Test(arguments: cases)
    func reportsEachProblemWithItsPathAndMessage(_ example: Case) {
        let yaml = PolicyFixtures.small(replacing: example.original, with: example.replacement)
        let found = PolicyFixtures.problems(in: yaml).map { "\($0.path): \($0.message)" }
        #expect(found == example.expected)
    }

    @Test func theSmallPolicyIsValid() {
        #expect(PolicyFixtures.problems(in: PolicyFixtures.small) == [])
    }

    @Test func reportsEveryProblemInOnePassInLineOrder() {
        let yaml = """
            version: 3
            upstreams:
              anthropic: {dialect: anthropic, base_url: ftp://example.com}
            models:
              opus:
                upstream: anthropic
                id: claude-opus-5-5
                context_window: 1000000
                price: {input: 4.00, output: 20.00, cache_read: abc}
            baseline: opus
            rules:
              - name: side
                when: {shap: side_call, prompt_tokens: {min: 9, max: 1}}
                route: haiku
              - name: rest
                route: gpt-x
            """
        let problems = PolicyFixtures.problems(in: yaml)
        #expect(
            problems.map(\.description) == [
                "version: unsupported version 3; this Sluice reads version 1 (line 1)",
                "upstreams.anthropic.base_url: \"ftp://example.com\" is not an http(s) URL; write it as "
                    + "https://host[:port][/path] (line 3)",
                "models.opus.price.cache_read: \"abc\" is not a price in dollars per million tokens (line 9)",
                "rules[0].when.shap: unknown condition (did you mean \"shape\"?) (line 13)",
                "rules[0].when.prompt_tokens: min 9 is greater than max 1 (line 13)",
                "rules[0].route: unknown model \"haiku\" (line 14)",
                "rules[1].route: unknown model \"gpt-x\" (line 16)",
            ])
        let error = #expect(throws: PolicyError.self) { try RoutingPolicy(yaml: yaml) }
        #expect(error?.description.hasPrefix("policy has 7 problems:\n  version: unsupported version 3") == true)
    }

    @Test func pointsAtTheLineOfTheProblem() {
        let yaml = PolicyFixtures.small(replacing: "route: sol}", with: "route: gpt-x}")
        let problem = PolicyFixtures.problems(in: yaml).first
        #expect(problem?.line == 13)
        #expect(problem?.description == "rules[2].route: unknown model \"gpt-x\" (line 13)")
    }

    @Test func missingKeysPointAtTheMappingThatLacksThem() {
        let yaml = """
            version: 1
            upstreams:
              anthropic: {dialect: anthropic, base_url: https://api.anthropic.com}
            models:
              opus:
                upstream: anthropic
                id: claude-opus-5-5
                price: {input: 4, output: 20}
            baseline: opus
            rules:
              - {name: all, route: opus}
            """
        #expect(
            PolicyFixtures.problems(in: yaml).map(\.description) == ["models.opus.context_window: missing (line 5)"])
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirLine() throws {
        let problems = PolicyFixtures.problems(in: "version: 1\nupstreams: {anthropic: [\nmodels: 1\n")
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.path == "")
        #expect(problem.message.hasPrefix("YAML syntax error: "))
        #expect(problem.line != nil)
    }

    @Test func reportsDuplicateKeys() {
        let problems = PolicyFixtures.problems(in: "version: 1\nversion: 1\n")
        #expect(problems.map(\.description) == ["duplicate key \"version\" in one mapping (line 1)"])
    }

    @Test func reportsAnEmptyDocument() {
        #expect(
            PolicyFixtures.problems(in: "# nothing yet\n").map(\.description) == [
                "the policy is empty; it needs version, upstreams, models, baseline and rules"
            ])
    }

    @Test func reportsTheBriefExampleWithoutAGPTModel() {
        // The baselines name `gpt`, which the example's models do not define.
        let yaml = PolicyFixtures.example
            .replacingOccurrences(
                of: """
                      gpt:
                        upstream: openai
                        id: gpt-5.6-sol
                        context_window: 1_050_000
                        price: {input: 4, output: 20}

                    """, with: ""
            )
            .replacingOccurrences(of: "  - name: default-openai\n    route: gpt\n", with: "")
        #expect(
            PolicyFixtures.problems(in: yaml).map { "\($0.path): \($0.message)" } == [
                "baseline.openai-chat: unknown model \"gpt\"",
                "baseline.openai-responses: unknown model \"gpt\"",
            ])
    }

    @Test func printsProblemsWithPathMessageAndLine() {
        #expect(
            PolicyProblem(path: "rules[2].route", message: "unknown model \"gpt-x\"", line: 41).description
                == "rules[2].route: unknown model \"gpt-x\" (line 41)")
        #expect(
            PolicyProblem(path: "rules", message: "a policy needs at least one rule").description
                == "rules: a policy needs at least one rule")
        #expect(
            PolicyError(problems: [PolicyProblem(path: "version", message: "missing")]).description
                == "policy has 1 problem:\n  version: missing")
    }
}
