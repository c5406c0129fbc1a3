/// 办理情况统计: per unit (or per source) how many items were handled, closed on time or late,
/// are still open or overdue, the on-time rate, the average handling time and the returns;
/// units are ranked by the points taken off for late items (settings: 牵头 5, 配合 2.5).
public struct Statistics: Sendable {
    public enum Grouping: String, Sendable, CaseIterable {
        case unit, source, basis

        public var label: String {
            switch self {
            case .unit: "单位"
            case .source: "来源"
            case .basis: "依据"
            }
        }
    }

    /// The row of items without a basis, in statistics by basis.
    public static let noBasis = "（未注明依据）"

    public struct Row: Sendable, Equatable {
        public var name: String
        /// 承办总数: items led (by unit) or of the source, withdrawn ones excluded.
        public var total = 0
        public var closed = 0
        public var closedOnTime = 0
        public var closedLate = 0
        public var open = 0
        public var overdueOpen = 0
        public var returns = 0
        /// Calendar days from assignment to completion, summed over closed items.
        public var handlingDays = 0
        /// Late items (overdue or closed late) led, and co-handled.
        public var leadLate = 0
        public var coLate = 0
        public var penaltyTenths = 0
        /// 名次, for units with items.
        public var rank: Int?

        public var onTimeRate: String { ChineseText.percent(closedOnTime, of: closed) }
        /// 完成率: closed of all (by basis: how much of a meeting's decisions is done).
        public var completionRate: String { ChineseText.percent(closed, of: total) }

        /// 平均办理天数 with one decimal, "—" when nothing is closed.
        public var averageDays: String {
            guard closed > 0 else { return "—" }
            let tenths = (handlingDays * 20 + closed) / (2 * closed)
            return "\(tenths / 10).\(tenths % 10)"
        }

        public var penalty: String { penaltyTenths == 0 ? "0" : "-" + Settings.tenths(penaltyTenths) }
    }

    public var grouping: Grouping
    public var from: Day?
    public var to: Day?
    public var date: Day
    public var office: String
    public var rows: [Row]
    public var total: Row

    /// Items assigned within [from, to] (either may be open), judged on the evaluator's day.
    public init(
        items: [Item], evaluator: StatusEvaluator, by grouping: Grouping, from: Day? = nil, to: Day? = nil, names: [String]
    ) {
        self.grouping = grouping
        self.from = from
        self.to = to
        date = evaluator.today
        office = evaluator.settings.officeName
        var rows: [TextKey: Row] = [:]
        for n in names { rows[TextKey(n)] = Row(name: n) }
        var total = Row(name: "合计")
        let today = evaluator.today
        let lead = evaluator.settings.leadPenaltyTenths
        let co = evaluator.settings.coPenaltyTenths
        func penalise(_ rows: inout [TextKey: Row], lead name: String, co coUnits: [String]) {
            let key = TextKey(name)
            rows[key, default: Row(name: name)].leadLate += 1
            rows[key]!.penaltyTenths += lead
            for c in coUnits {
                let k = TextKey(c)
                guard rows[k] != nil else { continue }
                rows[k]!.coLate += 1
                rows[k]!.penaltyTenths += co
            }
        }
        // By index, reading only the fields needed: iterating the array would copy each item.
        for i in items.indices {
            // Earlier assignments stay their units': a closure counts in its period, a unit
            // that handed the item over late keeps its delay and its returns.
            // By basis an item counts once, as it stands: how many of a meeting's decisions are done.
            for a in items[i].earlierAssignments where grouping != .basis {
                if let from, a.assignedOn < from { continue }
                if let to, a.assignedOn > to { continue }
                let name = grouping == .unit ? a.leadUnit : items[i].source
                let key = TextKey(name)
                if let done = a.completedOn {
                    let late = a.daysLate > 0
                    func count(_ r: inout Row) {
                        r.total += 1
                        r.returns += a.returns
                        r.closed += 1
                        if late { r.closedLate += 1 } else { r.closedOnTime += 1 }
                        r.handlingDays += a.assignedOn.days(to: done)
                    }
                    count(&rows[key, default: Row(name: name)])
                    count(&total)
                    if grouping == .unit, late { penalise(&rows, lead: name, co: a.coUnits) }
                } else {
                    rows[key, default: Row(name: name)].returns += a.returns
                    total.returns += a.returns
                    if grouping == .unit, a.daysLate > 0 { penalise(&rows, lead: name, co: a.coUnits) }
                }
            }
            guard items[i].state != .withdrawn else { continue }
            let assigned = items[i].assignedOn
            if let from, assigned < from { continue }
            if let to, assigned > to { continue }
            let s = evaluator.status(of: items[i])
            let late = s.light == .red || s.light == .closedLate
            func count(_ r: inout Row) { Statistics.count(items[i], s, today: today, into: &r) }
            let name =
                switch grouping {
                case .unit: items[i].leadUnit
                case .source: items[i].source
                case .basis: items[i].basisInfo?.label ?? Statistics.noBasis
                }
            let key = TextKey(name)
            count(&rows[key, default: Row(name: name)])
            count(&total)
            if grouping == .unit, late { penalise(&rows, lead: name, co: items[i].coUnits) }
        }
        let order = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var list = Array(rows.values)
        if grouping == .unit {
            // Fewest points off first; then the better on-time rate; then more items handled.
            list.sort { a, b in
                if (a.total == 0) != (b.total == 0) { return a.total != 0 }
                if a.penaltyTenths != b.penaltyTenths { return a.penaltyTenths < b.penaltyTenths }
                let (ar, br) = (a.closedOnTime * max(1, b.closed), b.closedOnTime * max(1, a.closed))
                if ar != br { return ar > br }
                if a.total != b.total { return a.total > b.total }
                return (order[a.name] ?? Int.max) < (order[b.name] ?? Int.max)
            }
            var rank = 0
            for i in list.indices where list[i].total > 0 {
                rank += 1
                list[i].rank = rank
            }
        } else {
            list.sort { (order[$0.name] ?? Int.max, $0.name) < (order[$1.name] ?? Int.max, $1.name) }
            // Bases with no items in the period are not listed.
            if grouping == .basis { list.removeAll { $0.total == 0 } }
        }
        total.penaltyTenths = list.reduce(0) { $0 + $1.penaltyTenths }
        self.rows = list
        self.total = total
    }

