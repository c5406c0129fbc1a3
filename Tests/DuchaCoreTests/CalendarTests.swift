import DuchaCore
import DuchaTestSupport
import Testing

@Suite struct CalendarTests {
    let cal = Fixtures.calendar

    /// The rule stated plainly: an adjusted working day works, a holiday does not, otherwise
    /// Monday to Friday.
    func works(_ d: Day) -> Bool {
        if cal.tables.values.contains(where: { $0.workdays.contains(d) }) { return true }
        return cal.holiday(on: d) == nil && !d.isWeekend
    }

    @Test func countsInsideAndOutsideTheTablesYearsFollowTheRule() {
        // Days from 1960 to 2100: before, across and after the years the tables cover.
        var rng = SystemRandomNumberGenerator()
        let first = Fixtures.day("1960-01-01").serial
        let last = Fixtures.day("2100-12-31").serial
        for d in stride(from: first, through: last, by: 1)
        where d % 97 == 0 || (d >= Fixtures.day("2024-12-01").serial && d <= Fixtures.day("2027-02-01").serial) {
            #expect(cal.isWorkday(Day(serial: d)) == works(Day(serial: d)), "\(Day(serial: d))")
        }
        for _ in 0..<3_000 {
            // Mostly near the tables' years, some far away; short and long spans.
            let near = Int.random(in: 0..<4, using: &rng) > 0
            let a =
                near
                ? Int.random(in: Fixtures.day("2024-06-01").serial...Fixtures.day("2027-06-01").serial, using: &rng)
                : Int.random(in: first...last, using: &rng)
            let b = a + Int.random(in: -20...(near ? 800 : 20_000), using: &rng)
            var expected = 0
            if b > a { for s in (a + 1)...b where works(Day(serial: s)) { expected += 1 } }
            #expect(
                cal.workdays(after: Day(serial: a), through: Day(serial: b)) == expected, "\(Day(serial: a))–\(Day(serial: b))")
        }
        let plain = WorkCalendar.weekendsOnly
        #expect(plain.workdays(after: Fixtures.day("2030-01-04"), through: Fixtures.day("2030-01-14")) == 6)
        // From Monday 25 December 1899, before the day weekdays are counted from.
        let monday1899 = Day(serial: Fixtures.day("1900-01-01").serial - 7)
        #expect(plain.workdays(after: monday1899, through: Fixtures.day("1900-01-08")) == 10)
    }

    @Test func holidaysOf2025And2026AreDaysOff() {
        let off = [
            "2025-01-01", "2025-01-28", "2025-02-04", "2025-04-04", "2025-05-05", "2025-06-02", "2025-10-01", "2025-10-08",
            "2026-01-02", "2026-02-16", "2026-02-23", "2026-04-06", "2026-05-04", "2026-06-19", "2026-09-25", "2026-10-07",
        ]
        for d in off { #expect(!cal.isWorkday(Fixtures.day(d)), "\(d) 应放假") }
    }

    @Test func adjustedWeekendsAreWorkingDays() {
        for d in [
            "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11", "2026-01-04", "2026-02-14", "2026-02-28",
            "2026-05-09", "2026-09-20", "2026-10-10",
        ] {
            #expect(Fixtures.day(d).isWeekend)
            #expect(cal.isWorkday(Fixtures.day(d)), "\(d) 调休上班")
        }
        #expect(cal.isWorkday(Fixtures.day("2026-10-08")))
        #expect(!cal.isWorkday(Fixtures.day("2026-10-11")))  // an ordinary Sunday
    }

    @Test func workingDaysLeftAcrossTheNationalHoliday() {
        // From 2026-09-30: 10/1–10/7 off, 10/8 and 10/9 working → 2 working days to 10-09.
        let today = Fixtures.day("2026-09-30")
        #expect(cal.workdays(after: today, through: Fixtures.day("2026-10-09")) == 2)
        // 10/10 is a Saturday declared a working day, 10/11 Sunday off, 10/12 Monday.
        #expect(cal.workdays(after: today, through: Fixtures.day("2026-10-12")) == 4)
        #expect(cal.workdays(after: today, through: today) == 0)
        #expect(cal.adding(workdays: 1, to: today) == Fixtures.day("2026-10-08"))
        #expect(cal.adding(workdays: 3, to: today) == Fixtures.day("2026-10-10"))
    }

    @Test func spring2026() {
        // 2/13 Friday; 2/14 Saturday working; 2/15–2/23 off; 2/24 back.
        #expect(cal.adding(workdays: 1, to: Fixtures.day("2026-02-13")) == Fixtures.day("2026-02-14"))
        #expect(cal.adding(workdays: 2, to: Fixtures.day("2026-02-13")) == Fixtures.day("2026-02-24"))
    }

    @Test func aYearWithoutATableCountsWeekendsOnlyAndSaysSo() {
        #expect(!cal.hasTable(for: 2027))
        #expect(cal.missingYears([2026, 2027]) == [2027])
        // 2027-01-01 is a Friday: without a table it is an ordinary working day.
        #expect(cal.isWorkday(Fixtures.day("2027-01-01")))
        #expect(cal.workdays(after: Fixtures.day("2026-12-31"), through: Fixtures.day("2027-01-04")) == 2)
    }

    @Test func calendarFilesAreCheckedWhenRead() {
        let bad = Array(
            #"{"year":2030,"holidays":[{"name":"元旦","from":"2030-01-01","to":"2030-01-01"}],"workdays":["2030-01-02"]}"#.utf8)
        #expect(throws: CoreError.malformed("x.json", "调休上班日 2030-01-02 不是周末")) { try HolidayTable.decode(bad, file: "x.json") }
        let broken = Array(#"{"year":2030,"holidays":[{"name":"元旦","from":"2030-02-30"}]}"#.utf8)
        #expect(throws: CoreError.self) { try HolidayTable.decode(broken, file: "x.json") }
    }
}

@Suite struct FeedbackCycleTests {
    let cal = Fixtures.calendar

    func next(_ c: FeedbackCycle, _ reports: [String], assigned: String) -> String {
        c.nextDue(feedbackDays: reports.map(Fixtures.day), assignedOn: Fixtures.day(assigned), calendar: cal).description
    }

    @Test func weeklyByFriday() {
        // Assigned Monday 11-16: the first report is due Friday 11-20.
        #expect(next(.weekly(weekday: 5), [], assigned: "2026-11-16") == "2026-11-20")
        // A report on Wednesday or on the Friday itself covers that week; the next is 11-27.
        #expect(next(.weekly(weekday: 5), ["2026-11-18"], assigned: "2026-11-16") == "2026-11-27")
        #expect(next(.weekly(weekday: 5), ["2026-11-20"], assigned: "2026-11-16") == "2026-11-27")
        // Assigned on a Wednesday, the first Friday is too soon: due the Friday after.
        #expect(next(.weekly(weekday: 5), [], assigned: "2026-11-18") == "2026-11-27")
        // Two reports in one week do not pay for the next week.
        #expect(next(.weekly(weekday: 5), ["2026-11-17", "2026-11-19"], assigned: "2026-11-16") == "2026-11-27")
    }

    @Test func aDueDayInTheHolidayMovesToTheNextWorkingDay() {
        // Friday 2026-09-25 is 中秋: the first report is due Monday 09-28; Friday 10-02 is in
        // the National Day holiday, so the second is due Thursday 10-08.
        #expect(next(.weekly(weekday: 5), [], assigned: "2026-09-21") == "2026-09-28")
        #expect(next(.weekly(weekday: 5), ["2026-09-24"], assigned: "2026-09-21") == "2026-10-08")
        // Monthly by the 25th: 2026-09-25 is a day off, 9/26–27 a weekend → Monday 09-28.
        #expect(next(.monthly(day: 25), ["2026-08-20"], assigned: "2026-08-01") == "2026-09-28")
    }

    @Test func monthlyAcrossMonthEnds() {
        #expect(FeedbackCycle.monthly(day: 31).description == "每月末")
        // By the month's end: February 2026 ends on the 28th, an adjusted working Saturday.
        #expect(next(.monthly(day: 31), ["2026-01-30"], assigned: "2026-01-05") == "2026-02-28")
        // April has 30 days.
        #expect(next(.monthly(day: 31), ["2026-03-31"], assigned: "2026-03-02") == "2026-04-30")
        // A report on the 26th is November's, late; December's is still due on 12-25.
        #expect(next(.monthly(day: 25), ["2026-11-26"], assigned: "2026-10-27") == "2026-12-25")
        #expect(next(.monthly(day: 25), ["2026-11-20"], assigned: "2026-10-27") == "2026-12-25")
        // No report since October: October's period is the first unsatisfied one.
        #expect(next(.monthly(day: 25), [], assigned: "2026-10-01") == "2026-10-26")
    }

    @Test func quarterlyByTheQuartersEnd() {
        #expect(next(.quarterly(day: 31), [], assigned: "2026-07-01") == "2026-09-30")
        #expect(next(.quarterly(day: 31), ["2026-08-10"], assigned: "2026-07-01") == "2026-12-31")
        // 2027 has no holiday table yet: weekends only.
        #expect(next(.quarterly(day: 31), ["2026-12-01"], assigned: "2026-10-08") == "2027-03-31")
    }

    @Test func parsesWhatClerksWrite() throws {
        #expect(try FeedbackCycle.parse("每周五") == .weekly(weekday: 5))
        #expect(try FeedbackCycle.parse("每周日") == .weekly(weekday: 7))
        #expect(try FeedbackCycle.parse("每月25日") == .monthly(day: 25))
        #expect(try FeedbackCycle.parse("每月25号") == .monthly(day: 25))
        #expect(try FeedbackCycle.parse("每月末") == .monthly(day: 31))
        #expect(try FeedbackCycle.parse("每季度") == .quarterly(day: 31))
        #expect(try FeedbackCycle.parse("每季度末月20日") == .quarterly(day: 20))
        #expect(try FeedbackCycle.parse("weekly:3") == .weekly(weekday: 3))
        #expect(throws: CoreError.self) { try FeedbackCycle.parse("每天") }
        #expect(throws: CoreError.self) { try FeedbackCycle.parse("每月32日") }
    }

    @Test func aMissedCycleMarksTheItem() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局")
        let r = Registration(
            title: "周报事项", source: "领导批示", leadUnit: "县财政局", assignedOn: Fixtures.day("2026-11-02"),
            deadline: Fixtures.day("2026-12-31"), feedbackCycle: .weekly(weekday: 5))
        let n = try b.run(.register(r)).last!.item!
        try b.act(n, .sign)
        func status(_ day: String) -> ItemStatus {
            StatusEvaluator(today: Fixtures.day(day), calendar: cal, settings: b.ledger.settings).status(of: b.item(n))
        }
        #expect(status("2026-11-06").nextFeedback == Fixtures.day("2026-11-06"))
        #expect(!status("2026-11-06").feedbackOverdue)
        #expect(status("2026-11-09").feedbackOverdue)
        #expect(status("2026-11-09").marks.contains("反馈逾期"))
        b.today = Fixtures.day("2026-11-09")
        try b.act(n, .feedback(text: "本周进展"))
        #expect(!status("2026-11-09").feedbackOverdue)
        #expect(status("2026-11-09").nextFeedback == Fixtures.day("2026-11-13"))
    }

    @Test func defaultTimeLimitsFromSettings() throws {
        let s = Settings()
        #expect(
            s.limit(source: "领导批示", urgency: .critical).deadline(from: Fixtures.day("2026-09-30"), calendar: cal)
                == Fixtures.day("2026-10-08"))
        #expect(s.limit(source: "领导批示", urgency: .normal).description == "15个工作日")
        // 人大建议: 3 months, moved off a day off (2026-12-19 is a Saturday → Monday 12-21).
        #expect(
            s.limit(source: "人大代表建议", urgency: .normal).deadline(from: Fixtures.day("2026-09-19"), calendar: cal)
                == Fixtures.day("2026-12-21"))
        var t = s
        try t.set("limit.一般", to: "10个工作日")
        try t.set("limit.人大代表建议", to: "-")
        #expect(t.limit(source: "人大代表建议", urgency: .normal) == TimeLimit(10, .workdays))
        #expect(throws: CoreError.self) { try t.set("limit.紧急", to: "3") }
        #expect(throws: CoreError.self) { try t.set("limit.一般", to: "半个月") }
    }
}
