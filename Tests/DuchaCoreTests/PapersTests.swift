import DuchaCore
import DuchaTestSupport
import Testing

/// 催办通知 and statistics on a small fixed ledger.
@Suite struct PapersTests {
    static let today = Fixtures.day("2026-11-21")

    static func ledger() throws -> Ledger {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局", "城关镇", "县发改局")
        let a = try b.register(
            "政府债务风险化解方案", lead: "县财政局", co: ["县发改局"], deadline: "2026-11-10", source: "政府常务会决定事项", leader: "陈志刚")
        let c = try b.register("财政资金直达机制落实", lead: "县财政局", deadline: "2026-11-24", source: "重点工作任务")
        let d = try b.register("城区背街小巷路灯整改", lead: "城关镇", co: ["县财政局"], deadline: "2026-11-18")
        let e = try b.register("工业园区用电报装提速", lead: "县发改局", deadline: "2026-11-13")
        _ = try b.register("县城停车难治理", lead: "县财政局", deadline: "2026-12-31")
        for n in [a, c, d, e] { try b.act(n, .sign) }
        b.today = Fixtures.day("2026-11-05")
        try b.act(a, .feedback(text: "已完成方案初稿，正在征求各乡镇意见。"))
        try b.act(a, .requestExtension(to: Fixtures.day("2026-11-17"), reason: "需县委常委会审定"))
        try b.act(a, .approveExtension(to: Fixtures.day("2026-11-17"), note: ""))
        b.today = Fixtures.day("2026-11-12")
        try b.act(e, .requestCompletion(report: "已建立服务专班。"))
        try b.act(e, .returnCompletion(reason: "未附验收材料"))
        try b.act(e, .requestCompletion(report: "已附验收材料。"))
        try b.act(e, .approveCompletion(grade: .good, note: ""))
        b.today = Fixtures.day("2026-11-16")
        try b.act(d, .requestCompletion(report: "已修复。"))
        b.today = Fixtures.day("2026-11-20")
        try b.act(d, .approveCompletion(grade: nil, note: ""))
        return b.ledger
    }

    static var evaluator: StatusEvaluator {
        StatusEvaluator(today: today, calendar: Fixtures.calendar, settings: try! ledger().settings)
    }

    @Test func theReminderNoticeExactlyAsPrinted() throws {
        let ledger = try PapersTests.ledger()
        let notice = try #require(ReminderNotice(unit: "县财政局", items: ledger.items, evaluator: PapersTests.evaluator))
        let expected = """
                                                      督查事项催办通知

            县财政局：

            　　你单位牵头承办的下列3件督查事项中，有1件已超过办理时限，现予催办。请高度重视，逐项抓紧办理，并于
            2026年11月25日前将办理进展和逾期原因书面报送青山县委督查室。

            一、督〔2026〕第0001号　政府债务风险化解方案
            　　交办情况：2026年11月2日交办，来源：政府常务会决定事项，批示领导：陈志刚。
            　　交办要求：请县财政局牵头办理。
            　　办理时限：2026年11月17日（原定2026年11月10日，已延期1次）
            　　目前情况：已逾期4天
            　　最新进展：11月5日：已完成方案初稿，正在征求各乡镇意见。
            　　配合单位：县发改局

            二、督〔2026〕第0002号　财政资金直达机制落实
            　　交办情况：2026年11月2日交办，来源：重点工作任务，批示领导：李明远。
            　　交办要求：请县财政局牵头办理。
            　　办理时限：2026年11月24日
            　　目前情况：剩余2个工作日
            　　最新进展：（未反馈）

            三、督〔2026〕第0005号　县城停车难治理
            　　交办情况：2026年11月2日交办，来源：领导批示，批示领导：李明远。
            　　交办要求：请县财政局牵头办理。
            　　办理时限：2026年12月31日
            　　目前情况：交办后尚未签收
            　　最新进展：（未反馈）

                                                                                              青山县委督查室
                                                                                              2026年11月21日

            """
        Golden.check(notice.text(width: 100), expected, "reminder")
        #expect(notice.fileName == "催办通知-县财政局-2026-11-21.txt")
        // Only that unit's items: 城关镇's closed item and 县发改局's need no reminder.
        #expect(ReminderNotice(unit: "城关镇", items: ledger.items, evaluator: PapersTests.evaluator) == nil)
        #expect(
            ReminderNotice.all(units: ledger.units.map(\.name), items: ledger.items, evaluator: PapersTests.evaluator).map(\.unit)
                == ["县财政局"])
    }

    @Test func statisticsByUnitRankedByPointsOff() throws {
        let ledger = try PapersTests.ledger()
        let stats = Statistics(items: ledger.items, evaluator: PapersTests.evaluator, by: .unit, names: ledger.units.map(\.name))
        let byName = Dictionary(uniqueKeysWithValues: stats.rows.map { ($0.name, $0) })
        let fin = try #require(byName["县财政局"])
        #expect(fin.total == 3 && fin.open == 3 && fin.closed == 0 && fin.overdueOpen == 1)
        #expect(fin.leadLate == 1 && fin.coLate == 0 && fin.penalty == "-5")
        let town = try #require(byName["城关镇"])
        #expect(town.closed == 1 && town.closedOnTime == 1 && town.onTimeRate == "100.0%")
        #expect(town.averageDays == "14.0")  // 11-02 to the completion request on 11-16
        let dev = try #require(byName["县发改局"])
        #expect(dev.closedOnTime == 1 && dev.returns == 1 && dev.coLate == 1 && dev.penalty == "-2.5")
        // Ranking: fewest points off first.
        #expect(stats.rows.map(\.name) == ["城关镇", "县发改局", "县财政局"])
        #expect(stats.rows.map(\.rank) == [1, 2, 3])
        #expect(stats.total.total == 5 && stats.total.closed == 2 && stats.total.onTimeRate == "100.0%")
        let bySource = Statistics(
            items: ledger.items, evaluator: PapersTests.evaluator, by: .source, names: ledger.settings.sources)
        #expect(bySource.rows.first { $0.name == "领导批示" }?.total == 3)
        #expect(bySource.headers.contains("扣分") == false)
        // A period: only items assigned from 11-03 on (none here).
        let later = Statistics(
            items: ledger.items, evaluator: PapersTests.evaluator, by: .unit, from: Fixtures.day("2026-11-03"), names: [])
        #expect(later.total.total == 0)
        #expect(stats.csv().hasPrefix("\u{FEFF}名次,单位,承办总数,已办结,按时办结,逾期办结,在办,逾期未办结,按时办结率,平均办理天数,退回次数,扣分\r\n"))
    }
}