    /// Adds one item (not withdrawn) to a row.
    static func count(_ item: Item, _ s: ItemStatus, today: Day, into r: inout Row) {
        let closed = item.state == .closed
        r.total += 1
        r.returns += item.returns
        if closed {
            r.closed += 1
            if s.light == .closedOnTime { r.closedOnTime += 1 } else { r.closedLate += 1 }
            r.handlingDays += item.assignedOn.days(to: item.completedOn ?? item.closedOn ?? today)
        } else {
            r.open += 1
            if s.light == .red { r.overdueOpen += 1 }
        }
    }

    /// The statistics `actor` may see, of the `items` visible to them: every unit (or source)
    /// for the office and leaders; for a unit's own user, by unit, its items in two rows — those
    /// it leads (牵头) and those it co-handles (配合), each with its own points off — and no
    /// rank, since it does not see the other units' items.
    public static func seen(
        by actor: Actor, items: [Item], ledger: Ledger, evaluator: StatusEvaluator, by grouping: Grouping, from: Day? = nil,
        to: Day? = nil
    ) -> Statistics {
        switch (grouping, actor.role) {
        case (.basis, _):
            // Oldest basis first, those without a date after, items without one last.
            let bases = Set(items.indices.compactMap { items[$0].basisInfo }).sorted()
            return Statistics(
                items: items, evaluator: evaluator, by: .basis, from: from, to: to,
                names: bases.map(\.label) + [Statistics.noBasis])
        case (.source, _):
            return Statistics(
                items: items, evaluator: evaluator, by: .source, from: from, to: to, names: ledger.settings.sources)
        case (.unit, .supervisor), (.unit, .leader):
            // Retired units stay listed while they have items in the period.
            return Statistics(
                items: items, evaluator: evaluator, by: .unit, from: from, to: to, names: ledger.activeUnits.map(\.name))
        case (.unit, .unit):
            // The unit's row as the office's statistics count it (what is late, and whose), split
            // into what it leads and what it co-handles.
            let unit = actor.unit ?? ""
            var stats = Statistics(items: items, evaluator: evaluator, by: .unit, from: from, to: to, names: [unit])
            let mine = stats.rows.first { $0.name == unit } ?? Row(name: unit)
            var lead = mine
            lead.name = unit + "（牵头）"
            lead.rank = nil
            lead.coLate = 0
            lead.penaltyTenths = mine.leadLate * evaluator.settings.leadPenaltyTenths
            var co = Row(name: unit + "（配合）")
            co.coLate = mine.coLate
            co.penaltyTenths = mine.penaltyTenths - lead.penaltyTenths
            var total = Row(name: "合计")
            for i in items.indices where items[i].state != .withdrawn {
                let assigned = items[i].assignedOn
                if let from, assigned < from { continue }
                if let to, assigned > to { continue }
                let leads = items[i].leadUnit == unit
                guard leads || items[i].coUnits.contains(unit) else { continue }
                let s = evaluator.status(of: items[i])
                if !leads { count(items[i], s, today: evaluator.today, into: &co) }
                count(items[i], s, today: evaluator.today, into: &total)
            }
            total.penaltyTenths = mine.penaltyTenths
            stats.rows = [lead, co]
            stats.total = total
            return stats
        }
    }

