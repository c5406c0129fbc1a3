import DuchaCore
import DuchaTestSupport
import Testing

@testable import DuchaTUI

/// Issue 12, point 1 (the interface's part): one key table per page drives the key handler,
/// the key bar and the help overlay, so the three cannot disagree.
@Suite struct KeyBindingTests {
    typealias F = TUIFixtures

    /// The office, a leader, a lead unit and a co-unit of 政府债务风险化解方案.
    static let logins = ["clerk", "ldzhao", "czj", "fgj"]

    /// Every page as the user reaches it: the dashboard, the list with an item selected, an
    /// empty list, the item's detail, the statistics.
    static func pages(_ login: String, rows: Int = 24, cols: Int = 80) -> [(String, AppState)] {
        var dash = F.state(login, rows: rows, cols: cols)
        var list = dash
        F.select(&list, "政府债务风险化解方案")
        var empty = dash
        F.type(&empty, [.char("2"), .char("/")] + F.text("没有这样的事项") + [.enter])
        var detail = list
        F.type(&detail, [.enter])
        var stats = dash
        F.type(&stats, [.char("3")])
        F.type(&dash, [.down])
        #expect(list.page == .list && empty.list.rows.isEmpty && detail.page == .detail && stats.page == .stats)
        return [("总览", dash), ("台账", list), ("空台账", empty), ("详情", detail), ("统计", stats)]
    }

    /// The help overlay's lines as the user reads them, paging through it.
    static func helpText(_ s: AppState) -> [String] {
        var h = s
        F.type(&h, [.char("?")])
        #expect(h.showHelp)
        return RenderTests.helpLines(&h)
    }