/// Planning an import: every problem of every row, then nothing; or every row, all at once.
@Suite struct LedgerImportTests {
    static let header = ["事项", "来源", "牵头单位", "配合单位", "交办日期", "办理时限", "紧急程度", "编号", "状态", "办结日期", "最新进展日期", "最新进展"]

    func plan(
        _ rows: [[String]], createUnits: Bool = false, header: [String] = header
    ) throws -> Result<LedgerImport.Plan, LedgerImport.Problems> {
        var b = LedgerBuilder(today: "2026-11-21")
        try b.units("县财政局", "城关镇")
        let table = rows.enumerated().map { LedgerImport.Row(line: $0.offset + 2, cells: $0.element) }
        return LedgerImport.plan(
            header: header, rows: table, ledger: b.ledger, actor: .supervisor("clerk"), today: Fixtures.day("2026-11-21"),
            calendar: Fixtures.calendar, createUnits: createUnits)
    }

    func problems(_ rows: [[String]], createUnits: Bool = false) throws -> [String] {
        guard case .failure(let p) = try plan(rows, createUnits: createUnits) else { return [] }
        return p.list.map(\.description)
    }

    @Test func everyProblemWithItsRow() throws {
        let p = try problems([
            ["路灯整改", "领导批示", "县财政局", "", "2026-02-30", "2026-03-10", "急", "", "", "", "", ""],
            ["", "领导批示", "县财政局", "", "2026-03-01", "2026-03-10", "", "", "", "", "", ""],
            ["停车治理", "领导批示", "县水利局", "县财政局;城关镇", "2026-03-01", "2026-03-10", "特别急", "", "", "", "", ""],
            ["供热改造", "小道消息", "县财政局", "", "2026-03-01", "2026-02-01", "", "督〔2026〕第0003号", "", "", "", ""],
            ["管网改造", "领导批示", "县财政局", "", "2026-03-01", "2026-03-20", "", "督〔2026〕第0003号", "已办结", "", "", ""],
        ])
        #expect(
            p == [
                "第2行：交办日期 2026-02-30 无效：2026年2月只有28天",
                "第3行：缺少事项名称",
                "第4行：没有名为“县水利局”的单位（可加 --create-units 自动登记）",
                "第4行：紧急程度“特别急”无效，应为 特急、急、一般 之一",
                "第5行：来源“小道消息”不在来源列表中（领导批示、常委会决定事项、政府常务会决定事项、专题会议纪要、上级交办、人大代表建议、政协委员提案、群众反映、重点工作任务）",
                "第5行：办理时限 2026-02-01 早于交办日期 2026-03-01",
                "第6行：编号 督〔2026〕第0003号 与第5行重复",
            ])
    }

    @Test func aMissingColumnIsReportedOnTheHeaderRow() throws {
        guard case .failure(let p) = try plan([["路灯整改"]], header: ["事项"]) else {
            Issue.record("应拒绝")
            return
        }
        #expect(p.list.map(\.line) == [1, 1, 1, 1])
        #expect(p.list[0].message.hasPrefix("缺少“来源”列"))
    }

    @Test func statesNumbersAndNewUnits() throws {
        let result = try plan(
            [
                [
                    "路灯整改", "领导批示", "县财政局", "城关镇", "2026-10-08", "2026-10-20", "急", "督〔2026〕第0010号", "已办结", "2026-10-19",
                    "2026-10-19", "已修复",
                ],
                ["停车治理", "人大代表建议", "县交通运输局", "", "2026-11-02", "", "", "", "办理中", "", "2026-11-10", "正在测算车位"],
            ], createUnits: true)
        guard case .success(let plan) = result else {
            Issue.record("应通过：\(result)")
            return
        }
        #expect(plan.items == 2)
        #expect(plan.newUnits == ["县交通运输局"])
        #expect(plan.commands.count == 3)
        guard case .importItem(let n, let r, let s) = plan.commands[1] else {
            Issue.record("应为导入")
            return
        }
        #expect(n?.description == "督〔2026〕第0010号")
        #expect(r.urgency == .urgent && r.coUnits == ["城关镇"])
        #expect(s?.state == .closed && s?.closedOn == Fixtures.day("2026-10-19"))
        // No deadline given: the source's default, three months after assignment.
        guard case .importItem(nil, let r2, _) = plan.commands[2] else {
            Issue.record("应为导入")
            return
        }
        #expect(r2.deadline == Fixtures.day("2027-02-02"))
        // A closed row without its closing date is refused.
        #expect(
            try problems([["路灯整改", "领导批示", "县财政局", "", "2026-10-08", "2026-10-20", "", "", "已办结", "", "", ""]]) == [
                "第2行：办结日期有误：状态为已办结的事项须写明办结日期"
            ])
    }
}

