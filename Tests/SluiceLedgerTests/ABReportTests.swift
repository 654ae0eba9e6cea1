import SluiceLedger
import SluiceWire
import Testing

/// `sluice ab`'s combination of experiments and shadows, and what it says when there is nothing.
@Suite struct ABReportTests {
    static func turns(_ experiment: String, arms: [String]) -> [TurnRecord] {
        arms.enumerated().map { index, arm in
            var turn = TurnRecord.armTurn(id: "\(experiment)-\(index)", session: "\(experiment)-s\(index)", arm: arm)
            turn.experiment = experiment
            return turn
        }
    }

    static let shadow = ShadowRecord(
        id: "sh", turnID: "t", session: "s", startedAtMilliseconds: 0, name: "opus-on-grep", rule: "grep",
        shape: "tool_followup", arm: nil, primaryModel: "haiku", shadowModel: "opus", status: .ok, httpStatus: 200,
        usage: Usage(uncachedInput: 10, output: 5), cost: USD(nanos: 90), primaryCost: USD(nanos: 10),
        firstByteMilliseconds: 5, totalMilliseconds: 40, primaryTotalMilliseconds: 20,
        primary: .init(toolCalls: 1, toolNames: ["Read"]), shadow: .init(toolCalls: 1, toolNames: ["Read"]),
        sameTools: true, sameArguments: false, sameStopReason: true)

    @Test func oneExperimentIsItsReportWithTheShadows() throws {
        let report = try ABReport(
            experiment: "e", armOrders: [:], turns: Self.turns("e", arms: ["b", "control"]) + Self.turns("f", arms: ["x"]),
            outcomes: [], shadows: [Self.shadow], nowMilliseconds: 10_000_000, idleMilliseconds: 1)
        #expect(report.experiments.map(\.experiment) == ["e"])
        // Without the policy, `control` is the reference.
        #expect(report.experiments[0].arms.map(\.name) == ["control", "b"])
        let json = report.rendered(as: .json)
        #expect(json.hasPrefix(#"{"experiment":"e","#))
        #expect(json.contains(#""shadows":[{"shadow":"opus-on-grep","rule":"grep","model":"opus","turns":1,"answered":1,"same_tools":1,"same_arguments":0"#))
        let table = report.rendered(as: .table)
        #expect(table.contains("Shadow turns") && table.contains("100.00%"))
    }

    @Test func everyExperimentWithoutAName() throws {
        let report = try ABReport(
            experiment: nil, armOrders: ["f": ["x", "y"]], turns: Self.turns("f", arms: ["x", "y"]) + Self.turns("e", arms: ["a"]),
            outcomes: [], shadows: [], nowMilliseconds: 10_000_000, idleMilliseconds: 1)
        #expect(report.experiments.map(\.experiment) == ["e", "f"])
        #expect(report.experiments[1].arms.map(\.name) == ["x", "y"])
        let json = report.rendered(as: .json)
        #expect(json.hasPrefix(#"{"experiments":[{"experiment":"e""#) && json.hasSuffix(#""shadows":[]}"#))
    }

    /// A session whose first turn was routed outside the experiment joined it late: left out.
    @Test func sessionsThatJoinedLateAreLeftOut() throws {
        var before = TurnRecord.armTurn(id: "a0", at: 1, session: "late")
        before.experiment = nil
        var after = TurnRecord.armTurn(id: "a1", at: 2, session: "late", arm: "b")
        after.experiment = "e"
        let report = try ABReport(
            experiment: "e", armOrders: [:], turns: Self.turns("e", arms: ["control", "b"]) + [after, before],
            outcomes: [], shadows: [], nowMilliseconds: 10_000_000, idleMilliseconds: 1)
        #expect(report.lateSessions == ["e": 1])
        #expect(report.experiments[0].sessions == 2)
        #expect(report.rendered(as: .json).contains(#""late_sessions":1"#))
        #expect(report.rendered(as: .table).contains("1 sessions joined e after their start"))
    }

    @Test func saysWhyThereIsNothing() {
        #expect(throws: ABReport.Problem.nothing) {
            try ABReport(
                experiment: nil, armOrders: [:], turns: [.armTurn(id: "t", session: "s")], outcomes: [], shadows: [],
                nowMilliseconds: 0, idleMilliseconds: 1)
        }
        #expect(throws: ABReport.Problem.unknown("nope", known: ["e"])) {
            try ABReport(
                experiment: "nope", armOrders: [:], turns: Self.turns("e", arms: ["a"]), outcomes: [], shadows: [],
                nowMilliseconds: 0, idleMilliseconds: 1)
        }
        #expect(ABReport.Problem.unknown("nope", known: ["e"]).description == #"no turns of experiment "nope"; it has e."#)
    }
}
