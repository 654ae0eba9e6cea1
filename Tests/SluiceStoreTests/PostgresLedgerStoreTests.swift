import Foundation
import InMemoryLogging
import Logging
import PostgresNIO
import SluiceLedger
import SluiceRouting
import SluiceStore
import SluiceWire
import Testing

// MARK: - What every ledger store must do

/// Checks every ``LedgerStore`` must pass, whatever its backend: each takes a function that opens
/// the store under test (twice, for the checks that reopen it) and closes what it opens.
///
/// Run here against SQLite, the reference, and against PostgreSQL when a server is configured.
enum LedgerStoreContract {
    typealias Open = () async throws -> any LedgerStore

    static func roundTripsEveryFieldAcrossReopen(_ open: Open) async throws {
        let records: [TurnRecord] = [
            .full(id: "b", at: 2_000), .plain(id: "a", at: 2_000), .full(id: "c", at: 1_000, tag: nil),
            .full(id: "z", at: 5_000, session: "s-2", tag: "OTHER"), .plain(id: "y", at: 6_000, session: "s-2"),
        ]
        let store = try await open()
        try await store.append(Array(records.prefix(3)))
        try await store.append(Array(records.dropFirst(3)))
        try await store.close()

        let reopened = try await open()
        #expect(try await reopened.turns(inSession: "s-1") == [records[2], records[1], records[0]])  // by time, then id
        #expect(try await reopened.turns(inSession: "s-2") == [records[3], records[4]])
        #expect(try await reopened.turns(inSession: "missing").isEmpty)

        let summaries = try await reopened.sessionSummaries()
        #expect(summaries == SessionSummary.summarize(records))
        #expect(summaries.map(\.session) == ["s-2", "s-1"])
        #expect(summaries.first { $0.session == "s-1" }?.tag == "PROJ-9")
        #expect(try await reopened.turns(from: 2_000, until: 6_000).map(\.id) == ["a", "b", "z"])
        #expect(try await reopened.turns(from: nil, until: nil).map(\.id) == ["c", "a", "b", "z", "y"])
        #expect(try await reopened.turns(from: 6_001, until: nil).isEmpty)
        // Without features: the same records, features left out (reports and the dashboard).
        let all = try await reopened.turns(from: nil, until: nil)
        #expect(all.contains { $0.features != nil })
        let lean = try await reopened.turns(from: nil, until: nil, withFeatures: false)
        #expect(lean.allSatisfy { $0.features == nil })
        #expect(lean == all.map { turn in
            var turn = turn
            turn.features = nil
            return turn
        })
        try await reopened.close()
    }

    static func keepsOutcomesAndRemembersArms(_ open: Open) async throws {
        let store = try await open()
        let outcomes = [
            SessionOutcome(
                id: "o1", session: "s-1", verdict: .failure, score: 0.25, note: "tests \"red\"", recordedAtMilliseconds: 10),
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

        let reopened = try await open()
        #expect(try await reopened.outcomes() == outcomes)
        #expect(
            try await reopened.armAssignments(since: 0) == [
                "s-1": ArmAssignment(experiment: "grep-to-cheap", arm: "control"),
                "s-2": ArmAssignment(experiment: "grep-to-cheap", arm: "candidate"),
            ])
        #expect(try await reopened.armAssignments(since: 5_000).keys.sorted() == ["s-2"])
        let bad = SessionOutcome(id: "o3", session: "s-1", verdict: .success, score: 2, recordedAtMilliseconds: 30)
        let error = await #expect(throws: LedgerStoreError.self) { try await reopened.record(bad) }
        #expect(error?.code == .rejectedRecord)
        #expect(error?.recordID == "o3")
        try await reopened.close()
    }

    /// The refused record is named even in the middle of a batch, and nothing of the batch stays.
    static func rejectsABrokenRecordAndRollsBackTheBatch(_ open: Open) async throws {
        let store = try await open()
        var bad = TurnRecord.plain(id: "bad", at: 5)
        bad.usage.cacheRead = -1
        var batch: [TurnRecord] = (0..<10).map { TurnRecord.plain(id: "good-\($0)", at: Int64($0)) }
        batch.insert(bad, at: 5)

        let error = await #expect(throws: LedgerStoreError.self) { try await store.append(batch) }
        #expect(error?.code == .rejectedRecord)
        #expect(error?.recordID == "bad")
        #expect(try await store.turns(inSession: "s-1").isEmpty)
        try await store.append(batch.filter { $0.id != "bad" })  // the rest goes in once it is set aside
        #expect(try await store.turns(inSession: "s-1").count == 10)
        try await store.close()
    }

    /// Values the schema refuses, each breaking one rule of a plain record.
    static let impossibleValues: [@Sendable (inout TurnRecord) -> Void] = [
        { $0.cost = USD(nanos: -1) },
        { $0.totalMilliseconds = -5 },
        { $0.httpStatus = 1_000 },
        { $0.id = "" },
        { $0.firstByteMilliseconds = -1 },
        { $0.usage.webSearchRequests = -2 },
    ]

    static func rejectsImpossibleValues(_ open: Open, breaking: (inout TurnRecord) -> Void) async throws {
        let store = try await open()
        var record = TurnRecord.plain(id: "x", at: 1)
        breaking(&record)
        let error = await #expect(throws: LedgerStoreError.self) { try await store.append([record]) }
        #expect(error?.code == .rejectedRecord)
        #expect(error?.recordID == record.id)
        try await store.close()
    }

    static func appendingAKnownIDKeepsTheFirstRecord(_ open: Open) async throws {
        let store = try await open()
        let original = TurnRecord.full(id: "same", at: 1)
        var changed = original
        changed.cost = USD(nanos: 999)
        try await store.append([original])
        try await store.append([changed, .plain(id: "new", at: 2)])
        #expect(try await store.turns(inSession: "s-1") == [original, .plain(id: "new", at: 2)])
        // Twice in one batch: the first one counts, as if appended one after the other.
        var twin = TurnRecord.plain(id: "twin", at: 3)
        var secondTwin = twin
        secondTwin.cost = USD(nanos: 5)
        twin.cost = USD(nanos: 4)
        try await store.append([twin, secondTwin])
        #expect(try await store.turns(inSession: "s-1").last == twin)
        try await store.close()
    }

    static func keepsConcurrentAppends(_ open: Open) async throws {
        let store = try await open()
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

    static func keepsShadowsInPeriodOrder(_ open: Open) async throws {
        let store = try await open()
        let turn = TurnRecord.full(id: "t", at: 1_000)
        let shadows = [
            ShadowRecord.fixture(id: "s-b", at: 2_000, turn: turn), ShadowRecord.fixture(id: "s-a", at: 2_000, turn: turn),
            ShadowRecord.fixture(id: "s-c", at: 1_000, turn: turn, answered: false),
        ]
        for shadow in shadows { try await store.record(shadow) }
        var again = shadows[0]
        again.cost = USD(nanos: 1)
        try await store.record(again)  // the same id again is ignored
        try await store.close()

        let reopened = try await open()
        #expect(try await reopened.shadows(from: nil, until: nil) == [shadows[2], shadows[1], shadows[0]])
        #expect(try await reopened.shadows(from: 1_500, until: nil).map(\.id) == ["s-a", "s-b"])
        #expect(try await reopened.shadows(from: nil, until: 2_000).map(\.id) == ["s-c"])
        var bad = ShadowRecord.fixture(id: "s-bad", at: 3_000, turn: turn)
        bad.httpStatus = 1_000
        let error = await #expect(throws: LedgerStoreError.self) { try await reopened.record(bad) }
        #expect(error?.recordID == "s-bad")
        try await reopened.close()
    }

    /// The store's spend is what ``SpendRow/summing(_:)`` makes of its turns, in any order.
    static func sumsSpendLikeTheTurns(_ open: Open) async throws {
        let store = try await open()
        let day: Int64 = 86_400_000
        var records: [TurnRecord] = []
        for index in 0..<24 {
            var record = TurnRecord.plain(id: "r\(index)", at: day * 20_000 + Int64(index) * day / 6, session: "s-\(index % 3)")
            record.cost = USD(nanos: Int64(1_000 + index))
            record.user = index % 2 == 0 ? "alice" : nil
            record.tag = index % 4 == 0 ? "PROJ-1" : nil
            records.append(record)
        }
        try await store.append(records)
        let since = day * 20_000 + day / 2
        let expected = SpendRow.summing(records.filter { $0.startedAtMilliseconds >= since })
        let spend = try await store.spend(since: since)
        #expect(spend.count == expected.count)
        #expect(Set(spend) == Set(expected))
        #expect(try await store.spend(since: day * 30_000).isEmpty)
        try await store.close()
    }

    static func refusesUseAfterClose(_ open: Open) async throws {
        let store = try await open()
        try await store.close()
        try await store.close()  // harmless
        let error = await #expect(throws: LedgerStoreError.self) { try await store.sessionSummaries() }
        #expect(error?.code == .closed)
        await #expect(throws: LedgerStoreError.self) { try await store.append([.plain(id: "late", at: 1)]) }
    }
}

