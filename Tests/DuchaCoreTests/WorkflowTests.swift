import DuchaCore
import DuchaStore
import DuchaTestSupport
import Testing

/// Every action, tried by every role: the office (clerk), a leader (ld), the lead unit's user
/// (cz, 县财政局), a co-unit's user (fg, 县发改局) and an unrelated unit's user (jy, 县教育局).
@Suite struct WorkflowTests {
    enum Who: String, CaseIterable {
        case clerk, ld, cz, fg, jy
    }

    /// A ledger with a roster and one item led by 县财政局 with 县发改局 co-handling, prepared
    /// into the state the action needs.
    func prepared(_ setup: (inout LedgerBuilder, ItemNumber) throws -> Void) throws -> (LedgerBuilder, ItemNumber) {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局", "县发改局", "县教育局")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try b.run(.addUser(User(login: "ld", role: .leader)))
        try b.run(.addUser(User(login: "cz", role: .unit, unit: "县财政局")))
        try b.run(.addUser(User(login: "fg", role: .unit, unit: "县发改局")))
        try b.run(.addUser(User(login: "jy", role: .unit, unit: "县教育局")))
        let n = try b.register("城区停车难治理", lead: "县财政局", co: ["县发改局"], deadline: "2026-11-30")
        try setup(&b, n)
        return (b, n)
    }

    struct Case {
        var name: String
        var setup: (inout LedgerBuilder, ItemNumber) throws -> Void
        var request: ItemRequest
        var allowed: Set<Who>
    }

    nonisolated(unsafe) static let signed: (inout LedgerBuilder, ItemNumber) throws -> Void = { b, n in try b.act(n, .sign) }
    nonisolated(unsafe) static let extensionPending: (inout LedgerBuilder, ItemNumber) throws -> Void = { b, n in
        try b.act(n, .sign)
        try b.act(n, .requestExtension(to: Fixtures.day("2026-12-15"), reason: "需等待审批"))
    }
    nonisolated(unsafe) static let underReview: (inout LedgerBuilder, ItemNumber) throws -> Void = { b, n in
        try b.act(n, .sign)
        try b.act(n, .requestCompletion(report: "已办结"))
    }

    nonisolated(unsafe) static let cases: [Case] = [
        Case(name: "签收", setup: { _, _ in }, request: .action(.sign), allowed: [.clerk, .cz]),
        Case(name: "退办", setup: { _, _ in }, request: .action(.decline(reason: "不属本单位职责")), allowed: [.clerk, .cz]),
        Case(name: "反馈", setup: signed, request: .action(.feedback(text: "已完成方案")), allowed: [.clerk, .cz, .fg]),
        Case(
            name: "申请延期", setup: signed, request: .action(.requestExtension(to: Fixtures.day("2026-12-15"), reason: "天气原因")),
            allowed: [.clerk, .cz]),
        Case(name: "批准延期", setup: extensionPending, request: .approveExtension(to: nil, note: ""), allowed: [.clerk]),
        Case(name: "不批准延期", setup: extensionPending, request: .action(.denyExtension(reason: "时限内可完成")), allowed: [.clerk]),
        Case(name: "申请办结", setup: signed, request: .action(.requestCompletion(report: "已全部完成")), allowed: [.clerk, .cz]),
        Case(name: "审核通过", setup: underReview, request: .action(.approveCompletion(grade: .good, note: "")), allowed: [.clerk]),
        Case(name: "审核退回", setup: underReview, request: .action(.returnCompletion(reason: "未附验收材料")), allowed: [.clerk]),
        Case(name: "催办", setup: signed, request: .action(.remind(method: .phone, note: "")), allowed: [.clerk]),
        Case(name: "批注", setup: signed, request: .action(.comment(text: "抓紧办理")), allowed: [.clerk, .ld]),
        Case(name: "撤销", setup: signed, request: .action(.withdraw(reason: "不再实施")), allowed: [.clerk]),
        Case(name: "暂缓", setup: signed, request: .action(.suspend(reason: "政策调整")), allowed: [.clerk]),
        Case(
            name: "恢复", setup: { b, n in try b.act(n, .suspend(reason: "政策调整")) },
            request: .resume(reason: "", calendar: .weekendsOnly), allowed: [.clerk]),
        Case(name: "修改", setup: signed, request: .edit([FieldValue(.title, "城区停车难专项治理")], reason: ""), allowed: [.clerk]),
        Case(
            name: "重新交办", setup: { _, _ in },
            request: .reassign(lead: "县教育局", coUnits: [], reason: "职责调整", deadline: nil, calendar: .weekendsOnly),
            allowed: [.clerk]),
        Case(
            name: "重新办理",
            setup: { b, n in
                try b.act(n, .sign)
                try b.act(n, .requestCompletion(report: "已办结"))
                try b.act(n, .approveCompletion(grade: nil, note: ""))
            }, request: .reopen(reason: "回头看", deadline: nil, calendar: .weekendsOnly), allowed: [.clerk]),
        Case(
            name: "撤回延期申请", setup: extensionPending,
            request: .action(.withdrawExtension(to: Fixtures.day("2026-12-15"), reason: "")),
            allowed: [.clerk, .cz]),
    ]

