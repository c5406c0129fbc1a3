/// The days on which an item's light and marks change, so that a store can pick items by light
/// for any day by comparing dates (PostgreSQL keeps them as columns). They are `StatusEvaluator`'s
/// rule turned around: for every day, `light(on:)`, `signOverdue(on:)` and
/// `feedbackOverdue(on:)` equal what `StatusEvaluator.status` says on that day
/// (`LightThresholdsTests` checks it over random items and days). They depend on the working
/// calendar and the settings, never on the day.
public struct LightThresholds: Sendable, Equatable {
    /// The light whatever the day: closed (on time or late), withdrawn, suspended, a 分别办理
    /// item, or completion reported in time (waiting for the office is green).
    public var fixed: Light?
    /// Days late of an item closed late.
    public var lateDays: Int?
    /// The first day of 黄 (at most `dueSoonWorkdays` working days left); nil when never.
    public var yellowFrom: Day?
    /// The first day of 红 (the day after the deadline); nil when the light is fixed.
    public var redFrom: Day?
    /// The first day the item is 签收超时 (unsigned, no decline awaiting a decision).
    public var signOverdueFrom: Day?
    /// The first day the item is 反馈逾期 (being handled, its cycle's feedback not given).
    public var feedbackOverdueFrom: Day?

    public init(
        fixed: Light? = nil, lateDays: Int? = nil, yellowFrom: Day? = nil, redFrom: Day? = nil, signOverdueFrom: Day? = nil,
        feedbackOverdueFrom: Day? = nil
    ) {
        self.fixed = fixed
        self.lateDays = lateDays
        self.yellowFrom = yellowFrom
        self.redFrom = redFrom
        self.signOverdueFrom = signOverdueFrom
        self.feedbackOverdueFrom = feedbackOverdueFrom
    }

    /// The thresholds of an item (a closed item always has its day of completion or closing).
    public init(_ item: StatusEvaluator.Facts, calendar: WorkCalendar, settings: Settings) {
        self.init()
        if item.isSplit {
            fixed = Light.none
            return
        }
        switch item.state {
        case .closed:
            let done = item.completedOn ?? item.closedOn ?? item.deadline
            if done <= item.deadline {
                fixed = .closedOnTime
            } else {
                fixed = .closedLate
                lateDays = item.deadline.days(to: done)
            }
        case .withdrawn, .suspended:
            fixed = Light.none
        case .review where item.completionRequestedOn.map { $0 <= item.deadline } ?? false:
            fixed = .green
        case .review where item.completionRequestedOn == nil:
            // Green up to the deadline (the report's day is taken as today), red after it.
            redFrom = item.deadline.adding(days: 1)
        case .pending, .active, .review:
            redFrom = item.deadline.adding(days: 1)
            yellowFrom = LightThresholds.firstDay(withAtMost: settings.dueSoonWorkdays, workdaysThrough: item.deadline, calendar)
            if item.state == .pending, !item.declinePending {
                // Overdue once more than the allowed working days have passed since assignment.
                signOverdueFrom = calendar.adding(workdays: settings.signWithinWorkdays + 1, to: item.assignedOn)
            }
        }
        if item.state == .active, let cycle = item.feedbackCycle {
            let next = cycle.nextDue(feedbackDays: item.feedbackDays, assignedOn: item.assignedOn, calendar: calendar)
            feedbackOverdueFrom = next.adding(days: 1)
        }
    }

    /// The first day d with at most `n` working days in (d, deadline]: the (n+1)-th working day
    /// counted back from the deadline (the deadline itself counted when it is one).
    static func firstDay(withAtMost n: Int, workdaysThrough deadline: Day, _ calendar: WorkCalendar) -> Day? {
        var found = 0
        var d = deadline
        // Far enough back for any count of working days a setting allows.
        for _ in 0..<(7 * (n + 1) + 400) {
            if calendar.isWorkday(d) {
                found += 1
                if found == n + 1 { return d }
            }
            d = d.adding(days: -1)
        }
        return nil
    }

    public func light(on today: Day) -> Light {
        if let fixed { return fixed }
        if let r = redFrom, today >= r { return .red }
        if let y = yellowFrom, today >= y { return .yellow }
        return .green
    }

    public func signOverdue(on today: Day) -> Bool { signOverdueFrom.map { today >= $0 } ?? false }

    public func feedbackOverdue(on today: Day) -> Bool { feedbackOverdueFrom.map { today >= $0 } ?? false }

    /// What the thresholds were computed with: the calendar's tables and the settings they
    /// read. A store that keeps thresholds recomputes them all when this differs.
    public static func fingerprint(calendar: WorkCalendar, settings: Settings) -> String {
        // The version of the rules the stored columns follow (3: a 分别办理 item shows 待签收,
        // 待审核 or 暂缓 from its parts, `Ledger.shownState`; 4: the search text's grams,
        // `SearchIndex.grams`): a store whose columns were counted under other rules counts them
        // again.
        var text = "columns=4;due-soon=\(settings.dueSoonWorkdays);sign=\(settings.signWithinWorkdays)"
        for year in calendar.tables.keys.sorted() {
            guard let t = calendar.tables[year] else { continue }
            text += ";\(year):"
            for h in t.holidays { text += "h\(h.from)-\(h.to)," }
            for w in t.workdays.sorted() { text += "w\(w)," }
        }
        return text
    }
}