extension ShadowRecord {
    /// A shadow whose fields all differ from the defaults; `answered: false` is a shadow that failed.
    static func fixture(id: String, at milliseconds: Int64, turn: TurnRecord, answered: Bool = true) -> ShadowRecord {
        ShadowRecord(
            id: id, turnID: turn.id, session: turn.session, startedAtMilliseconds: milliseconds, name: "haiku-shadow",
            rule: turn.rule, shape: turn.shape, arm: answered ? "B" : nil, primaryModel: turn.model,
            shadowModel: "haiku", status: answered ? .ok : .upstreamTimeout, httpStatus: answered ? 200 : 0,
            usage: Usage(
                uncachedInput: 1, cacheRead: 2, cacheWrite5m: 3, cacheWrite1h: 4, output: 5, reasoning: 6,
                webSearchRequests: 7),
            cost: USD(nanos: 321), primaryCost: USD(nanos: 654), firstByteMilliseconds: answered ? 12 : nil,
            totalMilliseconds: 345, primaryTotalMilliseconds: 678,
            primary: Answer(toolCalls: 2, toolNames: ["Grep", "Read"], stopReason: "tool_use", textCharacters: 40),
            shadow: answered ? Answer(toolCalls: 1, toolNames: ["Grep"], stopReason: "end_turn", textCharacters: 3) : Answer(),
            sameTools: false, sameArguments: answered, sameStopReason: !answered)
    }
}

