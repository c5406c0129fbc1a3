/// Dates as people type them into a ledger sheet, and deadlines in words (年底前, 6月底前, 二季度).
public enum LedgerDates {
    public enum Reading: Sendable, Equatable {
        /// The day, and how the text was understood when it was not written as a date.
        case day(Day, understood: String?)
        /// 长期 / 持续推进: no deadline.
        case longTerm
        case invalid(String)
    }

    /// Words meaning the work has no end date.
    public static let longTermWords: Set<String> = ["长期", "长期坚持", "持续推进", "长期推进", "常态化", "持续", "长期任务"]

    /// A date cell: 2024-05-06, 2024.5.6, 2024/05/06, 20240506, 2024年5月6日, a date and time as
    /// Excel writes one (2024/5/6 0:00, 2024-05-06 00:00:00), an Excel serial number (45418), or —
    /// with the year from `assigned` — 5月6日.
    public static func date(_ raw: String, assigned: Day? = nil) -> Reading {
        let text = ascii(raw)
        guard !text.isEmpty else { return .invalid("日期为空") }
        var datePart = text
        if let sep = text.firstIndex(where: { $0 == " " || $0 == "T" }) {
            let rest = text[text.index(after: sep)...].trimmingSpaces
            if rest.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":" || $0 == ".") }), rest.contains(":") {
                datePart = String(text[..<sep])
            }
        }
        if let d = try? Day.parse(datePart) {
            return .day(d, understood: datePart == text ? nil : "日期时间取日期")
        }
        if datePart.count == 5, let n = Int(datePart), (20_000...80_000).contains(n) {
            let d = excelSerial(Double(n), base1904: false)
            return .day(d, understood: "Excel 日期序号 \(n)")
        }
        // 5月6日: the month and day, in the year of the assignment (the next one if already past).
        if let assigned, let (m, d) = monthDay(datePart) {
            guard let day = Day(year: assigned.year, month: m, day: d) else { return .invalid("没有\(m)月\(d)日") }
            let result = day < assigned ? Day(year: assigned.year + 1, month: m, day: d) ?? day : day
            return .day(result, understood: "按交办日期取\(result.year)年")
        }
        do throws(CoreError) {
            _ = try Day.parse(datePart)
        } catch {
            if case .invalidDate(_, let why) = error { return .invalid(why) }
        }
        return .invalid("格式应为 年-月-日，如 2026-09-30")
    }

    /// A deadline cell: a date as above, or words — 年底前 (12-31), N月底前 / N月末 (the month's
    /// last day), 上半年 (06-30), 下半年 (12-31), 一季度…四季度 (the quarter's last day), in the year
    /// of the assignment (or the one written: 2026年底前); 长期 / 持续推进 is `.longTerm`.
    public static func deadline(_ raw: String, assigned: Day?) -> Reading {
        var text = ascii(raw)
        if longTermWords.contains(text) { return .longTerm }
        if case .day(let d, let u) = date(text, assigned: assigned) { return .day(d, understood: u) }
        for suffix in ["完成", "之前", "以前", "前"] where text.hasSuffix(suffix) && text.count > suffix.count {
            text.removeLast(suffix.count)
            break
        }
        var year = assigned?.year
        var explicit = false
        if let y = text.firstIndex(of: "年"), let n = Int(text[..<y]), (1900...2999).contains(n) {
            year = n
            explicit = true
            text = String(text[text.index(after: y)...])
        }
        func inYear(_ m: Int, _ d: Int?) -> Reading {
            guard let year else { return .invalid("“\(raw.sanitized())”须有交办日期才能确定年份") }
            let day = Day(year: year, month: m, day: d ?? Day.daysIn(month: m, year: year))!
            // Written without a year and already past on the day of assignment: the next year's.
            if let assigned, day < assigned, !explicit {
                let next = Day(year: year + 1, month: m, day: d ?? Day.daysIn(month: m, year: year + 1))!
                return .day(next, understood: "“\(raw.sanitized())”即 \(next)")
            }
            return .day(day, understood: "“\(raw.sanitized())”即 \(day)")
        }
        switch text {
        case "年底", "年末", "年内", "年终", "底", "末": return inYear(12, 31)
        case "上半年": return inYear(6, 30)
        case "下半年": return inYear(12, 31)
        default: break
        }
        let quarters = ["一季度": 3, "二季度": 6, "三季度": 9, "四季度": 12, "1季度": 3, "2季度": 6, "3季度": 9, "4季度": 12]
        var q = text
        if q.hasPrefix("第") { q.removeFirst() }
        if q.hasSuffix("末") || q.hasSuffix("底") { q.removeLast() }
        if let m = quarters[q] { return inYear(m, nil) }
        for end in ["月底", "月末", "月份", "月"] where text.hasSuffix(end) {
            let m = String(text.dropLast(end.count))
            if let n = month(m) { return inYear(n, nil) }
        }
        if case .invalid(let why) = date(raw, assigned: assigned) {
            return .invalid("\(why)；也可写 年底前、6月底前、上半年、三季度、长期")
        }
        return .invalid("格式应为 年-月-日")
    }

    /// 6 or 六 or 十二 as a month number.
    static func month(_ s: String) -> Int? {
        if let n = Int(s), (1...12).contains(n) { return n }
        let names = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
        return names.firstIndex(of: s).map { $0 + 1 }
    }

    static func monthDay(_ s: String) -> (Int, Int)? {
        guard s.hasSuffix("日") || s.hasSuffix("号"), let m = s.firstIndex(of: "月") else { return nil }
        guard let month = month(String(s[..<m])), let day = Int(s[s.index(after: m)...].dropLast()) else { return nil }
        return (month, day)
    }

    /// Full-width digits and punctuation as ASCII, surrounding spaces trimmed.
    public static func ascii(_ s: String) -> String {
        var out = ""
        for u in s.trimmingSpaces.unicodeScalars {
            if (0xFF10...0xFF19).contains(u.value) || u.value == 0xFF0F || u.value == 0xFF0E || u.value == 0xFF0D
                || u.value == 0xFF1A
            {
                out.unicodeScalars.append(UnicodeScalar(u.value - 0xFEE0)!)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Excel's serial date: days since 1899-12-30 (the 1900 system, whose phantom 1900-02-29 is
    /// before every date a ledger holds) or since 1904-01-01.
    public static func excelSerial(_ value: Double, base1904: Bool) -> Day {
        let whole = Int(value.rounded(.down))
        // 1900-01-01 is serial 2 counted from 1899-12-30 (a day before the calendar's start).
        return base1904
            ? Day(year: 1904, month: 1, day: 1)!.adding(days: whole) : Day(year: 1900, month: 1, day: 1)!.adding(days: whole - 2)
    }

    /// The serial number of a day in the 1900 system, as .xlsx files written by ducha carry it.
    public static func excelSerial(of day: Day) -> Int { Day(year: 1900, month: 1, day: 1)!.days(to: day) + 2 }
}
