/// A calendar date in the office's calendar (no time, no time zone), stored as the number of
/// days since 1970-01-01 so that comparisons and differences are plain integer arithmetic.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let serial: Int

    public init(serial: Int) { self.serial = serial }

    /// Creates a date from its parts, or nil when the parts do not name a real date
    /// (2026-02-30, month 13, year outside 1900...2999).
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month),
            (1...Day.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        serial = Day.serialFrom(year: year, month: month, day: day)
    }

    public var year: Int { parts.year }
    public var month: Int { parts.month }
    public var day: Int { parts.day }

    /// Year, month and day (Howard Hinnant's civil-from-days algorithm).
    public var parts: (year: Int, month: Int, day: Int) {
        let z = serial + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday. 1970-01-01 was a Thursday.
    public var weekday: Int {
        let r = (serial + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> Day { Day(serial: serial + days) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: Day) -> Int { other.serial - serial }

    /// The same day of month `months` later, clamped to the month's last day (1-31 + 1 month = 2-28).
    public func adding(months: Int) -> Day {
        let p = parts
        let total = p.year * 12 + (p.month - 1) + months
        let y = total / 12
        let m = total % 12 + 1
        let d = min(p.day, Day.daysIn(month: m, year: y))
        return Day(serial: Day.serialFrom(year: y, month: m, day: d))
    }

    /// 2026-09-30
    public var description: String {
        let p = parts
        return "\(p.year)-\(Day.pad2(p.month))-\(Day.pad2(p.day))"
    }

    /// 2026年9月30日
    public var chinese: String {
        let p = parts
        return "\(p.year)年\(p.month)月\(p.day)日"
    }

    /// 9月30日
    public var chineseShort: String {
        let p = parts
        return "\(p.month)月\(p.day)日"
    }

    /// 星期三
    public var chineseWeekday: String {
        ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][weekday - 1]
    }

    public static func < (a: Day, b: Day) -> Bool { a.serial < b.serial }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func serialFrom(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension Day {
    /// Parses what a clerk types for a date: 2026-09-30, 2026-9-30, 2026/9/30, 2026.9.30,
    /// 20260930 or 2026年9月30日. Throws a Chinese message that says what is wrong.
    public static func parse(_ text: String) throws(CoreError) -> Day {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw .invalidDate(text, "日期为空") }
        var numbers: [Int] = []
        var current: Int? = nil
        var digitsInCurrent = 0
        var separators: [Character] = []
        for ch in trimmed {
            if let v = ch.asciiDigitValue {
                digitsInCurrent += 1
                guard digitsInCurrent <= 8 else { throw .invalidDate(text, "格式应为 年-月-日，如 2026-09-30") }
                current = (current ?? 0) * 10 + v
            } else if "-/.年月日".contains(ch) {
                guard let c = current else { throw .invalidDate(text, "格式应为 年-月-日，如 2026-09-30") }
                numbers.append(c)
                separators.append(ch)
                current = nil
                digitsInCurrent = 0
            } else {
                throw .invalidDate(text, "格式应为 年-月-日，如 2026-09-30")
            }
        }
        if let c = current { numbers.append(c) }
        if numbers.count == 1, trimmed.count == 8, separators.isEmpty, let n = numbers.first {
            numbers = [n / 10000, n / 100 % 100, n % 100]
        }
        let chineseForm = separators.contains("年")
        if chineseForm {
            guard separators == ["年", "月", "日"] || separators == ["年", "月"] else {
                throw .invalidDate(text, "格式应为 2026年9月30日")
            }
        } else if !separators.isEmpty {
            guard separators.count == 2, separators[0] == separators[1] else {
                throw .invalidDate(text, "格式应为 年-月-日，如 2026-09-30")
            }
        }
        guard numbers.count == 3 else { throw .invalidDate(text, "格式应为 年-月-日，如 2026-09-30") }
        let (y, m, d) = (numbers[0], numbers[1], numbers[2])
        guard (1900...2999).contains(y) else { throw .invalidDate(text, "年份 \(y) 不在 1900–2999 之间") }
        guard (1...12).contains(m) else { throw .invalidDate(text, "没有 \(m) 月") }
        let last = Day.daysIn(month: m, year: y)
        guard (1...last).contains(d) else { throw .invalidDate(text, "\(y)年\(m)月只有\(last)天") }
        return Day(year: y, month: m, day: d)!
    }

    /// Parses the canonical stored form YYYY-MM-DD only (what the repository writes).
    public static func parseStored(_ text: String) -> Day? {
        var text = text
        return text.withUTF8 { parseStored(utf8: $0) }
    }

    /// The same, from UTF-8 bytes (the JSON reader passes them without making a String).
    public static func parseStored(utf8 u: UnsafeBufferPointer<UInt8>) -> Day? {
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let c = u[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        return Day(year: y, month: m, day: d)
    }
}

extension Character {
    var asciiDigitValue: Int? {
        guard let a = asciiValue, a >= 0x30, a <= 0x39 else { return nil }
        return Int(a - 0x30)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, newlines and full-width spaces.
    public var trimmingSpaces: String {
        // Most text has nothing to trim: look at the first and last bytes only.
        let whole = String(self)
        let u = whole.utf8
        if let f = u.first, let l = u.last, f != 0x20, f != 0x09, f != 0x0A, f != 0x0D, f != 0xE3, l != 0x20, l != 0x09,
            l != 0x0A, l != 0x0D, l != 0x80
        {
            return whole
        }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{3000}" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
