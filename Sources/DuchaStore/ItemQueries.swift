import DuchaCore

/// A page of a list: the items in the query's order with their status, and a ledger that holds
/// them and their families (parents, children, a 分别办理 item's parts), settings and roster:
/// what a row shows of them (`Ledger.shownState`, `ItemJSON`).
public struct QueryPage {
    public var items: [Item]
    public var statuses: [ItemStatus]
    public var ledger: Ledger

    public init(items: [Item], statuses: [ItemStatus], ledger: Ledger) {
        self.items = items
        self.statuses = statuses
        self.ledger = ledger
    }
}

/// Lists, counts and notices asked of a store (issue #16, reads that scale): the items a person
/// may see (`Ledger.visibleItems`) that pass an `ItemQuery` on the evaluator's day, in its
/// order, each child under its listed parent. The files answer from the ledger in memory with
/// `ItemQuery` itself; PostgreSQL answers in SQL (`PostgresQueries`), so that a reader holds
/// only the rows it shows.
public protocol ItemQueries: AnyObject {
    /// The working calendar this process counts lights with (holiday tables beside the
    /// recorded ones); a store that keeps the days lights change counts them with it.
    var calendar: WorkCalendar? { get set }
    /// What the list's count line says (`ItemQuery.counts`).
    func counts(_ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> ItemQuery.Counts
    /// Rows `offset ..< offset + limit` of the list.
    func page(
        _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator, offset: Int, limit: Int
    ) throws(StoreError) -> QueryPage
    /// Where item `number` stands in the list (nil: not in it).
    func position(
        of number: ItemNumber, _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator
    ) throws(StoreError) -> Int?
    /// The overview of everything the person sees (`Overview`).
    func overview(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> Overview
    /// The years of the deadlines of the open items the person sees (is a holiday table missing?).
    func openDeadlineYears(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> Set<Int>
}

extension ItemQueries {
    /// The whole list.
    public func all(_ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> QueryPage {
        try page(query, for: actor, evaluator, offset: 0, limit: Int(Int32.max))
    }
}

/// The files: the ledger is in memory.
extension Repository: ItemQueries {
    public var calendar: WorkCalendar? {
        get { nil }
        set {}
    }

    func rows(
        _ query: ItemQuery, _ actor: Actor, _ evaluator: StatusEvaluator
    ) -> (items: [Item], rows: [(index: Int, status: ItemStatus)]) {
        let items = ledger.visibleItems(to: actor)
        return (items, query.run(indicesOf: items, evaluator, in: ledger))
    }

    public func counts(_ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> ItemQuery.Counts
    {
        let (items, rows) = rows(query, actor, evaluator)
        return ItemQuery.counts(rows.map { (items[$0.index].number, items[$0.index].isPart, $0.status.light) })
    }

    public func page(
        _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator, offset: Int, limit: Int
    ) throws(StoreError) -> QueryPage {
        let (items, rows) = rows(query, actor, evaluator)
        let from = min(max(0, offset), rows.count)
        let shown = rows[from..<(from + min(max(0, limit), rows.count - from))]
        return QueryPage(items: shown.map { items[$0.index] }, statuses: shown.map(\.status), ledger: ledger)
    }

    public func position(
        of number: ItemNumber, _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator
    ) throws(StoreError) -> Int? {
        let (items, rows) = rows(query, actor, evaluator)
        return rows.firstIndex { items[$0.index].number == number }
    }

    public func overview(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> Overview {
        Overview(ledger.visibleItems(to: actor), evaluator)
    }

    public func openDeadlineYears(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> Set<Int> {
        let items = ledger.visibleItems(to: actor)
        var years = Set<Int>()
        for i in items.indices where items[i].state.isOpen { years.insert(items[i].deadline.year) }
        return years
    }
}
