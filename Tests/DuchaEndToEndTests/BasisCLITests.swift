import DuchaCore
import DuchaTestSupport
import Foundation
import Testing

/// An item's basis from the command line on a fresh test-clock ledger: add, edit, list, stats
/// by basis, the 落实情况通报 and its serial, and a meeting's decisions imported in one go.
@Suite struct BasisCLITests {
    let cli = TestLedgerCLI("ducha-basis", today: "2026-11-20")
    var repo: String { cli.repo }
    var dir: TemporaryDirectory { cli.dir }

    func setUp() throws {
        try cli.create(units: ["县住建局", "县教育局", "县财政局"])
        _ = try cli.ok(
            "add", "--title", "老旧小区改造", "--lead", "县住建局", "--deadline", "2026-12-18", "--basis", "县政府第12次常务会议",
            "--basis-number", "〔2026〕12号", "--basis-date", "2026-11-18")
        _ = try cli.ok(
            "add", "--title", "学校食堂提质", "--lead", "县教育局", "--deadline", "2026-12-01", "--basis", "县政府第12次常务会议",
            "--basis-number", "〔2026〕12号", "--basis-date", "2026-11-18")
        _ = try cli.ok("add", "--title", "预算绩效评价", "--lead", "县财政局", "--deadline", "2026-12-31", "--basis", "县委常委会第5次会议")
        _ = try cli.ok("add", "--title", "没有依据的一件", "--lead", "县财政局", "--deadline", "2026-12-31")
    }

