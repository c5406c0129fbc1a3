/// One year's statutory holidays and adjusted working weekends (调休上班), as the State Council
/// publishes them each November. Read from data/calendar/YYYY.json.
public struct HolidayTable: Sendable, Equatable {
    public struct Holiday: Sendable, Equatable {
        public var name: String
        public var from: Day
        public var to: Day

        public init(name: String, from: Day, to: Day) {
            self.name = name
            self.from = from
            self.to = to
        }
    }

    public var year: Int
    /// Where the table comes from (the notice's title).
    public var source: String
    public var holidays: [Holiday]
    /// Weekend days declared working days.
    public var workdays: [Day]

    public init(year: Int, source: String = "", holidays: [Holiday], workdays: [Day]) {
        self.year = year
        self.source = source
        self.holidays = holidays
        self.workdays = workdays
    }

    /// The holidays of a table as written (a calendar file, or a recorded `calendar.add` entry).
    static func readHolidays(_ r: inout JSONReader) throws(JSONError) -> [(name: String, from: String, to: String)] {
        var out: [(name: String, from: String, to: String)] = []
        try r.beginArray()
        while try r.nextElement() {
            var h = (name: "", from: "", to: "")
            try r.beginObject()
            while let k = try r.nextKey() {
                switch k {
                case "name": h.name = try r.readString()
                case "from": h.from = try r.readString()
                case "to": h.to = try r.readString()
                default: try r.skipValue()
                }
            }
            out.append(h)
        }
        return out
    }

    /// Parses and checks a calendar file: every date in its year, holiday ranges in order,
    /// adjusted working days on weekends only.
    public static func decode(_ bytes: [UInt8], file: String) throws(CoreError) -> HolidayTable {
        var year = 0
        var source = ""
        var rawHolidays: [(name: String, from: String, to: String)] = []
        var rawWorkdays: [String] = []
        do throws(JSONError) {
            try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) in
                try r.beginObject()
                while let key = try r.nextKey() {
                    switch key {
                    case "year": year = try r.readInt()
                    case "source": source = try r.readString()
                    case "holidays": rawHolidays = try readHolidays(&r)
                    case "workdays":
                        try r.beginArray()
                        while try r.nextElement() {
                            guard r.peekKind() == .object else {
                                rawWorkdays.append(try r.readString())
                                continue
                            }
                            try r.beginObject()
                            while let k = try r.nextKey() {
                                if k == "date" { rawWorkdays.append(try r.readString()) } else { try r.skipValue() }
                            }
                        }
                    default: try r.skipValue()
                    }
                }
                try r.expectEnd()
            }
        } catch {
            throw .malformed(file, "不是有效的 JSON：\(error)")
        }
        func day(_ text: String) throws(CoreError) -> Day {
            guard let d = Day.parseStored(text) else { throw .malformed(file, "日期“\(text.sanitized())”无效") }
            return d
        }
        var holidays: [Holiday] = []
        for h in rawHolidays {
            holidays.append(Holiday(name: h.name, from: try day(h.from), to: try day(h.to.isEmpty ? h.from : h.to)))
        }
        var workdays: [Day] = []
        for w in rawWorkdays { workdays.append(try day(w)) }
        let table = HolidayTable(year: year, source: source, holidays: holidays, workdays: workdays)
        try table.check(file: file)
        return table
    }

    func check(file: String) throws(CoreError) {
        guard (1900...2999).contains(year) else { throw .malformed(file, "缺少有效的 year") }
        for h in holidays {
            guard !h.name.isEmpty else { throw .malformed(file, "有节日没有名称") }
            guard h.from <= h.to else { throw .malformed(file, "\(h.name) 的起止日期颠倒") }
            guard h.from.year == year || h.to.year == year else {
                throw .malformed(file, "\(h.name)（\(h.from)–\(h.to)）不在 \(year) 年")
            }
        }
        for w in workdays {
            guard w.isWeekend else { throw .malformed(file, "调休上班日 \(w) 不是周末") }
        }
    }
}

/// Working days: Monday to Friday, minus statutory holidays, plus the weekend days declared
/// working days. Years without a table count weekends only; `hasTable` lets callers say so.
public struct WorkCalendar: Sendable {
    public let tables: [Int: HolidayTable]
    var holidayNames: [Day: String] = [:]
    var adjustedWorkdays: Set<Day> = []
    /// Prefix sums of working days over [base, base + count): cumulative[i] = working days in
    /// [base, base + i). Makes every count O(1). The window covers only the years the tables
    /// speak of (every command builds it); outside it a working day is a weekday, counted by
    /// arithmetic.
    let base: Int
    var cumulative: [Int32] = []

