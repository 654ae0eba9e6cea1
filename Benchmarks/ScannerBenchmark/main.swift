// Throughput of `JSONScanner` on agent request bodies, next to Foundation's `JSONSerialization`
// on the same bytes, and of the whole request scan routing runs (`RequestScanner`: the tape,
// the features, the history of every earlier reply, the session key). Wall-clock numbers, for
// local runs only (STYLE.md §4.19).
//
//   scripts/bench-scanner [--samples N] [--only TEXT]    (--only: the bodies whose name has TEXT)
//
// Bodies: ../shared/bench/fixtures/{openai,anthropic}-{small,medium,large}.json (2 KB, 60 KB,
// 600 KB) when present (or SLUICE_BENCH_FIXTURES=DIR), read at run time; otherwise generated
// bodies of the same sizes and shape. For each body and each reader: the median over N samples
// of the time per parse, each sample long enough (about 20 ms) to time well; MB/s = 10^6 bytes/s.

import Foundation
import SluiceRouting
import SluiceWire

// MARK: Bodies

struct Body {
    let name: String
    let bytes: [UInt8]
}

func fixtureDirectory() -> URL? {
    if let dir = ProcessInfo.processInfo.environment["SLUICE_BENCH_FIXTURES"] { return URL(fileURLWithPath: dir) }
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let shared = repo.appendingPathComponent("../shared/bench/fixtures").standardizedFileURL
    return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
}

func loadBodies() -> [Body] {
    let directory = fixtureDirectory()
    var bodies: [Body] = []
    for dialect in ["openai", "anthropic"] {
        for (size, target) in [("small", 2_000), ("medium", 60_000), ("large", 600_000)] {
            let name = "\(dialect)-\(size).json"
            if let directory, let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) {
                bodies.append(Body(name: name, bytes: Array(data)))
            } else {
                bodies.append(Body(name: "\(name) (generated)", bytes: generatedBody(anthropic: dialect == "anthropic", bytes: target)))
            }
        }
    }
    return bodies
}

