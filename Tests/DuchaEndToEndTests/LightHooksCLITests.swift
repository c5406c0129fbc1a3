import DuchaTestSupport
import Foundation
import Testing

/// The 临期 and 逾期 notice programs from the command line, on a folder or (with
/// DUCHA_TEST_BACKEND=postgresql) a database: whichever command runs first after an item's light
/// turns yellow or red runs them, once per item and change — also when several commands run at
/// once — and what was notified is kept with the ledger (hooks-state, or the table hook_lights),
/// never in the records.
@Suite struct LightHooksCLITests {
    @Test func eachLightChangeIsNotifiedOnceWhicheverCommandsRun() throws {
        let cli = TestLedgerCLI("ducha-lights", today: "2026-11-02")
        try cli.create(units: ["县交通局", "县住建局"])
        let out = cli.dir.sub("lights")
        let program = cli.dir.sub("light")
        try Script.write("#!/bin/sh\ncat >> '\(out)'\n", to: program)
        _ = try cli.ok("config", "hook.临期", program)
        _ = try cli.ok("config", "hook.逾期", program)
        _ = try cli.ok("add", "--title", "修复城南道路", "--lead", "县交通局", "--deadline", "2026-11-20")
        _ = try cli.ok("add", "--title", "老旧小区改造", "--lead", "县住建局", "--deadline", "2026-12-31")
        func events() -> [String] {
            ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").map { line in
                let event = line.contains("\"event\":\"临期\"") ? "临期" : line.contains("\"event\":\"逾期\"") ? "逾期" : "？"
                return event + (line.contains("\"number\":\"督〔2026〕第0001号\"") ? "1" : "2")
            }
        }
        func notified() throws -> String {
            if let database = TestBackend.databaseName(cli.repo) {
                return try TestPostgres.shared().psql(
                    "SELECT number || ' ' || light FROM hook_lights ORDER BY number", database: database)
            }
            return ((try? String(contentsOfFile: cli.repo + "/hooks-state", encoding: .utf8)) ?? "").replacingOccurrences(
                of: "\t", with: " ")
        }
        let records = try TestBackend.written(cli.repo)
        // Green: nothing.
        _ = try cli.ok("list", today: "2026-11-10")
        #expect(events() == [])
        // Yellow (临期: three working days or fewer): six commands at once, one notice.
        let statuses = Statuses()
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            let r = try? cli.ducha(i % 2 == 0 ? ["list"] : ["export", "overdue"], today: "2026-11-18")
            statuses.append(r?.status ?? -1)
        }
        #expect(statuses.all == [0, 0, 0, 0, 0, 0])
        #expect(events() == ["临期1"])
        #expect(try notified() == "督〔2026〕第0001号 yellow\n")
        // Found again, the same day or the next: not notified again.
        _ = try cli.ok("list", today: "2026-11-18")
        _ = try cli.ok("stats", today: "2026-11-19")
        #expect(events() == ["临期1"])
        // Red: once.
        _ = try cli.ok("list", today: "2026-11-23")
        _ = try cli.ok("list", today: "2026-11-24")
        #expect(events() == ["临期1", "逾期1"])
        let red = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        #expect(red.contains("\"light\":\"逾期\",\"remaining\":\"逾期3天\""), "\(red)")
        #expect(try notified() == "督〔2026〕第0001号 red\n")
        // Nothing of this is a record.
        #expect(try TestBackend.written(cli.repo) == records)
        // Closed, the item leaves what is kept; the other item's yellow is notified in turn.
        _ = try cli.ok("withdraw", "1", "--reason", "并入其他事项", today: "2026-11-24")
        _ = try cli.ok("list", today: "2026-12-28")
        #expect(events() == ["临期1", "逾期1", "临期2"])
        #expect(try notified() == "督〔2026〕第0002号 yellow\n")
    }

    /// A database made before the table: the office is told, nothing is notified, and the
    /// command does its work.
    @Test(.enabled(if: TestBackend.postgres, "数据库台账"))
    func aDatabaseWithoutTheTableSaysSoAndWorksOn() throws {
        let cli = TestLedgerCLI("ducha-lights-old", today: "2026-11-02")
        try cli.create(units: ["县交通局"])
        let out = cli.dir.sub("lights")
        let program = cli.dir.sub("light")
        try Script.write("#!/bin/sh\ncat >> '\(out)'\n", to: program)
        _ = try cli.ok("config", "hook.临期", program)
        _ = try cli.ok("add", "--title", "修复城南道路", "--lead", "县交通局", "--deadline", "2026-11-20")
        let database = try #require(TestBackend.databaseName(cli.repo))
        try TestPostgres.shared().psql("DROP TABLE hook_lights", database: database)
        let r = try cli.ducha(["list"], today: "2026-11-18")
        #expect(r.status == 0 && r.stdout.contains("修复城南道路"), "\(r.stderr)")
        #expect(r.stderr.contains("临期、逾期通知未能进行") && r.stderr.contains("缺少 hook_lights 表"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

/// Exit statuses gathered from several threads.
final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int32] = []
    func append(_ v: Int32) { lock.withLock { values.append(v) } }
    var all: [Int32] { lock.withLock { values } }
}
