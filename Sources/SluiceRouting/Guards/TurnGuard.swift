/// What a guard did to one turn: said in `x-sluice-guard`, kept in the ledger's `guard` column,
/// and counted by its ``Kind`` (a bounded metric label; the detail, a cap's name, is not one).
package struct TurnGuard: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A loop was found and only reported.
        case loopWarn = "loop-warn"
        /// A loop's turn went to the baseline model.
        case loopEscalate = "loop-escalate"
        /// A loop was stopped: the agent got Sluice's answer.
        case loopStop = "loop-stop"
        /// Past a cap's soft limit, the turn went to the cheaper model.
        case budgetSoft = "budget-soft"
        /// At a cap's hard limit, the turn was refused.
        case budgetHard = "budget-hard"
        /// The session's cost ran past its tag's p90 multiple, or faster than its own rate.
        case anomaly
    }

    package var kind: Kind
    /// The cap's name, the loop's pattern, or the anomaly's sign.
    package var detail: String

    package init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// `budget-soft:per-session`.
    package var written: String { kind.rawValue + ":" + detail }

    /// Several guards as one header or column value: `loop-warn:tight,budget-soft:per-session`.
    package static func written(_ guards: [TurnGuard]) -> String? {
        guards.isEmpty ? nil : guards.map(\.written).joined(separator: ",")
    }
}
