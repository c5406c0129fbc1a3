import DuchaCore
import DuchaTestSupport
import Testing

@Suite struct LightTests {
    func status(
        deadline: String, today: String, assigned: String = "2026-09-01",
        prepare: (inout LedgerBuilder, ItemNumber) throws -> Void = { _, _ in }
    ) throws
        -> ItemStatus
    {
        var b = LedgerBuilder(today: assigned)
        try b.units("县财政局")
        let n = try b.register("测试事项", lead: "县财政局", deadline: deadline)
        try prepare(&b, n)
        let e = StatusEvaluator(today: Fixtures.day(today), calendar: Fixtures.calendar, settings: b.ledger.settings)
        return e.status(of: b.item(n))
    }

    @Test func dueSoonAcrossTheNationalHoliday() throws {
        // From 2026-09-30, a deadline of 2026-10-09 is 2 working days away: 黄.
        let s = try status(deadline: "2026-10-09", today: "2026-09-30")
        #expect(s.light == .yellow)
        #expect(s.workdaysLeft == 2)
        #expect(s.remainingText == "剩2个工作日")
        // 2026-10-12 is 4 working days away (10/10 is a working Saturday): 绿.
        let later = try status(deadline: "2026-10-12", today: "2026-09-30")
        #expect(later.light == .green)
        #expect(later.workdaysLeft == 4)
    }

    @Test func dueTodayIsYellowAndTheDayAfterIsRed() throws {
        let today = try status(deadline: "2026-09-30", today: "2026-09-30")
        #expect(today.light == .yellow)
        #expect(today.remainingText == "今天到期")
        // Overdue days are calendar days: 2026-10-08 is 9 days after 2026-09-29.
        let red = try status(deadline: "2026-09-29", today: "2026-10-08")
        #expect(red.light == .red)
        #expect(red.overdueDays == 9)
        #expect(red.remainingText == "逾期9天")
    }

    @Test func closedOnTimeOrLateIsJudgedByTheApprovedCompletionRequest() throws {
        let onTime = try status(deadline: "2026-09-10", today: "2026-09-20") { b, n in
            try b.act(n, .sign)
            b.today = Fixtures.day("2026-09-10")
            try b.act(n, .requestCompletion(report: "已完成"))
            b.today = Fixtures.day("2026-09-14")  // the office reviews after the deadline
            try b.act(n, .approveCompletion(grade: .good, note: ""))
        }
        #expect(onTime.light == .closedOnTime)
        let late = try status(deadline: "2026-09-10", today: "2026-09-20") { b, n in
            try b.act(n, .sign)
            b.today = Fixtures.day("2026-09-11")
            try b.act(n, .requestCompletion(report: "已完成"))
            try b.act(n, .approveCompletion(grade: nil, note: ""))
        }
        #expect(late.light == .closedLate)
        #expect(late.overdueDays == 1)
    }

    @Test func aCompletionReportedInTimeIsNotOverdueWhileAwaitingReview() throws {
        let waiting = try status(deadline: "2026-09-10", today: "2026-09-20") { b, n in
            try b.act(n, .sign)
            b.today = Fixtures.day("2026-09-09")
            try b.act(n, .requestCompletion(report: "已完成"))
        }
        #expect(waiting.light == .green)
        let lateReport = try status(deadline: "2026-09-10", today: "2026-09-20") { b, n in
            try b.act(n, .sign)
            b.today = Fixtures.day("2026-09-15")
            try b.act(n, .requestCompletion(report: "已完成"))
        }
        #expect(lateReport.light == .red)
        #expect(lateReport.overdueDays == 10)
    }

    @Test func suspendedAndWithdrawnItemsHaveNoLight() throws {
        let s = try status(deadline: "2026-09-10", today: "2026-09-20") { b, n in try b.act(n, .suspend(reason: "政策调整")) }
        #expect(s.light == .none)
        let w = try status(deadline: "2026-09-10", today: "2026-09-20") { b, n in try b.act(n, .withdraw(reason: "不再实施")) }
        #expect(w.light == .none)
    }

    @Test func notSignedWithinOneWorkingDay() throws {
        // Assigned Monday 2026-09-07: still unsigned on Tuesday is fine, on Wednesday it is late.
        #expect(try !status(deadline: "2026-10-30", today: "2026-09-08", assigned: "2026-09-07").signOverdue)
        #expect(try status(deadline: "2026-10-30", today: "2026-09-09", assigned: "2026-09-07").signOverdue)
        // Assigned Friday 2026-09-18: Sunday 09-20 is a working day, so Monday 09-21 is late.
        #expect(try status(deadline: "2026-10-30", today: "2026-09-21", assigned: "2026-09-18").signOverdue)
        let signed = try status(deadline: "2026-10-30", today: "2026-09-21", assigned: "2026-09-18") { b, n in try b.act(n, .sign)
        }
        #expect(!signed.signOverdue)
    }

    @Test func theDueSoonThresholdIsARepositorySetting() throws {
        var b = LedgerBuilder(today: "2026-09-01")
        try b.units("县财政局")
        let n = try b.register("测试事项", lead: "县财政局", deadline: "2026-10-09")
        try b.run(.setting(key: "due-soon", value: "1"))
        let e = StatusEvaluator(today: Fixtures.day("2026-09-30"), calendar: Fixtures.calendar, settings: b.ledger.settings)
        #expect(e.status(of: b.item(n)).light == .green)
    }
}

/// The clock stops while 暂缓 and starts afresh for a unit that receives a reassigned item.
extension LightTests {
    @Test func elevenWorkingDaysSuspendedAreNotElevenDaysLate() throws {
        // Suspended on 2026-11-13, its deadline; resumed 11 working days later.
        let resumed = try status(deadline: "2026-11-13", today: "2026-11-30", assigned: "2026-11-02") { b, n in
            try b.act(n, .sign)
            b.today = Fixtures.day("2026-11-13")
            try b.act(n, .suspend(reason: "等待省里政策"))
            #expect(
                StatusEvaluator(today: Fixtures.day("2026-11-27"), calendar: Fixtures.calendar, settings: b.ledger.settings)
                    .status(of: b.item(n)).light == .none)
            b.today = Fixtures.day("2026-11-28")
            try b.act(n, .resume(reason: "", calendar: Fixtures.calendar))
        }
        // 11-13 + 10 working days (11-16…11-27) = 11-27; today 11-30 is 3 days later.
        #expect(resumed.light == .red && resumed.overdueDays == 3)
        let sameDay = try status(deadline: "2026-11-13", today: "2026-11-30", assigned: "2026-11-02") { b, n in
            try b.act(n, .sign)
            b.today = Fixtures.day("2026-11-13")
            try b.act(n, .suspend(reason: "等待省里政策"))
            b.today = Fixtures.day("2026-11-30")
            try b.act(n, .resume(reason: "", calendar: Fixtures.calendar))
        }
        // Resumed today after 11 working days: due today, not 逾期17天.
        #expect(sameDay.light == .yellow && sameDay.remainingText == "今天到期")
    }

    @Test func aReassignedItemIsNeitherLateNorUnsignedForItsNewUnit() throws {
        let s = try status(deadline: "2026-10-20", today: "2026-11-30", assigned: "2026-10-09") { b, n in
            try b.units("县教育局")
            b.today = Fixtures.day("2026-11-30")
            try b.act(n, .reassign(lead: "县教育局", coUnits: nil, reason: "职责调整", deadline: nil, calendar: Fixtures.calendar))
        }
        #expect(s.light == .green && !s.signOverdue && s.workdaysLeft == 15)
    }
}
