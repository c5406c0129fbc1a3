import DuchaCore
import DuchaTestSupport
import Testing

/// Scoring as county rules write it: a base score, bonuses and deductions configured in the
/// settings (`ScoreRules`), each counted for the unit under which it happened; the defaults
/// score lateness only, as the statistics always did.
@Suite struct ScoringTests {
    static let rules: [(String, String)] = [
        ("score.base", "100"), ("score.按时办结", "2"), ("score.early", "0.5"), ("score.early-cap", "3"), ("score.commend", "3"),
        ("score.return", "1"), ("score.退办", "4"), ("score.remind", "0.5"), ("score.remind-free", "2"),
        ("score.feedback-late", "1"),
    ]

    /// 城关镇 closes 10 days early and is commended; 县财政局 is overdue after four reminders;
    /// 县发改局 has a report returned; 青石镇 declined one item (handed to 县发改局) and misses
    /// the weekly feedback of another.
    static func ledger(rules: Bool) throws -> LedgerBuilder {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇", "县财政局", "县发改局", "青石镇")
        if rules { for (k, v) in ScoringTests.rules { try b.run(.setting(key: k, value: v)) } }
        let one = try b.register("背街小巷路灯整改", lead: "城关镇", co: ["县发改局"], deadline: "2026-11-20")
        let two = try b.register("农贸市场改造", lead: "县财政局", deadline: "2026-11-10")
        let three = try b.register("项目申报", lead: "县发改局", deadline: "2026-11-30")
        let four = try b.register("集镇饮水", lead: "青石镇", deadline: "2026-11-30")
        let weekly = Registration(
            title: "河道保洁", source: "领导批示", leader: "李明远", leadUnit: "青石镇", assignedOn: b.today,
            deadline: Fixtures.day("2026-12-31"), feedbackCycle: try FeedbackCycle.parse("每周五"))
        let five = try b.run(.register(weekly)).last!.item!
        b.today = Fixtures.day("2026-11-03")
        for n in [one, two, three, five] { try b.act(n, .sign) }
        try b.act(four, .decline(reason: "不属本镇职责"))
        b.today = Fixtures.day("2026-11-04")
        try b.act(
            four,
            .reassign(
                lead: "县发改局", coUnits: [], reason: "职责调整", deadline: Fixtures.day("2026-12-20"), calendar: Fixtures.calendar))
        for d in ["2026-11-04", "2026-11-05", "2026-11-06", "2026-11-09"] {
            b.today = Fixtures.day(d)
            try b.act(two, .remind(method: .phone, note: ""))
        }
        b.today = Fixtures.day("2026-11-10")
        try b.act(one, .requestCompletion(report: "已全部修复"))
        try b.act(three, .requestCompletion(report: "已申报"))
        b.today = Fixtures.day("2026-11-11")
        try b.act(one, .approveCompletion(grade: nil, note: ""))
        try b.act(three, .returnCompletion(reason: "未附材料"))
        b.today = Fixtures.day("2026-11-12")
        try b.act(one, .commend(note: "县长批示：城关镇工作扎实，予以肯定。"))
        return b
    }

    static func stats(_ b: LedgerBuilder, on day: String = "2026-11-25") -> Statistics {
        let e = StatusEvaluator(today: Fixtures.day(day), calendar: Fixtures.calendar, settings: b.ledger.settings)
        return Statistics(items: b.ledger.items, evaluator: e, by: .unit, names: b.ledger.units.map(\.name))
    }

    static func row(_ s: Statistics, _ name: String) throws -> Statistics.Row {
        try #require(s.rows.first { $0.name == name })
    }

    static func points(_ s: Statistics, _ name: String) throws -> [Statistics.ScoreKind: Int] {
        Dictionary(uniqueKeysWithValues: try row(s, name).points(s.rules).map { ($0.kind, $0.tenths) })
    }

    @Test func eachBonusAndDeductionCountsForItsUnit() throws {
        let s = ScoringTests.stats(try ScoringTests.ledger(rules: true))
        let cg = try ScoringTests.points(s, "城关镇")
        // 按时办结 +2, ten days early at 0.5 a day capped at 3, one 肯定性批示 +3.
        #expect(cg[.base] == 1000 && cg[.onTime] == 20 && cg[.early] == 30 && cg[.commend] == 30 && cg[.late] == 0)
        #expect(try ScoringTests.row(s, "城关镇").scoreTenths(s.rules) == 1080)
        // Overdue (牵头 -5) after four reminders, two of them free: -0.5 × 2.
        let cz = try ScoringTests.points(s, "县财政局")
        #expect(cz[.late] == -50 && cz[.remind] == -10 && cz[.onTime] == 0)
        #expect(try ScoringTests.row(s, "县财政局").scoreTenths(s.rules) == 940)
        // One report returned: -1; the item it was handed after 青石镇 declined costs it nothing.
        let fg = try ScoringTests.points(s, "县发改局")
        #expect(fg[.returned] == -10 && fg[.declined] == 0)
        #expect(try ScoringTests.row(s, "县发改局").scoreTenths(s.rules) == 990)
        // The decline stays 青石镇's (-4), and its weekly feedback is overdue (-1).
        let qs = try ScoringTests.points(s, "青石镇")
        #expect(qs[.declined] == -40 && qs[.feedbackLate] == -10)
        #expect(try ScoringTests.row(s, "青石镇").scoreTenths(s.rules) == 950)
        #expect(s.rows.map(\.name) == ["城关镇", "县发改局", "青石镇", "县财政局"])
        #expect(s.rows.map(\.rank) == [1, 2, 3, 4])
        // 合计 adds the units' points up.
        #expect(s.total.scoreTenths(s.rules) == 1080 + 940 + 990 + 950)
    }

