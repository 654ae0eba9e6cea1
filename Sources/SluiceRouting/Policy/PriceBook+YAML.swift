package import SluiceLedger
import Yams

extension PriceBook {
    /// Reads and checks a price book document (`policies/prices.yaml`), reporting every problem
    /// with its path and line, like a policy.
    ///
    /// - Parameter yaml: The file's text.
    /// - Throws: `PolicyError` listing every problem.
    package init(yaml: String) throws(PolicyError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, .default, .default, .utf8)
        } catch {
            throw PolicyError(problems: [RoutingPolicy.syntaxProblem(error, in: yaml)])
        }
        guard let root else {
            throw PolicyError(problems: [PolicyProblem(path: "", message: "the price book is empty")])
        }
        var reader = PolicyReader()
        let book = reader.readPriceBook(root, at: "")
        guard reader.problems.isEmpty else { throw PolicyError(problems: reader.problems) }
        self = book
    }
}
