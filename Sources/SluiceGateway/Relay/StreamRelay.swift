import AsyncHTTPClient
import Hummingbird
import NIOCore
import NIOHTTP1
import SluiceLedger
import SluiceRouting
import SluiceWire
import Synchronization

/// Relays one streamed answer to the client chunk by chunk, as it arrives, and records the turn.
///
/// Every chunk is written before it is read for usage, so the tap never delays a byte. The turn is
/// recorded exactly once: after the last byte, or, if Hummingbird never starts the body (the
/// client left before the response head went out), when the relay is released.
final class StreamRelay: Sendable {
    private let response: HTTPClientResponse
    private let account: TurnAccount
    private let recorder: Recorder
    private let channel: any Channel
    private let recorded = Mutex(false)
    /// Whether to drop the usage chunk Sluice asked for on the client's behalf (OpenAI chat).
    private let stripsUsageChunk: Bool

    init(
        response: HTTPClientResponse, account: TurnAccount, dialect: Dialect, recorder: Recorder, channel: any Channel,
        stripsUsageChunk: Bool = false
    ) {
        self.response = response
        self.account = account
        self.recorder = recorder
        self.channel = channel
        self.stripsUsageChunk = stripsUsageChunk
    }

    deinit {
        if !recorded.withLock({ $0 }) {
            recorder.record(account, status: .clientCancelled, httpStatus: Int(response.status.code), complete: false)
        }
    }

    /// The response body that runs the relay.
    func body() -> ResponseBody {
        ResponseBody { writer in try await self.relay(into: &writer) }
    }

    private func relay(into writer: inout any ResponseBodyWriter) async throws {
        let dialect = account.dialect
        var tap = StreamUsageTap(dialect: dialect)
        var status = TurnStatus.ok
        var clientWriteFailed = false
        var filter = stripsUsageChunk ? UsageChunkFilter() : nil
        let watch = ConnectionWatch.of(channel)
        await watch.guardTurn {
            do {
                for try await chunk in response.body {
                    do {
                        if filter != nil {
                            let out = chunk.withUnsafeReadableBytes { filter!.filter($0) }
                            if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
                        } else {
                            try await writer.write(chunk)
                        }
                    } catch {
                        clientWriteFailed = true
                        throw error
                    }
                    chunk.withUnsafeReadableBytes { tap.consume($0) }
                }
                if let rest = filter?.finish(), !rest.isEmpty { try? await writer.write(ByteBuffer(bytes: rest)) }
                tap.finish()
                if tap.upstreamError != nil {
                    // The upstream sent its own error event, which the client has received.
                    status = .upstreamError
                } else if !tap.completed {
                    status = .streamInterrupted
                    let error = ClientError(
                        .streamInterrupted,
                        "The upstream \"\(account.decision?.upstream ?? "")\" ended the stream before the answer was complete.")
                    try? await writer.write(Self.errorEvent(error, dialect: dialect))
                }
            } catch {
                tap.finish()
                if clientWriteFailed || watch.isClosed || Task.isCancelled {
                    status = .clientCancelled
                } else {
                    status = .streamInterrupted
                    let error = ClientError(
                        .streamInterrupted,
                        "The upstream \"\(account.decision?.upstream ?? "")\" failed in the middle of the stream.")
                    try? await writer.write(Self.errorEvent(error, dialect: dialect))
                }
            }
        }
        recorded.withLock { $0 = true }
        recorder.record(
            account, status: status, httpStatus: Int(response.status.code), usage: tap.usage,
            complete: status == .ok || status == .upstreamError, outputEstimate: tap.events)
        if status != .clientCancelled { try await writer.finish(nil) }
    }

    /// The error event, after a blank line: if the upstream died inside an event, the blank line
    /// ends that fragment, so the client's parser reads Sluice's event whole instead of gluing the
    /// two together.
    private static func errorEvent(_ error: ClientError, dialect: Dialect) -> ByteBuffer {
        ByteBuffer(string: "\n\n" + error.streamEvent(for: dialect))
    }
}