    @Test func theBreakdownIsShownInEveryFormat() throws {
        let s = ScoringTests.stats(try ScoringTests.ledger(rules: true))
        #expect(
            s.headers.suffix(10) == [
                "基础分", "按时办结加分", "提前办结加分", "肯定性批示加分", "逾期扣分", "退回扣分", "退办扣分", "催办扣分", "反馈逾期扣分", "得分",
            ])
        #expect(s.cells(try ScoringTests.row(s, "县财政局")).suffix(10) == ["100", "0", "0", "0", "-5", "0", "0", "-1", "0", "94"])
        #expect(s.csv().contains("1,城关镇,1,1,1,0,0,0,100.0%,8.0,0,100,2,3,3,0,0,0,0,0,108"))
        let json = s.json()
        #expect(json.contains(#""score":{"base":"100","onTime":"2","early":"3","commend":"3","late":"0","returned":"0","#))
        #expect(json.contains(#""ranking":"名次按得分由高到低排列"#))
        let text = s.text(width: 100).replacingAll("\n", with: "")
        #expect(text.contains("得分＝基础分＋加分－扣分") && text.contains("基础分100分") && text.contains("每件最多加3分"))
        #expect(text.replacingAll("\n", with: "").contains("得分相同的，依次按按时办结率（高者在前）、承办总数（多者在前）、单位登记顺序排列"))
        #expect(!text.contains("名次按扣分由少到多排列"))
    }

    @Test func theDefaultsScoreLatenessOnlyAsBefore() throws {
        let b = try ScoringTests.ledger(rules: false)
        let s = ScoringTests.stats(b)
        #expect(!b.ledger.settings.score.isConfigured && s.scoredKinds.isEmpty)
        #expect(s.headers.last == "扣分" && !s.headers.contains("得分"))
        #expect(!s.json().contains("score") && !s.json().contains("ranking"))
        let text = s.text(width: 100)
        #expect(text.contains("名次按扣分由少到多排列") && !text.contains("得分"))
        // The ranking is the points off alone: 县财政局 (late) last, the rest by on-time rate and order.
        #expect(s.rows.last?.name == "县财政局" && s.rows.last?.penalty == "-5")
        #expect(try ScoringTests.row(s, "城关镇").scoreTenths(s.rules) == 0)
        // The lateness rates are the settings penalty-lead and penalty-co under another name.
        var settings = b.ledger.settings
        try settings.set("score.逾期", to: "4")
        try settings.set("score.late-co", to: "1.5")
        #expect(
            settings.leadPenaltyTenths == 40 && settings.coPenaltyTenths == 15 && settings.value(forKey: "penalty-lead") == "4")
        #expect(!settings.score.isConfigured)
    }

    @Test func tiesAreBrokenByOnTimeRateThenItemsThenOrder() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("甲局", "乙局", "丙局", "丁局")
        try b.run(.setting(key: "score.base", value: "100"))
        try b.register("甲一", lead: "甲局", deadline: "2026-12-30")
        try b.register("乙一", lead: "乙局", deadline: "2026-12-30")
        try b.register("丙一", lead: "丙局", deadline: "2026-12-30")
        try b.register("丙二", lead: "丙局", deadline: "2026-12-30")
        let d = try b.register("丁一", lead: "丁局", deadline: "2026-12-30")
        try b.act(d, .sign)
        try b.act(d, .requestCompletion(report: "完成"))
        try b.act(d, .approveCompletion(grade: nil, note: ""))
        let s = ScoringTests.stats(b, on: "2026-11-10")
        #expect(Set(s.rows.map { $0.scoreTenths(s.rules) }) == [1000])
        // Same score: 丁局 closed on time; 丙局 has more items; 甲局 is registered before 乙局.
        #expect(s.rows.map(\.name) == ["丁局", "丙局", "甲局", "乙局"])
    }

    @Test func whatHappenedUnderTheOldUnitStaysItsOwn() throws {
        var (b, n) = try PapersTests.reassigned()
        try b.run(.setting(key: "score.remind", value: "1"))
        try b.run(.setting(key: "score.remind-free", value: "0"))
        try b.run(.setting(key: "score.return", value: "2"))
        b.today = Fixtures.day("2026-12-01")
        try b.act(n, .remind(method: .phone, note: ""))
        let s = ScoringTests.stats(b, on: "2026-12-01")
        let qs = try ScoringTests.points(s, "青石镇")
        let cz = try ScoringTests.points(s, "县财政局")
        // 青石镇 keeps its two returns and its reminder; 县财政局 has only its own reminder.
        #expect(qs[.returned] == -40 && qs[.remind] == -10 && qs[.late] == -50)
        #expect(cz[.returned] == 0 && cz[.remind] == -10 && cz[.late] == 0)
    }

    @Test func aUnitsOwnViewSplitsItsPointsButKeepsItsScore() throws {
        var b = try ScoringTests.ledger(rules: true)
        try b.run(.addUser(User(login: "fg", role: .unit, unit: "县发改局", name: "罗丹")))
        let e = StatusEvaluator(today: Fixtures.day("2026-11-25"), calendar: Fixtures.calendar, settings: b.ledger.settings)
        let actor = try b.ledger.actor(login: "fg")
        let s = Statistics.seen(
            by: actor, items: b.ledger.visibleItems(to: actor), ledger: b.ledger, evaluator: e, by: .unit)
        #expect(s.rows.map(\.name) == ["县发改局（牵头）", "县发改局（配合）"])
        #expect(s.total.scoreTenths(s.rules) == 990)
        #expect(s.rows[1].scoreTenths(s.rules) == 0)
    }

    @Test func commendingIsTheOfficesAndRecorded() throws {
        var b = try ScoringTests.ledger(rules: true)
        try b.run(.addUser(User(login: "cg", role: .unit, unit: "城关镇", name: "张")))
        try b.run(.addUser(User(login: "ld", role: .leader, name: "李明远")))
        let n = b.ledger.items.first { $0.leadUnit == "城关镇" }!.number
        #expect(throws: CoreError.self) { try b.act(n, .commend(note: "自己表扬自己"), as: "cg") }
        #expect(throws: CoreError.self) { try b.act(n, .commend(note: "领导本人"), as: "ld") }
        #expect(throws: CoreError.self) { try b.act(n, .commend(note: "  ")) }
        let e = try b.act(n, .commend(note: "市委督查室通报表扬"))
        #expect(HistoryText.what(e.last!) == "记录肯定性批示：市委督查室通报表扬")
        #expect(b.item(n).commendations == 2)
        // Folding the history gives the same count; a withdrawn item cannot be commended.
        #expect(try Item.folding(b.item(n).history).commendations == 2)
        let w = try b.register("撤销的事项", lead: "县财政局", deadline: "2026-12-30")
        try b.act(w, .withdraw(reason: "重复立项"))
        #expect(throws: CoreError.self) { try b.act(w, .commend(note: "不应记录")) }
    }

    @Test func scoringSettingsAreValidatedInChinese() throws {
        var s = Settings()
        for (key, value, message) in [
            ("score.base", "abc", "应为 0 到 1000 之间、最多一位小数的分数"), ("score.base", "1000.5", "应为 0 到 1000"),
            ("score.early", "0.55", "最多一位小数"), ("score.early", "-1", "应为 0 到 1000"),
            ("score.remind-free", "1.5", "应为 0 到 99 之间的整数"), ("score.nosuch", "1", "没有“score.nosuch”这一计分项"),
            ("score.late", "101", "应为 0 到 100"),
        ] {
            do {
                try s.set(key, to: value)
                Issue.record("\(key) \(value) 应被拒绝")
            } catch { #expect(error.message.contains(message), "\(error.message)") }
        }
        #expect(s == Settings())
        try s.set("score.基础分", to: "100")
        try s.set("score.提前办结上限", to: "2.5")
        #expect(s.score.base == 1000 && s.score.earlyCap == 25 && s.value(forKey: "score.base") == "100")
        #expect(Settings.canonicalKey("score.肯定性批示") == "score.commend" && Settings.canonicalKey("due-soon") == "due-soon")
        // Recorded under its own key; written into the snapshot's settings only when set, and read back.
        var b = LedgerBuilder()
        let e = try b.run(.setting(key: "score.退回", value: " 1.5 "))
        #expect(e.last?.change == .setting(key: "score.return", value: "1.5"))
        var w = JSONWriter(capacity: 512)
        EntryCodec.encode(b.ledger.settings, into: &w)
        #expect(w.string.contains(#""score":{"return":"1.5"}"#))
        let back = try JSONReader.read(w.bytes) { (r: inout JSONReader) throws(JSONError) -> Settings in
            try EntryCodec.decodeSettings(&r)
        }
        #expect(back == b.ledger.settings)
        var plain = JSONWriter(capacity: 512)
        EntryCodec.encode(Settings(), into: &plain)
        #expect(!plain.string.contains("score"))
    }
}
