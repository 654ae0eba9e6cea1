/// One model's prompt cache in one thread of a session: how many leading prompt tokens it holds,
/// since when they can be read, and until when an idle entry lives.
///
/// Only lengths are kept, never content: a session's conversation grows by appending, so the
/// cached part of an earlier prompt is a prefix of the next one, up to the point where the
/// conversation was cut (compaction), which ``SessionCaches`` applies with ``clamp(to:)``.
package struct SimulatedCache: Sendable, Hashable, Codable {
    /// The model, as ``ModelIdentity/normalized(_:)`` writes its id.
    package var model: String
    /// Leading prompt tokens held once the latest write is readable.
    package var tokens: Int
    /// Leading prompt tokens held before it: what a request sent before the latest answer began
    /// can read (a cache entry is readable only once the response that wrote it has started).
    package var priorTokens: Int
    /// When the latest write became readable, Unix milliseconds.
    package var readableAtMilliseconds: Int64
    /// When the entry was last written or read; it lives ``lifetimeMilliseconds`` from then.
    package var refreshedAtMilliseconds: Int64
    /// How long the entry lives when idle.
    package var lifetimeMilliseconds: Int64

    package init(
        model: String, tokens: Int, priorTokens: Int, readableAtMilliseconds: Int64, refreshedAtMilliseconds: Int64,
        lifetimeMilliseconds: Int64
    ) {
        self.model = model
        self.tokens = tokens
        self.priorTokens = priorTokens
        self.readableAtMilliseconds = readableAtMilliseconds
        self.refreshedAtMilliseconds = refreshedAtMilliseconds
        self.lifetimeMilliseconds = lifetimeMilliseconds
    }

    /// The leading tokens a request arriving at `time` can read: none once the entry expired.
    package func readableTokens(at time: Int64) -> Int {
        guard time - refreshedAtMilliseconds <= lifetimeMilliseconds else { return 0 }
        return time >= readableAtMilliseconds ? tokens : priorTokens
    }

    /// Forgets what lies past the first `prefix` tokens: the conversation changed there.
    package mutating func clamp(to prefix: Int) {
        tokens = min(tokens, prefix)
        priorTokens = min(priorTokens, prefix)
    }
}

extension Array where Element == SimulatedCache {
    /// The entry of `model` (a normalized id), if any.
    subscript(model model: String) -> SimulatedCache? {
        get { first { $0.model == model } }
        set {
            let index = firstIndex { $0.model == model }
            switch (index, newValue) {
            case (let index?, let value?): self[index] = value
            case (let index?, nil): remove(at: index)
            case (nil, let value?): append(value)
            case (nil, nil): break
            }
        }
    }
}
