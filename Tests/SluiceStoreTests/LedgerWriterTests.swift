import Foundation
import InMemoryLogging
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import SluiceLedger
import SluiceStore
import SluiceWire
import Testing

@Suite(.timeLimit(.minutes(1))) struct LedgerWriterTests {
    static let fast = LedgerWriter.Configuration(
        maxBatchSize: 64, spoolGrace: .milliseconds(300), initialRetryDelay: .milliseconds(5),
        maxRetryDelay: .milliseconds(20), spoolRetryInterval: .milliseconds(50))

    /// Runs the writer while `body` runs, then cancels it and waits for it to finish draining.
    static func running(_ writer: LedgerWriter, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await writer.run() }
            try await body()
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    static func records(_ count: Int, from start: Int = 0) -> [TurnRecord] {
        (start..<start + count).map { TurnRecord.plain(id: String(format: "r%05d", $0), at: Int64($0)) }
    }

    @Test func retriesAFailingStoreUntilItRecoversAndLosesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = FlakyStore(failures: 3)
        let (logger, logs) = TestLogging.capturing()
        let writer = LedgerWriter(
            store: store, spoolPath: directory.file("spool.jsonl"),
            configuration: .init(maxBatchSize: 64, spoolGrace: .seconds(30), initialRetryDelay: .milliseconds(5)),
            logger: logger)
        let sent = Self.records(300)

        try await Self.running(writer) {
            for record in sent { writer.record(record) }
            await writer.flush()
        }

        #expect(await store.records == sent)
        #expect(await store.attempts >= 3 + 300 / 64)
        #expect(!FileManager.default.fileExists(atPath: directory.file("spool.jsonl")))
        // One error for the outage, however many retries it took, and no record contents.
        let errors = logs.entries.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.metadata["ledger.batch.count"] != nil)
        #expect(logs.entries.contains { $0.message == "Ledger store recovered" })
    }

    @Test func spoolsToDiskWhenTheStoreStaysDownAndANewWriterIngestsTheSpool() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spoolPath = directory.file("ledger.sqlite.spool.jsonl")
        let sent = Self.records(100)

        let broken = FlakyStore(failures: .max)
        let first = LedgerWriter(
            store: broken, spoolPath: spoolPath, configuration: Self.fast, logger: TestLogging.silent)
        try await Self.running(first) {
            for record in sent { first.record(record) }
            await first.flush()
        }
        #expect(await broken.records.isEmpty)
        #expect(try String.lines(ofFile: spoolPath).count == 100)

        let good = try await SQLiteLedgerStore.open(path: directory.file("ledger.sqlite"), logger: TestLogging.silent)
        let second = LedgerWriter(
            store: good, spoolPath: spoolPath, configuration: Self.fast, logger: TestLogging.silent)
        let later = Self.records(1, from: 100)
        try await Self.running(second) {
            second.record(later[0])
            await second.flush()  // the spool is ingested at start, before the first batch
        }
        #expect(try await good.turns(inSession: "s-1") == sent + later)
        #expect(!FileManager.default.fileExists(atPath: spoolPath))
        #expect(!FileManager.default.fileExists(atPath: spoolPath + ".ingesting"))
        try await good.close()
    }

    @Test func ingestsTheSpoolOnceTheStoreRecoversWithoutNewTurns() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spoolPath = directory.file("spool.jsonl")
        // Fails long enough to exceed the grace, then recovers.
        let store = FlakyStore(failures: 20, delay: .milliseconds(20))
        let writer = LedgerWriter(
            store: store, spoolPath: spoolPath, configuration: Self.fast, logger: TestLogging.silent)
        let sent = Self.records(10)
        try await Self.running(writer) {
            for record in sent { writer.record(record) }
            await writer.flush()
            var waited = Duration.zero
            while await store.records.count < sent.count, waited < .seconds(20) {
                try await Task.sleep(for: .milliseconds(20))
                waited += .milliseconds(20)
            }
        }
        #expect(await store.records == sent)
        #expect(!FileManager.default.fileExists(atPath: spoolPath))
    }

    @Test func gracefulShutdownDrainsTheQueue() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = FlakyStore(failures: 0, delay: .milliseconds(5))
        let writer = LedgerWriter(store: store, spoolPath: directory.file("spool.jsonl"), logger: TestLogging.silent)
        let sent = Self.records(2_000)

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                for record in sent { writer.record(record) }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()  // run() returns only after draining
            }
        }
        #expect(await store.records == sent)
        #expect(writer.backlog == 0)
    }

    @Test func gracefulShutdownSpoolsWhatTheStoreCannotTake() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spoolPath = directory.file("spool.jsonl")
        let writer = LedgerWriter(
            store: FlakyStore(failures: .max), spoolPath: spoolPath, logger: TestLogging.silent)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                for record in Self.records(50) { writer.record(record) }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(try String.lines(ofFile: spoolPath).count == 50)

        // After run() has returned, records still go to disk rather than nowhere.
        writer.record(TurnRecord.plain(id: "late", at: 99))
        await writer.flush()
        #expect(try String.lines(ofFile: spoolPath).count == 51)
    }

    @Test func setsAsideARecordTheStoreRefusesAndWritesTheRest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spoolPath = directory.file("spool.jsonl")
        let store = try await SQLiteLedgerStore.open(path: directory.file("ledger.sqlite"), logger: TestLogging.silent)
        let writer = LedgerWriter(
            store: store, spoolPath: spoolPath, configuration: Self.fast, logger: TestLogging.silent)
        var bad = TurnRecord.plain(id: "bad", at: 2)
        bad.usage.output = -3
        let good = [TurnRecord.plain(id: "a", at: 1), .plain(id: "c", at: 3)]

        try await Self.running(writer) {
            writer.record(good[0])
            writer.record(bad)
            writer.record(good[1])
            await writer.flush()
        }
        #expect(try await store.turns(inSession: "s-1") == good)
        let rejected = try String.lines(ofFile: spoolPath + ".rejected")
        #expect(rejected.count == 1)
        let decoded = try JSONDecoder().decode(TurnRecord.self, from: Data(rejected[0].utf8))
        #expect(decoded == bad)
        try await store.close()
    }

    @Test func flushReturnsAtOnceWhenNothingIsQueued() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = LedgerWriter(
            store: InMemoryLedgerStore(), spoolPath: directory.file("spool.jsonl"), logger: TestLogging.silent)
        await writer.flush()
    }
}
