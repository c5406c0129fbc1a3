/// Which items a list shows and in what order: the CLI's `list` options and the interface's
/// filters are both one of these.
public struct ItemQuery: Sendable, Equatable {
    public enum Scope: String, Sendable, CaseIterable {
        case all, open, closed, overdue, dueSoon

        public var label: String {
            switch self {
            case .all: "全部"
            case .open: "在办"
            case .closed: "已办结"
            case .overdue: "逾期"
            case .dueSoon: "临期"
            }
        }
    }

    public enum Order: String, Sendable, CaseIterable {
        /// Worst light first, then most overdue, then nearest deadline.
        case urgency
        case deadline
        case number
        case unit

        public var label: String {
            switch self {
            case .urgency: "按紧迫程度"
            case .deadline: "按时限"
            case .number: "按编号"
            case .unit: "按单位"
            }
        }
    }

    /// Warning marks beyond the light.
    public enum Mark: String, Sendable, CaseIterable {
        case signOverdue, feedbackOverdue

        public var label: String { self == .signOverdue ? "签收超时" : "反馈逾期" }
    }

    public var scope: Scope = .all
    public var mark: Mark?
    /// Items the unit leads or co-handles.
    public var unit: String?
    public var source: String?
    public var state: ItemState?
    public var light: Light?
    /// Words that must all appear (in number, title, instruction, units, leader or source).
    public var search: String = ""
    /// Items of a basis (交办依据): its name, 文号 or label, or a part of its name or 文号
    /// (`Basis.matches`); with `basisExact`, only the basis of that label (an interface picker).
    public var basis: String?
    public var basisExact = false
    /// Only items whose extension request awaits a decision (延期待批: the interface's filter).
    public var extensionPending = false
    public var order: Order = .urgency

    public init(
        scope: Scope = .all, unit: String? = nil, source: String? = nil, state: ItemState? = nil, light: Light? = nil,
        search: String = "", order: Order = .urgency
    ) {
        self.scope = scope
        self.unit = unit
        self.source = source
        self.state = state
        self.light = light
        self.search = search
        self.order = order
    }

    public var isFiltered: Bool {
        scope != .all || unit != nil || source != nil || state != nil || light != nil || mark != nil || !search.isEmpty
            || basis != nil || extensionPending
    }

    /// Whether `item` passes the filters (search included). The state filters read the state
    /// an item shows: a 分别办理 item's is its parts' (`Ledger.shownState`), read from `ledger`.
    public func matches(_ item: Item, _ status: ItemStatus, in ledger: Ledger? = nil) -> Bool {
        withUnsafePointer(to: item) { matches(at: $0, status, in: ledger) }
    }

    /// The same for the item at `p`, its fields read in place (see `Item.statusFacts(at:)`):
    /// lists test every item of the ledger.
    public func matches(at p: UnsafePointer<Item>, _ status: ItemStatus, in ledger: Ledger? = nil) -> Bool {
        guard matchesFilters(at: p, status, in: ledger) else { return false }
        if !search.isEmpty {
            let words = SearchIndex.words(search)
            for w in words where !SearchIndex.contains(SearchIndex.haystack(p.pointee), w) { return false }
        }
        return true
    }

    /// Whether `item` passes every filter but the search.
    public func matchesFilters(_ item: Item, _ status: ItemStatus, in ledger: Ledger? = nil) -> Bool {
        withUnsafePointer(to: item) { matchesFilters(at: $0, status, in: ledger) }
    }

    public func matchesFilters(at p: UnsafePointer<Item>, _ status: ItemStatus, in ledger: Ledger? = nil) -> Bool {
        var itemState = p.pointee.state
        // A 分别办理 item (no lead of its own) shows its parts' state.
        if let ledger, p.pointee.leadUnit.isEmpty, !p.pointee.number.isChild { itemState = ledger.shownState(p.pointee) }
        switch scope {
        case .all: break
        case .open: if !itemState.isOpen { return false }
        case .closed: if itemState != .closed { return false }
        case .overdue: if status.light != .red { return false }
        case .dueSoon: if status.light != .yellow { return false }
        }
        if let u = unit, p.pointee.leadUnit != u, !p.pointee.coUnits.contains(u) { return false }
        if let m = mark {
            if m == .signOverdue, !status.signOverdue { return false }
            if m == .feedbackOverdue, !status.feedbackOverdue { return false }
        }
        if let s = source, p.pointee.source != s { return false }
        if extensionPending, p.pointee.pendingExtension == nil { return false }
        if let b = basis {
            guard let mine = p.pointee.basisInfo, basisExact ? mine.label == b : mine.matches(b) else { return false }
        }
        if let s = state, itemState != s { return false }
        if let l = light, status.light != l {
            // 结 covers both kinds of closure.
            if !(l == .closedOnTime && status.light == .closedLate) { return false }
        }
        return true
    }

    /// The matching items with their status, in order.
    public func run(
        _ items: [Item], _ evaluator: StatusEvaluator, in ledger: Ledger? = nil
    ) -> [(
        item: Item, status: ItemStatus
    )] {
        run(indicesOf: items, evaluator, in: ledger).map { (items[$0.index], $0.status) }
    }

    /// The same as positions in `items`: matching and sorting move small values, not items.
    public func run(
        indicesOf items: [Item], _ evaluator: StatusEvaluator, in ledger: Ledger? = nil
    ) -> [(
        index: Int, status: ItemStatus
    )] {
        var rows: [(index: Int, status: ItemStatus)] = []
        items.withUnsafeBufferPointer { p in
            for i in p.indices {
                let at = p.baseAddress! + i
                let s = evaluator.status(Item.statusFacts(at: at))
                if matches(at: at, s, in: ledger) { rows.append((i, s)) }
            }
        }
        sort(&rows, in: items, index: \.index, status: \.status)
        return rows
    }