    @Test func everyKeyTheHelpListsIsHandled() {
        for login in Self.logins {
            for (name, s) in Self.pages(login) {
                // Long texts wrap: compare without the spaces and line breaks.
                let shown = String(Self.helpText(s).joined().filter { !$0.isWhitespace })
                for b in KeyTables.bindings(s.page) where b.offered(s) {
                    // The binding is what the overlay shows …
                    #expect(
                        shown.contains((b.keyText + b.help(s)).filter { !$0.isWhitespace }), "\(login) \(name)：帮助应列出 \(b.keyText)"
                    )
                    // … and each of its keys reaches a binding, never the unknown-key path.
                    for key in b.keys {
                        var t = s
                        switch t.match(key) {
                        case .unbound:
                            Issue.record("\(login) \(name)：帮助列出的 \(key) 按下后无人处理")
                        case .run:
                            break
                        case .refuse:
                            // Listed but not usable on this row or now: pressing it says why and
                            // opens nothing.
                            let effects = F.type(&t, [key])
                            #expect(effects.isEmpty && t.modal == nil, "\(login) \(name) \(key)")
                            #expect(t.message?.isError == true, "\(login) \(name)：按 \(key) 应说明为何不能用")
                        }
                    }
                }
                // The keys that act anywhere: Ctrl-C quits, Ctrl-Z suspends, whatever the page.
                var q = s
                #expect(F.type(&q, [.ctrl("c")]) == [.quit])
                var z = s
                #expect(F.type(&z, [.ctrl("z")]) == [.suspend] && z.page == s.page)
            }
        }
        // Ctrl-U and Ctrl-E, listed on every page, act in input boxes.
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("m")] + F.text("请加快"))
        #expect(F.type(&s, [.ctrl("e")]) == [.openEditor("请加快")])
        F.type(&s, [.ctrl("u")])
        guard case .text(_, let editor, _) = s.modal?.body else {
            Issue.record("批注输入框应打开")
            return
        }
        #expect(editor.text.isEmpty)
        #expect(
            KeyTables.anywhere.map(\.keys) == [[.ctrl("u")], [.ctrl("e")], [.ctrl("c")], [.ctrl("z")]],
            "帮助末尾列出的按键都在上面试过")
    }

    @Test func everyKeyBarEntryIsInTheHelp() {
        for login in Self.logins {
            for (rows, cols) in [(24, 80), (40, 120)] {
                for (name, s) in Self.pages(login, rows: rows, cols: cols) {
                    let helpKeys = Set(KeyTables.help(s).flatMap { $0.key.split(separator: " ") })
                    let bar = KeyBar.items(for: s)
                    #expect(bar.count >= 4, "\(login) \(name)")
                    for entry in bar {
                        // "u t y l" in the bar: u, t, y and l each have a line of the help.
                        for k in entry.key.split(separator: " ") {
                            #expect(helpKeys.contains(k), "\(login) \(name)：按键栏的 \(k) 不在帮助里")
                        }
                    }
                    // And the bar on screen is the table's, fitted to the width; when keys are left
                    // out for the width, the help is offered as holding more.
                    let line = Renderer.render(s).line(rows - 1)
                    let all = bar.allSatisfy { line.contains(" \($0.key) \($0.label)") }
                    let end = all ? "? 帮助  q 退出" : "? 更多  q 退出"
                    #expect(line.hasPrefix(" " + bar[0].key + " " + bar[0].label) && line.hasSuffix(end), "\(line)")
                }
            }
        }
    }

    @Test func theKeyBarOffersOnlyWhatCanBeDoneNow() {
        // The office on a signed item: no 签收 in the bar; the help still lists it (the role may).
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        let bar = KeyBar.items(for: s).map(\.key)
        #expect(!bar.contains("s") && bar.contains("r") && bar.contains("n"))
        #expect(KeyTables.help(s).contains { $0 == (key: "s", text: "签收") })
        // A unit may not register: n neither in its bar nor in its help, and pressing it says why.
        var unit = F.state("czj")
        F.type(&unit, [.char("2")])
        #expect(!KeyBar.items(for: unit).contains { $0.key == "n" })
        #expect(!KeyTables.help(unit).contains { $0.key == "n" })
        F.type(&unit, [.char("n")])
        #expect(unit.modal == nil && unit.message?.text.contains("只有督查室可以立项交办") == true)
        // The statistics page's b says what it switches to.
        var stats = F.state()
        F.type(&stats, [.char("3")])
        #expect(KeyBar.items(for: stats).first! == (key: "b", label: "按来源统计"))
        F.type(&stats, [.char("b")])
        // 单位 → 来源 → 依据 → 单位 (the grouping by basis added).
        #expect(KeyBar.items(for: stats).first! == (key: "b", label: "按依据统计"))
        F.type(&stats, [.char("b")])
        #expect(KeyBar.items(for: stats).first! == (key: "b", label: "按单位统计"))
    }

    @Test func theUnitsHelpAtTheListIsTheSameWhicheverRowIsSelected() {
        for login in ["czj", "fgj"] {
            var s = F.state(login)
            F.type(&s, [.char("2")])
            #expect(s.list.rows.count > 3)
            let first = Self.helpText(s)
            #expect(first.contains { $0.contains("签收（本单位牵头的事项）") }, "\(first)")
            var bars = Set<[String]>()
            var firstDetail: [String]?
            for row in 0..<s.list.rows.count {
                #expect(s.list.selected == row)
                #expect(Self.helpText(s) == first, "\(login) 第 \(row + 1) 行：帮助不随选中的事项变化")
                bars.insert(KeyBar.items(for: s).map(\.key))
                var detail = s
                F.type(&detail, [.enter])
                // Nor does the detail page's with the item opened.
                let d = KeyTables.help(detail).map { $0.key + " " + $0.text }
                if firstDetail == nil { firstDetail = d }
                #expect(d == firstDetail, "\(login) 第 \(row + 1) 件的详情：帮助不随事项变化")
                F.type(&s, [.down])
            }
            // The key bar does follow the row (what can be done to this item now).
            #expect(bars.count > 1, "\(login)")
        }
    }

    @Test func eachKeyMeansOneThingOnAPage() {
        for page in [Page.dashboard, .list, .detail, .stats] {
            var seen: [Key] = []
            for b in KeyTables.bindings(page) {
                for k in b.keys {
                    #expect(!seen.contains(k), "\(page)：\(k) 绑定了两次")
                    seen.append(k)
                }
            }
        }
    }

    @Test func aKeyBoundNowhereDoesNothing() {
        for (name, s) in Self.pages("clerk") {
            for key in [Key.char("z"), .char("%"), .insert, .function(5), .ctrl("a")] {
                var t = s
                guard case .unbound = t.match(key) else {
                    Issue.record("\(name)：\(key) 不应有绑定")
                    continue
                }
                #expect(F.type(&t, [key]).isEmpty, "\(name) \(key)")
                #expect(t.page == s.page && t.modal == nil && !t.showHelp && t.message == nil)
                #expect(Renderer.render(t).line(t.rows - 1) == Renderer.render(s).line(s.rows - 1))
            }
        }
    }
}