/// An agent-shaped body of about `bytes` bytes: a system prompt, tools, and a loop of tool calls
/// whose results are source code and build output (escaped newlines, quotes, some non-ASCII).
func generatedBody(anthropic: Bool, bytes: Int) -> [UInt8] {
    var random = UInt64(0x5EED)
    func next() -> Int {
        random = random &* 6364136223846793005 &+ 1442695040888963407
        return Int(truncatingIfNeeded: random >> 33)
    }
    let lines = [
        "func scan(_ bytes: UnsafeRawBufferPointer) throws -> Tape {", "    let count = bytes.count // \u{2014} bytes",
        "Tests/GatewayTests/RouterTests.swift:42: error: \"expected 200\"", "\tif value == nil { return \"none\" }",
        "Compiling SluiceWire JSONScanner.swift (caf\u{e9})", "}",
    ]
    func text(_ length: Int) -> String {
        var out = ""
        while out.utf8.count < length { out += lines[next() % lines.count] + "\n" }
        return out
    }
    func quoted(_ string: String) -> String { JSONStringDecoder.quoted(string) }
    var messages: [String] = [#"{"role":"user","content":\#(quoted(text(300)))}"#]
    var turn = 0
    while messages.joined().utf8.count < bytes - 1_200 {
        turn += 1
        let command = quoted("rg -n \"scan\" Sources --type swift | head -\(turn)")
        let output = quoted(text(min(4_000, max(200, (bytes - messages.joined().utf8.count) / 3))))
        if anthropic {
            messages.append(#"{"role":"assistant","content":[{"type":"text","text":"Looking."},{"type":"tool_use","id":"toolu_\#(turn)","name":"Bash","input":{"command":\#(command)}}]}"#)
            messages.append(#"{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_\#(turn)","content":\#(output)}]}"#)
        } else {
            messages.append(#"{"role":"assistant","content":null,"tool_calls":[{"id":"call_\#(turn)","type":"function","function":{"name":"shell","arguments":\#(quoted("{\"command\":\(command)}"))}}]}"#)
            messages.append(#"{"role":"tool","tool_call_id":"call_\#(turn)","content":\#(output)}"#)
        }
    }
    let tools = #"[{"name":"Bash","description":"Run a command","input_schema":{"type":"object","properties":{"command":{"type":"string"}}}}]"#
    let body = #"{"model":"\#(anthropic ? "claude-sonnet-4-5" : "gpt-5")","max_tokens":32000,"stream":true,"tools":\#(tools),"messages":[\#(messages.joined(separator: ","))]}"#
    return Array(body.utf8)
}

// MARK: Readers

/// What routing reads from a body: the model, a few options, the last message and its last
/// block, and the tools that the previous assistant turn called.
@inline(never)
func readFeatures(_ document: JSONDocument) -> Int {
    let root = document.root
    var total = root["model"]?.string?.utf8.count ?? 0
    total &+= root["max_tokens"]?.int ?? root["max_completion_tokens"]?.int ?? 0
    total &+= root["stream"]?.bool == true ? 1 : 0
    total &+= root["tools"]?.count ?? 0
    let messages = root["messages"]
    total &+= messages?.count ?? 0
    if let last = messages?.lastElement {
        total &+= last["role"]?.isString("user") == true ? 1 : 0
        if let block = last["content"]?.lastElement {
            total &+= block["type"]?.isString("tool_result") == true ? 1 : 0
            total &+= block["content"]?.byteRange.count ?? 0
        } else {
            total &+= last["content"]?.byteRange.count ?? 0
        }
    }
    for message in messages.elementsIfAny where message["role"]?.isString("assistant") == true {
        for block in message["content"].elementsIfAny where block["type"]?.isString("tool_use") == true {
            total &+= block["name"]?.string?.utf8.count ?? 0
        }
        for call in message["tool_calls"].elementsIfAny {
            total &+= call[path: "function", "name"]?.string?.utf8.count ?? 0
        }
    }
    return total
}

nonisolated(unsafe) var sink = 0

/// Median seconds per call of `body` over `samples` samples of about 20 ms each.
func measure(samples: Int, _ body: () -> Int) -> Double {
    let clock = ContinuousClock()
    var iterations = 1
    while true {
        let elapsed = clock.measure { for _ in 0..<iterations { sink &+= body() } }
        if elapsed >= .milliseconds(20) || iterations >= 1 << 24 { break }
        iterations *= 2
    }
    var times: [Double] = []
    for _ in 0..<samples {
        let elapsed = clock.measure { for _ in 0..<iterations { sink &+= body() } }
        times.append(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
    }
    return times.sorted()[samples / 2] / Double(iterations)
}

// MARK: Main

let arguments = CommandLine.arguments
let samples = arguments.firstIndex(of: "--samples").flatMap { Int(arguments[$0 + 1]) } ?? 15
let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }
let bodies = loadBodies().filter { only == nil || $0.name.contains(only!) }
print("JSON scanner throughput, MB/s (10^6 bytes/s), median of \(samples) samples; fixtures: \(fixtureDirectory()?.path ?? "generated")")
func column(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
print(
    "body".padding(toLength: 34, withPad: " ", startingAt: 0) + column("bytes", 9) + column("values", 9) + column("scan", 10)
        + column("scan+read", 11) + column("features", 10) + column("µs/body", 9) + column("Foundation", 12)
        + column("scan/Fdn", 10))
let scanner = RequestScanner()
for body in bodies {
    let data = Data(body.bytes)
    let dialect: Dialect = body.name.hasPrefix("anthropic") ? .anthropic : .openAIChat
    let (scan, scanAndRead, features, values) = body.bytes.withUnsafeBytes { raw in
        let values = (try? JSONScanner.scan(raw).entries.count) ?? -1
        let scan = measure(samples: samples) { (try? JSONScanner.scan(raw).entries.count) ?? 0 }
        let scanAndRead = measure(samples: samples) {
            guard let document = try? JSONDocument(bytes: raw) else { return 0 }
            return readFeatures(document)
        }
        let features = measure(samples: samples) {
            (try? scanner.scan(raw, dialect: dialect, headers: TurnHeaders()))?.features.promptTokens ?? 0
        }
        return (scan, scanAndRead, features, values)
    }
    let foundation = measure(samples: samples) {
        ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?.count ?? 0
    }
    let megabytes = Double(body.bytes.count) / 1e6
    print(
        body.name.padding(toLength: 34, withPad: " ", startingAt: 0) + column("\(body.bytes.count)", 9)
            + column("\(values)", 9) + column(String(format: "%.0f", megabytes / scan), 10)
            + column(String(format: "%.0f", megabytes / scanAndRead), 11)
            + column(String(format: "%.0f", megabytes / features), 10) + column(String(format: "%.1f", features * 1e6), 9)
            + column(String(format: "%.1f", megabytes / foundation), 12)
            + column(String(format: "%.0fx", foundation / scan), 10))
}
if sink == 42 { print("") }
