import DuchaCore

extension Papers {
    /// 落实情况通报 as a workbook: one row per item, filled by its light.
    public static func progress(_ notice: ProgressNotice) -> XLSXSheet {
        var sheet = XLSXSheet(name: "落实情况通报\(notice.serialText)", headers: ProgressNotice.headers)
        for r in notice.rows {
            let cells = ProgressNotice.cells(r).enumerated().map { i, v -> XLSXSheet.Cell in
                switch ProgressNotice.headers[i] {
                case "序号": return Int(v).map { .integer($0) } ?? .text(v)
                case "时限": return Day.parseStored(v).map { .date($0) } ?? .text(v)
                default: return v.isEmpty ? .empty : .text(v)
                }
            }
            sheet.append(cells, fill: fill(r.status.light))
        }
        return sheet
    }

    /// 落实情况通报 in the 公文 format: the summary with the completion rate, the items in a
    /// table, and the request to units with overdue items.
    public static func progressDocument(_ notice: ProgressNotice, to: String, cc: String) -> OfficialDocument {
        var blocks: [OfficialDocument.Block] = [.paragraph(notice.summary)]
        if !notice.rows.isEmpty {
            let rows = notice.rows.map { r -> [String] in
                var c = ProgressNotice.cells(r)
                c[4] = r.item.coUnits.joined(separator: "\n")
                return c
            }
            blocks.append(.table(headers: ProgressNotice.headers, rows: rows, weights: [5, 14, 18, 10, 10, 12, 11, 20]))
        }
        if let reply = notice.reply { blocks.append(.paragraph(reply)) }
        return OfficialDocument(
            mast: notice.office, issue: notice.serialText, office: notice.office, date: notice.date, title: notice.title, to: to,
            blocks: blocks, ledgerCode: notice.ledgerCode, cc: cc)
    }
}
