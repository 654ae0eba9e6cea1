import SluiceLedger
import SluiceWire
import Testing

@testable import SluiceRouting

/// The static checks on conditions against brute force: random conditions (nested `any`, `all` and
/// `not` included) tried on many random turns. Whatever the checks prove must hold on every turn
/// tried, because a policy check that calls a live rule dead is believed, and the rule deleted.
@Suite struct PolicyCoverageSoundnessTests {
    /// SplitMix64: a small seeded generator, so a failure reproduces.
    struct Generator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func chance(_ probability: Double) -> Bool {
            Double.random(in: 0..<1, using: &self) < probability
        }

        /// A non-empty subset of `values`.
        mutating func subset<Value: Hashable>(of values: [Value]) -> Set<Value> {
            var result = Set(values.filter { _ in chance(0.4) })
            if result.isEmpty { result.insert(values.randomElement(using: &self)!) }
            return result
        }
    }

    static let counts = [0, 1, 3, 1_000, 1_001, 5_000]
    static let models = ["claude-haiku-5-5", "claude-opus-5-5", "gpt-5.6-luna"]
    static let categories: [ToolCategory] = [.search, .read, .edit]

    static func turn(_ random: inout Generator) -> TurnFeatures {
        var features = TurnFeatures(dialect: Dialect.allCases.randomElement(using: &random)!)
        features.requestedModel = models.randomElement(using: &random)!
        features.stream = random.chance(0.5)
        features.promptTokens = counts.randomElement(using: &random)!
        features.messageCount = Int.random(in: 0...4, using: &random)
        features.toolsOffered = random.chance(0.5) ? 3 : 0
        features.thinking = random.chance(0.5)
        features.maxTokens = random.chance(0.3) ? nil : counts.randomElement(using: &random)!
        features.images = random.chance(0.3) ? 1 : 0
        features.hasStopSequences = random.chance(0.3)
        features.lastMessage = MessageKind.allCases.randomElement(using: &random)!
        features.lastToolCategories = random.chance(0.3) ? [] : random.subset(of: categories).sorted()
        features.lastToolError = random.chance(0.3)
        features.lastToolResultBytes = counts.randomElement(using: &random)!
        features.loopDepth = Int.random(in: 0...4, using: &random)
        features.subagent = random.chance(0.3) ? "explore" : nil
        features.shape = TurnShape.allCases.randomElement(using: &random)!
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let readOnly = random.chance(0.5)
            features.history.note(calls: Int.random(in: 0...2, using: &random), readOnly: readOnly, edits: !readOnly && random.chance(0.5))
        }
        features.history.lastMessageBytes = counts.randomElement(using: &random)!
        features.history.growthTokens = counts.randomElement(using: &random)!
        if random.chance(0.7) { features.nextMove = NextMovePrediction(cheap: [0, 0.001, 0.003, 1].randomElement(using: &random)!) }
        return features
    }

    static func range(_ random: inout Generator) -> CountRange {
        let low = random.chance(0.6) ? counts.randomElement(using: &random)! : nil
        var high = random.chance(0.6) ? counts.randomElement(using: &random)! : nil
        if let low, let value = high, value < low { high = low }
        return low == nil && high == nil ? CountRange(max: 3) : CountRange(min: low, max: high)
    }

    static func conditions(_ random: inout Generator, depth: Int = 0) -> RuleConditions {
        var result = RuleConditions()
        let plain = 0.12
        if random.chance(plain) { result.client = random.subset(of: Dialect.allCases) }
        if random.chance(plain) { result.shape = random.subset(of: TurnShape.allCases) }
        if random.chance(plain) { result.lastMessage = random.subset(of: MessageKind.allCases) }
        if random.chance(plain) { result.lastToolCategories = random.subset(of: categories) }
        for flag in RuleCondition.Flag.allCases where random.chance(plain / 2) {
            result[flag: flag] = random.chance(0.5)
        }
        if random.chance(plain / 2) {
            result.requestedModel = random.subset(of: ["*haiku*", "*", "claude-*", "gpt-5.6-luna"]).map(GlobPattern.init)
        }
        for count in RuleCondition.Count.allCases where random.chance(plain / 2) {
            result[count: count] = range(&random)
        }
        let nested = depth < 3 ? 0.3 / Double(depth + 1) : 0
        func branches(_ random: inout Generator) -> [RuleConditions] {
            (0..<Int.random(in: 1...3, using: &random)).map { _ in conditions(&random, depth: depth + 1) }
        }
        if random.chance(nested) { result.anyOf = branches(&random) }
        if random.chance(nested) { result.allOf = branches(&random) }
        if random.chance(nested) { result.not = conditions(&random, depth: depth + 1) }
        return result
    }

    /// A rule likely to be covered by `earlier`: it, narrowed by more conditions, or one of its
    /// `any` branches, or a negation of something it excludes; so proofs are not all vacuous.
    static func narrowing(_ earlier: RuleConditions, _ random: inout Generator) -> RuleConditions {
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            var later = earlier
            later.allOf = (later.allOf ?? []) + [conditions(&random, depth: 1)]
            return later
        case 1:
            return earlier.anyOf?.randomElement(using: &random) ?? earlier
        case 2:
            return RuleConditions(allOf: [earlier, conditions(&random, depth: 2)])
        default:
            return conditions(&random)
        }
    }

    @Test func provenCoverageHoldsOnEveryTurnTried() {
        var random = Generator(state: 2026_11_25)
        let turns = (0..<600).map { _ in Self.turn(&random) }
        var proven = 0
        for _ in 0..<1_200 {
            let earlier = Self.conditions(&random)
            let later = Self.narrowing(earlier, &random)
            guard earlier.covers(later) else { continue }
            proven += 1
            let counterexample = turns.first { later.holds(for: $0) && !earlier.holds(for: $0) }
            #expect(counterexample == nil, "\(earlier.written) was said to cover \(later.written)")
        }
        #expect(proven > 300, "too few proofs to mean anything: \(proven)")
    }

    @Test func provenContradictionsHoldForNoTurnTried() {
        var random = Generator(state: 42)
        let turns = (0..<600).map { _ in Self.turn(&random) }
        var proven = 0
        for _ in 0..<2_000 {
            var conditions = Self.conditions(&random)
            if random.chance(0.3) { conditions.not = Self.narrowing(conditions, &random) }
            guard conditions.isContradictory else { continue }
            proven += 1
            let counterexample = turns.first { conditions.holds(for: $0) }
            #expect(counterexample == nil, "\(conditions.written) was said to contradict itself")
        }
        #expect(proven > 50, "too few proofs to mean anything: \(proven)")
    }

    @Test func aProofThatOutrunsItsBudgetIsNotProven() {
        let decoys = (0..<RuleConditions.proofSteps).map { RuleConditions(loopDepth: CountRange(min: $0 + 1)) }
        let sideCalls = RuleConditions(shape: [.sideCall])
        #expect(!RuleConditions(anyOf: decoys + [sideCalls]).covers(sideCalls))
        #expect(RuleConditions(anyOf: [sideCalls] + decoys).covers(sideCalls))
    }

    @Test func possibleClientsNeverLeavesOutATurnsDialect() {
        var random = Generator(state: 7)
        let turns = (0..<500).map { _ in Self.turn(&random) }
        for _ in 0..<1_000 {
            let conditions = Self.conditions(&random)
            let possible = conditions.possibleClients
            let missed = turns.first { conditions.holds(for: $0) && !possible.contains($0.dialect) }
            #expect(missed == nil, "\(conditions.written) holds for a client outside \(possible)")
        }
    }

    @Test func mismatchIsNilExactlyWhenTheConditionsHold() {
        var random = Generator(state: 99)
        let turns = (0..<200).map { _ in Self.turn(&random) }
        for _ in 0..<300 {
            let conditions = Self.conditions(&random)
            let disagreement = turns.first { (conditions.mismatch(for: $0) == nil) != conditions.holds(for: $0) }
            #expect(disagreement == nil, "\(conditions.written)")
        }
    }
}
