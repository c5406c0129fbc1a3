import DuchaCore
import DuchaTestSupport
import Testing

/// What a tester found using ducha as the office would: each rule here holds for the CLI and
/// the interface alike, since both come through the workflow.
@Suite struct TesterFixesTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return (error as? CoreError)?.message ?? "\(error)" }
        return ""
    }

    /// A unit written with the number of an item led by one unit is that unit or refused.
    @Test func aUnitWrittenWithAnOrdinaryItemsNumberIsNeverIgnored() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县教育局", "县财政局", "城关镇")
        let n = try b.register("校舍维修", lead: "县教育局", co: ["城关镇"], deadline: "2026-11-20")
        let seq = b.ledger.seq
        let sign = message { try b.run(.act(try ItemReference.parse("1（县财政局）"), .action(.sign))) }
        #expect(sign.contains("督〔2026〕第0001号 不是分别办理的事项，没有交给“县财政局”办理"), "\(sign)")
        let remind = message {
            try b.run(.act(try ItemReference.parse("1").part("县财政局"), .action(.remind(method: .phone, note: ""))))
        }
        #expect(remind.contains("不是分别办理的事项"), "\(remind)")
        // A co-unit named in the number is not acted for silently either: --for says so.
        let co = message { try b.run(.act(try ItemReference.parse("1（城关镇）"), .action(.sign))) }
        #expect(co.contains("代配合单位 城关镇 录入请用 --for 城关镇"), "\(co)")
        #expect(throws: CoreError.self) { try b.ledger.resolve(try ItemReference.parse("1（县财政局）"), currentYear: 2026) }
        #expect(b.ledger.seq == seq && b.item(n).state == .pending)
        // The lead unit itself, and a co-unit acted for with --for, stay as they were.
        try b.run(.act(try ItemReference.parse("1（县教育局）"), .action(.sign)))
        #expect(b.item(n).state == .active)
        try b.run(.act(try ItemReference.parse("1").part("城关镇"), .action(.feedback(text: "已摸底")), forUnit: "城关镇"))
        #expect(b.item(n).latestProgress?.unit == "城关镇")
    }

    /// A 分别办理 item has one part per unit: reassigning a part to a unit that has one is refused.
    @Test func aPartIsNotReassignedToAUnitThatHasOne() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇", "县财政局", "县教育局")
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: b.today, deadline: Fixtures.day("2026-11-20"))
        let n = try #require(try b.run(.registerSplit(r, leads: ["城关镇", "县财政局"])).first?.item)
        let seq = b.ledger.seq
        let refused = message {
            try b.run(
                .act(
                    ItemReference(n.child(2)),
                    .reassign(lead: "城关镇", coUnits: nil, reason: "调整", deadline: nil, calendar: WorkCalendar(tables: []))))
        }
        #expect(refused.contains("分别办理的牵头单位有重复：城关镇 已有 督〔2026〕第0001号 的分项（督〔2026〕第0001号（城关镇）"), "\(refused)")
        #expect(b.ledger.seq == seq)
        try b.run(
            .act(
                ItemReference(n.child(2)),
                .reassign(lead: "县教育局", coUnits: nil, reason: "调整", deadline: nil, calendar: WorkCalendar(tables: []))))
        #expect(b.item(n.child(2)).leadUnit == "县教育局")
    }

    /// A sub-task's deadline stays within its parent's whatever moves it: a date the office
    /// types is refused naming both, one ducha works out is brought back to the parent's.
    @Test func reassignReopenAndResumeKeepASubTaskWithinItsParentsDeadline() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县住建局", "城关镇", "县财政局")
        let calendar = WorkCalendar(tables: [])
        let p = try b.register("老旧小区改造", lead: "县住建局", deadline: "2026-11-20")
        let child = Registration(
            title: "完成摸底", source: "领导批示", leadUnit: "城关镇", assignedOn: b.today, deadline: Fixtures.day("2026-11-18"))
        try b.run(.registerChild(of: ItemReference(p), child))
        let c = p.child(1)
        let seq = b.ledger.seq
        let typed = message {
            try b.act(
                c, .reassign(lead: "县财政局", coUnits: nil, reason: "调整", deadline: Fixtures.day("2026-12-01"), calendar: calendar))
        }
        #expect(typed.contains("子项的时限 2026-12-01 晚于上级事项 督〔2026〕第0001号 的时限 2026-11-20"), "\(typed)")
        #expect(b.ledger.seq == seq)
        // The default limit (15 working days from today) would pass the parent's deadline.
        try b.act(c, .reassign(lead: "县财政局", coUnits: nil, reason: "调整", deadline: nil, calendar: calendar))
        #expect(b.item(c).deadline == Fixtures.day("2026-11-20"))
        // Suspended a week: the moved deadline stops at the parent's.
        try b.act(c, .suspend(reason: "等待批复"))
        b.today = Fixtures.day("2026-11-09")
        try b.act(c, .resume(reason: "", calendar: calendar))
        #expect(b.item(c).deadline == Fixtures.day("2026-11-20"))
        // Reopened: a typed date past the parent's is refused, the default one brought back.
        try b.act(c, .sign, as: nil, forUnit: "县财政局")
        try b.act(c, .requestCompletion(report: "已完成"), forUnit: "县财政局")
        try b.act(c, .approveCompletion(grade: nil, note: ""))
        let reopen = message { try b.act(c, .reopen(reason: "回头看", deadline: Fixtures.day("2026-11-25"), calendar: calendar)) }
        #expect(reopen.contains("晚于上级事项 督〔2026〕第0001号 的时限 2026-11-20"), "\(reopen)")
        try b.act(c, .reopen(reason: "回头看", deadline: nil, calendar: calendar))
        #expect(b.item(c).deadline == Fixtures.day("2026-11-20") && b.item(c).state == .active)
        // Once the parent's deadline has passed, the office moves the parent's first.
        b.today = Fixtures.day("2026-11-24")
        #expect(throws: CoreError.self) {
            try b.act(c, .reassign(lead: "城关镇", coUnits: nil, reason: "调整", deadline: nil, calendar: calendar))
        }
    }

    /// An item broken down is approved only once its sub-tasks are closed or withdrawn.
    @Test func aParentIsNotApprovedWhileASubTaskIsOpen() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县住建局", "城关镇")
        let p = try b.register("老旧小区改造", lead: "县住建局", deadline: "2026-11-20")
        let child = Registration(
            title: "完成摸底", source: "领导批示", leadUnit: "城关镇", assignedOn: b.today, deadline: Fixtures.day("2026-11-18"))
        try b.run(.registerChild(of: ItemReference(p), child))
        try b.act(p, .sign)
        try b.act(p, .requestCompletion(report: "已完成"))
        let seq = b.ledger.seq
        let refused = message { try b.act(p, .approveCompletion(grade: nil, note: "")) }
        #expect(refused.contains("还有子项未办结：督〔2026〕第0001号之1（完成摸底，待签收）"), "\(refused)")
        #expect(b.ledger.seq == seq && b.item(p).state == .review)
        try b.act(p.child(1), .withdraw(reason: "并入上级事项"))
        try b.act(p, .approveCompletion(grade: nil, note: ""))
        #expect(b.item(p).state == .closed)
    }

    /// Refusals name a 分别办理 part as the item's number and its unit, never the internal 之N.
    @Test func refusalsNameAPartByTheItemsNumberAndItsUnit() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇", "县财政局", "县教育局")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try b.run(.addUser(User(login: "cgz", role: .unit, unit: "城关镇")))
        try b.run(.addUser(User(login: "ld", role: .leader)))
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: b.today, deadline: Fixtures.day("2026-11-20"))
        let n = try #require(try b.run(.registerSplit(r, leads: ["城关镇", "县财政局", "县教育局"])).first?.item)
        let other = message { try b.act(n.child(3), .sign, as: "cgz") }
        let leader = message { try b.act(n.child(2), .withdraw(reason: "调整"), as: "ld") }
        try b.act(n.child(1), .sign, as: "cgz")
        let twice = message { try b.act(n.child(1), .sign, as: "cgz") }
        for m in [other, leader, twice] {
            #expect(!m.isEmpty && !m.contains("之") && m.contains("督〔2026〕第0001号（"), "\(m)")
        }
    }

    /// Item numbers typed with full-width digits read as dates typed so do.
    @Test func fullWidthDigitsInItemNumbersAreRead() throws {
        #expect(try ItemReference.parse("１") == ItemReference.parse("1"))
        let child = try ItemReference.parse("１之１")
        #expect(child.serial == 1 && child.sub == 1 && child.year == nil)
        let full = try ItemReference.parse("督〔２０２６〕第０００３号（城关镇）")
        #expect(full.year == 2026 && full.serial == 3 && full.unit == "城关镇")
        let dashed = try ItemReference.parse("２０２６－３")
        #expect(dashed.year == 2026 && dashed.serial == 3)
    }

    /// A unit loses points for an item suspended when already late (暂缓 stops the clock, it does
    /// not forgive); the statistics say so, since the item is not 逾期未办结.
    @Test func theStatisticsSayWhyASuspendedLateItemCosts() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县教育局", "城关镇")
        let late = try b.register("校舍维修", lead: "县教育局", deadline: "2026-11-05")
        try b.register("道路修缮", lead: "城关镇", deadline: "2026-12-05")
        b.today = Fixtures.day("2026-11-10")
        try b.act(late, .suspend(reason: "等待资金"))
        let e = StatusEvaluator(today: Fixtures.day("2026-11-20"), calendar: Fixtures.calendar, settings: b.ledger.settings)
        let stats = Statistics(items: b.ledger.items, evaluator: e, by: .unit, names: b.ledger.units.map(\.name))
        let row = try #require(stats.rows.first { $0.name == "县教育局" })
        #expect(row.overdueOpen == 0 && row.penaltyTenths > 0 && row.lateSuspended == 1)
        let text = stats.text(width: 100)
        #expect(text.contains("另：暂缓前已逾期的事项1件（县教育局1件）"), "\(text)")
        // The JSON says it too: the count on each unit's row, and the note.
        let json = stats.json()
        #expect(json.contains("\"name\":\"县教育局\"") && json.contains("\"lateSuspended\":1"), "\(json)")
        #expect(json.contains("\"note\":\"暂缓前已逾期的事项1件（县教育局1件）"), "\(json)")
        // Nothing suspended late: no such line.
        let none = Statistics(items: b.ledger.items.filter { $0.leadUnit == "城关镇" }, evaluator: e, by: .unit, names: ["城关镇"])
        #expect(!none.text(width: 100).contains("暂缓前已逾期"))
        #expect(none.suspensionNote == nil && !none.json().contains("\"note\""))
        // 合计 sums the units' late items; the unit itself sees the note in its own statistics.
        #expect(stats.total.leadLate == stats.rows.map(\.leadLate).reduce(0, +) && stats.total.leadLate == 1)
        #expect(stats.total.coLate == stats.rows.map(\.coLate).reduce(0, +))
        try b.run(.addUser(User(login: "jyj", role: .unit, unit: "县教育局")))
        let own = Statistics.seen(
            by: try b.ledger.actor(login: "jyj"), items: b.ledger.items, ledger: b.ledger, evaluator: e, by: .unit)
        #expect(own.total.lateSuspended == 1 && own.total.leadLate == 1, "\(own.total)")
        #expect(own.text(width: 100).contains("另：暂缓前已逾期的事项1件（县教育局（牵头）1件）"), "\(own.text(width: 100))")
        #expect(own.json().contains("\"note\":\"暂缓前已逾期的事项1件"))
    }
}
