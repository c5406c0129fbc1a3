import DuchaCore
import DuchaStore
import DuchaTestSupport
import Testing

/// The statistics folded batch by batch (`Statistics.Accumulator`, what a database feeds a page
/// of states at a time) are the statistics of all the items at once, for every grouping, person,
/// period and scoring, whatever the batches and their order.
@Suite struct StatisticsAccumulatorTests {
    static let scenario = try! DataDirectory(path: Fixtures.dataPath).demo()
    static let settings = try! DataDirectory(path: Fixtures.dataPath).settings()

    /// The demo ledger on `day`, with a 分别办理 item of three units (one part closed late, one
    /// withdrawn), an item broken down into two children, a reassigned item and, when `scored`,
    /// every scoring rule configured.
    static func ledger(_ day: String, scored: Bool) throws -> Ledger {
        var b = LedgerBuilder(today: day)
        b.ledger = try DemoBuilder.build(
            scenario, settings: settings, today: b.today, calendar: Fixtures.calendar, supervisor: "clerk")
        if scored { for (k, v) in ScoringTests.rules { try b.run(.setting(key: k, value: v)) } }
        let units = b.ledger.activeUnits.map(\.name)
        let assigned = b.today.adding(days: -40)
        let split = Registration(
            title: "背街小巷整治（城关片区）", source: "领导批示", leadUnit: "", assignedOn: assigned, deadline: b.today.adding(days: -10),
            basis: "县政府第12次常务会议", basisDate: assigned)
        let s = try #require(try b.run(.registerSplit(split, leads: Array(units.prefix(3)))).first?.item)
        try b.act(s.child(1), .sign, forUnit: units[0])
        try b.act(s.child(1), .requestCompletion(report: "已整治完毕"), forUnit: units[0])
        try b.act(s.child(1), .approveCompletion(grade: nil, note: ""))
        try b.act(s.child(2), .withdraw(reason: "并入其他事项"))
        let parent = try b.register("老旧小区改造", lead: units[3], co: [units[4]], deadline: "2027-03-31")
        for (title, lead) in [("完成摸底", units[0]), ("完成设计", units[5])] {
            let c = Registration(
                title: title, source: "政府常务会决定事项", leadUnit: lead, assignedOn: b.today, deadline: b.today.adding(days: 20))
            try b.run(.registerChild(of: ItemReference(parent), c))
        }
        let late = try b.register(
            "城区停车难治理", lead: units[6], co: [units[7], units[8]], assigned: assigned.description,
            deadline: b.today.adding(days: -5).description)
        try b.act(
            late, .reassign(lead: units[9], coUnits: [units[7]], reason: "职责调整", deadline: nil, calendar: Fixtures.calendar))
        return b.ledger
    }

    static let actors: [Actor] = [
        .supervisor("clerk"), Actor(login: "lead", role: .leader), Actor(login: "cgz", role: .unit, unit: "城关镇"),
        Actor(login: "czj", role: .unit, unit: "县财政局"),
    ]

    /// Everything the figures show and say.
    static func same(_ a: Statistics, _ b: Statistics, _ what: String) {
        #expect(a.rows == b.rows, "\(what)")
        #expect(a.total == b.total, "\(what)")
        #expect(a.json() == b.json(), "\(what)")
        #expect(a.text(width: 100) == b.text(width: 100), "\(what)")
        #expect(a.csv() == b.csv(), "\(what)")
    }

    @Test(arguments: [("2026-11-20", false), ("2026-11-20", true), ("2026-12-31", true)])
    func batchesOfAnySizeGiveTheSameStatistics(_ day: String, _ scored: Bool) throws {
        let ledger = try Self.ledger(day, scored: scored)
        let e = StatusEvaluator(today: Fixtures.day(day), calendar: Fixtures.calendar, settings: ledger.settings)
        let periods: [(Day?, Day?)] = [(nil, nil), (Fixtures.day("2026-09-01"), nil), (nil, Fixtures.day("2026-10-31"))]
        var compared = 0
        for actor in Self.actors {
            let items = ledger.visibleItems(to: actor)
            #expect(items.count > 10)
            for grouping in Statistics.Grouping.allCases {
                for (from, to) in periods {
                    let whole = Statistics.seen(
                        by: actor, items: items, ledger: ledger, evaluator: e, by: grouping, from: from, to: to)
                    for size in [1, 7, items.count] {
                        for order in [items, items.reversed()] {
                            var fold = Statistics.Accumulator(
                                seenBy: actor, ledger: ledger, evaluator: e, by: grouping, from: from, to: to)
                            var start = 0
                            while start < order.count {
                                fold.add(Array(order[start..<min(order.count, start + size)]))
                                start += size
                            }
                            Self.same(fold.statistics(), whole, "\(actor.login) \(grouping) \(size) \(String(describing: from))")
                            compared += 1
                        }
                    }
                }
            }
            // Something to compare: late units, a unit's own two rows, bases.
            let byUnit = Statistics.seen(by: actor, items: items, ledger: ledger, evaluator: e, by: .unit)
            #expect(byUnit.total.penaltyTenths > 0)
            if actor.role == .unit { #expect(byUnit.rows.map(\.name) == [actor.unit! + "（牵头）", actor.unit! + "（配合）"]) }
            if actor.role != .unit {
                #expect(Statistics.seen(by: actor, items: items, ledger: ledger, evaluator: e, by: .basis).rows.count > 1)
            }
        }
        #expect(compared == Self.actors.count * 3 * 3 * 3 * 2)
    }

    /// No item given: the rows the statistics list without items, nothing counted.
    @Test func nothingAddedIsTheStatisticsOfNoItem() throws {
        let ledger = try Self.ledger("2026-11-20", scored: true)
        let e = StatusEvaluator(today: Fixtures.day("2026-11-20"), calendar: Fixtures.calendar, settings: ledger.settings)
        for actor in Self.actors {
            for grouping in Statistics.Grouping.allCases {
                var fold = Statistics.Accumulator(seenBy: actor, ledger: ledger, evaluator: e, by: grouping)
                fold.add([])
                Self.same(
                    fold.statistics(), Statistics.seen(by: actor, items: [], ledger: ledger, evaluator: e, by: grouping),
                    "\(actor.login) \(grouping)")
            }
        }
    }
}