    @Test(arguments: cases.map(\.name))
    func eachRoleIsAllowedOrRefused(_ name: String) throws {
        let c = WorkflowTests.cases.first { $0.name == name }!
        for who in Who.allCases {
            var (b, n) = try prepared(c.setup)
            let before = b.item(n).history.count
            do {
                try b.act(n, c.request, as: who.rawValue)
                #expect(c.allowed.contains(who), "\(who) 不应能\(name)")
                #expect(b.item(n).history.count == before + 1)
            } catch let e as CoreError {
                #expect(!c.allowed.contains(who), "\(who) 应能\(name)：\(e.message)")
                guard case .notPermitted(let m) = e else {
                    Issue.record("\(who) \(name) 应以无权拒绝：\(e)")
                    continue
                }
                #expect(m.contains("无权") && m.contains(n.description), "\(m)")
                #expect(b.item(n).history.count == before)
            }
        }
    }

    /// `ducha check` replays each record through the same rules: a record in the name of a role
    /// that could not have made it is refused by `audit` exactly when `decide` refuses it.
    @Test func theReplayOfAForgedRecordAgreesWithTheWorkflow() throws {
        for c in WorkflowTests.cases {
            for who in Who.allCases {
                let (b, n) = try prepared(c.setup)
                let actor = try b.ledger.actor(login: who.rawValue)
                let item = b.item(n)
                let action: ItemAction
                switch c.request {
                case .action(let a): action = a
                case .approveExtension: action = .approveExtension(to: item.pendingExtension!.to, note: "")
                case .resume: action = .resume(reason: "")
                case .reassign(let lead, _, let reason, _, _):
                    action = .reassign(
                        lead: lead, coUnits: [], reason: reason,
                        assignment: NewAssignment(assignedOn: b.today, deadline: Fixtures.day("2026-11-20")))
                case .reopen(let reason, _, _): action = .reopen(reason: reason, deadline: Fixtures.day("2026-11-20"))
                case .edit, .undo: continue
                }
                // The record a forger would write: a unit's user in its own unit's name.
                let decided = try? Workflow.decide(
                    .act(try ItemReference.parse(n.description), c.request), by: actor, in: b.ledger, today: b.today)
                let entry = Entry(
                    seq: b.ledger.seq + 1, at: Fixtures.at("2026-11-02"), actor: who.rawValue,
                    unit: decided?.unit ?? (actor.role == .unit ? actor.unit : nil), proxy: decided?.proxy ?? false,
                    change: .item(n, action))
                let audited = (try? Workflow.audit(entry, in: b.ledger)) != nil
                #expect(audited == c.allowed.contains(who), "\(c.name) by \(who)")
            }
        }
        // A unit's action recorded by the office without saying so (no 代录 mark) is not one it could make.
        let (b, n) = try prepared(WorkflowTests.signed)
        let hidden = Entry(
            seq: b.ledger.seq + 1, at: Fixtures.at("2026-11-02"), actor: "clerk", change: .item(n, .feedback(text: "x")))
        #expect(throws: CoreError.self) { try Workflow.audit(hidden, in: b.ledger) }
        // Only the office records a report as of an earlier day (补录), and never a future one.
        var late = hidden
        late.unit = "县财政局"
        late.proxy = true
        late.on = Fixtures.day("2026-11-01")
        #expect((try? Workflow.audit(late, in: b.ledger)) != nil)
        late.actor = "cz"
        late.proxy = false
        #expect(throws: CoreError.self) { try Workflow.audit(late, in: b.ledger) }
    }