/// What happened under a unit stays its own in statistics and notices: reassignment,
/// suspension, reopening.
extension PapersTests {
    /// 青石镇 is 20 days late and has had two returns and a reminder when the office hands the
    /// item to 县财政局 on 2026-11-30.
    static func reassigned() throws -> (LedgerBuilder, ItemNumber) {
        var b = LedgerBuilder(today: "2026-10-20")
        try b.units("青石镇", "县财政局", "县发改局")
        let n = try b.register("集镇饮水安全提升", lead: "青石镇", co: ["县发改局"], deadline: "2026-11-10")
        try b.act(n, .sign)
        for reason in ["未附验收材料", "问题未实际解决"] {
            try b.act(n, .requestCompletion(report: "已完成"))
            try b.act(n, .returnCompletion(reason: reason))
        }
        b.today = Fixtures.day("2026-11-20")
        try b.act(n, .remind(method: .phone, note: "说明逾期原因"))
        b.today = Fixtures.day("2026-11-30")
        try b.act(n, .reassign(lead: "县财政局", coUnits: nil, reason: "职责调整", deadline: nil, calendar: Fixtures.calendar))
        return (b, n)
    }

    @Test func aReassignedItemsDelayStaysTheOldUnitsInStatistics() throws {
        let (b, n) = try PapersTests.reassigned()
        let e = StatusEvaluator(today: Fixtures.day("2026-11-30"), calendar: Fixtures.calendar, settings: b.ledger.settings)
        let stats = Statistics(items: b.ledger.items, evaluator: e, by: .unit, names: b.ledger.units.map(\.name))
        let qs = try #require(stats.rows.first { $0.name == "青石镇" })
        let cz = try #require(stats.rows.first { $0.name == "县财政局" })
        let fg = try #require(stats.rows.first { $0.name == "县发改局" })
        #expect(b.item(n).earlierAssignments.last?.daysLate == 20)
        // 青石镇 keeps the late item's points and its returns; 县财政局 is judged on its own assignment.
        #expect(qs.leadLate == 1 && qs.penaltyTenths == 50 && qs.returns == 2 && qs.total == 0)
        #expect(cz.total == 1 && cz.open == 1 && cz.overdueOpen == 0 && cz.penaltyTenths == 0 && cz.returns == 0)
        #expect(fg.coLate == 1 && fg.penaltyTenths == 25)
        #expect(stats.total.returns == 2)
        #expect(stats.rows.firstIndex { $0.name == "县财政局" }! < stats.rows.firstIndex { $0.name == "青石镇" }!)
        // Neither the 通报 nor the 催办通知 blames 县财政局.
        let notice = OverdueNotice(items: b.ledger.items, evaluator: e, serial: 1, preview: true)
        #expect(notice.groups.isEmpty)
        #expect(!notice.summary.contains("逾期未办结1件"))
        #expect(ReminderNotice(unit: "县财政局", items: b.ledger.items, evaluator: e) == nil)
        #expect(ReminderNotice(unit: "青石镇", items: b.ledger.items, evaluator: e) == nil)
        // Near its own deadline, 县财政局's reminder counts from its own assignment and says where the item came from.
        let later = StatusEvaluator(today: Fixtures.day("2026-12-18"), calendar: Fixtures.calendar, settings: b.ledger.settings)
        let reminder = try #require(ReminderNotice(unit: "县财政局", items: b.ledger.items, evaluator: later))
        let text = reminder.text(width: 100)
        #expect(!text.contains("已逾期") && text.contains("剩余1个工作日"))
        #expect(text.contains("2026年11月30日交办，来源：领导批示（原由青石镇承办，2026年11月30日重新交办你单位）"))
    }

