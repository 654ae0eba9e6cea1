import Testing

@testable import SluiceRouting
@testable import SluiceWire

@Suite struct RequestScannerTests {
    static func scan(_ body: String, _ dialect: Dialect, headers: TurnHeaders = .init()) throws -> ScannedRequest {
        try Array(body.utf8).withUnsafeBytes { raw in try RequestScanner().scan(raw, dialect: dialect, headers: headers) }
    }

    static let claudeCodeGrepFollowup = #"""
        {"model":"claude-opus-5-5","max_tokens":32000,"stream":true,
         "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1; cch=abcde;"},{"type":"text","text":"You are Claude Code."}],
         "tools":[{"name":"Grep","input_schema":{}},{"name":"Read","input_schema":{}}],
         "metadata":{"user_id":"{\"device_id\":\"d\",\"account_uuid\":\"\",\"session_id\":\"7f1c\"}"},
         "messages":[
          {"role":"user","content":"find the TODOs"},
          {"role":"assistant","content":[{"type":"thinking","thinking":"","signature":"s"},{"type":"tool_use","id":"toolu_1","name":"Grep","input":{"pattern":"TODO"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"a.swift:3: // TODO"}]},
          {"role":"assistant","content":[{"type":"tool_use","id":"toolu_2","name":"Read","input":{"file_path":"a.swift"}},{"type":"tool_use","id":"toolu_3","name":"Bash","input":{"command":"cd /src && rg -n TODO | head"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"1→import Foundation"}]},{"type":"tool_result","tool_use_id":"toolu_3","content":"a.swift:3"},{"type":"text","text":"<system-reminder>keep going</system-reminder>"}]}
         ]}
        """#

    @Test func readsAClaudeCodeToolFollowup() throws {
        let scanned = try Self.scan(Self.claudeCodeGrepFollowup, .anthropic)
        let features = scanned.features
        #expect(features.requestedModel == "claude-opus-5-5")
        #expect(features.stream)
        #expect(features.maxTokens == 32000)
        #expect(features.toolsOffered == 2)
        #expect(features.messageCount == 5)
        #expect(features.lastMessage == .toolResult)
        #expect(features.shape == .toolFollowup)
        #expect(features.lastToolNames == ["Read", "Bash"])
        #expect(features.lastToolCategories == [.search, .read])
        #expect(!features.lastToolError)
        #expect(features.loopDepth == 2)
        #expect(features.promptTokens > 100)
        #expect(scanned.session == "cc:7f1c")
        #expect(scanned.sessionSource == .claudeCodeMetadata)
    }

    @Test func theSessionHeaderWinsOverTheBody() throws {
        let scanned = try Self.scan(
            Self.claudeCodeGrepFollowup, .anthropic, headers: TurnHeaders(claudeCodeSession: "abc"))
        #expect(scanned.session == "cc:abc")
        let explicit = try Self.scan(
            Self.claudeCodeGrepFollowup, .anthropic, headers: TurnHeaders(sluiceSession: "mine", claudeCodeSession: "abc"))
        #expect(explicit.session == "mine")
    }

    @Test func flagsIsErrorAndFailureTextOfShellResults() throws {
        let flagged = #"""
            {"model":"m","max_tokens":4000,"tools":[{"name":"Edit"}],"messages":[{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Edit","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":"<tool_use_error>String to replace not found</tool_use_error>"}]}]}
            """#
        #expect(try Self.scan(flagged, .anthropic).features.lastToolError)
        let hiddenByPipe = #"""
            {"model":"m","messages":[{"role":"user","content":"go"},
             {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"bash","arguments":"{\"command\":\"cd /testbed && python -m pytest tests | tail -5\"}"}}]},
             {"role":"tool","tool_call_id":"c1","content":"<returncode>0</returncode>\n<output>\n=== FAILURES ===\n1 failed, 3 passed\n</output>"}]}
            """#
        let features = try Self.scan(hiddenByPipe, .openAIChat).features
        #expect(features.lastToolCategories == [.test])
        #expect(features.lastToolError)
        let readWithErrorText = #"""
            {"model":"m","messages":[{"role":"user","content":"go"},
             {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a.py\"}"}}]},
             {"role":"tool","tool_call_id":"c1","content":"raise ValueError('error: bad') # Traceback (most recent call last)"}]}
            """#
        #expect(try !Self.scan(readWithErrorText, .openAIChat).features.lastToolError)
    }

    @Test func readsACodexResponsesTurn() throws {
        let body = #"""
            {"model":"gpt-5.5","instructions":"You are Codex.","stream":true,"prompt_cache_key":"thread-1",
             "reasoning":{"effort":"medium"},"tools":[{"type":"function","name":"shell"}],
             "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"fix it"}]},
              {"type":"reasoning","id":"rs","summary":[]},
              {"type":"function_call","call_id":"a","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"rg -n foo src\"]}"},
              {"type":"function_call_output","call_id":"a","output":"src/x.rs:1: foo"}]}
            """#
        let scanned = try Self.scan(body, .openAIResponses, headers: TurnHeaders(codexSession: "s-1"))
        #expect(scanned.features.shape == .toolFollowup)
        #expect(scanned.features.lastToolCategories == [.search])
        #expect(scanned.features.thinking)
        #expect(scanned.features.loopDepth == 1)
        #expect(scanned.session == "codex:s-1")
        let keyed = try Self.scan(body, .openAIResponses)
        #expect(keyed.session == "pck:thread-1")
    }

    @Test(arguments: [
        (#"{"model":"claude-haiku-5-5","max_tokens":512,"messages":[{"role":"user","content":"title please"}]}"#, TurnShape.sideCall),
        (#"{"model":"claude-opus-5-5","max_tokens":32000,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"Read"}]}"#, .userTurn),
        (#"{"model":"claude-opus-5-5","max_tokens":1,"messages":[{"role":"user","content":"quota"}]}"#, .sideCall),
        (#"{"model":"claude-opus-5-5","max_tokens":64,"stop_sequences":["</severity>"],"messages":[{"role":"user","content":"classify"}]}"#, .sideCall),
        (#"{"model":"m","max_tokens":9000,"messages":[]}"#, .other),
        (#"{"model":"claude-opus-5-5","max_tokens":1024,"messages":[{"role":"user","content":"an SDK example"}]}"#, .userTurn),
    ])
    func shapesTurns(_ body: String, _ shape: TurnShape) throws {
        #expect(try Self.scan(body, .anthropic).features.shape == shape)
    }

    @Test func readsSWEAgentObservationsAsToolResults() throws {
        let body = #"""
            {"model":"gpt4","messages":[{"role":"system","content":"You are an autonomous programmer."},
             {"role":"user","content":"Fix the issue."},
             {"role":"assistant","content":"DISCUSSION\nLet me look for the function.\n```\nsearch_dir \"def parse\"\n```"},
             {"role":"user","content":"Found 3 matches for \"def parse\" in /repo\n(Open file: n/a)\n(Current directory: /repo)\nbash-$"},
             {"role":"assistant","content":"Run the tests.\n```bash\npython -m pytest tests/ -x\n```"},
             {"role":"user","content":"Traceback (most recent call last):\n  ...\n(Open file: n/a)\n(Current directory: /repo)\nbash-$"}]}
            """#
        let features = try Self.scan(body, .openAIChat).features
        #expect(features.shape == .toolFollowup)
        #expect(features.lastToolNames == ["python"])
        #expect(features.lastToolCategories == [.test])
        #expect(features.lastToolError)
        #expect(features.loopDepth == 2)
        let human = #"{"model":"m","messages":[{"role":"assistant","content":"Try:\n```\nls\n```"},{"role":"user","content":"thanks, that worked"}]}"#
        #expect(try Self.scan(human, .openAIChat).features.shape == .userTurn)
        let reading = #"""
            {"model":"gpt4","messages":[{"role":"user","content":"Fix the issue."},
             {"role":"assistant","content":"Open it.\n```\nopen src/parse.py\n```"},
             {"role":"user","content":"[File: src/parse.py (80 lines total)]\n1:import re\n(Open file: src/parse.py)\n(Current directory: /repo)\nbash-$"}]}
            """#
        let read = try Self.scan(reading, .openAIChat).features
        #expect(read.lastToolCategories == [.read])
        #expect(!read.lastToolError)
    }

    @Test func readsAidersEditBlocksAndItsLintFollowUp() throws {
        let body = #"""
            {"model":"gpt-4o","stream":true,"messages":[{"role":"system","content":"Act as an expert software developer."},
             {"role":"user","content":"Rename foo to bar in app.py"},
             {"role":"assistant","content":"app.py\n```python\n<<<<<<< SEARCH\ndef foo():\n=======\ndef bar():\n>>>>>>> REPLACE\n```"},
             {"role":"user","content":"# Fix any errors below, if possible.\n\n## Running: flake8 app.py\n\napp.py:3:1: F821 undefined name 'foo'"}]}
            """#
        let features = try Self.scan(body, .openAIChat).features
        #expect(features.shape == .toolFollowup)
        #expect(features.lastToolCategories == [.edit])
        #expect(features.lastToolError)
        let nextRequest = #"{"model":"gpt-4o","messages":[{"role":"assistant","content":"app.py\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE"},{"role":"user","content":"Now add a test."}]}"#
        #expect(try Self.scan(nextRequest, .openAIChat).features.shape == .userTurn)
    }

    @Test func readsAidersFailedAutoTestAsAFailedTestResult() throws {
        // aider --auto-test, after an edit: the test command failed, and aider sends its output.
        let body = #"""
            {"model":"gpt-4o","stream":true,"messages":[{"role":"system","content":"Act as an expert software developer."},
             {"role":"user","content":"Make test_total pass"},
             {"role":"assistant","content":"cart.py\n```python\n<<<<<<< SEARCH\n    return 0\n=======\n    return sum(items)\n>>>>>>> REPLACE\n```"},
             {"role":"user","content":"I ran this command:\n\npytest -q tests/test_cart.py\n\nAnd got this output:\n\nF.\n=== FAILURES ===\nE   assert 3 == 4\n1 failed, 1 passed in 0.03s\n"}]}
            """#
        let features = try Self.scan(body, .openAIChat).features
        #expect(features.shape == .toolFollowup)
        #expect(features.lastMessage == .toolResult)
        #expect(features.lastToolNames == ["pytest"])
        #expect(features.lastToolCategories == [.test])
        #expect(features.lastToolError)
        #expect(features.loopDepth == 1)
        #expect(features.assistantMessages == 1)
    }

    @Test func readsACommandTheUserRanThroughAiderByItsOutput() throws {
        // `/run ls` with "add the output to the chat": not after an edit, and the output is fine.
        let passing = #"""
            {"model":"gpt-4o","messages":[{"role":"user","content":"hello"},{"role":"assistant","content":"Hi."},
             {"role":"user","content":"I ran this command:\n\nls src\n\nAnd got this output:\n\ncart.py\nmain.py\n"}]}
            """#
        let listed = try Self.scan(passing, .openAIChat).features
        #expect(listed.shape == .toolFollowup)
        #expect(listed.lastToolCategories == [.list])
        #expect(!listed.lastToolError)
        let failing = #"""
            {"model":"gpt-4o","messages":[{"role":"user","content":"hello"},{"role":"assistant","content":"Hi."},
             {"role":"user","content":"I ran this command:\n\npython main.py\n\nAnd got this output:\n\nTraceback (most recent call last):\n  File \"main.py\", line 1\n"}]}
            """#
        #expect(try Self.scan(failing, .openAIChat).features.lastToolError)
    }

}

/// What a request asks of the prompt cache, for the counterfactuals' simulated caches.
extension RequestScannerTests {
    @Test(arguments: [
        (#"{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"a"}]}"#, Dialect.anthropic, 0),
        (#"{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}]}"#, .anthropic, 1),
        (#"{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"a"}]}"#, .openAIChat, 0),
        (#"{"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"assistant","content":"c"}]}"#, .openAIChat, 2),
        (#"{"model":"m","input":"a"}"#, .openAIResponses, 0),
        (#"{"model":"m","input":[{"role":"user","content":"a"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call","call_id":"d","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"x"},{"type":"message","role":"assistant","content":"ok"}]}"#, .openAIResponses, 2),
    ])
    func countsTheAssistantMessagesOfTheHistory(_ body: String, _ dialect: Dialect, _ count: Int) throws {
        #expect(try Self.scan(body, dialect).features.assistantMessages == count)
    }

    @Test(arguments: [
        (#"{\"command\":\"view\",\"path\":\"/workspace/app.py\"}"#, "str_replace_editor", ToolCategory.read),
        (#"{\"command\":\"str_replace\",\"path\":\"/workspace/app.py\",\"old_str\":\"a\",\"new_str\":\"b\"}"#, "str_replace_editor", .edit),
        (#"{\"command\":\"grep -rn parse /workspace\"}"#, "execute_bash", .search),
        (#"{\"command\":\"cd /workspace && pytest -q\"}"#, "execute_bash", .test),
        (#"{\"command\":\"ls /workspace\"}"#, "terminal", .list),
        (#"{\"command\":\"view\",\"path\":\"/workspace\"}"#, "file_editor", .read),
    ])
    func classifiesOpenHandsTools(_ arguments: String, _ tool: String, _ category: ToolCategory) throws {
        let body = #"""
            {"model":"claude-sonnet-4-5","messages":[{"role":"system","content":"You are OpenHands agent."},
             {"role":"user","content":"Fix the parser."},
             {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"\#(tool)","arguments":"\#(arguments)"}}]},
             {"role":"tool","tool_call_id":"c1","name":"\#(tool)","content":"output"}],
             "tools":[{"type":"function","function":{"name":"\#(tool)"}}]}
            """#
        let features = try Self.scan(body, .openAIChat).features
        #expect(features.shape == .toolFollowup)
        #expect(features.lastToolNames == [tool])
        #expect(features.lastToolCategories == [category])
    }

    @Test func countsARunOfIdenticalToolCalls() throws {
        func turn(_ pattern: String, _ id: Int) -> String {
            #"{"role":"assistant","content":[{"type":"tool_use","id":"t\#(id)","name":"Grep","input":{"pattern":"\#(pattern)"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t\#(id)","content":"none"}]}"#
        }
        let looping = [turn("a", 1), turn("b", 2), turn("b", 3), turn("b", 4)].joined(separator: ",")
        let body = #"{"model":"m","max_tokens":9000,"messages":[{"role":"user","content":"go"},\#(looping)]}"#
        #expect(try Self.scan(body, .anthropic).features.toolCallRepeats == 2)
        let fresh = [turn("b", 1), turn("b", 2), turn("c", 3)].joined(separator: ",")
        let other = #"{"model":"m","max_tokens":9000,"messages":[{"role":"user","content":"go"},\#(fresh)]}"#
        #expect(try Self.scan(other, .anthropic).features.toolCallRepeats == 0)
    }

    @Test func thinkingInTheHistoryMeansThinkingIsOn() throws {
        let body = #"{"model":"m","max_tokens":9000,"messages":[{"role":"user","content":"go"},{"role":"assistant","content":[{"type":"thinking","thinking":"","signature":"s"},{"type":"text","text":"ok"}]},{"role":"user","content":"more"}]}"#
        #expect(try Self.scan(body, .anthropic).features.thinking)
        let disabled = #"{"model":"m","max_tokens":9000,"thinking":{"type":"disabled"},"messages":[{"role":"user","content":"go"},{"role":"assistant","content":[{"type":"thinking","thinking":"","signature":"s"}]},{"role":"user","content":"more"}]}"#
        #expect(try !Self.scan(disabled, .anthropic).features.thinking)
    }

    @Test func codexCompactionIsASideCall() throws {
        let body = #"{"model":"gpt-5.5","input":"summarize"}"#
        let scanned = try Self.scan(body, .openAIResponses, headers: TurnHeaders(openAISubagent: "compact"))
        #expect(scanned.features.shape == .sideCall)
    }

    @Test(arguments: [
        ("not json", "not valid JSON"), ("[1,2]", "must be a JSON object"), (#"{"messages":[]}"#, "no `model`"),
        (#"{"model":"m","messages":[{"role":"user","content":"trunc"#, "truncated"), (#"{"model":42}"#, "no `model`"),
    ])
    func refusesBadBodiesWithAClearMessage(_ body: String, _ fragment: String) {
        do {
            _ = try Self.scan(body, .openAIChat)
            Issue.record("accepted \(body)")
        } catch let error as ClientError {
            #expect(error.kind == .invalidRequest)
            #expect(error.message.contains(fragment), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        (#"{"model":"m","stream":true,"messages":[]}"#, #"{"stream_options":{"include_usage":true},"model":"x","stream":true,"messages":[]}"#),
        (#"{"model":"m","stream":true,"stream_options":{}}"#, #"{"model":"x","stream":true,"stream_options":{"include_usage":true}}"#),
        (#"{"model":"m","stream":true,"stream_options":{"include_obfuscation":false}}"#, #"{"model":"x","stream":true,"stream_options":{"include_usage":true,"include_obfuscation":false}}"#),
        (#"{"model":"m","stream":true,"stream_options":{"include_usage":false}}"#, #"{"model":"x","stream":true,"stream_options":{"include_usage":true}}"#),
        (#"{"model":"m","stream":true,"stream_options":{"include_usage":true}}"#, #"{"model":"x","stream":true,"stream_options":{"include_usage":true}}"#),
        (#"{"model":"m","stream":false}"#, #"{"model":"x","stream":false}"#),
        (#"{"model":"m","stream":true,"stream_options":null}"#, #"{"model":"x","stream":true,"stream_options":{"include_usage":true}}"#),
    ])
    func splicesTheModelAndAsksForStreamUsage(_ body: String, _ expected: String) throws {
        let scanned = try Self.scan(body, .openAIChat)
        var out = Array(body.utf8)
        for edit in scanned.edits(routedModelID: "x").reversed() {
            out.replaceSubrange(edit.range, with: edit.replacement)
        }
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        #"{"model":"m","messages":[{"role":"user","content":[{"type":"image","source":{"data":0}}]}]}"#,
        #"{"model":"m","messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":1,"content":[{"type":"image","source":7}]}]}]}"#,
        #"{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":5}}]}]}"#,
        #"{"model":"m","messages":[{"role":"tool","tool_call_id":null,"content":9}]}"#,
        #"{"model":"m","input":[{"type":"function_call_output","call_id":3,"output":{"a":1}},{"type":"message","role":"user","content":[{"type":"input_image","image_url":1}]}]}"#,
        #"{"model":"m","messages":"not an array","tools":"nope","system":5,"metadata":{"user_id":7}}"#,
    ])
    func survivesWrongTypesAnywhere(_ body: String) throws {
        for dialect in Dialect.allCases {
            _ = try Self.scan(body, dialect)
        }
    }

    @Test func theRotatingBillingLineDoesNotSplitASession() throws {
        func body(_ cch: String) -> String {
            #"{"model":"claude-opus-5-5","max_tokens":32000,"system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.222.abc; cch=\#(cch);"},{"type":"text","text":"You are Claude Code."}],"messages":[{"role":"user","content":"fix it"}]}"#
        }
        let first = try Self.scan(body("11111"), .anthropic, headers: TurnHeaders(credentialHash: "h"))
        let second = try Self.scan(body("22222"), .anthropic, headers: TurnHeaders(credentialHash: "h"))
        #expect(first.sessionSource == .fingerprint)
        #expect(first.session == second.session)
    }

    @Test func fingerprintsSessionsWithoutSignalsStably() throws {
        let body = #"{"model":"gpt-4o","messages":[{"role":"system","content":"sys"},{"role":"user","content":"task one"}]}"#
        let a = try Self.scan(body, .openAIChat, headers: TurnHeaders(credentialHash: "k1"))
        let b = try Self.scan(body, .openAIChat, headers: TurnHeaders(credentialHash: "k1"))
        let c = try Self.scan(body, .openAIChat, headers: TurnHeaders(credentialHash: "k2"))
        #expect(a.session == b.session)
        #expect(a.session != c.session)
        #expect(a.session.hasPrefix("fp:"))
    }
}

@Suite struct CommandClassifierTests {
    @Test(arguments: [
        ("grep -rn foo .", ToolCategory.search), ("cd /testbed && grep -rn foo . | head -20", .search),
        ("rg TODO", .search), ("find . -name '*.py'", .search), ("cat a.py", .read), ("sed -n '1,20p' a.py", .read),
        ("sed -i 's/a/b/' a.py", .edit), ("cat > a.py << 'EOF'\nimport os\nrun pytest\nEOF", .edit),
        ("ls -la", .list), ("tree src", .list), ("python -m pytest tests/ -x", .test), ("go test ./...", .test),
        ("mise run test:integration", .test), ("npm test", .test), ("cargo build", .exec), ("python script.py", .exec),
        ("git diff HEAD", .read), ("git status", .list), ("git commit -m x", .exec), ("FOO=1 timeout 60 pytest", .test),
        ("echo hi > out.txt", .edit), ("ls 2>/dev/null", .list), ("go test ./... 2>&1 | tail -5", .test),
        ("# look around\nls", .list),
    ])
    func classifiesByProgram(_ command: String, _ category: ToolCategory) {
        #expect(CommandClassifier.category(of: command) == category)
    }
}

/// What a request asks of the prompt cache, for the counterfactuals' simulated caches.
extension RequestScannerTests {
    @Test(arguments: [
        (#"{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"}]}"#, CacheRequest.off),
        (#"{"model":"m","max_tokens":9,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"hi"}]}"#,
         CacheRequest.lifetime(milliseconds: 300_000)),
        (#"{"model":"m","max_tokens":9,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral","ttl":"1h"}}]}]}"#,
         CacheRequest.lifetime(milliseconds: 3_600_000)),
        (#"{"model":"m","max_tokens":9,"cache_control":{"type":"ephemeral","ttl":"1h"},"messages":[{"role":"user","content":"hi"}]}"#,
         CacheRequest.lifetime(milliseconds: 3_600_000)),
    ])
    func readsTheCacheLifetimeAnAnthropicRequestMarks(_ body: String, _ expected: CacheRequest) throws {
        #expect(try Self.scan(body, .anthropic).features.cacheRequest == expected)
    }

    @Test func readsAnOpenAIRequestsRetention() throws {
        let plain = #"{"model":"gpt-5.5","messages":[{"role":"user","content":"hi"}]}"#
        #expect(try Self.scan(plain, .openAIChat).features.cacheRequest == .unstated)
        let retained = #"{"model":"gpt-5.5","prompt_cache_retention":"24h","messages":[{"role":"user","content":"hi"}]}"#
        #expect(try Self.scan(retained, .openAIChat).features.cacheRequest == .lifetime(milliseconds: 86_400_000))
        let inMemory = #"{"model":"gpt-5.5","prompt_cache_retention":"in_memory","input":"hi"}"#
        #expect(try Self.scan(inMemory, .openAIResponses).features.cacheRequest == .unstated)
        let options = #"{"model":"gpt-5.6","prompt_cache_options":{"mode":"explicit","ttl":"12h"},"input":"hi"}"#
        #expect(try Self.scan(options, .openAIResponses).features.cacheRequest == .lifetime(milliseconds: 43_200_000))
    }
}
