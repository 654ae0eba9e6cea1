import Foundation
import Testing

@testable import SluiceWire

/// `JSONScanner` against Foundation on request bodies real agents sent: the recorded traces in
/// `../shared/data/traces/*.jsonl.xz` next to the repository (not part of it; skipped when absent).
///
/// Every line and every body is scanned and its tape checked. Foundation's decoding is compared
/// with ours value by value on every 10th line, to keep the debug test run short; set
/// `SLUICE_TRACE_SAMPLE=1` to compare every line (about a minute in debug).
@Suite struct JSONTraceDifferentialTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/data/traces").standardizedFileURL

    static let traces: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".jsonl.xz") }.sorted()

    static let sampleEvery = max(1, Int(ProcessInfo.processInfo.environment["SLUICE_TRACE_SAMPLE"] ?? "") ?? 10)

    @Test(
        .enabled(
            if: !traces.isEmpty && FileManager.default.isExecutableFile(atPath: "/usr/bin/xz"),
            "no recorded traces (../shared/data/traces/*.jsonl.xz) or no /usr/bin/xz: skipped"),
        arguments: traces)
    func recordedBodiesScanAndReadTheSameAsFoundation(_ trace: String) throws {
        let data = try Self.decompress(Self.directory.appendingPathComponent(trace))
        var lines = 0
        var compared = 0
        var foundationRejected: [String: Int] = [:]
        var failures: [String] = []
        data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
            var start = 0
            while start < all.count {
                let end = memchr(all.baseAddress! + start, 0x0A, all.count - start).map { $0 - UnsafeMutableRawPointer(mutating: all.baseAddress!) } ?? all.count
                defer { start = end + 1 }
                guard end > start else { continue }
                lines += 1
                let line = UnsafeRawBufferPointer(rebasing: all[start..<end])
                if let failure = Self.check(line: line, number: lines, compare: lines % Self.sampleEvery == 1 || Self.sampleEvery == 1, &compared, &foundationRejected) {
                    if failures.count < 5 { failures.append("\(trace) line \(lines): \(failure)") }
                }
            }
        }
        #expect(lines > 0, "\(trace) has no lines")
        #expect(compared > 0)
        #expect(failures.isEmpty, "\(failures)")
        // Documented differences met in real traffic, if any (they are not failures).
        if !foundationRejected.isEmpty { print("\(trace): Foundation rejected bodies we accept: \(foundationRejected)") }
    }

    /// Scans one line and its `body`; compares the body with Foundation when `compare` is set.
    static func check(
        line: UnsafeRawBufferPointer, number: Int, compare: Bool, _ compared: inout Int, _ rejected: inout [String: Int]
    ) -> String? {
        let document: JSONDocument
        do { document = try JSONDocument(bytes: line) } catch { return "the line does not scan: \(error)" }
        guard let body = document.root["body"], body.kind == .object else { return "no body object" }
        let bodyBytes = UnsafeRawBufferPointer(rebasing: line[body.byteRange])
        let bodyDocument: JSONDocument
        do { bodyDocument = try JSONDocument(bytes: bodyBytes) } catch { return "the body does not scan: \(error)" }
        // The body alone indexes to the same subtree as inside the line.
        if bodyDocument.tape.entries.count != Int(body.entry.next) - body.index {
            return "body has \(bodyDocument.tape.entries.count) entries alone, \(Int(body.entry.next) - body.index) in the line"
        }
        let problems = JSONDifferential.tapeProblems(bodyDocument)
        if !problems.isEmpty { return "tape: \(problems)" }
        guard compare else { return nil }
        compared += 1
        guard let theirs = JSONDifferential.foundation(bodyBytes) else {
            guard let reason = JSONDifferential.documentedReasonFoundationRejects(Array(bodyBytes)) else {
                return "Foundation rejects the body for no documented reason"
            }
            rejected[reason, default: 0] += 1
            return nil
        }
        let disagreements = JSONDifferential.disagreements(bodyDocument.root, theirs)
        return disagreements.isEmpty ? nil : "\(disagreements)"
    }

    static func decompress(_ file: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xz")
        process.arguments = ["-dc", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "xz -dc \(file.path) failed")
        return data
    }
}