// MARK: - The contract on SQLite (the reference, always run)

@Suite struct SQLiteLedgerStoreContractTests {
    /// Runs `check` with an opener of one SQLite file in a fresh directory.
    static func onSQLite(_ check: (LedgerStoreContract.Open) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ledger.sqlite")
        try await check { try await SQLiteLedgerStore.open(path: path, logger: TestLogging.silent) }
    }

    @Test func roundTripsEveryFieldAcrossReopen() async throws {
        try await Self.onSQLite(LedgerStoreContract.roundTripsEveryFieldAcrossReopen)
    }

    @Test func keepsOutcomesAndRemembersArms() async throws {
        try await Self.onSQLite(LedgerStoreContract.keepsOutcomesAndRemembersArms)
    }

    @Test func rejectsABrokenRecordAndRollsBackTheBatch() async throws {
        try await Self.onSQLite(LedgerStoreContract.rejectsABrokenRecordAndRollsBackTheBatch)
    }

    @Test(arguments: LedgerStoreContract.impossibleValues)
    func rejectsImpossibleValues(breaking: @Sendable (inout TurnRecord) -> Void) async throws {
        try await Self.onSQLite { try await LedgerStoreContract.rejectsImpossibleValues($0, breaking: breaking) }
    }

    @Test func appendingAKnownIDKeepsTheFirstRecord() async throws {
        try await Self.onSQLite(LedgerStoreContract.appendingAKnownIDKeepsTheFirstRecord)
    }

    @Test func keepsShadowsInPeriodOrder() async throws {
        try await Self.onSQLite(LedgerStoreContract.keepsShadowsInPeriodOrder)
    }

    @Test func sumsSpendLikeTheTurns() async throws {
        try await Self.onSQLite(LedgerStoreContract.sumsSpendLikeTheTurns)
    }
}

// MARK: - PostgreSQL

