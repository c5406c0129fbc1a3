import DuchaCore
import DuchaTestSupport
import Testing

/// Units edited, renamed and retired (issue 12, point 6): recorded, readable afterwards, and a
/// renamed unit counted as one.
@Suite struct UnitRosterTests {
    func ledger() throws -> (LedgerBuilder, ItemNumber, ItemNumber) {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.run(.addUnit(Unit(name: "城关镇", kind: .township, owner: "王强", contact: "李娜", phone: "0571-1")))
        try b.units("县财政局", "县发改局")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try b.run(.addUser(User(login: "cg", role: .unit, unit: "城关镇")))
        let a = try b.register("道路整修", lead: "城关镇", co: ["县财政局"], deadline: "2026-11-30")
        let c = try b.register("学校维修", lead: "县财政局", co: ["城关镇"], deadline: "2026-11-30")
        try b.act(a, .sign, as: "cg")
        try b.act(a, .feedback(text: "已开工"), as: "cg")
        return (b, a, c)
    }

    @Test func renameRecordsTheChangeAndItemsFollowIt() throws {
        var (b, a, c) = try ledger()
        let e = try b.run(.editUnit(name: "城关镇", UnitEdit(name: "城关街道", kind: .subdistrict, contact: "赵敏")))
        #expect(
            e.map(HistoryText.what) == ["修改单位“城关镇”：名称 城关镇→城关街道，类型 乡镇→街道，联系人 李娜→赵敏"])
        #expect(b.ledger.unit(named: "城关镇") == nil)
        #expect(b.ledger.unit(named: "城关街道")?.contact == "赵敏")
        #expect(b.ledger.unit(named: "城关街道")?.owner == "王强", "未写出的项不变")
        #expect(b.ledger.currentName(of: "城关镇") == "城关街道")
        #expect(b.item(a).leadUnit == "城关街道")
        #expect(b.item(c).coUnits == ["城关街道"])
        #expect(b.item(a).latestProgress?.unit == "城关街道")
        #expect(b.ledger.user(login: "cg")?.unit == "城关街道")
        // The history shows what was recorded.
        #expect(HistoryText.what(b.item(a).history[0]).contains("牵头 城关镇"))
        // The unit's user goes on acting on its items under the new name.
        try b.act(a, .feedback(text: "过半"), as: "cg")
        #expect(b.item(a).history.last?.unit == "城关街道")
        // Statistics count the renamed unit once.
        let stats = Statistics(
            items: b.ledger.items,
            evaluator: StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings), by: .unit,
            names: b.ledger.units.map(\.name))
        #expect(stats.rows.map(\.name).sorted() == ["县发改局", "县财政局", "城关街道"].sorted())
        #expect(stats.rows.first { $0.name == "城关街道" }?.total == 1)
    }

    @Test func aFormerNameIsNeitherReusedNorAssigned() throws {
        var (b, _, _) = try ledger()
        try b.run(.editUnit(name: "城关镇", UnitEdit(name: "城关街道")))
        #expect(throws: CoreError.self) { try b.run(.addUnit(Unit(name: "城关镇", kind: .township))) }
        #expect(throws: CoreError.self) { try b.run(.editUnit(name: "县财政局", UnitEdit(name: "城关镇"))) }
        #expect(throws: CoreError.self) { try b.run(.editUnit(name: "县财政局", UnitEdit(name: "县发改局"))) }
        do {
            try b.register("新事项", lead: "城关镇", deadline: "2026-11-30")
            Issue.record("用旧名称立项应被拒绝")
        } catch let e as CoreError {
            #expect(e.message.contains("已更名为“城关街道”"))
        }
        #expect(throws: CoreError.self) { try b.run(.editUnit(name: "县财政局", UnitEdit(contact: ""))) }
    }

    @Test func retiredUnitKeepsItsItemsAndIsGivenNothingNew() throws {
        var (b, a, c) = try ledger()
        let e = try b.run(.retireUnit(name: "县财政局"))
        #expect(HistoryText.what(e[0]).hasPrefix("停用单位：县财政局"))
        #expect(b.ledger.unit(named: "县财政局")?.retired == true)
        #expect(!b.ledger.activeUnits.map(\.name).contains("县财政局"))
        #expect(b.item(c).leadUnit == "县财政局")
        #expect(b.item(a).coUnits == ["县财政局"])
        for attempt: () throws -> Void in [
            { _ = try b.register("新事项", lead: "县财政局", deadline: "2026-11-30") },
            { _ = try b.register("新事项", lead: "城关镇", co: ["县财政局"], deadline: "2026-11-30") },
            { try b.run(.addUser(User(login: "cz", role: .unit, unit: "县财政局"))) },
            { try b.run(.retireUnit(name: "县财政局")) },
        ] {
            do {
                try attempt()
                Issue.record("停用的单位不应再被交办")
            } catch let e as CoreError {
                #expect(e.message.contains("已停用"), "\(e.message)")
            }
        }
        // An item that already has it as co-unit keeps it when its other fields are edited.
        try b.act(a, .edit([FieldValue(.coUnits, "县财政局、县发改局")], reason: ""))
        #expect(b.item(a).coUnits == ["县财政局", "县发改局"])
    }

    @Test func onlyTheOfficeEditsOrRetiresUnits() throws {
        var (b, _, _) = try ledger()
        #expect(throws: CoreError.self) { try b.run(.retireUnit(name: "县发改局"), as: "cg") }
        #expect(throws: CoreError.self) { try b.run(.editUnit(name: "城关镇", UnitEdit(phone: "123")), as: "cg") }
        // check's replay agrees.
        let e = Entry(seq: b.ledger.seq + 1, at: Fixtures.at("2026-11-02"), actor: "cg", change: .retireUnit(name: "县发改局"))
        #expect(throws: CoreError.self) { try Workflow.audit(e, in: b.ledger) }
        let ok = Entry(seq: b.ledger.seq + 1, at: Fixtures.at("2026-11-02"), actor: "clerk", change: .retireUnit(name: "县发改局"))
        try Workflow.audit(ok, in: b.ledger)
    }

    @Test func newRecordsRoundTripByteForByte() throws {
        let changes: [Change] = [
            .editUnit(
                name: "城关镇",
                changes: [
                    UnitFieldChange(field: .name, old: "城关镇", new: "城关街道"),
                    UnitFieldChange(field: .contact, old: "", new: "赵敏"),
                ]),
            .retireUnit(name: "县财政局"),
            .importLedger(records: 42, sha256: String(repeating: "ab", count: 32)),
        ]
        for (i, c) in changes.enumerated() {
            let e = Entry(seq: i + 1, at: Fixtures.at("2026-11-02"), actor: "clerk", change: c)
            let line = EntryCodec.line(e)
            let back = try EntryCodec.decodeLine(line.dropLast())
            #expect(back == e)
            #expect(EntryCodec.line(back) == line)
        }
    }

    @Test func aTypoIsMatchedToTheUnitMeant() throws {
        let (b, _, _) = try ledger()
        #expect(b.ledger.similarUnit(to: "城关真") == "城关镇")
        #expect(b.ledger.similarUnit(to: "财政局") == "县财政局")
        #expect(b.ledger.similarUnit(to: "青石镇") == nil)
        #expect(b.ledger.similarUnit(to: "县教育局") == nil)
        #expect(b.ledger.unitTypo("城关真") == "没有名为“城关真”的单位，是否指 城关镇？")
    }

    @Test func aUnitsStatisticsCountWhatItLeadsApartFromWhatItCoHandles() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局", "县发改局")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try b.run(.addUser(User(login: "fg", role: .unit, unit: "县发改局")))
        try b.register("发改事项", lead: "县发改局", assigned: "2026-10-01", deadline: "2026-10-20")  // late
        try b.register("财政事项一", lead: "县财政局", co: ["县发改局"], assigned: "2026-10-01", deadline: "2026-10-20")  // late
        try b.register("财政事项二", lead: "县财政局", co: ["县发改局"], deadline: "2026-11-30")
        let actor = try b.ledger.actor(login: "fg")
        let evaluator = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        let stats = Statistics.seen(
            by: actor, items: b.ledger.visibleItems(to: actor), ledger: b.ledger, evaluator: evaluator, by: .unit)
        #expect(stats.rows.map(\.name) == ["县发改局（牵头）", "县发改局（配合）"])
        #expect(stats.rows.map(\.total) == [1, 2])
        #expect(stats.rows.map(\.overdueOpen) == [1, 1])
        #expect(stats.rows.map(\.penalty) == ["-5", "-2.5"])
        #expect(stats.rows.allSatisfy { $0.rank == nil }, "单位看不到其他单位的事项，不排名次")
        #expect(stats.total.total == 3 && stats.total.penalty == "-7.5")
        // The office's statistics are as before: one row per unit, ranked.
        let office = Statistics.seen(
            by: try b.ledger.actor(login: "clerk"), items: b.ledger.items, ledger: b.ledger, evaluator: evaluator, by: .unit)
        #expect(office.rows.first { $0.name == "县发改局" }?.total == 1)
        #expect(office.rows.first { $0.name == "县发改局" }?.penalty == "-7.5")
    }
}
