/// 落实情况通报: the notice of one basis (a meeting's decisions, a document's tasks) — every
/// item with its units, status and latest progress, the counts and the completion rate
/// (「共N件，已办结M件，完成率X%」). Numbered per basis (第N期, its own serial, recorded when
/// issued), stamped with the 台账校验码 like the other notices. Text, CSV and JSON carry the same
/// content.
public struct ProgressNotice: Sendable {
    public struct Row: Sendable {
        /// 序号.
        public var index: Int
        public var item: Item
        public var status: ItemStatus
        /// 办理状态 as the notice says it: 已办结（按时）, 办理中（逾期3天）…
        public var state: String
        /// 最新进展, dated and shortened, or （未反馈）.
        public var progress: String
    }

    public var basis: Basis
    public var office: String
    /// 第N期 of this basis's notices.
    public var serial: Int
    public var date: Day
    /// True until the notice is issued (`export progress --issue`).
    public var preview: Bool
    /// The counts of the items listed (withdrawn ones are not among them).
    public var overview: Overview
    /// The items, by number.
    public var rows: [Row]
    /// Items of the basis withdrawn (已撤销): not listed, not counted.
    public var withdrawn: Int
    /// The date by which units with overdue items reply.
    public var replyBy: Day
    /// The 台账校验码 at the foot.
    public var ledgerCode: LedgerCode? = nil

    /// 最新进展 of a row: the latest feedback; for an item closed (or awaiting review) without
    /// any, its completion report rather than （未反馈）.
    static func progress(_ item: Item, report: Item.Progress?) -> String {
        guard let report, item.state == .closed || item.state == .review, item.latestProgress == nil else {
            return OverdueNotice.progress(of: item)
        }
        return OverdueNotice.progress(Item.Progress(day: report.day, text: "办结报告：" + report.text, unit: report.unit))
    }

    /// The notice of `basis` from `items` (those of other bases are left out). `reports`: the
    /// completion report (办结报告) of items closed or awaiting review, read from their
    /// histories: their latest progress when they have no feedback.
    public init(
        basis: Basis, items: [Item], evaluator: StatusEvaluator, serial: Int, preview: Bool,
        reports: [ItemNumber: Item.Progress] = [:]
    ) {
        self.basis = basis
        office = evaluator.settings.officeName
        self.serial = serial
        date = evaluator.today
        self.preview = preview
        replyBy = evaluator.calendar.adding(workdays: evaluator.settings.replyWithinWorkdays, to: evaluator.today)
        var overview = Overview()
        var rows: [Row] = []
        var withdrawn = 0
        // A 分别办理 item is listed through its parts, one line per unit.
        for i in items.indices where items[i].basisInfo == basis && !items[i].isSplit {
            if items[i].state == .withdrawn {
                withdrawn += 1
                continue
            }
            let facts = items[i].statusFacts
            let s = evaluator.status(facts)
            overview.add(facts, s, today: evaluator.today)
            rows.append(
                Row(
                    index: 0, item: items[i], status: s, state: ProgressNotice.state(items[i], s),
                    progress: ProgressNotice.progress(items[i], report: reports[items[i].number])))
        }
        rows.sort { $0.item.number < $1.item.number }
        for i in rows.indices { rows[i].index = i + 1 }
        if basis.date == nil, let d = items.first(where: { $0.basisInfo == basis && $0.basisDate != nil })?.basisDate {
            self.basis.date = d
        }
        self.overview = overview
        self.rows = rows
        self.withdrawn = withdrawn
    }

    /// 按时办结, 逾期办结, 办理中，逾期3天, or the state.
    static func state(_ item: Item, _ s: ItemStatus) -> String {
        switch s.light {
        case .closedOnTime: return "按时办结"
        case .closedLate: return "逾期办结"
        case .red: return "\(item.state.label)，逾期\(s.overdueDays ?? 0)天"
        default: return item.state.label
        }
    }

    /// 第1期, or 第1期（预览） before the notice is issued.
    public var serialText: String { "第\(serial)期" + (preview ? "（预览）" : "") }

    public var title: String { "\(basis.name)交办事项落实情况通报" }

    /// The completion rate: closed of the items counted.
    public var completionRate: String { ChineseText.percent(overview.closed, of: overview.total) }

    public var summary: String {
        let o = overview
        var about: [String] = []
        if !basis.number.isEmpty { about.append(basis.number) }
        if let d = basis.date { about.append(d.chinese) }
        var s = "截至\(date.chinese)，\(basis.name)" + (about.isEmpty ? "" : "（\(about.joined(separator: "，"))）")
        s += "交办事项共\(o.total)件，已办结\(o.closed)件，完成率\(completionRate)。"
        if o.closed > 0 { s += "已办结的事项中按时办结\(o.closedOnTime)件、逾期办结\(o.closedLate)件。" }
        if o.open > 0 { s += "在办\(o.open)件，其中逾期未办结\(o.overdue)件。" }
        if withdrawn > 0 { s += "另有\(withdrawn)件已撤销，不计入。" }
        s += o.total == 0 ? "" : "现将落实情况通报如下。"
        return s
    }

