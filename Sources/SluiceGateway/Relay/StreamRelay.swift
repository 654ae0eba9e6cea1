import AsyncHTTPClient
import Hummingbird
import NIOCore
import NIOHTTP1
import SluiceLedger
import SluiceRouting
import SluiceWire

/// Relays one streamed answer to the client chunk by chunk, as it arrives, and records the turn.
///
/// Every chunk is written before it is read for usage, so the tap never delays a byte. The
/// route's ``UpstreamRoute/ResponseTransform`` says what may change on the way: today, at most
/// the usage chunk Sluice asked for on the client's behalf is dropped (``UsageChunkFilter``).
/// The turn's outcome goes to its ``TurnTicket`` once the stream has ended, before the client's
/// response does, so the client's next turn finds the session up to date.
struct StreamRelay: Sendable {
    let response: HTTPClientResponse
    let candidate: PlannedCandidate
    let fallback: TurnStatus?
    let ticket: TurnTicket
    /// Whether a shadow may mirror the turn, so the answer's bytes are kept for it.
    let keepsAnswer: Bool

    /// The response body that runs the relay, cancelled if the client leaves (`watch`).
    func body(watching watch: ConnectionWatch) -> ResponseBody {
        ResponseBody { writer in try await relay(into: &writer, watch: watch) }
    }

    private func relay(into writer: inout any ResponseBodyWriter, watch: ConnectionWatch) async throws {
        let dialect = candidate.route.dialect
        var tap = StreamUsageTap(dialect: dialect)
        // Only for a turn a shadow mirrors: the bytes as relayed, read in the shadow's task.
        var kept: ByteBuffer? = keepsAnswer ? ByteBuffer() : nil
        var filter: UsageChunkFilter?
        if case .relay(dropsUsageChunk: true) = candidate.route.response { filter = UsageChunkFilter() }
        var pieces: [UsageChunkFilter.Piece] = []
        var status = TurnStatus.ok
        var written = 0
        var clientWriteFailed = false
        let metrics = ticket.metrics
        metrics?.streaming(true)
        defer { metrics?.streaming(false) }
        await watch.guardTurn {
            do {
                for try await chunk in response.body {
                    do {
                        if filter != nil {
                            chunk.withUnsafeReadableBytes { filter!.filter($0, into: &pieces) }
                            for piece in pieces {
                                let part = Self.buffer(piece, of: chunk)
                                written += part.readableBytes
                                try await writer.write(part)
                            }
                        } else {
                            written += chunk.readableBytes
                            try await writer.write(chunk)
                        }
                    } catch {
                        clientWriteFailed = true
                        throw error
                    }
                    chunk.withUnsafeReadableBytes { tap.consume($0) }
                    kept?.writeImmutableBuffer(chunk)
                }
                if let rest = filter?.finish(), !rest.isEmpty {
                    written += rest.count
                    try? await writer.write(ByteBuffer(bytes: rest))
                }
                tap.finish()
                if tap.upstreamError != nil {
                    // The upstream sent its own error event, which the client has received.
                    status = .upstreamError
                } else if !tap.completed {
                    status = .streamInterrupted
                    written += await endWithError("ended the stream before the answer was complete", &writer)
                }
            } catch {
                tap.finish()
                if tap.ended {
                    // The terminal event reached the client, which then left before the upstream
                    // formally ended its body (the OpenAI SDK closes right after `[DONE]`): the
                    // answer was whole.
                    status = tap.upstreamError == nil ? .ok : .upstreamError
                } else if clientWriteFailed || watch.isClosed || Task.isCancelled {
                    status = .clientCancelled
                } else {
                    status = .streamInterrupted
                    written += await endWithError("failed in the middle of the stream", &writer)
                }
            }
        }
        if let kept { ticket.noteAnswer(ShadowHandoff.Answer(bytes: kept, dialect: dialect, streamed: true)) }
        await ticket.finish(
            ticket.outcome(
                status, httpStatus: Int(response.status.code), model: candidate.priced, usage: tap.usage,
                complete: status == .ok || status == .upstreamError, outputEstimate: tap.events,
                fallback: fallback?.rawValue, responseBytes: written))
        if status != .clientCancelled { try? await writer.finish(nil) }
    }

    /// Ends the client's stream with an error event in its dialect; returns the bytes written.
    ///
    /// The event comes after a blank line: if the upstream died inside an event, the blank line
    /// ends that fragment, so the client's parser reads Sluice's event whole instead of gluing the
    /// two together.
    private func endWithError(_ what: String, _ writer: inout any ResponseBodyWriter) async -> Int {
        let error = ClientError(.streamInterrupted, "The upstream \"\(candidate.route.upstream)\" \(what).")
        let event = ByteBuffer(string: "\n\n" + error.streamEvent(for: ticket.dialect))
        try? await writer.write(event)
        return event.readableBytes
    }

    /// A piece the filter passed, as a buffer: a slice of `chunk` (no copy), or held bytes.
    private static func buffer(_ piece: UsageChunkFilter.Piece, of chunk: ByteBuffer) -> ByteBuffer {
        switch piece {
        case .span(let range): chunk.getSlice(at: chunk.readerIndex + range.lowerBound, length: range.count)!
        case .held(let bytes): ByteBuffer(bytes: bytes)
        }
    }
}
