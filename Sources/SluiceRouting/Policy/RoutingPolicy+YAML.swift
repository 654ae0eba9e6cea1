import Yams

extension RoutingPolicy {
    /// Reads and checks a policy document.
    ///
    /// The whole document is checked in one pass and every problem is reported, each with its path
    /// and line, so a user fixes them all at once:
    ///
    /// ```
    /// models.haiku.price.cache_read: "abc" is not a price in dollars per million tokens (line 18)
    /// rules[0].when.shap: unknown condition (did you mean "shape"?) (line 31)
    /// rules[2].route: unknown model "gpt-x" (line 41)
    /// ```
    ///
    /// Besides the shape of each part, it checks that names resolve (routes and baselines name
    /// models, models name upstreams), that every dialect some rule can route has a baseline that
    /// speaks it, and that no rule is dead: one whose model cannot speak any client dialect it
    /// allows, or one an earlier rule always takes first.
    ///
    /// - Parameters:
    ///   - yaml: The policy file's text.
    ///   - include: Reads a file the policy names (`prices: prices.yaml`), by the path as written;
    ///     the caller resolves it (relative to the policy file) and does the I/O, so this stays pure.
    ///     Without it, a policy that includes a file is refused.
    /// - Throws: `PolicyError` listing every problem, in line order; a YAML syntax error is reported
    ///   alone, since nothing after it can be read.
    package init(yaml: String, include: ((String) throws -> String)? = nil) throws(PolicyError) {
        let root: Node?
        do {
            // An explicit encoding: the default one reads an environment variable, and this
            // module does no I/O.
            root = try Yams.compose(yaml: yaml, .default, .default, .utf8)
        } catch {
            throw PolicyError(problems: [Self.syntaxProblem(error, in: yaml)])
        }
        guard let root else {
            throw PolicyError(problems: [
                PolicyProblem(
                    path: "",
                    message: "the policy is empty; it needs version, upstreams, models, baseline "
                        + "and rules")
            ])
        }
        var reader = PolicyReader()
        reader.include = include
        let draft = reader.readDocument(root)
        reader.crossCheck(draft)
        guard reader.problems.isEmpty else {
            // Stable: problems on one line keep the order they were found in.
            let ordered = reader.problems.enumerated().sorted {
                ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset)
            }
            throw PolicyError(problems: ordered.map(\.element))
        }
        self.init(
            upstreams: draft.upstreams, models: draft.models, baselines: draft.resolvedBaselines, rules: draft.rules,
            toolCategoryOverrides: draft.toolCategoryOverrides, stickiness: draft.stickiness,
            priceBook: draft.priceBook, experiments: draft.resolvedExperiments,
            shadows: draft.shadows, nextMoveModel: draft.nextMoveModel, budgets: draft.budgets,
            loopBreaker: draft.loopBreaker, anomalies: draft.anomalies)
    }

    /// A YAML error as a problem with the line it happened on.
    static func syntaxProblem(_ error: any Error, in yaml: String) -> PolicyProblem {
        guard let error = error as? YamlError else {
            return PolicyProblem(path: "", message: "YAML could not be read: \(error)")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            // The context says where the construct that failed began, often far above the
            // line libyaml stopped on (an unclosed bracket is only noticed at the end).
            let during =
                context.map { $0.mark.line == mark.line ? " (\($0.text))" : " (\($0.text) from line \($0.mark.line))" }
                ?? ""
            return PolicyProblem(path: "", message: "YAML syntax error: \(problem)\(during)", line: mark.line)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            let noun = duplicates.count == 1 ? "key" : "keys"
            return PolicyProblem(
                path: "", message: "duplicate \(noun) \(keys) in one mapping", line: context.mark.line)
        case .reader(let problem, let offset, _, _):
            let line = offset.map { yaml.prefix($0).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
            return PolicyProblem(path: "", message: "YAML could not be read: \(problem)", line: line)
        default:
            return PolicyProblem(path: "", message: "YAML could not be read: \(error)")
        }
    }
}
