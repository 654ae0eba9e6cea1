import SluiceLedger
import Testing

@testable import SluiceRouting
@testable import SluiceWire

/// The loop breaker: the ``CallWindow`` the scanner reads from each dialect's history,
/// ``LoopBreaker/trip(_:others:)``, and what a plan does with a loop.
@Suite struct LoopBreakerTests {
    /// One tool call as Claude Code writes it: a tool name and its input object.
    struct Call {
        var name: String
        var input: String

        static func bash(_ command: String) -> Call { Call(name: "Bash", input: #"{"command":"\#(command)"}"#) }
        static func read(_ path: String) -> Call { Call(name: "Read", input: #"{"file_path":"\#(path)"}"#) }
        static func grep(_ pattern: String) -> Call { Call(name: "Grep", input: #"{"pattern":"\#(pattern)"}"#) }
        static func edit(_ path: String) -> Call {
            Call(name: "Edit", input: #"{"file_path":"\#(path)","old_string":"a","new_string":"b"}"#)
        }

        /// How the window labels it: the name and the arguments as sent.
        var label: String { name + " " + input }
    }

    static let npmTest = Call.bash("npm test")

    /// A Claude Code conversation: the task, then one assistant reply per entry of `replies`, each
    /// answered by a user message with the calls' results; the user also writes to the agent in
    /// the message that answers reply number `interjection` (counted from 1).
    static func anthropic(_ replies: [[Call]], interjection: Int? = nil) -> String {
        var messages = [#"{"role":"user","content":"The build fails. Fix it."}"#]
        var id = 0
        for (index, calls) in replies.enumerated() {
            var uses: [String] = []
            var results: [String] = []
            for call in calls {
                id += 1
                uses.append(#"{"type":"tool_use","id":"toolu_\#(id)","name":"\#(call.name)","input":\#(call.input)}"#)
                results.append(#"{"type":"tool_result","tool_use_id":"toolu_\#(id)","content":"exit code 1"}"#)
            }
            if index + 1 == interjection {
                results.append(#"{"type":"text","text":"Stop re-running it and read the error first."}"#)
            }
            messages.append(#"{"role":"assistant","content":[\#(uses.joined(separator: ","))]}"#)
            messages.append(#"{"role":"user","content":[\#(results.joined(separator: ","))]}"#)
        }
        return #"""
            {"model":"claude-opus-5-5","max_tokens":32000,"tools":[{"name":"Bash","input_schema":{}},{"name":"Read","input_schema":{}}],
             "messages":[\#(messages.joined(separator: ",\n"))]}
            """#
    }

    /// `total` single-call replies: distinct reads, then `call` for the last `times` of them.
    static func replies(_ call: Call, times: Int, of total: Int) -> [[Call]] {
        (0..<total).map { index in index >= total - times ? [call] : [Call.read("src/file\(index).ts")] }
    }

    /// An agent on Chat Completions with one `bash` tool, running each of `commands` in turn.
    static func chat(_ commands: [String]) -> String {
        var messages = [
            #"{"role":"system","content":"You are a coding agent."}"#, #"{"role":"user","content":"Make the tests pass."}"#,
        ]
        for (index, command) in commands.enumerated() {
            messages.append(
                #"{"role":"assistant","content":null,"tool_calls":[{"id":"call_\#(index)","type":"function","function":{"name":"bash","arguments":"{\"command\":\"\#(command)\"}"}}]}"#
            )
            messages.append(#"{"role":"tool","tool_call_id":"call_\#(index)","content":"1 failed, 3 passed"}"#)
        }
        return #"""
            {"model":"gpt-5.6-sol","tools":[{"type":"function","function":{"name":"bash"}}],
             "messages":[\#(messages.joined(separator: ",\n"))]}
            """#
    }

    /// Codex on the Responses API: each of `commands` as a `shell` function call and its output.
    static func responses(_ commands: [String]) -> String {
        var items = [#"{"type":"message","role":"user","content":[{"type":"input_text","text":"Make the tests pass."}]}"#]
        for (index, command) in commands.enumerated() {
            items.append(
                #"{"type":"function_call","call_id":"call_\#(index)","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"\#(command)\"]}"}"#
            )
            items.append(#"{"type":"function_call_output","call_id":"call_\#(index)","output":"error[E0308]: mismatched types"}"#)
        }
        return #"""
            {"model":"gpt-5.6-sol","tools":[{"type":"function","name":"shell"}],"input":[\#(items.joined(separator: ",\n"))]}
            """#
    }

    /// mini-swe-agent: no tool calls; each assistant message is a thought (different each time)
    /// and one bash block, and the command's output comes back as a user message.
    static func miniSWEAgent(_ commands: [String]) -> String {
        var messages = [
            #"{"role":"system","content":"You are a helpful assistant that can interact with a computer."}"#,
            #"{"role":"user","content":"Please solve this issue: the parser crashes on empty input."}"#,
        ]
        for (index, command) in commands.enumerated() {
            messages.append(
                #"{"role":"assistant","content":"THOUGHT: Attempt \#(index + 1). Let me run it again and read the traceback.\n\n```bash\n\#(command)\n```"}"#
            )
            messages.append(
                #"{"role":"user","content":"<returncode>1</returncode>\n<output>\nTraceback (most recent call last):\n  File \"reproduce.py\", line 3\nValueError: empty input\n</output>"}"#
            )
        }
        return #"{"model":"gpt-5.6-sol","messages":[\#(messages.joined(separator: ",\n"))]}"#
    }

    static func scan(
        _ body: String, _ dialect: Dialect = .anthropic, window: Int = LoopBreaker.defaultWindow,
        headers: TurnHeaders = TurnHeaders()
    ) throws -> TurnFeatures {
        try Array(body.utf8).withUnsafeBytes { raw in
            try RequestScanner(loopWindow: window).scan(raw, dialect: dialect, headers: headers)
        }.features
    }

    static let breaker = LoopBreaker(action: .stop)

    // MARK: - The window and the tight pattern

    @Test func fourIdenticalCallsInTenRepliesAreNoLoopAndFiveAre() throws {
        let four = try Self.scan(Self.anthropic(Self.replies(Self.npmTest, times: 4, of: 10)))
        #expect(four.shape == .toolFollowup)
        #expect(four.callWindow.replies == 10)
        #expect(four.callWindow.calls == 10)
        #expect(four.callWindow.distinct == 7)
        #expect(four.callWindow.repeated.map(\.count) == [4])
        #expect(Self.breaker.trip(four, others: []) == nil)

        let five = try Self.scan(Self.anthropic(Self.replies(Self.npmTest, times: 5, of: 10)))
        #expect(five.callWindow.distinct == 6)
        #expect(five.callWindow.repeated.first?.count == 5)
        let repeated = try #require(five.callWindow.repeated.first)
        #expect(repeated.count == 5)
        #expect(repeated.label == #"Bash {"command":"npm test"}"#)
        let trip = try #require(Self.breaker.trip(five, others: []))
        #expect(trip.pattern == .tight)
        #expect(trip.action == .stop)
        #expect(trip.call == repeated)
        #expect(trip.window == five.callWindow)
    }

    /// The same loop, written by agents of each dialect: six replies, the last five the same call.
    struct Conversation: CustomTestStringConvertible, Sendable {
        var agent: String
        var body: String
        var dialect: Dialect
        var label: String

        var testDescription: String { agent }
    }

    static let conversations = [
        Conversation(
            agent: "Claude Code", body: anthropic([[Call.bash("ls")]] + replies(npmTest, times: 5, of: 5)), dialect: .anthropic,
            label: #"Bash {"command":"npm test"}"#),
        Conversation(
            agent: "a Chat Completions agent", body: chat(["ls"] + Array(repeating: "pytest -x", count: 5)),
            dialect: .openAIChat, label: #"bash {"command":"pytest -x"}"#),
        Conversation(
            agent: "Codex", body: responses(["ls"] + Array(repeating: "cargo test", count: 5)), dialect: .openAIResponses,
            label: #"shell {"command":["bash","-lc","cargo test"]}"#),
        Conversation(
            agent: "mini-swe-agent", body: miniSWEAgent(["ls"] + Array(repeating: "python reproduce.py", count: 5)),
            dialect: .openAIChat, label: "python reproduce.py"),
    ]

    @Test(arguments: conversations)
    func everyDialectsLoopFillsTheSameWindow(_ conversation: Conversation) throws {
        let features = try Self.scan(conversation.body, conversation.dialect)
        #expect(features.shape == .toolFollowup)
        #expect(features.callWindow.replies == 6)
        #expect(features.callWindow.calls == 6)
        #expect(features.callWindow.distinct == 2)
        #expect(features.callWindow.repeated.count == 1)
        #expect(features.callWindow.repeated.first?.count == 5)
        #expect(features.callWindow.repeated.first?.label == conversation.label)
        let trip = try #require(Self.breaker.trip(features, others: []))
        #expect(trip.pattern == .tight)
        #expect(trip.call?.label == conversation.label)
    }

    @Test func aTextAgentsActionsAreComparedWithoutTheThoughtAroundThem() throws {
        let features = try Self.scan(Self.miniSWEAgent(Array(repeating: "python reproduce.py", count: 5)), .openAIChat)
        // Its whole messages differ, so the run of identical replies never starts...
        #expect(features.toolCallRepeats == 0)
        // ...but the same command is made five times.
        #expect(features.callWindow.repeated.map(\.count) == [5])
        #expect(features.lastToolNames == ["python"])
    }

    @Test func aUserTextMessageStartsANewWindow() throws {
        let calls = Self.replies(Self.npmTest, times: 7, of: 7)
        let unbroken = try Self.scan(Self.anthropic(calls))
        #expect(unbroken.callWindow.repeated.first?.count == 7)
        #expect(Self.breaker.trip(unbroken, others: []) != nil)

        // The user wrote after the fifth reply: only the two replies since count.
        let answered = try Self.scan(Self.anthropic(calls, interjection: 5))
        #expect(answered.shape == .toolFollowup)
        #expect(answered.callWindow.replies == 2)
        #expect(answered.callWindow.calls == 2)
        #expect(answered.callWindow.repeated.first?.count == 2)
        #expect(Self.breaker.trip(answered, others: []) == nil)

        // A turn that carries the user's words is no tool follow-up: it never trips.
        let userTurn = try Self.scan(Self.anthropic(calls, interjection: 7))
        #expect(userTurn.shape == .userTurn)
        #expect(Self.breaker.trip(userTurn, others: []) == nil)
    }

    @Test func onlyTheLatestWindowOfRepliesCounts() throws {
        // Five `npm test` runs, then seven reads: the first two runs fall out of a window of ten.
        let body = Self.anthropic(
            Self.replies(Self.npmTest, times: 5, of: 5) + (0..<7).map { [Call.read("src/later\($0).ts")] })
        let ten = try Self.scan(body)
        #expect(ten.callWindow.replies == 10)
        #expect(ten.callWindow.calls == 10)
        #expect(ten.callWindow.repeated.map(\.count) == [3])
        #expect(Self.breaker.trip(ten, others: []) == nil)

        let twelve = try Self.scan(body, window: 12)
        #expect(twelve.callWindow.replies == 12)
        #expect(twelve.callWindow.repeated.map(\.count) == [5])
        #expect(LoopBreaker(window: 12, action: .stop).trip(twelve, others: [])?.pattern == .tight)
    }

    // MARK: - The wide pattern

    static let wideBreaker = LoopBreaker(
        identical: 8, window: 10, action: .warn, wide: WideLoop(calls: 12, distinct: 5, action: .escalate))
    static let cycle: [Call] = [.read("src/a.ts"), .bash("ls src"), .read("src/b.ts"), .grep("TODO")]

    /// `count` replies of two calls each, going round `cycle`.
    static func cycling(_ count: Int) -> [[Call]] {
        (0..<count).map { reply in [cycle[(2 * reply) % 4], cycle[(2 * reply + 1) % 4]] }
    }

    @Test func aFullWindowOfFewDistinctCallsAndNoEditIsAWideLoop() throws {
        let features = try Self.scan(Self.anthropic(Self.cycling(10)))
        #expect(features.callWindow.replies == 10)
        #expect(features.callWindow.calls == 20)
        #expect(features.callWindow.distinct == 4)
        #expect(features.callWindow.repeated.map(\.count) == [5, 5, 5])
        #expect(features.history.repliesSinceEdit == 10)
        let trip = try #require(Self.wideBreaker.trip(features, others: []))
        #expect(trip.pattern == .wide)
        #expect(trip.action == .escalate)
        // The most repeated call, the first made among equals.
        #expect(trip.call?.label == #"Read {"file_path":"src/a.ts"}"#)
        #expect(trip.stopMessage.contains("made 20 tool calls, only 4 of them different, and edited nothing"))
        #expect(trip.stopMessage.contains(#"(most often: Read {"file_path":"src/a.ts"})"#))
        // Without a wide pattern, no call is repeated enough for a tight loop.
        #expect(LoopBreaker(identical: 8, action: .warn).trip(features, others: []) == nil)
    }

    @Test func anEditInTheWindowIsProgress() throws {
        var replies = Self.cycling(10)
        replies[8][1] = .edit("src/a.ts")
        let features = try Self.scan(Self.anthropic(replies))
        // As many calls, as few distinct ones (the edit is the fifth), but something changed.
        #expect(features.callWindow.calls == 20)
        #expect(features.callWindow.distinct == 5)
        #expect(features.history.repliesSinceEdit == 1)
        #expect(Self.wideBreaker.trip(features, others: []) == nil)
    }

    @Test func aWindowThatIsNotFullIsNoWideLoop() throws {
        let features = try Self.scan(Self.anthropic(Self.cycling(9)))
        #expect(features.callWindow.replies == 9)
        #expect(features.callWindow.calls == 18)
        #expect(Self.wideBreaker.trip(features, others: []) == nil)
    }

    // MARK: - Threads

    @Test func anotherThreadsRepeatsOfTheSameCallAddUp() throws {
        let main = try Self.scan(Self.anthropic([[Call.read("package.json")]] + Self.replies(Self.npmTest, times: 3, of: 3)))
        let subagent = try Self.scan(Self.anthropic(Self.replies(Self.npmTest, times: 2, of: 2)))
        let theirs = try #require(subagent.callWindow.repeated.first)
        #expect(theirs.count == 2)
        #expect(theirs.print == main.callWindow.repeated.first?.print)

        #expect(Self.breaker.trip(main, others: []) == nil)
        let trip = try #require(Self.breaker.trip(main, others: [theirs]))
        #expect(trip.pattern == .tight)
        #expect(trip.call?.count == 5)
        #expect(trip.call?.label == Self.npmTest.label)
        // Another call repeated elsewhere does not add to this one.
        let lint = try Self.scan(Self.anthropic(Self.replies(.bash("npm run lint"), times: 2, of: 2)))
        #expect(Self.breaker.trip(main, others: lint.callWindow.repeated) == nil)
    }

    @Test func theStopMessageNamesTheCall() throws {
        let features = try Self.scan(Self.anthropic(Self.replies(Self.npmTest, times: 5, of: 10)))
        let trip = try #require(Self.breaker.trip(features, others: []))
        let message = trip.stopMessage
        #expect(message.hasPrefix("Sluice stopped this agent: it is stuck in a loop."))
        #expect(message.contains("the same tool call 5 times in its latest 10 steps"))
        #expect(message.contains("\n\n    " + Self.npmTest.label + "\n\n"))
        #expect(message.contains("Nothing was sent to the model for this step."))
        #expect(message.contains("`loop_breaker:`"))
    }

    // MARK: - Through the plan

    static func policy(_ loopBreaker: String) throws -> RoutingPolicy {
        try RoutingPolicy(
            yaml: """
                version: 1
                upstreams:
                  anthropic: {dialect: anthropic, base_url: https://api.anthropic.com}
                models:
                  opus: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000, price: {input: 4, output: 20}}
                  haiku: {upstream: anthropic, id: claude-haiku-5-5, context_window: 1000000, price: {input: 0.10, output: 0.50}}
                baseline: {anthropic: opus}
                rules:
                  - {name: tool-loop, when: {shape: tool_followup}, route: haiku}
                  - {name: frontier, route: opus}
                loop_breaker: \(loopBreaker)
                """)
    }

    static func plan(
        _ policy: RoutingPolicy, _ body: String, headers: TurnHeaders = TurnHeaders(sluiceSession: "s1"),
        state: SessionState? = nil, at now: Int64 = 1_000
    ) throws -> TurnPlan {
        let scanned = try Array(body.utf8).withUnsafeBytes { raw in
            try policy.makeScanner().scan(raw, dialect: .anthropic, headers: headers)
        }
        return policy.plan(scanned, session: state, at: now, headers: headers)
    }

    static let looping = anthropic(replies(npmTest, times: 5, of: 6))

    @Test func stopAnswersTheAgentInsteadOfTheModel() throws {
        let plan = try Self.plan(try Self.policy("{action: stop}"), Self.looping)
        guard case .answer(let text) = plan.verdict else {
            Issue.record("not answered: \(plan.verdict)")
            return
        }
        #expect(text.contains(Self.npmTest.label))
        #expect(text.contains("5 times in its latest 6 steps"))
        #expect(plan.guards == [TurnGuard(.loopStop, "tight")])
        #expect(TurnGuard.written(plan.guards) == "loop-stop:tight")
        // Four repeats are no loop: the turn goes where its rule says.
        let fewer = try Self.plan(try Self.policy("{action: stop}"), Self.anthropic(Self.replies(Self.npmTest, times: 4, of: 6)))
        #expect(fewer.verdict == .forward)
        #expect(fewer.guards.isEmpty)
        #expect(fewer.decision.model == "haiku")
    }

    @Test func warnOnlySaysSo() throws {
        let plan = try Self.plan(try Self.policy("{action: warn}"), Self.looping)
        #expect(plan.verdict == .forward)
        #expect(plan.guards.map(\.written) == ["loop-warn:tight"])
        #expect(plan.decision.model == "haiku")
        #expect(plan.candidates.first?.model.name == "haiku")
    }

    @Test func escalateSendsTheTurnToTheBaseline() throws {
        let policy = try Self.policy("{action: escalate}")
        let plan = try Self.plan(policy, Self.looping)
        #expect(plan.verdict == .forward)
        #expect(plan.guards.map(\.written) == ["loop-escalate:tight"])
        #expect(plan.decision.rule == "tool-loop")
        #expect(plan.decision.model == "opus")
        #expect(plan.decision.modelID == "claude-opus-5-5")
        #expect(plan.candidates.first?.model.name == "opus")
        #expect(plan.decision.reason.contains("escalated to opus"))
        // Without the loop, the rule's model.
        let calm = try Self.plan(policy, Self.anthropic(Self.replies(Self.npmTest, times: 2, of: 6)))
        #expect(calm.decision.model == "haiku" && calm.guards.isEmpty)
    }

    @Test func aStoppedCallMadeAgainIsStoppedAtItsSecondRepeat() throws {
        let policy = try Self.policy("{action: stop}")
        let stopped = try Self.plan(policy, Self.looping)
        let record = TurnRecord(
            facts: stopped.facts(id: "t1", startedAtMilliseconds: 1_000, headers: TurnHeaders(sluiceSession: "s1")),
            outcome: TurnOutcome(status: .refused, httpStatus: 200))
        let state = SessionState.next(nil, after: stopped, record: record)
        #expect(state.stoppedCalls.count == 1)
        // An autonomous agent answers the stop with a message of its own and goes on: a new tool
        // loop, where the same call made twice is stopped again.
        let once = try Self.plan(policy, Self.anthropic(Self.replies(Self.npmTest, times: 1, of: 2)), state: state)
        #expect(once.verdict == .forward)
        let twice = try Self.plan(policy, Self.anthropic(Self.replies(Self.npmTest, times: 2, of: 3)), state: state)
        guard case .answer(let text) = twice.verdict else {
            Issue.record("not stopped again: \(twice.verdict)")
            return
        }
        #expect(text.contains("went back to a tool call Sluice already stopped, 2 times"))
        #expect(twice.loop?.again == true)
        // Another call repeated is no loop of that kind.
        let other = try Self.plan(policy, Self.anthropic(Self.replies(.bash("npm run lint"), times: 2, of: 3)), state: state)
        #expect(other.verdict == .forward)
    }

    @Test func aSubagentsRepeatsCountTowardTheMainThreadsLoop() throws {
        let policy = try Self.policy("{action: stop}")
        // A subagent of session s1 runs `npm test` twice: no loop of its own.
        let subHeaders = TurnHeaders(sluiceSession: "s1", agentID: "agent-7")
        let subPlan = try Self.plan(policy, Self.anthropic(Self.replies(Self.npmTest, times: 2, of: 3)), headers: subHeaders)
        #expect(subPlan.features.subagent == "agent-7")
        #expect(subPlan.verdict == .forward)
        let record = TurnRecord(
            facts: subPlan.facts(id: "t1", startedAtMilliseconds: 1_000, headers: subHeaders),
            outcome: TurnOutcome(status: .ok, httpStatus: 200, model: subPlan.candidates.first?.priced))
        let state = SessionState.next(nil, after: subPlan, record: record)
        #expect(state.loopThreads.map(\.thread) == ["agent-7"])
        #expect(state.repeatedCalls(otherThan: "main", at: 2_000).map(\.count) == [2])
        #expect(state.repeatedCalls(otherThan: "agent-7", at: 2_000).isEmpty)

        // The main agent runs it three times: alone no loop, with the subagent's two a stop.
        let mainBody = Self.anthropic(Self.replies(Self.npmTest, times: 3, of: 4))
        #expect(try Self.plan(policy, mainBody, at: 2_000).verdict == .forward)
        let stopped = try Self.plan(policy, mainBody, state: state, at: 2_000)
        guard case .answer(let text) = stopped.verdict else {
            Issue.record("not stopped: \(stopped.verdict)")
            return
        }
        #expect(text.contains("the same tool call 5 times"))
        #expect(stopped.guards.map(\.written) == ["loop-stop:tight"])
        // A thread idle past its lifetime no longer counts.
        let later = try Self.plan(
            policy, mainBody, state: state, at: 1_000 + SessionState.loopThreadLifetimeMilliseconds + 1)
        #expect(later.verdict == .forward)
    }
}
