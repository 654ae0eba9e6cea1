/// A policy file that cannot be used, with every problem found in it.
///
/// Thrown by ``RoutingPolicy/init(yaml:)``. `problems` is never empty and is ordered by line, so
/// printing it reads top to bottom like the file.
package struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every problem found, in document order.
    package var problems: [PolicyProblem]

    package init(problems: [PolicyProblem]) {
        self.problems = problems
    }

    package var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return (["policy has \(count):"] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
