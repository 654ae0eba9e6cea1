import SluiceLedger
import Testing

@testable import SluiceRouting
@testable import SluiceWire

/// The history features, read from each dialect's conversation as agents send it.
@Suite struct ReplyHistoryScanTests {
    static func history(_ body: String, _ dialect: Dialect) throws -> (ReplyHistory, TurnFeatures) {
        let features = try RequestScannerTests.scan(body, dialect).features
        return (features.history, features)
    }

    @Test func countsClaudeCodeReadOnlyReplies() throws {
        // Two replies: Grep; then Read and `rg` through Bash. Both read-only, no edit.
        let (history, features) = try Self.history(RequestScannerTests.claudeCodeGrepFollowup, .anthropic)
        #expect(history.replies == 2)
        #expect(history.readOnlyReplies == 2)
        #expect(history.readOnlyStreak == 2)
        #expect(history.readOnlyPercent == 100)
        #expect(!history.edited)
        #expect(history.repliesSinceEdit == 2)
        #expect(history.previousCalls == 2)
        #expect(history.lastMessageBytes > 100)
        // The prompt grew by the last reply and its results: more than nothing, less than all of it.
        #expect(history.growthTokens > 50)
        #expect(history.growthTokens < features.promptTokens)
    }

    @Test func anEditEndsTheStreakAndCountsStepsSinceIt() throws {
        let body = #"""
            {"model":"m","max_tokens":4000,"messages":[{"role":"user","content":"fix it"},
             {"role":"assistant","content":[{"type":"tool_use","id":"a","name":"Grep","input":{"pattern":"x"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":"f.go:1"}]},
             {"role":"assistant","content":[{"type":"tool_use","id":"b","name":"Edit","input":{"file_path":"f.go"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"b","content":"ok"}]},
             {"role":"assistant","content":[{"type":"text","text":"Now the tests."},{"type":"tool_use","id":"c","name":"Bash","input":{"command":"go test ./..."}},{"type":"tool_use","id":"d","name":"Read","input":{"file_path":"f.go"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"c","content":"ok"},{"type":"tool_result","tool_use_id":"d","content":"package f"}]},
             {"role":"assistant","content":[{"type":"tool_use","id":"e","name":"Read","input":{"file_path":"g.go"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"e","content":"package g"}]}]}
            """#
        let (history, _) = try Self.history(body, .anthropic)
        #expect(history.replies == 4)
        #expect(history.readOnlyReplies == 2)  // Grep, and the last Read; the test run is not read-only
        #expect(history.readOnlyStreak == 1)
        #expect(history.readOnlyPercent == 50)
        #expect(history.edited)
        #expect(history.repliesSinceEdit == 2)
        #expect(history.previousCalls == 1)
    }

    @Test func readsAShellAgentOnChatCompletions() throws {
        // mini-swe-agent's shape: one bash tool; `sed -i` edits, `cat` reads.
        let body = #"""
            {"model":"m","messages":[{"role":"system","content":"You are a helpful assistant."},
             {"role":"user","content":"Fix the bug."},
             {"role":"assistant","content":"Look first.","tool_calls":[{"id":"1","type":"function","function":{"name":"bash","arguments":"{\"command\":\"grep -rn bug src\"}"}}]},
             {"role":"tool","tool_call_id":"1","content":"src/a.py:3"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"2","type":"function","function":{"name":"bash","arguments":"{\"command\":\"sed -i 's/a/b/' src/a.py\"}"}}]},
             {"role":"tool","tool_call_id":"2","content":""},
             {"role":"assistant","content":null,"tool_calls":[{"id":"3","type":"function","function":{"name":"bash","arguments":"{\"command\":\"cat src/a.py\"}"}}]},
             {"role":"tool","tool_call_id":"3","content":"b = 1"}]}
            """#
        let (history, features) = try Self.history(body, .openAIChat)
        #expect(history.replies == 3)
        #expect(history.readOnlyReplies == 2)
        #expect(history.readOnlyStreak == 1)
        #expect(history.edited)
        #expect(history.repliesSinceEdit == 1)
        #expect(features.lastToolCategories == [.read])
    }

    @Test func aResponsesReplyIsItsMessageAndTheCallsAfterIt() throws {
        // Codex: a commentary message, then two shell calls, is one reply; apply_patch edits.
        let body = #"""
            {"model":"gpt-5.6-sol","input":[
             {"type":"message","role":"user","content":[{"type":"input_text","text":"rename foo"}]},
             {"type":"reasoning","summary":[]},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Searching."}]},
             {"type":"function_call","call_id":"c1","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"rg foo\"]}"},
             {"type":"function_call","call_id":"c2","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"ls src\"]}"},
             {"type":"function_call_output","call_id":"c1","output":"a.rs:1"},
             {"type":"function_call_output","call_id":"c2","output":"a.rs"},
             {"type":"custom_tool_call","call_id":"c3","name":"apply_patch","input":"*** Begin Patch"},
             {"type":"custom_tool_call_output","call_id":"c3","output":"Done"}]}
            """#
        let (history, _) = try Self.history(body, .openAIResponses)
        #expect(history.replies == 2)
        #expect(history.readOnlyReplies == 1)
        #expect(history.readOnlyStreak == 0)
        #expect(history.edited)
        #expect(history.repliesSinceEdit == 0)
        #expect(history.previousCalls == 1)
    }

    @Test func aTextProtocolActionIsOneCall() throws {
        // SWE-agent: the action in a fenced block, its output as the next user message.
        let body = #"""
            {"model":"gpt-4","messages":[{"role":"system","content":"SETTING"},{"role":"user","content":"ISSUE: crash"},
             {"role":"assistant","content":"Let me look.\n```\nopen src/app.py\n```"},
             {"role":"user","content":"[File: src/app.py]\n1:import os\n(Open file: src/app.py)\n(Current directory: /repo)\nbash-$"}]}
            """#
        let (history, features) = try Self.history(body, .openAIChat)
        #expect(features.shape == .toolFollowup)
        #expect(history.replies == 1)
        #expect(history.readOnlyStreak == 1)
        #expect(history.previousCalls == 1)
    }

    @Test func aConversationWithoutRepliesGrewByAllOfIt() throws {
        let body = #"{"model":"m","max_tokens":100,"messages":[{"role":"user","content":"hello there"}]}"#
        let (history, _) = try Self.history(body, .anthropic)
        #expect(history == {
            var expected = ReplyHistory()
            expected.lastMessageBytes = #"{"role":"user","content":"hello there"}"#.utf8.count
            expected.growthTokens = #"[{"role":"user","content":"hello there"}]"#.utf8.count * 2 / 7
            return expected
        }())
    }

    @Test func theLedgerKeepsTheHistoryForReplay() throws {
        var history = ReplyHistory()
        history.note(calls: 2, readOnly: true, edits: false)
        history.note(calls: 1, readOnly: false, edits: true)
        history.note(calls: 3, readOnly: true, edits: false)
        history.lastMessageBytes = 1_234
        history.growthTokens = 567
        let kept = RecordedFeatures(messageCount: 7, history: history)
        #expect(RecordedFeatures(json: kept.json)?.history == history)
        // Rows written before the history existed say so, and replay as a conversation's start.
        let old = try #require(RecordedFeatures(json: #"{"messages":3}"#))
        #expect(old.history == nil)
        #expect(RecordedFeatures(json: old.json)?.history == nil)
    }
}

extension ReplyHistoryScanTests {
    @Test func aSecondScanReadsEarlierCallsFromTheMemoAlike() throws {
        let scanner = RequestScanner()
        let body = Array(RequestScannerTests.claudeCodeGrepFollowup.utf8)
        func scan(_ scanner: RequestScanner) throws -> TurnFeatures {
            try body.withUnsafeBytes { try scanner.scan($0, dialect: .anthropic, headers: TurnHeaders()) }.features
        }
        let first = try scan(scanner)
        #expect(try scan(scanner) == first)
        // Another policy's scanner, which calls Grep an edit, sees an edit: memos are per scanner.
        let recategorized = try scan(RequestScanner(catalog: ToolCatalog.builtIn.overriding(with: ["Grep": .edit])))
        #expect(recategorized.history.edited)
        #expect(!first.history.edited)
    }

    @Test func miniSweAgentReportsAFailedCommandAsJSON() throws {
        // mini-swe-agent 2 returns {"returncode": N, "output": ...} from its bash tool.
        func body(_ code: Int) -> String {
            #"""
            {"model":"m","messages":[{"role":"user","content":"go"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"1","type":"function","function":{"name":"bash","arguments":"{\"command\":\"make build\"}"}}]},
             {"role":"tool","tool_call_id":"1","content":"{\"returncode\": \#(code), \"output\": \"done\"}"}]}
            """#
        }
        #expect(try RequestScannerTests.scan(body(2), .openAIChat).features.lastToolError)
        #expect(try !RequestScannerTests.scan(body(0), .openAIChat).features.lastToolError)
    }
}
