import DuchaCore

/// 统计: the statistics of `ducha stats`, by unit (ranked) or by source.
enum StatsView {
    static func draw(_ screen: inout Screen, _ s: AppState) {
        guard let stats = s.stats else { return }
        screen.put(" 办理情况统计（按\(stats.grouping.label)，\(stats.period)）", row: 1, col: 0, style: .bold)
        // With scoring configured the table shows 得分 only; the selected unit's breakdown is
        // said below it (the whole breakdown does not fit 80 columns).
        let scoring = !stats.scoredKinds.isEmpty
        let breakdown = Set(stats.scoredKinds.map(\.header))
        let keep = stats.headers.indices.filter { !breakdown.contains(stats.headers[$0]) }
        func table(_ headers: [String]) -> TextTable {
            var table = TextTable(
                columns: keep.map { headers[$0] }.map { h in
                    h == "单位" || h == "来源" || h == "依据"
                        ? .init(h, weight: 2, minWidth: 8, maxWidth: h == "依据" ? 30 : 18)
                        : .init(h, alignRight: true, weight: 1, minWidth: 4)
                }, gap: 1)
            for r in stats.rows + [stats.total] {
                let cells = stats.cells(r)
                table.append(keep.map { cells[$0] })
            }
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
        let selected = scoring && !stats.rows.isEmpty ? min(s.statsScroll, stats.rows.count - 1) : nil
        let detail = selected.map { breakdownLines(stats, stats.rows[$0], width: s.cols - 3) } ?? []
        let room = max(1, s.rows - 3 - (3 + headerLines) - (detail.isEmpty ? 0 : detail.count + 1))
        let top = selected.map { max(0, min($0, body.count - room)) } ?? max(0, min(s.statsScroll, body.count - room))
        for (i, line) in body.dropFirst(top).prefix(room).enumerated() {
            let isTotal = top + i == body.count - 1
            let row = stats.rows.indices.contains(top + i) ? stats.rows[top + i] : nil
            var style: Style =
                isTotal ? .bold : (row.map { $0.overdueOpen > 0 ? Style.red : $0.leadLate > 0 ? .yellow : .normal } ?? .normal)
            if top + i == selected { style = style.reversed }
            screen.put(line, row: 3 + headerLines + i, col: 1, style: style)
        }
        var next = 3 + headerLines + min(room, body.count) + 1
        for line in detail where next < s.rows - 2 {
            screen.put(line, row: next, col: 2, width: s.cols - 3, style: .accent)
            next += 1
        }
        if short {
            let legend = "已结＝已办结  逾结＝逾期办结  逾期＝逾期未办结  均天＝平均办理天数"
            let row = min(s.rows - 3, next)
            screen.put(legend, row: row, col: 2, width: s.cols - 3, style: .dim)
            next = row + 1
        }
        // Why a unit loses points for an item not 逾期未办结: as many lines as the screen has
        // left above the key bar, the last cut with …; the whole note is in `ducha stats`.
        if let note = stats.suspensionNote {
            let lines = ("另：" + note).wrapped(toWidth: s.cols - 3)
            let room = max(0, s.rows - 2 - next)
            for (i, line) in lines.prefix(room).enumerated() {
                let cut = i == room - 1 && lines.count > room
                let text = cut ? (line + "…").truncated(toWidth: s.cols - 3) : line
                screen.put(text, row: next + i, col: 2, width: s.cols - 3, style: .yellow)
            }
        }
    }

    /// The selected unit's 得分 and what it is made of, abbreviated to fit: 基础100 按时+2 ….
    static func breakdownLines(_ stats: Statistics, _ r: Statistics.Row, width: Int) -> [String] {
        let points = r.points(stats.rules)
        let parts = stats.scoredKinds.map { k -> String in
            let t = points.first { $0.kind == k }!.tenths
            let name = k == .base ? "基础" : String(k.short.dropLast())
            return name + (t > 0 && k != .base ? "+" : "") + Statistics.signed(t)
        }
        let text = "\(r.name.sanitized())  得分 \(Statistics.signed(r.scoreTenths(stats.rules)))＝" + parts.joined(separator: " ")
        return text.wrapped(toWidth: width)
    }

    /// Headers short enough for 80 columns.
    static let shortHeaders = [
        "承办总数": "承办", "已办结": "已结", "按时办结": "按时", "逾期办结": "逾结", "逾期未办结": "逾期", "按时办结率": "按时率",
        "平均办理天数": "均天", "退回次数": "退回", "完成率": "完成率",
    ]
}
