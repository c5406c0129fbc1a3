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
