/// A small, stable, non-cryptographic hash: session fingerprints, experiment arms, report seeds.
///
/// FNV-1a over 64 bits: enough to tell sessions apart, never used to protect anything. The same
/// input gives the same value in every process and version (Swift's `Hasher` is seeded per
/// process), so a session keeps its key, and its experiment arm, across gateway restarts.
package enum Fingerprint {
    package static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Hashes `bytes`, continuing from `hash`.
    package static func fnv1a<C: Collection<UInt8>>(_ bytes: C, hash: UInt64 = offsetBasis) -> UInt64 {
        var hash = hash
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// SplitMix64's finalizer: spreads a hash (or a counter) over all 64 bits, so inputs that
    /// differ in one byte land far apart.
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Sixteen lowercase hex digits.
    package static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
