import DuchaCore
import DuchaDocuments
import DuchaStore
import DuchaTestSupport
import Testing

@Suite struct ImportFuzzTests {
    @Test func theCSVImporterTakesAHundredThousandInputs() throws {
        var b = LedgerBuilder(today: "2026-11-21")
        try b.units("县财政局", "城关镇")
        let ledger = b.ledger
        var f = Fuzz(seed: 42)
        let header = "事项,来源,牵头单位,配合单位,交办日期,办理时限,紧急程度,编号,状态,办结日期,最新进展日期,最新进展"
        let good =
            header + "\r\n\"城区路灯\r\n整改\",领导批示,县财政局,城关镇,2026-11-02,2026-11-20,急,督〔2026〕第0005号,办理中,,2026-11-10,\"已排查,共42处\"\r\n"
        let cells = [
            "城区路灯整改", "领导批示", "县财政局", "城关镇;县水利局", "2026-02-30", "2026-11-20", "特急", "督〔2026〕第0001号", "已办结", "", "\"", "\"\"", ",",
            "\r\n", "x\u{1B}[2J", "中文",
        ]
        var imported = 0
        var refused = 0
        for i in 0..<100_000 {
            let bytes: [UInt8]
            switch i % 4 {
            case 0: bytes = f.mutate(Array(good.utf8))
            case 1: bytes = f.bytes(200)
            default:
                let rows = (0..<f.int(4)).map { _ in (0..<f.int(13)).map { _ in f.pick(cells) }.joined(separator: ",") }
                bytes = Array(([f.chance(80) ? header : "事项,来源"] + rows).joined(separator: f.chance(50) ? "\r\n" : "\n").utf8)
            }
            guard let (text, _) = try? LedgerFile.decode(bytes, path: "fuzz.csv") else { continue }
            let table = LedgerFile.parse(text)
            switch LedgerImport.plan(
                header: table.header, rows: table.rows, ledger: ledger, actor: .supervisor("clerk"),
                today: Fixtures.day("2026-11-21"),
                calendar: Fixtures.calendar, createUnits: i % 2 == 0)
            {
            case .success(let plan):
                imported += 1
                // Every command of an accepted plan is accepted when committed in order.
                var scratch = ledger
                for c in plan.commands {
                    let d = try Workflow.decide(c, by: .supervisor("clerk"), in: scratch, today: Fixtures.day("2026-11-21"))
                    for ch in d.changes {
                        try scratch.apply(
                            Entry(
                                seq: scratch.seq + 1, at: Timestamp(day: Fixtures.day("2026-11-21")), actor: "clerk", change: ch))
                    }
                }
            case .failure(let p):
                refused += 1
                #expect(!p.list.isEmpty && p.list.allSatisfy { $0.line >= 1 })
            }
        }
        print("CSV 导入：100000 个生成的输入，无崩溃；\(imported) 个整份通过并可逐条提交，\(refused) 个被逐行指出问题，其余编码无法识别")
        #expect(imported > 0 && refused > 0)
    }
}
