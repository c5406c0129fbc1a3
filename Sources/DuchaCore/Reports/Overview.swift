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

    public init(_ items: [Item], _ evaluator: StatusEvaluator) {
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
