import SluiceLedger
import SluiceWire

/// The next-move model: logistic regressions over ``NextMoveInput``s that give each turn the
/// probability that the frontier model's next reply would only search, read or list.
///
/// That label is what the frontier model did next, a proxy for whether a small model would do as
/// well: a turn the frontier model spends on another read is one a small model is least likely to
/// spoil. Experiments, not this classifier, settle quality.
///
/// One weight set per family of clients (a ``NextMoveSegment``): Claude Code and the OpenAI-SDK
/// agents weigh the same evidence differently (a large prompt lowers the odds of a read for one
/// and raises them for the other). Logistic rather than boosted trees: on the development traces
/// trees ranked turns no better (decision 0009), and a weighted sum is what a person can read in
/// the file, reproduce with `sluice train`, and score with nothing allocated.
///
/// The file (`next_move_model:` in a policy) is JSON:
///
/// ```json
/// {"format": "sluice-next-move-logistic", "version": 1, "label": "...",
///  "segments": [{"clients": ["anthropic"], "intercept": -1.2,
///                "weights": {"read_only_streak": 0.81, "edited": -0.4, ...},
///                "training": {"turns": 2900, "sessions": 60, "positives": 1210}}, ...]}
/// ```
///
/// Weights apply to the inputs as ``NextMoveInput/value(in:)`` gives them (logarithms of counts,
/// 0 or 1 for flags); an input a segment leaves out weighs nothing. A client no segment names
/// gets no `p_cheap`.
package struct NextMoveModel: Sendable, Hashable {
    /// The `format` a model file must name.
    package static let format = "sluice-next-move-logistic"
    /// The label, in the words every model file and report uses.
    package static let label = "the frontier model's next reply made tool calls that only searched, read or listed"

    /// The weight sets, each for its clients; no two share a client.
    package var segments: [NextMoveSegment]

    package init(segments: [NextMoveSegment]) {
        self.segments = segments
    }

    /// The prediction for a turn; `nil` for a client no segment covers. Allocates nothing: it
    /// runs once per turn under a policy with a model.
    package func predict(_ features: TurnFeatures) -> NextMovePrediction? {
        for segment in segments where segment.clients.contains(features.dialect) {
            return NextMovePrediction(cheap: Exponential.logistic(segment.logOdds(features)))
        }
        return nil
    }
}

extension NextMoveModel {
    /// What moved a turn's log-odds most, largest first: each input's weight times its value.
    /// For `policy explain`, which says why a turn got its `p_cheap`; not on the request path.
    package func contributions(_ features: TurnFeatures, top: Int = 4) -> [(input: NextMoveInput, logOdds: Double)] {
        guard let segment = segments.first(where: { $0.clients.contains(features.dialect) }) else { return [] }
        let all = NextMoveSegment.inputs.indices.compactMap { index -> (input: NextMoveInput, logOdds: Double)? in
            let input = NextMoveSegment.inputs[index]
            let part = segment.weights[index] * input.value(in: features)
            return part == 0 ? nil : (input, part)
        }
        return Array(all.sorted { abs($0.logOdds) > abs($1.logOdds) }.prefix(top))
    }
}

