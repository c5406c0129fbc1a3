import DuchaCore
import DuchaTUI
import DuchaTestSupport
import Testing

/// A 分别办理 part reads as the item's number and its unit in the interface's dialogs, never
/// as the internal 之N.
@Suite struct PartNumberTUITests {
    typealias F = TUIFixtures

    @Test func dialogsNameAPartByTheItemsNumberAndItsUnit() throws {
        let (ledger, n) = try ChildItemsTUITests.splitLedger()
        var s = F.state(ledger: ledger)
        F.type(&s, [.char("2")])
        while s.currentItem?.number != n.child(2), s.list.selected < s.list.rows.count - 1 { F.type(&s, [.down]) }
        #expect(s.currentItem?.number == n.child(2))
        for key: Character in ["E", "A"] {
            F.type(&s, [.char(key)])
            let title = s.modal?.title ?? ""
            #expect(title.contains("督〔2026〕第0001号（县财政局）") && !title.contains("之"), "\(key)：\(title)")
            F.type(&s, [.escape])
            if s.modal != nil { F.type(&s, [.char("y")]) }
        }
    }

    /// The status line after a search counts as the list's header does.
    @Test func aSearchsCountAgreesWithTheHeader() throws {
        let (ledger, _) = try ChildItemsTUITests.splitLedger()
        var s = F.state(ledger: ledger)
        F.type(&s, [.char("2"), .char("/")] + F.text("背街") + [.enter])
        let frame = Renderer.render(s)
        #expect(frame.row(containing: "显示 1/1 件") != nil && frame.row(containing: "找到 1 件") != nil, "\(frame.text)")
    }

    /// The lead unit ticked again under 分别办理 is refused with a message, the form kept.
    @Test func theLeadTickedUnderSplitIsRefused() throws {
        let (ledger, _) = try ChildItemsTUITests.ledger()
        var s = F.state(ledger: ledger)
        F.type(&s, [.char("n")] + F.text("河道清淤") + [.tab] + F.text("城关") + [.tab, .tab] + F.text("2026-12-20"))
        F.type(&s, Array(repeating: .tab, count: 8) + F.text("城关") + [.char(" ")])
        let effects = F.type(&s, [.enter])
        #expect(effects.isEmpty && s.modal != nil, "\(effects)")
        #expect(s.message?.text.contains("分别办理的牵头单位有重复：城关镇 写了两次") == true, "\(String(describing: s.message))")
    }

    /// At 120×40 the number column fits a sub-task's full number; at 80×24 its short form.
    @Test func theNumberColumnFitsASubTasksNumber() throws {
        let (ledger, _) = try ChildItemsTUITests.ledger()
        var wide = F.state(rows: 40, cols: 120, ledger: ledger)
        F.type(&wide, [.char("2")])
        let frame = Renderer.render(wide)
        #expect(
            frame.row(containing: "督〔2026〕第0001号之1") != nil && frame.row(containing: "督〔2026〕第0001号之2") != nil, "\(frame.text)")
        #expect(frame.row(containing: "完成摸底") != nil && frame.row(containing: "…") == nil, "\(frame.text)")
        var narrow = F.state(ledger: ledger)
        F.type(&narrow, [.char("2")])
        #expect(Renderer.render(narrow).row(containing: "2026-1之1") != nil, "\(Renderer.render(narrow).text)")
    }
}