    @Test func aReopenedItemsClosureStaysCountedInItsPeriod() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇")
        let n = try b.register("背街小巷路灯整改", lead: "城关镇", deadline: "2026-11-18")
        try b.act(n, .sign)
        b.today = Fixtures.day("2026-11-16")
        try b.act(n, .requestCompletion(report: "已修复"))
        try b.act(n, .approveCompletion(grade: .good, note: ""))
        b.today = Fixtures.day("2026-12-07")
        try b.act(n, .reopen(reason: "回头看：部分路灯再次损坏", deadline: nil, calendar: Fixtures.calendar))
        let e = StatusEvaluator(today: Fixtures.day("2026-12-31"), calendar: Fixtures.calendar, settings: b.ledger.settings)
        func stats(_ from: String, _ to: String) -> Statistics.Row {
            Statistics(
                items: b.ledger.items, evaluator: e, by: .unit, from: Fixtures.day(from), to: Fixtures.day(to), names: ["城关镇"]
            ).rows[0]
        }
        let november = stats("2026-11-01", "2026-11-30")
        #expect(november.total == 1 && november.closed == 1 && november.closedOnTime == 1 && november.open == 0)
        #expect(november.handlingDays == 14)
        let december = stats("2026-12-01", "2026-12-31")
        #expect(december.total == 1 && december.open == 1 && december.overdueOpen == 1 && december.closed == 0)
        // Both the same by source.
        let bySource = Statistics(
            items: b.ledger.items, evaluator: e, by: .source, from: Fixtures.day("2026-11-01"), to: Fixtures.day("2026-11-30"),
            names: b.ledger.settings.sources)
        #expect(bySource.total.closed == 1 && bySource.total.open == 0)
    }

    @Test func aSuspensionEarnsNoPenaltyBeforeOrAfterResuming() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局")
        let n = try b.register("专项资金清理", lead: "县财政局", deadline: "2026-11-13")
        try b.act(n, .sign)
        b.today = Fixtures.day("2026-11-06")
        try b.act(n, .suspend(reason: "等待上级政策"))
        b.today = Fixtures.day("2026-11-23")
        try b.act(n, .resume(reason: "", calendar: Fixtures.calendar))
        let e = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
        let stats = Statistics(items: b.ledger.items, evaluator: e, by: .unit, names: ["县财政局"])
        #expect(stats.rows[0].overdueOpen == 0 && stats.rows[0].penaltyTenths == 0)
        #expect(OverdueNotice(items: b.ledger.items, evaluator: e, serial: 1, preview: true).overdueCount == 0)
        // 11 working days suspended (11-09 … 11-23): the deadline 11-13 moves to 11-30.
        #expect(b.item(n).deadline == Fixtures.day("2026-11-30"))
    }
}
