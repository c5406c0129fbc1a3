/// 逾期事项通报: the numbered notice that names the units whose items are past their deadline.
/// Built from the ledger as it stands on a day; rendered as text for printing (aligned for
/// Chinese), CSV for Excel and JSON for other programs, all with the same content.
public struct OverdueNotice: Sendable {
    public struct Row: Sendable {
        /// 序号 within its section.
        public var index: Int
        public var item: Item
        public var status: ItemStatus
        /// 最新进展: the latest feedback, dated, shortened.
        public var progress: String
    }

    public struct Group: Sendable {
        public var unit: String
        public var rows: [Row]
    }

    public var title: String
    public var office: String
    /// 第N期.
    public var serial: Int
    public var date: Day
    /// True until the notice is issued (`export overdue --issue`).
    public var preview: Bool
    public var overview: Overview
    /// Overdue items by lead unit, worst unit first.
    public var groups: [Group]
    /// Items due soon, when the notice includes them (nearest deadline first).
    public var dueSoon: [Row]?
    /// The threshold of 临期, for the section heading.
    public var dueSoonWorkdays: Int
    /// The date by which named units reply in writing.
    public var replyBy: Day
    /// The 台账校验码 printed at the foot (the ledger's chain head when the notice was made).
    public var ledgerCode: LedgerCode? = nil

    /// The longest latest-progress text shown, in characters.
    public static let progressLimit = 60

    /// `overview`: the counts of all the items the notice is about, when `items` holds only
    /// the overdue and due-soon ones (a database counted them); else counted from `items`.
    public init(
        items: [Item], evaluator: StatusEvaluator, serial: Int, preview: Bool, includeDueSoon: Bool = false,
        overview given: Overview? = nil
    ) {
        let settings = evaluator.settings
        title = settings.noticeTitle
        office = settings.officeName
        self.serial = serial
        date = evaluator.today
        self.preview = preview

        dueSoonWorkdays = settings.dueSoonWorkdays
        replyBy = evaluator.calendar.adding(workdays: settings.replyWithinWorkdays, to: evaluator.today)
        // Grouped and sorted by reference (item index and status) before any row is built.
        var byUnit: [TextKey: [(item: Int, status: ItemStatus)]] = [:]
        var soonRefs: [(item: Int, status: ItemStatus)] = []
        var overview = Overview()
        items.withUnsafeBufferPointer { items in
            for i in items.indices {
                let facts = Item.statusFacts(at: items.baseAddress! + i)
                let s = evaluator.status(facts)
                overview.add(facts, s, today: evaluator.today)
                if s.light == .red {
                    byUnit[TextKey(items[i].leadUnit), default: []].append((i, s))
                } else if includeDueSoon, s.light == .yellow {
                    soonRefs.append((i, s))
                }
            }
        }
        var refs = byUnit.map { (unit: $0.key.text, rows: $0.value) }
        items.withUnsafeBufferPointer { items in
            for g in refs.indices {
                refs[g].rows.sort {
                    let (a, b) = ($0.status.overdueDays ?? 0, $1.status.overdueDays ?? 0)
                    return a != b ? a > b : items[$0.item].number < items[$1.item].number
                }
            }
        }
        // Worst first: most overdue items, then the longest delay, then the name.
        refs.sort { a, b in
            if a.rows.count != b.rows.count { return a.rows.count > b.rows.count }
            let (am, bm) = (a.rows.first?.status.overdueDays ?? 0, b.rows.first?.status.overdueDays ?? 0)
            if am != bm { return am > bm }
            return a.unit < b.unit
        }
        func row(_ r: (item: Int, status: ItemStatus)) -> Row {
            let item = items[r.item]  // one copy, kept in the row
            return Row(index: 0, item: item, status: r.status, progress: OverdueNotice.progress(of: item))
        }
        self.overview = given ?? overview
        var groups = refs.map { Group(unit: $0.unit, rows: $0.rows.map(row)) }
        var soon = soonRefs.map(row)
        var index = 0
        for g in groups.indices {
            for r in groups[g].rows.indices {
                index += 1
                groups[g].rows[r].index = index
            }
        }
        self.groups = groups
        if includeDueSoon {
            soon.sort { ($0.item.deadline, $0.item.number) < ($1.item.deadline, $1.item.number) }
            for i in soon.indices { soon[i].index = i + 1 }
            dueSoon = soon
        }
    }

    public var overdueCount: Int { groups.reduce(0) { $0 + $1.rows.count } }

    /// "11月3日：已完成方案编制" or "（未反馈）".
    public static func progress(of item: Item) -> String { progress(item.latestProgress) }

    /// The same of a progress given.
    static func progress(_ progress: Item.Progress?) -> String {
        guard let p = progress else { return "（未反馈）" }
        let flat = p.text.sanitized().trimmingSpaces
        let short =
            flat.utf8.count > progressLimit && flat.count > progressLimit ? String(flat.prefix(progressLimit - 1)) + "…" : flat
        return "\(p.day.chineseShort)：\(short)"
    }

    /// 第1期, or 第1期（预览） before the notice is issued.
    public var serialText: String { "第\(serial)期" + (preview ? "（预览）" : "") }