/// The server `SLUICE_TEST_POSTGRES_URL` names, with a fresh schema for each test.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["SLUICE_TEST_POSTGRES_URL"]
    static var isConfigured: Bool { url != nil }

    struct NotConfigured: Error {}

    /// Runs `body` with the URL of a new, empty schema (made the connections' `search_path`
    /// through the `options` startup parameter), then drops the schema.
    static func withSchema(_ body: (String) async throws -> Void) async throws {
        guard let base = url else { throw NotConfigured() }
        let schema = "sluice_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // The name is ours (letters, digits, underscores): safe to write into the statement.
        try await execute("CREATE SCHEMA \(schema)")
        let separator = base.contains("?") ? "&" : "?"
        let schemaURL = base + separator + "options=-csearch_path%3D" + schema
        do {
            try await body(schemaURL)
        } catch {
            try? await execute("DROP SCHEMA \(schema) CASCADE")
            throw error
        }
        try await execute("DROP SCHEMA \(schema) CASCADE")
    }

    /// Runs one statement on the configured database itself.
    static func execute(_ sql: String) async throws {
        try await withAdminClient { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestLogging.silent)
        }
    }

    /// Runs `body` with a running client on the configured database itself.
    static func withAdminClient(_ body: (PostgresClient) async throws -> Void) async throws {
        guard let base = url else { throw NotConfigured() }
        let configuration = try PostgresURL(parsing: base).clientConfiguration
        let client = PostgresClient(configuration: configuration, backgroundLogger: TestLogging.silent)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await body(client)
        }
    }

    /// Opens a store on `url`, runs `body`, and closes the store whatever `body` does.
    static func withStore<Result>(
        _ url: String, logger: Logger = TestLogging.silent, _ body: (PostgresLedgerStore) async throws -> Result
    ) async throws -> Result {
        let store = try await PostgresLedgerStore.open(url: url, logger: logger)
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Runs a contract check on a fresh schema.
    static func check(_ check: (LedgerStoreContract.Open) async throws -> Void) async throws {
        try await withSchema { url in
            try await check { try await PostgresLedgerStore.open(url: url, logger: TestLogging.silent) }
        }
    }
}

@Suite(.enabled(if: TestPostgres.isConfigured), .serialized, .timeLimit(.minutes(2)))
struct PostgresLedgerStoreTests {
    @Test func roundTripsEveryFieldAcrossReopen() async throws {
        try await TestPostgres.check(LedgerStoreContract.roundTripsEveryFieldAcrossReopen)
    }

    @Test func keepsOutcomesAndRemembersArms() async throws {
        try await TestPostgres.check(LedgerStoreContract.keepsOutcomesAndRemembersArms)
    }

    @Test func rejectsABrokenRecordAndRollsBackTheBatch() async throws {
        try await TestPostgres.check(LedgerStoreContract.rejectsABrokenRecordAndRollsBackTheBatch)
    }

    @Test(arguments: LedgerStoreContract.impossibleValues)
    func rejectsImpossibleValues(breaking: @Sendable (inout TurnRecord) -> Void) async throws {
        try await TestPostgres.check { try await LedgerStoreContract.rejectsImpossibleValues($0, breaking: breaking) }
    }

    @Test func appendingAKnownIDKeepsTheFirstRecord() async throws {
        try await TestPostgres.check(LedgerStoreContract.appendingAKnownIDKeepsTheFirstRecord)
    }

    @Test func keepsConcurrentAppends() async throws {
        try await TestPostgres.check(LedgerStoreContract.keepsConcurrentAppends)
    }

    @Test func keepsShadowsInPeriodOrder() async throws {
        try await TestPostgres.check(LedgerStoreContract.keepsShadowsInPeriodOrder)
    }

    @Test func sumsSpendLikeTheTurns() async throws {
        try await TestPostgres.check(LedgerStoreContract.sumsSpendLikeTheTurns)
    }

    @Test func refusesUseAfterClose() async throws {
        try await TestPostgres.check(LedgerStoreContract.refusesUseAfterClose)
    }

