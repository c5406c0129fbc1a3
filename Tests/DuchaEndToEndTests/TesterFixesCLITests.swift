import DuchaTestSupport
import Foundation
import Testing

/// What a tester found using the command line as the office does.
@Suite struct TesterFixesCLITests {
    let cli = TestLedgerCLI("ducha-tester-fixes", today: "2026-11-02")

    @Test func aUnitWrittenWithAnOrdinaryItemsNumberIsRefused() throws {
        try cli.create(units: ["县教育局", "县财政局"])
        _ = try cli.ok("add", "--title", "校舍维修", "--lead", "县教育局", "--deadline", "2026-11-20")
        let sign = try cli.refused("sign", "1（县财政局）")
        #expect(sign.contains("督〔2026〕第0001号 不是分别办理的事项，没有交给“县财政局”办理"), "\(sign)")
        #expect(try cli.refused("remind", "1（县财政局）").contains("不是分别办理的事项"))
        #expect(try cli.refused("review", "1", "--approve", "--unit", "县财政局").contains("不是分别办理的事项"))
        #expect(try cli.refused("show", "1（县财政局）").contains("不是分别办理的事项"))
        #expect(try cli.ok("show", "1").contains("待签收"))
        _ = try cli.ok("sign", "1（县教育局）")
    }

    @Test func aPartIsNotReassignedToAUnitThatHasOne() throws {
        try cli.create(units: ["城关镇", "县财政局", "县教育局"])
        _ = try cli.ok("add", "--title", "背街小巷整治", "--lead", "城关镇", "--lead", "县财政局", "--deadline", "2026-11-20")
        let refused = try cli.refused("reassign", "1之2", "--lead", "城关镇", "--reason", "调整")
        #expect(refused.contains("分别办理的牵头单位有重复"), "\(refused)")
        _ = try cli.ok("reassign", "1（县财政局）", "--lead", "县教育局", "--reason", "调整")
        #expect(try cli.ok("show", "1").contains("县教育局"))
    }

    @Test func aSubTasksDeadlineStaysWithinItsParentsWhenReassignedOrResumed() throws {
        try cli.create(units: ["县住建局", "城关镇", "县财政局"])
        _ = try cli.ok("add", "--title", "老旧小区改造", "--lead", "县住建局", "--deadline", "2026-11-20")
        _ = try cli.ok("add", "--parent", "1", "--title", "完成摸底", "--lead", "城关镇", "--deadline", "2026-11-18")
        let refused = try cli.refused("reassign", "1之1", "--lead", "县财政局", "--reason", "调整", "--deadline", "2026-12-01")
        #expect(refused.contains("子项的时限 2026-12-01 晚于上级事项 督〔2026〕第0001号 的时限 2026-11-20"), "\(refused)")
        _ = try cli.ok("suspend", "1之1", "--reason", "等待批复")
        let resumed = try cli.ok("resume", "1之1", today: "2026-11-09")
        #expect(resumed.contains("办理时限顺延至 2026-11-20（即上级事项 督〔2026〕第0001号 的时限，子项不晚于上级事项）"), "\(resumed)")
    }

    @Test func aParentIsNotApprovedWhileASubTaskIsOpen() throws {
        try cli.create(units: ["县住建局", "城关镇"])
        _ = try cli.ok("add", "--title", "老旧小区改造", "--lead", "县住建局", "--deadline", "2026-11-20")
        _ = try cli.ok("add", "--parent", "1", "--title", "完成摸底", "--lead", "城关镇", "--deadline", "2026-11-18")
        _ = try cli.ok("sign", "1")
        _ = try cli.ok("complete", "1", "已完成")
        let refused = try cli.refused("review", "1", "--approve")
        #expect(refused.contains("还有子项未办结：督〔2026〕第0001号之1（完成摸底，待签收）"), "\(refused)")
        _ = try cli.ok("sign", "1之1")
        _ = try cli.ok("complete", "1之1", "摸底完成")
        _ = try cli.ok("review", "1之1", "--approve")
        _ = try cli.ok("review", "1", "--approve")
    }

