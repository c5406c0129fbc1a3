import DuchaCore

/// 台账: the filter line, the column header, and the rows coloured by light.
enum ListView {
    /// 督〔2026〕第0012号 when there is room, else 2026-0012 (which the CLI also accepts); a
    /// child 2026-12之1 (that too).
    static func number(_ n: ItemNumber, wide: Bool) -> String {
        if wide { return n.description }
        let s = String(n.serial)
        if n.isChild { return "\(n.year)-\(s)之\(n.sub)" }
        return "\(n.year)-" + String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    struct Layout {
        var gap: Int
        var numberWidth: Int
        var titleWidth: Int
        var leadWidth: Int
        var stateWidth: Int
        var wide: Bool

        /// `longest`: the widest number shown (a sub-task's 督〔2026〕第0002号之1 is wider than an
        /// item's); the column fits it, the title gives up the room.
        init(cols: Int, longest: Int = 0) {
            wide = cols >= 110
            gap = cols >= 100 ? 2 : 1
            numberWidth = wide ? max(18, longest) : max(9, min(longest, 12))
            leadWidth = cols >= 100 ? 14 : 12
            stateWidth = cols >= 100 ? 18 : 10
            let fixed = 2 + numberWidth + leadWidth + 10 + 12 + stateWidth + gap * 6 + 2
            titleWidth = max(8, cols - fixed)
        }

        var columns: [Int] { [2, numberWidth, titleWidth, leadWidth, 10, 12, stateWidth] }
    }

    static func draw(_ screen: inout Screen, _ s: AppState) {
        // The selection stays in sight when a long message has taken the list's last rows.
        let height = s.listHeight
        let top = max(s.list.top, s.list.selected - height + 1)
        let shown = (top..<max(top, min(top + height, s.list.count))).compactMap { s.list.row($0) }
        let longest =
            shown.lazy.map { row -> Int in
                let item = s.ledger.items[row.index]
                return item.number.isChild && !item.isPart ? number(item.number, wide: s.cols >= 110).displayWidth : 0
            }.max() ?? 0
        let l = Layout(cols: s.cols, longest: longest)
        drawFilterLine(&screen, s)
        var col = 1
        for (i, h) in ["灯", "编号", "事项", "牵头单位", "时限", "剩余/逾期", "状态"].enumerated() {
            screen.put(h, row: 2, col: col, width: l.columns[i], style: .header)
            col += l.columns[i] + l.gap
        }
        let list = s.list
        if list.count == 0 {
            let text: String
            if list.visibleCount == 0 {
                text = s.mayRegister ? "台账中还没有事项（n 新建）" : "没有需要本单位办理的事项"
            } else {
                text = "没有符合条件的事项（Esc 清除筛选）"
            }
            screen.put(text, row: 4, col: 4, style: .dim)
            return
        }
        for r in 0..<height {
            let i = top + r
            guard let row = list.row(i) else { break }
            let item = s.ledger.items[row.index]
            var style = Renderer.style(row.status.light)
            let selected = i == list.selected
            if selected {
                style = Style(style.color, bold: true, reverse: true)
                screen.fill(row: 3 + r, col: 0, width: s.cols, style: style)
            }
            var flags: [String] = []
            if row.status.signOverdue { flags.append("签收超时") }
            if row.status.feedbackOverdue { flags.append("反馈逾期") }
            if item.pendingDecline != nil { flags.append("已退办") }
            if item.pendingExtension != nil { flags.append("延期待批") }
            if row.status.manyExtensions { flags.append("多次延期") }
            // A unit's part of a 分别办理 item: the parent's number, and the unit beside it.
            let values = [
                row.status.light.symbol, number(item.isPart ? item.number.family : item.number, wide: l.wide), item.title,
                item.isSplit ? "分别办理" : item.leadUnit, item.deadline.description,
                item.isSplit ? "" : row.status.remainingText,
                stateText(s.ledger.shownState(item).label, flags, width: l.stateWidth),
            ]
            // The mark column: * for a row marked with Space.
            if s.marked.contains(item.number) {
                screen.put("*", row: 3 + r, col: 0, width: 1, style: Style(style.color, bold: true, reverse: selected))
            }
            col = 1
            for (c, v) in values.enumerated() {
                let width = l.columns[c]
                if c == 2, s.newItems.contains(item.number) {
                    // 新: registered or changed since the user's last visit, before the title.
                    screen.put("新", row: 3 + r, col: col, width: 2, style: Style(.accent, bold: true, reverse: selected))
                    screen.put(v.truncated(toWidth: width - 3), row: 3 + r, col: col + 3, width: width - 3, style: style)
                } else {
                    screen.put(v.truncated(toWidth: width), row: 3 + r, col: col, width: width, style: style)
                }
                col += width + l.gap
            }
        }
    }

    /// Where the selection is, for the status line, when the list is longer than the screen.
    static func position(_ s: AppState) -> String? {
        s.list.count > s.listHeight ? "\(s.list.selected + 1)/\(s.list.count)" : nil
    }

    /// The state and its warning flags in `width` cells, abbreviated on purpose rather than cut
    /// mid-word: every flag after the state (待签收·签收超时); else the flags alone, which say
    /// the state too (签收超时 is 待签收); else the first flag and how many more (延期待批+1).
    static func stateText(_ state: String, _ flags: [String], width: Int) -> String {
        let candidates =
            [([state] + flags).joined(separator: "·"), flags.joined(separator: "·")]
            + (flags.count > 1 ? ["\(flags[0])+\(flags.count - 1)"] : [])
        for c in candidates where !c.isEmpty && c.displayWidth <= width { return c }
        return (flags.first ?? state).truncated(toWidth: width)
    }

    static func drawFilterLine(_ screen: inout Screen, _ s: AppState) {
        let q = s.list.query
        let count = "显示 \(s.list.shownCount)/\(s.list.visibleCount) 件  排序：\(q.order.label)"
        let countCol = s.cols - count.displayWidth - 1
        if let editor = s.search {
            let prompt = " 搜索："
            let room = max(4, countCol - prompt.displayWidth - 2)
            let (text, cursor) = editor.view(width: room)
            let c = screen.put(prompt, row: 1, col: 0, style: .keyHint)
            screen.fill(row: 1, col: c, width: room, style: Style(.normal, underline: true))
            screen.put(text, row: 1, col: c, width: room, style: Style(.normal, underline: true))
            screen.cursor = Screen.Position(row: 1, col: c + cursor)
        } else {
            var parts: [String] = []
            if let u = q.unit { parts.append("单位 \(u)") }
            if let st = q.state { parts.append("状态 \(st.label)") }
            if let so = q.source { parts.append("来源 \(so)") }
            if let b = q.basis { parts.append("依据 \(b)") }
            if let li = q.light { parts.append("灯 \(li.symbol)") }
            if let m = q.mark { parts.append(m.label) }
            if s.list.extensionPending { parts.append("延期待批") }
            if !q.search.isEmpty { parts.append("搜索“\(q.search)”") }
            let text = parts.isEmpty ? " 全部事项" : " 筛选：" + parts.joined(separator: " · ")
            screen.put(text, row: 1, col: 0, width: max(0, countCol - 1), style: parts.isEmpty ? .dim : .accent)
        }
        screen.put(count, row: 1, col: max(0, countCol), style: .dim)
    }
}