    @Test func appliesMigrationsOnceAndRecordsThem() async throws {
        try await TestPostgres.withSchema { url in
            let ids = PostgresLedgerStore.migrations.map(\.id)
            let (logger, logs) = TestLogging.capturing()
            try await TestPostgres.withStore(url, logger: logger) { store in
                #expect(try await store.appliedMigrations() == ids)
                try await store.append([.plain(id: "1", at: 1)])
            }
            #expect(logs.entries.filter { $0.message == "Applied ledger migration" }.count == ids.count)

            logs.clear()
            try await TestPostgres.withStore(url, logger: logger) { (store: PostgresLedgerStore) async throws in
                #expect(try await store.appliedMigrations() == ids)
                #expect(try await store.turns(inSession: "s-1").count == 1)
            }
            #expect(logs.entries.filter { $0.message == "Applied ledger migration" }.isEmpty)
        }
    }

    @Test func gatewaysStartingTogetherApplyEachMigrationOnce() async throws {
        try await TestPostgres.withSchema { url in
            let (logger, logs) = TestLogging.capturing()
            let stores = try await withThrowingTaskGroup(of: PostgresLedgerStore.self) { group in
                for _ in 0..<3 { group.addTask { try await PostgresLedgerStore.open(url: url, logger: logger) } }
                var stores: [PostgresLedgerStore] = []
                for try await store in group { stores.append(store) }
                return stores
            }
            let ids = PostgresLedgerStore.migrations.map(\.id)
            #expect(logs.entries.filter { $0.message == "Applied ledger migration" }.count == ids.count)
            for store in stores {
                #expect(try await store.appliedMigrations() == ids)
                try await store.close()
            }
        }
    }

    @Test func storesABatchLargerThanOneInsertCanCarry() async throws {
        try await TestPostgres.withSchema { url in
            try await TestPostgres.withStore(url) { store in
                let records = (0..<1_300).map { TurnRecord.plain(id: String(format: "r%05d", $0), at: Int64($0)) }
                try await store.append(records)
                #expect(try await store.turns(inSession: "s-1") == records)
            }
        }
    }

