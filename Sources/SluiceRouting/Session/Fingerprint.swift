/// A small, stable, non-cryptographic hash for session fingerprints.
///
/// FNV-1a over 64 bits: enough to tell sessions apart, never used to protect anything. The same
/// input gives the same key in every process and version, so a session keeps its key across
/// gateway restarts.
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

    /// Sixteen lowercase hex digits.
    package static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
