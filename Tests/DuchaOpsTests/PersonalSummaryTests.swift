import DuchaCore
import DuchaOps
import DuchaStore
import DuchaTestSupport
import Testing

/// `ducha summary --me`: a unit's 待签收、临期、逾期、应反馈, the office's 待审核 and 待审批;
/// nothing for someone not in the roster or with nothing pending.
@Suite struct PersonalSummaryTests {
    static let today = Fixtures.day("2026-11-02")
    static let now = Timestamp(day: today, hour: 9, minute: 30)

    func ops(_ repo: LedgerStore, _ login: String, today: Day = PersonalSummaryTests.today) -> Operations {
        Operations(
            store: repo, login: login, uid: nil, clock: OpsBackend.clock(today: today, now: Self.now),
            calendar: Fixtures.calendar,
            today: today)
    }

    @Test func aUnitSeesWhatItMustSignReportAndHurry() throws {
        let dir = TemporaryDirectory()
        let files = try Repository.create(
            at: dir.sub("repo"), settings: OpsBackend.settings(officeName: "青山县委督查室"), login: "clerk", at: Self.now)
        for name in ["县交通局", "县住建局"] {
            try files.commit(.addUnit(Unit(name: name, kind: .department)), login: "clerk", at: Self.now, today: Self.today)
        }
        for (login, unit) in [("clerk", nil), ("jtj", "县交通局"), ("zjj", "县住建局")] {
            try files.commit(
                .addUser(User(login: login, role: unit == nil ? .supervisor : .unit, unit: unit)), login: "clerk", at: Self.now,
                today: Self.today)
        }
        let repo = try OpsBackend.store(files, dir)
        let clerk = ops(repo, "clerk")
        #expect(clerk.personalSummary()?.isEmpty == true)
        #expect(ops(repo, "stranger").personalSummary() == nil)
        // 1: to sign, due in three working days (临期); 2: signed, overdue, with a weekly feedback due;
        // 3: another unit's, where 县交通局 only co-handles.
        _ = try clerk.run(.register(ItemInput(lead: "县交通局", [.title: "修复城南道路", .deadline: "2026-11-05"])))
        _ = try clerk.run(
            .register(
                ItemInput(lead: "县交通局", [.title: "整治占道经营", .assignedOn: "2026-10-12", .deadline: "2026-10-30", .cycle: "每周五"])))
        _ = try clerk.run(.act(try ItemReference.parse("2"), .action(.sign), forUnit: "县交通局"))
        _ = try clerk.run(.register(ItemInput(lead: "县住建局", [.title: "老旧小区改造", .deadline: "2026-12-31", .coUnits: "县交通局"])))
        let unit = try #require(ops(repo, "jtj").personalSummary())
        #expect(unit.lines == ["督查督办（县交通局）：待签收 1 件、临期 1 件、逾期 1 件、应反馈 1 件。", "运行 ducha 查看和办理。"])
        #expect(ops(repo, "zjj").personalSummary()?.lines.first == "督查督办（县住建局）：待签收 1 件。")
        // Signed: nothing left to sign.
        _ = try clerk.run(.act(try ItemReference.parse("1"), .action(.sign), forUnit: "县交通局"))
        _ = try ops(repo, "zjj").run(.act(try ItemReference.parse("3"), .action(.sign)))
        #expect(ops(repo, "zjj").personalSummary()?.isEmpty == true)
        // The office: completion reports to review, extensions to decide.
        _ = try ops(repo, "jtj").run(.act(try ItemReference.parse("1"), .action(.requestCompletion(report: "已修复"))))
        _ = try ops(repo, "zjj").run(.extend(try ItemReference.parse("3"), to: "2027-01-15", reason: "雨季"))
        #expect(clerk.personalSummary()?.lines.first == "督查督办（青山县委督查室）：待审核 1 件、待审批 1 件、逾期 1 件。")
    }
}
