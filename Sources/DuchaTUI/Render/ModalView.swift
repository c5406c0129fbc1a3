import DuchaCore

/// Dialogs drawn over the page: a title bar, the body, and (for text) the cursor. No
/// box-drawing characters: their width is ambiguous and they break in Chinese fonts.
enum ModalView {
    static func draw(_ screen: inout Screen, _ m: Modal, _ s: AppState) {
        let width = min(s.cols - 4, 80)
        var body: [(text: String, style: Style)] = []
        var cursor: (line: Int, col: Int)? = nil
        var fieldLines: [Int: (start: Int, width: Int)] = [:]
        let inner = width - 4

        switch m.body {
        case .confirm(let question):
            for l in question.wrapped(toWidth: inner) { body.append((l, .bold)) }
            body.append(("", .normal))
            body.append(("y 或 Enter 确认，n 或 Esc 取消", .dim))
        case .text(let prompt, let editor, _):
            for l in prompt.wrapped(toWidth: inner) { body.append((l, .normal)) }
            let (text, c) = editor.view(width: inner)
            fieldLines[body.count] = (0, inner)
            cursor = (body.count, c)
            body.append((text, Style(.normal, underline: true)))
            if editor.overflowed, editor.characters.count >= editor.limit {
                body.append(("已输入 \(editor.characters.count) 字，已到上限，多出的内容没有输入", .error))
            } else {
                body.append(("已输入 \(editor.characters.count) 字", .dim))
            }
        case .choice(let prompt, let options, let selected):
            if !prompt.isEmpty { body.append((prompt, .normal)) }
            let room = max(3, s.rows - 8 - body.count)
            let first = max(0, min(selected - room / 2, options.count - room))
            for (i, o) in options.enumerated().dropFirst(first).prefix(room) {
                let mark = i < 9 ? "\(i + 1). " : "   "
                body.append((mark + o, i == selected ? Style(.accent, bold: true, reverse: true) : .normal))
            }
            if options.count > room { body.append(("（共 \(options.count) 项，↑↓ 翻看）", .dim)) }
        case .picker(let options, let selected, let filter):
            let (text, c) = filter.view(width: max(2, inner - 6))
            fieldLines[body.count] = (6, max(2, inner - 6))
            cursor = (body.count, 6 + c)
            body.append(("筛选：" + text, .normal))
            let shown = Form.shown(options, filter)
            let room = max(3, s.rows - 9 - body.count)
            let at = shown.firstIndex(of: selected) ?? 0
            let first = max(0, min(at - room / 2, shown.count - room))
            for i in shown.dropFirst(first).prefix(room) {
                body.append(("  " + options[i], i == selected ? Style(.accent, bold: true, reverse: true) : .normal))
            }
            if shown.isEmpty { body.append(("（没有符合的选项）", .dim)) }
            body.append((shown.count > room ? "（共 \(shown.count) 项，↑↓ 翻看；输入文字可筛选）" : "输入文字可筛选", .dim))
        case .form(let form):
            let labelWidth = form.fields.map { $0.label.displayWidth }.max() ?? 4
            for (i, f) in form.fields.enumerated() {
                let focused = i == form.focus
                let prefix = (f.required ? "＊" : "　") + f.label.padded(toWidth: labelWidth, alignRight: true) + "："
                let room = inner - prefix.displayWidth
                var value: String
                switch f.kind {
                case .text(let e):
                    let v = e.view(width: room)
                    // A field not being edited shows its beginning (what it is), not where the
                    // cursor was left.
                    value = focused ? v.text : e.text.truncated(toWidth: room)
                    if focused { cursor = (body.count, prefix.displayWidth + v.cursorCell) }
                    fieldLines[body.count] = (prefix.displayWidth, room)
                case .choice(let options, let selected, _):
                    value =
                        options.indices.contains(selected)
                        ? "< \(options[selected]) >" : options.isEmpty ? "（无可选项）" : "（未选择）"
                case .multi(let options, let checked, _, _):
                    let picked = options.indices.filter { checked[$0] }.map { options[$0] }
                    value = picked.isEmpty ? "（无）" : picked.joined(separator: "、")
                }
                if focused, !f.hint.isEmpty, value.displayWidth + f.hint.displayWidth + 2 < room, !isText(f) {
                    value += "  " + f.hint
                }
                body.append((prefix + value.truncated(toWidth: room), focused ? Style(.accent, bold: true) : .normal))
                if case .text(let e) = f.kind, e.overflowed, e.characters.count >= e.limit {
                    // Typed or pasted beyond what the field takes: said, never cut silently.
                    body.append(
                        (String(repeating: " ", count: prefix.displayWidth) + "已到上限 \(e.limit) 字，多出的内容没有输入", .error))
                } else if focused, isText(f), !f.hint.isEmpty {
                    body.append((String(repeating: " ", count: prefix.displayWidth) + f.hint, .dim))
                }
            }
            // The focused list field shows its options below the fields.
            let f = form.fields[form.focus]
            switch f.kind {
            case .choice(let options, let selected, let filter), .multi(let options, _, let selected, let filter):
                var checked: [Bool]? = nil
                if case .multi(_, let c, _, _) = f.kind { checked = c }
                body.append(("", .normal))
                body.append(("\(f.label)：" + (filter.isEmpty ? "输入文字可筛选" : "筛选“\(filter.text)”"), .dim))
                let shown = Form.shown(options, filter)
                let room = max(3, s.rows - 6 - body.count - 2)
                let at = shown.firstIndex(of: selected) ?? 0
                let first = max(0, min(at - room / 2, shown.count - room))
                for i in shown.dropFirst(first).prefix(room) {
                    let mark = checked.map { $0[i] ? "[x] " : "[ ] " } ?? "  "
                    body.append((mark + options[i], i == selected ? Style(.accent, bold: true, reverse: true) : .normal))
                }
                if shown.isEmpty { body.append(("（没有符合的选项）", .dim)) }
            case .text: break
            }
        }

        let height = body.count + 3
        let top = max(1, (s.rows - height) / 2)
        let left = max(0, (s.cols - width) / 2)
        screen.fill(row: top, col: left, width: width, style: .title)
        screen.put(" " + m.title, row: top, col: left, width: width, style: .title)
        for r in 1..<height { screen.fill(row: top + r, col: left, width: width, style: .normal) }
        for (i, line) in body.enumerated() {
            let row = top + 2 + i
            guard row < s.rows - 2 else { break }
            if let f = fieldLines[i] {
                screen.put(line.text, row: row, col: left + 2, width: inner, style: .normal)
                screen.restyle(row: row, col: left + 2 + f.start, width: f.width) { $0.underline = true }
            } else {
                if line.style.reverse { screen.fill(row: row, col: left + 2, width: inner, style: line.style) }
                screen.put(line.text, row: row, col: left + 2, width: inner, style: line.style)
            }
        }
        screen.fill(row: top + height - 1, col: left, width: width, style: Style(.dim, reverse: true))
        if let c = cursor, top + 2 + c.line < s.rows - 2 {
            screen.cursor = Screen.Position(row: top + 2 + c.line, col: left + 2 + c.col)
        }
    }

