import DuchaCore
import DuchaTestSupport
import Testing

/// 任务分解: an item's children (之1, 之2 …), each an item with its own unit and deadline.
@Suite struct ChildItemsTests {
    /// 县住建局 leads the parent (deadline 2026-12-31); the office, a leader and 城关镇's user.
    func ledger() throws -> (LedgerBuilder, ItemNumber) {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县住建局", "城关镇", "县财政局")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try b.run(.addUser(User(login: "ld", role: .leader)))
        try b.run(.addUser(User(login: "cgz", role: .unit, unit: "城关镇")))
        let n = try b.register("老旧小区改造", lead: "县住建局", deadline: "2026-12-31")
        return (b, n)
    }

    func child(_ title: String, lead: String, deadline: String, today: String = "2026-11-02") -> Registration {
        Registration(
            title: title, source: "领导批示", leadUnit: lead, assignedOn: Fixtures.day(today), deadline: Fixtures.day(deadline))
    }

    @Test func numbersOfChildrenAreWrittenAndReadWithZhiN() throws {
        let n = ItemNumber(prefix: "督", year: 2026, serial: 3, sub: 2)
        #expect(n.description == "督〔2026〕第0003号之2")
        #expect(ItemNumber.parseFull("督〔2026〕第0003号之2") == n)
        #expect(ItemNumber.parseFull("督[2026]第3号之2")?.sub == 2)
        #expect(ItemNumber.parseFull("督〔2026〕第0003号之") == nil)
        #expect(ItemNumber.parseFull("督〔2026〕第0003号之x") == nil)
        let stored = Array("督〔2026〕第0003号之12".utf8)
        let parsed = stored.withUnsafeBufferPointer { ItemNumber.parseStored($0) }
        #expect(parsed == n.child(12) && parsed?.prefix == "督")
        let plain = Array("督〔2026〕第0003号".utf8).withUnsafeBufferPointer { ItemNumber.parseStored($0) }
        #expect(plain == n.family && plain?.sub == 0)
        // Typed references: the full number, 2026-3之2, 3之2.
        for text in ["督〔2026〕第0003号之2", "2026-3之2", "3之2"] {
            let r = try ItemReference.parse(text)
            #expect(r.serial == 3 && r.sub == 2, "\(text)")
        }
        #expect(try ItemReference.parse("3").sub == 0)
        #expect(throws: CoreError.self) { try ItemReference.parse("3之") }
        #expect(throws: CoreError.self) { try ItemReference.parse("之2") }
        // A parent sorts before its children, its children before the next item.
        let order = [n.child(1), ItemNumber(prefix: "督", year: 2026, serial: 4), n.family, n.child(2)].sorted()
        #expect(order.map(\.description) == ["督〔2026〕第0003号", "督〔2026〕第0003号之1", "督〔2026〕第0003号之2", "督〔2026〕第0004号"])
        #expect(n.family != n && n.family.child(2) == n)
    }

    @Test func theOfficeBreaksAnItemDownIntoNumberedChildren() throws {
        var (b, n) = try ledger()
        let ref = ItemReference(n)
        let first = try b.run(.registerChild(of: ref, child("一季度完成摸底", lead: "城关镇", deadline: "2026-11-30")))
        let second = try b.run(.registerChild(of: ref, child("年底前完工", lead: "县财政局", deadline: "2026-12-31")))
        #expect(first.last?.item == n.child(1) && second.last?.item == n.child(2))
        #expect(b.ledger.children(of: n).map(\.title) == ["一季度完成摸底", "年底前完工"])
        #expect(b.ledger.parent(of: b.item(n.child(2)))?.number == n)
        // The next item of its own takes the next serial: children do not use serials up.
        let next = try b.register("另一件", lead: "城关镇", deadline: "2026-11-20")
        #expect(next.serial == n.serial + 1 && next.sub == 0)
        // A child is an item of its unit: 城关镇 sees and signs its own child, not the parent.
        let cgz = try b.ledger.actor(login: "cgz")
        #expect(b.ledger.visibleItems(to: cgz).map(\.number) == [n.child(1), next])
        try b.act(n.child(1), .sign, as: "cgz")
        #expect(b.item(n.child(1)).state == .active && b.item(n).state == .pending)
        #expect(throws: CoreError.self) { try b.act(n.child(2), .sign, as: "cgz") }
        // Every record replays as check and the whole-ledger import audit them.
        let entries = try #require(LedgerExport.entries(of: b.ledger))
        let folded = try LedgerExport.fold(entries)
        #expect(folded.children(of: n).count == 2)
    }

