import DuchaCore
import DuchaTestSupport
import Testing

@Suite struct CalendarTests {
    let cal = Fixtures.calendar

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
