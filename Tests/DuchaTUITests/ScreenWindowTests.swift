import DuchaCore
import DuchaStore
import DuchaTestSupport
import Testing

@testable import DuchaTUI

/// A store that answers the interface's queries as a database does, from a ledger in memory:
/// each page comes with a ledger holding settings, roster and only the items asked for (and
/// their families), never the whole ledger. It counts what it is asked.
final class WindowQueries: ScreenQueries {
    let ledger: Ledger
    var calendar: WorkCalendar?
    /// The largest page asked for, and every `items` request.
    var largestPage = 0
    var pages = 0
    var itemRequests: [[ItemNumber]] = []

    init(_ ledger: Ledger) { self.ledger = ledger }

    /// Settings and roster, and the items of these numbers' families.
    func holding(_ numbers: [ItemNumber]) -> Ledger {
        var out = Ledger.partial()
        for e in ledger.log { try! out.applyUnordered(e) }
        let families = Set(numbers.map(\.family))
        try! out.restore(items: ledger.items.filter { families.contains($0.number.family) })
        return out
    }

    func rows(_ query: ItemQuery, _ actor: Actor, _ evaluator: StatusEvaluator) -> ([Item], [(index: Int, status: ItemStatus)]) {
        let items = ledger.visibleItems(to: actor)
        return (items, query.run(indicesOf: items, evaluator, in: ledger))
    }

