import SluiceWire

/// Reasoning about what conditions accept without a turn in hand, for the checks that call a rule
/// dead: shadowed by an earlier rule, contradicting itself, or unable to serve any client.
///
/// Every answer here errs one way. `covers`, `implies` and `excludes` say `true` only when it is
/// certain (a policy check that calls a live rule dead would be believed, and the rule deleted);
/// `possibleClients` may name a dialect no turn can have, never leave one out. With `any`, `all`
/// and `not` exact answers would mean solving satisfiability, so these prove what a few sound
/// steps can and answer "not proven" otherwise.
///
/// The proofs recurse through both sides, and deeply nested conditions could make them take
/// exponentially many steps; each question gets a budget of ``proofSteps`` and is "not proven" when
/// the budget runs out. That is safe because no answer is ever negated: "not proven" only means a
/// problem is not reported.
extension RuleConditions {
    /// Steps one question may take. Real policies need a few dozen; a file of deeply nested
    /// conditions is cut short instead of stalling `policy check` or a reload.
    static let proofSteps = 10_000

    /// Whether every turn that satisfies `other` also satisfies these conditions.
    ///
    /// Used to find rules that can never match because an earlier rule takes all their turns.
    func covers(_ other: RuleConditions) -> Bool {
        var steps = Self.proofSteps
        return other.implies(self, steps: &steps)
    }

    /// Whether every turn that satisfies these conditions also satisfies `target`.
    func implies(_ target: RuleConditions) -> Bool {
        var steps = Self.proofSteps
        return implies(target, steps: &steps)
    }

    /// Whether no turn can satisfy these conditions and `other` both.
    func excludes(_ other: RuleConditions) -> Bool {
        var steps = Self.proofSteps
        return excludes(other, steps: &steps)
    }

    /// Whether no turn can satisfy these conditions at all: they contradict each other, as in
    /// `{shape: side_call, not: {shape: side_call}}`.
    var isContradictory: Bool {
        excludes(self)
    }

    /// The client dialects a turn that satisfies these conditions can have: every dialect the
    /// top-level `client` allows, narrowed by each `all` branch and by the union of the `any`
    /// branches. A `not` is left out, which can only make the set larger than it is.
    var possibleClients: Set<Dialect> {
        var result = client ?? Set(Dialect.allCases)
        for branch in allOf ?? [] {
            result.formIntersection(branch.possibleClients)
        }
        if let anyOf {
            result.formIntersection(anyOf.reduce(into: Set<Dialect>()) { $0.formUnion($1.possibleClients) })
        }
        return result
    }

    // MARK: - Proofs

    private func implies(_ target: RuleConditions, steps: inout Int) -> Bool {
        target.allConditions { implies($0, steps: &steps) }
    }

    private func excludes(_ other: RuleConditions, steps: inout Int) -> Bool {
        guard Self.take(&steps) else { return false }
        if clashes(with: other) { return true }
        // This side says not(M) and the other implies M, or the other way round.
        if let negated = not, other.implies(negated, steps: &steps) { return true }
        if let negated = other.not, implies(negated, steps: &steps) { return true }
        // One conjunct excluding the other side is enough; so is every alternative excluding it.
        if allOf?.contains(where: { $0.excludes(other, steps: &steps) }) == true { return true }
        if other.allOf?.contains(where: { excludes($0, steps: &steps) }) == true { return true }
        if anyOf?.allSatisfy({ $0.excludes(other, steps: &steps) }) == true { return true }
        if other.anyOf?.allSatisfy({ excludes($0, steps: &steps) }) == true { return true }
        return false
    }

    /// Whether every turn that satisfies these conditions satisfies `condition`: a plain condition
    /// of this mapping says so, or one `all` branch does, or every `any` branch does.
    private func implies(_ condition: RuleCondition, steps: inout Int) -> Bool {
        guard Self.take(&steps) else { return false }
        return directlyImplies(condition, steps: &steps)
            || allOf?.contains(where: { $0.implies(condition, steps: &steps) }) == true
            || anyOf?.allSatisfy({ $0.implies(condition, steps: &steps) }) == true
    }

    /// Spends one step of the budget; `false` once it is spent.
    private static func take(_ steps: inout Int) -> Bool {
        steps -= 1
        return steps >= 0
    }

    private func directlyImplies(_ condition: RuleCondition, steps: inout Int) -> Bool {
        switch condition {
        case .client(let allowed):
            return Self.includes(allowed, client)
        case .shape(let allowed):
            return Self.includes(allowed, shape)
        case .lastMessage(let allowed):
            return Self.includes(allowed, lastMessage)
        case .lastToolCategories(let allowed):
            // Left out, this mapping also accepts turns without tool results, which any list rejects.
            guard let mine = lastToolCategories else { return false }
            return mine.isSubset(of: allowed)
        case .flag(let flag, let wanted):
            return self[flag: flag] == wanted
        case .requestedModel(let patterns):
            if patterns.contains(where: \.matchesEverything) { return true }
            guard let mine = requestedModel else { return false }
            return mine.allSatisfy { pattern in patterns.contains { $0.isEquivalent(to: pattern) } }
        case .count(let count, let range):
            // Every count but max_tokens, new_prompt_tokens and p_cheap is always present and
            // never negative; a request may have no max_tokens, a session's first turn no
            // new_prompt_tokens, and a policy without a model no p_cheap, which no range accepts.
            let mine = self[count: count] ?? (count.mayBeAbsent ? nil : CountRange(min: 0))
            return mine.map(range.includes) ?? false
        case .any(let branches):
            return branches.contains { implies($0, steps: &steps) }
        case .all(let branches):
            return branches.allSatisfy { implies($0, steps: &steps) }
        case .not(let negated):
            return excludes(negated, steps: &steps)
        }
    }

    /// Set-valued conditions: absent means every value of the type.
    private static func includes<Value: CaseIterable & Hashable>(_ allowed: Set<Value>, _ mine: Set<Value>?) -> Bool {
        (mine ?? Set(Value.allCases)).isSubset(of: allowed)
    }

    // MARK: - Clashes

    /// Whether a plain condition here and the same condition in `other` accept no value in common.
    private func clashes(with other: RuleConditions) -> Bool {
        if Self.disjoint(client, other.client) || Self.disjoint(shape, other.shape)
            || Self.disjoint(lastMessage, other.lastMessage)
        {
            return true
        }
        // Both need at least one category, every one of them in both lists.
        if Self.disjoint(lastToolCategories, other.lastToolCategories) { return true }
        for flag in RuleCondition.Flag.allCases {
            if let mine = self[flag: flag], let theirs = other[flag: flag], mine != theirs { return true }
        }
        for count in RuleCondition.Count.allCases {
            guard let mine = self[count: count], let theirs = other[count: count] else { continue }
            if let max = mine.max, let min = theirs.min, max < min { return true }
            if let max = theirs.max, let min = mine.min, max < min { return true }
        }
        // Two lists of model name patterns may always share a name no one wrote down: not proven.
        return false
    }

    private static func disjoint<Value: Hashable>(_ mine: Set<Value>?, _ theirs: Set<Value>?) -> Bool {
        guard let mine, let theirs else { return false }
        return mine.isDisjoint(with: theirs)
    }
}
