package import CoreMetrics
import SluiceLedger
import SluiceRouting

/// The guards' counters, with bounded labels: the guard's kind (never a session or a user) and,
/// for alerts, the cap's name (the policy's own, a handful).
///
/// - `sluice_guard_actions_total{guard}`: turns a guard acted on, by kind (`budget-soft`,
///   `budget-hard`, `loop-warn`, `loop-escalate`, `loop-stop`, `anomaly`).
/// - `sluice_budget_alerts_total{cap}`: alert thresholds crossed.
///
/// Written through swift-metrics, so whichever backend `sluice serve` bootstraps exports them.
package struct GuardMetrics: Sendable {
    private let factory: any MetricsFactory

    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    func count(_ guards: [TurnGuard]) {
        for action in guards {
            Counter(label: "sluice_guard_actions_total", dimensions: [("guard", action.kind.rawValue)], factory: factory)
                .increment()
        }
    }

    func count(_ alerts: [BudgetAlert]) {
        for alert in alerts {
            Counter(label: "sluice_budget_alerts_total", dimensions: [("cap", alert.cap.name)], factory: factory)
                .increment()
        }
    }
}