    public var summary: String {
        let o = overview
        var s = "截至\(date.chinese)，纳入督查督办的事项共\(o.total)件。已办结\(o.closed)件，办结率\(ChineseText.percent(o.closed, of: o.total))，"
        s += "其中按时办结\(o.closedOnTime)件、逾期办结\(o.closedLate)件，按时办结率\(o.onTimeRate)；"
        s += "在办\(o.open)件，其中逾期未办结\(o.overdue)件，占在办事项的\(ChineseText.percent(o.overdue, of: o.open))，临期\(o.dueSoon)件。"
        if o.feedbackOverdue > 0 { s += "另有\(o.feedbackOverdue)件未按规定周期反馈进展。" }
        if o.overdue == 0 {
            s += "目前没有逾期未办结的事项。"
        } else {
            s += dueSoon == nil ? "现将逾期未办结事项通报如下。" : "现将逾期未办结事项和临期事项通报如下。"
        }
        return s
    }

    public static let headers = ["序号", "编号", "事项", "来源", "批示领导", "牵头单位", "配合单位", "时限", "逾期天数", "最新进展"]

    public static func cells(_ r: borrowing Row) -> [String] {
        [
            String(r.index), r.item.shownNumber, r.item.title, r.item.source, r.item.leader, r.item.leadUnit,
            r.item.coUnits.joined(separator: "、"), r.item.deadline.description, String(r.status.overdueDays ?? 0), r.progress,
        ].map { $0.sanitized() }
    }

    /// A table layout for a section: columns wrapped to fit `width`, the number split after 〕
    /// when even that does not fit.
    static func table(_ headers: [String], _ rows: [[String]], width: Int) -> (table: TextTable, widths: [Int]) {
        var columns: [TextTable.Column] = headers.map { h in
            switch h {
            case "序号": return .init(h, alignRight: true)
            case "编号", "时限": return .init(h)
            case "事项": return .init(h, weight: 3, minWidth: 6)
            case "来源": return .init(h, weight: 1, minWidth: 8, maxWidth: 8)
            case "批示领导": return .init(h, weight: 1, minWidth: 6, maxWidth: 6)
            case "逾期天数": return .init(h, alignRight: true, weight: 1, minWidth: 4, maxWidth: 4)
            case "剩余工作日": return .init(h, alignRight: true)
            case "最新进展": return .init(h, weight: 4, minWidth: 6)
            default: return .init(h, weight: 1, minWidth: 8, maxWidth: 12)
            }
        }
        var table = TextTable(columns: columns, gap: 1)
        table.rows = rows  // the cells are sanitized already
        var widths = table.widths(fitting: width)
        if widths.reduce(0, +) + table.gap * (widths.count - 1) > width, let n = headers.firstIndex(of: "编号") {
            for i in table.rows.indices { table.rows[i][n] = table.rows[i][n].replacingAll("〕", with: "〕\n") }
            columns[n] = .init("编号")
            table.columns = columns
            widths = table.widths(fitting: width)
        }
        return (table, widths)
    }

    /// The printable notice, every line at most `width` cells.
    public func text(width: Int) -> String { lines(width: width).text }

    /// The same as lines of UTF-8 (a long notice need not become one String to be written).
    public func lines(width: Int) -> TextLines {
        var lines = TextLines()
        lines.appendHead(title, serialText, office: office, date: date, width: width)
        let officeText = office.sanitized()
        let dateText = date.chinese
        lines.append(contentsOf: ("　　" + summary).wrapped(toWidth: width))
        let parts = dueSoon != nil
        if parts, !groups.isEmpty {
            lines.append("")
            lines.append("一、逾期未办结事项（共\(overdueCount)件）")
        }
        // One layout for every group, so the columns line up down the whole section. A long
        // notice builds its cells and lays out its groups on every core.
        let counts = groups.map(\.rows.count)
        let cells = Parallel.runs(weights: counts, minimum: TextTable.parallelRows) { range -> [[String]] in
            var rows: [[String]] = []
            for g in range {
                for r in groups[g].rows.indices {
                    var cells = OverdueNotice.cells(groups[g].rows[r])
                    cells[6] = groups[g].rows[r].item.coUnits.map { $0.sanitized() }.joined(separator: "\n")  // one unit a line
                    rows.append(cells)
                }
            }
            return rows
        }
        let (table, widths) = OverdueNotice.table(
            OverdueNotice.headers, cells.count == 1 ? cells[0] : Array(cells.joined()), width: width)
        let head = table.head(widths: widths)
        var starts = [0]
        for c in counts { starts.append(starts[starts.count - 1] + c) }
        let sections = Parallel.runs(weights: counts, minimum: TextTable.parallelRows) { range -> TextLines in
            var out = TextLines()
            for g in range {
                out.append("")
                let heading = parts ? "（\(ChineseText.numeral(g + 1))）" : "\(ChineseText.numeral(g + 1))、"
                out.append("\(heading)\(groups[g].unit.sanitized())（逾期\(counts[g])件）")
                out.append("")
                table.write(widths: widths, head: head, rows: table.rows[starts[g]..<starts[g + 1]], into: &out)
            }
            return out
        }
        for s in sections { lines.bytes.append(contentsOf: s.bytes) }
        if let soon = dueSoon {
            lines.append("")
            lines.append("\(groups.isEmpty ? "一" : "二")、临期事项（剩余不超过\(dueSoonWorkdays)个工作日，共\(soon.count)件）")
            lines.append("")
            if soon.isEmpty {
                lines.append("　　无。")
            } else {
                let headers = ["序号", "编号", "事项", "牵头单位", "配合单位", "时限", "剩余工作日", "最新进展"]
                let rows = soon.map { r in
                    [
                        String(r.index), r.item.shownNumber, r.item.title, r.item.leadUnit,
                        r.item.coUnits.joined(separator: "\n"), r.item.deadline.description, String(r.status.workdaysLeft ?? 0),
                        r.progress,
                    ].map { $0.sanitized(keepingNewlines: true) }
                }
                let (t, w) = OverdueNotice.table(headers, rows, width: width)
                t.write(widths: w, rows: t.rows[...], into: &lines)
            }
        }
        if !groups.isEmpty {
            lines.append("")
            lines.append(
                contentsOf: ("　　请以上单位切实履行承办责任，抓紧办理，并于\(replyBy.chinese)前将办理进展和逾期原因书面报送\(officeText)。")
                    .wrapped(toWidth: width))
        }
        lines.appendSignature(officeText, dateText, width: width, code: ledgerCode)
        return lines
    }

