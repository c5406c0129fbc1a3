import DuchaCore
import DuchaDocuments
import DuchaOps
import DuchaStore
import DuchaTestSupport
import Testing

/// An item's basis (交办依据): its rules, the grouping by basis with the completion rate, the
/// 落实情况通报 and its serial, the import column, and a meeting's decisions registered together.
@Suite struct BasisTests {
    static let today = Fixtures.day("2026-12-15")
    static let now = Timestamp(day: today, hour: 9, minute: 30)
    static let meeting = "县政府第12次常务会议"
    var calendar: WorkCalendar { Fixtures.calendar }

    /// Three items of the meeting (one closed on time, one overdue, one open), one of another
    /// meeting, one withdrawn of the meeting, and one without a basis.
    func ledger() throws -> LedgerBuilder {
        var b = LedgerBuilder(today: "2026-11-20", settings: OpsBackend.settings(officeName: "青山县委督查室"))
        try b.units("县财政局", "县住建局", "县教育局")
        func add(
            _ title: String, _ lead: String, _ deadline: String, basis: String = "", number: String = ""
        ) throws
            -> ItemNumber
        {
            let r = Registration(
                title: title, source: "政府常务会决定事项", leadUnit: lead, assignedOn: b.today, deadline: Fixtures.day(deadline),
                basis: basis, basisNumber: number, basisDate: basis.isEmpty ? nil : Fixtures.day("2026-11-18"))
            return try b.run(.register(r)).last!.item!
        }
        let closed = try add("老旧小区改造", "县住建局", "2026-12-31", basis: Self.meeting, number: "〔2026〕12号")
        let late = try add("学校食堂提质", "县教育局", "2026-12-01", basis: Self.meeting, number: "〔2026〕12号")
        try add("预算绩效评价", "县财政局", "2026-12-31", basis: Self.meeting, number: "〔2026〕12号")
        try add("农村公路养护", "县住建局", "2026-12-31", basis: "县委常委会第5次会议")
        let withdrawn = try add("已撤销的一件", "县财政局", "2026-12-31", basis: Self.meeting, number: "〔2026〕12号")
        try add("无依据的事项", "县财政局", "2026-12-31")
        try b.act(closed, .sign, forUnit: "县住建局")
        try b.act(closed, .feedback(text: "已完成外立面改造"), forUnit: "县住建局")
        try b.act(closed, .requestCompletion(report: "已完成"), forUnit: "县住建局")
        try b.act(closed, .approveCompletion(grade: nil, note: ""))
        try b.act(late, .sign, forUnit: "县教育局")
        try b.act(withdrawn, .withdraw(reason: "会议决定不再实施"))
        b.today = Self.today
        return b
    }

    var evaluator: StatusEvaluator { StatusEvaluator(today: Self.today, calendar: calendar, settings: Settings()) }

    @Test func aBasisNeedsItsNameAndHasItsOwnLimit() throws {
        var b = try ledger()
        let numberAlone = Registration(
            title: "只有文号", source: "政府常务会决定事项", leadUnit: "县财政局", assignedOn: b.today, deadline: Fixtures.day("2026-12-31"),
            basisNumber: "〔2026〕12号")
        #expect(throws: CoreError.self) { try b.run(.register(numberAlone)) }
        let long = String(repeating: "长", count: Validate.basisLimit + 1)
        var tooLong = numberAlone
        tooLong.basis = long
        tooLong.basisNumber = ""
        #expect(throws: CoreError.self) { try b.run(.register(tooLong)) }
        // A document's title longer than a name is fine.
        tooLong.basis = "关于印发《青山县2026年民生实事项目实施方案》的通知暨县政府第12次常务政府常务会决定事项事项"
        #expect(try b.run(.register(tooLong)).count == 1)
        // An edit that would leave the 文号 without the name is refused.
        let n = try #require(b.ledger.items.first { $0.title == "预算绩效评价" }?.number)
        #expect(throws: CoreError.self) { try b.act(n, .edit([FieldValue(.basis, "")], reason: "更正")) }
        try b.act(n, .edit([FieldValue(.basisDate, "2026年11月19日")], reason: "更正"))
        #expect(b.item(n).basisDate == Fixtures.day("2026-11-19"))
    }

