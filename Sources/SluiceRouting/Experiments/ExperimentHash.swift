import SluiceWire

/// The keyed hash that assigns sessions to experiment arms and draws random controls' and
/// shadows' turns.
///
/// FNV-1a over the key and the parts (``Fingerprint``), then SplitMix64's finalizer so that keys
/// differing in one character land far apart. Swift's `Hasher` is seeded per process and so cannot
/// be used: two gateways, or one gateway before and after a restart, must put a session in the
/// same arm with nothing shared but the policy file. Not a MAC: it balances, it does not hide.
package enum ExperimentHash {
    /// A fraction in [0, 1), uniform over keys, from the experiment's name (the key) and `parts`.
    ///
    /// ```swift
    /// ExperimentHash.fraction(key: "grep-to-cheap", "session-123")   // same value in every process
    /// ```
    package static func fraction(key: String, _ parts: String...) -> Double {
        var hash = Fingerprint.fnv1a(key.utf8)
        for part in parts {
            hash = Fingerprint.fnv1a(part.utf8, hash: Fingerprint.fnv1a(CollectionOfOne(0), hash: hash))
        }
        let mixed = Fingerprint.mix(hash &+ 0x9e37_79b9_7f4a_7c15)
        // The top 53 bits, exactly representable: a fraction strictly below 1.
        return Double(mixed >> 11) / Double(UInt64(1) << 53)
    }
}
