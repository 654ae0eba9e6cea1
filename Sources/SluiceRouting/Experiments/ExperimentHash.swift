/// The keyed hash that assigns sessions to experiment arms and draws a random control's turns.
///
/// FNV-1a over the key and the text, then SplitMix64's finalizer so that keys differing in one
/// character land far apart. Swift's `Hasher` is seeded per process and so cannot be used: two
/// gateways, or one gateway before and after a restart, must put a session in the same arm with
/// nothing shared but the policy file. Not a MAC: it balances, it does not hide.
package enum ExperimentHash {
    /// A fraction in [0, 1), uniform over keys, from the experiment's name (the key) and `parts`.
    ///
    /// ```swift
    /// ExperimentHash.fraction(key: "grep-to-cheap", "session-123")   // same value in every process
    /// ```
    package static func fraction(key: String, _ parts: String...) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        mix(key.utf8)
        for part in parts {
            mix(CollectionOfOne(0))
            mix(part.utf8)
        }
        var z = hash &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        z ^= z >> 31
        // The top 53 bits, exactly representable: a fraction strictly below 1.
        return Double(z >> 11) / Double(UInt64(1) << 53)
    }
}
