import SluiceLedger

/// A logistic regression fitted by Newton's method (iteratively reweighted least squares) with
/// an L2 penalty on standardized inputs.
///
/// Newton's method on a few dozen inputs converges in under ten steps and needs no learning rate
/// or random start: the same rows in the same order give the same weights on every machine, which
/// is what lets `sluice train` reproduce a shipped model. The penalty keeps weights finite when
/// an input separates the classes in a small sample (an input seen in three turns).
struct LogisticFit {
    /// The fitted weights on the raw inputs (standardization folded back in).
    var weights: [Double]
    var intercept: Double

    /// Fits `labels` from `rows` (each row one value per input).
    ///
    /// - Parameter penalty: λ of `λ/2 · Σ wᵢ²` over the standardized weights (not the intercept).
    init(rows: [[Double]], labels: [Bool], penalty: Double) {
        let width = rows.first?.count ?? 0
        let count = Double(rows.count)
        // Standardize: mean 0, standard deviation 1; an input that never varies gets weight 0.
        var mean = [Double](repeating: 0, count: width)
        var scale = [Double](repeating: 0, count: width)
        for row in rows {
            for j in 0..<width { mean[j] += row[j] }
        }
        for j in 0..<width { mean[j] /= Swift.max(count, 1) }
        for row in rows {
            for j in 0..<width { scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) }
        }
        for j in 0..<width { scale[j] = (scale[j] / Swift.max(count, 1)).squareRoot() }
        let live = (0..<width).filter { scale[$0] > 1e-12 }
        let dimension = live.count + 1  // the intercept last
        var beta = [Double](repeating: 0, count: dimension)
        var x = [Double](repeating: 0, count: dimension)
        for _ in 0..<50 {
            var gradient = [Double](repeating: 0, count: dimension)
            var hessian = [Double](repeating: 0, count: dimension * dimension)
            for (row, label) in zip(rows, labels) {
                for (k, j) in live.enumerated() { x[k] = (row[j] - mean[j]) / scale[j] }
                x[dimension - 1] = 1
                var eta = 0.0
                for k in 0..<dimension { eta += beta[k] * x[k] }
                let p = Exponential.logistic(eta)
                let residual = (label ? 1 : 0) - p
                let w = Swift.max(p * (1 - p), 1e-12)
                for a in 0..<dimension {
                    gradient[a] += residual * x[a]
                    let wa = w * x[a]
                    for b in a..<dimension { hessian[a * dimension + b] += wa * x[b] }
                }
            }
            for a in 0..<dimension {
                for b in 0..<a { hessian[a * dimension + b] = hessian[b * dimension + a] }
            }
            for k in 0..<(dimension - 1) {
                gradient[k] -= penalty * beta[k]
                hessian[k * dimension + k] += penalty
            }
            guard let step = Self.solve(hessian, gradient, dimension: dimension) else { break }
            var largest = 0.0
            for k in 0..<dimension {
                beta[k] += step[k]
                largest = Swift.max(largest, abs(step[k]))
            }
            if largest < 1e-10 { break }
        }
        var weights = [Double](repeating: 0, count: width)
        var intercept = beta[dimension - 1]
        for (k, j) in live.enumerated() {
            weights[j] = beta[k] / scale[j]
            intercept -= beta[k] * mean[j] / scale[j]
        }
        self.weights = weights
        self.intercept = intercept
    }

    /// Solves `matrix · x = vector` for a symmetric positive definite matrix by Cholesky
    /// decomposition; `nil` when it is not positive definite.
    static func solve(_ matrix: [Double], _ vector: [Double], dimension n: Int) -> [Double]? {
        var lower = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = matrix[i * n + j]
                for k in 0..<j { sum -= lower[i * n + k] * lower[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    lower[i * n + i] = sum.squareRoot()
                } else {
                    lower[i * n + j] = sum / lower[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = vector[i]
            for k in 0..<i { sum -= lower[i * n + k] * y[k] }
            y[i] = sum / lower[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<n { sum -= lower[k * n + i] * x[k] }
            x[i] = sum / lower[i * n + i]
        }
        return x
    }
}
