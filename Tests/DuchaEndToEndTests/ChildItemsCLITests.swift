import DuchaCore
import DuchaTestSupport
import Foundation
import Testing

/// 任务分解 from the command line on a fresh test-clock ledger: `add --parent`, the children's
/// numbers, show and list, their own actions, statistics per unit, and the refusals.
@Suite struct ChildItemsCLITests {
    let cli = TestLedgerCLI("ducha-children", today: "2026-11-02")

    func setUp() throws {
        try cli.create(units: ["县住建局", "城关镇", "县财政局"])
        _ = try cli.ok(
            "add", "--title", "老旧小区改造", "--lead", "县住建局", "--deadline", "2026-12-31", "--source", "政府常务会决定事项",
            "--basis", "县政府第12次常务会议")
    }

    @Test func anItemBrokenDownIntoStagesWithTheirOwnUnitsAndDeadlines() throws {
        try setUp()
        #expect(
            try cli.ok("add", "--parent", "1", "--title", "完成摸底", "--lead", "城关镇", "--deadline", "2026-11-04")
                == "督〔2026〕第0001号之1\n")
        #expect(
            try cli.ok("add", "--parent", "督〔2026〕第0001号", "--title", "完成设计", "--lead", "县财政局", "--deadline", "2026-12-20")
                == "督〔2026〕第0001号之2\n")
        // An item of its own still takes the next serial.
        #expect(try cli.ok("add", "--title", "另一件", "--lead", "城关镇", "--deadline", "2026-12-01") == "督〔2026〕第0002号\n")
        // The child takes its parent's source and basis when it does not say.
        let child = try cli.ok("show", "1之1")
        #expect(child.contains("来源：政府常务会决定事项") && child.contains("交办依据：县政府第12次常务会议"), "\(child)")
        #expect(child.contains("上级事项：督〔2026〕第0001号  老旧小区改造"))
        // The JSON of show and list names parents and children.
        #expect(try cli.ok("show", "1", "--format", "json").contains(#""children":["督〔2026〕第0001号之1","督〔2026〕第0001号之2"]"#))
        #expect(try cli.ok("show", "1之2", "--format", "json").contains(#""parent":"督〔2026〕第0001号""#))
        // Tab completes children's numbers too.
        let completed = try Binary.run(
            ["__complete", "words", "--", "ducha", "--repo", cli.repo, "show", ""], environment: ["DUCHA_TODAY": "2026-11-02"])
        #expect(completed.stdout == "1\n1之1\n1之2\n2\n", "\(completed.stdout)")
        // Each child has its own actions.
        _ = try cli.ok("sign", "2026-1之1")
        _ = try cli.ok("complete", "1之1", "摸底完成")
        _ = try cli.ok("review", "1之1", "--approve")
        let parent = try cli.ok("show", "1", today: "2026-11-10")
        #expect(parent.contains("分解为2项，已办结1项："), "\(parent)")
        #expect(parent.contains("  之1  城关镇  已办结  按时办结  时限 2026-11-04  完成摸底"), "\(parent)")
        #expect(parent.contains("  之2  县财政局  待签收"), "\(parent)")
        // The list shows the children under their parent (in the order of the parents, most
        // urgent first: 第0002号 is due before 第0001号), numbered in full.
        let listed = try cli.ok("list", today: "2026-11-10").split(separator: "\n").map(String.init)
        let rows = listed.filter { $0.contains("督〔2026〕") }.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }
        #expect(rows == ["督〔2026〕第0002号", "督〔2026〕第0001号", "督〔2026〕第0001号之1", "督〔2026〕第0001号之2"], "\(listed)")
        // Statistics count each child for its own unit.
        let stats = try cli.ok("stats", today: "2026-11-10")
        let cgz = try #require(stats.split(separator: "\n").first { $0.contains("城关镇") })
        #expect(cgz.split(separator: " ", omittingEmptySubsequences: true)[2] == "2", "\(stats)")
        #expect(try cli.ok("check").contains("检查通过"))
    }

    @Test func refusalsAreInChineseAndWriteNothing() throws {
        try setUp()
        #expect(
            try cli.refused("add", "--parent", "1", "--title", "超期", "--lead", "城关镇", "--deadline", "2027-01-05").contains(
                "子项的时限 2027-01-05 晚于上级事项 督〔2026〕第0001号 的时限 2026-12-31"))
        #expect(try cli.refused("add", "--parent", "9", "--title", "x", "--lead", "城关镇").contains("没有编号为 9"))
        #expect(try cli.refused("add", "--parent", "1之", "--title", "x", "--lead", "城关镇").contains("不是有效的编号"))
        _ = try cli.ok("add", "--parent", "1", "--title", "完成摸底", "--lead", "城关镇", "--deadline", "2026-11-30")
        #expect(try cli.refused("add", "--parent", "1之1", "--title", "再分", "--lead", "城关镇").contains("不能再分解"))
        #expect(try cli.refused("show", "1之2").contains("没有编号为 1之2"))
        _ = try cli.ok("withdraw", "1", "--reason", "不再实施")
        #expect(try cli.refused("add", "--parent", "1", "--title", "补充", "--lead", "城关镇").contains("已撤销，不能再分解"))
    }

    /// 分别办理: one item handed to three units, each acting on its own part.
    @Test func anItemHandedToSeveralUnitsSeparately() throws {
        try setUp()
        _ = try cli.ok("unit", "add", "县教育局")
        #expect(
            try cli.ok(
                "add", "--title", "背街小巷整治", "--lead", "城关镇", "--lead", "县财政局", "--lead", "县教育局", "--deadline", "2026-11-20")
                == "督〔2026〕第0002号\n")
        // The office names the unit: --for records for it, --unit acts on its part.
        #expect(try cli.refused("sign", "2").contains("由 城关镇、县财政局、县教育局 分别办理"))
        #expect(try cli.ok("sign", "2", "--for", "城关镇").contains("已签收 督〔2026〕第0002号（城关镇）（代 城关镇 录入）"))
        _ = try cli.ok("feedback", "2", "已完成一半", "--for", "城关镇")
        _ = try cli.ok("complete", "2", "已完成", "--for", "城关镇")
        _ = try cli.ok("review", "2", "--approve", "--unit", "城关镇")
        _ = try cli.ok("sign", "督〔2026〕第0002号（县财政局）")
        _ = try cli.ok("remind", "2", "--unit", "县教育局")
        #expect(try cli.refused("sign", "2", "--for", "县住建局").contains("没有交给“县住建局”办理"))
        let shown = try cli.ok("show", "2", today: "2026-11-24")
        #expect(shown.contains("状态：办理中") && shown.contains("分别办理：城关镇、县财政局、县教育局"), "\(shown)")
        #expect(shown.contains("各单位办理情况（3个单位，已办结1个）："), "\(shown)")
        #expect(shown.contains("  城关镇  已办结  结 按时办结  最新进展：2026-11-02 已完成一半"), "\(shown)")
        #expect(shown.contains("  县教育局  待签收  红 逾期4天"), "\(shown)")
        let json = try cli.ok("show", "2", "--format", "json")
        #expect(json.contains(#""split":["城关镇","县财政局","县教育局"]"#) && json.contains(#""state":"办理中""#), "\(json)")
        #expect(try cli.ok("show", "2之3", "--format", "json").contains(#""shownNumber":"督〔2026〕第0002号（县教育局）""#))
        let part = try cli.ok("show", "2之3", today: "2026-11-24")
        #expect(part.hasPrefix("督〔2026〕第0002号（县教育局）  背街小巷整治"), "\(part)")
        // The overdue notice names only the late units, by the item's number and the unit.
        let notice = try cli.ok("export", "overdue", today: "2026-11-24")
        #expect(notice.contains("督〔2026〕第0002号（县财政局）") && notice.contains("督〔2026〕第0002号（县教育局）"), "\(notice)")
        #expect(!notice.contains("（城关镇）"))
        // Statistics: one item for each unit, none for the item itself.
        let stats = try cli.ok("stats", today: "2026-11-24")
        let edu = try #require(stats.split(separator: "\n").first { $0.contains("县教育局") })
        #expect(edu.split(separator: " ", omittingEmptySubsequences: true)[2] == "1", "\(stats)")
        #expect(try cli.ok("check").contains("检查通过"))
        // Bad input: one unit twice, co-units with several leads.
        #expect(try cli.refused("add", "--title", "x", "--lead", "城关镇", "--lead", "城关镇").contains("重复"))
        #expect(
            try cli.refused("add", "--title", "x", "--lead", "城关镇", "--lead", "县财政局", "--co", "县教育局").contains("不设配合单位"))
    }

    /// A sheet row whose 牵头单位 cell names several units becomes a 分别办理 item.
    @Test func aSheetRowWithSeveralLeadUnitsIsHandedToEach() throws {
        try setUp()
        let csv = cli.dir.sub("台账.csv")
        try Data(
            "事项,牵头单位,办理时限\n河道清淤,城关镇、县财政局,2026-12-15\n路灯维修,城关镇 县财政局,2026-12-10\n".utf8
        ).write(to: URL(fileURLWithPath: csv))
        let dry = try cli.ok("import", "--dry-run", "--source", "领导批示", "--assigned", "2026-11-02", csv)
        #expect(dry.contains("第2行：河道清淤｜来源 领导批示｜牵头 城关镇、县财政局"), "\(dry)")
        #expect(dry.contains("由各单位分别办理，各立一个分项"), "\(dry)")
        #expect(dry.contains("可导入 2 件事项"), "\(dry)")
        #expect(try cli.ok("import", "--source", "领导批示", "--assigned", "2026-11-02", csv).contains("已导入 2 件事项"))
        let shown = try cli.ok("show", "2")
        #expect(shown.contains("分别办理：城关镇、县财政局"), "\(shown)")
        #expect(try cli.ok("show", "3之2").hasPrefix("督〔2026〕第0003号（县财政局）  路灯维修"))
    }
}