    /// Sorts rows that stand for items of `items` in this query's order. What is compared is
    /// read from each item once, in place: comparing items themselves copies two items at every
    /// comparison.
    public func sort<Row>(_ rows: inout [Row], in items: [Item], index: (Row) -> Int, status: (Row) -> ItemStatus) {
        var keyed = items.withUnsafeBufferPointer { p in
            rows.map { r in
                (key: key(at: p.baseAddress! + index(r), status(r)), row: r)
            }
        }
        keyed.sort { before($0.key, $1.key) }
        rows = Self.childrenUnderParents(keyed.map { ($0.key.number, $0.row) })
    }

    /// The rows in order, but each child (之N) right under its parent when the parent is listed
    /// too, in the order of their numbers: a parent's children read as its lines. A family
    /// stands where its first member does (an overdue child, or part, brings its parent up).
    static func childrenUnderParents<Row>(_ rows: [(number: ItemNumber, row: Row)]) -> [Row] {
        guard rows.contains(where: { $0.number.isChild }) else { return rows.map(\.row) }
        var parents: [ItemNumber: Int] = [:]
        for (i, r) in rows.enumerated() where !r.number.isChild { parents[r.number] = i }
        var children: [ItemNumber: [(number: ItemNumber, row: Row)]] = [:]
        for r in rows where r.number.isChild && parents[r.number.family] != nil {
            children[r.number.family, default: []].append(r)
        }
        var out: [Row] = []
        out.reserveCapacity(rows.count)
        var placed = Set<ItemNumber>()
        for r in rows {
            guard let p = parents[r.number.family] else {
                out.append(r.row)  // a child whose parent is not listed
                continue
            }
            guard placed.insert(r.number.family).inserted else { continue }
            out.append(rows[p].row)
            out += (children[r.number.family] ?? []).sorted { $0.number < $1.number }.map(\.row)
        }
        return out
    }

    /// What a list's rows count as (共N件，逾期N件，临期N件): a 分别办理 item listed with its
    /// parts is one item, its parts being its lines, overdue when one of them is (due soon when
    /// one is and none is overdue); a part listed without it (a unit's own part, a list by
    /// unit) is an item of its own, and so is every other row.
    public struct Counts: Sendable, Equatable {
        public var items = 0
        public var overdue = 0
        public var dueSoon = 0

        public init(items: Int = 0, overdue: Int = 0, dueSoon: Int = 0) {
            self.items = items
            self.overdue = overdue
            self.dueSoon = dueSoon
        }
    }

    /// The counts of rows given as each one's number, whether it is a unit's part of a 分别办理
    /// item (`Item.isPart`) and its light.
    public static func counts(_ rows: [(number: ItemNumber, isPart: Bool, light: Light)]) -> Counts {
        guard rows.contains(where: \.isPart) else {
            // No parts: a row is an item.
            var c = Counts(items: rows.count)
            for r in rows {
                if r.light == .red { c.overdue += 1 } else if r.light == .yellow { c.dueSoon += 1 }
            }
            return c
        }
        let listed = Set(rows.lazy.map(\.number))
        var lights: [ItemNumber: (red: Bool, yellow: Bool)] = [:]
        for r in rows {
            let key = r.isPart && listed.contains(r.number.family) ? r.number.family : r.number
            var l = lights[key] ?? (false, false)
            l.red = l.red || r.light == .red
            l.yellow = l.yellow || r.light == .yellow
            lights[key] = l
        }
        var c = Counts()
        c.items = lights.count
        for l in lights.values {
            if l.red { c.overdue += 1 } else if l.yellow { c.dueSoon += 1 }
        }
        return c
    }

    /// What the order compares.
    struct OrderKey {
        var severity: Int
        var overdueDays: Int
        var deadline: Day
        var number: ItemNumber
        var unit: String
    }

    func key(at p: UnsafePointer<Item>, _ s: ItemStatus) -> OrderKey {
        OrderKey(
            severity: s.light.severity, overdueDays: s.overdueDays ?? 0, deadline: p.pointee.deadline, number: p.pointee.number,
            unit: order == .unit ? p.pointee.leadUnit : "")
    }

    func before(_ a: OrderKey, _ b: OrderKey) -> Bool {
        switch order {
        case .urgency:
            if a.severity != b.severity { return a.severity < b.severity }
            if a.overdueDays != b.overdueDays { return a.overdueDays > b.overdueDays }
            if a.deadline != b.deadline { return a.deadline < b.deadline }
            return a.number < b.number
        case .deadline:
            return (a.deadline, a.number) < (b.deadline, b.number)
        case .number:
            return a.number < b.number
        case .unit:
            if a.unit != b.unit { return a.unit < b.unit }
            return (a.deadline, a.number) < (b.deadline, b.number)
        }
    }

    public func sort(_ rows: inout [(item: Item, status: ItemStatus)]) {
        rows.sort { inOrder($0.item, $0.status, $1.item, $1.status) }
        rows = Self.childrenUnderParents(rows.map { ($0.item.number, $0) })
    }

    /// Whether item `a` comes before item `b` in this query's order.
    public func inOrder(_ a: Item, _ sa: ItemStatus, _ b: Item, _ sb: ItemStatus) -> Bool {
        withUnsafePointer(to: a) { pa in withUnsafePointer(to: b) { pb in before(key(at: pa, sa), key(at: pb, sb)) } }
    }
}
