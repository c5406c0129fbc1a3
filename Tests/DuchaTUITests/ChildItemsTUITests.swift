import DuchaCore
import DuchaOps
import DuchaStore
import DuchaTUI
import DuchaTestSupport
import Testing

/// 任务分解 in the interface at 80×24: the parent's detail lists its children and their
/// progress, the list shows them under it, and N opens the item form for a new child.
@Suite struct ChildItemsTUITests {
    typealias F = TUIFixtures

    /// A parent (县住建局, 2026-12-31) with two children: 之1 closed, 之2 overdue on 2026-11-21.
    static func ledger() throws -> (Ledger, ItemNumber) {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县住建局", "城关镇", "县财政局")
        let n = try b.register("老旧小区改造", lead: "县住建局", deadline: "2026-12-31", source: "政府常务会决定事项")
        for (title, lead, due) in [("完成摸底", "城关镇", "2026-11-30"), ("完成设计", "县财政局", "2026-11-18")] {
            try b.run(
                .registerChild(
                    of: ItemReference(n),
                    Registration(
                        title: title, source: "政府常务会决定事项", leadUnit: lead, assignedOn: b.today, deadline: Fixtures.day(due))))
        }
        try b.act(n.child(1), .sign)
        try b.act(n.child(1), .requestCompletion(report: "摸底完成"))
        try b.act(n.child(1), .approveCompletion(grade: nil, note: ""))
        return (b.ledger, n)
    }

    @Test func theParentsDetailListsItsChildrenAndNBreaksItDown() throws {
        let (ledger, n) = try Self.ledger()
        var s = F.state(ledger: ledger)
        F.type(&s, [.char("2"), .char("o"), .char("o")])  // 编号 order
        #expect(s.currentItem?.number == n)
        let list = Renderer.render(s)
        let parentRow = try #require(list.row(containing: "老旧小区改造"), "\(list.text)")
        #expect(list.row(containing: "2026-1之1") == parentRow + 1, "\(list.text)")
        #expect(list.row(containing: "2026-1之2") == parentRow + 2, "\(list.text)")
        F.type(&s, [.enter])
        let frame = Renderer.render(s)
        #expect(frame.row(containing: "分解为2项，已办结1项：") != nil, "\(frame.text)")
        #expect(frame.row(containing: "之1  城关镇  已办结  按时办结  时限 2026-11-30  完成摸底") != nil, "\(frame.text)")
        #expect(frame.row(containing: "之2  县财政局  待签收  逾期3天  时限 2026-11-18  完成设计") != nil, "\(frame.text)")
        #expect(frame.row(containing: "N 分解") != nil, "\(frame.text)")
        // N: the item form for a child, with the parent's source and deadline.
        F.type(&s, [.char("N")])
        guard case .registerChild(let parent)? = s.modal?.purpose, case .form(let form)? = s.modal?.body else {
            Issue.record("N 应打开分解表单：\(String(describing: s.message))")
            return
        }
        #expect(parent == n && form.value(.source) == "政府常务会决定事项" && form.value(.deadline) == "2026-12-31")
        #expect(Renderer.render(s).row(containing: "分解 督〔2026〕第0001号：登记子项") != nil)
        let effects = F.type(
            &s, F.text("完成施工") + [.tab] + F.text("城关") + [.tab, .tab, .ctrl("u")] + F.text("2026-12-25") + [.enter])
        guard case .perform(.register(let input))? = effects.first else {
            Issue.record("应登记子项：\(effects) \(String(describing: s.message))")
            return
        }
        #expect(input.parent == ItemReference(n))
        let commands = F.commands(effects, ledger: ledger)
        guard case .registerChild(let of, let r)? = commands.first else {
            Issue.record("应为分解立项：\(commands)")
            return
        }
        #expect(of == ItemReference(n) && r.leadUnit == "城关镇" && r.deadline == Fixtures.day("2026-12-25"))
        #expect(r.title == "完成施工" && r.source == "政府常务会决定事项")
    }