    static func isText(_ f: Form.Field) -> Bool {
        if case .text = f.kind { return true }
        return false
    }
}

/// `?`: the keys of the current page from its key table, only those the user's role may use
/// (on any item: the help does not change with the selected row).
enum HelpView {
    static func entries(_ s: AppState) -> [(String, String)] {
        KeyTables.help(s).map { ($0.key, $0.text) }
    }

    /// The overlay's lines at this size: two columns when every entry fits in one and the
    /// list is taller than the screen, else one column with long texts wrapped. Each line is
    /// its cells (key, text) per column.
    static func lines(_ s: AppState) -> (lines: [[(key: String, text: String)]], columnWidth: Int, keyWidth: Int) {
        let list = entries(s)
        let width = s.cols - 4
        let room = bodyRows(s)
        let twoWidth = width / 2
        if list.count > room, twoWidth >= 30, list.allSatisfy({ $0.1.displayWidth <= twoWidth - 12 - 1 }) {
            let perColumn = (list.count + 1) / 2
            let lines = (0..<perColumn).map { i in
                [list[i]] + (i + perColumn < list.count ? [list[i + perColumn]] : [])
            }
            return (lines.map { $0.map { (key: $0.0, text: $0.1) } }, twoWidth, 12)
        }
        let keyWidth = 14
        var out: [[(key: String, text: String)]] = []
        for (k, text) in list {
            for (i, part) in text.wrapped(toWidth: max(8, width - keyWidth)).enumerated() {
                out.append([(key: i == 0 ? k : "", text: part)])
            }
        }
        return (out, width, keyWidth)
    }

    /// Rows for the list: the whole screen between the title bar and the key bar, but the
    /// overlay's own title line.
    static func bodyRows(_ s: AppState) -> Int { max(1, s.rows - 3) }

    /// The highest useful scroll.
    static func maxScroll(_ s: AppState) -> Int { max(0, lines(s).lines.count - bodyRows(s)) }

    /// Opaque over everything between the title bar and the key bar, scrolled by ↑↓ PgUp PgDn
    /// when longer than the screen.
    static func draw(_ screen: inout Screen, _ s: AppState) {
        let (lines, columnWidth, keyWidth) = HelpView.lines(s)
        let room = bodyRows(s)
        let top = max(0, min(s.helpScroll, lines.count - room))
        let title = ["总览", "台账", "事项详情", "统计"][[Page.dashboard, .list, .detail, .stats].firstIndex(of: s.page)!]
        for r in 1..<(s.rows - 1) { screen.fill(row: r, style: .normal) }
        screen.fill(row: 1, style: .title)
        let scrolls = lines.count > room
        screen.put(
            " 帮助 · \(title)" + (scrolls ? "（↑↓ 翻看，其他键关闭）" : "（按任意键关闭）"), row: 1, col: 0, width: s.cols, style: .title)
        if scrolls {
            let pos = "第 \(top + 1)–\(min(lines.count, top + room)) 行，共 \(lines.count) 行 "
            screen.put(pos, row: 1, col: s.cols - pos.displayWidth, style: .title)
        }
        for (i, line) in lines.dropFirst(top).prefix(room).enumerated() {
            for (c, e) in line.enumerated() {
                let x = 2 + c * columnWidth
                screen.put(e.key, row: 2 + i, col: x, width: keyWidth, style: .keyHint)
                screen.put(e.text, row: 2 + i, col: x + keyWidth, width: columnWidth - keyWidth - 1)
            }
        }
    }
}
