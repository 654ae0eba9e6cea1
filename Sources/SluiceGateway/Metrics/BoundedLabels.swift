import Synchronization

/// Keeps a metric label's set of values small, whatever the traffic sends.
///
/// Prometheus keeps one series per distinct label set, forever: a label fed from a request (a
/// client's user agent, a model id passed through by `route: requested`) could grow without end
/// and exhaust the scraper. The first `capacity` distinct values of each label pass; any later
/// one is reported as `other`. Policy names (rules, models, arms) stay well below the bound.
package final class BoundedLabels: Sendable {
    /// The value a label takes once its set is full, or when it has no value.
    package static let other = "other"

    private let capacity: Int
    private let seen = Mutex([String: Set<String>]())

    package init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
    }

    /// `value` when it is already known or there is room for it; ``other`` otherwise.
    package func value(_ value: String?, of label: String) -> String {
        guard let value, !value.isEmpty else { return Self.other }
        return seen.withLock { seen in
            if seen[label, default: []].contains(value) { return value }
            guard seen[label, default: []].count < capacity else { return Self.other }
            seen[label, default: []].insert(value)
            return value
        }
    }
}