    @Test func addEditListAndShowTheBasis() throws {
        try setUp()
        #expect(try cli.ok("show", "1").contains("交办依据：县政府第12次常务会议（〔2026〕12号），2026年11月18日"))
        let listed = try cli.ok("list", "--basis", "12号")
        #expect(listed.contains("老旧小区改造") && listed.contains("学校食堂提质") && !listed.contains("预算绩效"))
        #expect(listed.contains("共2件"))
        #expect(try cli.ok("list", "--basis", "常委会").contains("预算绩效评价"))
        #expect(try cli.ok("list", "--basis", "第99次").contains("没有符合条件的事项"))
        // Tab completes the names of the bases in the ledger.
        let completed = try Binary.run([
            "__complete", "words", "--", "ducha", "--repo", repo, "export", "progress", "--basis", "县",
        ])
        #expect(completed.stdout == "县政府第12次常务会议\n县委常委会第5次会议\n", "\(completed.stdout)")
        let json = try cli.ok("show", "1", "--format", "json")
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect((obj["basis"] as? [String: String]) == ["name": "县政府第12次常务会议", "number": "〔2026〕12号", "date": "2026-11-18"])
        // Bad input: a 文号 without a name, a date that is none; nothing written.
        #expect(try cli.refused("add", "--title", "X", "--lead", "县财政局", "--basis-number", "〔2026〕1号").contains("须同时写明交办依据的名称"))
        #expect(
            try cli.refused("add", "--title", "X", "--lead", "县财政局", "--basis", "会", "--basis-date", "2026-13-01").contains(
                "日期无效"))
        #expect(try cli.refused("edit", "1", "--basis", "").contains("须同时写明交办依据的名称"))
        #expect(try cli.ok("edit", "4", "--basis", "县委常委会第5次会议").contains("交办依据 → 县委常委会第5次会议"))
        #expect(try cli.ok("list", "--basis", "县委常委会第5次会议").contains("共2件"))
        #expect(try cli.ok("check").contains("检查通过"))
    }

    @Test func statsByBasisAndTheProgressNotice() throws {
        try setUp()
        _ = try cli.ok("sign", "1", today: "2026-11-21")
        _ = try cli.ok("feedback", "1", "外立面改造完成", today: "2026-11-25")
        _ = try cli.ok("complete", "1", "已完成", today: "2026-11-28")
        _ = try cli.ok("review", "1", "--approve", today: "2026-11-28")
        let stats = try cli.ok("stats", "--by", "basis", "--format", "csv", today: "2026-12-15")
        #expect(stats.contains("依据,承办总数,已办结,按时办结,逾期办结,在办,逾期未办结,完成率"), "\(stats)")
        #expect(stats.contains("县政府第12次常务会议（〔2026〕12号）,2,1,1,0,1,1,50.0%"), "\(stats)")
        #expect(stats.contains("（未注明依据）,1,0"), "\(stats)")
        #expect(try cli.ok("stats", "--by", "依据", today: "2026-12-15").contains("督查事项办理情况统计（按依据）"))
        // The preview keeps the serial; --issue records it, per basis.
        let preview = try cli.ok("export", "progress", "--basis", "第12次", today: "2026-12-15")
        for expected in [
            "县政府第12次常务会议交办事项落实情况通报", "第1期（预览）", "共2件，已办结1件，完成率50.0%", "按时办结", "逾期14天",
            "外立面改造完成", "台账校验码：第", "请县教育局抓紧办理",
        ] {
            #expect(
                preview.replacingOccurrences(of: "\n", with: "").contains(expected) || preview.contains(expected),
                "缺少“\(expected)”：\n\(preview)")
        }
        let issued = try cli.ducha(["export", "progress", "--basis", "〔2026〕12号", "--issue"], today: "2026-12-15")
        #expect(issued.status == 0 && issued.stdout.contains("第1期\n") && !issued.stdout.contains("预览"), "\(issued.stderr)")
        #expect(issued.stderr.contains("已印发“县政府第12次常务会议（〔2026〕12号）”落实情况通报第1期（共2件，已办结1件，完成率50.0%）"))
        #expect(try cli.ok("export", "progress", "--basis", "第12次", today: "2026-12-15").contains("第2期（预览）"))
        #expect(try cli.ok("export", "progress", "--basis", "常委会", today: "2026-12-15").contains("第1期（预览）"))
        #expect(try cli.ok("log").contains("印发“县政府第12次常务会议（〔2026〕12号）”落实情况通报第1期（共2件，已办结1件）"))
        let json = try cli.ok("export", "progress", "--basis", "第12次", "--format", "json", today: "2026-12-15")
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect((obj["summary"] as? [String: Any])?["completionRate"] as? String == "50.0%")
        #expect(obj["serial"] as? Int == 2)
        // A basis named ambiguously or not at all: a clear refusal, nothing written.
        #expect(try cli.refused("export", "progress", "--basis", "会议", today: "2026-12-15").contains("对应2个依据"))
        #expect(try cli.refused("export", "progress", "--basis", "第99次", today: "2026-12-15").contains("没有依据为“第99次”的事项"))
        // The 公文 and the workbook say the same.
        let docx = dir.sub("通报.docx")
        _ = try cli.ok("export", "progress", "--basis", "第12次", "--format", "docx", "--output", docx, today: "2026-12-15")
        let xlsx = dir.sub("通报.xlsx")
        _ = try cli.ok("export", "progress", "--basis", "第12次", "--format", "xlsx", "--output", xlsx, today: "2026-12-15")
        func read(_ kind: String, _ file: String) throws -> String {
            let r = try DocumentsTests.tool("python3", [Fixtures.packageRoot + "/Tests/Fixtures/read_papers.py", kind, file])
            #expect(r.status == 0, "read_papers.py \(kind)：\(r.stderr)")
            return r.stdout
        }
        let document = try read("docx", docx)
        #expect(document.contains("县政府第12次常务会议交办事项落实情况通报") && document.contains("共2件，已办结1件，完成率50.0%"))
        #expect(document.contains("第2期（预览）") && document.contains("外立面改造完成"), "\(document)")
        let book = try read("xlsx", xlsx)
        #expect(book.contains("\"老旧小区改造\"") && book.contains("\"按时办结\"") && book.contains("\"待签收，逾期14天\""), "\(book)")
        #expect(try cli.ok("check").contains("检查通过"))
    }

    @Test func aMeetingsDecisionsImportedInOneGoOrNotAtAll() throws {
        try setUp()
        let sheet = dir.sub("第13次常务会议.csv")
        let good = ["议定事项,责任单位,完成时限", "城区停车场建设,县住建局,2026-12-31", "中小学课后服务,县教育局,2026-12-31"]
        // The third row names a unit the roster lacks: the whole sheet is refused, by row.
        try (good + ["农贸市场改造,县商务局,2026-12-31"]).joined(separator: "\r\n").write(
            toFile: sheet, atomically: true, encoding: .utf8)
        let args = [
            "import", sheet, "--source", "政府常务会决定事项", "--assigned", "2026-11-20", "--basis", "县政府第13次常务会议",
            "--basis-number", "〔2026〕13号", "--basis-date", "2026-11-19",
        ]
        let before = try TestBackend.written(repo)
        let bad = try cli.ducha(args)
        #expect(bad.status == 1 && bad.stderr.contains("第4行") && bad.stderr.contains("县商务局"), "\(bad.stderr)")
        #expect(bad.stderr.contains("没有导入任何事项"))
        #expect(try TestBackend.written(repo) == before)
        try good.joined(separator: "\r\n").write(toFile: sheet, atomically: true, encoding: .utf8)
        let dry = try cli.ducha(args + ["--dry-run"])
        #expect(dry.stdout.contains("交办依据：表中没有此列，全部记为“县政府第13次常务会议（〔2026〕13号）”"), "\(dry.stdout)")
        let done = try cli.ducha(args)
        #expect(done.status == 0 && done.stdout.contains("已导入 2 件事项"), "\(done.stderr)")
        let listed = try cli.ok("list", "--basis", "〔2026〕13号")
        #expect(listed.contains("城区停车场建设") && listed.contains("中小学课后服务") && listed.contains("共2件"))
        #expect(try cli.ok("show", "5").contains("交办依据：县政府第13次常务会议（〔2026〕13号），2026年11月19日"))
        // --basis-number alone is refused before anything is read.
        #expect(try cli.refused("import", sheet, "--basis-number", "〔2026〕13号").contains("须与 --basis 同用"))
    }
}
