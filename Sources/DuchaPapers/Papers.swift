import DuchaCore

/// The ledger, the statistics and the notices as the papers offices exchange: .xlsx workbooks
/// and .docx documents in the 公文 format.
public enum Papers {
    static let dateColumns: Set<String> = ["交办日期", "办理时限", "原定时限", "办结日期", "最新进展日期"]

    static func fill(_ light: Light) -> XLSXSheet.Fill {
        switch light {
        case .red: .red
        case .yellow: .yellow
        default: .none
        }
    }

    /// The whole ledger, in `LedgerTable`'s columns (so `import` reads it back), dates as dates,
    /// each row filled by its light.
    public static func ledger(_ items: [Item], _ evaluator: StatusEvaluator) -> XLSXSheet {
        var sheet = XLSXSheet(name: "督查事项台账", headers: LedgerTable.columns)
        for item in items {
            let cells = zip(LedgerTable.columns, LedgerTable.row(item, evaluator)).map { column, value -> XLSXSheet.Cell in
                if value.isEmpty { return .empty }
                if dateColumns.contains(column), let d = Day.parseStored(value) { return .date(d) }
                return .text(value)
            }
            sheet.append(cells, fill: fill(evaluator.status(of: item).light))
        }
        return sheet
    }

    /// 办理情况统计: counts as integers, rates as percentages, 扣分 and 平均办理天数 as numbers.
    public static func statistics(_ stats: Statistics) -> XLSXSheet {
        var sheet = XLSXSheet(name: "办理情况统计（按\(stats.grouping.label)）", headers: stats.headers)
        let nameColumns: Set<Int> = stats.grouping == .unit ? [1] : [0]
        for r in stats.rows + [stats.total] {
            let cells = stats.cells(r).enumerated().map { i, v in nameColumns.contains(i) ? .text(v) : XLSXSheet.typed(v) }
            sheet.append(cells, fill: r.overdueOpen > 0 && r.name != "合计" ? .red : .none)
        }
        // Why a unit loses points for an item not 逾期未办结, under the table as in the text.
        if let note = stats.suspensionNote {
            sheet.append(stats.headers.map { _ in .empty }, fill: .none)
            sheet.append([.text("另：" + note)] + stats.headers.dropFirst().map { _ in .empty }, fill: .none)
        }
        return sheet
    }

    /// The overdue notice's items (and those due soon, when included) as one table.
    public static func overdue(_ notice: OverdueNotice) -> XLSXSheet {
        var sheet = XLSXSheet(name: "\(notice.title)\(notice.serialText)", headers: OverdueNotice.headers)
        func cells(_ r: OverdueNotice.Row) -> [XLSXSheet.Cell] {
            OverdueNotice.cells(r).enumerated().map { i, v in
                switch OverdueNotice.headers[i] {
                case "序号", "逾期天数": return Int(v).map { .integer($0) } ?? .text(v)
                case "时限": return Day.parseStored(v).map { .date($0) } ?? .text(v)
                default: return v.isEmpty ? .empty : .text(v)
                }
            }
        }
        for g in notice.groups { for r in g.rows { sheet.append(cells(r), fill: .red) } }
        for r in notice.dueSoon ?? [] {
            var c = cells(r)
            c[8] = .empty  // not overdue
            sheet.append(c, fill: .yellow)
        }
        return sheet
    }

    static let overdueHeaders = ["序号", "编号", "事项", "来源", "批示领导", "配合单位", "时限", "逾期天数", "最新进展"]
    static let overdueWeights = [5, 14, 18, 8, 8, 10, 14, 7, 16]

    /// 逾期事项通报 in the 公文 format: the summary, then per lead unit a table of its overdue items.
    public static func overdueDocument(_ notice: OverdueNotice, to: String, cc: String) -> OfficialDocument {
        var blocks: [OfficialDocument.Block] = [.paragraph(notice.summary)]
        let parts = notice.dueSoon != nil
        if parts, !notice.groups.isEmpty { blocks.append(.heading("一、逾期未办结事项（共\(notice.overdueCount)件）")) }
        for (g, group) in notice.groups.enumerated() {
            let heading = parts ? "（\(ChineseText.numeral(g + 1))）" : "\(ChineseText.numeral(g + 1))、"
            blocks.append(.heading("\(heading)\(group.unit)（逾期\(group.rows.count)件）"))
            let rows = group.rows.map { r -> [String] in
                let c = OverdueNotice.cells(r)
                return [c[0], c[1], c[2], c[3], c[4], r.item.coUnits.joined(separator: "\n"), c[7], c[8], c[9]]
            }
            blocks.append(.table(headers: overdueHeaders, rows: rows, weights: overdueWeights))
        }
        if let soon = notice.dueSoon {
            blocks.append(
                .heading("\(notice.groups.isEmpty ? "一" : "二")、临期事项（剩余不超过\(notice.dueSoonWorkdays)个工作日，共\(soon.count)件）"))
            if soon.isEmpty {
                blocks.append(.paragraph("无。"))
            } else {
                let rows = soon.map { r -> [String] in
                    [
                        String(r.index), r.item.number.description, r.item.title, r.item.leadUnit,
                        r.item.coUnits.joined(separator: "\n"),
                        r.item.deadline.description, String(r.status.workdaysLeft ?? 0), r.progress,
                    ]
                }
                blocks.append(
                    .table(
                        headers: ["序号", "编号", "事项", "牵头单位", "配合单位", "时限", "剩余工作日", "最新进展"], rows: rows,
                        weights: [5, 14, 18, 10, 10, 14, 8, 21]))
            }
        }
        if !notice.groups.isEmpty {
            blocks.append(.paragraph("请以上单位切实履行承办责任，抓紧办理，并于\(notice.replyBy.chinese)前将办理进展和逾期原因书面报送\(notice.office)。"))
        }
        return OfficialDocument(
            mast: notice.office, issue: notice.serialText, office: notice.office, date: notice.date, title: notice.title,
            to: to, blocks: blocks, ledgerCode: notice.ledgerCode, cc: cc)
    }

    /// 督查事项催办通知 to one unit: its items in a table, and the date to reply by.
    public static func reminderDocument(_ notice: ReminderNotice, cc: String) -> OfficialDocument {
        let overdue = notice.entries.filter { $0.status.light == .red }.count
        var intro = "你单位牵头承办的下列\(notice.entries.count)件督查事项"
        intro += overdue > 0 ? "中，有\(overdue)件已超过办理时限" : "即将到期或未按要求签收、反馈"
        intro += "，现予催办。请高度重视，逐项抓紧办理，并于\(notice.replyBy.chinese)前将办理进展"
        intro += overdue > 0 ? "和逾期原因书面报送\(notice.office)。" : "书面报送\(notice.office)。"
        let rows = notice.entries.enumerated().map { i, e -> [String] in
            var deadline = e.item.deadline.description
            if e.item.deadline != e.item.originalDeadline { deadline += "\n（原定\(e.item.originalDeadline)）" }
            return [
                String(i + 1), e.item.number.description, e.item.title, e.item.assignedOn.description, deadline,
                ReminderNotice.situation(e), OverdueNotice.progress(of: e.item),
            ]
        }
        return OfficialDocument(
            mast: notice.office, office: notice.office, date: notice.date, title: "督查事项催办通知", to: notice.unit,
            blocks: [
                .paragraph(intro),
                .table(
                    headers: ["序号", "编号", "事项", "交办日期", "办理时限", "目前情况", "最新进展"], rows: rows,
                    weights: [5, 14, 17, 14, 14, 14, 22]),
            ], ledgerCode: notice.ledgerCode, cc: cc)
    }
}
