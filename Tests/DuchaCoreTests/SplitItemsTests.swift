import DuchaCore
import DuchaTestSupport
import Testing

/// 分别办理: one decision handed to several units, each with its own part (a child item): its
/// own signing, feedback, completion, light and place in statistics; the item's state is theirs.
@Suite struct SplitItemsTests {
    /// Three units each with a user, and the item handed to all three.
    func ledger() throws -> (LedgerBuilder, ItemNumber) {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇", "县住建局", "县财政局", "县教育局")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try b.run(.addUser(User(login: "cgz", role: .unit, unit: "城关镇")))
        try b.run(.addUser(User(login: "zj", role: .unit, unit: "县住建局")))
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: b.today, deadline: Fixtures.day("2026-11-20"),
            basis: "县政府第12次常务会议")
        let n = try #require(try b.run(.registerSplit(r, leads: ["城关镇", "县住建局", "县财政局"])).first?.item)
        return (b, n)
    }

    @Test func eachUnitHasItsOwnPartNumberedUnderTheItem() throws {
        let (b, n) = try ledger()
        let item = b.item(n)
        #expect(item.isSplit && item.leadUnit.isEmpty && !item.isPart)
        let parts = b.ledger.parts(of: item)
        #expect(parts.map(\.number) == [n.child(1), n.child(2), n.child(3)])
        #expect(parts.map(\.leadUnit) == ["城关镇", "县住建局", "县财政局"])
        #expect(parts.allSatisfy { $0.isPart && $0.title == "背街小巷整治" && $0.deadline == item.deadline && $0.basis == item.basis })
        #expect(parts[0].shownNumber == "督〔2026〕第0001号（城关镇）" && item.shownNumber == "督〔2026〕第0001号")
        // The displayed form is a reference too.
        let ref = try ItemReference.parse("督〔2026〕第0001号（县住建局）")
        let resolved = try b.ledger.resolve(ref, currentYear: 2026)
        #expect(ref.unit == "县住建局" && resolved.number == n.child(2))
        #expect(try b.ledger.resolve(ItemReference.parse("1").part("县财政局"), currentYear: 2026).number == n.child(3))
        // No unit has signed yet: the item waits for signing, as each of its parts does.
        #expect(b.ledger.shownState(item) == .pending)
        #expect(HistoryText.what(item.history[0]) == "立项交办：由各单位分别办理，时限 2026-11-20")
        // Not broken down further: its parts are its children.
        #expect(throws: CoreError.self) { try Workflow.checkBreakDown(item, by: .supervisor("clerk")) }
        // The next item takes the next serial.
        var c = b
        #expect(try c.register("另一件", lead: "县教育局", deadline: "2026-11-30").serial == 2)
    }

    @Test func aUnitActsOnItsOwnPartByTheItemsNumberTheOfficeNamesTheUnit() throws {
        var (b, n) = try ledger()
        let ref = ItemReference(n)
        // A unit user: the item's number is its own part.
        try b.run(.act(ref, .action(.sign)), as: "cgz")
        #expect(b.item(n.child(1)).state == .active && b.item(n.child(2)).state == .pending)
        // It cannot see or touch another unit's part.
        let cgz = try b.ledger.actor(login: "cgz")
        #expect(b.ledger.visibleItems(to: cgz).map(\.number) == [n.child(1)])
        #expect(throws: CoreError.self) { try b.act(n.child(2), .sign, as: "cgz") }
        // The office without naming a unit: told which units there are, nothing recorded.
        let seq = b.ledger.seq
        #expect {
            try b.run(.act(ref, .action(.sign)))
        } throws: {
            let m = ($0 as? CoreError)?.message ?? ""
            return m.contains("由 城关镇、县住建局、县财政局 分别办理") && m.contains("--for")
        }
        #expect {
            try b.run(.act(ref.part("县教育局"), .action(.sign)))
        } throws: { ($0 as? CoreError)?.message.contains("没有交给“县教育局”办理") == true }
        #expect(b.ledger.seq == seq)
        // --for names the unit the office records for; --unit the part it acts on.
        try b.run(.act(ref, .action(.sign), forUnit: "县住建局"))
        #expect(b.item(n.child(2)).state == .active)
        try b.run(.act(ref, .action(.requestCompletion(report: "已完成")), forUnit: "县住建局"))
        try b.run(.act(ref.part("县住建局"), .action(.approveCompletion(grade: nil, note: ""))))
        #expect(b.item(n.child(2)).state == .closed)
        // The office's own decisions on the item itself are refused: the parts carry the work
        // (催办, 批注 and 撤销 of the whole item go to each part: tested below).
        #expect(Workflow.refusal(.suspend, on: b.item(n), by: .supervisor("clerk"), in: b.ledger, today: b.today) != nil)
        #expect(Workflow.refusal(.edit, on: b.item(n), by: .supervisor("clerk"), in: b.ledger, today: b.today) != nil)
    }

    @Test func theItemShowsWhatItsPartsStillOpenHaveInCommon() throws {
        var (b, n) = try ledger()
        let shown = { (b: LedgerBuilder) in b.ledger.shownState(b.item(n)) }
        #expect(shown(b) == .pending)
        // One unit signs: the work has begun.
        try b.act(n.child(1), .sign, forUnit: "城关镇")
        #expect(shown(b) == .active)
        try b.act(n.child(2), .sign, forUnit: "县住建局")
        try b.act(n.child(3), .sign, forUnit: "县财政局")
        // Every part still open awaits the office's review: so does the item.
        for (i, unit) in ["城关镇", "县住建局", "县财政局"].enumerated() {
            try b.act(n.child(i + 1), .requestCompletion(report: "已完成"), forUnit: unit)
        }
        #expect(shown(b) == .review)
        try b.act(n.child(1), .approveCompletion(grade: nil, note: ""))
        #expect(shown(b) == .review)
        // One part sent back to work: 办理中 again.
        try b.act(n.child(2), .returnCompletion(reason: "材料不全"))
        #expect(shown(b) == .active)
        // No unit at work, one part awaiting review: the office's review is what it waits for.
        try b.act(n.child(2), .suspend(reason: "等待上级政策"))
        #expect(shown(b) == .review)
        // Every part still open suspended: the item is.
        try b.act(n.child(3), .returnCompletion(reason: "材料不全"))
        try b.act(n.child(3), .suspend(reason: "等待上级政策"))
        #expect(shown(b) == .suspended)
        // The list's state filter and the JSON of the item follow it.
        let evaluator = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        let suspended = ItemQuery(state: .suspended).run(b.ledger.items, evaluator, in: b.ledger).map(\.item.number)
        #expect(suspended.contains(n))
        var w = JSONWriter()
        ItemJSON.write(b.item(n), evaluator.status(of: b.item(n)), ledger: b.ledger, history: false, into: &w)
        #expect(w.string.contains("\"state\":\"暂缓\""))
    }

    @Test func aLeadersCommentAndTheOfficesReminderOnTheWholeItemReachEveryUnitStillConcerned() throws {
        var (b, n) = try ledger()
        try b.run(.addUser(User(login: "ld", role: .leader)))
        try b.act(n.child(1), .sign, forUnit: "城关镇")
        try b.act(n.child(1), .requestCompletion(report: "已完成"), forUnit: "城关镇")
        try b.act(n.child(1), .approveCompletion(grade: nil, note: ""))
        // 催办 of the whole item: the units still at work, not the one that has finished.
        let office = try b.ledger.actor(login: "clerk")
        #expect(Workflow.refusal(.remind, on: b.item(n), by: office, in: b.ledger, today: b.today) == nil)
        let reminded = try b.act(n, .remind(method: .phone, note: "请加快进度"))
        #expect(reminded.compactMap(\.item) == [n.child(2), n.child(3)])
        #expect(b.item(n.child(2)).reminders == 1 && b.item(n.child(1)).reminders == 0)
        // A leader's 批注 of the whole item: every unit reads it on its own part.
        let leader = try b.ledger.actor(login: "ld")
        #expect(Workflow.refusal(.comment, on: b.item(n), by: leader, in: b.ledger, today: b.today) == nil)
        let commented = try b.act(n, .comment(text: "请各单位月底前报送进展"), as: "ld")
        #expect(commented.compactMap(\.item).count == 3)
        #expect(commented.allSatisfy { $0.actor == "ld" })
        // A unit cannot remind, nor act on the whole item; the other office actions still go by part.
        #expect(
            Workflow.refusal(.remind, on: b.item(n), by: try b.ledger.actor(login: "cgz"), in: b.ledger, today: b.today) != nil)
        #expect(Workflow.refusal(.suspend, on: b.item(n), by: office, in: b.ledger, today: b.today) != nil)
        // Nothing left to remind: refused, saying why, nothing recorded.
        try b.act(n, .withdraw(reason: "不再需要"))
        let seq = b.ledger.seq
        #expect(Workflow.refusal(.remind, on: b.item(n), by: office, in: b.ledger, today: b.today) != nil)
        #expect {
            try b.act(n, .remind(method: .phone, note: ""))
        } throws: {
            let m = ($0 as? CoreError)?.message ?? ""
            return m.contains("分别办理的各单位分项都不能催办（城关镇已办结、县住建局已撤销、县财政局已撤销）")
        }
        // A leader is told once that a leader may not remind.
        #expect {
            try b.act(n, .remind(method: .phone, note: ""), as: "ld")
        } throws: {
            let m = ($0 as? CoreError)?.message ?? ""
            return m.contains("无权催办") && !m.contains("分项")
        }
        #expect(b.ledger.seq == seq)
    }

    @Test func theItemIsClosedWhenEveryPartIsAndOnlyLateUnitsAreLate() throws {
        var (b, n) = try ledger()
        for (i, unit) in ["城关镇", "县住建局"].enumerated() {
            try b.act(n.child(i + 1), .sign, forUnit: unit)
            try b.act(n.child(i + 1), .requestCompletion(report: "已完成"), forUnit: unit)
            try b.act(n.child(i + 1), .approveCompletion(grade: nil, note: ""))
        }
        #expect(b.ledger.shownState(b.item(n)) == .active)
        b.today = Fixtures.day("2026-11-25")
        let evaluator = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        // No light of its own; only 县财政局's part is overdue.
        #expect(evaluator.status(of: b.item(n)).light == .none)
        #expect(b.ledger.items.filter { evaluator.isOverdue($0) }.map(\.number) == [n.child(3)])
        let notice = OverdueNotice(items: b.ledger.items, evaluator: evaluator, serial: 1, preview: true)
        let text = notice.text(width: 120)
        #expect(text.contains("督〔2026〕第0001号（县财政局）"), "\(text)")
        #expect(!text.contains("（城关镇）") && !text.contains("（县住建局）"))
        // Statistics: each part is an item of its unit; the item itself counts nowhere.
        let stats = Statistics(items: b.ledger.items, evaluator: evaluator, by: .unit, names: b.ledger.units.map(\.name))
        #expect(stats.rows.map(\.total).reduce(0, +) == 3)
        #expect(stats.rows.first { $0.name == "县财政局" }?.overdueOpen == 1)
        let bySource = Statistics(items: b.ledger.items, evaluator: evaluator, by: .source, names: b.ledger.settings.sources)
        #expect(bySource.rows.map(\.total).reduce(0, +) == 3)
        // Closed when the last part is.
        try b.act(n.child(3), .sign, forUnit: "县财政局")
        try b.act(n.child(3), .requestCompletion(report: "已完成"), forUnit: "县财政局")
        try b.act(n.child(3), .approveCompletion(grade: nil, note: ""))
        #expect(b.ledger.shownState(b.item(n)) == .closed)
        // The records replay as check and the whole-ledger import audit them.
        let entries = try #require(LedgerExport.entries(of: b.ledger))
        let folded = try LedgerExport.fold(entries)
        #expect(folded.parts(of: try #require(folded.item(n))).allSatisfy { $0.isPart && $0.state == .closed })
    }

    @Test func registeringRefusesWhatASplitItemCannotBe() throws {
        var (b, _) = try ledger()
        let r = Registration(
            title: "另一件", source: "领导批示", leadUnit: "", coUnits: ["县教育局"], assignedOn: b.today,
            deadline: Fixtures.day("2026-11-20"))
        #expect {
            try b.run(.registerSplit(r, leads: ["城关镇", "县住建局"]))
        } throws: { ($0 as? CoreError)?.message.contains("不设配合单位") == true }
        var plain = r
        plain.coUnits = []
        #expect(throws: CoreError.self) { try b.run(.registerSplit(plain, leads: ["城关镇", "城关镇"])) }
        #expect(throws: CoreError.self) { try b.run(.registerSplit(plain, leads: ["城关镇", "没有的单位"])) }
        #expect(throws: CoreError.self) { try b.run(.registerSplit(plain, leads: ["城关镇"]), as: "cgz") }
    }

    @Test func theLedgerTableCarriesASplitItemAndItsPartsBack() throws {
        var (b, n) = try ledger()
        try b.act(n.child(1), .sign, forUnit: "城关镇")
        let evaluator = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        let rows = b.ledger.items.enumerated().map {
            LedgerImport.Row(line: $0.offset + 2, cells: LedgerTable.row($0.element, evaluator))
        }
        let lead = try #require(LedgerTable.columns.firstIndex(of: "牵头单位"))
        #expect(rows.map { $0.cells[lead] } == ["（分别办理）", "城关镇", "县住建局", "县财政局"])
        var fresh = LedgerBuilder(today: "2026-11-02")
        try fresh.units("城关镇", "县住建局", "县财政局", "县教育局")
        let plan = LedgerImport.plan(
            header: LedgerTable.columns, rows: rows, ledger: fresh.ledger, actor: .supervisor("clerk"), today: fresh.today,
            calendar: Fixtures.calendar, createUnits: false)
        guard case .success(let p) = plan else {
            Issue.record("应可导入：\(plan)")
            return
        }
        #expect(p.newUnits.isEmpty)
        for c in p.commands { try fresh.run(c) }
        let item = fresh.item(n)
        #expect(item.isSplit && fresh.ledger.parts(of: item).map(\.leadUnit) == ["城关镇", "县住建局", "县财政局"])
        #expect(fresh.ledger.parts(of: item).allSatisfy { $0.isPart })
        #expect(fresh.item(n.child(1)).state == .active && fresh.ledger.shownState(item) == .active)
        // The marker alone, without a number, is no way to register one.
        var row = rows[0].cells
        row[0] = ""
        let alone = LedgerImport.plan(
            header: LedgerTable.columns, rows: [LedgerImport.Row(line: 2, cells: row)], ledger: fresh.ledger,
            actor: .supervisor("clerk"),
            today: fresh.today, calendar: Fixtures.calendar, createUnits: true)
        guard case .failure(let problems) = alone else {
            Issue.record("应被拒绝")
            return
        }
        #expect(problems.list.contains { $0.message.contains("只用于导出台账中带编号的分别办理事项") }, "\(problems.list)")
    }
}
