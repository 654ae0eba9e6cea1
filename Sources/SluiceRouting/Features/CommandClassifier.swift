/// Classifies a shell command line by the programs it runs.
///
/// `cd /testbed && grep -rn foo . | head` is a `search`; `cat > f.py << 'EOF'` writes a file, so it
/// is an `edit`; `python -m pytest` is a `test`. A pipeline or list takes the strongest category
/// among its parts: test, then edit, then exec, then search, read, list.
package enum CommandClassifier {
    /// The category of `command`.
    package static func category(of command: String) -> ToolCategory {
        var best: ToolCategory?
        for segment in segments(of: withoutHeredocBodies(command)) {
            guard let category = category(ofSegment: segment) else { continue }
            if best == nil || rank(category) > rank(best!) { best = category }
        }
        return best ?? .exec
    }

    private static func rank(_ category: ToolCategory) -> Int {
        switch category {
        case .test: 6
        case .edit: 5
        case .exec, .web, .agent, .plan, .other: 4
        case .search: 3
        case .read: 2
        case .list: 1
        }
    }

    /// Drops the bodies of here-documents: the text written to a file is not a command.
    static func withoutHeredocBodies(_ command: String) -> String {
        guard command.contains("<<") else { return command }
        var kept: [Substring] = []
        var delimiter: Substring?
        for line in command.split(separator: "\n", omittingEmptySubsequences: false) {
            if let end = delimiter {
                if line.trimmingPrefix(while: { $0 == " " || $0 == "\t" }) == end { delimiter = nil }
                continue
            }
            kept.append(line)
            if let marker = line.firstRange(of: "<<") {
                var word = line[marker.upperBound...].drop(while: { $0 == "-" || $0 == "~" || $0 == " " })
                word = word.prefix(while: { $0 != " " && $0 != ";" && $0 != ")" })
                let bare = word.filter { $0 != "'" && $0 != "\"" }
                if !bare.isEmpty && !word.hasPrefix("<") { delimiter = Substring(bare) }
            }
        }
        return kept.joined(separator: "\n")
    }

    /// Splits on `&&`, `||`, `;`, `|` and newlines, outside quotes.
    static func segments(of command: String) -> [[Substring]] {
        var result: [[Substring]] = []
        var current = ""
        var quote: Character?
        var previous: Character = " "
        func flush() {
            let words = current.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if !words.isEmpty { result.append(words) }
            current = ""
        }
        for character in command {
            if let open = quote {
                current.append(character)
                if character == open && previous != "\\" { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
                current.append(character)
            } else if character == ";" || character == "|" || character == "&" || character == "\n" {
                // `2>&1` keeps its ampersand: it is a redirection, not a list separator.
                if character == "&" && previous == ">" {
                    current.append(character)
                } else {
                    flush()
                }
            } else {
                current.append(character)
            }
            previous = character
        }
        flush()
        return result
    }

    private static let searchPrograms: Set<String> = ["grep", "egrep", "fgrep", "rg", "ag", "ack", "find", "fd", "fdfind",
                                                      "locate", "bfs", "ugrep", "git-grep"]
    private static let readPrograms: Set<String> = ["cat", "head", "tail", "less", "more", "nl", "bat", "wc", "file",
                                                    "stat", "xxd", "od", "hexdump", "strings", "diff", "cmp", "jq",
                                                    "readlink", "realpath", "which", "type", "sort", "uniq", "cut"]
    private static let listPrograms: Set<String> = ["ls", "tree", "du", "pwd", "exa", "eza"]
    private static let editPrograms: Set<String> = ["patch", "apply_patch", "tee", "touch", "mkdir", "rm", "rmdir",
                                                    "mv", "cp", "ln", "chmod", "truncate", "applypatch"]
    private static let testRunners: Set<String> = ["pytest", "py.test", "jest", "vitest", "mocha", "rspec", "tox",
                                                   "nox", "phpunit", "ctest", "ava", "karma", "nosetests", "trial"]
    /// Programs whose `test` subcommand runs tests (`go test`, `cargo test`, `npm test`, `mise run test`).
    private static let testSubcommandHosts: Set<String> = ["go", "cargo", "swift", "npm", "yarn", "pnpm", "bun",
                                                           "deno", "make", "mvn", "gradle", "./gradlew", "dotnet",
                                                           "mix", "sbt", "mise", "just", "task", "rake", "bundle",
                                                           "poetry", "uv", "hatch", "pdm", "lein", "stack", "zig"]
    private static let wrappers: Set<String> = ["sudo", "time", "timeout", "nice", "env", "command", "exec", "xargs",
                                                "nohup", "stdbuf"]

    /// The category of one simple command, or `nil` for navigation (`cd`) and comments.
    static func category(ofSegment words: [Substring]) -> ToolCategory? {
        var index = 0
        // Skip environment assignments and wrappers (`FOO=1 timeout 60 pytest`).
        while index < words.count {
            let word = words[index]
            if word.contains("=") && !word.hasPrefix("-") && !word.hasPrefix("=") && word.first?.isLetter == true {
                index += 1
            } else if wrappers.contains(String(word)) {
                index += 1
                // `timeout 60`: skip the duration too.
                if word == "timeout", index < words.count, words[index].first?.isNumber == true { index += 1 }
            } else {
                break
            }
        }
        guard index < words.count else { return nil }
        let program = String(words[index].split(separator: "/").last ?? words[index])
        let rest = words[(index + 1)...]
        if program.hasPrefix("#") || program == "cd" || program == "pushd" || program == "popd" || program == "true"
            || program == "source" || program == "." || program == "export" || program == "set"
        {
            return nil
        }
        // Writing a file through a redirection (`cat > f << EOF`, `echo x >> f`) is an edit.
        if writesFile(words) { return .edit }
        if testRunners.contains(program) { return .test }
        if program == "python" || program == "python3" || program.hasPrefix("python3.") {
            if rest.starts(with: ["-m", "pytest"]) || rest.starts(with: ["-m", "unittest"]) || rest.starts(with: ["-m", "tox"]) {
                return .test
            }
            if let first = rest.first, first.hasPrefix("runtests") || first.hasPrefix("tests/runtests") || first.contains("test_") {
                return .test
            }
            return .exec
        }
        if testSubcommandHosts.contains(program) {
            let words = rest.filter { !$0.hasPrefix("-") }
            if let sub = words.first, isTestWord(sub) { return .test }
            if let sub = words.first, sub == "run" || sub == "exec", let task = words.dropFirst().first, isTestWord(task) {
                return .test
            }
            return .exec
        }
        if program == "git" {
            guard let sub = rest.first(where: { !$0.hasPrefix("-") }) else { return .exec }
            switch sub {
            case "grep": return .search
            case "show", "diff", "log", "blame", "cat-file", "ls-tree", "ls-files", "shortlog": return .read
            case "status", "branch": return .list
            case "apply", "am", "checkout", "restore", "mv", "rm": return .edit
            default: return .exec
            }
        }
        if program == "sed" {
            return rest.contains(where: { $0.hasPrefix("-i") || $0 == "--in-place" }) ? .edit : .read
        }
        if program == "perl" {
            return rest.contains(where: { $0.hasPrefix("-pi") || $0.hasPrefix("-i") }) ? .edit : .exec
        }
        if program == "awk" || program == "gawk" { return .read }
        if searchPrograms.contains(program) { return .search }
        if readPrograms.contains(program) { return .read }
        if listPrograms.contains(program) { return .list }
        if editPrograms.contains(program) { return .edit }
        return .exec
    }

    private static func isTestWord(_ word: Substring) -> Bool {
        word == "test" || word == "tests" || word.hasPrefix("test:") || word.hasPrefix("test-") || word == "check"
            || word == "spec"
    }

    /// Whether the command redirects output into a file (not `/dev/null`, not another descriptor).
    private static func writesFile(_ words: [Substring]) -> Bool {
        for (offset, word) in words.enumerated() {
            guard let arrow = word.firstIndex(of: ">") else { continue }
            // Only a redirection of stdout (`>`, `>>`, `1>`), not `2>` to a file or `>&`.
            let before = word[word.startIndex..<arrow]
            if !(before.isEmpty || before == "1") { continue }
            var target = word[word.index(after: arrow)...]
            if target.hasPrefix(">") { target = target.dropFirst() }
            if target.hasPrefix("&") { continue }
            if target.isEmpty { target = offset + 1 < words.count ? words[offset + 1] : "" }
            if target.isEmpty || target == "/dev/null" || target.hasPrefix("/dev/std") { continue }
            return true
        }
        return false
    }
}
