/// Finding the table in a ledger sheet as offices keep it: title rows above the header, headings
/// in the words offices use, a header of two rows (a merged 责任单位 over 牵头单位 | 配合单位), a 合计
/// row and blank rows at the foot. The result is the header in `LedgerTable`'s column names, so
/// `LedgerImport.plan` reads it like a ledger ducha exported.
public enum LedgerSheet {
    /// A row as read from the file: its number as the spreadsheet shows it, and its cells.
    public typealias Row = LedgerImport.Row

    /// The item's basis (会议名称, 文件依据): the registered field 交办依据.
    public static let basis = "交办依据"
    /// Kept in the import record's 说明 too.
    public static let remark = "备注"
    /// Recognised and left out (序号, and the derived columns ducha writes).
    public static let skipped = "不导入"

    /// The headings offices use, to the column each means.
    public static let synonyms: [String: String] = {
        var m: [String: String] = [:]
        func add(_ column: String, _ names: [String]) { for n in names { m[n] = column } }
        for c in LedgerTable.columns { m[c] = c }
        add("事项", ["督办事项", "督查事项", "交办事项", "议定事项", "工作任务", "工作项目", "事项名称", "重点任务", "任务内容", "工作事项"])
        add("牵头单位", ["责任单位", "承办单位", "主办单位", "牵头责任单位", "主责单位"])
        add("配合单位", ["协办单位", "配合责任单位", "会办单位"])
        add("办理时限", ["完成时限", "办结时限", "时间要求", "完成时间", "时限要求", "时限"])
        add("最新进展", ["办理情况", "推进情况", "落实情况", "进展情况", "工作进展", "办理进展"])
        add("批示领导", ["责任领导", "交办领导", "牵头领导", "分管领导", "包案领导"])
        add("交办日期", ["交办时间", "立项日期"])
        add("第一责任人", ["责任人"])
        add("联系电话", ["联系方式"])
        add(basis, ["会议名称", "文件依据", "文件名称", "会议", "交办依据", "依据", "督办依据"])
        add("依据文号", ["文号", "文件文号", "发文字号", "依据文号"])
        add("依据日期", ["会议日期", "会议时间", "发文日期", "成文日期", "文件日期", "依据日期"])
        add(remark, ["备注"])
        add(skipped, ["序号"] + Array(LedgerTable.derived))
        return m
    }()

    /// The column names `--map` may name.
    public static var targets: [String] {
        LedgerTable.columns.filter { !LedgerTable.derived.contains($0) } + [remark, skipped]
    }

    /// A heading as compared: spaces, line breaks, asterisks and a remark in brackets removed
    /// (完成时限（年月日） is 完成时限).
    public static func normalized(_ heading: String) -> String {
        var out = ""
        var depth = 0
        for ch in heading {
            if ch == "（" || ch == "(" {
                depth += 1
            } else if ch == "）" || ch == ")" {
                depth = max(0, depth - 1)
            } else if depth == 0, !ch.isWhitespace, !"*＊\u{FEFF}:：".contains(ch) {
                out.append(ch)
            }
        }
        return out
    }

    public struct Column: Sendable, Equatable {
        /// 0-based position in the row.
        public var index: Int
        /// The heading as written (two rows joined with /).
        public var heading: String
        /// The column it was taken as: a `LedgerTable` column (`basis` among them), `remark` or `skipped`;
        /// nil when not recognised.
        public var field: String?
    }

    public struct Table: Sendable {
        /// For each cell position, the `LedgerTable` column it holds ("" when none).
        public var header: [String]
        public var columns: [Column]
        public var rows: [Row]
        /// Rows above the header, with their text (the title).
        public var titleRows: [Row]
        public var headerLines: [Int]
        /// The 合计/总计 row the table stops at.
        public var stoppedAt: Row?
        /// Problems found in the header (a column named twice).
        public var problems: [LedgerImport.Problem]
    }

    /// How far down a title may push the header.
    static let searchRows = 15