    @Test func statisticsByBasisCountEachItemOnceWithTheCompletionRate() throws {
        let b = try ledger()
        let stats = Statistics.seen(
            by: .supervisor("clerk"), items: b.ledger.items, ledger: b.ledger, evaluator: evaluator, by: .basis)
        #expect(
            stats.rows.map(\.name) == ["县委常委会第5次会议", "县政府第12次常务会议（〔2026〕12号）", Statistics.noBasis]
                || stats.rows.map(\.name) == ["县政府第12次常务会议（〔2026〕12号）", "县委常委会第5次会议", Statistics.noBasis])
        let meeting = try #require(stats.rows.first { $0.name.hasPrefix(Self.meeting) })
        // The withdrawn one is not counted.
        #expect(meeting.total == 3 && meeting.closed == 1 && meeting.closedOnTime == 1 && meeting.overdueOpen == 1)
        #expect(meeting.completionRate == "33.3%")
        #expect(stats.total.total == 5 && stats.total.completionRate == "20.0%")
        #expect(stats.headers.contains("完成率") && stats.cells(meeting).contains("33.3%"))
        let text = stats.text(width: 100)
        #expect(text.contains("按依据") && text.contains("完成率＝已办结÷承办总数"))
        #expect(stats.json().contains("\"completionRate\":\"33.3%\""))
    }

    @Test func aBasisIsFoundByItsNameNumberOrAPartThatNamesOnlyIt() throws {
        let bases = try ledger().ledger.items.compactMap(\.basisInfo)
        #expect(try Basis.find("〔2026〕12号", among: bases).name == Self.meeting)
        #expect(try Basis.find("第12次", among: bases).name == Self.meeting)
        #expect(try Basis.find("县委常委会第5次会议", among: bases).number == "")
        #expect(throws: CoreError.self) { try Basis.find("会议", among: bases) }
        #expect(throws: CoreError.self) { try Basis.find("第99次", among: bases) }
        var q = ItemQuery()
        q.basis = "12号"
        #expect(try ledger().ledger.items.filter { q.matchesFilters($0, evaluator.status(of: $0)) }.count == 4)
    }

    @Test func theProgressNoticeListsEveryItemWithCountsRateAndLedgerCode() throws {
        let dir = TemporaryDirectory()
        let b = try ledger()
        let repo = try OpsBackend.store(Repository.create(at: dir.sub("repo"), ledger: b.ledger), dir)
        let ops = Operations(
            store: repo, login: "clerk", uid: nil, clock: OpsBackend.clock(today: Self.today, now: Self.now), calendar: calendar,
            today: Self.today)
        let preview = try ops.progressNotice(basis: "第12次", issue: false)
        #expect(preview.preview && preview.serial == 1)
        #expect(preview.rows.map(\.item.title) == ["老旧小区改造", "学校食堂提质", "预算绩效评价"])
        #expect(preview.withdrawn == 1)
        let text = preview.text(width: 100)
        #expect(preview.summary.contains("共3件，已办结1件，完成率33.3%"), "\(text)")
        #expect(text.replacingAll("\n", with: "").contains("共3件，已办结1件，完成率33.3%"), "\(text)")
        #expect(text.contains("第1期（预览）") && text.contains("县政府第12次常务会议交办事项落实情况通报"))
        #expect(text.contains("按时办结") && text.contains("逾期14天") && text.contains("已完成外立面改造"), "\(text)")
        #expect(preview.rows.map(\.state) == ["按时办结", "办理中，逾期14天", "待签收"])
        #expect(!text.contains("配合单位"), "没有配合单位时不列此栏")
        #expect(text.contains("另有1件已撤销") && text.contains("请县教育局抓紧办理"))
        #expect(text.contains("台账校验码：第\(repo.ledger.seq)条记录"))
        #expect(repo.ledger.progressNotices.isEmpty, "预览不记入台账")
        // Issued: the serial is recorded, per basis; the next preview of the basis is 第2期.
        let issued = try ops.progressNotice(basis: "〔2026〕12号", issue: true)
        #expect(!issued.preview && issued.serial == 1)
        #expect(repo.ledger.nextProgressSerial(basis: "县政府第12次常务会议（〔2026〕12号）") == 2)
        #expect(try ops.progressNotice(basis: "第12次", issue: false).serialText == "第2期（预览）")
        #expect(try ops.progressNotice(basis: "县委常委会", issue: false).serial == 1)
        guard case .issueProgress(let basis, 1, _, 3, 1)? = repo.ledger.log.last?.change else {
            throw Failure("应记入落实情况通报第1期：\(String(describing: repo.ledger.log.last))")
        }
        #expect(basis == "县政府第12次常务会议（〔2026〕12号）")
        #expect(issued.text(width: 100).contains("台账校验码：第\(repo.ledger.seq)条记录"))
        // check replays the record.
        #expect(RepositoryCheck.run(directory: dir.sub("repo")).problems.isEmpty)
    }

    @Test func onlyTheOfficeIssuesAProgressNoticeAndItsSerialsFollowEachBasis() throws {
        var b = try ledger()
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try b.run(.addUser(User(login: "czj", role: .unit, unit: "县财政局")))
        let label = "县政府第12次常务会议（〔2026〕12号）"
        #expect(throws: CoreError.self) { try b.run(.issueProgress(basis: label, items: 3, closed: 1), as: "czj") }
        let first = try b.run(.issueProgress(basis: label, items: 3, closed: 1))
        #expect(first.first?.change == .issueProgress(basis: label, serial: 1, day: Self.today, items: 3, closed: 1))
        try b.run(.issueProgress(basis: "县委常委会第5次会议", items: 1, closed: 0))
        let second = try b.run(.issueProgress(basis: label, items: 3, closed: 2))
        #expect(second.first?.change == .issueProgress(basis: label, serial: 2, day: Self.today, items: 3, closed: 2))
        #expect(HistoryText.what(second[0]) == "印发“\(label)”落实情况通报第2期（共3件，已办结2件）")
        // The audit that check runs: the office's record passes, the same record by a unit does not.
        try Workflow.audit(second[0], in: b.ledger)
        var forged = second[0]
        forged.actor = "czj"
        #expect(throws: CoreError.self) { try Workflow.audit(forged, in: b.ledger) }
        // A serial out of order is a damaged ledger.
        var skipped = b.ledger
        #expect(throws: CoreError.self) {
            try skipped.apply(
                Entry(
                    seq: skipped.seq + 1, at: Self.now, actor: "clerk",
                    change: .issueProgress(basis: label, serial: 5, day: Self.today, items: 3, closed: 2)))
        }
    }

    @Test func theImportReadsTheBasisColumnsOrOneBasisForTheWholeSheet() throws {
        let b = try ledger()
        let header = "事项,牵头单位,办理时限,会议名称,文号"
        let rows = ["城区停车场建设,县住建局,2026-12-31,,", "课后服务,县教育局,2026-12-31,县委常委会第6次会议,"]
        func plan(_ lines: [String], defaults: [String: String]) -> Result<LedgerImport.Plan, LedgerImport.Problems> {
            let t = LedgerFile.parse(([header] + lines).joined(separator: "\r\n") + "\r\n")
            let table = LedgerSheet.recognise([LedgerImport.Row(line: 1, cells: t.header)] + t.rows)!
            return LedgerImport.plan(
                header: table.header, rows: table.rows, ledger: b.ledger, actor: .supervisor("clerk"), today: Self.today,
                calendar: calendar, createUnits: false,
                defaults: ["来源": "政府常务会决定事项", "交办日期": "2026-12-15"].merging(defaults) { $1 })
        }
        guard
            case .success(let p) = plan(
                rows, defaults: ["交办依据": "县政府第13次常务会议", "依据文号": "〔2026〕13号", "依据日期": "2026-12-10"])
        else { throw Failure("应可导入") }
        let registered = p.understood.map(\.registration)
        #expect(registered[0].basis == "县政府第13次常务会议" && registered[0].basisNumber == "〔2026〕13号")
        #expect(registered[0].basisDate == Fixtures.day("2026-12-10"))
        // A row naming its own basis keeps it, without the sheet-wide 文号 and date.
        #expect(registered[1].basis == "县委常委会第6次会议" && registered[1].basisNumber == "" && registered[1].basisDate == nil)
        // A 文号 without a basis is refused on its row.
        guard case .failure(let problems) = plan(["城区停车场建设,县住建局,2026-12-31,,〔2026〕9号"] + rows, defaults: [:]) else {
            throw Failure("应拒绝")
        }
        #expect(problems.list.map(\.line) == [2] && problems.list[0].message.contains("须同时写明交办依据"))
    }

    @Test func aMeetingsDecisionsAreRegisteredAllOrNothing() throws {
        let dir = TemporaryDirectory()
        let repo = try OpsBackend.store(Repository.create(at: dir.sub("repo"), ledger: try ledger().ledger), dir)
        let ops = Operations(
            store: repo, login: "clerk", uid: nil, clock: OpsBackend.clock(today: Self.today, now: Self.now), calendar: calendar,
            today: Self.today)
        func input(_ title: String, _ lead: String, _ deadline: String = "+10") -> ItemInput {
            ItemInput(lead: lead, [.title: title, .deadline: deadline, .basis: "县政府第13次常务会议", .basisNumber: "〔2026〕13号"])
        }
        let before = repo.ledger.items.count
        // The second is refused: nothing is registered, and the refusal names it.
        #expect {
            try ops.run(.registerAll([input("城区停车场建设", "县住建局"), input("课后服务", "县体育局"), input("食堂", "县教育局")]))
        } throws: { error in
            let m = (error as? StoreError)?.message ?? ""
            return m.contains("第2件（课后服务）") && m.contains("县体育局") && m.contains("3件事项均未立项")
        }
        #expect(repo.ledger.items.count == before)
        let done = try ops.run(.registerAll([input("城区停车场建设", "县住建局"), input("课后服务", "县教育局")]))
        #expect(done.entries.count == 2 && done.summary.hasPrefix("已立项交办 2 件事项："))
        #expect(repo.ledger.items.count == before + 2)
        #expect(repo.ledger.items.suffix(2).allSatisfy { $0.basisInfo?.label == "县政府第13次常务会议（〔2026〕13号）" })
        #expect(repo.ledger.seq == repo.ledger.items.suffix(2).last!.history.last!.seq, "同一次写入")
    }
}