    /// SQLite keeps any string; PostgreSQL's text cannot hold NUL, and that record is set aside.
    @Test func rejectsTextPostgreSQLCannotHold() async throws {
        try await TestPostgres.withSchema { url in
            try await TestPostgres.withStore(url) { store in
                var bad = TurnRecord.plain(id: "nul", at: 2)
                bad.reason = "before\u{0}after"
                let error = await #expect(throws: LedgerStoreError.self) {
                    try await store.append([.plain(id: "fine", at: 1), bad])
                }
                #expect(error?.code == .rejectedRecord)
                #expect(error?.recordID == "nul")
            }
        }
    }

    /// Ids and session keys sort by bytes, as in SQLite and Swift, whatever the database's locale.
    @Test func ordersIDsAndSessionsByteWise() async throws {
        try await TestPostgres.withSchema { url in
            try await TestPostgres.withStore(url) { store in
                let records: [TurnRecord] = [
                    .plain(id: "b", at: 1, session: "s-a"), .plain(id: "B", at: 1, session: "s-a"),
                    .plain(id: "_", at: 1, session: "s-a"), .plain(id: "x", at: 1, session: "S-b"),
                ]
                try await store.append(records)
                #expect(try await store.turns(inSession: "s-a").map(\.id) == ["B", "_", "b"])
                #expect(try await store.sessionSummaries() == SessionSummary.summarize(records))
                #expect(try await store.sessionSummaries().map(\.session) == ["S-b", "s-a"])
            }
        }
    }

    // MARK: Session states

    /// Counts a turn of `key` in `store`; returns the session's turns after it.
    static func touch(_ store: PostgresSessionStore, _ key: String) async -> Int {
        await store.update(key) { state in
            var next = state ?? SessionState(key: key)
            next.turns += 1
            return (next, next.turns)
        }
    }

    @Test func gatewaysSeeEachOthersSessionStates() async throws {
        try await TestPostgres.withSchema { url in
            try await TestPostgres.withStore(url) { first in
                try await TestPostgres.withStore(url) { second in
                    let one = first.sessionStore()
                    let other = second.sessionStore()
                    #expect(await other.state(of: "s") == nil)
                    #expect(await Self.touch(one, "s") == 1)
                    #expect(await other.state(of: "s")?.turns == 1)
                    #expect(await Self.touch(other, "s") == 2)
                    #expect(await one.state(of: "s")?.turns == 2)
                }
            }
        }
    }

    @Test func gatewaysShareTheFirstUserHashKeyProposed() async throws {
        try await TestPostgres.withSchema { url in
            try await TestPostgres.withStore(url) { first in
                try await TestPostgres.withStore(url) { second in
                    #expect(try await first.sharedSetting("k", proposing: "one") == "one")
                    #expect(try await second.sharedSetting("k", proposing: "two") == "one")
                    let key = try await UserHashKey.shared(in: second)
                    #expect(key.count == 64)
                    #expect(try await UserHashKey.shared(in: first) == key)
                }
            }
        }
    }

    @Test func countsEveryConcurrentUpdateOfOneSessionFromTwoGateways() async throws {
        try await TestPostgres.withSchema { url in
            try await TestPostgres.withStore(url) { first in
                try await TestPostgres.withStore(url) { second in
                    // Fifty transactions queue on one row: give the last one time to get its turn.
                    let patient = PostgresSessionStore.Configuration(timeout: .seconds(30))
                    let stores = [first.sessionStore(configuration: patient), second.sessionStore(configuration: patient)]
                    let turns = await withTaskGroup(of: Int.self) { group in
                        for index in 0..<50 {
                            let store = stores[index % 2]
                            group.addTask { await Self.touch(store, "busy") }
                        }
                        var turns: [Int] = []
                        for await turn in group { turns.append(turn) }
                        return turns
                    }
                    #expect(turns.sorted() == Array(1...50))
                    #expect(await stores[0].state(of: "busy")?.turns == 50)
                    #expect(await stores[1].state(of: "busy")?.turns == 50)
                }
            }
        }
    }

    @Test func keepsCountingInMemoryWhenTheDatabaseIsGone() async throws {
        try await TestPostgres.withSchema { url in
            let (logger, logs) = TestLogging.capturing()
            let store = try await PostgresLedgerStore.open(url: url, logger: logger)
            let sessions = store.sessionStore()
            #expect(await Self.touch(sessions, "s") == 1)
            try await store.close()  // its connections are gone: the session store must not wait or fail

            let start = ContinuousClock.now
            for expected in 2...4 { #expect(await Self.touch(sessions, "s") == expected) }
            #expect(await sessions.state(of: "s")?.turns == 4)
            #expect(start.duration(to: .now) < .seconds(5))
            let warnings = logs.entries.filter {
                $0.level == .warning && "\($0.message)".hasPrefix("Session store database unavailable")
            }
            #expect(warnings.count == 1)
        }
    }

    @Test func dropsStatesNoGatewayUpdatedWithinTheRetention() async throws {
        try await TestPostgres.withSchema { url in
            try await TestPostgres.withStore(url) { store in
                let sessions = store.sessionStore(configuration: .init(retention: .milliseconds(500), sweepInterval: 2))
                _ = await Self.touch(sessions, "old")
                try await Task.sleep(for: .seconds(1))
                _ = await Self.touch(sessions, "new")  // the second update sweeps, in the background
                var gone = false
                for _ in 0..<50 where !gone {
                    gone = await sessions.state(of: "old") == nil
                    if !gone { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(gone)
                #expect(await sessions.state(of: "new")?.turns == 1)
            }
        }
    }
}

// MARK: - URLs and locations (no server needed)

@Suite struct PostgresURLTests {
    @Test func readsEveryPart() throws {
        let url = try PostgresURL(
            parsing: "postgres://alice:s3cret@db.example:6543/ledger?sslmode=require&options=-csearch_path%3Dsluice"
                + "&application_name=gw-1&connect_timeout=3")
        #expect(url.user == "alice")
        #expect(url.password == "s3cret")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.database == "ledger")
        #expect(url.tls == .require)
        #expect(url.options == "-csearch_path=sluice")
        #expect(url.applicationName == "gw-1")
        #expect(url.connectTimeout == .seconds(3))
    }

    @Test func fillsInTheDefaults() throws {
        let url = try PostgresURL(parsing: "postgresql://alice@localhost")
        #expect(url.password == nil)
        #expect(url.port == 5432)
        #expect(url.database == nil)
        #expect(url.tls == .disable)
        #expect(url.options == nil)
        #expect(try PostgresURL(parsing: "POSTGRES://alice@localhost/").database == nil)
    }

    @Test func decodesEscapesAndIPv6() throws {
        let url = try PostgresURL(parsing: "postgres://us%40er:p@ss%3Aword@[::1]:5433/db%2Fone")
        #expect(url.user == "us@er")
        #expect(url.password == "p@ss:word")  // an unescaped @ in the password still parses
        #expect(url.host == "::1")
        #expect(url.port == 5433)
        #expect(url.database == "db/one")
    }

    @Test func describesItselfWithoutThePassword() throws {
        let url = try PostgresURL(parsing: "postgres://alice:s3cret@db.example/ledger?sslmode=verify-full")
        #expect(url.description == "postgres://alice:***@db.example:5432/ledger?sslmode=require")
        #expect(!"\(url)".contains("s3cret"))
    }

    @Test(arguments: [
        "postgres://db.example/ledger",  // no user
        "postgres://alice:s3cret@:5432/ledger",  // no host
        "postgres://alice:s3cret@db.example:port/ledger",
        "postgres://alice:s3cret@db.example:70000/ledger",
        "postgres://alice:s3cret@db.example/ledger?sslmode=prefer",
        "postgres://alice:s3cret@db.example/ledger?sslmode=sometimes",
        "postgres://alice:s3cret@db.example/ledger?sslmode",
        "postgres://alice:s3cret@db.example/ledger?pool=5",
        "postgres://alice:s3cret@db.example/ledger?connect_timeout=soon",
        "postgres://alice:s3cret@one,two/ledger",
        "postgres://alice:s3cret@%2Fvar%2Frun%2Fpostgresql/ledger",
        "postgres://alice:s3cret@[::1/ledger",
        "postgres://alice:s3%ZZcret@db.example/ledger",
        "mysql://alice:s3cret@db.example/ledger",
        "db.example/ledger",
    ])
    func refusesWhatItCannotUseWithoutShowingThePassword(text: String) {
        let error = #expect(throws: PostgresURLError.self) { try PostgresURL(parsing: text) }
        #expect(error.map { !$0.description.contains("s3cret") } ?? false)
    }

    @Test func aLedgerLocationHidesThePasswordAndSpoolsPerDatabase() throws {
        let location = try LedgerLocation(parsing: " postgres://alice:s3cret@db.example/ledger ")
        #expect(location == .postgres(url: "postgres://alice:s3cret@db.example/ledger"))
        #expect(location.description == "postgres://alice:***@db.example:5432/ledger?sslmode=disable")

        let spool = location.spoolPath(in: "/tmp/spools")
        #expect(spool.hasPrefix("/tmp/spools/postgres-"))
        #expect(spool.hasSuffix(".spool.jsonl"))
        #expect(spool.count == "/tmp/spools/postgres-".count + 16 + ".spool.jsonl".count)
        #expect(!spool.contains("s3cret"))
        // Another login to the same database shares the spool; another database does not.
        let otherUser = try LedgerLocation(parsing: "postgresql://bob:pw@DB.example:5432/ledger")
        #expect(otherUser.spoolPath(in: "/tmp/spools/") == spool)
        let otherDatabase = try LedgerLocation(parsing: "postgres://alice:s3cret@db.example/archive")
        #expect(otherDatabase.spoolPath(in: "/tmp/spools") != spool)
        #expect(location.spoolPath.hasPrefix(LedgerLocation.defaultSpoolDirectory + "/postgres-"))

        #expect(try LedgerLocation(parsing: "ledger.sqlite").spoolPath(in: "/tmp/spools") == "ledger.sqlite.spool.jsonl")
    }

    @Test func aBadLedgerURLSaysWhatIsWrongWithoutThePassword() {
        let error = #expect(throws: LedgerLocationError.self) {
            try LedgerLocation(parsing: "postgres://alice:s3cret@db.example/ledger?sslmode=prefer")
        }
        #expect(error?.description.contains("sslmode=prefer") == true)
        #expect(error?.description.contains("s3cret") == false)
    }

    /// The PostgreSQL schema history reads like SQLite's: the same ids, in the same order.
    @Test func postgresMigrationsMirrorSQLiteOnes() {
        let sqlite = SQLiteLedgerStore.migrations.map(\.id)
        let postgres = PostgresLedgerStore.migrations.map(\.id)
        #expect(postgres.filter { sqlite.contains($0) } == sqlite)
        #expect(Set(postgres).count == postgres.count)
    }
}
