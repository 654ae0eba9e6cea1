/// A whole answer read once it has ended: its usage, its digest, and whether it ended well.
///
/// Shadow turns read both answers this way, off the client's path: the primary's bytes kept by
/// the relay, the shadow's as they came. A streamed answer is read with the same taps the relay
/// uses; a whole one as JSON.
package struct AnswerReading: Sendable {
    /// The usage the answer reported; `nil` when it reported none.
    package var usage: Usage?
    /// What it did; `nil` for a body that could not be read.
    package var digest: AnswerDigest?
    /// For a stream: whether its terminal event arrived, and the error it reported, if any.
    package var completed: Bool
    package var upstreamError: String?

    /// Reads `body`, a stream of server-sent events when `streamed`, else one JSON document.
    package init(_ body: UnsafeRawBufferPointer, dialect: Dialect, streamed: Bool) {
        if streamed {
            var usageTap = StreamUsageTap(dialect: dialect)
            var digestTap = AnswerDigestTap(dialect: dialect)
            usageTap.consume(body)
            digestTap.consume(body)
            usageTap.finish()
            usage = usageTap.usage
            digest = digestTap.finish()
            completed = usageTap.completed
            upstreamError = usageTap.upstreamError
        } else {
            usage = (try? JSONDocument(bytes: body)).flatMap { UsageReader.response($0.root, dialect: dialect) }
            digest = AnswerDigest(response: body, dialect: dialect)
            completed = digest != nil
            upstreamError = nil
        }
    }
}
