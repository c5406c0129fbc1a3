import DuchaCore
import DuchaTUI
import DuchaTestSupport
import Testing

/// Issue 12, points 7 and 9 in the interface: a unit's own numbers (牵头 apart from 配合, 待签收
/// only what it can sign), its help by role whatever row is selected, and a new-item form whose
/// lead unit is chosen by the clerk, never by default or by an earlier match.
@Suite struct UnitViewTests {
    typealias F = TUIFixtures

    func commit(_ effects: [Effect]) -> Command? {
        TUIFixtures.commands(effects).first
    }

    /// 县发改局 leads one pending item and co-handles two pending items led by 县财政局.
    static let ledger: Ledger = {
        var b = LedgerBuilder(today: "2026-11-21")
        try! b.units("县财政局", "县发改局", "城关镇")
        try! b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try! b.run(.addUser(User(login: "fg", role: .unit, unit: "县发改局")))
        try! b.register("项目审批提速", lead: "县发改局", deadline: "2026-12-30")
        try! b.register("债务化解", lead: "县财政局", co: ["县发改局"], deadline: "2026-12-30")
        try! b.register("预算公开", lead: "县财政局", co: ["县发改局"], deadline: "2026-12-30")
        try! b.register("集镇改造", lead: "城关镇", deadline: "2026-12-30")
        return b.ledger
    }()

    @Test func aUnitsOverviewCountsWhatItLeadsApartFromWhatItCoHandles() {
        let s = F.state("fg", ledger: UnitViewTests.ledger)
        #expect(s.dashboard.overview.pendingSign == 1, "待签收只算本单位牵头、能签收的")
        #expect(s.dashboard.overview.open == 1)
        #expect(s.dashboard.coOverview?.open == 2)
        #expect(s.dashboard.units.map(\.label) == ["牵头事项", "配合事项"])
        #expect(s.dashboard.units.map(\.pendingSign) == [1, 0])
        let f = Renderer.render(s)
        let top = f.line(f.row(containing: "牵头事项：")!)
        #expect(top.contains("待签收 1"), "\(f.text)")
        #expect(f.row(containing: "配合事项：在办 2") != nil, "\(f.text)")
        // The office's overview is unchanged: every item, every unit.
        let office = F.state("clerk", ledger: UnitViewTests.ledger)
        #expect(office.dashboard.overview.pendingSign == 4)
        #expect(office.dashboard.coOverview == nil)
    }

    @Test func aUnitsStatisticsSeparateLeadFromCo() {
        var s = F.state("fg", ledger: UnitViewTests.ledger)
        F.type(&s, [.char("3")])
        let f = Renderer.render(s)
        #expect(f.row(containing: "县发改局（牵头）") != nil, "\(f.text)")
        #expect(f.row(containing: "县发改局（配合）") != nil, "\(f.text)")
    }

    @Test func theHelpListsWhatTheRoleMayDoWhicheverRowIsSelected() {
        var lead = F.state("fg", ledger: UnitViewTests.ledger)
        F.select(&lead, "项目审批提速")
        F.type(&lead, [.char("?")])
        let a = RenderTests.helpLines(&lead)
        var co = F.state("fg", ledger: UnitViewTests.ledger)
        F.select(&co, "债务化解")
        F.type(&co, [.char("?")])
        let b = RenderTests.helpLines(&co)
        #expect(a == b, "帮助不随选中的事项变化")
        #expect(a.contains { $0.contains("签收（本单位牵头的事项）") }, "\(a)")
        #expect(a.contains { $0.contains("反馈（本单位牵头或配合的事项）") })
        #expect(!a.contains { $0.contains("审核") })
    }

