import DuchaCore

/// 总览: counters, each unit's situation worst first, the most overdue items.
enum DashboardView {
    static func draw(_ screen: inout Screen, _ s: AppState) {
        let d = s.dashboard
        let o = d.overview
        var row = 2
        var col = 2
        let counters: [(String, Int, Style)] = [
            ("在办", o.open, .bold), ("逾期", o.overdue, Style(.red, bold: true)), ("临期", o.dueSoon, Style(.yellow, bold: true)),
            ("待签收", o.pendingSign, .bold), ("待审核", o.pendingReview, .bold), ("本月办结", o.closedThisMonth, .bold),
        ]
        let prefix = d.coOverview != nil ? "牵头事项：" : ""
        let natural = counters.reduce(0) { $0 + $1.0.displayWidth + String($1.1).count + 4 } + 16 + prefix.displayWidth
        let counterGap = natural <= s.cols - 2 ? 3 : 2
        col += screen.put(prefix, row: row, col: col, style: .dim)
        for (label, n, style) in counters {
            col += screen.put(label + " ", row: row, col: col)
            col += screen.put(String(n), row: row, col: col, style: style)
            col += counterGap
        }
        col += screen.put("按时办结率 ", row: row, col: col)
        screen.put(o.onTimeRate, row: row, col: col, style: .bold)
        row += 1
        if let co = d.coOverview {
            // A unit's overview: the counters above are what it leads; what it co-handles apart.
            col = 2
            col += screen.put("配合事项：", row: row, col: col, style: .dim)
            for (label, n, style) in [
                ("在办", co.open, Style.bold), ("逾期", co.overdue, Style(.red, bold: true)),
                ("临期", co.dueSoon, Style(.yellow, bold: true)), ("已办结", co.closed, Style.bold),
            ] {
                col += screen.put(label + " ", row: row, col: col)
                col += screen.put(String(n), row: row, col: col, style: style)
                col += counterGap
            }
            row += 1
        }
        // Warning marks beyond the lights.
        col = 2
        for (label, n) in [
            ("签收超时", o.signOverdue), ("反馈逾期", o.feedbackOverdue), ("延期待批", d.pendingExtensions), ("退办待处理", d.declined),
        ] {
            col += screen.put(label + " ", row: row, col: col, style: .dim)
            col += screen.put(String(n), row: row, col: col, style: n > 0 ? Style(.yellow, bold: true) : .dim)
            col += counterGap
        }
        row += 1
        if !d.missingYears.isEmpty {
            screen.put(
                "注意：\(d.missingYears.map { "\($0)年" }.joined(separator: "、"))的节假日安排尚未录入，工作日暂按周一至周五计算",
                row: row, col: 2, style: .yellow)
        }
        row += 2
        let bottom = s.rows - 3
        let available = bottom - row + 1
        // Units first, as many as fit beside a useful list of the most overdue items.
        let wantOverdue = min(d.mostOverdue.count, max(3, (available - 4) * 2 / 5))
        let unitRows = max(1, min(d.units.count, available - 2 - (wantOverdue > 0 ? wantOverdue + 2 : 0)))

        screen.put(s.actor.role == .unit ? "本单位办理情况" : "各单位办理情况（牵头事项，逾期多的在前）", row: row, col: 2, style: .bold)
        row += 1
        let wide = s.cols >= 100
        let nameWidth = wide ? 16 : 12
        let headers = ["在办", "逾期", "临期", "待签收", "待审核", "已办结", "按时办结率"]
        let widths = [4, 4, 4, 6, 6, 6, 10]
        let gap = wide ? 3 : 2
        func cells(_ values: [String], row: Int, style: Style) {
            var c = 2 + 2 + 2 + nameWidth + 2
            for (i, v) in values.enumerated() {
                guard c + widths[i] <= s.cols else { break }
                screen.put(v.padded(toWidth: widths[i], alignRight: true), row: row, col: c, style: style)
                c += widths[i] + gap
            }
        }
        screen.put("灯", row: row, col: 2, style: .header)
        screen.put("单位", row: row, col: 6, style: .header)
        cells(headers, row: row, style: .header)
        row += 1
        let units = d.units
        if units.isEmpty {
            screen.put("还没有登记承办单位（ducha unit add 单位名称）", row: row, col: 6, style: .dim)
        }
        var first = 0
        if s.unitSelection >= unitRows { first = s.unitSelection - unitRows + 1 }
        for (i, u) in units.enumerated().dropFirst(first).prefix(unitRows) {
            let style = Renderer.style(u.light)
            let selected = i == s.unitSelection && s.page == .dashboard
            let rowStyle = selected ? Style(style.color, bold: true, reverse: true) : style
            if selected { screen.fill(row: row, col: 1, width: s.cols - 2, style: rowStyle) }
            screen.put(u.light.symbol, row: row, col: 2, style: rowStyle)
            screen.put(u.label.truncated(toWidth: nameWidth), row: row, col: 6, style: rowStyle)
            cells(
                [
                    String(u.open), String(u.overdue), String(u.dueSoon), String(u.pendingSign), String(u.pendingReview),
                    String(u.closed), u.rate,
                ],
                row: row, style: rowStyle)
            row += 1
        }
        if units.count > unitRows {
            screen.put("（共 \(units.count) 个单位，↑↓ 查看更多）", row: row, col: 6, style: .dim)
        }
        row += 1
        let overdueRows = min(d.mostOverdue.count, bottom - row)
        guard overdueRows > 0 else { return }
        screen.put("逾期最久的事项", row: row, col: 2, style: .bold)
        row += 1
        let numberWidth = wide ? 18 : 9
        let leadWidth = wide ? 14 : 12
        let restWidth = 10
        let titleWidth = max(8, s.cols - 4 - numberWidth - leadWidth - restWidth - 6)
        for entry in d.mostOverdue.prefix(overdueRows) {
            let item = entry.item
            var c = 2
            c += screen.put(
                ListView.number(item.isPart ? item.number.family : item.number, wide: wide).padded(toWidth: numberWidth + 2),
                row: row,
                col: c, style: .red)
            c += screen.put(item.title.fitted(toWidth: titleWidth) + "  ", row: row, col: c, style: .red)
            c += screen.put(item.leadUnit.fitted(toWidth: leadWidth) + "  ", row: row, col: c, style: .red)
            screen.put(entry.status.remainingText, row: row, col: c, style: Style(.red, bold: true))
            row += 1
        }
    }
}