    @Test func nIsRefusedOnAChildAndOfferedOnlyToTheOffice() throws {
        let (ledger, n) = try Self.ledger()
        var s = F.state(ledger: ledger)
        F.type(&s, [.char("2"), .char("o"), .char("o"), .down, .enter])
        #expect(s.currentItem?.number == n.child(1))
        #expect(Renderer.render(s).row(containing: "上级事项：督〔2026〕第0001号  老旧小区改造") != nil)
        F.type(&s, [.char("N")])
        #expect(s.modal == nil && s.message?.text.contains("不能再分解") == true, "\(String(describing: s.message))")
    }

    /// A 分别办理 item of three units: 城关镇 closed, 县财政局 in progress, 县教育局 overdue.
    static func splitLedger() throws -> (Ledger, ItemNumber) {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇", "县财政局", "县教育局")
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: b.today, deadline: Fixtures.day("2026-11-18"))
        let n = try #require(try b.run(.registerSplit(r, leads: ["城关镇", "县财政局", "县教育局"])).first?.item)
        try b.act(n.child(1), .sign, forUnit: "城关镇")
        try b.act(n.child(1), .requestCompletion(report: "已完成"), forUnit: "城关镇")
        try b.act(n.child(1), .approveCompletion(grade: nil, note: ""))
        try b.act(n.child(2), .sign, forUnit: "县财政局")
        try b.act(n.child(2), .feedback(text: "已清理三条巷道"), forUnit: "县财政局")
        return (b.ledger, n)
    }

    @Test func aSplitItemShowsEveryUnitsLineAndItsPartsAreRowsOfTheirUnits() throws {
        let (ledger, n) = try Self.splitLedger()
        var s = F.state(ledger: ledger)
        F.type(&s, [.char("2"), .char("o"), .char("o")])
        let list = Renderer.render(s)
        let top = try #require(list.row(containing: "分别办理"), "\(list.text)")
        // The parts under it, each by the item's number and its unit.
        #expect(list.row(containing: "城关镇") == top + 1 && list.row(containing: "县教育局") == top + 3, "\(list.text)")
        #expect(list.lines[top + 3].contains("2026-0001") && list.lines[top + 3].contains("逾期3天"), "\(list.text)")
        F.type(&s, [.enter])
        #expect(s.currentItem?.number == n)
        let frame = Renderer.render(s)
        #expect(frame.row(containing: "状态：办理中") != nil, "\(frame.text)")
        #expect(frame.row(containing: "分别办理：城关镇、县财政局、县教育局") != nil, "\(frame.text)")
        #expect(frame.row(containing: "各单位办理情况（3个单位，已办结1个）：") != nil, "\(frame.text)")
        #expect(frame.row(containing: "城关镇  已办结  结 按时办结") != nil, "\(frame.text)")
        #expect(frame.row(containing: "县财政局  办理中  红 逾期3天  最新进展：2026-11-02 已清理三条巷道") != nil, "\(frame.text)")
        #expect(frame.row(containing: "县教育局  待签收  红 逾期3天") != nil, "\(frame.text)")
        // The office's decisions on one unit's work are made on the parts (暂缓: refused here);
        // it may withdraw, remind or comment on the whole item (every part concerned, one commit).
        F.type(&s, [.char("p")])
        #expect(s.modal == nil && s.message?.text.contains("分别办理") == true, "\(String(describing: s.message))")
        F.type(&s, [.char("r")])
        #expect(s.modal?.title.hasPrefix("催办") == true, "\(String(describing: s.modal)) \(String(describing: s.message))")
        F.type(&s, [.escape])
        #expect(s.modal == nil)
        F.type(&s, [.char("w")])
        #expect(s.modal?.title.hasPrefix("撤销") == true, "\(String(describing: s.modal)) \(String(describing: s.message))")
        let effects = F.type(&s, Array("项目调整".map { Key.char($0) }) + [.enter])
        #expect(
            effects == [.perform(.act(ItemReference(n), .action(.withdraw(reason: "项目调整")), forUnit: nil))],
            "\(effects) \(String(describing: s.modal))")
        // (Recorded by the runner: the workflow withdraws every open part; closed parts stay closed.)
        let actor = try ledger.actor(login: "clerk")
        let d = try Workflow.decide(
            .act(ItemReference(n), .action(.withdraw(reason: "项目调整"))), by: actor, in: ledger, today: s.today, reportedOn: nil)
        #expect(d.changes.count == 2, "城关镇已办结，另两个单位的分项撤销：\(d.changes)")
        s.commitSucceeded("（撤销未记入：本测试的台账不变）", ledger: ledger)
        // A part's detail: its number with its unit.
        F.type(&s, [.escape, .down, .down, .enter])
        #expect(s.currentItem?.number == n.child(2))
        #expect(Renderer.render(s).row(containing: "督〔2026〕第0001号（县财政局）  背街小巷整治") != nil)
    }

    @Test func theFormHandsANewItemToSeveralUnits() throws {
        let (ledger, _) = try Self.ledger()
        var s = F.state(ledger: ledger)
        F.type(&s, [.char("n")] + F.text("河道清淤") + [.tab] + F.text("城关") + [.tab, .tab] + F.text("2026-12-20"))
        // To 分别办理, the last field: tick 县财政局.
        F.type(&s, Array(repeating: .tab, count: 8) + F.text("财政") + [.char(" ")])
        let effects = F.type(&s, [.enter])
        guard case .perform(.register(let input))? = effects.first else {
            Issue.record("应立项：\(effects) \(String(describing: s.message))")
            return
        }
        #expect(input.lead == "城关镇、县财政局")
        guard case .registerSplit(_, let leads)? = F.commands(effects, ledger: ledger).first else {
            Issue.record("应为分别办理")
            return
        }
        #expect(leads == ["城关镇", "县财政局"])
    }
}

