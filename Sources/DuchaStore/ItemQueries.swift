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
        var overview = Overview(ledger.visibleItems(to: actor), evaluator)
        for i in closedFacts.indices where closedFacts[i].isVisible(to: actor) { overview.add(closedFacts[i], evaluator) }
        return overview
    }

    public func openDeadlineYears(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> Set<Int> {
        let items = ledger.visibleItems(to: actor)
        var years = Set<Int>()
        for i in items.indices where items[i].state.isOpen { years.insert(items[i].deadline.year) }
        return years
    }
}

/// What the 总览 says of the items one unit leads (`leadFigures`): the overview of them, the
/// extension requests waiting for the office and the 退办 waiting to be reassigned.
public struct LeadFigures: Sendable, Equatable {
    public var overview = Overview()
    public var pendingExtensions = 0
    public var declined = 0

    public init() {}

    /// The figures of `items` by lead unit (a 分别办理 item, which leads nothing itself, under "").
    public static func byLead(_ items: [Item], _ evaluator: StatusEvaluator) -> [String: LeadFigures] {
        var out: [String: LeadFigures] = [:]
        let today = evaluator.today
        for i in items.indices {
            let facts = items[i].statusFacts
            out[items[i].leadUnit, default: LeadFigures()].add(facts, evaluator.status(facts), items[i], today: today)
        }
        return out
    }

    mutating func add(_ facts: StatusEvaluator.Facts, _ s: ItemStatus, _ item: borrowing Item, today: Day) {
        overview.add(facts, s, today: today)
        if item.pendingExtension != nil { pendingExtensions += 1 }
        if item.pendingDecline != nil { declined += 1 }
    }
}

/// What the 单位名册 says of a unit: the items it leads (withdrawn ones too), co-handles, and leads
/// that are open (their stored state).
public struct UnitLoad: Sendable, Equatable {
    public var lead = 0
    public var co = 0
    public var open = 0

    public init(lead: Int = 0, co: Int = 0, open: Int = 0) {
        self.lead = lead
        self.co = co
        self.open = open
    }

    /// The load of every unit named in `items`.
    public static func of(_ items: [Item]) -> [String: UnitLoad] {
        var out: [String: UnitLoad] = [:]
        for i in items.indices {
            out[items[i].leadUnit, default: UnitLoad()].lead += 1
            if items[i].state.isOpen { out[items[i].leadUnit, default: UnitLoad()].open += 1 }
            for u in items[i].coUnits where u != items[i].leadUnit { out[u, default: UnitLoad()].co += 1 }
        }
        return out
    }
}

/// What an interface asks of a store besides lists and counts, so that it need not hold the
/// ledger: the 总览's figures by lead unit and the items it shows by number.
public protocol ScreenQueries: ItemQueries {
    /// Reads what was committed since, even before the store would notice it (an interface
    /// after its own commit through another connection); true when the ledger changed.
    func refreshNow() throws(StoreError) -> Bool
    /// How many rows the list has (a 分别办理 item listed with its parts is a row each) and what
    /// its count line says (`counts`), together.
    func listCounts(
        _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator
    ) throws(StoreError) -> (rows: Int, counts: ItemQuery.Counts)
    /// The figures of the items the person sees, by lead unit (`LeadFigures.byLead`).
    func leadFigures(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> [String: LeadFigures]
    /// What the 单位名册 says of each unit (`UnitLoad.of` every item).
    func unitLoads() throws(StoreError) -> [String: UnitLoad]
    /// The 交办依据 of the items the person sees, oldest first (`Basis` order; an interface's picker).
    func bases(for actor: Actor) throws(StoreError) -> [Basis]
    /// Each item the person sees, by its full number, with a value that changes whenever a
    /// record about it is added (its number of records on files, its last record's sequence
    /// number in a database): what `LastVisit` keeps.
    func changeMarks(for actor: Actor) throws(StoreError) -> [String: Int]
    /// A ledger holding settings, roster and these items with their families (parents,
    /// children, a 分别办理 item's parts), their states only; those the person may not see
    /// are left out.
    func items(_ numbers: [ItemNumber], for actor: Actor) throws(StoreError) -> Ledger
}

extension Repository: ScreenQueries {
    public func refreshNow() throws(StoreError) -> Bool { try refresh() }

    public func listCounts(
        _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator
    ) throws(StoreError) -> (rows: Int, counts: ItemQuery.Counts) {
        (rows(query, actor, evaluator).rows.count, try counts(query, for: actor, evaluator))
    }

    public func leadFigures(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> [String: LeadFigures] {
        LeadFigures.byLead(ledger.visibleItems(to: actor), evaluator)
    }

    public func unitLoads() throws(StoreError) -> [String: UnitLoad] { UnitLoad.of(ledger.items) }

    public func bases(for actor: Actor) throws(StoreError) -> [Basis] {
        Set(ledger.visibleItems(to: actor).compactMap(\.basisInfo)).sorted()
    }

    public func changeMarks(for actor: Actor) throws(StoreError) -> [String: Int] {
        var out: [String: Int] = [:]
        for item in ledger.visibleItems(to: actor) { out[item.number.description] = item.eventCount }
        return out
    }

    public func items(_ numbers: [ItemNumber], for actor: Actor) throws(StoreError) -> Ledger { ledger }
}

/// The states of the items a person may see, a batch at a time, in one consistent snapshot: what
/// a report that counts every item folds (`Statistics.Accumulator`, `Overview`), so that a
/// store that does not hold the ledger (a database) need hold only a batch of states at once.
public protocol StateBatches: AnyObject {
    /// Calls `body` with the states of the items `actor` may see (`Ledger.visibleItems`), in
    /// number order, at most `size` at a time; a part knows it is one (`Item.isPart`).
    func forEachBatch(visibleTo actor: Actor, size: Int, _ body: ([Item]) -> Void) throws(StoreError)
}

/// Each item's change mark (`ScreenQueries.changeMarks`) a batch at a time, in one snapshot: the
/// interface compares them with the last visit's, and writes them for the next, without holding
/// them all at once.
public protocol ChangeMarkBatches: AnyObject {
    /// Calls `body` with the full numbers and change marks of the items `actor` may see, in
    /// number order, at most `size` at a time.
    func forEachChangeMark(for actor: Actor, size: Int, _ body: ([(number: String, mark: Int)]) -> Void) throws(StoreError)
}

extension LedgerStore {
    /// The items `actor` may see, in batches: asked of the store when its ledger does not hold
    /// them all (a database, `StateBatches`), else the ledger's in one batch.
    public func forEachVisibleBatch(_ actor: Actor, size: Int = 2000, _ body: ([Item]) -> Void) throws(StoreError) {
        if ledger.partial, let batches = self as? StateBatches {
            try batches.forEachBatch(visibleTo: actor, size: size, body)
        } else {
            body(ledger.visibleItems(to: actor))
        }
    }
}
