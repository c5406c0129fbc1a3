import DuchaCore

/// 统计: the statistics of `ducha stats`, by unit (ranked) or by source.
enum StatsView {
    static func draw(_ screen: inout Screen, _ s: AppState) {
        guard let stats = s.stats else { return }
        screen.put(" 办理情况统计（按\(stats.grouping.label)，\(stats.period)）", row: 1, col: 0, style: .bold)
        var table = TextTable(
            columns: stats.headers.map { h in
                h == "单位" || h == "来源"
                    ? .init(h, weight: 2, minWidth: 8, maxWidth: 18) : .init(h, alignRight: true, weight: 1, minWidth: 4)
            }, gap: 1)
        for r in stats.rows { table.append(stats.cells(r)) }
        table.append(stats.cells(stats.total))
        let lines = table.render(width: s.cols - 2)
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
    }
}
