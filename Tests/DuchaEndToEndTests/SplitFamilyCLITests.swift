import DuchaTestSupport
import Foundation
import Testing

/// A family of items from the command line: a 分别办理 item filtered and counted by the state
/// its parts give it, and the deadlines of a parent and its sub-tasks kept in order.
@Suite struct SplitFamilyCLITests {
    let cli = TestLedgerCLI("ducha-split-family", today: "2026-11-02")

    /// The rows' numbers of a `list`.
    func numbers(_ listed: String) -> [String] {
        listed.split(separator: "\n").filter { $0.contains("督〔2026〕") }.map {
            String($0.split(separator: " ", omittingEmptySubsequences: true)[1])
        }
    }

    func close(_ unit: String, signed: Bool = false) throws {
        if !signed { _ = try cli.ok("sign", "1", "--for", unit) }
        _ = try cli.ok("complete", "1", "已完成", "--for", unit)
        _ = try cli.ok("review", "1", "--approve", "--unit", unit)
    }

    @Test func aSplitItemIsFilteredAndCountedByTheStateItsPartsGiveIt() throws {
        try cli.create(units: ["城关镇", "县财政局", "县教育局"])
        _ = try cli.ok(
            "add", "--title", "背街小巷整治", "--lead", "城关镇", "--lead", "县财政局", "--lead", "县教育局", "--deadline", "2026-11-20")
        _ = try cli.ok("add", "--title", "另一件", "--lead", "县财政局", "--deadline", "2026-12-20")
        let all = try cli.ok("list")
        #expect(all.contains("共2件（逾期0件，临期0件）"), "分别办理的事项连同其分项计为一件：\(all)")
        let open = try cli.ok("list", "--open")
        #expect(numbers(open).filter { $0 == "督〔2026〕第0001号" }.count == 4, "\(open)")
        // No unit has signed: the item waits for signing as its parts do.
        #expect(try cli.ok("list", "--state", "待签收").contains("分别办理"))
        // Once one has, the item is 办理中 — whatever it holds itself (its own record still says 待签收).
        _ = try cli.ok("sign", "1", "--for", "城关镇")
        #expect(try cli.ok("list", "--state", "办理中").contains("分别办理"))
        #expect(!(try cli.ok("list", "--state", "待签收")).contains("分别办理"), "事项本身显示为办理中，不按存储的状态筛选")
        #expect(try cli.ok("list", "--closed") == "没有符合条件的事项。\n")
        // 催办 of the whole item reaches the units still at work, and says which.
        #expect(try cli.ok("remind", "1") == "已催办 督〔2026〕第0001号：记入 城关镇、县财政局、县教育局 的分项（3个）\n")
        try close("城关镇", signed: true)
        try close("县财政局")
        let closed = try cli.ok("list", "--closed")
        #expect(!closed.contains("分别办理"), "还有一个单位未办结：\(closed)")
        #expect(closed.contains("共2件"), "两个单位的分项（事项本身未列出）各计一件：\(closed)")
        try close("县教育局")
        let done = try cli.ok("list", "--closed")
        #expect(numbers(done).filter { $0 == "督〔2026〕第0001号" }.count == 4, "\(done)")
        #expect(done.contains("共1件"), "\(done)")
        #expect(!(try cli.ok("list", "--open")).contains("背街小巷整治"))
        #expect(try cli.ok("list", "--state", "已办结").contains("分别办理"))
        // Overdue parts: the item counts once however many of its units are late.
        _ = try cli.ok(
            "add", "--title", "河道清淤", "--lead", "城关镇", "--lead", "县财政局", "--deadline", "2026-11-10")
        let late = try cli.ok("list", "--open", today: "2026-11-24")
        #expect(late.contains("共2件（逾期1件，临期0件）"), "\(late)")
        // Statistics count the parts, one for each unit.
        let stats = try cli.ok("stats", today: "2026-11-24")
        let cgz = try #require(stats.split(separator: "\n").first { $0.contains("城关镇") })
        #expect(cgz.split(separator: " ", omittingEmptySubsequences: true)[2] == "2", "\(stats)")
    }

