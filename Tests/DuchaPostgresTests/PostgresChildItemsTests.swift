import DuchaCore
import DuchaPostgres
import DuchaStore
import DuchaTestSupport
import Testing

/// A PostgreSQL ledger keys items by year and serial: children (任务分解, 分别办理) are refused
/// there in Chinese, and nothing is written, until the schema holds them.
@Suite struct PostgresChildItemsTests {
    @Test func childItemsAreRefusedAndNothingIsWritten() throws {
        let db = try Ledgers()
        let pg = try db.create()
        try pg.commit(.addUnit(Unit(name: "城关镇", kind: .township)), login: "clerk", clock: Ledgers.clock)
        try pg.commit(.addUnit(Unit(name: "县财政局", kind: .department)), login: "clerk", clock: Ledgers.clock)
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "城关镇", assignedOn: Ledgers.today, deadline: Fixtures.day("2026-11-30"))
        let n = try #require(try pg.commit(.register(r), login: "clerk", clock: Ledgers.clock).first?.item)
        let seq = pg.ledger.seq
        for command in [Command.registerSplit(r, leads: ["城关镇", "县财政局"]), .registerChild(of: ItemReference(n), r)] {
            #expect {
                try pg.commit(command, login: "clerk", clock: Ledgers.clock)
            } throws: { ($0 as? StoreError)?.message.contains("PostgreSQL 台账暂不支持任务分解和分别办理") == true }
        }
        #expect(pg.ledger.seq == seq)
        #expect(try PostgresStore.open(db.app, mode: .full).ledger.seq == seq)
    }
}
