import DuchaCore
import DuchaTestSupport
import Testing

/// The whole ledger as one file (issue 12, point 8): every record comes back as it was, and a
/// file that was cut or forged is refused.
@Suite struct LedgerExportTests {
    func ledger() throws -> Ledger {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.run(.addUnit(Unit(name: "县财政局", kind: .department, owner: "谢志强", contact: "罗丹", phone: "0731-5521102")))
        try b.units("城关镇")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try b.run(.addUser(User(login: "cz", role: .unit, unit: "县财政局")))
        let n = try b.register("债务化解方案", lead: "县财政局", co: ["城关镇"], deadline: "2026-11-30")
        // A C1 control character, as a hostile journal line could carry (input refuses it).
        try b.record(.item(n, .comment(text: "批注\u{9B}")), actor: "clerk")
        try b.act(n, .sign, as: "cz")
        try b.act(n, .requestExtension(to: Fixtures.day("2026-12-15"), reason: "等待审计"), as: "cz")
        try b.run(.editUnit(name: "城关镇", UnitEdit(name: "城关街道")))
        return b.ledger
    }

    @Test func everyRecordComesBackAsItWas() throws {
        let l = try ledger()
        let entries = try #require(LedgerExport.entries(of: l))
        let bytes = LedgerExport.json(l, entries: entries)
        #expect(LedgerExport.looksLikeExport(bytes))
        #expect(!String(decoding: bytes, as: UTF8.self).unicodeScalars.contains { $0.value == 0x9B }, "C1 控制字符已转义")
        let back = try LedgerExport.read(bytes)
        #expect(back == entries)
        let folded = try LedgerExport.fold(back)
        #expect(folded.items == l.items)
        #expect(folded.units == l.units)
        #expect(folded.users == l.users)
        #expect(folded.formerNames == ["城关镇": "城关街道"])
        #expect(folded.items[0].pendingExtension?.to == Fixtures.day("2026-12-15"))
        #expect(LedgerExport.json(folded, entries: back) == bytes)
    }

    @Test func aCutOrForgedFileIsRefused() throws {
        let l = try ledger()
        let entries = try #require(LedgerExport.entries(of: l))
        let text = String(decoding: LedgerExport.json(l, entries: entries), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // One record dropped: the count no longer matches.
        var cut = lines
        cut.remove(at: 3)
        #expect(throws: JSONError.self) { try LedgerExport.read(Array(cut.joined(separator: "\n").utf8)) }
        // A record the unit's user could not have made (editing a unit).
        let i = try #require(lines.firstIndex { $0.contains("\"do\":\"unit.edit\"") })
        lines[i] = lines[i].replacingAll("\"by\":\"clerk\"", with: "\"by\":\"cz\"")
        let forged = try LedgerExport.read(Array(lines.joined(separator: "\n").utf8))
        #expect(throws: CoreError.self) { try LedgerExport.fold(forged) }
    }
}
