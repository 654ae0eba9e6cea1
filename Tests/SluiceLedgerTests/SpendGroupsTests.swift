import SluiceLedger
import Testing

@Suite struct SpendGroupsTests {
    static let turns: [TurnRecord] = [
        .spend(id: "1", at: 0, session: "a", tag: "PROJ-1", cost: 600, requested: 900, baseline: 1_000),
        .spend(id: "2", at: 1, session: "a", tag: "PROJ-1", cost: 400, baseline: 500),  // no requested price
        .spend(id: "3", at: 2, session: "b", tag: "PROJ-1", cost: 500, requested: 500, baseline: 500),
        .spend(id: "4", at: 3, session: "c", tag: nil, cost: 1_500, requested: 2_000, baseline: 3_000),
        .spend(id: "5", at: 4, session: "d", tag: "", cost: 0, requested: 0, baseline: 0),
        .spend(id: "6", at: 5, session: "e", tag: "PROJ-0", cost: 1_500, requested: 1_500, baseline: 1_500),
    ]

    @Test func groupsByTagWithNoneForMissingTagsAndBreaksTiesByKey() {
        let groups = SpendGroups(turns: Self.turns, by: .tag)
        #expect(groups.key == .tag)
        #expect(groups.total == USD(nanos: 4_500))
        // All three groups spent 1,500: the key decides, and "(" sorts before letters.
        #expect(
            groups.rows == [
                SpendGroups.Row(
                    key: "(none)", turns: 2, sessions: 2, cost: USD(nanos: 1_500), requested: USD(nanos: 2_000),
                    baseline: USD(nanos: 3_000), shareBasisPoints: 3_333),
                SpendGroups.Row(
                    key: "PROJ-0", turns: 1, sessions: 1, cost: USD(nanos: 1_500), requested: USD(nanos: 1_500),
                    baseline: USD(nanos: 1_500), shareBasisPoints: 3_333),
                SpendGroups.Row(
                    key: "PROJ-1", turns: 3, sessions: 2, cost: USD(nanos: 1_500), requested: USD(nanos: 1_800),
                    baseline: USD(nanos: 2_000), shareBasisPoints: 3_333),
            ])
        #expect(groups.rows.map(\.savings) == [USD(nanos: 1_500), .zero, USD(nanos: 500)])
        #expect(groups.rows.map(\.routingSavings) == [USD(nanos: 500), .zero, USD(nanos: 300)])
    }

    @Test func sortsByActualSpendDescending() {
        let turns: [TurnRecord] = [
            .spend(id: "1", rule: "a", cost: 100), .spend(id: "2", rule: "b", cost: 300),
            .spend(id: "3", rule: "c", cost: 200), .spend(id: "4", rule: "b", cost: 100),
        ]
        let groups = SpendGroups(turns: turns, by: .rule)
        #expect(groups.rows.map(\.key) == ["b", "c", "a"])
        #expect(groups.rows.map(\.cost) == [USD(nanos: 400), USD(nanos: 200), USD(nanos: 100)])
        #expect(groups.rows.map(\.shareBasisPoints) == [5_714, 2_857, 1_429])  // 4/7, 2/7, 1/7
        #expect(groups.rows.map(\.sessions) == [1, 1, 1])
    }

    @Test func subagentGroupsTheMainThreadSubagentsAndSideCalls() {
        let turns: [TurnRecord] = [
            .spend(id: "1", cost: 10), .spend(id: "2", agent: "", cost: 20), .spend(id: "3", agent: "A", cost: 30),
            .spend(id: "4", sideCall: true, cost: 1), .spend(id: "5", agent: "A", sideCall: true, cost: 2),
        ]
        let groups = SpendGroups(turns: turns, by: .subagent)
        #expect(groups.rows.map(\.key) == ["A", "main", "side"])
        #expect(groups.rows.map(\.turns) == [1, 2, 2])
        #expect(groups.rows.map(\.cost) == [USD(nanos: 30), USD(nanos: 30), USD(nanos: 3)])
    }

    @Test(arguments: [
        (SpendGroupKey.user, "alice"), (.tag, "PROJ-7"), (.client, "claude-code"), (.rule, "grep-shaped"),
        (.model, "haiku"), (.shape, "tool_followup"), (.subagent, "explorer"),
    ])
    func everyKeyReadsItsField(key: SpendGroupKey, value: String) {
        let turn = TurnRecord.spend(
            id: "1", tag: "PROJ-7", user: "alice", client: "claude-code", agent: "explorer", parent: "main-agent",
            model: "haiku", rule: "grep-shaped", shape: "tool_followup")
        #expect(key.value(of: turn) == value)
    }

    @Test(arguments: [SpendGroupKey.user, .tag, .client, .rule, .model, .shape])
    func missingOrEmptyValuesAreNone(key: SpendGroupKey) {
        let empty = TurnRecord.spend(id: "1", tag: "", user: nil, client: "", model: "", rule: "", shape: "")
        #expect(key.value(of: empty) == "(none)")
    }

    @Test func noTurnsNoRows() {
        let groups = SpendGroups(turns: [], by: .model)
        #expect(groups.rows.isEmpty)
        #expect(groups.total == .zero)
    }

    @Test func nothingSpentHasNoShares() {
        let groups = SpendGroups(turns: [.spend(id: "1", cost: 0), .spend(id: "2", model: "haiku", cost: 0)], by: .model)
        #expect(groups.rows.map(\.key) == ["haiku", "opus"])
        #expect(groups.rows.map(\.shareBasisPoints) == [nil, nil])
    }
}
