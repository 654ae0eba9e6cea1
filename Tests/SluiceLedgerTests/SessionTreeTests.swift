import SluiceLedger
import Testing

@Suite struct SessionTreeTests {
    static func outline(_ tree: SessionTree) -> [String] {
        tree.lines.map { String(repeating: "  ", count: $0.depth) + $0.turn.id + ($0.isSideCall ? " (side)" : "") }
    }

    @Test func nestsSubagentBlocksAtTheirFirstTurn() {
        let turns: [TurnRecord] = [
            .spend(id: "m4", at: 80),
            .spend(id: "c1", at: 70, agent: "C"),
            .spend(id: "b2", at: 60, agent: "B", parent: "A"),
            .spend(id: "m3", at: 50),
            .spend(id: "a2", at: 40, agent: "A"),
            .spend(id: "b1", at: 30, agent: "B", parent: "A"),
            .spend(id: "m2", at: 20, sideCall: true),
            .spend(id: "a1", at: 10, agent: "A"),
            .spend(id: "m1", at: 0),
        ]
        #expect(
            Self.outline(SessionTree(turns: turns)) == [
                "m1",
                "  a1",
                "    b1",
                "    b2",
                "  a2",
                "m2 (side)",
                "m3",
                "  c1",
                "m4",
            ])
    }

    @Test func aSubagentsSideCallStaysInItsBlock() {
        let turns: [TurnRecord] = [
            .spend(id: "m1", at: 0), .spend(id: "a1", at: 10, agent: "A"),
            .spend(id: "a2", at: 20, agent: "A", sideCall: true), .spend(id: "m2", at: 30),
        ]
        #expect(Self.outline(SessionTree(turns: turns)) == ["m1", "  a1", "  a2 (side)", "m2"])
    }

    @Test func theParentMayBeNamedOnALaterTurn() {
        let turns: [TurnRecord] = [
            .spend(id: "a1", at: 0, agent: "A"),
            .spend(id: "b1", at: 10, agent: "B"),
            .spend(id: "b2", at: 20, agent: "B", parent: "A"),
        ]
        #expect(Self.outline(SessionTree(turns: turns)) == ["  a1", "    b1", "    b2"])
    }

    @Test func unknownParentsSelfParentsAndCyclesHangOffTheMainThread() {
        let turns: [TurnRecord] = [
            .spend(id: "m1", at: 0),
            .spend(id: "d1", at: 10, agent: "D", parent: "ghost"),
            .spend(id: "z1", at: 20, agent: "Z", parent: "Z"),
            .spend(id: "x1", at: 30, agent: "X", parent: "Y"),
            .spend(id: "y1", at: 40, agent: "Y", parent: "X"),
            .spend(id: "m2", at: 50),
        ]
        let tree = SessionTree(turns: turns)
        #expect(Self.outline(tree) == ["m1", "  d1", "  z1", "  x1", "  y1", "m2"])
        #expect(tree.lines.count == turns.count)
    }

    @Test func sameTimeTurnsKeepTheLedgerOrderById() {
        let turns: [TurnRecord] = [.spend(id: "b", at: 5), .spend(id: "a", at: 5), .spend(id: "c", at: 1)]
        #expect(Self.outline(SessionTree(turns: turns)) == ["c", "a", "b"])
    }

    @Test func noTurnsNoLines() {
        #expect(SessionTree(turns: []).lines.isEmpty)
    }
}