    public init(tables: [HolidayTable]) {
        var byYear: [Int: HolidayTable] = [:]
        for t in tables { byYear[t.year] = t }
        self.tables = byYear
        var low = Int.max
        var high = Int.min
        for t in tables {
            for h in t.holidays {
                var d = h.from
                while d <= h.to {
                    holidayNames[d] = h.name
                    d = d.adding(days: 1)
                }
            }
            adjustedWorkdays.formUnion(t.workdays)
            low = min(low, Day(year: t.year, month: 1, day: 1)?.serial ?? low)
            high = max(high, Day(year: t.year + 1, month: 1, day: 1)?.serial ?? high)
        }
        for d in holidayNames.keys { (low, high) = (min(low, d.serial), max(high, d.serial + 1)) }
        for d in adjustedWorkdays { (low, high) = (min(low, d.serial), max(high, d.serial + 1)) }
        guard low < high else {
            base = 0
            return
        }
        base = low
        let count = high - low
        var work = [Bool](repeating: false, count: count)
        work.withUnsafeMutableBufferPointer { w in
            var weekday = (Day(serial: base).weekday - 1) % 7  // 0 = Monday … 6 = Sunday
            for i in 0..<count {
                w[i] = weekday < 5
                weekday = weekday == 6 ? 0 : weekday + 1
            }
        }
        for d in holidayNames.keys { work[d.serial - base] = false }
        for d in adjustedWorkdays { work[d.serial - base] = true }
        cumulative = [Int32](unsafeUninitializedCapacity: count + 1) { sums, initialized in
            var running: Int32 = 0
            sums[0] = 0
            work.withUnsafeBufferPointer { w in
                for i in 0..<count {
                    if w[i] { running += 1 }
                    sums[i + 1] = running
                }
            }
            initialized = count + 1
        }
    }

    /// Monday, 1 January 1900: weekdays are counted from it.
    static let monday = Day(year: 1900, month: 1, day: 1)!.serial

    /// Weekdays (Monday to Friday) among the days before serial `s`, from `monday` on.
    static func weekdays(before s: Int) -> Int {
        let d = s - monday
        let (weeks, rest) = d >= 0 ? (d / 7, d % 7) : ((d - 6) / 7, ((d % 7) + 7) % 7)
        return weeks * 5 + min(rest, 5)
    }

    /// Working days in [base, `s`) (negative before the window): the table inside the window,
    /// weekdays outside it.
    func counted(before s: Int) -> Int {
        let end = base + cumulative.count - 1
        if cumulative.isEmpty { return WorkCalendar.weekdays(before: s) }
        if s < base { return WorkCalendar.weekdays(before: s) - WorkCalendar.weekdays(before: base) }
        if s <= end { return Int(cumulative[s - base]) }
        return Int(cumulative[cumulative.count - 1]) + WorkCalendar.weekdays(before: s) - WorkCalendar.weekdays(before: end)
    }

    /// Weekends only: for tests and for a repository without calendar files.
    public static let weekendsOnly = WorkCalendar(tables: [])

    public func hasTable(for year: Int) -> Bool { tables[year] != nil }

    /// The years in `years` that have no holiday table.
    public func missingYears(_ years: some Sequence<Int>) -> [Int] {
        Array(Set(years.filter { !hasTable(for: $0) })).sorted()
    }

    public func isWorkday(_ d: Day) -> Bool {
        let i = d.serial - base
        if i >= 0, i + 1 < cumulative.count { return cumulative[i + 1] != cumulative[i] }
        return !d.isWeekend
    }

    /// The holiday a day falls in, if any.
    public func holiday(on d: Day) -> String? { holidayNames[d] }

    /// Working days d with a < d <= b (0 when b <= a): from today, how many working days are
    /// left up to and including the deadline.
    public func workdays(after a: Day, through b: Day) -> Int {
        guard b > a else { return 0 }
        return counted(before: b.serial + 1) - counted(before: a.serial + 1)
    }

    /// The `n`-th working day after `d` (n >= 1); for n = 0, `d` itself.
    public func adding(workdays n: Int, to d: Day) -> Day {
        var left = n
        var day = d
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkday(day) { left -= 1 }
        }
        return day
    }
}

extension WorkCalendar: Equatable {
    /// Two calendars count the same working days when they hold the same tables.
    public static func == (a: WorkCalendar, b: WorkCalendar) -> Bool { a.tables == b.tables }
}

extension WorkCalendar {
    /// A typed deadline: a date, or +N (N working days after `from`).
    public func deadline(_ text: String, from: Day) throws(CoreError) -> Day {
        // Full-width digits as an input method types them (２０２６-12-31, ＋１０) read as ASCII.
        let t = LedgerDates.ascii(text)
        if t.hasPrefix("+") || t.hasPrefix("＋") {
            guard let n = Int(t.dropFirst()), (1...1000).contains(n) else {
                throw .invalidDate(t, "+N 中的 N 应为 1 到 1000 个工作日")
            }
            return adding(workdays: n, to: from)
        }
        if let d = try? Day.parse(t) { return d }
        // As people write deadlines (the same words a ledger sheet may hold): 2026.12.31,
        // 2026年12月31日, 12月31日, 年底前, 6月底前, 上半年, 三季度 — in the year of `from`.
        switch LedgerDates.deadline(t, assigned: from) {
        case .day(let d, let understood) where !(understood ?? "").hasPrefix("Excel"): return d
        case .longTerm:
            throw .invalidDate(t, "长期事项没有期限，无法亮灯督办；请写明阶段时限，如 年底前、6月底前、2026-12-31")
        case .invalid(let why): throw .invalidDate(t, why)
        case .day: return try Day.parse(t)
        }
    }
}

extension WorkCalendar: CustomStringConvertible, CustomDebugStringConvertible {
    /// 工作日历（2025、2026年节假日安排）: not the day tables, which fill a screen.
    public var description: String {
        "工作日历（" + (tables.isEmpty ? "仅按周末计算" : tables.keys.sorted().map { "\($0)" }.joined(separator: "、") + "年节假日安排") + "）"
    }
    public var debugDescription: String { description }
}
