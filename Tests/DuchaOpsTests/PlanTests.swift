import DuchaCore
import DuchaOps
import DuchaStore
import DuchaTestSupport
import Testing

/// Typed input becomes the core's commands in one place for both front ends, and the
/// operations layer records them through the store (a folder, or a database: `OpsBackend`).
@Suite struct PlanTests {
    static let today = Fixtures.day("2026-11-30")
    static let now = Timestamp(day: today, hour: 9, minute: 30)
    var calendar: WorkCalendar { Fixtures.calendar }

    /// A repository with two units, a unit user and one item with co-units and a feedback cycle.
    func make(_ dir: TemporaryDirectory) throws -> LedgerStore {
        let repo = try Repository.create(
            at: dir.sub("repo"), settings: OpsBackend.settings(officeName: "青山县委督查室"), login: "clerk", at: Self.now)
        for name in ["县财政局", "县发改局", "县住建局", "城关镇"] {
            try repo.commit(
                .addUnit(Unit(name: name, kind: name.hasSuffix("镇") ? .township : .department)), login: "clerk", at: Self.now,
                today: Self.today)
        }
        try repo.commit(.addUser(User(login: "czj", role: .unit, unit: "县财政局")), login: "clerk", at: Self.now, today: Self.today)
        let r = Registration(
            title: "城区停车难治理", source: "领导批示", leadUnit: "县财政局", coUnits: ["县发改局", "县住建局"], assignedOn: Self.today,
            deadline: Fixtures.day("2026-12-31"), feedbackCycle: try FeedbackCycle.parse("每周五"))
        try repo.commit(.register(r), login: "clerk", at: Self.now, today: Self.today)
        return try OpsBackend.store(repo, dir)
    }

    func ops(_ repo: LedgerStore, _ login: String = "clerk") -> Operations {
        Operations(
            store: repo, login: login, uid: nil, clock: OpsBackend.clock(today: Self.today, now: Self.now), calendar: calendar,
            today: Self.today)
    }

    var ref: ItemReference { try! ItemReference.parse("1") }

