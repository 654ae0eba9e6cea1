/// What `sluice replay` found: a candidate policy's decisions and costs on recorded turns, next
/// to the current policy's (or what really happened), every figure an estimate but the recorded.
///
/// The replay engine (in the routing core, which owns the plan) fills it; this type only holds
/// and renders it, as a table, markdown or JSON.
package struct ReplayReport: Sendable, Hashable {
    /// One policy's totals: what its turns cost and both counterfactuals.
    package struct Totals: Sendable, Hashable {
        package var turns = 0
        /// What the policy's choices cost: exact where the recorded model answered, simulated elsewhere.
        package var actual = USD.zero
        /// Every turn on the model the client asked for.
        package var requested = USD.zero
        /// Every turn on the baseline (all-frontier) model.
        package var baseline = USD.zero
        /// Turns whose cost had to be simulated (another model than the recorded one answered).
        package var simulatedTurns = 0
        /// Turns the policy refused.
        package var refusedTurns = 0

        package init() {}

        /// Saved against the all-frontier counterfactual.
        package var savings: USD { baseline - actual }
        /// Saved against the requested counterfactual.
        package var routingSavings: USD { requested - actual }
    }

    /// Turns and changed decisions under one name (a rule, a shape).
    package struct Count: Sendable, Hashable {
        package var name: String
        package var turns: Int
        /// Turns where the candidate chose another model than the reference.
        package var changed: Int

        package init(name: String, turns: Int, changed: Int) {
            self.name = name
            self.turns = turns
            self.changed = changed
        }
    }

    /// One policy's side of the comparison.
    package struct Side: Sendable, Hashable {
        /// `candidate`, `current`, or `recorded` (what really happened).
        package var label: String
        package var totals: Totals
        /// Turns per model, most first.
        package var byModel: [(name: String, turns: Int)]

        package init(label: String, totals: Totals, byModel: [(name: String, turns: Int)]) {
            self.label = label
            self.totals = totals
            self.byModel = byModel
        }

        package static func == (lhs: Side, rhs: Side) -> Bool {
            lhs.label == rhs.label && lhs.totals == rhs.totals && lhs.byModel.elementsEqual(rhs.byModel, by: ==)
        }

        package func hash(into hasher: inout Hasher) {
            hasher.combine(label)
            hasher.combine(totals)
        }
    }

    /// One session, both sides.
    package struct Session: Sendable, Hashable {
        package var key: String
        package var turns: Int
        package var changed: Int
        package var candidate: Totals
        package var current: Totals

        package init(key: String, turns: Int, changed: Int, candidate: Totals, current: Totals) {
            self.key = key
            self.turns = turns
            self.changed = changed
            self.candidate = candidate
            self.current = current
        }
    }

    package var turns: Int
    package var sessions: [Session]
    package var candidate: Side
    /// The policy compared against: `--against`, or the recorded decisions.
    package var current: Side
    /// What really happened, priced exactly; `nil` when no turn carried recorded usage.
    package var recordedActual: USD?
    /// Turns where the candidate chose another model than the reference.
    package var changedTurns: Int
    /// Per candidate rule and per turn shape.
    package var byRule: [Count]
    package var byShape: [Count]
    /// Caveats for people: rows without stored features, turns without usage.
    package var notes: [String]

    package init(
        turns: Int, sessions: [Session], candidate: Side, current: Side, recordedActual: USD?, changedTurns: Int,
        byRule: [Count], byShape: [Count], notes: [String]
    ) {
        self.turns = turns
        self.sessions = sessions
        self.candidate = candidate
        self.current = current
        self.recordedActual = recordedActual
        self.changedTurns = changedTurns
        self.byRule = byRule
        self.byShape = byShape
        self.notes = notes
    }
}
