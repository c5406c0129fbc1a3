import DuchaCore
import DuchaOps
import DuchaTestSupport
import Testing

/// A notice program told of a unit's part of a 分别办理 item gets the number as notices write it.
@Suite struct SplitHookPayloadTests {
    @Test func aPartsPayloadCarriesItsShownNumber() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇", "县财政局")
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: b.today, deadline: Fixtures.day("2026-11-20"))
        let n = try #require(try b.run(.registerSplit(r, leads: ["城关镇", "县财政局"])).first?.item)
        let part = Hooks.payload(.assign, item: b.item(n.child(2)), entry: nil, ledger: b.ledger)
        #expect(part.contains(#""number":"督〔2026〕第0001号之2","shownNumber":"督〔2026〕第0001号（县财政局）""#), "\(part)")
        #expect(!Hooks.payload(.assign, item: b.item(n), entry: nil, ledger: b.ledger).contains("shownNumber"))
    }
}
