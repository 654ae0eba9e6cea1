import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SluiceLedger
import SluiceRouting
import SluiceWire
import Synchronization

/// Runs shadow turns: a second model answers a turn the primary has already answered, in the
/// background, and the comparison is written to the ledger.
///
/// A shadow starts only once the primary's answer has ended (its outcome recorded), so it never
/// competes with the client's answer for anything but upstream capacity, and it is never awaited
/// by a client. Its spend is counted per shadow and UTC day against the policy's `daily_cap`:
/// checked before each shadow starts, so shadows already running can pass the cap by their own
/// cost, never more. A gateway that stops drops the shadows still running; their primaries are
/// recorded as always.
final class ShadowRunner: Sendable {
    private let upstreams: UpstreamClient
    private let store: any LedgerStore
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let maxResponseBytes: Int
    /// Spend per shadow name on the day it is for.
    private let spend = Mutex<[String: (day: Int64, spent: USD)]>([:])

    init(
        upstreams: UpstreamClient, store: any LedgerStore, logger: Logger, clock: @escaping @Sendable () -> Int64,
        maxResponseBytes: Int
    ) {
        self.upstreams = upstreams
        self.store = store
        self.logger = logger
        self.clock = clock
        self.maxResponseBytes = maxResponseBytes
    }

    /// Whether the shadow may run now: what it spent today is below its daily cap.
    func admits(_ shadow: PlannedShadow) -> Bool {
        let today = UTCDateTime.daysSinceEpoch(unixMilliseconds: clock())
        return spend.withLock { spend in
            guard let entry = spend[shadow.name], entry.day == today else { return true }
            return entry.spent < shadow.dailyCap
        }
    }

    /// Starts the shadow of a finished primary turn.
    ///
    /// - Parameters:
    ///   - shadow: The planned shadow.
    ///   - body: The client's request body, as received.
    ///   - headers: The headers for the shadow's upstream, credentials included.
    ///   - stream: Whether the request asked for a stream.
    ///   - primary: The primary's answer, digested.
    ///   - turn: The primary's ledger record.
    func launch(
        _ shadow: PlannedShadow, body: ByteBuffer, headers: HTTPHeaders, stream: Bool, primary: AnswerDigest,
        turn: TurnRecord
    ) {
        Task.detached { [self] in
            let record = await run(shadow, body: body, headers: headers, stream: stream, primary: primary, turn: turn)
            let today = UTCDateTime.daysSinceEpoch(unixMilliseconds: record.startedAtMilliseconds)
            spend.withLock { spend in
                let current = spend[shadow.name].flatMap { $0.day == today ? $0.spent : nil } ?? .zero
                spend[shadow.name] = (today, current + record.cost)
            }
            do {
                try await store.record(record)
            } catch {
                logger.warning("Shadow turn not stored", metadata: ["shadow": "\(shadow.name)", "ledger.error": "\(error)"])
            }
        }
    }

    private func run(
        _ shadow: PlannedShadow, body: ByteBuffer, headers: HTTPHeaders, stream: Bool, primary: AnswerDigest,
        turn: TurnRecord
    ) async -> ShadowRecord {
        let candidate = shadow.candidate
        let route = candidate.route
        let started = ContinuousClock.now
        let sent: ByteBuffer
        switch route.body {
        case .splice(let edits): sent = body.splicing(edits)
        }
        var status = TurnStatus.ok
        var httpStatus = 0
        var usage = Usage.zero
        var digest: AnswerDigest?
        var firstByte: Int?
        do {
            let response = try await upstreams.send(sent, along: route, headers: headers, logger: logger)
            firstByte = Self.milliseconds(ContinuousClock.now - started)
            httpStatus = Int(response.status.code)
            status = TurnStatus.answered(httpStatus: httpStatus)
            let answer = try await response.body.collect(upTo: maxResponseBytes)
            if status == .ok {
                answer.withUnsafeReadableBytes { raw in
                    if stream && !ForwardedHeaders.isJSON(response.headers) {
                        var usageTap = StreamUsageTap(dialect: route.dialect)
                        var digestTap = AnswerDigestTap(dialect: route.dialect)
                        usageTap.consume(raw)
                        digestTap.consume(raw)
                        usageTap.finish()
                        usage = usageTap.usage ?? .zero
                        digest = digestTap.finish()
                        if !usageTap.completed { status = usageTap.upstreamError == nil ? .streamInterrupted : .upstreamError }
                    } else {
                        usage = (try? JSONDocument(bytes: raw)).flatMap { UsageReader.response($0.root, dialect: route.dialect) } ?? .zero
                        digest = AnswerDigest(response: raw, dialect: route.dialect)
                    }
                }
            }
        } catch {
            status = UpstreamFailure(error, route: route).status
        }
        let total = Self.milliseconds(ContinuousClock.now - started)
        let cost = candidate.priced.price.cost(of: usage, generationMilliseconds: total).total
        return ShadowRecord(
            id: UUID().uuidString.lowercased(), turn: turn, name: shadow.name, shadowModel: candidate.model.name,
            status: status, httpStatus: httpStatus, usage: usage, cost: cost, firstByteMilliseconds: firstByte,
            totalMilliseconds: total, primary: primary, shadow: status == .ok ? digest : nil)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