    func counts(_ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> ItemQuery.Counts {
        let (items, rows) = rows(query, actor, evaluator)
        return ItemQuery.counts(rows.map { (items[$0.index].number, items[$0.index].isPart, $0.status.light) })
    }

    func page(
        _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator, offset: Int, limit: Int
    ) throws(StoreError) -> QueryPage {
        pages += 1
        largestPage = max(largestPage, limit)
        let (items, rows) = rows(query, actor, evaluator)
        let from = min(max(0, offset), rows.count)
        let shown = rows[from..<min(rows.count, from + limit)]
        let held = holding(shown.map { items[$0.index].number })
        return QueryPage(items: shown.map { held.item(items[$0.index].number)! }, statuses: shown.map(\.status), ledger: held)
    }

    func position(
        of number: ItemNumber, _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator
    ) throws(StoreError) -> Int? {
        let (items, rows) = rows(query, actor, evaluator)
        return rows.firstIndex { items[$0.index].number == number }
    }

    func overview(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> Overview {
        Overview(ledger.visibleItems(to: actor), evaluator)
    }

    func openDeadlineYears(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> Set<Int> {
        Set(ledger.visibleItems(to: actor).filter(\.state.isOpen).map(\.deadline.year))
    }

    func listCounts(
        _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator
    ) throws(StoreError) -> (rows: Int, counts: ItemQuery.Counts) {
        (rows(query, actor, evaluator).1.count, try counts(query, for: actor, evaluator))
    }

    func leadFigures(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> [String: LeadFigures] {
        LeadFigures.byLead(ledger.visibleItems(to: actor), evaluator)
    }

    func unitLoads() throws(StoreError) -> [String: UnitLoad] { UnitLoad.of(ledger.items) }

    func bases(for actor: Actor) throws(StoreError) -> [Basis] {
        Set(ledger.visibleItems(to: actor).compactMap(\.basisInfo)).sorted()
    }

    func changeMarks(for actor: Actor) throws(StoreError) -> [String: Int] { [:] }

    func refreshNow() throws(StoreError) -> Bool { false }

    func items(_ numbers: [ItemNumber], for actor: Actor) throws(StoreError) -> Ledger {
        itemRequests.append(numbers)
        return holding(numbers.filter { n in ledger.item(n).map { ledger.canSee($0, actor) } ?? false })
    }
}

/// The interface on a database: the list is a window of rows read around the screen, the
/// dashboard and the counts are asked of the store, and the screens are those of the ledger
/// held in memory.
@Suite struct ScreenWindowTests {
    typealias F = TUIFixtures

    /// The same interface on the ledger in memory and windowed on `queries`.
    static func pair(
        _ ledger: Ledger, login: String = "clerk", rows: Int = 24
    ) -> (AppState, AppState, ScreenReader, WindowQueries) {
        let queries = WindowQueries(ledger)
        let reader = ScreenReader(queries: queries) { grouping, evaluator, actor in
            Statistics.seen(by: actor, items: ledger.visibleItems(to: actor), ledger: ledger, evaluator: evaluator, by: grouping)
        }
        let memory = F.state(login, rows: rows, ledger: ledger)
        var windowed = F.state(login, rows: rows, ledger: queries.holding([]))
        windowed.useWindow()
        return (memory, windowed, reader, queries)
    }

    /// Sends the same keys to both, reading what the windowed one needs after each, as the runner does.
    static func type(_ a: inout AppState, _ b: inout AppState, _ reader: ScreenReader, _ keys: [Key]) throws {
        try reader.read(&b)
        for k in keys {
            _ = a.handle(.key(k))
            _ = b.handle(.key(k))
            try reader.read(&b)
            #expect(b.needed == nil, "读取后不应再缺少内容")
        }
    }

    static func same(_ a: AppState, _ b: AppState, _ what: String) {
        let (x, y) = (Renderer.render(a), Renderer.render(b))
        #expect(x.text == y.text, "\(what)：内存中\n\(x.text)\n数据库窗口\n\(y.text)")
    }

    @Test(arguments: ["clerk", "czj", "ldzhao"])
    func theScreensAreThoseOfTheLedgerInMemory(login: String) throws {
        var (a, b, reader, _) = ScreenWindowTests.pair(F.demo, login: login)
        try ScreenWindowTests.type(&a, &b, reader, [])
        ScreenWindowTests.same(a, b, "总览")
        try ScreenWindowTests.type(&a, &b, reader, [.char("2")])
        ScreenWindowTests.same(a, b, "台账")
        try ScreenWindowTests.type(&a, &b, reader, [.down, .down, .pageDown, .end, .up])
        ScreenWindowTests.same(a, b, "移动后")
        try ScreenWindowTests.type(&a, &b, reader, [.home, .char("o")])
        ScreenWindowTests.same(a, b, "换排序")
        try ScreenWindowTests.type(&a, &b, reader, [.char("/")] + F.text("城关") + [.enter])
        ScreenWindowTests.same(a, b, "搜索")
        try ScreenWindowTests.type(&a, &b, reader, [.enter])
        ScreenWindowTests.same(a, b, "详情")
        try ScreenWindowTests.type(&a, &b, reader, [.escape, .escape, .char("l")] + F.text("红") + [.enter])
        ScreenWindowTests.same(a, b, "按亮灯筛选")
        try ScreenWindowTests.type(&a, &b, reader, [.char("b"), .down, .enter])
        ScreenWindowTests.same(a, b, "按依据筛选")
        try ScreenWindowTests.type(&a, &b, reader, [.escape, .escape, .char("1"), .char("D")])
        ScreenWindowTests.same(a, b, "单位名册")
    }

    /// A ledger of more rows than a window holds.
    static func big(_ count: Int) throws -> Ledger {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇", "县财政局")
        for i in 0..<count {
            try b.register(
                "第\(i)件事项", lead: i % 3 == 0 ? "县财政局" : "城关镇", assigned: "2026-10-01",
                deadline: i % 2 == 0 ? "2026-11-30" : "2026-10-30")
        }
        return b.ledger
    }

    @Test func theWindowHoldsAFewHundredRowsOfALongerList() throws {
        let ledger = try ScreenWindowTests.big(900)
        var (a, b, reader, queries) = ScreenWindowTests.pair(ledger)
        try ScreenWindowTests.type(&a, &b, reader, [.char("2")])
        #expect(b.list.count == 900 && b.list.rows.count <= ListModel.windowSize)
        #expect(b.ledger.items.count <= ListModel.windowSize, "界面只持有窗口中的事项：\(b.ledger.items.count)")
        // Paging down reads the rows further on; the screen is the one of the whole list.
        for _ in 0..<30 { try ScreenWindowTests.type(&a, &b, reader, [.pageDown]) }
        ScreenWindowTests.same(a, b, "翻页后")
        #expect(b.list.window!.start > 0 && b.list.selected == a.list.selected)
        try ScreenWindowTests.type(&a, &b, reader, [.end])
        ScreenWindowTests.same(a, b, "到末尾")
        #expect(b.currentItem?.number == a.currentItem?.number)
        // Another order: the selected item is kept, wherever it now stands.
        for key in [Key.char("o"), .char("o")] {
            try ScreenWindowTests.type(&a, &b, reader, [key])
            ScreenWindowTests.same(a, b, "换排序后")
            #expect(b.currentItem?.number == a.currentItem?.number && b.list.selected == a.list.selected)
        }
        #expect(queries.largestPage <= ListModel.windowSize)
        #expect(b.ledger.items.count <= ListModel.windowSize && b.list.rows.count <= ListModel.windowSize)
    }

    @Test func movingWithinTheWindowReadsNothing() throws {
        let ledger = try ScreenWindowTests.big(400)
        var (a, b, reader, queries) = ScreenWindowTests.pair(ledger)
        try ScreenWindowTests.type(&a, &b, reader, [.char("2")])
        let read = queries.pages
        try ScreenWindowTests.type(&a, &b, reader, [.down, .down, .down, .up])
        #expect(queries.pages == read, "在已读取的窗口内移动不再查询")
        ScreenWindowTests.same(a, b, "移动")
    }

    @Test func anotherCommitKeepsTheSelectedItemWhereverItMoves() throws {
        var builder = LedgerBuilder(today: "2026-11-02")
        try builder.units("城关镇", "县财政局")
        for i in 0..<500 { try builder.register("第\(i)件", lead: "城关镇", deadline: "2026-12-\(10 + i % 15)") }
        var (a, b, reader, _) = ScreenWindowTests.pair(builder.ledger)
        try ScreenWindowTests.type(&a, &b, reader, [.char("2")] + Array(repeating: Key.pageDown, count: 20))
        let chosen = try #require(b.currentItem?.number)
        let at = b.list.selected
        // Another process registers 40 overdue items, listed before it.
        for i in 0..<40 {
            try builder.register("逾期\(i)", lead: "县财政局", assigned: "2026-09-01", deadline: "2026-10-01")
        }
        b.ledgerChanged(Ledger(), today: b.today)
        #expect(b.needed?.list?.whole == true, "台账变动后整个列表重新读取")
        let queries = WindowQueries(builder.ledger)
        try ScreenReader(queries: queries, statistics: reader.statistics).read(&b)
        #expect(b.currentItem?.number == chosen, "仍选中同一事项")
        #expect(b.list.selected == at + 40 && b.list.count == 540)
        let frame = Renderer.render(b)
        #expect(frame.row(containing: "显示 540/540 件") != nil, "\(frame.text)")
    }
}
