import DuchaCore
import DuchaStore

/// The 总览 page's figures: counters, units worst first, the most overdue items. Recomputed
/// when the ledger or the day changes, not on every keystroke.
public struct DashboardModel: Sendable {
    public struct UnitRow: Sendable, Equatable {
        public var name: String
        /// For a unit's own overview: 牵头 or 配合 (its items counted apart); empty for the office.
        public var part = ""
        public var light: Light
        public var open = 0
        public var overdue = 0
        public var dueSoon = 0
        public var pendingSign = 0
        public var pendingReview = 0
        public var closed = 0
        public var closedOnTime = 0
        public var rate: String { ChineseText.percent(closedOnTime, of: closed) }
        /// The office sees the unit's name; a unit, under 本单位办理情况, which of its items.
        public var label: String { part.isEmpty ? name : part + "事项" }
    }

    /// For the office and leaders, all items; for a unit, those it leads (what it signs and
    /// closes), with `coOverview` those it co-handles.
    public var overview = Overview()
    public var coOverview: Overview?
    public var units: [UnitRow] = []
    /// Overdue items, most overdue first (as `ItemQuery(scope: .overdue)` orders them).
    public var mostOverdue: [(item: Item, status: ItemStatus)] = []
    /// Years that count weekends only because their holiday table is missing.
    public var missingYears: [Int] = []
    /// Extension requests waiting for the office, and 退办 waiting to be reassigned.
    public var pendingExtensions = 0
    public var declined = 0

    /// How many overdue items the page lists at most.
    static let overdueShown = 50

    public init() {}

    /// From the ledger in memory (files): the items this user may see are `visible`.
    init(_ ledger: Ledger, visible: [Int], evaluator: StatusEvaluator, actor: Actor, calendar: WorkCalendar) {
        let items = ledger.visibleItems(to: actor)
        let overdue = ItemQuery(scope: .overdue).run(indicesOf: items, evaluator, in: ledger)
            .lazy.filter { !items[$0.index].isSplit }.prefix(DashboardModel.overdueShown).map { (items[$0.index], $0.status) }
        var years: Set<Int> = []
        for i in items.indices where items[i].state.isOpen { years.insert(items[i].deadline.year) }
        self.init(
            ledger, figures: LeadFigures.byLead(items, evaluator), overdue: Array(overdue), openYears: years,
            evaluator: evaluator,
            actor: actor, calendar: calendar)
    }

    /// From what the store answered (a database): the figures by lead unit, the most overdue
    /// items (`ItemQuery(scope: .overdue)`, 分别办理 items without their parts left out) and
    /// the years of the open items' deadlines.
    init(
        _ ledger: Ledger, figures: [String: LeadFigures], overdue: [(item: Item, status: ItemStatus)], openYears: Set<Int>,
        evaluator: StatusEvaluator, actor: Actor, calendar: WorkCalendar
    ) {
        let own = actor.role == .unit ? actor.unit ?? "" : nil
        func row(_ name: String, part: String, _ f: LeadFigures) -> UnitRow {
            let o = f.overview
            var r = UnitRow(name: name, part: part, light: .green)
            (r.open, r.overdue, r.dueSoon, r.closed, r.closedOnTime) = (o.open, o.overdue, o.dueSoon, o.closed, o.closedOnTime)
            if part != "配合" { (r.pendingSign, r.pendingReview) = (o.pendingSign, o.pendingReview) }
            r.light = r.overdue > 0 ? .red : r.dueSoon > 0 ? .yellow : r.open > 0 ? .green : .none
            return r
        }
        if let own {
            // A unit: what it leads, and what it co-handles counted apart.
            let lead = figures[own] ?? LeadFigures()
            var co = LeadFigures()
            for (unit, f) in figures where unit != own { co.add(f) }
            overview = lead.overview
            coOverview = co.overview
            pendingExtensions = lead.pendingExtensions
            declined = lead.declined
            units = [row(own, part: "牵头", lead), row(own, part: "配合", co)]
        } else {
            for f in figures.values {
                overview.add(f.overview)
                pendingExtensions += f.pendingExtensions
                declined += f.declined
            }
            // Every unit of the roster, worst first; the roster's order breaks ties.
            units = ledger.units.map { row($0.name, part: "", figures[$0.name] ?? LeadFigures()) }
            let order = Dictionary(uniqueKeysWithValues: ledger.units.enumerated().map { ($1.name, $0) })
            units.sort { a, b in
                if a.overdue != b.overdue { return a.overdue > b.overdue }
                if a.dueSoon != b.dueSoon { return a.dueSoon > b.dueSoon }
                if a.open != b.open { return a.open > b.open }
                return (order[a.name] ?? 0) < (order[b.name] ?? 0)
            }
        }
        mostOverdue = overdue
        missingYears = calendar.missingYears(openYears.union([evaluator.today.year]).filter { $0 >= evaluator.today.year })
    }
}

extension LeadFigures {
    mutating func add(_ other: LeadFigures) {
        overview.add(other.overview)
        pendingExtensions += other.pendingExtensions
        declined += other.declined
    }
}

extension Overview {
    /// Adds the counts of `other` (items counted apart).
    mutating func add(_ other: Overview) {
        total += other.total
        closed += other.closed
        closedOnTime += other.closedOnTime
        closedLate += other.closedLate
        open += other.open
        overdue += other.overdue
        dueSoon += other.dueSoon
        pendingSign += other.pendingSign
        pendingReview += other.pendingReview
        suspended += other.suspended
        withdrawn += other.withdrawn
        signOverdue += other.signOverdue
        feedbackOverdue += other.feedbackOverdue
        closedThisMonth += other.closedThisMonth
    }
}
