import DuchaCore

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
    /// Overdue items, most overdue first (indices in `ledger.items`).
    public var mostOverdue: [(index: Int, status: ItemStatus)] = []
    /// Years that count weekends only because their holiday table is missing.
    public var missingYears: [Int] = []
    /// Extension requests waiting for the office, and 退办 waiting to be reassigned.
    public var pendingExtensions = 0
    public var declined = 0

    public init() {}

    init(_ ledger: Ledger, visible: [Int], evaluator: StatusEvaluator, actor: Actor, calendar: WorkCalendar) {
        var byUnit: [String: UnitRow] = [:]
        let own = actor.role == .unit ? actor.unit ?? "" : nil
        for u in ledger.units where own == nil || own == u.name {
            byUnit[u.name] = UnitRow(name: u.name, part: own == nil ? "" : "牵头", light: .green)
        }
        var coRow = UnitRow(name: own ?? "", part: "配合", light: .green)
        if let own {
            let split = UnitOverview(unit: own, items: visible.map { ledger.items[$0] }, evaluator: evaluator)
            overview = split.lead
            coOverview = split.co
        }
        var overdue: [(index: Int, status: ItemStatus)] = []
        var years: Set<Int> = [evaluator.today.year]
        for i in visible {
            let item = ledger.items[i]
            let s = evaluator.status(of: item)
            if own == nil { overview.add(item, s, today: evaluator.today) }
            if s.light == .red { overdue.append((i, s)) }
            if own == nil || own == item.leadUnit {
                if item.pendingExtension != nil { pendingExtensions += 1 }
                if item.pendingDecline != nil { declined += 1 }
            }
            if item.state.isOpen { years.insert(item.deadline.year) }
            if let own, item.leadUnit != own {
                // Co-handled: counted apart, with nothing for the unit to sign or to have reviewed.
                switch item.state {
                case .closed:
                    coRow.closed += 1
                    if s.light == .closedOnTime { coRow.closedOnTime += 1 }
                case .withdrawn: break
                default: coRow.open += 1
                }
                if s.light == .red { coRow.overdue += 1 }
                if s.light == .yellow { coRow.dueSoon += 1 }
                continue
            }
            guard var row = byUnit[item.leadUnit] else { continue }
            switch item.state {
            case .closed:
                row.closed += 1
                if s.light == .closedOnTime { row.closedOnTime += 1 }
            case .withdrawn: break
            default:
                row.open += 1
                if item.state == .pending { row.pendingSign += 1 }
                if item.state == .review { row.pendingReview += 1 }
            }
            if s.light == .red { row.overdue += 1 }
            if s.light == .yellow { row.dueSoon += 1 }
            byUnit[item.leadUnit] = row
        }
        units = (Array(byUnit.values) + (own == nil ? [] : [coRow])).map { r in
            var r = r
            r.light = r.overdue > 0 ? .red : r.dueSoon > 0 ? .yellow : r.open > 0 ? .green : .none
            return r
        }
        let order = Dictionary(uniqueKeysWithValues: ledger.units.enumerated().map { ($1.name, $0) })
        units.sort { a, b in
            if own != nil { return a.part == "牵头" && b.part != "牵头" }
            if a.overdue != b.overdue { return a.overdue > b.overdue }
            if a.dueSoon != b.dueSoon { return a.dueSoon > b.dueSoon }
            if a.open != b.open { return a.open > b.open }
            return (order[a.name] ?? 0) < (order[b.name] ?? 0)
        }
        overdue.sort { ($0.status.overdueDays ?? 0, $1.index) > ($1.status.overdueDays ?? 0, $0.index) }
        mostOverdue = Array(overdue.prefix(50))
        missingYears = calendar.missingYears(years.filter { $0 >= evaluator.today.year })
    }
}
