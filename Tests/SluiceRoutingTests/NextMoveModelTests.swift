import Foundation
import SluiceLedger
import Testing

@testable import SluiceRouting
@testable import SluiceWire

/// The next-move model: its file, its arithmetic, its conditions, its training and evaluation.
@Suite struct NextMoveModelTests {
    /// A model with one segment per family and a few weights, as a file.
    static let modelText = #"""
        {"format": "sluice-next-move-logistic", "version": 1, "label": "x",
         "segments": [
          {"clients": ["anthropic"], "intercept": -1.5,
           "weights": {"read_only_streak": 1.25, "results_search": 0.75, "edited": -0.5}},
          {"clients": ["openai-chat", "openai-responses"], "intercept": 0.25, "weights": {}}]}
        """#

    static func turn(streak: Int, categories: [ToolCategory], edited: Bool, dialect: Dialect = .anthropic)
        -> TurnFeatures
    {
        var features = TurnFeatures.toolFollowup(dialect, categories: categories)
        for _ in 0..<streak { features.history.note(calls: 1, readOnly: true, edits: false) }
        features.history.edited = edited
        return features
    }

    @Test func scoresATurnAsItsWeightsSay() throws {
        let model = try NextMoveModel(json: Self.modelText)
        let features = Self.turn(streak: 3, categories: [.search], edited: true)
        let logOdds = -1.5 + 1.25 * Logarithm.natural(4) + 0.75 - 0.5
        let expected = 1 / (1 + Exponential.natural(-logOdds))
        #expect(abs(model.predict(features)!.cheap - expected) < 1e-12)
        // The other family's segment: its intercept alone.
        let openAI = Self.turn(streak: 3, categories: [.search], edited: true, dialect: .openAIResponses)
        #expect(abs(model.predict(openAI)!.cheap - Exponential.logistic(0.25)) < 1e-12)
        // What moved the turn most, for explain: the streak, then the search results.
        #expect(model.contributions(features).map(\.input) == [.readOnlyStreak, .resultsSearch, .edited])
    }

    @Test func aClientNoSegmentCoversGetsNoPrediction() throws {
        let text = Self.modelText.replacingOccurrences(of: #""openai-chat", "openai-responses""#, with: #""openai-chat""#)
        let model = try NextMoveModel(json: text)
        #expect(model.predict(Self.turn(streak: 1, categories: [.read], edited: false, dialect: .openAIResponses)) == nil)
    }

    @Test func writesWhatItReads() throws {
        let model = try NextMoveModel(json: Self.modelText)
        let again = try NextMoveModel(json: model.json)
        #expect(again == model)
        #expect(again.json == model.json)
    }

    @Test(arguments: [
        (#"{"format": "other", "version": 1, "segments": []}"#, "format"),
        (#"{"format": "sluice-next-move-logistic", "version": 2, "segments": []}"#, "version"),
        (#"{"format": "sluice-next-move-logistic", "version": 1, "segments": [{"clients": ["anthropic"], "intercept": 0, "weights": {"mood": 1}}]}"#, "unknown input \"mood\""),
        (#"{"format": "sluice-next-move-logistic", "version": 1, "segments": [{"clients": ["anthropic"], "intercept": "0", "weights": {}}]}"#, "intercept"),
        (#"{"format": "sluice-next-move-logistic", "version": 1, "segments": [{"clients": ["anthropic"], "intercept": 0, "weights": {}}, {"clients": ["anthropic"], "intercept": 0, "weights": {}}]}"#, "anthropic has a segment already"),
        ("not json", "not a JSON object"),
    ])
    func refusesABadFileSayingWhy(_ text: String, _ why: String) {
        #expect(throws: NextMoveModelError.self) { try NextMoveModel(json: text) }
        do {
            _ = try NextMoveModel(json: text)
        } catch {
            #expect(error.description.contains(why), "\(error.description)")
        }
    }

    @Test func exponentialMatchesKnownValues() {
        #expect(Exponential.natural(0) == 1)
        #expect(abs(Exponential.natural(1) - 2.718_281_828_459_045) < 1e-15)
        #expect(abs(Exponential.natural(-2.5) / 0.082_084_998_623_898_8 - 1) < 1e-14)
        #expect(abs(Exponential.natural(20) / 485_165_195.409_790_3 - 1) < 1e-14)
        #expect(Exponential.natural(1_000) == .infinity)
        #expect(Exponential.natural(-1_000) == 0)
        #expect(Exponential.logistic(800) == 1)
        #expect(Exponential.logistic(-800) == 0)
    }

    // MARK: - Conditions

    static let policyWithModel = """
        version: 1
        next_move_model: model.json
        upstreams: {a: {dialect: anthropic, base_url: "http://127.0.0.1:9"}}
        models:
          big: {upstream: a, id: big, context_window: 200000, price: {input: 3, output: 15}}
          small: {upstream: a, id: small, context_window: 200000, price: {input: 1, output: 5}}
        baseline: big
        rules:
          - {name: likely-read, when: {p_cheap: {min: 0.7}}, route: small}
          - {name: long-read-run, when: {read_only_streak: {min: 4}, edited: false}, route: small}
          - {name: rest, route: big}
        """

    static func policy(_ text: String = policyWithModel) throws -> RoutingPolicy {
        try RoutingPolicy(yaml: text, include: { _ in modelText })
    }

    @Test func pCheapAndHistoryConditionsDecide() throws {
        let policy = try Self.policy()
        #expect(policy.rules[0].conditions.pCheap == CountRange(min: 700))
        var sure = Self.turn(streak: 3, categories: [.search], edited: false)
        sure.nextMove = policy.nextMoveModel?.predict(sure)
        #expect(sure.nextMove!.cheap > 0.7)
        #expect(policy.decide(for: sure).rule == "likely-read")
        var unsure = Self.turn(streak: 0, categories: [.edit], edited: true)
        unsure.nextMove = policy.nextMoveModel?.predict(unsure)
        let decision = policy.decide(for: unsure)
        #expect(decision.rule == "rest")
        let note = decision.trace.first { $0.rule == "likely-read" }?.note ?? ""
        #expect(note.contains("p_cheap 0.") && note.contains("is below min 0.700"), "\(note)")
        // A long read-only run with no edit, by the history conditions alone.
        var run = Self.turn(streak: 5, categories: [.edit], edited: false)
        run.nextMove = NextMovePrediction(cheap: 0.1)
        #expect(policy.decide(for: run).rule == "long-read-run")
    }

    @Test func planFillsPCheapFromThePolicysModel() throws {
        let policy = try Self.policy()
        let scanned = try RequestScannerTests.scan(RequestScannerTests.claudeCodeGrepFollowup, .anthropic)
        let plan = policy.plan(scanned, session: nil, at: 0)
        #expect(plan.features.nextMove == policy.nextMoveModel?.predict(scanned.features))
        #expect(plan.features.nextMove != nil)
    }

    @Test(arguments: [
        ("{min: 1.5}", "a probability is at most 1"),
        ("{min: 70}", "a probability is at most 1"),
        ("{min: 0.7001}", "at most three decimals"),
        ("{min: high}", "expected a probability"),
        ("0.7", "expected a range of probabilities"),
        ("{min: 0.8, max: 0.2}", "min is greater than max"),
    ])
    func refusesABadProbability(_ written: String, _ why: String) {
        let text = Self.policyWithModel.replacingOccurrences(of: "{min: 0.7}", with: written)
        let problems: [PolicyProblem]
        do throws(PolicyError) {
            _ = try RoutingPolicy(yaml: text, include: { _ in Self.modelText })
            problems = []
        } catch {
            problems = error.problems
        }
        #expect(problems.contains { $0.path.hasPrefix("rules[0].when.p_cheap") && $0.message.contains(why) }, "\(problems)")
    }

    @Test func pCheapWithoutAModelIsAProblem() {
        let text = Self.policyWithModel.replacingOccurrences(of: "next_move_model: model.json\n", with: "")
        let problems = PolicyFixtures.problems(in: text)
        #expect(problems.map(\.path) == ["rules[0].when"])
        #expect(problems.first?.message.contains("p_cheap needs a model") == true)
    }

    @Test func aBadModelFileIsAProblemOfThePolicy() {
        do {
            _ = try RoutingPolicy(yaml: Self.policyWithModel, include: { _ in #"{"format": "x"}"# })
            Issue.record("a policy with a bad model file loaded")
        } catch {
            #expect(error.problems.first?.path == "next_move_model")
            #expect(error.problems.first?.message.contains("model.json: the model file's format") == true)
        }
    }

    // MARK: - Training

    @Test func logisticFitRecoversTheWeightsItWasDrawnFrom() {
        var generator = SeededGenerator(seed: 7)
        var rows: [[Double]] = []
        var labels: [Bool] = []
        for _ in 0..<20_000 {
            let x = [generator.unitDouble() * 4 - 2, generator.unitDouble() < 0.3 ? 1.0 : 0.0, 5.0]
            let p = Exponential.logistic(-0.5 + 1.5 * x[0] - 2 * x[1])
            rows.append(x)
            labels.append(generator.unitDouble() < p)
        }
        let fit = LogisticFit(rows: rows, labels: labels, penalty: 0.01)
        #expect(abs(fit.weights[0] - 1.5) < 0.1)
        #expect(abs(fit.weights[1] + 2) < 0.15)
        #expect(fit.weights[2] == 0)  // a constant input carries nothing
        #expect(abs(fit.intercept + 0.5) < 0.1)
        // The same rows give the same weights, bit for bit.
        let again = LogisticFit(rows: rows, labels: labels, penalty: 0.01)
        #expect(again.weights == fit.weights && again.intercept == fit.intercept)
    }

    @Test func aTurnIsLabelledByTheTurnThatShowsItsReply() {
        func turn(replies: Int, messages: Int, lastReadOnly: Bool) -> TurnFeatures {
            var features = TurnFeatures(dialect: .anthropic, messageCount: messages)
            for index in 0..<replies {
                let readOnly = index == replies - 1 ? lastReadOnly : false
                features.history.note(calls: 1, readOnly: readOnly, edits: !readOnly)
            }
            return features
        }
        let dataset = NextMoveDataset(turns: [
            (turn(replies: 0, messages: 1, lastReadOnly: false), "s", "s"),
            (turn(replies: 0, messages: 1, lastReadOnly: false), "side", "side"),  // another session between
            (turn(replies: 1, messages: 3, lastReadOnly: true), "s", "s"),  // reply 1 was a read
            (turn(replies: 2, messages: 5, lastReadOnly: false), "s", "s"),  // reply 2 edited
        ])
        #expect(dataset.examples.map(\.label) == [true, false])
        #expect(dataset.examples.map { $0.features.history.replies } == [0, 1])
        #expect(dataset.unlabelled == 2)
    }

    @Test func precisionAtRecallTakesTheFewestTopTurns() {
        // Ranked: hit, miss, hit, hit, miss. Three hits in all.
        let labels = [true, false, true, true, false]
        let order = [0, 1, 2, 3, 4]
        let ones = [Double](repeating: 1, count: 5)
        let third = NextMoveEvaluation.precision(atRecall: 0.3, order: order, labels: labels, weights: ones)
        #expect(third.picked == 1 && third.precision == 1)
        let half = NextMoveEvaluation.precision(atRecall: 0.5, order: order, labels: labels, weights: ones)
        #expect(half.picked == 3 && abs(half.precision - 2.0 / 3) < 1e-12)
        let rule = NextMoveEvaluation.score([true, true, false, false, true], labels: labels, weights: ones)
        #expect(abs(rule.precision - 1.0 / 3) < 1e-12 && abs(rule.recall - 1.0 / 3) < 1e-12)
    }

    /// Sessions where a read-only run predicts another read, with noise from the session index;
    /// the sessions `openAI` picks are OpenAI chat clients, the rest Claude Code.
    static func sessions(openAI: (Int) -> Bool) -> NextMoveDataset {
        var turns: [(features: TurnFeatures, session: String, group: String)] = []
        for session in 0..<40 {
            var features = TurnFeatures(dialect: openAI(session) ? .openAIChat : .anthropic)
            for step in 0..<30 {
                features.messageCount = 2 * step + 1
                turns.append((features, "s\(session)", "g\(session)"))
                let readOnly = (step + session) % 4 != 0 && (features.history.readOnlyStreak < 3 || step % 2 == 0)
                features.history.note(calls: 1, readOnly: readOnly, edits: !readOnly)
                features.lastMessage = .toolResult
                features.lastToolCategories = readOnly ? [.read] : [.edit]
            }
        }
        return NextMoveDataset(turns: turns)
    }

    @Test func aFamilyWithTooFewTurnsBorrowsThePooledWeights() throws {
        // One OpenAI session: 29 labelled turns, under the minimum to fit alone.
        let result = try #require(NextMoveTrainer(folds: 4).train(Self.sessions { $0 == 0 }))
        #expect(result.pooled == [.openAIChat, .openAIResponses])
        #expect(result.model.segments.map(\.training.turns) == [39 * 29, 29])
        #expect(NextMoveEvaluation(examples: [], outOfFold: [], policies: []).turns == 0)
    }

    @Test func trainingScoresEveryTurnOutOfFoldAndIsRepeatable() throws {
        let dataset = Self.sessions { $0 % 3 == 0 }
        let trainer = NextMoveTrainer(folds: 4)
        let result = try #require(trainer.train(dataset))
        #expect(result.outOfFold.count == dataset.examples.count)
        #expect(Set(result.fold).count == 4)
        #expect(result.model.segments.map(\.clients) == [[.anthropic], [.openAIChat, .openAIResponses]])
        #expect(result.model.segments.map(\.training.turns).reduce(0, +) == dataset.examples.count)
        #expect(result.pooled.isEmpty)
        let again = try #require(trainer.train(dataset))
        #expect(again.model.json == result.model.json)
        let evaluation = NextMoveEvaluation(
            examples: dataset.examples, outOfFold: result.outOfFold, policies: [], resamples: 200)
        #expect(evaluation.calibration.count == 10)
        #expect(evaluation.calibration.map(\.turns).reduce(0, +) == dataset.examples.count)
        // The signal is learnable: at recall 0.3 the model beats the base rate.
        let base = Double(evaluation.positives) / Double(evaluation.turns)
        #expect(evaluation.atRecall[1].precision > base + 0.1)
        if let interval = evaluation.atRecall[1].precisionInterval {
            #expect(interval.lower <= evaluation.atRecall[1].precision && evaluation.atRecall[1].precision <= interval.upper)
        } else {
            Issue.record("no interval")
        }
    }
}