    @Test func refusalsSayWhoWhatAndWhy() throws {
        var (b, n) = try prepared(WorkflowTests.signed)
        #expect(throws: CoreError.notPermitted("县教育局 无权反馈 \(n)：该事项不由本单位承办")) {
            try b.act(n, .feedback(text: "x"), as: "jy")
        }
        #expect(throws: CoreError.notPermitted("县发改局 无权申请办结 \(n)：该事项由 县财政局 牵头，本单位为配合单位，只有牵头单位可以申请办结")) {
            try b.act(n, .requestCompletion(report: "x"), as: "fg")
        }
        #expect(throws: CoreError.notPermitted("领导 ld 无权反馈 \(n)：领导可以查看和批注，反馈由承办单位办理")) {
            try b.act(n, .feedback(text: "x"), as: "ld")
        }
        #expect(throws: CoreError.notPermitted("县财政局 无权催办 \(n)：只有督查室可以催办")) {
            try b.act(n, .remind(method: .phone, note: ""), as: "cz")
        }
        // A unit user cannot name another unit.
        #expect(throws: CoreError.notPermitted("县发改局 无权反馈 \(n)：不能代其他单位（县财政局）反馈")) {
            try b.act(n, .feedback(text: "x"), as: "fg", forUnit: "县财政局")
        }
    }

    @Test func theOfficeRecordsOnAUnitsBehalfAndTheRecordSaysSo() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局", "县发改局")
        _ = try b.register("一", lead: "县财政局", deadline: "2026-11-30")
        _ = try b.register("二", lead: "县财政局", deadline: "2026-11-30")
        let n = try b.register("三", lead: "县财政局", deadline: "2026-11-30")
        #expect(n.description == "督〔2026〕第0003号")
        // The example of the issue, word for word.
        #expect(throws: CoreError.notPermitted("县发改局 无权反馈 督〔2026〕第0003号：该事项由 县财政局 牵头")) {
            try b.act(n, .feedback(text: "进展"), forUnit: "县发改局")
        }
        let e = try b.act(n, .sign).last!
        #expect(e.unit == "县财政局" && e.proxy && e.actor == "clerk")
        let f = try b.act(n, .feedback(text: "进展")).last!
        #expect(f.unit == "县财政局" && f.proxy)
    }

    @Test func statesAllowOnlyTheirActions() throws {
        var (b, n) = try prepared { _, _ in }
        #expect(throws: CoreError.notAllowedNow("不能申请办结 \(n)：该事项尚未签收，请先签收")) {
            try b.act(n, .requestCompletion(report: "x"), as: "cz")
        }
        try b.act(n, .sign, as: "cz")
        #expect(throws: CoreError.notAllowedNow("不能签收 \(n)：该事项已签收，当前为“办理中”")) { try b.act(n, .sign, as: "cz") }
        #expect(throws: CoreError.notAllowedNow("不能审核通过 \(n)：该事项当前为“办理中”，只有“待审核”的事项可以审核通过")) {
            try b.act(n, .approveCompletion(grade: nil, note: ""))
        }
        try b.act(n, .requestCompletion(report: "完成"), as: "cz")
        try b.act(n, .approveCompletion(grade: .excellent, note: ""))
        #expect(b.item(n).state == .closed)
        #expect(throws: CoreError.notAllowedNow("不能反馈 \(n)：该事项已办结归档；如需回头看或有新的批示，督查室可重新办理")) {
            try b.act(n, .feedback(text: "x"), as: "cz")
        }
        #expect(throws: CoreError.notAllowedNow("不能修改 \(n)：该事项已办结归档；如需回头看或有新的批示，督查室可重新办理")) {
            try b.act(n, .edit([FieldValue(.title, "新")], reason: ""))
        }
    }

    @Test func extensionsOnlyBeforeTheDeadlineAndTheOriginalStaysVisible() throws {
        var (b, n) = try prepared(WorkflowTests.signed)
        #expect(throws: CoreError.invalidField("延期日期", "申请的新时限 2026-11-20 应晚于现在的办理时限 2026-11-30")) {
            try b.act(n, .requestExtension(to: Fixtures.day("2026-11-20"), reason: "x"), as: "cz")
        }
        try b.act(n, .requestExtension(to: Fixtures.day("2026-12-15"), reason: "等待审批"), as: "cz")
        #expect(throws: CoreError.notAllowedNow("不能申请延期 \(n)：已有一份延期申请等待督查室审批")) {
            try b.act(n, .requestExtension(to: Fixtures.day("2026-12-20"), reason: "x"), as: "cz")
        }
        try b.act(n, .approveExtension(to: nil, note: "同意"))
        #expect(b.item(n).deadline == Fixtures.day("2026-12-15"))
        #expect(b.item(n).originalDeadline == Fixtures.day("2026-11-30"))
        #expect(b.item(n).extensionsApproved == 1)
        b.today = Fixtures.day("2026-12-16")
        #expect(throws: CoreError.notAllowedNow("不能申请延期 \(n)：办理时限 2026-12-15 已过，延期须在时限届满前申请；请与督查室联系")) {
            try b.act(n, .requestExtension(to: Fixtures.day("2026-12-30"), reason: "x"), as: "cz")
        }
    }

    @Test func returnsAreNeverErased() throws {
        var (b, n) = try prepared(WorkflowTests.signed)
        for reason in ["未附验收材料", "问题未实际解决"] {
            try b.act(n, .requestCompletion(report: "已完成"), as: "cz")
            try b.act(n, .returnCompletion(reason: reason))
        }
        let item = b.item(n)
        #expect(item.returns == 2)
        #expect(item.state == .active)
        let returns = item.history.compactMap { e -> String? in
            if case .item(_, .returnCompletion(let r)) = e.change { return r }
            return nil
        }
        #expect(returns == ["未附验收材料", "问题未实际解决"])
    }

    @Test func declineThenReassign() throws {
        var (b, n) = try prepared { _, _ in }
        try b.act(n, .decline(reason: "属教育局职责"), as: "cz")
        #expect(b.item(n).pendingDecline == "属教育局职责")
        #expect(throws: CoreError.notAllowedNow("不能退办 \(n)：已退办，等待督查室重新交办")) {
            try b.act(n, .decline(reason: "x"), as: "cz")
        }
        try b.act(
            n,
            .reassign(lead: "县教育局", coUnits: ["县发改局"], reason: "按职责改由教育局牵头", deadline: nil, calendar: Fixtures.calendar))
        #expect(b.item(n).leadUnit == "县教育局" && b.item(n).state == .pending && b.item(n).pendingDecline == nil)
        // The former lead unit no longer sees it; the new one signs.
        #expect(throws: CoreError.self) { try b.act(n, .sign, as: "cz") }
        try b.act(n, .sign, as: "jy")
    }

    @Test func editsAreLoggedWithOldAndNewValues() throws {
        var (b, n) = try prepared(WorkflowTests.signed)
        #expect(throws: CoreError.invalidField("修改理由", "修改办理时限必须写明理由；单位申请的延期请走延期审批")) {
            try b.act(n, .edit([FieldValue(.deadline, "2026-12-31")], reason: ""))
        }
        let e = try b.act(n, .edit([FieldValue(.deadline, "2026-12-31"), FieldValue(.coUnits, "县发改局、县教育局")], reason: "县委调整"))
            .last!
        guard case .item(_, .edit(let changes, _)) = e.change else { throw CoreError.inconsistent("edit") }
        #expect(
            changes == [
                FieldChange(field: .deadline, old: "2026-11-30", new: "2026-12-31"),
                FieldChange(field: .coUnits, old: "县发改局", new: "县发改局、县教育局"),
            ])
        #expect(b.item(n).coUnits == ["县发改局", "县教育局"])
        #expect(throws: CoreError.invalidField("修改", "没有与现有内容不同的修改")) {
            try b.act(n, .edit([FieldValue(.title, "城区停车难治理")], reason: ""))
        }
        #expect(throws: CoreError.invalidField("配合单位", "县财政局 已是牵头单位，不能同时为配合单位")) {
            try b.act(n, .edit([FieldValue(.coUnits, "县财政局")], reason: ""))
        }
    }

    @Test func registrationIsValidated() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局")
        #expect(throws: CoreError.unknownUnit("县水利局")) { try b.register("x", lead: "县水利局", deadline: "2026-11-30") }
        #expect(throws: CoreError.invalidField("办理时限", "2026-10-01 早于交办日期 2026-11-02")) {
            try b.register("x", lead: "县财政局", deadline: "2026-10-01")
        }
        #expect(throws: CoreError.invalidField("事项", "不能为空")) { try b.register("  ", lead: "县财政局", deadline: "2026-11-30") }
        #expect(throws: CoreError.invalidField("事项", "含有控制字符 ESC（终端控制序列）")) {
            try b.register("标题\u{1B}[31m", lead: "县财政局", deadline: "2026-11-30")
        }
        #expect(throws: CoreError.invalidField("事项", "含有制表符（Tab 键），请改为空格")) {
            try b.register("路灯\t整改", lead: "县财政局", deadline: "2026-11-30")
        }
        #expect(throws: CoreError.self) { try b.register("x", lead: "县财政局", deadline: "2026-11-30", source: "街谈巷议") }
        // Numbers run per year.
        #expect(try b.register("一", lead: "县财政局", deadline: "2026-11-30").description == "督〔2026〕第0001号")
        b.today = Fixtures.day("2027-01-04")
        #expect(try b.register("二", lead: "县财政局", deadline: "2027-01-30").description == "督〔2027〕第0001号")
    }

    /// Bidi controls and zero-width characters are refused in every field a person types:
    /// roster names, unit details, reasons, feedback, settings.
    @Test func textThatCouldDeceiveIsRefusedInEveryField() throws {
        var (b, n) = try prepared(WorkflowTests.signed)
        let rlo = "\u{202E}"
        let why = "含有不可见的文字方向控制字符（U+202E），会使显示的文字与实际内容不一致，请删除后重新输入"
        #expect(throws: CoreError.invalidField("姓名", why)) {
            try b.run(.addUser(User(login: "sl", role: .leader, name: "李\(rlo)明")))
        }
        #expect(throws: CoreError.invalidField("第一责任人", why)) {
            try b.run(.addUnit(Unit(name: "县水利局", kind: .department, owner: "王\(rlo)五")))
        }
        #expect(throws: CoreError.invalidField("反馈内容", why)) { try b.act(n, .feedback(text: "进展\(rlo)"), as: "cz") }
        #expect(throws: CoreError.invalidField("延期理由", why)) {
            try b.act(n, .requestExtension(to: Fixtures.day("2026-12-15"), reason: "等待\(rlo)审批"), as: "cz")
        }
        #expect(throws: CoreError.invalidField("办结报告", why)) { try b.act(n, .requestCompletion(report: "已\(rlo)完成"), as: "cz") }
        #expect(throws: CoreError.invalidField("暂缓理由", why)) { try b.act(n, .suspend(reason: "暂\(rlo)缓")) }
        #expect(throws: CoreError.invalidField("通报标题", why)) { try b.run(.setting(key: "notice-title", value: "通报\(rlo)")) }
        #expect(throws: CoreError.invalidField("来源", why)) { try b.run(.setting(key: "sources", value: "领导批示、来\(rlo)源")) }
        // An emoji sequence's joiner is part of the emoji, not hidden text.
        #expect(throws: Never.self) { try b.act(n, .feedback(text: "已完成👩🏽‍💻"), as: "cz") }
    }

    @Test func theRosterDecidesWhoIsWho() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局")
        // No roster: whoever runs it is the office.
        #expect(try b.ledger.actor(login: "anyone").role == .supervisor)
        // The first user added brings the clerk in as the office too.
        let added = try b.run(.addUser(User(login: "cz", role: .unit, unit: "县财政局")))
        #expect(added.count == 2)
        #expect(b.ledger.user(login: "clerk")?.role == .supervisor)
        #expect(throws: CoreError.unknownUser("stranger")) { try b.ledger.actor(login: "stranger") }
        #expect(throws: CoreError.notPermitted("县财政局 无权登记单位：只有督查室可以登记单位")) {
            try b.run(.addUnit(Unit(name: "县水利局", kind: .department)), as: "cz")
        }
    }

    @Test func usersAreRecognisedByTheirUidNotTheirName() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局", "县发改局")
        // The empty roster's office keeps its uid when the first user is added.
        let first = try Workflow.decide(
            .addUser(User(login: "cz", role: .unit, unit: "县财政局", uid: 1002)), by: b.ledger.actor(uid: 1001, login: "clerk"),
            in: b.ledger, today: b.today)
        for c in first.changes { try b.record(c, actor: "clerk") }
        #expect(b.ledger.user(login: "clerk")?.uid == 1001)
        #expect(try b.ledger.actor(uid: 1001, login: "clerk").role == .supervisor)
        // The uid decides, and a login alone is nobody. A uid whose account now has another login
        // is refused: a deleted account's number given to a new one must not inherit its role (a
        // renamed account is registered again by the office).
        #expect(try b.ledger.actor(uid: 1002, login: "cz").unit == "县财政局")
        #expect(throws: CoreError.self) { try b.ledger.actor(uid: 1002, login: "cz-renamed") }
        #expect(throws: CoreError.unknownUser("cz")) { try b.ledger.actor(uid: 4242, login: "cz") }
        #expect(throws: CoreError.unknownUser("clerk")) { try b.ledger.actor(uid: 1002 + 1, login: "clerk") }
        // An entry made before uids were recorded is matched by its login.
        try b.record(.addUser(User(login: "old", role: .unit, unit: "县发改局")), actor: "clerk")
        #expect(try b.ledger.actor(uid: 5000, login: "old").unit == "县发改局")
        // One OS account is one user.
        #expect(throws: CoreError.invalidField("用户", "系统账户 uid 1002 已作为 cz 登记")) {
            try b.run(.addUser(User(login: "fg", role: .unit, unit: "县发改局", uid: 1002)))
        }
    }
}

