import DuchaCore

/// Draws an AppState into a Screen. Pure: the same state always gives the same frame.
public enum Renderer {
    public static func render(_ s: AppState) -> Screen {
        var screen = Screen(rows: s.rows, cols: s.cols)
        if s.tooSmall {
            drawTooSmall(&screen, s)
            return screen
        }
        drawTitle(&screen, s)
        switch s.page {
        case .dashboard: DashboardView.draw(&screen, s)
        case .list: ListView.draw(&screen, s)
        case .detail: DetailView.draw(&screen, s)
        case .stats: StatsView.draw(&screen, s)
        }
        drawMessage(&screen, s)
        drawKeys(&screen, KeyBar.items(for: s))
        if let m = s.modal {
            // Dim the page behind a dialog so the dialog stands out.
            for r in 1..<(s.rows - 2) { screen.restyle(row: r) { $0 = Style(.dim) } }
            ModalView.draw(&screen, m, s)
        }
        if s.showHelp { HelpView.draw(&screen, s) }
        return screen
    }

    static func drawTooSmall(_ screen: inout Screen, _ s: AppState) {
        let lines = [
            "终端窗口太小", "至少需要 \(AppState.minimumCols)×\(AppState.minimumRows)，当前 \(s.cols)×\(s.rows)", "请放大窗口；q 退出",
        ]
        let top = max(0, (s.rows - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            let w = l.displayWidth
            screen.put(l, row: top + i, col: max(0, (s.cols - w) / 2), style: i == 0 ? .bold : .normal)
        }
    }

    static func drawTitle(_ screen: inout Screen, _ s: AppState) {
        screen.fill(row: 0, style: .title)
        let who: String
        switch s.actor.role {
        case .supervisor: who = "\(s.actor.login)·督查室"
        case .leader: who = "\(s.actor.login)·领导"
        case .unit: who = "\(s.actor.login)·\(s.actor.unit ?? "")"
        }
        let right = s.cols >= 100 ? "\(s.today.chinese) \(s.today.chineseWeekday)  \(who) " : "\(s.today.chinese)  \(who) "
        let tabs: [(String, Bool)] = [
            (" 1 总览 ", s.page == .dashboard), (" 2 台账 ", s.page == .list || s.page == .detail), (" 3 统计 ", s.page == .stats),
        ]
        let tabsWidth = tabs.reduce(0) { $0 + $1.0.displayWidth } + 2
        let rightWidth = right.displayWidth
        let leftRoom = max(0, s.cols - tabsWidth - rightWidth - 2)
        // The office's name alone when the whole does not fit, 督查督办 alone when the name does
        // not either: abbreviated, never cut.
        // A demo or test ledger, whose records may be dated by --today, says so always.
        let office = s.ledger.settings.officeName.sanitized()
        let candidates =
            s.ledger.settings.testClock
            ? [
                " 督查督办 · \(office)（演示/测试台账）", " \(office)（演示/测试台账）", " \(office)（演示/测试）", " \(office)（测试）",
                " 演示/测试台账",
            ]
            : [" 督查督办 · " + office, " " + office, " 督查督办"]
        let left =
            candidates.first { $0.displayWidth <= leftRoom } ?? candidates[candidates.count - 1].truncated(toWidth: leftRoom)
        var col = screen.put(left, row: 0, col: 0, width: leftRoom, style: .title) + 2
        if col > leftRoom + 2 { col = leftRoom + 2 }
        for (text, on) in tabs {
            col += screen.put(text, row: 0, col: col, style: on ? Style(.title, bold: true, reverse: false) : .title)
        }
        if s.cols - rightWidth > col { screen.put(right, row: 0, col: s.cols - rightWidth, style: .title) }
    }

    /// The question asked before typed text is thrown away.
    static let discardQuestion = "放弃已输入的内容？ y 放弃  n 继续编辑"

    static func drawMessage(_ screen: inout Screen, _ s: AppState) {
        if s.discarding != nil {
            screen.fill(row: s.rows - 2, style: Style(.red, bold: true, reverse: true))
            screen.put(" " + discardQuestion, row: s.rows - 2, col: 0, style: Style(.red, bold: true, reverse: true))
            return
        }
        let position: String? =
            s.modal != nil || s.showHelp
            ? nil : s.page == .list ? ListView.position(s) : s.page == .detail ? DetailView.position(s) : nil
        let message = s.message.map { " " + $0.text } ?? ""
        // The position goes at the right when the message leaves room for it; a message never
        // runs into it (the message matters more: the position is dropped while it shows).
        if let p = position, message.displayWidth + 2 + p.displayWidth + 1 <= s.cols {
            screen.put(p, row: s.rows - 2, col: s.cols - p.displayWidth - 1, style: .dim)
        }
        guard let m = s.message else { return }
        let style: Style = m.isError ? .error : .green
        // A message wider than the screen (a batch's refusals, a long reason) is wrapped upward
        // over the page's last rows, up to four lines, rather than cut; the page gives up those
        // rows while it shows (`AppState.messageLines`).
        let lines = s.messageLines
        for (i, line) in lines.enumerated() {
            let row = s.rows - 1 - lines.count + i
            if lines.count > 1 { screen.fill(row: row, style: .normal) }
            screen.put(" " + line, row: row, col: 0, width: s.cols, style: style)
        }
    }

    static func drawKeys(_ screen: inout Screen, _ items: [(key: String, label: String)]) {
        let row = screen.rows - 1
        // Always keep the last items (help and quit); drop from the middle when too wide.
        var shown = items
        func width(_ list: [(key: String, label: String)]) -> Int {
            list.reduce(0) { $0 + $1.key.displayWidth + $1.label.displayWidth + 3 }
        }
        // Keys left out for the width: the help says it holds them.
        if width(shown) > screen.cols, let i = shown.firstIndex(where: { $0.key == "?" }) { shown[i].label = "更多" }
        while width(shown) > screen.cols, shown.count > 2 { shown.remove(at: shown.count - 3) }
        var col = 1
        for (k, l) in shown {
            col += screen.put(k, row: row, col: col, style: .keyHint)
            col += screen.put(" " + l + "  ", row: row, col: col, style: .normal)
        }
    }

    /// The style of a row by its light: red overdue, yellow due soon, green normal, dim closed.
    static func style(_ light: Light) -> Style {
        switch light {
        case .red: return .red
        case .yellow: return .yellow
        case .green: return .green
        case .closedOnTime, .closedLate, .none: return .dim
        }
    }
}

/// The bottom line: the most useful keys of the moment, only those the user's role may use;
/// on a page, the bindings of its key table marked for the bar that may be used now.
enum KeyBar {
    static func items(for s: AppState) -> [(key: String, label: String)] {
        if s.discarding != nil { return [("y", "放弃已输入的内容"), ("n/Esc", "继续编辑")] }
        if let m = s.modal {
            switch m.body {
            case .confirm: return [("y/Enter", "确认"), ("n/Esc", "取消")]
            case .text: return [("Enter", "提交"), ("Esc", "取消"), ("Ctrl-U", "清空"), ("Ctrl-E", "用编辑器写")]
            case .choice: return [("↑↓", "选择"), ("Enter", "确定"), ("Esc", "取消")]
            case .picker: return [("输入文字", "筛选"), ("↑↓", "选择"), ("Enter", "确定"), ("Esc", "取消")]
            case .form:
                switch m.purpose {
                case .register, .registerBatch:
                    // 立项: several items of one meeting in a row, registered together.
                    return [("Tab", "下一项"), ("空格", "勾选"), ("Ctrl-N", "暂存填下一件"), ("Enter", "提交"), ("Esc", "取消")]
                default:
                    return [("Tab", "下一项"), ("↑↓", "选择"), ("空格", "勾选"), ("Enter", "提交"), ("Esc", "取消")]
                }
            }
        }
        if s.showHelp {
            return HelpView.maxScroll(s) > 0 ? [("↑↓ PgUp PgDn", "翻看"), ("其他键", "关闭帮助")] : [("任意键", "关闭帮助")]
        }
        if s.search != nil { return [("Enter", "保留搜索"), ("Esc", "清除搜索"), ("↑↓", "移动")] }
        return KeyTables.bar(s)
    }
}