/// A 分别办理 item's detail lists its parts' records, read when it is opened where the ledger
/// holds only states (a folder after compaction, a database).
@Suite struct SplitDetailHistoryTests {
    typealias F = TUIFixtures

    @Test func thePartsRecordsAreReadWhenTheItemIsOpened() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇", "县住建局")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: b.today, deadline: Fixtures.day("2026-11-20"))
        let n = try #require(try b.run(.registerSplit(r, leads: ["城关镇", "县住建局"])).first?.item)
        try b.act(n.child(1), .sign, forUnit: "城关镇")
        let dir = TemporaryDirectory()
        _ = try Repository.create(at: dir.sub("repo"), ledger: b.ledger)
        let repo = try Repository.open(at: dir.sub("repo"), mode: .summary)
        #expect(repo.ledger.item(n.child(1))?.hasFullHistory == false)
        var s = AppState(
            ledger: repo.ledger, actor: try repo.ledger.actor(login: "clerk"), today: b.today, calendar: Fixtures.calendar,
            rows: 40, cols: 100, workingDirectory: "/tmp")
        F.type(&s, [.char("2")])
        let row = try #require(s.list.rows.firstIndex { s.ledger.items[$0.index].number == n })
        F.type(&s, Array(repeating: .down, count: row) + [.enter])
        #expect(s.currentItem?.number == n)
        // What the runner does before each frame: read what the page lacks.
        var read: [ItemNumber] = []
        while let m = s.missingHistory, read.count < 5 {
            read.append(m)
            s.historyLoaded(m, try #require(try repo.history(of: m)))
        }
        #expect(Set(read) == [n, n.child(1), n.child(2)], "\(read)")
        let text = Renderer.render(s).text
        #expect(text.contains("［城关镇的分项］签收"), "\(text)")
        #expect(text.contains("［县住建局的分项］立项交办"), "\(text)")
    }
}
