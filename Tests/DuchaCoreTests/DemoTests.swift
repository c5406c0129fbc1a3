import DuchaCore
import DuchaStore
import DuchaTestSupport
import Testing

@Suite struct DemoTests {
    static let scenario = try! DataDirectory(path: Fixtures.dataPath).demo()
    static let settings = try! DataDirectory(path: Fixtures.dataPath).settings()

    /// Days around holidays, year ends and weekends, where relative dates are most likely to break.
    static let days = [
        "2026-11-21", "2026-09-30", "2026-10-08", "2026-01-01", "2026-01-05", "2026-02-24", "2026-05-06", "2025-12-31",
        "2026-12-31", "2027-01-04", "2027-03-15", "2026-06-22", "2026-12-01", "2027-04-20", "2027-09-10",
    ]

    @Test(arguments: days)
    func theDemoIsRealisticOnAnyDay(_ day: String) throws {
        let today = Fixtures.day(day)
        let ledger = try DemoBuilder.build(
            DemoTests.scenario, settings: DemoTests.settings, today: today, calendar: Fixtures.calendar, supervisor: "clerk")
        let e = StatusEvaluator(today: today, calendar: Fixtures.calendar, settings: ledger.settings)
        let statuses = ledger.items.map { e.status(of: $0) }
        #expect((38...46).contains(ledger.items.count))
        #expect(ledger.units.count >= 12)
        #expect(Set(ledger.items.map(\.source)) == Set(ledger.settings.sources), "每种来源都有")
        #expect(Set(ledger.items.map(\.state)) == Set(ItemState.allCases), "每种状态都有")
        #expect(statuses.filter { $0.light == .red }.count >= 5)
        #expect(statuses.filter { $0.light == .yellow }.count >= 3)
        #expect(statuses.contains { $0.light == .closedLate })
        #expect(statuses.contains { $0.light == .closedOnTime })
        #expect(ledger.items.contains { $0.returns >= 2 })
        #expect(ledger.items.contains { $0.extensionsApproved > 0 })
        #expect(ledger.items.contains { $0.pendingDecline != nil })
        #expect(ledger.items.allSatisfy { $0.history.allSatisfy { $0.at.day <= today } })
        // Units' own liaisons act for their units; the office records for the others.
        let entries = ledger.items.flatMap(\.history)
        #expect(entries.contains { $0.unit != nil && !$0.proxy })
        #expect(entries.contains { $0.proxy })
    }

    /// As an office would have it: every record is made, every item assigned and every
    /// deadline set on a working day (weekends and holidays off, 调休 weekends on), whatever
    /// day the demo is built on.
    @Test(arguments: days)
    func theDemoHappensOnWorkingDaysOnly(_ day: String) throws {
        let today = Fixtures.day(day)
        let calendar = Fixtures.calendar
        let ledger = try DemoBuilder.build(
            DemoTests.scenario, settings: DemoTests.settings, today: today, calendar: calendar, supervisor: "clerk")
        var offDays: [String] = []
        func check(_ d: Day, _ what: @autoclosure () -> String) {
            // In a year whose table is not published, the days off fixed every year are off too.
            let fixed =
                !calendar.hasTable(for: d.year)
                && ((d.month, d.day) == (1, 1) || (d.month, d.day) == (5, 1) || (d.month == 10 && d.day <= 3))
            if !calendar.isWorkday(d) || fixed { offDays.append("\(what())：\(d) \(d.chineseWeekday)") }
        }
        for e in ledger.log { check(e.at.day, "记录 #\(e.seq)") }
        for item in ledger.items {
            check(item.assignedOn, "\(item.number) 交办日期")
            check(item.deadline, "\(item.number) 办理时限")
            check(item.originalDeadline, "\(item.number) 原定时限")
            for e in item.history {
                check(e.at.day, "\(item.number) 记录 #\(e.seq)")
                switch e.change {
                case .item(_, .requestExtension(let to, _)), .item(_, .approveExtension(let to, _)):
                    check(to, "\(item.number) 延期至")
                default: break
                }
            }
        }
        #expect(offDays.isEmpty, "\(offDays)")
        #expect(ledger.items.flatMap(\.history).count > 150)
    }
}
