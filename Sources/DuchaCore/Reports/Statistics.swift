/// 办理情况统计: per unit (or per source) how many items were handled, closed on time or late,
/// are still open or overdue, the on-time rate, the average handling time and the returns;
/// units are ranked by their score (得分): a base score, bonuses and deductions as the settings
/// give them (`ScoreRules`); by default only the points taken off for late items (牵头 5,
/// 配合 2.5), which is what the statistics showed before the rest could be configured.
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
        /// Suspended items that were already late when suspended: not 逾期未办结 while the
        /// clock stands still, yet their lateness stays the unit's (said under the table).
        public var lateSuspended = 0
        public var returns = 0
        /// Calendar days from assignment to completion, summed over closed items.
        public var handlingDays = 0
        /// Late items (overdue or closed late) led, and co-handled.
        public var leadLate = 0
        public var coLate = 0
        public var penaltyTenths = 0
        /// What the other scoring rules count (`ScoreRules`): the base score given, the bonus
        /// for early completion (capped per item), 肯定性批示, 退办, reminders beyond the free
        /// ones of each assignment, open items whose cyclical feedback is overdue.
        public var baseTenths = 0
        public var earlyTenths = 0
        public var commendations = 0
        public var declines = 0
        public var extraReminders = 0
        public var feedbackLate = 0
        /// Points by kind (`ScoreKind.allCases` order) given outright rather than counted: a
        /// unit's own view splits its row into 牵头 and 配合 parts.
        public var pointsGiven: [Int]?
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

        /// The row's points by kind under `rules`, in tenths: bonuses positive, deductions
        /// negative (逾期 is `penaltyTenths`, from the lead and co-unit rates).
        public func points(_ rules: ScoreRules) -> [(kind: ScoreKind, tenths: Int)] {
            if let given = pointsGiven { return Array(zip(ScoreKind.allCases, given)) }
            return [
                (.base, baseTenths), (.onTime, closedOnTime * rules.onTime), (.early, earlyTenths),
                (.commend, commendations * rules.commend), (.late, -penaltyTenths), (.returned, -returns * rules.returned),
                (.declined, -declines * rules.declined), (.remind, -extraReminders * rules.remind),
                (.feedbackLate, -feedbackLate * rules.feedbackLate),
            ]
        }

        /// 得分 in tenths.
        public func scoreTenths(_ rules: ScoreRules) -> Int { points(rules).reduce(0) { $0 + $1.tenths } }

        /// The rows' scoring counts added up (for 合计).
        mutating func addScoring(_ r: Row) {
            baseTenths += r.baseTenths
            earlyTenths += r.earlyTenths
            commendations += r.commendations
            declines += r.declines
            extraReminders += r.extraReminders
            feedbackLate += r.feedbackLate
        }
    }

    /// The kinds of points a score is made of, as the breakdown's columns name them.
    public enum ScoreKind: String, Sendable, CaseIterable {
        case base, onTime, early, commend, late, returned, declined, remind, feedbackLate

        /// The column header (full) and the short one the interface uses at 80 columns.
        public var header: String {
            switch self {
            case .base: "基础分"
            case .onTime: "按时办结加分"
            case .early: "提前办结加分"
            case .commend: "肯定性批示加分"
            case .late: "逾期扣分"
            case .returned: "退回扣分"
            case .declined: "退办扣分"
            case .remind: "催办扣分"
            case .feedbackLate: "反馈逾期扣分"
            }
        }

        public var short: String {
            switch self {
            case .base: "基础分"
            case .onTime: "按时+"
            case .early: "提前+"
            case .commend: "批示+"
            case .late: "逾期-"
            case .returned: "退回-"
            case .declined: "退办-"
            case .remind: "催办-"
            case .feedbackLate: "反馈-"
            }
        }

        /// Whether `settings` score this kind at all.
        public func isScored(_ s: Settings) -> Bool {
            switch self {
            case .base: s.score.base != 0
            case .onTime: s.score.onTime != 0
            case .early: s.score.earlyPerDay != 0
            case .commend: s.score.commend != 0
            case .late: s.leadPenaltyTenths != 0 || s.coPenaltyTenths != 0
            case .returned: s.score.returned != 0
            case .declined: s.score.declined != 0
            case .remind: s.score.remind != 0
            case .feedbackLate: s.score.feedbackLate != 0
            }
        }
    }

    public var grouping: Grouping
    public var from: Day?
    public var to: Day?
    public var date: Day
    public var office: String
    public var rows: [Row]
    public var total: Row
    /// The scoring rules the figures were made with.
    public var rules: ScoreRules
    /// The kinds of points the rules score, in the breakdown's order; empty when only
    /// lateness is scored as by default (the statistics then read as they always did).
    public var scoredKinds: [ScoreKind]
    /// 逾期 points per late item led and co-handled, in tenths.
    public var leadPenalty: Int
    public var coPenalty: Int

    /// Items assigned within [from, to] (either may be open), judged on the evaluator's day.
    public init(
        items: [Item], evaluator: StatusEvaluator, by grouping: Grouping, from: Day? = nil, to: Day? = nil, names: [String]
    ) {
        var fold = Accumulator(evaluator: evaluator, by: grouping, from: from, to: to, names: names)
        fold.add(items)
        self = fold.statistics()
    }

    init(_ fold: Accumulator, rows: [Row], total: Row) {
        grouping = fold.grouping
        from = fold.from
        to = fold.to
        date = fold.evaluator.today
        office = fold.evaluator.settings.officeName
        rules = fold.rules
        leadPenalty = fold.evaluator.settings.leadPenaltyTenths
        coPenalty = fold.evaluator.settings.coPenaltyTenths
        scoredKinds =
            grouping == .unit && rules.isConfigured ? ScoreKind.allCases.filter { $0.isScored(fold.evaluator.settings) } : []
        self.rows = rows
        self.total = total
    }

    /// The statistics folded batch by batch, so that a store need not hold every item at once
    /// (a database reads the states a page at a time): `add` the items in batches of any size,
    /// in any order, then `statistics()`. Each item counts on its own (its earlier assignments,
    /// its lead unit and co-units, a 分别办理 item through its parts, which are items of their
    /// own); what the figures need of all the items together — the rows' order and ranks, the
    /// totals of the units' rows, the bases listed (those of every item given) — is settled at
    /// the end. The same as `Statistics(items:…)` and `seen` of all the items at once.
    public struct Accumulator: Sendable {
        let grouping: Grouping
        let from: Day?
        let to: Day?
        let evaluator: StatusEvaluator
        let rules: ScoreRules
        /// The rows listed even without items, in this order (by basis: those of the items given).
        var names: [String]
        var rows: [TextKey: Row] = [:]
        var total = Row(name: "合计")
        /// By basis: the bases of every item given.
        var bases: Set<Basis> = []
        /// A unit's own view (`seen`): the unit, and what it co-handles and all of its items.
        var own: String?
        var co = Row(name: "")
        var whole = Row(name: "合计")

        public init(evaluator: StatusEvaluator, by grouping: Grouping, from: Day? = nil, to: Day? = nil, names: [String]) {
            self.grouping = grouping
            self.from = from
            self.to = to
            self.evaluator = evaluator
            rules = evaluator.settings.score
            self.names = names
            for n in names { rows[TextKey(n)] = Row(name: n) }
        }

        /// What `actor` may see, as `seen` counts it: give it the items visible to them.
        public init(
            seenBy actor: Actor, ledger: Ledger, evaluator: StatusEvaluator, by grouping: Grouping, from: Day? = nil,
            to: Day? = nil
        ) {
            switch (grouping, actor.role) {
            case (.basis, _):
                self.init(evaluator: evaluator, by: .basis, from: from, to: to, names: [])
            case (.source, _):
                self.init(evaluator: evaluator, by: .source, from: from, to: to, names: ledger.settings.sources)
            case (.unit, .supervisor), (.unit, .leader):
                // Retired units stay listed while they have items in the period.
                self.init(evaluator: evaluator, by: .unit, from: from, to: to, names: ledger.activeUnits.map(\.name))
            case (.unit, .unit):
                let unit = actor.unit ?? ""
                self.init(evaluator: evaluator, by: .unit, from: from, to: to, names: [unit])
                own = unit
                co = Row(name: unit + "（配合）")
            }
        }

        func penalise(_ rows: inout [TextKey: Row], lead name: String, co coUnits: [String]) {
            let key = TextKey(name)
            rows[key, default: Row(name: name)].leadLate += 1
            rows[key]!.penaltyTenths += evaluator.settings.leadPenaltyTenths
            // A co-unit keeps its lateness when it has since been retired: its row stays listed
            // (like a retired lead unit's) while it has items in the period.
            for c in coUnits {
                let k = TextKey(c)
                rows[k, default: Row(name: c)].coLate += 1
                rows[k]!.penaltyTenths += evaluator.settings.coPenaltyTenths
            }
        }

        /// The bonus for completion reported `early` calendar days before the deadline.
        func earlyBonus(_ completed: Day, _ deadline: Day) -> Int {
            guard rules.earlyPerDay > 0, completed < deadline else { return 0 }
            let points = completed.days(to: deadline) * rules.earlyPerDay
            return rules.earlyCap > 0 ? min(points, rules.earlyCap) : points
        }

        /// What the other rules count for one assignment of a unit.
        func score(
            _ rows: inout [TextKey: Row], _ name: String, early: Int, commendations: Int, declined: Bool, reminders: Int,
            feedbackLate: Bool
        ) {
            guard grouping == .unit else { return }
            let key = TextKey(name)
            rows[key, default: Row(name: name)].earlyTenths += early
            rows[key]!.commendations += commendations
            if declined { rows[key]!.declines += 1 }
            rows[key]!.extraReminders += max(0, reminders - rules.remindFree)
            if feedbackLate { rows[key]!.feedbackLate += 1 }
        }

        /// Counts a batch of items.
        public mutating func add(_ items: [Item]) {
            let today = evaluator.today
            // By index, reading only the fields needed: iterating the array would copy each item.
            for i in items.indices {
                if grouping == .basis, let b = items[i].basisInfo { bases.insert(b) }
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
                    score(
                        &rows, name, early: a.completedOn.map { earlyBonus($0, a.deadline) } ?? 0,
                        commendations: a.commendations, declined: a.declinedOn != nil, reminders: a.reminders,
                        feedbackLate: false)
                }
                // A 分别办理 item counts through its parts, each its unit's.
                guard items[i].state != .withdrawn, !items[i].isSplit else { continue }
                let assigned = items[i].assignedOn
                if let from, assigned < from { continue }
                if let to, assigned > to { continue }
                let s = evaluator.status(of: items[i])
                if let own {
                    // A unit's own view: its items, and those it co-handles apart.
                    let leads = items[i].leadUnit == own
                    if leads || items[i].coUnits.contains(own) {
                        if !leads { Statistics.count(items[i], s, today: today, into: &co) }
                        Statistics.count(items[i], s, today: today, into: &whole)
                    }
                }
                // Suspended when already late: the lateness earned before 暂缓 stays the unit's.
                let late =
                    s.light == .red || s.light == .closedLate
                    || (items[i].state == .suspended && (items[i].lateAtSuspension ?? 0) > 0)
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
                if grouping == .unit, s.light != .red, items[i].state == .suspended, (items[i].lateAtSuspension ?? 0) > 0 {
                    rows[key]!.lateSuspended += 1
                    total.lateSuspended += 1
                }
                if grouping == .unit, rules.isConfigured {
                    let closed = items[i].state == .closed
                    score(
                        &rows, name,
                        early: closed ? items[i].completedOn.map { earlyBonus($0, items[i].deadline) } ?? 0 : 0,
                        commendations: items[i].commendations, declined: items[i].pendingDecline != nil,
                        reminders: items[i].reminders ?? 0, feedbackLate: s.feedbackOverdue)
                }
            }
        }

        /// The statistics of every item added.
        public func statistics() -> Statistics {
            var rows = self.rows
            var names = self.names
            if grouping == .basis {
                // Oldest basis first, those without a date after, items without one last.
                names = bases.sorted().map(\.label) + [Statistics.noBasis]
                for n in names where rows[TextKey(n)] == nil { rows[TextKey(n)] = Row(name: n) }
            }
            var total = self.total
            if grouping == .unit {
                for k in rows.keys { rows[k]!.baseTenths = rules.base }
            }
            let order = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            var list = Array(rows.values)
            if grouping == .unit {
                // Fewest points off first; then the better on-time rate; then more items handled.
                // 得分 by default is the lateness deduction alone: fewest points off first.
                let score = Dictionary(list.map { ($0.name, $0.scoreTenths(rules)) }, uniquingKeysWith: { a, _ in a })
                list.sort { a, b in
                    if (a.total == 0) != (b.total == 0) { return a.total != 0 }
                    if score[a.name]! != score[b.name]! { return score[a.name]! > score[b.name]! }
                    let (ar, br) = (a.closedOnTime * max(1, b.closed), b.closedOnTime * max(1, a.closed))
                    if ar != br { return ar > br }
                    if a.total != b.total { return a.total > b.total }
                    // Units no longer registered (retired, out of the order) by name.
                    return ((order[a.name] ?? Int.max), a.name) < ((order[b.name] ?? Int.max), b.name)
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
            // Late items are charged to units (a co-unit's too), not counted item by item above.
            total.leadLate = list.reduce(0) { $0 + $1.leadLate }
            total.coLate = list.reduce(0) { $0 + $1.coLate }
            for r in list { total.addScoring(r) }
            var stats = Statistics(self, rows: list, total: total)
            if let own { stats.split(own, co: co, whole: whole) }
            return stats
        }
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
    /// rank, since it does not see the other units' items. (`Accumulator(seenBy:…)` with the
    /// items in one batch.)
    public static func seen(
        by actor: Actor, items: [Item], ledger: Ledger, evaluator: StatusEvaluator, by grouping: Grouping, from: Day? = nil,
        to: Day? = nil
    ) -> Statistics {
        var fold = Accumulator(seenBy: actor, ledger: ledger, evaluator: evaluator, by: grouping, from: from, to: to)
        fold.add(items)
        return fold.statistics()
    }

    /// A unit's own view: its row as the office's statistics count it (what is late, and
    /// whose), split into what it leads and what it co-handles (`co`: those items counted;
    /// `whole`: all its items counted).
    mutating func split(_ unit: String, co coCounted: Row, whole wholeCounted: Row) {
        let mine = rows.first { $0.name == unit } ?? Row(name: unit)
        var lead = mine
        lead.name = unit + "（牵头）"
        lead.rank = nil
        lead.coLate = 0
        lead.penaltyTenths = mine.leadLate * leadPenalty
        var co = coCounted
        co.coLate = mine.coLate
        co.penaltyTenths = mine.penaltyTenths - lead.penaltyTenths
        // Every point but the co-units' lateness is the lead part's; the whole is the unit's.
        co.pointsGiven = ScoreKind.allCases.map { $0 == .late ? -co.penaltyTenths : 0 }
        let leadPoints = lead.points(rules).map(\.tenths)
        let whole = zip(leadPoints, co.pointsGiven!).map { $0 + $1 }
        var total = wholeCounted
        total.penaltyTenths = mine.penaltyTenths
        total.leadLate = lead.leadLate
        total.coLate = co.coLate
        total.lateSuspended = lead.lateSuspended + co.lateSuspended
        total.pointsGiven = whole
        lead.pointsGiven = leadPoints
        rows = [lead, co]
        self.total = total
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
            + (grouping == .unit ? (scoredKinds.isEmpty ? ["扣分"] : scoredKinds.map(\.header) + ["得分"]) : [])
    }

    public func cells(_ r: Row) -> [String] {
        (grouping == .unit ? [r.rank.map(String.init) ?? (r.name == "合计" ? "" : "—"), r.name] : [r.name])
            + [r.total, r.closed, r.closedOnTime, r.closedLate, r.open, r.overdueOpen].map(String.init)
            + (grouping == .basis ? [r.completionRate] : [])
            + [r.onTimeRate, r.averageDays, String(r.returns)]
            + (grouping == .unit ? (scoredKinds.isEmpty ? [r.penalty] : scoreCells(r)) : [])
    }

    /// A row's breakdown (the kinds scored) and its 得分, as text.
    public func scoreCells(_ r: Row) -> [String] {
        let points = r.points(rules)
        return scoredKinds.map { k in Statistics.signed(points.first { $0.kind == k }!.tenths) }
            + [Statistics.signed(r.scoreTenths(rules))]
    }

    /// Tenths as points with their sign: 100, 2.5, -7.5.
    public static func signed(_ tenths: Int) -> String { (tenths < 0 ? "-" : "") + Settings.tenths(abs(tenths)) }

    /// How units are ranked, as the statistics state it.
    public static let tieBreak = "名次按得分由高到低排列；得分相同的，依次按按时办结率（高者在前）、承办总数（多者在前）、单位登记顺序排列"

    /// The rules in force, one clause each, for the note under the table.
    public var rulesText: String {
        func p(_ t: Int) -> String { Settings.tenths(t) + "分" }
        var parts: [String] = []
        if rules.base != 0 { parts.append("基础分\(p(rules.base))") }
        if rules.onTime != 0 { parts.append("按时办结每件加\(p(rules.onTime))") }
        if rules.earlyPerDay != 0 {
            parts.append(
                "提前办结每提前一天加\(p(rules.earlyPerDay))" + (rules.earlyCap > 0 ? "、每件最多加\(p(rules.earlyCap))" : ""))
        }
        if rules.commend != 0 { parts.append("肯定性批示每次加\(p(rules.commend))") }
        if scoredKinds.contains(.late) { parts.append("牵头逾期每件扣\(p(leadPenalty))、配合逾期每件扣\(p(coPenalty))") }
        if rules.returned != 0 { parts.append("审核退回每次扣\(p(rules.returned))") }
        if rules.declined != 0 { parts.append("退办每次扣\(p(rules.declined))") }
        if rules.remind != 0 { parts.append("每次交办催办超过\(rules.remindFree)次的每次扣\(p(rules.remind))") }
        if rules.feedbackLate != 0 { parts.append("定期反馈逾期的在办事项每件扣\(p(rules.feedbackLate))") }
        return parts.joined(separator: "；")
    }

    public func text(width: Int) -> String {
        var lines: [String] = []
        lines.append("督查事项办理情况统计（按\(grouping.label)）".centered(inWidth: width))
        lines.append("（\(period)）".centered(inWidth: width))
        lines.append("")
        // The breakdown's columns by their short names (按时+ …), said below the table.
        let full = Dictionary(uniqueKeysWithValues: ScoreKind.allCases.map { ($0.header, $0.short) })
        let body = (rows + [total]).map(cells)
        var table = TextTable(
            columns: headers.map { full[$0] ?? $0 }.enumerated().map { i, h in
                h == "单位" || h == "来源" || h == "依据"
                    ? .init(h, weight: grouping == .basis ? 4 : 2, minWidth: 8)
                    // A figure is never broken over two lines (100.0% whole): its column is at
                    // least as wide as its widest figure; only the heading may wrap.
                    : .init(
                        h, alignRight: true, weight: 1,
                        minWidth: max(4, body.map { $0.indices.contains(i) ? $0[i].displayWidth : 0 }.max() ?? 0))
            }, gap: 1)
        for cells in body { table.append(cells) }
        lines.append(contentsOf: table.render(width: width))
        lines.append("")
        if grouping == .unit, !scoredKinds.isEmpty {
            lines.append(
                contentsOf: ("　　说明："
                    + scoredKinds.filter { $0.short != $0.header }.map { "\($0.short)＝\($0.header)" }.joined(separator: "，")
                    + "。得分＝基础分＋加分－扣分。计分规则：\(rulesText)。按时办结率＝按时办结÷已办结；平均办理天数为交办至报送办结的自然日。"
                    + "\(Statistics.tieBreak)。重新交办的事项，原单位移交时已逾期的照扣，退回、退办、催办和肯定性批示仍计原单位；重新办理的事项，原办结计入原交办日期所在期间。")
                    .wrapped(toWidth: width))
            lines.append("")
        } else if grouping == .unit {
            lines.append(
                contentsOf:
                    "　　说明：按时办结率＝按时办结÷已办结；平均办理天数为交办至报送办结的自然日；扣分为牵头事项逾期每件扣分与配合事项逾期每件扣分之和，名次按扣分由少到多排列。重新交办的事项，原单位移交时已逾期的照扣，退回次数仍计原单位；重新办理的事项，原办结计入原交办日期所在期间。"
                    .wrapped(toWidth: width))
            lines.append("")
        }
        if let note = suspensionNote {
            lines.append(contentsOf: ("　　另：" + note).wrapped(toWidth: width))
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

    /// Why a unit loses points for an item not listed as 逾期未办结 (DOMAIN: 暂缓 stops the
    /// clock; it does not forgive the lateness earned before): said under the table, in the
    /// text, on the interface's page and in the JSON; nil when no such item.
    public var suspensionNote: String? {
        guard grouping == .unit, total.lateSuspended > 0 else { return nil }
        let units = rows.filter { $0.lateSuspended > 0 }.map { "\($0.name)\($0.lateSuspended)件" }.joined(separator: "、")
        return "暂缓前已逾期的事项\(total.lateSuspended)件（\(units)），暂缓期间停止计时，不计入“逾期未办结”，暂缓前的逾期照扣。"
            .sanitized()
    }

    public func json() -> String {
        var w = JSONWriter(capacity: 4096)
        w.beginObject()
        w.field("by", grouping.rawValue)
        if let from { w.field("from", from.description) }
        if let to { w.field("to", to.description) }
        w.field("date", date.description)
        if !scoredKinds.isEmpty { w.field("ranking", Statistics.tieBreak) }
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
                // Suspended when already late: not 逾期未办结, yet counted in leadLate/coLate.
                w.field("lateSuspended", r.lateSuspended)
                w.field("penalty", r.penalty)
                if !scoredKinds.isEmpty {
                    w.key("score")
                    w.beginObject()
                    for (k, t) in r.points(rules) where scoredKinds.contains(k) { w.field(k.rawValue, Statistics.signed(t)) }
                    w.field("total", Statistics.signed(r.scoreTenths(rules)))
                    w.endObject()
                }
            }
            w.endObject()
        }
        w.endArray()
        if let note = suspensionNote { w.field("note", note) }
        w.endObject()
        return w.string + "\n"
    }
}
