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
/// background, and the comparison is written to the ledger (decision 0008).
///
/// A shadow starts only once the primary's answer has ended and been recorded, so it is never
/// awaited by a client; the primary's bytes are read and compared in the shadow's task, not on the
/// relay. Admission is atomic: a shadow starts only if its shadow's spend today, plus what the
/// shadows already running reserved, plus its own reservation (the primary's usage at the shadow
/// model's prices: the same prompt, the same length of answer) stays under the policy's
/// `daily_cap`; its real cost replaces the reservation when it ends. Only ``maxRunning`` run at
/// once, so shadows cannot crowd the primaries' connections. Spend is per gateway instance, seeded at start
/// from the ledger's shadow turns of the day. ``shutdown()`` cancels the shadows still running.
package final class ShadowRunner: Sendable {
    private let upstreams: UpstreamClient
    private let store: any LedgerStore
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let maxResponseBytes: Int
    private let state = Mutex(State())

    /// Shadows running at once, at most; more are skipped, not queued.
    static let maxRunning = 8

    private struct State {
        /// Per shadow name: the day counted, its spend, and what running ones reserved.
        var days: [String: Day] = [:]
        var running: [UUID: Task<Void, Never>] = [:]
        var stopped = false
    }

    private struct Day {
        var day: Int64
        var spent = USD.zero
        var reserved = USD.zero
    }

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

    /// Counts the shadow turns the ledger already holds for today, so a restart does not reset the caps.
    func seed() async {
        let today = UTCDateTime.daysSinceEpoch(unixMilliseconds: clock())
        do {
            let shadows = try await store.shadows(from: today * UTCDateTime.millisecondsPerDay, until: nil)
            state.withLock { state in
                for shadow in shadows { state.days[shadow.name, default: Day(day: today)].spent += shadow.cost }
            }
        } catch {
            logger.warning("Shadow spend not read from the ledger", metadata: ["ledger.error": "\(error)"])
        }
    }

    /// Whether a shadow could start now; checked when the turn is planned, so the relay keeps the
    /// answer's bytes only for turns that may be mirrored.
    func mayRun(_ shadow: PlannedShadow) -> Bool {
        let today = UTCDateTime.daysSinceEpoch(unixMilliseconds: clock())
        return state.withLock { state in
            !state.stopped && state.running.count < Self.maxRunning
                && state.days[shadow.name].map { $0.day != today || $0.spent + $0.reserved < shadow.dailyCap } ?? true
        }
    }

    /// Starts the shadow of a finished primary turn, if its cap and the running limit allow.
    ///
    /// - Parameters:
    ///   - handoff: The shadow, the request and its headers.
    ///   - primary: The primary's answer as relayed.
    ///   - turn: The primary's ledger record.
    func launch(_ handoff: ShadowHandoff, primary: ShadowHandoff.Answer, turn: TurnRecord) {
        let shadow = handoff.shadow
        // Mirroring the model that answered (a fallback) compares it with itself.
        guard turn.model != shadow.candidate.model.name else { return }
        let today = UTCDateTime.daysSinceEpoch(unixMilliseconds: clock())
        let id = UUID()
        let admitted: USD? = state.withLock { state in
            guard !state.stopped, state.running.count < Self.maxRunning else { return nil }
            var day = state.days[shadow.name].flatMap { $0.day == today ? $0 : nil } ?? Day(day: today)
            let reservation = shadow.candidate.priced.price.cost(of: turn.usage).total
            guard day.spent + day.reserved + reservation <= shadow.dailyCap else { return nil }
            day.reserved += reservation
            state.days[shadow.name] = day
            state.running[id] = Task.detached { [self] in
                await run(handoff, primary: primary, turn: turn, reservation: reservation, day: today, id: id)
            }
            return reservation
        }
        if admitted == nil {
            logger.debug("Shadow skipped: its daily cap or the running limit", metadata: ["shadow": "\(shadow.name)"])
        }
    }

    /// Cancels the shadows still running and waits for them; later launches are refused.
    func shutdown() async {
        let running = state.withLock { state in
            state.stopped = true
            return Array(state.running.values)
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    private func run(
        _ handoff: ShadowHandoff, primary: ShadowHandoff.Answer, turn: TurnRecord, reservation: USD, day: Int64,
        id: UUID
    ) async {
        let record = await answer(handoff, primary: primary, turn: turn)
        state.withLock { state in
            state.running[id] = nil
            guard var entry = state.days[handoff.shadow.name], entry.day == day else { return }
            entry.reserved -= reservation
            entry.spent += record.cost
            state.days[handoff.shadow.name] = entry
        }
        do {
            try await store.record(record)
        } catch {
            logger.warning(
                "Shadow turn not stored", metadata: ["shadow": "\(handoff.shadow.name)", "ledger.error": "\(error)"])
        }
    }

    /// Sends the request to the shadow's model, reads its answer and the primary's, and compares.
    private func answer(_ handoff: ShadowHandoff, primary: ShadowHandoff.Answer, turn: TurnRecord) async -> ShadowRecord {
        let candidate = handoff.shadow.candidate
        let route = candidate.route
        let started = ContinuousClock.now
        let sent: ByteBuffer
        switch route.body {
        case .splice(let edits): sent = handoff.body.splicing(edits)
        }
        var status = TurnStatus.ok
        var httpStatus = 0
        var reading: AnswerReading?
        var firstByte: Int?
        do {
            let response = try await upstreams.send(sent, along: route, headers: handoff.headers, logger: logger)
            firstByte = (ContinuousClock.now - started).milliseconds
            httpStatus = Int(response.status.code)
            status = TurnStatus.answered(httpStatus: httpStatus)
            let body = try await response.body.collect(upTo: maxResponseBytes)
            if status == .ok {
                let streamed = handoff.stream && !ForwardedHeaders.isJSON(response.headers)
                let read = body.withUnsafeReadableBytes { AnswerReading($0, dialect: route.dialect, streamed: streamed) }
                if !read.completed { status = read.upstreamError == nil ? .streamInterrupted : .upstreamError }
                reading = read
            }
        } catch {
            status = Task.isCancelled ? .clientCancelled : UpstreamFailure(error, route: route).status
        }
        let total = (ContinuousClock.now - started).milliseconds
        let usage = reading?.usage ?? .zero
        let primaryDigest = primary.bytes.withUnsafeReadableBytes {
            AnswerReading($0, dialect: primary.dialect, streamed: primary.streamed).digest
        }
        return ShadowRecord(
            id: UUID().uuidString.lowercased(), turn: turn, name: handoff.shadow.name,
            shadowModel: candidate.model.name, status: status, httpStatus: httpStatus, usage: usage,
            cost: candidate.priced.price.cost(of: usage, generationMilliseconds: total).total,
            firstByteMilliseconds: firstByte, totalMilliseconds: total, primary: primaryDigest ?? AnswerDigest(),
            shadow: status == .ok ? reading?.digest : nil)
    }
}
