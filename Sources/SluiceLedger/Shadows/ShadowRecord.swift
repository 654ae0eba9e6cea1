package import SluiceWire

/// One shadow turn: a second model's answer to a turn the primary answered, what it cost and
/// how it compared. Kept apart from the turn records: a shadow's spend is not the session's.
package struct ShadowRecord: Sendable, Hashable, Codable {
    package var id: String
    /// The primary turn it mirrored.
    package var turnID: String
    package var session: String
    package var startedAtMilliseconds: Int64
    /// The shadow's name in the policy.
    package var name: String
    /// The rule that decided the primary turn, its shape and the session's arm.
    package var rule: String
    package var shape: String
    package var arm: String?
    /// The policy names of the primary's and the shadow's models.
    package var primaryModel: String
    package var shadowModel: String
    /// How the shadow's request ended.
    package var status: TurnStatus
    package var httpStatus: Int
    package var usage: Usage
    /// What the shadow cost, and what the primary turn cost.
    package var cost: USD
    package var primaryCost: USD
    package var firstByteMilliseconds: Int?
    package var totalMilliseconds: Int
    package var primaryTotalMilliseconds: Int
    /// The two answers, side by side.
    package var primary: Answer
    package var shadow: Answer

    /// What one answer did, as stored.
    package struct Answer: Sendable, Hashable, Codable {
        package var toolCalls: Int
        package var toolNames: [String]
        package var stopReason: String?
        package var textCharacters: Int

        package init(toolCalls: Int = 0, toolNames: [String] = [], stopReason: String? = nil, textCharacters: Int = 0) {
            self.toolCalls = toolCalls
            self.toolNames = toolNames
            self.stopReason = stopReason
            self.textCharacters = textCharacters
        }

        package init(_ digest: AnswerDigest) {
            self.init(
                toolCalls: digest.toolCalls.count, toolNames: digest.toolCalls.map(\.name),
                stopReason: digest.stopReason, textCharacters: digest.textCharacters)
        }
    }

    /// Whether the shadow called the same tools, in the same order.
    package var sameTools: Bool
    /// Whether it called them with the same arguments too: the agent's next step would be the same.
    package var sameArguments: Bool
    /// Whether it stopped for the same reason.
    package var sameStopReason: Bool

    package init(
        id: String, turnID: String, session: String, startedAtMilliseconds: Int64, name: String, rule: String,
        shape: String, arm: String?, primaryModel: String, shadowModel: String, status: TurnStatus, httpStatus: Int,
        usage: Usage, cost: USD, primaryCost: USD, firstByteMilliseconds: Int?, totalMilliseconds: Int,
        primaryTotalMilliseconds: Int, primary: Answer, shadow: Answer, sameTools: Bool, sameArguments: Bool,
        sameStopReason: Bool
    ) {
        self.id = id
        self.turnID = turnID
        self.session = session
        self.startedAtMilliseconds = startedAtMilliseconds
        self.name = name
        self.rule = rule
        self.shape = shape
        self.arm = arm
        self.primaryModel = primaryModel
        self.shadowModel = shadowModel
        self.status = status
        self.httpStatus = httpStatus
        self.usage = usage
        self.cost = cost
        self.primaryCost = primaryCost
        self.firstByteMilliseconds = firstByteMilliseconds
        self.totalMilliseconds = totalMilliseconds
        self.primaryTotalMilliseconds = primaryTotalMilliseconds
        self.primary = primary
        self.shadow = shadow
        self.sameTools = sameTools
        self.sameArguments = sameArguments
        self.sameStopReason = sameStopReason
    }

    /// A shadow's record from the two answers' digests; a shadow that did not answer (`shadow`
    /// is `nil`) agrees on nothing.
    package init(
        id: String, turn: TurnRecord, name: String, shadowModel: String, status: TurnStatus, httpStatus: Int,
        usage: Usage, cost: USD, firstByteMilliseconds: Int?, totalMilliseconds: Int, primary: AnswerDigest,
        shadow: AnswerDigest?
    ) {
        self.init(
            id: id, turnID: turn.id, session: turn.session, startedAtMilliseconds: turn.startedAtMilliseconds,
            name: name, rule: turn.rule, shape: turn.shape, arm: turn.arm, primaryModel: turn.model,
            shadowModel: shadowModel, status: status, httpStatus: httpStatus, usage: usage, cost: cost,
            primaryCost: turn.cost, firstByteMilliseconds: firstByteMilliseconds, totalMilliseconds: totalMilliseconds,
            primaryTotalMilliseconds: turn.totalMilliseconds, primary: Answer(primary),
            shadow: shadow.map(Answer.init) ?? Answer(),
            sameTools: shadow.map { primary.callsSameTools(as: $0) } ?? false,
            sameArguments: shadow.map { primary.callsSameToolsWithSameArguments(as: $0) } ?? false,
            sameStopReason: shadow.map { primary.stopReason == $0.stopReason } ?? false)
    }
}
