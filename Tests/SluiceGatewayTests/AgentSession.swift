import Foundation

/// A fix-the-failing-test session as a coding agent sends it, turn by turn, in any dialect.
///
/// Each step is a tool call the model made and the result the agent sends back; the request of
/// step `n` carries the whole history up to it, as agents do. Derived from what real sessions
/// look like (read the code, run the tests, see them fail, edit, run them again), not copied.
struct AgentSession {
    struct Step {
        /// The shell command (OpenAI dialects) or the tool and its input (Anthropic).
        var command: String
        var tool: String
        var input: String
        var output: String
        var failed: Bool
    }

    var task = "The test test_add in test_calc.py fails. Fix calc.py so that it passes."
    var system = "You are a careful software engineer working in a git repository."
    var steps: [Step] = []

    /// The session of the shipped policy's story: read, a failing test, an edit, a passing test, a search.
    static let fixTheTest = AgentSession(steps: [
        Step(command: "cat calc.py", tool: "Read", input: #"{"file_path":"calc.py"}"#,
             output: "def add(a, b):\n    return a - b\n", failed: false),
        Step(command: "python -m pytest -q test_calc.py", tool: "Bash", input: #"{"command":"python -m pytest -q test_calc.py"}"#,
             output: "F\n=== FAILURES ===\nE   assert -1 == 3\n1 failed, 0 passed in 0.02s\nExit code: 1", failed: true),
        Step(command: "sed -i 's/a - b/a + b/' calc.py", tool: "Edit",
             input: #"{"file_path":"calc.py","old_string":"a - b","new_string":"a + b"}"#, output: "", failed: false),
        Step(command: "python -m pytest -q test_calc.py", tool: "Bash", input: #"{"command":"python -m pytest -q test_calc.py"}"#,
             output: "1 passed in 0.01s", failed: false),
        Step(command: "grep -n 'def ' calc.py", tool: "Grep", input: #"{"pattern":"def ","path":"calc.py"}"#,
             output: "1:def add(a, b):", failed: false),
    ])

    /// The request body of turn `turn` (0 is the user's task, `n` carries the results of step `n`).
    func body(turn: Int, dialect: String, model: String) -> String {
        let done = steps.prefix(turn)
        switch dialect {
        case "anthropic":
            var messages = [#"{"role":"user","content":\#(Self.quoted(task))}"#]
            for (index, step) in done.enumerated() {
                messages.append(
                    #"{"role":"assistant","content":[{"type":"tool_use","id":"toolu_\#(index)","name":"\#(step.tool)","input":\#(step.input)}]}"#)
                messages.append(
                    #"{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_\#(index)","content":\#(Self.quoted(step.output)),"is_error":\#(step.failed)}]}"#)
            }
            return #"{"model":"\#(model)","max_tokens":32000,"system":\#(Self.quoted(system)),"tools":[{"name":"Bash","input_schema":{}},{"name":"Read","input_schema":{}}],"messages":[\#(messages.joined(separator: ","))]}"#
        case "openai-chat":
            var messages = [
                #"{"role":"system","content":\#(Self.quoted(system))}"#, #"{"role":"user","content":\#(Self.quoted(task))}"#,
            ]
            for (index, step) in done.enumerated() {
                let arguments = Self.quoted(#"{"command":\#(Self.quoted(step.command))}"#)
                messages.append(
                    #"{"role":"assistant","content":null,"tool_calls":[{"id":"call_\#(index)","type":"function","function":{"name":"bash","arguments":\#(arguments)}}]}"#)
                messages.append(#"{"role":"tool","tool_call_id":"call_\#(index)","content":\#(Self.quoted(step.output))}"#)
            }
            return #"{"model":"\#(model)","tools":[{"type":"function","function":{"name":"bash","parameters":{}}}],"messages":[\#(messages.joined(separator: ","))]}"#
        default:
            var items = [
                #"{"type":"message","role":"user","content":[{"type":"input_text","text":\#(Self.quoted(task))}]}"#
            ]
            for (index, step) in done.enumerated() {
                let arguments = Self.quoted(#"{"command":["bash","-lc",\#(Self.quoted(step.command))]}"#)
                items.append(#"{"type":"function_call","call_id":"call_\#(index)","name":"shell","arguments":\#(arguments)}"#)
                items.append(#"{"type":"function_call_output","call_id":"call_\#(index)","output":\#(Self.quoted(step.output))}"#)
            }
            return #"{"model":"\#(model)","instructions":\#(Self.quoted(system)),"tools":[{"type":"function","name":"shell","parameters":{}}],"input":[\#(items.joined(separator: ","))]}"#
        }
    }

    static func quoted(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