/// The record is right: reassignment, extension and completion, suspension, reopen and undo.
extension WorkflowTests {
    static let scenario = try! DataDirectory(path: Fixtures.dataPath).demo()
    static let demoSettings = try! DataDirectory(path: Fixtures.dataPath).settings()

    /// The demo ledger as a builder, and its overdue 青石镇 item returned twice (the issue's 2026-0013).
    static func demoWithLateItem(today: String = "2026-11-30") throws -> (LedgerBuilder, ItemNumber, StatusEvaluator) {
        var b = LedgerBuilder(today: today)
        b.ledger = try DemoBuilder.build(
            scenario, settings: demoSettings, today: b.today, calendar: Fixtures.calendar, supervisor: "clerk")
        let e = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        let item = try #require(
            b.ledger.items.first { $0.leadUnit == "青石镇" && $0.returns >= 2 && e.status(of: $0).light == .red })
        return (b, item.number, e)
    }

    @Test func reassignmentIsANewAssignmentForTheNewUnit() throws {
        var (b, n, e) = try WorkflowTests.demoWithLateItem()
        let before = b.item(n)
        let late = try #require(e.status(of: before).overdueDays)
        #expect(late > 30)
        try b.act(n, .reassign(lead: "县财政局", coUnits: nil, reason: "职责调整", deadline: nil, calendar: Fixtures.calendar))
        let item = b.item(n)
        let unit = try #require(b.ledger.unit(named: "县财政局"))
        // Handed over as of today, with the default limit counted from today, to the new unit's people.
        #expect(item.leadUnit == "县财政局" && item.state == .pending)
        #expect(item.assignedOn == b.today)
        let limit = b.ledger.settings.limit(source: item.source, urgency: item.urgency)
        #expect(item.deadline == limit.deadline(from: b.today, calendar: Fixtures.calendar))
        #expect(item.originalDeadline == item.deadline)
        #expect(item.owner == unit.owner && item.contact == unit.contact && item.phone == unit.phone)
        #expect(item.returns == 0 && item.remindersSinceAssigned == 0 && item.extensionsApproved == 0)
        #expect(!item.coUnits.contains("县财政局"))
        // Not late, not 签收超时 on the day it arrives.
        let s = e.status(of: item)
        #expect(s.light != .red && !s.signOverdue)
        // What happened under 青石镇 stays 青石镇's.
        let old = try #require(item.earlierAssignments.last)
        #expect(old.leadUnit == "青石镇" && old.handedOver)
        #expect(
            old.daysLate == late && old.returns == before.returns && old.reminders == before.remindersSinceAssigned
                && old.reminders > 0)
        #expect(old.assignedOn == before.assignedOn && old.deadline == before.deadline && old.endedOn == b.today)
        // The history shows both.
        let text = ItemDetailText.lines(item, status: s, ledger: b.ledger, width: 100).joined(separator: "\n")
        #expect(
            text.contains(
                "此前承办：青石镇：\(before.assignedOn) 交办，时限 \(before.deadline)；\(b.today) 重新交办时已逾期\(late)天；退回\(before.returns)次"))
        #expect(text.contains("重新交办：牵头 县财政局"))
        #expect(text.contains("\(b.today) 起重新计时"))
        #expect(item.history.contains { if case .returnCompletion = $0.itemAction { true } else { false } })
        // The state a snapshot stores reads back the same.
        var w = JSONWriter(capacity: 1024)
        ItemStateCodec.encode(item, into: &w)
        let back = try JSONReader.read(w.bytes) { (r: inout JSONReader) throws(JSONError) in
            try ItemStateCodec.decode(&r, number: n)
        }
        #expect(back.sameState(as: item))
        #expect(try Item.folding(item.history).sameState(as: item))
    }

    @Test func reassignmentTakesAGivenDeadlineAndLetsAPendingExtensionLapseOnTheRecord() throws {
        var (b, n) = try prepared(WorkflowTests.extensionPending)
        #expect(throws: CoreError.invalidField("办理时限", "新的办理时限 2026-11-01 早于今天 2026-11-02")) {
            try b.act(
                n,
                .reassign(
                    lead: "县教育局", coUnits: nil, reason: "调整", deadline: Fixtures.day("2026-11-01"), calendar: Fixtures.calendar))
        }
        try b.act(
            n,
            .reassign(lead: "县教育局", coUnits: nil, reason: "调整", deadline: Fixtures.day("2026-11-20"), calendar: Fixtures.calendar)
        )
        let item = b.item(n)
        #expect(item.deadline == Fixtures.day("2026-11-20") && item.pendingExtension == nil)
        #expect(item.coUnits == ["县发改局"])
        #expect(HistoryText.what(item.history.last!).contains("原牵头单位待审批的延期申请（至 2026-12-15）随之撤回"))
        // A raw reassign record, without the new assignment worked out, is not accepted from anyone.
        #expect(throws: CoreError.self) { try b.act(n, .reassign(lead: "县发改局", coUnits: [], reason: "x")) }
    }

    @Test func askingToCloseWithdrawsThePendingExtensionOnTheRecord() throws {
        var (b, n) = try prepared(WorkflowTests.extensionPending)
        var replay = b.ledger
        let entries = try b.act(n, .requestCompletion(report: "已全部完成"), as: "cz")
        // The replay of `ducha check` accepts both records from the unit.
        for e in entries {
            #expect((try? Workflow.audit(e, in: replay)) != nil)
            try replay.apply(e)
        }
        #expect(entries.count == 2)
        guard case .withdrawExtension(let to, let reason)? = entries.first?.itemAction else {
            Issue.record("申请办结前应记录撤回延期申请")
            return
        }
        #expect(to == Fixtures.day("2026-12-15"))
        #expect(HistoryText.what(entries[0]) == "撤回延期申请（至 2026-12-15）：申请办结，同时撤回待审批的延期申请")
        #expect(entries[0].unit == "县财政局" && !entries[0].proxy)
        try b.act(n, .returnCompletion(reason: "未附材料"))
        // After the return the request is gone, and the history says where it went.
        #expect(
            throws: CoreError.notAllowedNow(
                "不能批准延期 \(n)：没有待审批的延期申请（至 2026-12-15 的延期申请已于 2026-11-02 撤回：申请办结，同时撤回待审批的延期申请；如仍需延期，请承办单位重新申请）")
        ) {
            try b.act(n, .approveExtension(to: nil, note: ""))
        }
        #expect(throws: CoreError.self) { try b.act(n, .denyExtension(reason: "x")) }
        #expect(b.item(n).history.contains { $0.itemAction?.code == "extension.withdraw" })
    }

    @Test func resumeMovesTheDeadlineByTheWorkingDaysSuspended() throws {
        var (b, n) = try prepared(WorkflowTests.signed)  // deadline 2026-11-30
        b.today = Fixtures.day("2026-11-20")
        try b.act(n, .suspend(reason: "等待上级政策"))
        #expect(b.item(n).suspendedSince == Fixtures.day("2026-11-20"))
        // 11 working days later (2026-11-20 Fri → 2026-12-07 Mon).
        b.today = Fixtures.day("2026-12-07")
        #expect(Fixtures.calendar.workdays(after: Fixtures.day("2026-11-20"), through: b.today) == 11)
        let e = try b.act(n, .resume(reason: "政策已明确", calendar: Fixtures.calendar)).last!
        let item = b.item(n)
        let moved = Fixtures.calendar.adding(workdays: 11, to: Fixtures.day("2026-11-30"))
        #expect(item.deadline == moved)
        #expect(item.originalDeadline == Fixtures.day("2026-11-30"))
        #expect(item.state == .active && item.suspendedSince == nil && item.suspendedWorkdays == 11)
        #expect(HistoryText.what(e) == "恢复办理，暂缓11个工作日，办理时限由 2026-11-30 顺延至 \(moved)：政策已明确")
        let s = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings).status(of: item)
        #expect(s.light != .red)
        let text = ItemDetailText.lines(item, status: s, ledger: b.ledger, width: 100).joined(separator: "\n")
        #expect(text.contains("办理时限：\(moved)（原定 2026-11-30，暂缓顺延11个工作日）"))
        // A resume the same day it was suspended moves nothing.
        try b.act(n, .suspend(reason: "再议"))
        try b.act(n, .resume(reason: "", calendar: Fixtures.calendar))
        #expect(b.item(n).deadline == moved)
    }

    @Test func reopenReturnsAClosedItemToWorkAndKeepsTheClosure() throws {
        var (b, n) = try prepared(WorkflowTests.underReview)
        try b.act(n, .approveCompletion(grade: .good, note: ""))
        #expect(throws: CoreError.self) {
            try b.act(n, .reopen(reason: "回头看", deadline: nil, calendar: Fixtures.calendar), as: "ld")
        }
        b.today = Fixtures.day("2026-12-10")
        try b.act(n, .reopen(reason: "回头看：群众反映问题反弹", deadline: nil, calendar: Fixtures.calendar))
        let item = b.item(n)
        #expect(item.state == .active && item.assignedOn == b.today && item.signedOn == b.today)
        #expect(item.deadline == Fixtures.calendar.adding(workdays: 15, to: b.today))
        #expect(item.closedOn == nil && item.grade == nil && item.returns == 0)
        let closed = try #require(item.earlierAssignments.last)
        #expect(!closed.handedOver && closed.closedOn == Fixtures.day("2026-11-02") && closed.grade == .good)
        #expect(item.history.contains { $0.itemAction?.code == "review.approve" })
        #expect(HistoryText.what(item.history.last!).hasPrefix("重新办理（原办结记录保留）"))
        // Only a closed item can be reopened.
        #expect(throws: CoreError.notAllowedNow("不能重新办理 \(n)：只有已办结的事项可以重新办理，该事项当前为“办理中”")) {
            try b.act(n, .reopen(reason: "x", deadline: nil, calendar: Fixtures.calendar))
        }
        // And it can be closed again.
        try b.act(n, .requestCompletion(report: "已再次整改"), as: "cz")
        try b.act(n, .approveCompletion(grade: nil, note: ""))
        #expect(b.item(n).state == .closed && b.item(n).earlierAssignments.count == 1)
    }

    @Test func undoReversesTheActorsOwnLastActionOfTheDay() throws {
        var (b, n) = try prepared { _, _ in }
        try b.act(n, .sign, as: "cz")
        try b.act(n, .feedback(text: "方案初稿"), as: "cz")
        b.today = Fixtures.day("2026-11-03")
        try b.act(n, .feedback(text: "方案定稿"), as: "fg")
        // Someone else's action, or one of another day, is not the actor's to undo.
        #expect(throws: CoreError.notAllowedNow("不能撤回 \(n)：今天没有您对该事项的操作可撤回")) { try b.act(n, .undo, as: "cz") }
        let undo = try b.act(n, .undo, as: "fg").last!
        guard case .undo(let u)? = undo.itemAction else {
            Issue.record("应记录撤回")
            return
        }
        #expect(u.code == "feedback" && u.progress?.text == "方案初稿")
        #expect(undo.unit == "县发改局" && !undo.proxy)
        #expect(b.item(n).latestProgress?.text == "方案初稿" && b.item(n).feedbackDays == [Fixtures.day("2026-11-02")])
        #expect(HistoryText.what(undo).hasPrefix("撤回本人当天的反馈（第"))
        // Never a deletion: both records stay.
        #expect(b.item(n).history.filter { $0.itemAction?.code == "feedback" }.count == 2)
        // An undo is not undone, and the same action is not undone twice.
        #expect(throws: CoreError.notAllowedNow("不能撤回 \(n)：您今天对该事项的最后一次操作已经撤回")) { try b.act(n, .undo, as: "fg") }
        // Something followed: refused.
        try b.act(n, .remind(method: .phone, note: ""))
        try b.act(n, .comment(text: "抓紧"), as: "ld")
        #expect(throws: CoreError.self) { try b.act(n, .undo) }
        try b.act(n, .undo, as: "ld")
        // The leader's undo is a record too: the reminder before it stays.
        #expect(throws: CoreError.self) { try b.act(n, .undo) }
        #expect(b.item(n).remindersSinceAssigned == 1)
        try b.act(n, .remind(method: .letter, note: ""))
        #expect(b.item(n).remindersSinceAssigned == 2)
        try b.act(n, .undo)
        #expect(b.item(n).remindersSinceAssigned == 1)
        // Actions that may not be undone.
        try b.act(n, .suspend(reason: "暂缓"))
        try b.act(n, .undo)
        #expect(b.item(n).state == .active)
        try b.act(n, .withdraw(reason: "不再实施"))
        #expect(throws: CoreError.notAllowedNow("不能撤回 \(n)：撤销不能撤回（可撤回的操作：\(Undo.undoableList)）")) { try b.act(n, .undo) }
    }

    @Test func undoOfASignAndOfAnApproval() throws {
        var (b, n) = try prepared { _, _ in }
        try b.act(n, .sign)  // the office records it for 县财政局 (代录)
        let undo = try b.act(n, .undo).last!
        #expect(undo.unit == "县财政局" && undo.proxy)
        #expect(b.item(n).state == .pending && b.item(n).signedOn == nil)
        try b.act(n, .sign, as: "cz")
        try b.act(n, .requestCompletion(report: "完成"), as: "cz")
        try b.act(n, .approveCompletion(grade: .excellent, note: ""))
        try b.act(n, .undo)
        let item = b.item(n)
        #expect(item.state == .review && item.closedOn == nil && item.grade == nil && item.completionRequestedOn == b.today)
    }

    /// `ducha check` replays an undo: accepted from its author, refused from anyone else.
    @Test func theReplayAcceptsAnUndoOnlyFromItsAuthor() throws {
        var (b, n) = try prepared(WorkflowTests.signed)
        try b.act(n, .feedback(text: "进展"), as: "cz")
        let target = b.item(n).history.last!
        func entry(_ actor: String, unit: String?, proxy: Bool = false, day: String = "2026-11-02") -> Entry {
            Entry(
                seq: b.ledger.seq + 1, at: Fixtures.at(day), actor: actor, unit: unit, proxy: proxy,
                change: .item(n, .undo(Undo(seq: target.seq, code: "feedback"))))
        }
        #expect((try? Workflow.audit(entry("cz", unit: "县财政局"), in: b.ledger)) != nil)
        #expect(throws: CoreError.self) { try Workflow.audit(entry("fg", unit: "县发改局"), in: b.ledger) }
        #expect(throws: CoreError.self) { try Workflow.audit(entry("clerk", unit: "县财政局", proxy: true), in: b.ledger) }
        #expect(throws: CoreError.self) { try Workflow.audit(entry("cz", unit: "县财政局", day: "2026-11-03"), in: b.ledger) }
        #expect(throws: CoreError.self) { try Workflow.audit(entry("cz", unit: nil), in: b.ledger) }
        // The last entry by the author is found across the ledger for `ducha undo` without a number.
        #expect(Workflow.lastEntry(by: try b.ledger.actor(login: "cz"), in: b.ledger, on: b.today)?.seq == target.seq)
    }
}

extension WorkflowTests {
    /// A unit that declined in time is not late because the office took long to reassign.
    @Test func aDeclinedUnitsClockStopsAtItsDecline() throws {
        var (b, n) = try prepared { _, _ in }  // deadline 2026-11-30
        b.today = Fixtures.day("2026-11-03")
        try b.act(n, .decline(reason: "属教育局职责"), as: "cz")
        b.today = Fixtures.day("2026-12-10")
        try b.act(n, .reassign(lead: "县教育局", coUnits: nil, reason: "按职责", deadline: nil, calendar: Fixtures.calendar))
        let old = try #require(b.item(n).earlierAssignments.last)
        #expect(old.declinedOn == Fixtures.day("2026-11-03") && old.daysLate == 0 && old.endedOn == b.today)
        let e = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        let stats = Statistics(items: b.ledger.items, evaluator: e, by: .unit, names: b.ledger.units.map(\.name))
        #expect(stats.rows.first { $0.name == "县财政局" }?.penaltyTenths == 0)
        let text = ItemDetailText.earlier(old)
        #expect(text == "县财政局：2026-11-02 交办，时限 2026-11-30；2026-11-03 退办，2026-12-10 重新交办")
    }
}
