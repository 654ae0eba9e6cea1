import SluiceWire
import Yams

/// The `baseline:` section: the model every turn is priced against, one for all dialects its
/// upstream speaks or one per client dialect.
///
/// Once every section is read, checks that each baseline names a model that speaks its dialect.
extension PolicyReader {
    mutating func readBaselines(_ node: Node, into draft: inout PolicyDraft) {
        draft.baselines = readBaselines(node, paths: &draft.baselinePaths)
    }

    private mutating func readBaselines(_ node: Node, paths: inout [Dialect: String]) -> PolicyDraft.Baselines? {
        if case .scalar = node {
            return name(node, at: "baseline", expecting: "a model name, or a mapping of client dialects to model names")
                .map(PolicyDraft.Baselines.single)
        }
        guard
            let entries = entries(
                of: node, at: "baseline", expecting: "a model name, or a mapping of client dialects to model names")
        else { return nil }
        var names: [Dialect: String] = [:]
        var sound = true
        for (word, value) in entries {
            let path = Self.path("baseline", word)
            guard let dialects = Self.dialectWords[word] else {
                report(path, "unknown dialect\(Self.dialectHelp(for: word))")
                sound = false
                continue
            }
            guard let model = name(value, at: path, expecting: "a model name") else {
                sound = false
                continue
            }
            for dialect in dialects.sorted(by: { $0.rawValue < $1.rawValue }) {
                if let earlier = names[dialect], earlier != model {
                    report(path, "sets the \(dialect.rawValue) baseline a second time (\"\(earlier)\" before)")
                    sound = false
                }
                names[dialect] = model
                paths[dialect] = path
            }
        }
        if entries.isEmpty {
            report("baseline", "names no model", at: node)
            return nil
        }
        return sound ? .perDialect(names) : nil
    }

    mutating func checkBaselines(_ draft: PolicyDraft) {
        switch draft.baselines {
        case nil:
            return
        case .single(let name):
            checkModelName(name, at: "baseline", draft: draft)
        case .perDialect(let names):
            var reported: Set<String> = []
            for dialect in Dialect.allCases {
                guard let name = names[dialect], let path = draft.baselinePaths[dialect] else { continue }
                guard checkModelName(name, at: path, draft: draft, reportOnce: &reported) else { continue }
                guard let model = draft.models[name], let upstream = draft.upstreams[model.upstream] else { continue }
                if !upstream.speaks(dialect) {
                    report(
                        path,
                        "model \"\(name)\" is served by upstream \"\(upstream.name)\", which does not speak "
                            + "\(dialect.rawValue)")
                }
            }
        }
    }

    /// Whether the baselines were read well enough that a missing dialect is a real gap rather than
    /// an echo of a problem already reported.
    static func baselinesAreReadable(_ draft: PolicyDraft) -> Bool {
        switch draft.baselines {
        case nil: false
        case .single(let name): draft.models[name].flatMap { draft.upstreams[$0.upstream] } != nil
        case .perDialect: true
        }
    }

    static func baselineHint(_ draft: PolicyDraft, missing dialect: Dialect) -> String {
        guard case .single(let name) = draft.baselines else { return "" }
        return "; baseline \"\(name)\" covers only the dialects its upstream speaks, so name one per client "
            + "dialect, such as baseline: {anthropic: ..., \(dialect.rawValue): ...}"
    }
}
