/// The counts at the top of the dashboard and of every notice.
public struct Overview: Sendable, Equatable {
    /// All items except withdrawn ones.
    public var total = 0
    public var closed = 0
    public var closedOnTime = 0
    public var closedLate = 0
    /// 在办: not closed, not withdrawn (suspended included).
    public var open = 0
    public var overdue = 0
    public var dueSoon = 0
    public var pendingSign = 0
    public var pendingReview = 0
    public var suspended = 0
    public var withdrawn = 0
    public var signOverdue = 0
    public var feedbackOverdue = 0
    /// Closed this calendar month.
    public var closedThisMonth = 0

    public init() {}

    public init(_ items: [Item], _ evaluator: StatusEvaluator) { add(items, evaluator) }

    /// Counts a batch of items (an overview folded batch by batch is that of them all).
    public mutating func add(_ items: [Item], _ evaluator: StatusEvaluator) {
        let today = evaluator.today
        // By index: iterating the array would copy each item.
        for i in items.indices {
            let facts = items[i].statusFacts
            add(facts, evaluator.status(facts), today: today)
        }
    }

    @inline(__always)
    public mutating func add(_ item: Item, _ s: ItemStatus, today: Day) { add(item.statusFacts, s, today: today) }

    /// Counts an item by what its status depends on (copies no item; see `Item.statusFacts`).
    public mutating func add(_ item: StatusEvaluator.Facts, _ s: ItemStatus, today: Day) {
        // A 分别办理 item is counted through its parts.
        if item.isSplit { return }
        if item.state == .withdrawn {
            withdrawn += 1
            return
        }
        total += 1
        switch item.state {
        case .closed:
            closed += 1
            if s.light == .closedOnTime { closedOnTime += 1 } else { closedLate += 1 }
            if let c = item.closedOn, c.year == today.year, c.month == today.month { closedThisMonth += 1 }
        case .pending: pendingSign += 1
        case .review: pendingReview += 1
        case .suspended: suspended += 1
        case .active, .withdrawn: break
        }
        if item.state.isOpen { open += 1 }
        if s.light == .red { overdue += 1 }
        if s.light == .yellow { dueSoon += 1 }
        if s.signOverdue { signOverdue += 1 }
        if s.feedbackOverdue { feedbackOverdue += 1 }
    }

    /// 按时办结率: closed on time among closed items.
    public var onTimeRate: String { ChineseText.percent(closedOnTime, of: closed) }
}

/// A unit's own figures: the items it leads (牵头) and those it only co-handles (配合), counted
/// apart. Only the lead unit signs, asks for extensions and reports completion, so a unit's
/// 待签收 and 待审核 are those of the items it leads; what it co-handles counts as 在办, 逾期,
/// 临期 and 已办结 of its own.
public struct UnitOverview: Sendable, Equatable {
    public var lead = Overview()
    public var co = Overview()

    public init() {}

    public init(unit: String, items: [Item], evaluator: StatusEvaluator) { add(unit: unit, items, evaluator) }

    /// Counts a batch of items.
    public mutating func add(unit: String, _ items: [Item], _ evaluator: StatusEvaluator) {
        for i in items.indices {
            let leads = items[i].leadUnit == unit
            guard leads || items[i].coUnits.contains(unit) else { continue }
            let facts = items[i].statusFacts
            if leads {
                lead.add(facts, evaluator.status(facts), today: evaluator.today)
            } else {
                co.add(facts, evaluator.status(facts), today: evaluator.today)
            }
        }
    }

    /// 城关镇牵头的事项3件：在办2件（逾期1件，临期0件，待签收1件，待审核0件），已办结1件，按时办结率100%。
    public func lines(unit: String) -> [String] {
        let u = unit.sanitized()
        return [
            "\(u)牵头的事项\(lead.total)件：在办\(lead.open)件（逾期\(lead.overdue)件，临期\(lead.dueSoon)件，待签收\(lead.pendingSign)件，"
                + "待审核\(lead.pendingReview)件），已办结\(lead.closed)件，按时办结率\(lead.onTimeRate)。",
            "\(u)配合的事项\(co.total)件：在办\(co.open)件（逾期\(co.overdue)件，临期\(co.dueSoon)件），已办结\(co.closed)件。",
        ]
    }
}
