import SluiceWire

/// A tool call the model made: its name and what category of work it was.
struct ToolCallInfo {
    var name: String
    var category: ToolCategory
    /// Whether the category came from a shell command (its output may then report failure in text).
    var viaShell: Bool

    /// Classifies a call from its name and its input: an object, or a JSON string of one.
    init(name: String, input: JSONValue?, catalog: ToolCatalog) {
        self.name = name
        switch catalog.entry(for: name) {
        case .fixed(let category):
            self.category = category
            viaShell = false
        case .shell:
            let command = input.flatMap { Self.withArguments($0, Self.command(in:)) }
            self.category = command.map(CommandClassifier.category(of:)) ?? .exec
            viaShell = true
        case .editor:
            let action = input.flatMap { Self.withArguments($0) { $0["command"]?.string } }
            self.category = action == "view" ? .read : .edit
            viaShell = false
        }
    }

    /// Classifies an action a text-protocol agent wrote out: a tool of its own by name (`open`,
    /// `search_dir`, `edit`) when the catalog knows the first word, a shell command otherwise.
    init(textAction: String, catalog: ToolCatalog) {
        let word = String(textAction.prefix { !$0.isWhitespace })
        name = word
        switch catalog.knownEntry(for: word) {
        case .fixed(let category)?:
            self.category = category
            viaShell = false
        case .editor?:
            self.category = .edit
            viaShell = false
        case .shell?, nil:
            self.category = CommandClassifier.category(of: textAction)
            viaShell = true
        }
    }

    /// Runs `body` on the arguments object, decoding it first when it is a JSON string (OpenAI).
    static func withArguments<T>(_ input: JSONValue, _ body: (JSONValue) -> T?) -> T? {
        switch input.kind {
        case .object:
            return body(input)
        case .string:
            guard var text = input.string else { return nil }
            return text.withUTF8 { utf8 -> T? in
                guard let document = try? JSONDocument(bytes: UnsafeRawBufferPointer(utf8)) else { return nil }
                return body(document.root)
            }
        default:
            return nil
        }
    }

    /// The command line in a shell tool's arguments: `command` (string or argv), or `cmd`.
    static func command(in arguments: JSONValue) -> String? {
        if let command = arguments["command"] ?? arguments["cmd"] ?? arguments["commands"] {
            if let text = command.string { return text }
            let argv = command.elements.compactMap(\.string)
            guard !argv.isEmpty else { return nil }
            // `["bash", "-lc", "rg foo"]`: the script is the argument after the flag.
            if let flag = argv.firstIndex(where: { $0 == "-lc" || $0 == "-c" }), flag + 1 < argv.count {
                return argv[flag + 1]
            }
            return argv.joined(separator: " ")
        }
        return nil
    }
}
