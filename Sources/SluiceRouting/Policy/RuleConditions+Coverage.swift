import SluiceWire

extension RuleConditions {
    /// Whether every turn that satisfies `other` also satisfies these conditions.
    ///
    /// Used to find rules that can never match because an earlier rule takes all their turns.
    /// Errs towards `false`: a rule is only called shadowed when that is certain.
    func covers(_ other: RuleConditions) -> Bool {
        Self.includes(client, other.client)
            && Self.includes(shape, other.shape)
            && Self.includes(lastMessage, other.lastMessage)
            && coversCategories(of: other)
            && RuleCondition.Flag.allCases.allSatisfy { flag in
                self[flag: flag] == nil || self[flag: flag] == other[flag: flag]
            }
            && coversRequestedModel(of: other)
            && RuleCondition.Count.allCases.allSatisfy { count in
                guard let mine = self[count: count] else { return true }
                // Every count but max_tokens is always present and never negative; a request may
                // have no max_tokens at all, which no range accepts.
                let theirs = other[count: count] ?? (count == .maxTokens ? nil : CountRange(min: 0))
                return theirs.map(mine.includes) ?? false
            }
    }

    /// Set-valued conditions: absent means every value of the type.
    private static func includes<Value: CaseIterable & Hashable>(_ mine: Set<Value>?, _ theirs: Set<Value>?) -> Bool {
        guard let mine else { return true }
        return (theirs ?? Set(Value.allCases)).isSubset(of: mine)
    }

    /// `last_tool_categories` left out also accepts turns without tool results, which any list rejects.
    private func coversCategories(of other: RuleConditions) -> Bool {
        guard let mine = lastToolCategories else { return true }
        guard let theirs = other.lastToolCategories else { return false }
        return theirs.isSubset(of: mine)
    }

    private func coversRequestedModel(of other: RuleConditions) -> Bool {
        guard let mine = requestedModel else { return true }
        if mine.contains(where: \.matchesEverything) { return true }
        guard let theirs = other.requestedModel else { return false }
        return theirs.allSatisfy { pattern in mine.contains { $0.isEquivalent(to: pattern) } }
    }
}