    @Test func theNewItemFormsLeadUnitStartsUnchosen() {
        var s = F.state()
        F.type(&s, [.char("n")] + F.text("乡镇卫生院设备更新"))
        guard case .form(let form) = s.modal?.body else {
            Issue.record("应打开立项表单")
            return
        }
        #expect(form.value(.lead) == "")
        #expect(Renderer.render(s).row(containing: "牵头单位：（未选择）") != nil)
        #expect(commit(F.type(&s, [.enter])) == nil)
        #expect(s.message?.text == "请填写“牵头单位”")
        #expect(s.modal != nil)
    }

    @Test func aTypedNameMatchingNoUnitChoosesNone() {
        var s = F.state()
        // 卫健 picks 县卫健局; then 卫健委 matches no unit: nothing stays chosen.
        F.type(&s, [.char("n")] + F.text("乡镇卫生院设备更新") + [.tab] + F.text("卫健"))
        guard case .form(let picked) = s.modal?.body else { return }
        #expect(picked.value(.lead) == "县卫健局")
        F.type(&s, F.text("委"))
        guard case .form(let form) = s.modal?.body else { return }
        #expect(form.value(.lead) == "", "没有符合的单位时不保留先前的选择")
        #expect(commit(F.type(&s, [.enter])) == nil)
        #expect(s.message?.text == "请填写“牵头单位”")
        // Back to a name that matches, it is chosen again.
        F.type(&s, [.backspace])
        guard case .form(let again) = s.modal?.body else { return }
        #expect(again.value(.lead) == "县卫健局")
    }

    @Test func aRetiredUnitIsNotOffered() throws {
        var b = LedgerBuilder(today: "2026-11-21")
        try b.units("县财政局", "县发改局")
        try b.run(.retireUnit(name: "县发改局"))
        var s = F.state("clerk", ledger: b.ledger)
        F.type(&s, [.char("n")])
        guard case .form(let form) = s.modal?.body, case .choice(let options, _, _) = form.field(.lead)?.kind else {
            Issue.record("应打开立项表单")
            return
        }
        #expect(options == ["县财政局"])
    }

    @Test func theOfficeEditsAUnitFromTheUnitsDialogSendingOnlyWhatChanged() {
        var s = F.state("clerk", ledger: UnitViewTests.ledger)
        F.type(&s, [.char("D")])
        let f = Renderer.render(s)
        #expect(f.row(containing: "单位名册") != nil, "\(f.text)")
        let row = f.line(f.row(containing: "县发改局")!)
        #expect(row.contains("牵头  1 配合  2 在办  1"), "\(row)")
        F.type(&s, [.down, .enter, .enter])
        guard case .form(let form) = s.modal?.body else {
            Issue.record("应打开修改单位的表单")
            return
        }
        #expect(form.value(.name) == "县发改局")
        F.type(&s, [.tab, .tab, .tab] + F.text("赵敏"))
        #expect(commit(F.type(&s, [.enter])) == .editUnit(name: "县发改局", UnitEdit(contact: "赵敏")))
        // A rename is sent as such.
        var r = F.state("clerk", ledger: UnitViewTests.ledger)
        F.type(&r, [.char("D"), .enter, .enter, .ctrl("u")] + F.text("县财政局（国资局）"))
        #expect(commit(F.type(&r, [.enter])) == .editUnit(name: "县财政局", UnitEdit(name: "县财政局（国资局）")))
    }

    @Test func theOfficeRetiresAUnitAfterConfirming() {
        var s = F.state("clerk", ledger: UnitViewTests.ledger)
        F.type(&s, [.char("D"), .down, .down, .enter, .down, .enter])
        guard case .confirm(let q) = s.modal?.body else {
            Issue.record("应先确认")
            return
        }
        #expect(q.contains("停用 城关镇？其事项和办理记录保留不变"))
        #expect(commit(F.type(&s, [.enter])) == .retireUnit(name: "城关镇"))
        // A unit's user may not open it.
        var unit = F.state("fg", ledger: UnitViewTests.ledger)
        F.type(&unit, [.char("D")])
        #expect(unit.modal == nil)
        #expect(unit.message?.text.contains("只有督查室可以修改或停用单位") == true)
    }
}
