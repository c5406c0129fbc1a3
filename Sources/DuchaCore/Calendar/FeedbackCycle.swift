/// 定期反馈: a fixed feedback cycle an item carries until it is done. Each due date that falls
/// on a day off moves to the next working day (遇节假日顺延).
public enum FeedbackCycle: Hashable, Sendable, CustomStringConvertible {
    /// Every week, by the given ISO weekday (1 = Monday … 7 = Sunday).
    case weekly(weekday: Int)
    /// Every month, by the given day (a day past the month's end means its last day).
    case monthly(day: Int)
    /// Every quarter, by the given day of the quarter's last month (31: the quarter's end).
    case quarterly(day: Int)

    static let weekdays = ["一", "二", "三", "四", "五", "六", "日"]

    /// 每周五 / 每月25日 / 每季度末 / 每季度末月20日
    public var description: String {
        switch self {
        case .weekly(let w): return "每周" + FeedbackCycle.weekdays[w - 1]
        case .monthly(let d): return d >= 31 ? "每月末" : "每月\(d)日"
        case .quarterly(let d): return d >= 31 ? "每季度末" : "每季度末月\(d)日"
        }
    }

    /// The stored form: weekly:5, monthly:25, quarterly:31.
    public var code: String {
        switch self {
        case .weekly(let w): return "weekly:\(w)"
        case .monthly(let d): return "monthly:\(d)"
        case .quarterly(let d): return "quarterly:\(d)"
        }
    }

    /// Reads 每周五, 每周5, 每月25日, 每月25号, 每月末, 每季度, 每季度末, 每季度末月20日 — or the stored code.
    public static func parse(_ text: String) throws(CoreError) -> FeedbackCycle {
        let t = text.trimmingSpaces.replacingAll(" ", with: "")
        let parts = t.split(separator: ":")
        if parts.count == 2, let n = Int(parts[1]) {
            switch parts[0] {
            case "weekly" where (1...7).contains(n): return .weekly(weekday: n)
            case "monthly" where (1...31).contains(n): return .monthly(day: n)
            case "quarterly" where (1...31).contains(n): return .quarterly(day: n)
            default: break
            }
        }
        func number(_ s: Substring) -> Int? {
            let digits = s.filter { $0.asciiDigitValue != nil }
            return digits.isEmpty ? nil : Int(digits)
        }
        if t.hasPrefix("每周") || t.hasPrefix("周") {
            let rest = t.drop(while: { $0 != "周" }).dropFirst()
            if let i = weekdays.firstIndex(of: String(rest.prefix(1))) { return .weekly(weekday: i + 1) }
            if rest.first == "天" { return .weekly(weekday: 7) }
            if let n = number(rest), (1...7).contains(n) { return .weekly(weekday: n) }
        } else if t.hasPrefix("每季度") {
            let rest = t.dropFirst(3)
            if rest.isEmpty || rest == "末" { return .quarterly(day: 31) }
            if let n = number(rest), (1...31).contains(n) { return .quarterly(day: n) }
        } else if t.hasPrefix("每月") {
            let rest = t.dropFirst(2)
            if rest.isEmpty || rest == "末" || rest == "底" { return .monthly(day: 31) }
            if let n = number(rest), (1...31).contains(n) { return .monthly(day: n) }
        }
        throw .invalidField("反馈周期", "“\(text.sanitized())”无法识别；可写 每周五、每月25日、每月末、每季度末 或 无")
    }

    /// The nominal due date of the period that contains `day` (the first due date on or after it).
    func nominalDue(onOrAfter day: Day) -> Day {
        switch self {
        case .weekly(let w):
            return day.adding(days: (w - day.weekday + 7) % 7)
        case .monthly(let d):
            let thisMonth = FeedbackCycle.clamped(year: day.year, month: day.month, day: d)
            if thisMonth >= day { return thisMonth }
            let next = day.adding(months: 1)
            return FeedbackCycle.clamped(year: next.year, month: next.month, day: d)
        case .quarterly(let d):
            var y = day.year
            var m = ((day.month - 1) / 3) * 3 + 3
            var due = FeedbackCycle.clamped(year: y, month: m, day: d)
            if due < day {
                m += 3
                if m > 12 {
                    m -= 12
                    y += 1
                }
                due = FeedbackCycle.clamped(year: y, month: m, day: d)
            }
            return due
        }
    }

    static func clamped(year: Int, month: Int, day: Int) -> Day {
        Day(year: year, month: month, day: min(day, Day.daysIn(month: month, year: year)))!
    }

    /// The nominal due date after `due`.
    func nominalDue(after due: Day) -> Day { nominalDue(onOrAfter: due.adding(days: 1)) }

    /// When the next feedback is due. Each period ends on a due date (moved to the next
    /// working day when it falls on a day off); the first ends at least three days after
    /// assignment. Reports are taken in order, each satisfying the earliest period not yet
    /// satisfied that has already begun: a late report catches up the period it was late for,
    /// but a report can never count for a period that has not started. The answer is the due
    /// date of the first period left unsatisfied.
    public func nextDue(feedbackDays: [Day], assignedOn: Day, calendar: WorkCalendar) -> Day {
        var start = assignedOn
        var nominal = nominalDue(onOrAfter: assignedOn.adding(days: 3))
        var i = 0
        let reports = feedbackDays.sorted()
        while true {
            // A report from before this period began was a second one in an earlier period.
            while i < reports.count, reports[i] < start { i += 1 }
            guard i < reports.count else { break }
            i += 1
            start = nominal.adding(days: 1)
            nominal = nominalDue(after: nominal)
        }
        var d = nominal
        while !calendar.isWorkday(d) { d = d.adding(days: 1) }
        return d
    }
}

/// A default time limit (办理时限): a number of working days, or of months.
public struct TimeLimit: Hashable, Sendable, CustomStringConvertible {
    public enum Unit: Hashable, Sendable { case workdays, months }
    public var amount: Int
    public var unit: Unit

    public init(_ amount: Int, _ unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// 15个工作日 / 3个月
    public var description: String { unit == .workdays ? "\(amount)个工作日" : "\(amount)个月" }

    /// Reads 15、15工作日、15个工作日、3个月、3月.
    public static func parse(_ text: String) throws(CoreError) -> TimeLimit {
        let t = text.trimmingSpaces
        let digits = t.prefix(while: { $0.asciiDigitValue != nil })
        let rest = String(t.dropFirst(digits.count)).replacingAll("个", with: "")
        guard let n = Int(digits), n > 0, n <= 1000 else {
            throw .invalidField("办理时限", "“\(text.sanitized())”无效；可写 15个工作日 或 3个月")
        }
        switch rest {
        case "", "工作日", "天", "日": return TimeLimit(n, .workdays)
        case "月": return TimeLimit(n, .months)
        default: throw .invalidField("办理时限", "“\(text.sanitized())”无效；可写 15个工作日 或 3个月")
        }
    }

    /// The deadline for an item assigned on `day`.
    public func deadline(from day: Day, calendar: WorkCalendar) -> Day {
        switch unit {
        case .workdays: return calendar.adding(workdays: amount, to: day)
        case .months:
            var d = day.adding(months: amount)
            while !calendar.isWorkday(d) { d = d.adding(days: 1) }
            return d
        }
    }
}