    @Test func aRegistrationReadsDatesAsTypedAndTakesTheDefaultsAnOfficeExpects() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        var input = ItemInput(lead: "城关镇", [.title: "老旧小区改造", .deadline: "+3", .coUnits: "县财政局，县住建局"])
        let plus3 = try Plan.commands(.register(input), ledger: repo.ledger, calendar: calendar, today: Self.today)
        guard case .register(let r)? = plus3.first else { throw Failure("应为立项") }
        #expect(r.deadline == calendar.adding(workdays: 3, to: Self.today))
        #expect(r.coUnits == ["县财政局", "县住建局"])
        #expect(r.source == "领导批示" && r.urgency == .normal && r.assignedOn == Self.today && r.feedbackCycle == nil)
        // No deadline: the default limit of the source and urgency, counted on working days.
        input[.deadline] = ""
        input[.urgency] = "特急"
        guard
            case .register(let d)? = try Plan.commands(
                .register(input), ledger: repo.ledger, calendar: calendar, today: Self.today
            ).first
        else { throw Failure("应为立项") }
        #expect(
            d.deadline
                == repo.ledger.settings.limit(source: "领导批示", urgency: .critical).deadline(from: Self.today, calendar: calendar))
        input[.urgency] = "特别急"
        #expect(throws: CoreError.invalidField("紧急程度", "应为 \(Urgency.labels) 之一，而不是“特别急”")) {
            try Plan.commands(.register(input), ledger: repo.ledger, calendar: calendar, today: Self.today)
        }
    }

    /// A form sends every field it shows: only what differs is recorded — the co-units in the
    /// picker's order and an untouched cycle are no change.
    @Test func anEditRecordsOnlyTheFieldsThatDiffer() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let form = ItemInput(
            lead: "县财政局",
            [
                .title: "城区停车难综合治理", .coUnits: "县住建局、县发改局", .deadline: "2026-12-31", .source: "领导批示", .leader: "",
                .urgency: "一般", .instruction: "",
            ])
        let commands = try Plan.commands(
            .edit(ref, form, reason: ""), ledger: repo.ledger, calendar: calendar, today: Self.today)
        #expect(commands == [.act(ref, .edit([FieldValue(.title, "城区停车难综合治理")], reason: ""))])
        let outcome = try ops(repo).run(.edit(ref, form, reason: ""))
        #expect(outcome.summary == "已修改 督〔2026〕第0001号：事项 → 城区停车难综合治理，当前状态：待签收")
        let item = try #require(repo.ledger.item(outcome.item!))
        #expect(item.coUnits == ["县发改局", "县住建局"] && item.feedbackCycle?.description == "每周五")
        // Nothing different: refused in Chinese, nothing written.
        let seq = repo.ledger.seq
        #expect(throws: StoreError.refused(.invalidField("修改", "没有与现有内容不同的修改"))) {
            try ops(repo).run(.edit(ref, ItemInput(lead: "县财政局", [.title: "城区停车难综合治理"]), reason: ""))
        }
        #expect(repo.ledger.seq == seq)
    }

    /// A new lead unit in the edit form is a reassignment as of today (the default deadline
    /// unless another was typed), then an edit of the other fields changed.
    @Test func aNewLeadUnitInAnEditIsAReassignment() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let form = ItemInput(lead: "县住建局", [.title: "城区停车治理", .coUnits: "县发改局、县住建局", .deadline: "2026-12-31"])
        let commands = try Plan.commands(
            .edit(ref, form, reason: "按职责调整"), ledger: repo.ledger, calendar: calendar, today: Self.today)
        #expect(
            commands == [
                .act(ref, .reassign(lead: "县住建局", coUnits: ["县发改局"], reason: "按职责调整", deadline: nil, calendar: calendar)),
                .act(ref, .edit([FieldValue(.title, "城区停车治理")], reason: "按职责调整")),
            ])
        #expect(throws: CoreError.invalidField("修改理由", "更换牵头单位须写明理由")) {
            try Plan.commands(.edit(ref, form, reason: ""), ledger: repo.ledger, calendar: calendar, today: Self.today)
        }
        let outcome = try ops(repo).run(.edit(ref, form, reason: "按职责调整"))
        #expect(outcome.entries.count == 2)
        #expect(outcome.summary.hasPrefix("已重新交办 督〔2026〕第0001号，由 县住建局 牵头，交办日期 2026-11-30"))
        #expect(repo.ledger.item(outcome.item!)?.leadUnit == "县住建局")
    }

    /// Deadlines typed as people write them, in add, edit, reassign and reopen alike: the words a
    /// ledger sheet may hold, in the year of the day they count from, and full-width digits.
    @Test func deadlinesAsPeopleTypeThem() throws {
        let from = Self.today  // 2026-11-30, a Monday
        for (typed, expected) in [
            ("年底前", "2026-12-31"), ("12月31日", "2026-12-31"), ("6月底前", "2027-06-30"), ("2027年6月底前", "2027-06-30"),
            ("上半年", "2027-06-30"), ("四季度", "2026-12-31"), ("2026.12.15", "2026-12-15"), ("2026年12月15日", "2026-12-15"),
            ("20261215", "2026-12-15"), ("２０２６-12-31", "2026-12-31"),
            ("＋１０", calendar.adding(workdays: 10, to: from).description),
        ] {
            #expect(try calendar.deadline(typed, from: from).description == expected, "\(typed)")
        }
        #expect(throws: CoreError.self) { try calendar.deadline("尽快", from: from) }
        #expect(throws: CoreError.self) { try calendar.deadline("46000", from: from) }
        do {
            _ = try calendar.deadline("长期", from: from)
            Issue.record("长期 应被拒绝")
        } catch {
            #expect(error.message.contains("长期事项没有期限"))
        }
        let add = try Plan.commands(
            .register(ItemInput(lead: "县财政局", [.title: "x", .deadline: "年底前"])), ledger: try make(TemporaryDirectory()).ledger,
            calendar: calendar, today: from)
        guard case .register(let r)? = add.first else {
            Issue.record("\(add)")
            return
        }
        #expect(r.deadline.description == "2026-12-31")
    }

    /// +N in an edit counts from today, as in add and reassign; +0 and a reassignment to the unit
    /// that already leads are refused; an unknown number is named without a stray space.
    @Test func typedDatesCountFromTodayAndEmptyChangesAreRefused() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let edit = try Plan.commands(
            .edit(ref, ItemInput([.deadline: "+3"]), reason: "调整"), ledger: repo.ledger, calendar: calendar, today: Self.today)
        #expect(
            edit == [
                .act(ref, .edit([FieldValue(.deadline, calendar.adding(workdays: 3, to: Self.today).description)], reason: "调整"))
            ])
        #expect(throws: CoreError.invalidDate("+0", "+N 中的 N 应为 1 到 1000 个工作日")) {
            try Plan.commands(
                .register(ItemInput(lead: "县财政局", [.title: "x", .deadline: "+0"])), ledger: repo.ledger, calendar: calendar,
                today: Self.today)
        }
        let seq = repo.ledger.seq
        #expect(throws: StoreError.refused(.notAllowedNow("不能重新交办 督〔2026〕第0001号：该事项已由 县财政局 牵头"))) {
            try ops(repo).run(.reassign(ref, lead: "县财政局", coUnits: nil, reason: "再来", deadline: nil))
        }
        #expect(repo.ledger.seq == seq)
        #expect(CoreError.unknownItem("99（即 督〔2026〕第0099号）").message == "没有编号为 99（即 督〔2026〕第0099号）的督查事项")
    }

    /// The same operation from a unit's user: its own item's actions go through, the office's
    /// are refused with the workflow's sentence and nothing is written.
    @Test func aUnitActsOnItsOwnItemAndIsRefusedTheOfficesActions() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let unit = ops(repo, "czj")
        #expect(try unit.run(.act(ref, .action(.sign))).summary == "已签收 督〔2026〕第0001号，当前状态：办理中")
        let seq = repo.ledger.seq
        #expect(throws: StoreError.self) { try unit.run(.reopen(ref, reason: "回头看", deadline: nil)) }
        #expect(repo.ledger.seq == seq)
        // What the unit may start now, as the workflow judges it.
        let item = try #require(repo.ledger.items.first)
        #expect(unit.available(on: item) == [.undo, .feedback, .extend, .complete, .attach])
        #expect(ops(repo).available(on: item).contains(.remind) && !ops(repo).available(on: item).contains(.sign))
    }

    /// Reports come filtered by the role: a unit may not have another unit's 催办通知, nor the
    /// whole ledger.
    @Test func reportRightsAreTheWorkflows() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let unit = ops(repo, "czj")
        #expect(throws: StoreError.refused(.notPermitted("县财政局 无权导出 县发改局 的催办通知：只能导出本单位的"))) {
            try unit.reminderNotices(unit: "县发改局")
        }
        #expect(throws: CoreError.self) { try unit.wholeLedger() }
        #expect(throws: StoreError.self) { try unit.overdueNotice(issue: true, dueSoon: false) }
        #expect(try ops(repo).wholeLedger().entries.count == repo.ledger.seq)
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
