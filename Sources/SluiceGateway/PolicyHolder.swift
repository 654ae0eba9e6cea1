package import SluiceRouting
import Synchronization

/// The policy in force and the scanner built from it, swapped whole on reload.
///
/// A turn reads both once at its start, so a reload never changes a turn half way.
package final class PolicyHolder: Sendable {
    /// One consistent generation of the policy.
    package struct Loaded: Sendable {
        package let policy: RoutingPolicy
        package let scanner: RequestScanner
        /// Where the policy came from, for the dashboard's policy page; `nil` for one built in code.
        package let source: PolicySource?
    }

    private let state: Mutex<Loaded>

    package init(_ policy: RoutingPolicy, source: PolicySource? = nil) {
        state = Mutex(Self.load(policy, source: source))
    }

    package var current: Loaded { state.withLock { $0 } }

    /// Replaces the policy for every turn that starts from now on.
    package func replace(with policy: RoutingPolicy, source: PolicySource? = nil) {
        let loaded = Self.load(policy, source: source)
        state.withLock { $0 = loaded }
    }

    private static func load(_ policy: RoutingPolicy, source: PolicySource?) -> Loaded {
        Loaded(policy: policy, scanner: policy.makeScanner(), source: source)
    }
}
