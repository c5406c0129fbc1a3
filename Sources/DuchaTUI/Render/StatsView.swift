import DuchaCore

/// 统计: the statistics of `ducha stats`, by unit (ranked) or by source.
enum StatsView {
    static func draw(_ screen: inout Screen, _ s: AppState) {
        guard let stats = s.stats else { return }
        screen.put(" 办理情况统计（按\(stats.grouping.label)，\(stats.period)）", row: 1, col: 0, style: .bold)
        func table(_ headers: [String]) -> TextTable {
            var table = TextTable(
                columns: headers.map { h in
                    h == "单位" || h == "来源" || h == "依据"
                        ? .init(h, weight: 2, minWidth: 8, maxWidth: h == "依据" ? 30 : 18)
                        : .init(h, alignRight: true, weight: 1, minWidth: 4)
                }, gap: 1)
            for r in stats.rows { table.append(stats.cells(r)) }
            table.append(stats.cells(stats.total))
            return table
        }
        // The full headers when every column fits at its natural width; else short ones, said
        // below the table, so no header and no figure (100.0%) wraps.
        var full = table(stats.headers)
        let natural = full.naturalWidths().reduce(0, +) + full.gap * (full.columns.count - 1)
        let short = natural > s.cols - 2
        if short { full = table(stats.headers.map { StatsView.shortHeaders[$0] ?? $0 }) }
        let lines = full.render(width: s.cols - 2)
        let headerLines = lines.prefix { !$0.hasPrefix("----") }.count + 1
        for (i, line) in lines.prefix(headerLines).enumerated() { screen.put(line, row: 3 + i, col: 1, style: .header) }
        let body = Array(lines.dropFirst(headerLines))
        let room = max(1, s.rows - 3 - (3 + headerLines))
        let top = max(0, min(s.statsScroll, body.count - room))
        for (i, line) in body.dropFirst(top).prefix(room).enumerated() {
            let isTotal = top + i == body.count - 1
            let row = stats.rows.indices.contains(top + i) ? stats.rows[top + i] : nil
            let style: Style =
                isTotal ? .bold : (row.map { $0.overdueOpen > 0 ? Style.red : $0.leadLate > 0 ? .yellow : .normal } ?? .normal)
            screen.put(line, row: 3 + headerLines + i, col: 1, style: style)
        }
        if short {
            let legend = "已结＝已办结  逾结＝逾期办结  逾期＝逾期未办结  均天＝平均办理天数"
            let row = min(s.rows - 3, 3 + headerLines + min(room, body.count) + 1)
            screen.put(legend, row: row, col: 2, width: s.cols - 3, style: .dim)
        }
    }

    /// Headers short enough for 80 columns.
    static let shortHeaders = [
        "承办总数": "承办", "已办结": "已结", "按时办结": "按时", "逾期办结": "逾结", "逾期未办结": "逾期", "按时办结率": "按时率",
        "平均办理天数": "均天", "退回次数": "退回", "完成率": "完成率",
    ]
}