    /// A 分别办理 item's own number, where a part is needed, is answered with what this command
    /// takes: --for, --unit, or the part's number — never an option the command lacks.
    @Test func aSplitItemsNumberIsAnsweredWithTheOptionTheCommandHas() throws {
        try cli.create(units: ["城关镇", "县财政局"])
        _ = try cli.ok("add", "--title", "背街小巷整治", "--lead", "城关镇", "--lead", "县财政局", "--deadline", "2026-11-20")
        for args in [["edit", "1", "--deadline", "2026-11-25", "--reason", "调整"], ["suspend", "1", "--reason", "等待"]] {
            let r = try cli.ducha(args)
            #expect(r.status == 1)
            #expect(r.stderr.contains("写该单位的编号（如 督〔2026〕第0001号（城关镇） 或 督〔2026〕第0001号之1）"), "\(args)：\(r.stderr)")
            #expect(!r.stderr.contains("--for") && !r.stderr.contains("--unit"), "\(args)：\(r.stderr)")
        }
        #expect(try cli.refused("sign", "1").contains("（如 --for 城关镇），或写该单位的编号"))
        #expect(try cli.refused("review", "1", "--approve").contains("（如 --unit 城关镇），或写该单位的编号"))
        _ = try cli.ok("edit", "1（城关镇）", "--deadline", "2026-11-25", "--reason", "调整")
    }

    /// show and log of a 分别办理 item list its parts' records too, each naming its unit.
    @Test func aSplitItemsHistoryListsItsPartsRecords() throws {
        try cli.create(units: ["城关镇", "县财政局"])
        _ = try cli.ok("add", "--title", "背街小巷整治", "--lead", "城关镇", "--lead", "县财政局", "--deadline", "2026-11-20")
        _ = try cli.ok("sign", "1", "--for", "城关镇")
        _ = try cli.ok("withdraw", "1", "--reason", "任务调整")
        let show = try cli.ok("show", "1")
        #expect(show.contains("［城关镇的分项］签收"), "\(show)")
        #expect(show.contains("［县财政局的分项］撤销") && show.contains("任务调整"), "\(show)")
        let log = try cli.ok("log", "1")
        #expect(log.contains("督〔2026〕第0001号（城关镇）") && log.contains("督〔2026〕第0001号（县财政局）"), "\(log)")
        #expect(log.contains("任务调整") && !log.contains("之1"), "\(log)")
        #expect(!(try cli.ok("log")).contains("之1"))
    }

