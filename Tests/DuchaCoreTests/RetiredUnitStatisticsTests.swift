import DuchaCore
import DuchaTestSupport
import Testing

/// Retiring a unit takes it out of new assignments, not out of the record: its lateness, as lead
/// or as co-unit, stays in the statistics while it has items in the period.
@Suite struct RetiredUnitStatisticsTests {
    @Test func aRetiredCoUnitKeepsItsLateness() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局", "东城街道", "城关镇")
        _ = try b.register("城区停车难治理", lead: "县财政局", co: ["东城街道"], deadline: "2026-11-10")
        _ = try b.register("背街小巷整治", lead: "城关镇", deadline: "2026-11-30")
        let today = Fixtures.day("2026-11-20")
        func stats(_ ledger: Ledger) -> Statistics {
            Statistics.seen(
                by: .supervisor("clerk"), items: ledger.items, ledger: ledger,
                evaluator: StatusEvaluator(today: today, calendar: Fixtures.calendar, settings: ledger.settings), by: .unit)
        }
        let before = stats(b.ledger)
        _ = try b.run(.retireUnit(name: "东城街道"))
        let after = stats(b.ledger)
        let row = { (s: Statistics) in s.rows.first { $0.name == "东城街道" } }
        #expect(row(before)?.coLate == 1 && row(before)?.penaltyTenths == before.coPenalty)
        #expect(row(after)?.coLate == 1 && row(after)?.penaltyTenths == after.coPenalty, "\(after.rows.map(\.name))")
        #expect(after.total.penaltyTenths == before.total.penaltyTenths)
        #expect(after.text(width: 100) == before.text(width: 100))
    }
}

/// 暂缓 stops the clock, but does not forgive what a unit earned before it: an item suspended
/// when already late keeps its lateness in the statistics; one suspended in time earns none.
@Suite struct SuspensionStatisticsTests {
    func stats(_ ledger: Ledger, on day: String) -> Statistics {
        Statistics.seen(
            by: .supervisor("clerk"), items: ledger.items, ledger: ledger,
            evaluator: StatusEvaluator(today: Fixtures.day(day), calendar: Fixtures.calendar, settings: ledger.settings),
            by: .unit)
    }

    @Test func lateWhenSuspendedStaysLate() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局", "县教育局")
        let late = try b.register("城区停车难治理", lead: "县财政局", deadline: "2026-11-05")
        let inTime = try b.register("课后服务", lead: "县教育局", deadline: "2026-12-20")
        b.today = Fixtures.day("2026-11-10")
        try b.act(late, .suspend(reason: "等待上级政策"))
        try b.act(inTime, .suspend(reason: "等待上级政策"))
        #expect(b.item(late).lateAtSuspension == 5 && b.item(inTime).lateAtSuspension == 0)
        let s = stats(b.ledger, on: "2026-11-20")
        let row = { (name: String) in s.rows.first { $0.name == name } }
        #expect(row("县财政局")?.leadLate == 1 && row("县财政局")?.penaltyTenths == s.leadPenalty, "\(s.text(width: 100))")
        #expect(row("县教育局")?.leadLate == 0 && row("县教育局")?.penaltyTenths == 0)
        // A snapshot keeps it; one written before it was kept reads as unknown and still matches.
        var w = JSONWriter(capacity: 1024)
        ItemStateCodec.encode(b.item(late), into: &w)
        #expect(w.string.contains("\"suspendedLate\":5"))
        let back = try JSONReader.read(w.bytes) { (r: inout JSONReader) throws(JSONError) in
            try ItemStateCodec.decode(&r, number: late)
        }
        #expect(back.lateAtSuspension == 5 && back.sameState(as: b.item(late)))
        let old = Array(w.string.replacingAll(",\"suspendedLate\":5", with: "").utf8)
        let legacy = try JSONReader.read(old) { (r: inout JSONReader) throws(JSONError) in
            try ItemStateCodec.decode(&r, number: late)
        }
        #expect(legacy.lateAtSuspension == nil && legacy.sameState(as: b.item(late)))
        // Resumed, the item is judged on its moved deadline again.
        b.today = Fixtures.day("2026-11-20")
        try b.act(late, .resume(reason: "", calendar: Fixtures.calendar))
        #expect(b.item(late).lateAtSuspension == 0)
    }
}