    /// CSV for Excel: UTF-8 with a byte order mark, CRLF line ends, one row per item.
    public func csv() -> String {
        var out = "\u{FEFF}"
        out += CSVText.row(OverdueNotice.headers + ["状态", "交办日期", "类别"])
        for g in groups {
            for r in g.rows {
                out += CSVText.row(OverdueNotice.cells(r) + [r.item.state.label, r.item.assignedOn.description, "逾期"])
            }
        }
        for r in dueSoon ?? [] {
            var cells = OverdueNotice.cells(r)
            cells[8] = "0"
            out += CSVText.row(
                cells + [r.item.state.label, r.item.assignedOn.description, "临期（剩\(r.status.workdaysLeft ?? 0)个工作日）"])
        }
        return out
    }

    /// JSON with the same content as the text.
    public func json() -> String {
        var w = JSONWriter(capacity: 4096)
        func item(_ r: Row) {
            w.beginObject()
            w.field("index", r.index)
            w.field("number", r.item.number.description)
            w.field("title", r.item.title)
            w.field("source", r.item.source)
            w.field("leader", r.item.leader)
            w.field("leadUnit", r.item.leadUnit)
            w.field("coUnits", r.item.coUnits)
            w.field("assignedOn", r.item.assignedOn.description)
            w.field("deadline", r.item.deadline.description)
            if let d = r.status.overdueDays { w.field("overdueDays", d) }
            if let d = r.status.workdaysLeft { w.field("workdaysLeft", d) }
            w.field("state", r.item.state.label)
            w.field("latestProgress", r.progress)
            w.endObject()
        }
        w.beginObject()
        w.field("title", title)
        w.noticeFields(office: office, serial: serial, preview: preview, date: date, ledgerCode: ledgerCode, overview: overview)
        w.field("dueSoon", overview.dueSoon)
        w.field("feedbackOverdue", overview.feedbackOverdue)
        w.field("closedRate", ChineseText.percent(overview.closed, of: overview.total))
        w.field("onTimeRate", overview.onTimeRate)
        w.field("text", summary)
        w.endObject()
        w.key("groups")
        w.beginArray()
        for g in groups {
            w.beginObject()
            w.field("leadUnit", g.unit)
            w.key("items")
            w.beginArray()
            for r in g.rows { item(r) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        if let soon = dueSoon {
            w.key("dueSoon")
            w.beginArray()
            for r in soon { item(r) }
            w.endArray()
        }
        w.field("replyBy", replyBy.description)
        w.endObject()
        return w.string + "\n"
    }
}

/// Writing CSV fields the way Excel reads them.
public enum CSVText {
    /// One record: fields quoted when they hold a comma, quote or line break; CRLF at the end.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    public static func field(_ s: String) -> String {
        // Control characters never reach a file another program opens; line breaks stay.
        var t = s.sanitized(keepingNewlines: true)
        // A leading = + - @ makes Excel evaluate the cell as a formula; prefix a quote mark.
        // A plain number such as -2.5 is left as it is, so Excel reads it as a number.
        if let f = t.first, "=+-@".contains(f), !CSVText.isPlainNumber(t) { t = "'" + t }
        if t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + t.replacingAll("\"", with: "\"\"") + "\""
        }
        return t
    }

    /// An optional minus sign, digits, and at most one decimal point followed by digits.
    public static func isPlainNumber(_ s: String) -> Bool {
        var u = s.utf8[...]
        if u.first == UInt8(ascii: "-") { u = u.dropFirst() }
        let parts = u.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard !u.isEmpty, parts.count <= 2 else { return false }
        return parts.allSatisfy { p in !p.isEmpty && p.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }
}