    /// An export's format follows the --output file's extension when --format is not given.
    @Test func anExportsFormatFollowsTheOutputFilesExtension() throws {
        try cli.create(units: ["县教育局"])
        _ = try cli.ok("add", "--title", "校舍维修", "--lead", "县教育局", "--deadline", "2026-11-20")
        func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: cli.dir.sub(name)))) }
        _ = try cli.ok("export", "overdue", "--output", cli.dir.sub("a.docx"), today: "2026-11-25")
        #expect(try bytes("a.docx").prefix(2) == [0x50, 0x4B], "Word 文件是 zip")
        _ = try cli.ok("export", "ledger", "--output", cli.dir.sub("l.xlsx"))
        #expect(try bytes("l.xlsx").prefix(2) == [0x50, 0x4B])
        _ = try cli.ok("export", "ledger", "--output", cli.dir.sub("l.json"))
        #expect(try bytes("l.json").first == UInt8(ascii: "{") || (try bytes("l.json")).first == UInt8(ascii: "["))
        let contradicted = try cli.refused("export", "overdue", "--format", "csv", "--output", cli.dir.sub("b.docx"))
        #expect(contradicted.contains("--format csv 与输出文件的扩展名 .docx 不符"), "\(contradicted)")
        #expect(!FileManager.default.fileExists(atPath: cli.dir.sub("b.docx")))
        #expect(try cli.refused("export", "ledger", "--output", cli.dir.sub("l.docx")).contains("这里的格式应为 csv、json 或 xlsx"))
        _ = try cli.ok("export", "overdue", "--format", "text", "--output", cli.dir.sub("c.txt"), today: "2026-11-25")
        #expect(String(decoding: try bytes("c.txt"), as: UTF8.self).contains("逾期"))
        // .txt holds any text: the ledger goes there as CSV, with or without --format csv.
        _ = try cli.ok("export", "ledger", "--output", cli.dir.sub("l.txt"))
        _ = try cli.ok("export", "ledger", "--format", "csv", "--output", cli.dir.sub("l2.txt"))
        #expect(String(decoding: try bytes("l.txt"), as: UTF8.self).contains("校舍维修"))
    }

    /// The summary counts items as the list does: a 分别办理 item with its parts is one.
    @Test func theSummaryCountsItemsAsTheListDoes() throws {
        try cli.create(units: ["城关镇", "县财政局", "县教育局"])
        _ = try cli.ok(
            "add", "--title", "背街小巷整治", "--lead", "城关镇", "--lead", "县财政局", "--lead", "县教育局", "--deadline", "2026-11-20")
        #expect(try cli.ok("list").contains("共1件"))
        let summary = try cli.ok()
        #expect(summary.contains("事项1件（分别办理的按各单位分项计为3件）："), "\(summary)")
    }

    @Test func anEmptyLeadIsRefusedAsEmpty() throws {
        try cli.create(units: ["城关镇"])
        _ = try cli.ok("add", "--title", "起点", "--lead", "城关镇", "--deadline", "2026-11-20")
        for leads in [["城关镇", ""], ["", "城关镇"], [" "]] {
            let args = ["add", "--title", "背街小巷整治", "--deadline", "2026-11-20"] + leads.flatMap { ["--lead", $0] }
            let before = try String(contentsOfFile: cli.repo + "/journal.jsonl", encoding: .utf8)
            let r = try cli.ducha(args)
            #expect(r.status == 1 && r.stderr.contains("牵头单位有误：不能为空"), "\(leads)：\(r.stderr)")
            #expect(try String(contentsOfFile: cli.repo + "/journal.jsonl", encoding: .utf8) == before)
        }
    }

    @Test func fullWidthDigitsInItemNumbersAreAccepted() throws {
        try cli.create(units: ["县住建局", "城关镇"])
        _ = try cli.ok("add", "--title", "老旧小区改造", "--lead", "县住建局", "--deadline", "2026-11-20")
        _ = try cli.ok("add", "--parent", "１", "--title", "完成摸底", "--lead", "城关镇", "--deadline", "2026-11-18")
        #expect(try cli.ok("show", "１之１").contains("完成摸底"))
        _ = try cli.ok("sign", "１")
    }

    /// The 落实情况通报 gives an item closed with a completion report that report as its latest
    /// progress, not （未反馈）.
    @Test func theProgressNoticeShowsTheCompletionReport() throws {
        try cli.create(units: ["县教育局", "县财政局"])
        _ = try cli.ok("add", "--title", "校舍维修", "--lead", "县教育局", "--deadline", "2026-11-20", "--basis", "县政府第12次常务会议")
        _ = try cli.ok("add", "--title", "资金拨付", "--lead", "县财政局", "--deadline", "2026-11-20", "--basis", "县政府第12次常务会议")
        _ = try cli.ok("sign", "1")
        _ = try cli.ok("complete", "1", "校舍已全部维修完毕")
        _ = try cli.ok("review", "1", "--approve")
        for format in ["text", "csv"] {
            let notice = try cli.ok("export", "progress", "--basis", "第12次", "--format", format, "--width", "160")
            // CSV lines end in CRLF, one Character: split on any line end.
            let lines = notice.split(whereSeparator: \.isNewline)
            let row = lines.first { $0.contains("校舍维修") }.map(String.init) ?? ""
            #expect(row.contains("办结报告：校舍已全部维修完毕") && !row.contains("未反馈"), "\(format)：\(notice)")
            #expect(lines.contains { $0.contains("资金拨付") && $0.contains("未反馈") }, "\(notice)")
        }
    }
}
