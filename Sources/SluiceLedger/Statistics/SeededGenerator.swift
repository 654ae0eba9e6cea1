import SluiceWire

/// A small random number generator that gives the same numbers for the same seed (SplitMix64).
///
/// Bootstrap intervals and permutation p-values are computed from random draws. With the
/// system's generator, `sluice ab` would print slightly different intervals each time it reads
/// the same ledger, and a reader could not tell noise in the method from a change in the data.
/// Seeding from the experiment's name (``init(name:)``) makes the report a function of the
/// ledger alone. SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", 2014) passes BigCrush, needs one word of state and two multiplications per draw,
/// and is easy to check against published outputs.
///
/// ```swift
/// var generator = SeededGenerator(name: "cheap-first")
/// let index = generator.index(below: costs.count)
/// ```
///
/// The draws of ``index(below:)`` and ``unitDouble()`` are defined here rather than through
/// `Int.random(in:using:)`, whose algorithm the standard library does not promise to keep, so
/// the numbers stay the same across Swift versions.
package struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    /// A generator seeded with the 64-bit FNV-1a hash of `name`'s UTF-8 bytes, so a report can
    /// derive its seed from names people chose (an experiment, an arm).
    package init(name: String) {
        self.init(seed: Fingerprint.fnv1a(name.utf8))
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return Fingerprint.mix(state)
    }

    /// A random index in `0..<count`.
    ///
    /// Takes the high word of `count × next()` (Lemire's multiply-shift without the rejection
    /// step): the bias is below `count / 2⁶⁴`, far under anything a resample can show, and
    /// every call draws exactly one word, which keeps sequences easy to reproduce.
    ///
    /// - Precondition: `count > 0`.
    package mutating func index(below count: Int) -> Int {
        precondition(count > 0, "an index needs a non-empty range")
        return Int(UInt64(count).multipliedFullWidth(by: next()).high)
    }

    /// A random `Double` in `[0, 1)`: the top 53 bits of one draw, scaled by 2⁻⁵³.
    package mutating func unitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
