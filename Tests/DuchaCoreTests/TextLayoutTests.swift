import Testing

@testable import DuchaCore

/// Long tables are laid out on every core; the result must be the one a single pass gives,
/// line for line, and fit the width.
@Suite struct TextLayoutTests {
    @Test func aLongTableIsLaidOutTheSameOnEveryCore() {
        var random = SystemRandomNumberGenerator()
        let words = [
            "县交通运输局", "城区停车难专项治理", "已召开专题会议，", "研究部署。", "PPP", "2026-11-30", "（第3次）", "“两违”整治", " ", "ABCDEFGHIJKLMNOPQRSTUV",
        ]
        func text(_ n: Int) -> String { (0..<n).map { _ in words.randomElement(using: &random)! }.joined() }
        var table = TextTable(
            columns: [
                .init("序号", alignRight: true), .init("事项", weight: 3, minWidth: 6),
                .init("牵头单位", weight: 1, minWidth: 8, maxWidth: 12),
                .init("最新进展", weight: 4, minWidth: 6),
            ], gap: 1)
        for i in 0..<3_000 {
            table.append([
                String(i + 1), text(Int.random(in: 1...4, using: &random)), text(1) + "\n" + text(1),
                text(Int.random(in: 0...6, using: &random)),
            ])
        }
        let widths = table.widths(fitting: 100)
        let before = TextTable.parallelRows
        defer { TextTable.parallelRows = before }
        TextTable.parallelRows = Int.max
        let one = table.render(widths: widths, rows: table.rows)
        TextTable.parallelRows = 0
        let many = table.render(widths: widths, rows: table.rows)
        #expect(one.count > 3_000)
        #expect(one == many)
        #expect(one.allSatisfy { $0.displayWidth <= 100 })
    }
}

/// Work cut into runs for every core: each position exactly once, results in order.
@Suite struct ParallelTests {
    @Test func runsCoverEveryPositionOnceInOrder() {
        for count in [0, 1, 2, 3, 7, 100, 10_001] {
            for minimum in [0, 1, 50, Int.max] {
                let runs = Parallel.runs(count, minimum: minimum) { Array($0) }
                #expect(runs.flatMap { $0 } == Array(0..<count), "\(count) \(minimum)")
                if count < minimum { #expect(runs.count == 1) }
            }
        }
    }

    @Test func weightedRunsAreEvenAndInOrder() {
        var random = SystemRandomNumberGenerator()
        for n in [1, 2, 5, 80, 400] {
            let weights = (0..<n).map { _ in Int.random(in: 0...500, using: &random) }
            let runs = Parallel.runs(weights: weights, minimum: 0) { $0 }
            #expect(runs.flatMap { Array($0) } == Array(0..<n))
            #expect(runs.count <= Parallel.cores)
            // No run holds much more than its share plus one group.
            let total = weights.reduce(0, +)
            for r in runs { #expect(weights[r].reduce(0, +) <= total / runs.count + (weights.max() ?? 0)) }
            #expect(Parallel.runs(weights: weights, minimum: total + 1) { $0 } == [0..<n])
        }
    }

    /// A notice of many units laid out on every core reads exactly as one laid out in one pass.
    @Test func aLongNoticeIsTheSameOnEveryCore() throws {
        var items: [Item] = []
        let units = (1...40).map { "第\($0)单位" }
        let assigned = Day.parseStored("2026-03-02")!
        for i in 1...2_400 {
            let r = Registration(
                title: "事项\(i)：城区背街小巷路灯不亮问题整改" + String(repeating: "，加快推进", count: i % 5), source: "县委常委会议定事项",
                leader: "陈志刚", leadUnit: units[i * 7 % units.count], coUnits: i % 3 == 0 ? [units[(i + 1) % units.count]] : [],
                assignedOn: assigned, deadline: Day.parseStored("2026-06-01")!.adding(days: i % 150))
            items.append(
                Item(
                    number: ItemNumber(prefix: "督", year: 2026, serial: i), registration: r, originalDeadline: r.deadline,
                    registeredAt: Timestamp(day: assigned, hour: 9, minute: 0), state: .active, eventCount: 1))
        }
        let calendar = WorkCalendar(tables: [])
        let evaluator = StatusEvaluator(today: Day.parseStored("2026-11-21")!, calendar: calendar, settings: Settings())
        let notice = OverdueNotice(items: items, evaluator: evaluator, serial: 1, preview: true)
        #expect(notice.groups.count == 40 && notice.overdueCount == 2_400)
        let before = TextTable.parallelRows
        defer { TextTable.parallelRows = before }
        TextTable.parallelRows = Int.max
        let one = notice.text(width: 100)
        TextTable.parallelRows = 0
        let many = notice.text(width: 100)
        #expect(one == many)
        #expect(one.split(separator: "\n").count > 5_000)
    }
}
