import Foundation
import InMemoryLogging
import Logging
import SluiceLedger
import SluiceStore
import SluiceWire
import Testing

@Suite struct SQLiteLedgerStoreTests {
    @Test func roundTripsEveryFieldAcrossReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("nested/dir/ledger.sqlite")  // parent directories are created
        let records: [TurnRecord] = [
            .full(id: "b", at: 2_000), .plain(id: "a", at: 2_000), .full(id: "c", at: 1_000, tag: nil),
            .full(id: "z", at: 5_000, session: "s-2", tag: "OTHER"), .plain(id: "y", at: 6_000, session: "s-2"),
        ]

        let store = try await SQLiteLedgerStore.open(path: path, logger: TestLogging.silent)
        try await store.append(Array(records.prefix(3)))
        try await store.append(Array(records.dropFirst(3)))
        try await store.close()

        let reopened = try await SQLiteLedgerStore.open(path: path, logger: TestLogging.silent)
        let turns = try await reopened.turns(inSession: "s-1")
        #expect(turns == [records[2], records[1], records[0]])  // by time, then id
        #expect(try await reopened.turns(inSession: "s-2") == [records[3], records[4]])
        #expect(try await reopened.turns(inSession: "missing").isEmpty)

        let summaries = try await reopened.sessionSummaries()
        #expect(summaries == SessionSummary.summarize(records))
        #expect(summaries.map(\.session) == ["s-2", "s-1"])
        #expect(summaries.first { $0.session == "s-1" }?.tag == "PROJ-9")
        #expect(summaries.first { $0.session == "s-2" }?.tag == "OTHER")
        // A period: [2,000, 6,000) holds a, b and z, in time then id order.
        #expect(try await reopened.turns(from: 2_000, until: 6_000).map(\.id) == ["a", "b", "z"])
        #expect(try await reopened.turns(from: nil, until: nil).map(\.id) == ["c", "a", "b", "z", "y"])
        #expect(try await reopened.turns(from: 6_001, until: nil).isEmpty)
        try await reopened.close()
    }

    @Test func keepsOutcomesAndRemembersArms() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ledger.sqlite")
        let store = try await SQLiteLedgerStore.open(path: path, logger: TestLogging.silent)
        let outcomes = [
            SessionOutcome(id: "o1", session: "s-1", verdict: .failure, score: 0.25, note: "tests \"red\"", recordedAtMilliseconds: 10),
            SessionOutcome(id: "o2", session: "s-1", verdict: .success, recordedAtMilliseconds: 20),
        ]
        for outcome in outcomes { try await store.record(outcome) }
        try await store.record(outcomes[0])  // the same report again is stored once
        var early = TurnRecord.full(id: "a", at: 1_000, session: "s-1")
        early.arm = "control"
        var late = TurnRecord.full(id: "b", at: 9_000, session: "s-2")
        late.arm = "candidate"
        var none = TurnRecord.plain(id: "c", at: 9_500, session: "s-3")
        none.arm = nil
        try await store.append([early, late, none])
        try await store.close()

        let reopened = try await SQLiteLedgerStore.open(path: path, logger: TestLogging.silent)
        #expect(try await reopened.outcomes() == outcomes)
        #expect(SessionOutcome.latest(try await reopened.outcomes())["s-1"]?.verdict == .success)
        #expect(
            try await reopened.armAssignments(since: 0) == [
                "s-1": ArmAssignment(experiment: "grep-to-cheap", arm: "control"),
                "s-2": ArmAssignment(experiment: "grep-to-cheap", arm: "candidate"),
            ])
        // Only sessions active in the window are remembered.
        #expect(try await reopened.armAssignments(since: 5_000).keys.sorted() == ["s-2"])
        let bad = SessionOutcome(id: "o3", session: "s-1", verdict: .success, score: 2, recordedAtMilliseconds: 30)
        await #expect(throws: LedgerStoreError.self) { try await reopened.record(bad) }
        try await reopened.close()
    }

    @Test func appliesMigrationsOnceAndRecordsThem() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ledger.sqlite")
        let ids = SQLiteLedgerStore.migrations.map(\.id)

        let (logger, logs) = TestLogging.capturing()
        let first = try await SQLiteLedgerStore.open(path: path, logger: logger)
        #expect(try await first.appliedMigrations() == ids)
        try await first.append([.plain(id: "1", at: 1)])
        try await first.close()
        #expect(logs.entries.filter { $0.message == "Applied ledger migration" }.count == ids.count)

        logs.clear()
        let second = try await SQLiteLedgerStore.open(path: path, logger: logger)
        #expect(try await second.appliedMigrations() == ids)
        #expect(try await second.turns(inSession: "s-1").count == 1)
        #expect(logs.entries.filter { $0.message == "Applied ledger migration" }.isEmpty)
        try await second.close()
    }

    @Test func usesWriteAheadLogging() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ledger.sqlite")
        let store = try await SQLiteLedgerStore.open(path: path, logger: TestLogging.silent)
        try await store.append([.plain(id: "1", at: 1)])
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        try await store.close()
    }

    @Test func rejectsANegativeTokenCountAndRollsBackTheBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteLedgerStore.open(path: directory.file("ledger.sqlite"), logger: TestLogging.silent)
        var bad = TurnRecord.plain(id: "bad", at: 2)
        bad.usage.cacheRead = -1

        let error = await #expect(throws: LedgerStoreError.self) {
            try await store.append([.plain(id: "good", at: 1), bad])
        }
        #expect(error?.code == .rejectedRecord)
        #expect(error?.recordID == "bad")
        #expect(try await store.turns(inSession: "s-1").isEmpty)
        try await store.close()
    }

    @Test(
        arguments: [
            { (record: inout TurnRecord) in record.cost = USD(nanos: -1) },
            { (record: inout TurnRecord) in record.totalMilliseconds = -5 },
            { (record: inout TurnRecord) in record.httpStatus = 1_000 },
            { (record: inout TurnRecord) in record.id = "" },
        ] as [@Sendable (inout TurnRecord) -> Void])
    func schemaRejectsImpossibleValues(breaking: @Sendable (inout TurnRecord) -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteLedgerStore.open(path: directory.file("ledger.sqlite"), logger: TestLogging.silent)
        var record = TurnRecord.plain(id: "x", at: 1)
        breaking(&record)
        await #expect(throws: LedgerStoreError.self) { try await store.append([record]) }
        try await store.close()
    }

    @Test func appendingAKnownIDKeepsTheFirstRecord() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteLedgerStore.open(path: directory.file("ledger.sqlite"), logger: TestLogging.silent)
        let original = TurnRecord.full(id: "same", at: 1)
        var changed = original
        changed.cost = USD(nanos: 999)
        try await store.append([original])
        try await store.append([changed, .plain(id: "new", at: 2)])
        #expect(try await store.turns(inSession: "s-1") == [original, .plain(id: "new", at: 2)])
        try await store.close()
    }

    @Test func serializesConcurrentAppends() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteLedgerStore.open(path: directory.file("ledger.sqlite"), logger: TestLogging.silent)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<20 {
                group.addTask {
                    let batch = (0..<10).map { TurnRecord.plain(id: "\(task)-\($0)", at: Int64(task * 10 + $0)) }
                    try await store.append(batch)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.turns(inSession: "s-1").count == 200)
        #expect(try await store.sessionSummaries().first?.turns == 200)
        try await store.close()
    }

    @Test func refusesUseAfterClose() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteLedgerStore.open(path: directory.file("ledger.sqlite"), logger: TestLogging.silent)
        try await store.close()
        try await store.close()  // harmless
        let error = await #expect(throws: LedgerStoreError.self) { try await store.sessionSummaries() }
        #expect(error?.code == .closed)
    }
}
