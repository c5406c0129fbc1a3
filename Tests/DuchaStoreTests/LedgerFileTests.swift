import DuchaCore
import DuchaDocuments
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

@Suite struct LedgerFileTests {
    let csv =
        "事项,来源,牵头单位,配合单位,交办日期,办理时限\r\n\"城区路灯\r\n整改\",领导批示,县财政局,\"城关镇、县发改局\",2026-11-02,2026-11-20\r\n\"含\"\"引号\"\"和,逗号\",领导批示,县财政局,,2026-11-02,2026-11-20\r\n"

    @Test func utf8WithAndWithoutBOMAndExcelQuoting() throws {
        for bytes in [Array(csv.utf8), [0xEF, 0xBB, 0xBF] + Array(csv.utf8)] {
            let (text, encoding) = try LedgerFile.decode(bytes, path: "x.csv")
            #expect(encoding == "UTF-8")
            let t = LedgerFile.parse(text)
            #expect(t.header == ["事项", "来源", "牵头单位", "配合单位", "交办日期", "办理时限"])
            #expect(t.rows.count == 2)
            #expect(t.rows[0].cells[0] == "城区路灯\r\n整改" || t.rows[0].cells[0] == "城区路灯\n整改")
            #expect(t.rows[1].cells[0] == "含\"引号\"和,逗号")
            #expect(t.rows.map(\.line) == [2, 3])
        }
    }

    @Test func gb18030AsChineseExcelSavesIt() throws {
        let dir = TemporaryDirectory()
        let utf8 = dir.sub("u.csv")
        let gb = dir.sub("g.csv")
        try csv.write(toFile: utf8, atomically: true, encoding: .utf8)
        #expect(OSAccounts.shell("iconv -f UTF-8 -t GB18030 '\(utf8)' > '\(gb)'") == 0)
        let bytes = try DataDirectory.read(gb)
        #expect(String(validating: bytes, as: UTF8.self) == nil, "GB18030 的中文不是有效的 UTF-8")
        let t = try LedgerFile.read(gb)
        #expect(t.encoding == "GB18030")
        #expect(t.rows[1].cells[0] == "含\"引号\"和,逗号")
        #expect(t.rows[0].cells[3] == "城关镇、县发改局")
    }

    /// Every row naming an unknown unit is refused, and the units are also gathered once, in the
    /// order met, for one line saying what `unit add` or `--create-units` would fix.
    @Test func unknownUnitsAreGatheredOnce() throws {
        var b = LedgerBuilder(today: "2026-11-21")
        try b.units("县财政局", "城关镇")
        let t = LedgerFile.parse(
            [
                "事项,来源,牵头单位,配合单位,交办日期,办理时限",
                "甲,领导批示,县水利局,城关镇,2026-11-02,2026-11-30",
                "乙,领导批示,县财政局,县农机局、县水利局,2026-11-02,2026-11-30",
                "丙,领导批示,县水利局,,2026-11-02,2026-11-30",
            ].joined(separator: "\n") + "\n")
        let result = LedgerImport.plan(
            header: t.header, rows: t.rows, ledger: b.ledger, actor: .supervisor("clerk"), today: Fixtures.day("2026-11-21"),
            calendar: Fixtures.calendar, createUnits: false)
        guard case .failure(let p) = result else {
            Issue.record("应拒绝")
            return
        }
        #expect(p.list.map(\.line) == [2, 3, 3, 4], "\(p.list)")
        #expect(p.unknownUnits == ["县水利局", "县农机局"])
    }

    @Test func aQuoteLeftOpenOrClosedMidCellIsNamedOnceForItsRow() throws {
        var b = LedgerBuilder(today: "2026-11-21")
        try b.units("县财政局", "城关镇")
        let header = "事项,来源,批示领导,批示内容,牵头单位,配合单位,交办日期,办理时限,紧急程度"
        let second = "第二件,领导批示,张县长,办理,县财政局,,2026-11-02,2026-11-30,急"
        func problems(_ first: String) -> [LedgerImport.Problem] {
            let t = LedgerFile.parse([header, first, second].joined(separator: "\r\n") + "\r\n")
            let result = LedgerImport.plan(
                header: t.header, rows: t.rows, ledger: b.ledger, actor: .supervisor("clerk"),
                today: Fixtures.day("2026-11-21"), calendar: Fixtures.calendar, createUnits: false)
            guard case .failure(let p) = result else { return [] }
            return p.list
        }
        for first in [
            "\"城区路灯\"整改,领导批示,张县长,\"抓紧, 办理\",县财政局,城关镇,2026-11-02,2026-11-30,急",
            "\"城区路灯整改,领导批示,张县长,办理,县财政局,城关镇,2026-11-02,2026-11-30,急",
        ] {
            let p = problems(first)
            #expect(p.count == 1, "\(p)")
            #expect(p.first?.line == 2)
            #expect(p.first?.message.contains("引号不成对") == true, "\(p)")
        }
        // A quote inside an unquoted cell is kept as it is, as Excel keeps it.
        let kept = "城区\"路灯\"整改,领导批示,张县长,办理,县财政局,城关镇,2026-11-02,2026-11-30,急"
        #expect(problems(kept).isEmpty)
        #expect(LedgerFile.parse(header + "\n" + kept).rows.first?.cells.first == "城区\"路灯\"整改")
    }

    @Test func unreadableEncodingIsRefused() {
        // 0x80 alone is neither UTF-8 nor a GB18030 character.
        #expect(throws: StoreError.self) { try LedgerFile.decode([0x80, 0x81], path: "x.csv") }
    }
}