    public var period: String {
        switch (from, to) {
        case (nil, nil): return "全部事项，截至\(date.chinese)"
        case (let f?, nil): return "\(f.chinese)以来交办的事项，截至\(date.chinese)"
        case (nil, let t?): return "\(t.chinese)以前交办的事项，截至\(date.chinese)"
        case (let f?, let t?): return "\(f.chinese)至\(t.chinese)交办的事项，截至\(date.chinese)"
        }
    }

    public var headers: [String] {
        (grouping == .unit ? ["名次", "单位"] : [grouping.label])
            + ["承办总数", "已办结", "按时办结", "逾期办结", "在办", "逾期未办结"] + (grouping == .basis ? ["完成率"] : [])
            + ["按时办结率", "平均办理天数", "退回次数"]
            + (grouping == .unit ? ["扣分"] : [])
    }

    public func cells(_ r: Row) -> [String] {
        (grouping == .unit ? [r.rank.map(String.init) ?? (r.name == "合计" ? "" : "—"), r.name] : [r.name])
            + [r.total, r.closed, r.closedOnTime, r.closedLate, r.open, r.overdueOpen].map(String.init)
            + (grouping == .basis ? [r.completionRate] : [])
            + [r.onTimeRate, r.averageDays, String(r.returns)] + (grouping == .unit ? [r.penalty] : [])
    }

    public func text(width: Int) -> String {
        var lines: [String] = []
        lines.append("督查事项办理情况统计（按\(grouping.label)）".centered(inWidth: width))
        lines.append("（\(period)）".centered(inWidth: width))
        lines.append("")
        var table = TextTable(
            columns: headers.map { h in
                h == "单位" || h == "来源" || h == "依据"
                    ? .init(h, weight: grouping == .basis ? 4 : 2, minWidth: 8)
                    : .init(h, alignRight: true, weight: 1, minWidth: 4)
            }, gap: 1)
        for r in rows { table.append(cells(r)) }
        table.append(cells(total))
        lines.append(contentsOf: table.render(width: width))
        lines.append("")
        if grouping == .unit {
            lines.append(
                contentsOf:
                    "　　说明：按时办结率＝按时办结÷已办结；平均办理天数为交办至报送办结的自然日；扣分为牵头事项逾期每件扣分与配合事项逾期每件扣分之和，名次按扣分由少到多排列。重新交办的事项，原单位移交时已逾期的照扣，退回次数仍计原单位；重新办理的事项，原办结计入原交办日期所在期间。"
                    .wrapped(toWidth: width))
            lines.append("")
        }
        if grouping == .basis {
            lines.append(
                contentsOf: "　　说明：完成率＝已办结÷承办总数；按时办结率＝已办结事项中按时办结的比例。每件事项按其现状计一次（重新交办、重新办理的不重复计数）；已撤销的不计。"
                    .wrapped(toWidth: width))
            lines.append("")
        }
        lines.append(String(repeating: " ", count: max(0, width - office.displayWidth - 4)) + office.sanitized())
        lines.append(String(repeating: " ", count: max(0, width - date.chinese.displayWidth - 4)) + date.chinese)
        return lines.joined(separator: "\n") + "\n"
    }

    public func csv() -> String {
        var out = "\u{FEFF}" + CSVText.row(headers)
        for r in rows { out += CSVText.row(cells(r)) }
        out += CSVText.row(cells(total))
        return out
    }

    public func json() -> String {
        var w = JSONWriter(capacity: 4096)
        w.beginObject()
        w.field("by", grouping.rawValue)
        if let from { w.field("from", from.description) }
        if let to { w.field("to", to.description) }
        w.field("date", date.description)
        w.key("rows")
        w.beginArray()
        for r in rows + [total] {
            w.beginObject()
            if let rank = r.rank { w.field("rank", rank) }
            w.field("name", r.name)
            w.field("total", r.total)
            w.field("closed", r.closed)
            w.field("closedOnTime", r.closedOnTime)
            w.field("closedLate", r.closedLate)
            w.field("open", r.open)
            w.field("overdueOpen", r.overdueOpen)
            if grouping == .basis { w.field("completionRate", r.completionRate) }
            w.field("onTimeRate", r.onTimeRate)
            w.field("averageDays", r.averageDays)
            w.field("returns", r.returns)
            if grouping == .unit {
                w.field("leadLate", r.leadLate)
                w.field("coLate", r.coLate)
                w.field("penalty", r.penalty)
            }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.string + "\n"
    }
}
