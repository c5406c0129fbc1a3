import DuchaCore
import DuchaTUI
import DuchaTestSupport
import Testing

/// A on an item: the path of a file (relative to where ducha was started, ~ for the home
/// folder), then a note, and the runner is asked to read and keep the file; a leader, or a
/// closed item, is refused at once with the workflow's reason; the detail lists the evidence.
@Suite struct EvidenceKeyTests {
    typealias F = TUIFixtures

    func attachEffect(_ effects: [Effect]) -> (ItemNumber, String, String)? {
        for e in effects { if case .attachFile(let n, let path, let note) = e { return (n, path, note) } }
        return nil
    }

    @Test func aLedgerInADatabaseOffersNoEvidenceKey() {
        var s = F.state("czj", cols: 120)
        s.keepsEvidence = false
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.enter])
        #expect(!KeyTablesProbe.barKeys(s).contains("A"), "数据库台账的键栏不提示 A")
        F.type(&s, [.char("A")])
        #expect(s.modal == nil, "不打开上传表单")
        #expect(s.message?.text == "这个台账在数据库中，不能保存佐证材料（佐证材料只能存于台账目录）" && s.message?.isError == true)
    }

    @Test func aUnitAttachesAFileFromTheDetailPage() {
        var s = F.state("czj", cols: 120)
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.enter])
        #expect(s.page == .detail)
        #expect(KeyTablesProbe.barKeys(s).contains("A"), "键栏提示 A")
        F.type(&s, [.char("A")])
        guard case .form(let form) = s.modal?.body else {
            Issue.record("应打开上传表单")
            return
        }
        #expect(form.value(.path) == "/tmp/导出/", "路径从启动 ducha 的目录开始")
        let screen = Renderer.render(s).text
        #expect(screen.contains("上传佐证材料 \(F.number("政府债务风险化解方案"))") && screen.contains("最大 20 MB"), "\(screen)")
        F.type(&s, [.ctrl("u")] + F.text("~/材料/实施方案.pdf") + [.tab] + F.text("经局党组审定"))
        let asked = attachEffect(F.type(&s, [.enter]))
        #expect(asked?.0 == F.number("政府债务风险化解方案"))
        #expect(asked?.1 == UserPath.home() + "/材料/实施方案.pdf")
        #expect(asked?.2 == "经局党组审定")
        // The dialog stays until the runner says the file was kept (or why not: then it can be fixed).
        #expect(s.modal != nil)
        s.commitFailed("/root/材料/实施方案.pdf 读取佐证材料失败：文件或目录不存在")
        #expect(s.modal != nil)
    }

    @Test func aRelativePathIsWhereDuchaWasStartedAnEmptyOneIsRefused() {
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("A"), .ctrl("u")] + F.text("照片.jpg"))
        #expect(attachEffect(F.type(&s, [.enter]))?.1 == "/tmp/导出/照片.jpg")
        var t = F.state()
        F.select(&t, "政府债务风险化解方案")
        #expect(attachEffect(F.type(&t, [.char("A"), .ctrl("u"), .enter])) == nil)
        #expect(t.message?.text == "请填写“文件”")
    }

    @Test func aLeaderOrAClosedItemIsRefusedAtOnce() throws {
        var s = F.state("ldzhao")
        F.select(&s, "政府债务风险化解方案")
        #expect(attachEffect(F.type(&s, [.char("A")])) == nil)
        #expect(
            s.modal == nil && s.message?.isError == true && s.message?.text.contains("领导") == true, "\(s.message?.text ?? "")")
        let closed = try #require(F.demo.items.first { $0.state == .closed })
        var t = F.state()
        F.select(&t, closed.title)
        F.type(&t, [.char("A")])
        #expect(t.modal == nil && t.message?.text.contains("已办结") == true, "\(t.message?.text ?? "")")
        // The help lists A for a unit's user, not for a leader.
        #expect(F.state("czj").roleKeys.contains { $0.key == .attach })
        #expect(!F.state("ldzhao").roleKeys.contains { $0.key == .attach })
    }

    @Test func theDetailListsTheEvidence() throws {
        var ledger = F.demo
        let e = Evidence(sha256: String(repeating: "a1", count: 32), name: "实施方案.pdf", size: 245_760, type: .pdf, note: "定稿")
        let actor = try ledger.actor(login: "czj")
        let d = try Workflow.decide(
            .act(F.ref("政府债务风险化解方案"), .action(.attach(e))), by: actor, in: ledger, today: F.today)
        for (i, c) in d.changes.enumerated() {
            try ledger.apply(
                Entry(
                    seq: ledger.seq + 1 + i, at: Timestamp(day: F.today, hour: 10, minute: 5), actor: "czj", unit: d.unit,
                    change: c))
        }
        var s = F.state("czj", rows: 40, cols: 120, ledger: ledger)
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.enter])
        let screen = Renderer.render(s).text
        #expect(screen.contains("佐证材料（1 件"), "\(screen)")
        #expect(screen.contains("1. 实施方案.pdf  PDF  240 KB  县财政局  2026-11-21 10:05  说明：定稿"), "\(screen)")
    }
}

/// The key bar's keys as drawn (read from the rendered bottom line).
enum KeyTablesProbe {
    static func barKeys(_ s: AppState) -> [String] {
        let frame = Renderer.render(s)
        return frame.line(s.rows - 1).split(separator: " ").map(String.init)
    }
}
