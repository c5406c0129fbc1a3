import DuchaCore
import Testing

@Suite struct DayTests {
    @Test func parsesTheFormsClerksType() throws {
        for text in ["2026-09-30", "2026-9-30", "2026/9/30", "2026.09.30", "20260930", "2026年9月30日", " 2026-09-30 "] {
            #expect(try Day.parse(text).description == "2026-09-30", "\(text)")
        }
    }

    @Test func refusesImpossibleDatesWithAReason() {
        #expect(throws: CoreError.invalidDate("2026-02-30", "2026年2月只有28天")) { try Day.parse("2026-02-30") }
        #expect(throws: CoreError.invalidDate("2026-13-01", "没有 13 月")) { try Day.parse("2026-13-01") }
        #expect(throws: CoreError.invalidDate("2024-02-30", "2024年2月只有29天")) { try Day.parse("2024-02-30") }
        for bad in ["", "明天", "2026-09", "2026-09-30-01", "2026-09/30", "26-9-30", "2026年9-30"] {
            #expect(throws: CoreError.self, "\(bad)") { try Day.parse(bad) }
        }
    }

    @Test func roundTripsEveryDayOfTwoCenturies() {
        var d = Day(year: 1950, month: 1, day: 1)!
        let end = Day(year: 2150, month: 1, day: 1)!
        while d < end {
            let p = d.parts
            #expect(Day(year: p.year, month: p.month, day: p.day) == d)
            d = d.adding(days: 1)
        }
    }

    @Test func weekdaysAndMonths() {
        #expect(Fixture.d("2026-11-21").weekday == 6)  // Saturday
        #expect(Fixture.d("2026-09-20").weekday == 7)
        #expect(Fixture.d("2026-10-10").chineseWeekday == "星期六")
        #expect(Fixture.d("2026-01-31").adding(months: 1) == Fixture.d("2026-02-28"))
        #expect(Fixture.d("2026-11-21").adding(months: -3) == Fixture.d("2026-08-21"))
        #expect(Fixture.d("2026-10-09").chinese == "2026年10月9日")
    }

    @Test func timestampsInTheOfficesTime() {
        // 2026-11-21 01:30 UTC is 09:30 in Beijing.
        let t = Timestamp(posixSeconds: 1_795_224_600)
        #expect(t.description == "2026-11-21T09:30:00+08:00")
        #expect(Timestamp.parse(t.description) == t)
        #expect(Timestamp.parse("2026-11-21T25:00:00+08:00") == nil)
    }
}

enum Fixture {
    static func d(_ s: String) -> Day { Day.parseStored(s)! }
}
