/// The warning light of an item (亮灯).
public enum Light: String, Sendable, CaseIterable {
    /// 红: past the deadline and not closed.
    case red
    /// 黄: at most N working days left.
    case yellow
    /// 绿: otherwise.
    case green
    /// 按时办结.
    case closedOnTime
    /// 逾期办结.
    case closedLate
    /// Withdrawn or suspended: no light.
    case none

    /// 红 / 黄 / 绿 / 结 — one wide character, for a light column.
    public var symbol: String {
        switch self {
        case .red: "红"
        case .yellow: "黄"
        case .green: "绿"
        case .closedOnTime, .closedLate: "结"
        case .none: "－"
        }
    }

    public var label: String {
        switch self {
        case .red: "逾期"
        case .yellow: "临期"
        case .green: "正常"
        case .closedOnTime: "按时办结"
        case .closedLate: "逾期办结"
        case .none: "无"
        }
    }

    /// Sort weight: worst first.
    public var severity: Int {
        switch self {
        case .red: 0
        case .yellow: 1
        case .green: 2
        case .closedLate: 3
        case .closedOnTime: 4
        case .none: 5
        }
    }
}

/// What an item's dates mean today. Derived, never stored.
public struct ItemStatus: Sendable, Equatable {
    public var light: Light
    /// Working days left up to and including the deadline (open, not overdue items).
    public var workdaysLeft: Int?
    /// Calendar days past the deadline (overdue items), or days late (closed late).
    public var overdueDays: Int?
    /// 签收超时: still unsigned after the allowed working days.
    public var signOverdue: Bool
    /// 延期次数 above two: a warning sign.
    public var manyExtensions: Bool
    /// When the next cyclical feedback is due (items being handled that carry a cycle).
    public var nextFeedback: Day? = nil
    /// 反馈逾期: the cycle's due date has passed without feedback.
    public var feedbackOverdue = false

    /// 剩3个工作日 / 今天到期 / 逾期52天 / 按时办结 / 逾期办结 / 已撤销 / 暂缓
    public var remainingText: String {
        switch light {
        case .red: return "逾期\(overdueDays ?? 0)天"
        case .yellow, .green:
            if let left = workdaysLeft {
                return left == 0 ? "今天到期" : "剩\(left)个工作日"
            }
            return "已报办结"
        case .closedOnTime: return "按时办结"
        case .closedLate: return "逾期办结"
        case .none: return "—"
        }
    }

    /// Extra marks shown after the state: 签收超时, 延期3次.
    public var marks: [String] {
        var m: [String] = []
        if signOverdue { m.append("签收超时") }
        if feedbackOverdue { m.append("反馈逾期") }
        if manyExtensions { m.append("多次延期") }
        return m
    }
}

/// Evaluates items against a day, a calendar and the repository settings.
public struct StatusEvaluator: Sendable {
    public let today: Day
    public let calendar: WorkCalendar
    public let settings: Settings

    public init(today: Day, calendar: WorkCalendar, settings: Settings) {
        self.today = today
        self.calendar = calendar
        self.settings = settings
    }

    /// The few fields a status depends on, read out first: passing an item itself to a function
    /// copies it out of its array (a score of references retained and released), and reports
    /// evaluate every item of the ledger.
    public struct Facts {
        public init(
            state: ItemState, deadline: Day, assignedOn: Day, completedOn: Day?, closedOn: Day?, completionRequestedOn: Day?,
            declinePending: Bool, extensionsApproved: Int, feedbackCycle: FeedbackCycle?, feedbackDays: [Day],
            isSplit: Bool = false
        ) {
            self.isSplit = isSplit
            self.state = state
            self.deadline = deadline
            self.assignedOn = assignedOn
            self.completedOn = completedOn
            self.closedOn = closedOn
            self.completionRequestedOn = completionRequestedOn
            self.declinePending = declinePending
            self.extensionsApproved = extensionsApproved
            self.feedbackCycle = feedbackCycle
            self.feedbackDays = feedbackDays
        }

        var state: ItemState
        var deadline: Day
        var assignedOn: Day
        var completedOn: Day?
        var closedOn: Day?
        var completionRequestedOn: Day?
        var declinePending: Bool
        var extensionsApproved: Int
        var feedbackCycle: FeedbackCycle?
        var feedbackDays: [Day]
        /// A 分别办理 item: its parts have the lights.
        var isSplit: Bool
    }

    @inline(__always)
    public func status(of item: Item) -> ItemStatus { status(item.statusFacts) }

    public func status(_ item: Facts) -> ItemStatus {
        var s = ItemStatus(
            light: .green, workdaysLeft: nil, overdueDays: nil, signOverdue: false,
            manyExtensions: item.extensionsApproved > 2)
        if item.isSplit {
            s.light = .none
            return s
        }
        switch item.state {
        case .closed:
            let done = item.completedOn ?? item.closedOn ?? today
            if done <= item.deadline {
                s.light = .closedOnTime
            } else {
                s.light = .closedLate
                s.overdueDays = item.deadline.days(to: done)
            }
        case .withdrawn, .suspended:
            s.light = .none
        case .review where (item.completionRequestedOn ?? today) <= item.deadline:
            // The unit reported completion in time; waiting for the office is not the unit's delay.
            s.light = .green
        case .pending, .active, .review:
            if today > item.deadline {
                s.light = .red
                s.overdueDays = item.deadline.days(to: today)
            } else {
                let left = calendar.workdays(after: today, through: item.deadline)
                s.workdaysLeft = left
                s.light = left <= settings.dueSoonWorkdays ? .yellow : .green
            }
            if item.state == .pending, !item.declinePending {
                s.signOverdue = calendar.workdays(after: item.assignedOn, through: today) > settings.signWithinWorkdays
            }
        }
        if item.state == .active, let cycle = item.feedbackCycle {
            let next = cycle.nextDue(feedbackDays: item.feedbackDays, assignedOn: item.assignedOn, calendar: calendar)
            s.nextFeedback = next
            s.feedbackOverdue = today > next
        }
        return s
    }

    public func isOverdue(_ item: Item) -> Bool { status(of: item).light == .red }
}

extension Item {
    /// What its status depends on (see `StatusEvaluator.Facts`).
    @inline(__always)
    public var statusFacts: StatusEvaluator.Facts { withUnsafePointer(to: self) { Item.statusFacts(at: $0) } }

    /// The same, read field by field from where the item lies: a whole item read from an array
    /// or a pointer is copied first (every reference in it retained, then released), its fields
    /// are not. Reports over a whole ledger read items this way.
    @inline(__always)
    public static func statusFacts(at p: UnsafePointer<Item>) -> StatusEvaluator.Facts {
        let state = p.pointee.state
        let cycle = p.pointee.feedbackCycle
        return StatusEvaluator.Facts(
            state: state, deadline: p.pointee.deadline, assignedOn: p.pointee.assignedOn, completedOn: p.pointee.completedOn,
            closedOn: p.pointee.closedOn, completionRequestedOn: p.pointee.completionRequestedOn,
            declinePending: p.pointee.pendingDecline != nil, extensionsApproved: p.pointee.extensionsApproved,
            feedbackCycle: cycle, feedbackDays: state == .active && cycle != nil ? p.pointee.feedbackDays : [],
            isSplit: p.pointee.leadUnit.isEmpty && !p.pointee.number.isChild)
    }
}