    /// The paragraph asking the units with overdue items to reply, when there are any.
    public var reply: String? {
        let units = Array(Set(rows.filter { $0.status.light == .red }.map(\.item.leadUnit))).sorted()
        guard !units.isEmpty else { return nil }
        return "请\(units.joined(separator: "、"))抓紧办理逾期未办结的事项，并于\(replyBy.chinese)前将办理进展和逾期原因书面报送\(office)。"
    }

    public static let headers = ["序号", "编号", "事项", "牵头单位", "配合单位", "时限", "办理状态", "最新进展"]

    public static func cells(_ r: Row) -> [String] {
        [
            String(r.index), r.item.shownNumber, r.item.title, r.item.leadUnit, r.item.coUnits.joined(separator: "、"),
            r.item.deadline.description, r.state, r.progress,
        ].map { $0.sanitized() }
    }

    /// The printable notice, every line at most `width` cells.
    public func text(width: Int) -> String { lines(width: width).text }

    public func lines(width: Int) -> TextLines {
        var lines = TextLines()
        lines.appendHead(title, serialText, office: office, date: date, width: width)
        let officeText = office.sanitized()
        let dateText = date.chinese
        lines.append(contentsOf: ("　　" + summary.sanitized()).wrapped(toWidth: width))
        if !rows.isEmpty {
            lines.append("")
            // No 配合单位 column when no item has one.
            let co = rows.contains { !$0.item.coUnits.isEmpty }
            let headers = ProgressNotice.headers.filter { co || $0 != "配合单位" }
            let cells = rows.map { r -> [String] in
                var c = ProgressNotice.cells(r)
                c[4] = r.item.coUnits.map { $0.sanitized() }.joined(separator: "\n")  // one unit a line
                c[6] = c[6].replacingAll("，", with: "\n")  // 办理中 / 逾期3天
                if !co { c.remove(at: 4) }
                return c
            }
            var (table, widths) = OverdueNotice.table(headers, cells, width: width)
            // The item's name as wide as the progress.
            for (i, h) in headers.enumerated() {
                switch h {
                case "事项": table.columns[i] = .init(h, weight: 3, minWidth: 10)
                case "办理状态": table.columns[i] = .init(h, weight: 1, minWidth: 8, maxWidth: 8)
                case "最新进展": table.columns[i] = .init(h, weight: 3, minWidth: 8)
                default: break
                }
            }
            widths = table.widths(fitting: width)
            table.write(widths: widths, rows: table.rows[...], into: &lines)
        }
        if let reply {
            lines.append("")
            lines.append(contentsOf: ("　　" + reply.sanitized()).wrapped(toWidth: width))
        }
        lines.appendSignature(officeText, dateText, width: width, code: ledgerCode)
        return lines
    }

    /// CSV for Excel: one row per item.
    public func csv() -> String {
        var out = "\u{FEFF}" + CSVText.row(ProgressNotice.headers + ["交办日期", "交办依据"])
        for r in rows { out += CSVText.row(ProgressNotice.cells(r) + [r.item.assignedOn.description, basis.label]) }
        return out
    }

    /// JSON with the same content as the text.
    public func json() -> String {
        var w = JSONWriter(capacity: 4096)
        w.beginObject()
        w.field("title", title)
        w.key("basis")
        w.beginObject()
        w.field("name", basis.name)
        w.optionalField("number", basis.number)
        if let d = basis.date { w.field("date", d.description) }
        w.endObject()
        w.noticeFields(office: office, serial: serial, preview: preview, date: date, ledgerCode: ledgerCode, overview: overview)
        w.field("withdrawn", withdrawn)
        w.field("completionRate", completionRate)
        w.field("text", summary)
        w.endObject()
        w.key("items")
        w.beginArray()
        for r in rows {
            w.beginObject()
            w.field("index", r.index)
            w.field("number", r.item.number.description)
            w.field("title", r.item.title)
            w.field("leadUnit", r.item.leadUnit)
            w.field("coUnits", r.item.coUnits)
            w.field("deadline", r.item.deadline.description)
            w.field("state", r.item.state.label)
            w.field("status", r.state)
            if let d = r.status.overdueDays { w.field("overdueDays", d) }
            w.field("latestProgress", r.progress)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.string + "\n"
    }
}