    @Test func onlyTheOfficeBreaksDownAnOpenItemOfItsOwnWithinItsDeadline() throws {
        var (b, n) = try ledger()
        let ref = ItemReference(n)
        // A leader or a unit may not.
        for login in ["ld", "cgz"] {
            #expect {
                try b.run(.registerChild(of: ref, child("摸底", lead: "城关镇", deadline: "2026-11-30")), as: login)
            } throws: { ($0 as? CoreError)?.message.contains("只有督查室可以分解事项") == true }
        }
        // Not after the parent's deadline: said in Chinese, nothing recorded.
        let seq = b.ledger.seq
        #expect {
            try b.run(.registerChild(of: ref, child("超期", lead: "城关镇", deadline: "2027-01-05")))
        } throws: {
            ($0 as? CoreError)?.message
                == "办理时限有误：子项的时限 2027-01-05 晚于上级事项 督〔2026〕第0001号 的时限 2026-12-31；子项须在上级事项的时限内完成"
        }
        #expect(b.ledger.seq == seq && b.ledger.children(of: n).isEmpty)
        // A child is not broken down again.
        try b.run(.registerChild(of: ref, child("摸底", lead: "城关镇", deadline: "2026-11-30")))
        #expect {
            try b.run(.registerChild(of: ItemReference(n.child(1)), child("再分", lead: "城关镇", deadline: "2026-11-20")))
        } throws: { ($0 as? CoreError)?.message.contains("不能再分解") == true }
        // A closed or withdrawn item is not broken down.
        try b.act(n, .withdraw(reason: "不再实施"))
        #expect {
            try b.run(.registerChild(of: ref, child("补充", lead: "城关镇", deadline: "2026-11-30")))
        } throws: { ($0 as? CoreError)?.message == "督〔2026〕第0001号 已撤销，不能再分解" }
    }

    @Test func theAuditRefusesAChildRecordedOutsideTheRules() throws {
        var (b, n) = try ledger()
        try b.run(.registerChild(of: ItemReference(n), child("摸底", lead: "城关镇", deadline: "2026-11-30")))
        // The register record of child `sub` as `actor` would write it next.
        func record(_ sub: Int, _ title: String, deadline: String, by actor: String = "clerk") -> Entry {
            Entry(
                seq: b.ledger.seq + 1, at: Fixtures.at("2026-11-02"), actor: actor,
                change: .item(n.child(sub), .register(child(title, lead: "城关镇", deadline: deadline))))
        }
        // A record of 之3 while 之2 does not exist, one past the parent's deadline, one by a unit.
        #expect(throws: CoreError.self) { try Workflow.audit(record(3, "跳号", deadline: "2026-11-30"), in: b.ledger) }
        #expect(throws: CoreError.self) { try Workflow.audit(record(2, "超期", deadline: "2027-02-01"), in: b.ledger) }
        #expect(throws: CoreError.self) { try Workflow.audit(record(2, "单位自建", deadline: "2026-11-30", by: "cgz"), in: b.ledger) }
        try Workflow.audit(record(2, "二期", deadline: "2026-12-31"), in: b.ledger)
    }

    @Test func listsShowChildrenUnderTheirParentAndStatisticsCountThemForTheirUnits() throws {
        var (b, n) = try ledger()
        let ref = ItemReference(n)
        try b.run(.registerChild(of: ref, child("摸底", lead: "城关镇", deadline: "2026-11-03")))
        try b.run(.registerChild(of: ref, child("设计", lead: "县财政局", deadline: "2026-12-20")))
        let other = try b.register("另一件", lead: "县财政局", deadline: "2026-11-05")
        b.today = Fixtures.day("2026-11-10")
        let evaluator = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        // By urgency 之1 (overdue 7 days) comes first: listed under its parent, it brings the
        // family before 第0002号 (overdue 5 days).
        let rows = ItemQuery().run(b.ledger.items, evaluator).map(\.item.number)
        #expect(rows == [n, n.child(1), n.child(2), other])
        var byDeadline = ItemQuery()
        byDeadline.order = .deadline
        #expect(byDeadline.run(b.ledger.items, evaluator).map(\.item.number) == [n, n.child(1), n.child(2), other])
        b.today = Fixtures.day("2026-11-02")
        let early = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        #expect(ItemQuery().run(b.ledger.items, early).map(\.item.number) == [n, n.child(1), n.child(2), other])
        b.today = Fixtures.day("2026-11-10")
        // A child whose parent is not listed stands on its own.
        var q = ItemQuery()
        q.unit = "城关镇"
        #expect(q.run(b.ledger.items, evaluator).map(\.item.number) == [n.child(1)])
        // Statistics: each child is an item of its unit; the parent counts for its own lead.
        let stats = Statistics(items: b.ledger.items, evaluator: evaluator, by: .unit, names: b.ledger.units.map(\.name))
        func row(_ unit: String) -> Statistics.Row? { stats.rows.first { $0.name == unit } }
        #expect(row("城关镇")?.total == 1 && row("城关镇")?.overdueOpen == 1)
        #expect(row("县财政局")?.total == 2 && row("县住建局")?.total == 1)
        // The parent's detail lists its children and their progress.
        let lines = ItemDetailText.lines(
            b.item(n), status: evaluator.status(of: b.item(n)), ledger: b.ledger, width: 78,
            statusOf: { evaluator.status(of: $0) })
        #expect(lines.contains("分解为2项，已办结0项："))
        #expect(lines.contains("  之1  城关镇  待签收  逾期7天  时限 2026-11-03  摸底"), "\(lines)")
        let childLines = ItemDetailText.lines(
            b.item(n.child(2)), status: evaluator.status(of: b.item(n.child(2))), ledger: b.ledger, width: 78)
        #expect(childLines.contains("上级事项：督〔2026〕第0001号  老旧小区改造"))
    }

    @Test func aChildsDeadlineStaysWithinItsParentsWhenEdited() throws {
        var (b, n) = try ledger()
        try b.run(.registerChild(of: ItemReference(n), child("摸底", lead: "城关镇", deadline: "2026-11-30")))
        #expect {
            try b.act(n.child(1), .edit([FieldValue(.deadline, "2027-01-10")], reason: "延后"))
        } throws: { ($0 as? CoreError)?.message.contains("子项的时限 2027-01-10 晚于上级事项") == true }
        try b.act(n.child(1), .edit([FieldValue(.deadline, "2026-12-20")], reason: "调整节点"))
        #expect(b.item(n.child(1)).deadline == Fixtures.day("2026-12-20"))
    }

    @Test func theLedgerTableCarriesChildrenBackAfterTheirParent() throws {
        var (b, n) = try ledger()
        try b.run(.registerChild(of: ItemReference(n), child("摸底", lead: "城关镇", deadline: "2026-11-30")))
        try b.run(.registerChild(of: ItemReference(n), child("设计", lead: "县财政局", deadline: "2026-12-20")))
        // A parent is approved once its sub-tasks are closed (or withdrawn).
        try b.act(n.child(1), .withdraw(reason: "并入设计"))
        for (k, unit) in [(2, "县财政局")] {
            try b.act(n.child(k), .sign, forUnit: unit)
            try b.act(n.child(k), .requestCompletion(report: "完成"), forUnit: unit)
            try b.act(n.child(k), .approveCompletion(grade: nil, note: ""))
        }
        try b.act(n, .sign, forUnit: "县住建局")
        try b.act(n, .requestCompletion(report: "完成"), forUnit: "县住建局")
        try b.act(n, .approveCompletion(grade: nil, note: ""))
        let evaluator = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        let rows = b.ledger.items.enumerated().map {
            LedgerImport.Row(line: $0.offset + 2, cells: LedgerTable.row($0.element, evaluator))
        }
        var fresh = LedgerBuilder(today: "2026-11-02")
        try fresh.units("县住建局", "城关镇", "县财政局")
        let empty = fresh.ledger
        func plan(_ rows: [LedgerImport.Row]) -> Result<LedgerImport.Plan, LedgerImport.Problems> {
            LedgerImport.plan(
                header: LedgerTable.columns, rows: rows, ledger: empty, actor: .supervisor("clerk"), today: fresh.today,
                calendar: Fixtures.calendar, createUnits: false)
        }
        // The closed parent first, then its children: read back as they were.
        guard case .success(let p) = plan(rows) else {
            Issue.record("应可导入：\(plan(rows))")
            return
        }
        for c in p.commands { try fresh.run(c) }
        #expect(fresh.ledger.children(of: n).map(\.title) == ["摸底", "设计"])
        #expect(fresh.item(n).state == .closed)
        // A child without its parent is refused with its row named.
        guard case .failure(let problems) = plan(Array(rows.dropFirst())) else {
            Issue.record("没有上级事项的子项应被拒绝")
            return
        }
        #expect(problems.list.contains { $0.line == 3 && $0.message.contains("其上级事项 督〔2026〕第0001号 不在台账中") }, "\(problems.list)")
    }
}
