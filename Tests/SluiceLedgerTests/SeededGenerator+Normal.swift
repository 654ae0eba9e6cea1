import Foundation
import SluiceLedger

extension SeededGenerator {
    /// A normal draw by the Box–Muller transform (the cosine half, one pair of uniforms per draw),
    /// for statistics tests whose answers are known for normal data.
    mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        let u1 = 1 - unitDouble()  // in (0, 1], so the logarithm is finite
        let u2 = unitDouble()
        return mean + standardDeviation * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// `count` normal draws.
    mutating func normals(_ count: Int, mean: Double = 0, standardDeviation: Double = 1) -> [Double] {
        (0..<count).map { _ in normal(mean: mean, standardDeviation: standardDeviation) }
    }
}