    /// Finds the header in `records` and maps its headings; `map` gives the column for headings
    /// it cannot guess (normalised heading → target).
    public static func recognise(_ records: [Row], map: [String: String] = [:]) -> Table? {
        func field(_ text: String) -> String? {
            let n = normalized(text)
            guard !n.isEmpty else { return nil }
            return map[n] ?? synonyms[n]
        }
        // The header is the first row with at least two recognised headings, one of them the
        // item or its lead unit.
        var headerAt: Int? = nil
        for (i, r) in records.prefix(searchRows).enumerated() {
            let fields = r.cells.compactMap(field)
            if fields.count >= 2, fields.contains("事项") || fields.contains("牵头单位") {
                headerAt = i
                break
            }
        }
        guard let h = headerAt else { return nil }
        var top = records[h].cells
        // A heading merged across columns is written once: the columns to its right under it
        // are blank in a CSV (an .xlsx reader repeats it).
        var sub: [String]? = nil
        if h + 1 < records.count {
            let next = records[h + 1].cells
            let recognised = next.contains { field($0) != nil }
            let allHeadings = next.enumerated().allSatisfy { i, c in
                let t = c.trimmingSpaces
                return t.isEmpty || field(t) != nil || (i < top.count && normalized(top[i]) == normalized(t))
            }
            if recognised, allHeadings { sub = next }
        }
        let width = max(top.count, sub?.count ?? 0)
        top += Array(repeating: "", count: width - top.count)
        if sub != nil {
            // Fill a merged parent heading rightwards over the blanks under it.
            var last = ""
            for i in 0..<width {
                if normalized(top[i]).isEmpty { top[i] = last } else { last = top[i] }
            }
        }
        var columns: [Column] = []
        var header = Array(repeating: "", count: width)
        var problems: [LedgerImport.Problem] = []
        var taken: [String: String] = [:]
        let line = records[h].line
        for i in 0..<width {
            let parent = top[i].trimmingSpaces
            let child = sub.map { i < $0.count ? $0[i].trimmingSpaces : "" } ?? ""
            let same = child.isEmpty || normalized(child) == normalized(parent)
            let heading = same ? parent : parent.isEmpty ? child : "\(parent)/\(child)"
            guard !normalized(heading).isEmpty else { continue }
            let f = same ? field(parent) : (field(child) ?? field(parent + child) ?? field(parent))
            columns.append(Column(index: i, heading: heading, field: f))
            guard let f, f != skipped else { continue }
            if let first = taken[f], f != remark {
                problems.append(
                    LedgerImport.Problem(
                        line: line,
                        message: "“\(first.sanitized())”和“\(heading.sanitized())”两列都当作“\(f)”：请用 --map 指明其中一列"))
                continue
            }
            taken[f] = heading
            header[i] = f
        }
        var rows: [Row] = []
        var stoppedAt: Row? = nil
        let holding = Set(header.indices.filter { !header[$0].isEmpty })
        for r in records.dropFirst(h + (sub == nil ? 1 : 2)) {
            let firstCells = r.cells.prefix(3).map { normalized($0) }.filter { !$0.isEmpty }
            if let f = firstCells.first, f.hasPrefix("合计") || f.hasPrefix("总计") {
                stoppedAt = r
                break
            }
            // A row with nothing in the columns read (a 序号 alone, as in an empty template row)
            // is blank.
            if !r.cells.indices.contains(where: { holding.contains($0) && !r.cells[$0].trimmingSpaces.isEmpty }) { continue }
            rows.append(r)
        }
        return Table(
            header: header, columns: columns, rows: rows, titleRows: Array(records.prefix(h)),
            headerLines: [records[h].line] + (sub == nil ? [] : [records[h + 1].line]), stoppedAt: stoppedAt,
            problems: problems)
    }

    /// Reads a `--map` file: one heading and its column per line, as 表头=列名 (or 表头,列名).
    public static func parseMap(_ text: String) throws(CoreError) -> [String: String] {
        var m: [String: String] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let sep = line.firstIndex(where: { "=＝,，\t".contains($0) }) else {
                throw .invalidField("列对应文件", "第\(n + 1)行应写作“表头=列名”，如“牵头处室=牵头单位”")
            }
            let heading = normalized(String(line[..<sep]))
            let target = String(line[line.index(after: sep)...]).trimmingSpaces
            guard !heading.isEmpty else { throw .invalidField("列对应文件", "第\(n + 1)行没有表头") }
            guard targets.contains(target) || target == "忽略" else {
                throw .invalidField(
                    "列对应文件", "第\(n + 1)行的“\(target.sanitized())”不是可导入的列；可用：\(targets.joined(separator: "、"))、忽略")
            }
            m[heading] = target == "忽略" ? skipped : target
        }
        return m
    }

    /// Excel's column letters for a 0-based index: A, B, … Z, AA.
    public static func letters(_ index: Int) -> String {
        var n = index + 1
        var s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }
}