    @Test func aParentsDeadlineStaysAfterItsSubTasks() throws {
        try cli.create(units: ["县住建局", "城关镇"])
        _ = try cli.ok("add", "--title", "老旧小区改造", "--lead", "县住建局", "--deadline", "2026-12-31")
        _ = try cli.ok("add", "--parent", "1", "--title", "完成摸底", "--lead", "城关镇", "--deadline", "2026-12-20")
        // The parent's deadline moved before the child's: refused, naming the child.
        let edit = try cli.refused("edit", "1", "--deadline", "2026-12-10", "--reason", "提前")
        #expect(
            edit.contains("新的时限 2026-12-10 早于子项 督〔2026〕第0001号之1（完成摸底）的时限 2026-12-20"), "\(edit)")
        // An extension of the child past the parent's deadline: refused when approved.
        _ = try cli.ok("sign", "1之1")
        _ = try cli.ok("extend", "1之1", "--to", "2027-01-15", "--reason", "拆迁未完成")
        let approve = try cli.refused("extension", "1之1", "--approve")
        #expect(
            approve.contains("批准的新时限 2027-01-15 晚于上级事项 督〔2026〕第0001号 的时限 2026-12-31"), "\(approve)")
        #expect(approve.contains("请先修改上级事项的时限"), "\(approve)")
        #expect(try cli.refused("extension", "1之1", "--approve", "--to", "2027-01-02").contains("晚于上级事项"))
        // Within the parent's deadline, or once the parent is extended, it is approved.
        _ = try cli.ok("edit", "1", "--deadline", "2027-01-31", "--reason", "整体延后")
        _ = try cli.ok("extension", "1之1", "--approve")
        #expect(try cli.ok("show", "1之1").contains("2027-01-15"))
        _ = try cli.ok("edit", "1", "--deadline", "2027-01-15", "--reason", "与子项一致")
        #expect(try cli.refused("edit", "1", "--deadline", "2027-01-14", "--reason", "再提前").contains("早于子项"))
        #expect(try cli.ok("check").contains("检查通过"))
    }

    @Test func theOfficeWithdrawsAWholeSplitItemAtOnce() throws {
        try cli.create(units: ["城关镇", "县财政局", "县教育局"])
        _ = try cli.ok(
            "add", "--title", "背街小巷整治", "--lead", "城关镇", "--lead", "县财政局", "--lead", "县教育局", "--deadline", "2026-11-20")
        try close("城关镇")
        _ = try cli.ok("sign", "1", "--for", "县财政局")
        let before = try String(contentsOfFile: cli.repo + "/journal.jsonl", encoding: .utf8).split(separator: "\n").count
        #expect(try cli.refused("withdraw", "1", "--reason", "").contains("撤销理由"))
        #expect(
            try cli.ok("withdraw", "1", "--reason", "上级政策调整，不再实施")
                == "已撤销 督〔2026〕第0001号：县财政局、县教育局 的分项（2个）已撤销\n")
        let after = try String(contentsOfFile: cli.repo + "/journal.jsonl", encoding: .utf8).split(separator: "\n").count
        #expect(after == before + 2, "两个未办结的分项各一条记录")
        for part in ["1之2", "1之3"] {
            let shown = try cli.ok("show", part)
            #expect(shown.contains("状态：已撤销"), "\(shown)")
            #expect(
                try cli.ok("log", part).contains("撤销整个分别办理事项 督〔2026〕第0001号（2个单位的分项）：上级政策调整，不再实施"), "\(part)")
        }
        #expect(try cli.ok("show", "1之1").contains("状态：已办结"), "已办结的分项不变")
        #expect(try cli.ok("show", "1").contains("状态：已办结"), "撤销的除外，其余都已办结")
        #expect(try cli.refused("withdraw", "1", "--reason", "再撤").contains("没有可撤销的分项"))
        #expect(try cli.ok("check").contains("检查通过"))
    }
}