extension NextMoveModel {
    /// Reads a model file.
    ///
    /// - Throws: A message naming what is wrong: not JSON, another format or version, a weight
    ///   for an input this Sluice does not know, a value that is not a finite number, a client
    ///   two segments claim.
    package init(json text: String) throws(NextMoveModelError) {
        var text = text
        let read: Result<NextMoveModel, NextMoveModelError> = text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            guard let document = try? JSONDocument(bytes: bytes), document.root.kind == .object else {
                return .failure(NextMoveModelError("the model file is not a JSON object"))
            }
            let root = document.root
            guard root["format"]?.string == Self.format else {
                return .failure(NextMoveModelError("the model file's format is not \"\(Self.format)\""))
            }
            guard root["version"]?.int == 1 else {
                return .failure(NextMoveModelError("the model file's version is not 1, the one this Sluice reads"))
            }
            guard let list = root["segments"], list.kind == .array, list.count > 0 else {
                return .failure(NextMoveModelError("the model file has no segments"))
            }
            var segments: [NextMoveSegment] = []
            for (index, node) in list.elements.enumerated() {
                switch Self.segment(node, bytes: bytes) {
                case .success(let segment):
                    if let claimed = segment.clients.first(where: { client in
                        segments.contains { $0.clients.contains(client) }
                    }) {
                        return .failure(NextMoveModelError("segments[\(index)]: \(claimed.rawValue) has a segment already"))
                    }
                    segments.append(segment)
                case .failure(let error):
                    return .failure(NextMoveModelError("segments[\(index)]: \(error.description)"))
                }
            }
            return .success(NextMoveModel(segments: segments))
        }
        self = try read.get()
    }

    private static func segment(_ node: JSONValue, bytes: UnsafeRawBufferPointer) -> Result<NextMoveSegment, NextMoveModelError> {
        func number(_ value: JSONValue?) -> Double? {
            guard let value, value.kind == .number else { return nil }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[value.byteRange]), as: UTF8.self)
            return Double(text).flatMap { $0.isFinite ? $0 : nil }
        }
        guard node.kind == .object else { return .failure(NextMoveModelError("not an object")) }
        var clients: Set<Dialect> = []
        for item in node["clients"].elementsIfAny {
            guard let name = item.string, let dialect = Dialect(rawValue: name) else {
                return .failure(NextMoveModelError("unknown client \(item.string.map { "\"\($0.prefix(40))\"" } ?? "")"))
            }
            clients.insert(dialect)
        }
        guard !clients.isEmpty else { return .failure(NextMoveModelError("no clients")) }
        guard let intercept = number(node["intercept"]) else {
            return .failure(NextMoveModelError("no numeric intercept"))
        }
        guard let weightsObject = node["weights"], weightsObject.kind == .object else {
            return .failure(NextMoveModelError("no weights object"))
        }
        var weights = [Double](repeating: 0, count: NextMoveSegment.inputs.count)
        for (key, value) in weightsObject.members {
            let name = key.string ?? ""
            guard let input = NextMoveInput(rawValue: name), let index = NextMoveSegment.inputs.firstIndex(of: input) else {
                return .failure(NextMoveModelError("unknown input \"\(name.prefix(60))\""))
            }
            guard let weight = number(value) else {
                return .failure(NextMoveModelError("the weight of \"\(name)\" is not a finite number"))
            }
            weights[index] = weight
        }
        let kept = node["training"]
        let training = NextMoveTraining(
            turns: kept?["turns"]?.int ?? 0, sessions: kept?["sessions"]?.int ?? 0,
            positives: kept?["positives"]?.int ?? 0, penalty: number(kept?["penalty"]) ?? 0)
        return .success(NextMoveSegment(clients: clients, intercept: intercept, weights: weights, training: training))
    }

    /// A value as the file writes it: rounded to six decimals, so that training on the same
    /// turns writes the same bytes.
    package static func rounded(_ value: Double) -> Double {
        (value * 1_000_000).rounded() / 1_000_000
    }

    /// The model as a file, inputs in their fixed order.
    package var json: String {
        func number(_ value: Double) -> String {
            let rounded = Self.rounded(value)
            return rounded == 0 ? "0" : "\(rounded)"
        }
        let written = segments.map { segment in
            let clients = segment.clientNames.map(JSONStringDecoder.quoted)
            let weights = NextMoveSegment.inputs.indices.map { index in
                "        \(JSONStringDecoder.quoted(NextMoveSegment.inputs[index].rawValue)): \(number(segment.weights[index]))"
            }
            let training = segment.training
            return """
                    {
                      "clients": [\(clients.joined(separator: ", "))],
                      "intercept": \(number(segment.intercept)),
                      "weights": {
                \(weights.joined(separator: ",\n"))
                      },
                      "training": {"turns": \(training.turns), "sessions": \(training.sessions), \
                "positives": \(training.positives), "penalty": \(number(training.penalty))}
                    }
                """
        }
        return """
            {
              "format": \(JSONStringDecoder.quoted(Self.format)),
              "version": 1,
              "label": \(JSONStringDecoder.quoted(Self.label)),
              "segments": [
            \(written.joined(separator: ",\n"))
              ]
            }

            """
    }
}
