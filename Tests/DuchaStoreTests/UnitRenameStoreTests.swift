import DuchaCore
import DuchaDocuments
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// A renamed unit on disk (issue 12, point 6), and imports that neither register a typo as a
/// unit nor register the same rows twice (point 8).
@Suite struct UnitRenameStoreTests {
    static let today = Fixtures.day("2026-11-02")
    static let now = Timestamp(day: today, hour: 9, minute: 0)

    func commit(_ repo: Repository, _ c: Command) throws {
        try repo.commit(c, login: "clerk", at: UnitRenameStoreTests.now, today: UnitRenameStoreTests.today)
    }

    @Test func aRenameSurvivesCompactionAndCheck() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.create(
            at: dir.sub("repo"), settings: Settings(officeName: "青山县委督查室"), login: "clerk", at: UnitRenameStoreTests.now)
        try commit(repo, .addUnit(Unit(name: "城关镇", kind: .township)))
        try commit(repo, .addUnit(Unit(name: "县财政局", kind: .department)))
        for (title, lead, co) in [("道路整修", "城关镇", ["县财政局"]), ("学校维修", "县财政局", ["城关镇"])] {
            try commit(
                repo,
                .register(
                    Registration(
                        title: title, source: "领导批示", leadUnit: lead, coUnits: co, assignedOn: UnitRenameStoreTests.today,
                        deadline: Fixtures.day("2026-11-30"))))
        }
        // Both items go into the snapshot; the rename comes after, in the journal.
        try repo.compact()
        try commit(repo, .editUnit(name: "城关镇", UnitEdit(name: "城关街道")))
        try commit(repo, .act(try ItemReference.parse("2"), .action(.comment(text: "抓紧"))))
        for mode in [Repository.LoadMode.full, .summary, .only([repo.ledger.items[0].number])] {
            let r = try Repository.open(at: repo.directory, mode: mode)
            #expect(r.ledger.items.first?.leadUnit == "城关街道", "\(mode)")
        }
        try repo.compact()
        for mode in [Repository.LoadMode.full, .summary, .only([repo.ledger.items[0].number])] {
            let r = try Repository.open(at: repo.directory, mode: mode)
            #expect(r.ledger.items.first?.leadUnit == "城关街道", "整理后 \(mode)")
            #expect(r.ledger.currentName(of: "城关镇") == "城关街道")
        }
        let again = try Repository.open(at: repo.directory)
        #expect(again.ledger.items.map(\.coUnits) == [["县财政局"], ["城关街道"]])
        let report = RepositoryCheck.run(directory: repo.directory)
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    func plan(
        _ csv: String, _ ledger: Ledger, createUnits: Bool = false, allowDuplicates: Bool = false
    )
        -> Result<LedgerImport.Plan, LedgerImport.Problems>
    {
        let t = LedgerFile.parse(csv)
        return LedgerImport.plan(
            header: t.header, rows: t.rows, ledger: ledger, actor: .supervisor("clerk"), today: Fixtures.day("2026-11-21"),
            calendar: Fixtures.calendar, createUnits: createUnits, allowDuplicates: allowDuplicates)
    }

    @Test func aTypodUnitIsQuestionedNotRegistered() throws {
        var b = LedgerBuilder(today: "2026-11-21")
        try b.run(.addUnit(Unit(name: "城关镇", kind: .township)))
        try b.units("县财政局")
        let csv = "事项,来源,牵头单位,交办日期,办理时限\r\n道路整修,领导批示,城关真,2026-11-02,2026-11-30\r\n学校维修,领导批示,县教育局,2026-11-02,2026-11-30\r\n"
        for create in [true, false] {
            guard case .failure(let p) = plan(csv, b.ledger, createUnits: create) else {
                Issue.record("笔误的单位不应导入")
                continue
            }
            #expect(p.list.map(\.description).contains("第2行：没有名为“城关真”的单位，是否指 城关镇？"), "\(p.list)")
            if create { #expect(p.list.count == 1, "县教育局 与已有单位不近似，照常登记：\(p.list)") }
        }
        // Without the typo the new unit is registered.
        guard case .success(let ok) = plan(csv.replacingOccurrences(of: "城关真", with: "城关镇"), b.ledger, createUnits: true)
        else {
            Issue.record("应可导入")
            return
        }
        #expect(ok.newUnits == ["县教育局"])
    }

    @Test func rowsAlreadyInTheLedgerAreRefusedUnlessAllowed() throws {
        var b = LedgerBuilder(today: "2026-11-21")
        try b.units("县财政局", "城关镇")
        let csv =
            "事项,来源,牵头单位,交办日期,办理时限\r\n道路整修,领导批示,县财政局,2026-11-02,2026-11-30\r\n学校维修,领导批示,城关镇,2026-11-02,2026-11-30\r\n"
        guard case .success(let first) = plan(csv, b.ledger) else {
            Issue.record("第一次导入应成功")
            return
        }
        for c in first.commands { try b.run(c) }
        #expect(b.ledger.items.count == 2)
        guard case .failure(let again) = plan(csv, b.ledger) else {
            Issue.record("同一文件再次导入应逐行拒绝")
            return
        }
        #expect(again.list.map(\.line) == [2, 3])
        #expect(again.list[0].message.hasPrefix("督〔2026〕第0001号 与本行的事项、牵头单位、交办日期相同"), "\(again.list)")
        // The same row twice in one file.
        let twice = "事项,来源,牵头单位,交办日期,办理时限\r\n新事项,领导批示,县财政局,2026-11-03,2026-11-30\r\n新事项,领导批示,县财政局,2026-11-03,2026-11-30\r\n"
        guard case .failure(let p) = plan(twice, b.ledger) else {
            Issue.record("文件中重复的行应被拒绝")
            return
        }
        #expect(p.list.map(\.line) == [3])
        guard case .success(let allowed) = plan(csv, b.ledger, allowDuplicates: true) else {
            Issue.record("--allow-duplicates 时应可导入")
            return
        }
        #expect(allowed.items == 2)
    }
}
