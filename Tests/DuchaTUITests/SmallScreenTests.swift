import DuchaCore
import DuchaTUI
import DuchaTestSupport
import Testing

/// 80×24, the size of a default PuTTY or SSH window, is a first-class size: every flag
/// readable (abbreviated on purpose, never cut mid-word), the help opaque and scrollable,
/// stats headers on one line, status messages clear of the position.
@Suite struct SmallScreenTests {
    typealias F = TUIFixtures

    /// Every row of the list, paging through it, at this size.
    static func listLines(_ s: inout AppState) -> [String] {
        var out: [String] = []
        F.type(&s, [.char("2"), .home])
        for _ in 0..<4 {
            let f = Renderer.render(s)
            out += (3..<(3 + s.listHeight)).map { f.line($0) }
            F.type(&s, [.pageDown])
        }
        return out
    }

    @Test func everyStateAndFlagIsReadableAt80Columns() {
        var s = F.state()
        let lines = SmallScreenTests.listLines(&s)
        let words = Set(ItemState.allCases.map(\.label) + ["签收超时", "反馈逾期", "已退办", "延期待批", "多次延期"])
        for line in lines where !line.trimmingSpaces.isEmpty {
            // The state column is the last: whole words joined by ·, or a flag and how many more.
            let cell = String(line.split(separator: " ").last!)
            let parts = cell.split(whereSeparator: { $0 == "·" || $0 == "+" }).map(String.init)
            #expect(!cell.contains("…"), "状态不得截断：\(line)")
            #expect(parts.allSatisfy { words.contains($0) || Int($0) != nil }, "\(line)")
        }
        // The item awaiting signature past its time shows 签收超时 (which says 待签收 too).
        let late = s.ledger.items.filter { $0.state == .pending }.map { ListView_number($0.number) }
        #expect(lines.contains { l in late.contains { l.contains($0) } && l.hasSuffix("签收超时") })
        #expect(lines.contains { $0.hasSuffix("延期待批") })
        // At 120 columns the state is spelt out beside its flags.
        var wide = F.state(rows: 40, cols: 120)
        let wideLines = SmallScreenTests.listLines(&wide)
        #expect(wideLines.contains { $0.hasSuffix("待签收·签收超时") })
        #expect(wideLines.contains { $0.hasSuffix("办理中·延期待批") })
    }

    @Test func theLongestRealFlagsAndNamesAt80x24() throws {
        var b = LedgerBuilder(
            today: "2026-11-20", settings: Settings(officeName: "中共青山县委办公室青山县人民政府办公室督查室"))
        try b.units("县人力资源和社会保障局", "县市场监督管理局")
        // Unsigned for weeks: 待签收·签收超时, the flag the issue saw cut to 「待签收·签…」.
        let a = try b.register(
            "关于进一步优化营商环境持续深化“放管服”改革的实施意见落实情况督查", lead: "县人力资源和社会保障局", assigned: "2026-10-09",
            deadline: "2026-12-30")
        // Extended three times and asking again: 延期待批 and 多次延期.
        let e = try b.register("食品安全城市创建", lead: "县市场监督管理局", assigned: "2026-10-09", deadline: "2026-11-30")
        let ref = try ItemReference.parse(e.description)
        try b.run(.act(ref, .action(.sign), forUnit: "县市场监督管理局"))
        for (i, to) in ["2026-12-04", "2026-12-11", "2026-12-18", "2026-12-25"].enumerated() {
            try b.run(.act(ref, .action(.requestExtension(to: Fixtures.day(to), reason: "工作量大")), forUnit: "县市场监督管理局"))
            if i < 3 { try b.run(.act(ref, .approveExtension(to: nil, note: ""))) }
        }
        var s = AppState(
            ledger: b.ledger, actor: .supervisor("clerk"), today: b.today, calendar: Fixtures.calendar, rows: 24, cols: 80,
            workingDirectory: "/tmp")
        #expect(s.evaluator.status(of: b.ledger.item(a)!).signOverdue)
        let dash = Renderer.render(s)
        #expect(dash.line(0).hasPrefix(" 督查督办   1 总览"), "名称太长时只写督查督办，不截半：\(dash.line(0))")
        F.type(&s, [.char("2")])
        let f = Renderer.render(s)
        let rowA = f.row(containing: "2026-0001")!
        let rowE = f.row(containing: "2026-0002")!
        #expect(f.line(rowA).hasSuffix(" 签收超时"), "\(f.text)")
        #expect(f.line(rowE).hasSuffix("延期待批+1"), "\(f.text)")
        // Every line within 80 columns; the detail spells every flag out.
        for r in 0..<24 { #expect(f.line(r).displayWidth <= 80) }
        F.type(&s, [.char("/")] + F.text("0002") + [.enter, .enter])
        let d = Renderer.render(s).text
        #expect(d.contains("延期待批") || d.contains("延期申请待审批"), "\(d)")
        #expect(d.contains("多次延期"), "\(d)")
        // At 120 columns there is room for them in the list.
        var w = AppState(
            ledger: b.ledger, actor: .supervisor("clerk"), today: b.today, calendar: Fixtures.calendar, rows: 40, cols: 120,
            workingDirectory: "/tmp")
        F.type(&w, [.char("2")])
        let wf = Renderer.render(w)
        #expect(wf.line(wf.row(containing: "第0002号")!).hasSuffix("延期待批·多次延期"), "\(wf.text)")
    }

    @Test func formFieldsNotBeingEditedShowTheirBeginning() {
        var s = F.state()
        F.select(&s, "青石镇集镇饮水安全提升")
        F.type(&s, [.char("E")])
        let f = Renderer.render(s)
        let row = f.row(containing: "批示内容：")!
        #expect(f.line(row).contains("批示内容：青石镇集镇居民反映自来水浑浊"), "\(f.line(row))")
        #expect(f.line(row).hasSuffix("…"))
        // Being edited, it scrolls to keep the cursor (at the end) in view.
        // (批示内容 is after the basis's three fields.)
        F.type(&s, Array(repeating: .tab, count: 10))
        let g = Renderer.render(s)
        let edited = g.line(g.row(containing: "批示内容：")!)
        #expect(edited.hasSuffix("期间做好应急供水。") && !edited.contains("青石镇集镇居民"), "\(edited)")
    }

    @Test func theTitleBarAbbreviatesOnPurpose() {
        let f = Renderer.render(F.state())
        // A demo ledger says so, shortened whole; the office's name is never cut.
        #expect(f.line(0).hasPrefix(" 青山县委督查室（测试） "), "办公室名称完整，不截半")
        #expect(!f.line(0).contains("…"))
        let wide = Renderer.render(F.state(rows: 40, cols: 120))
        #expect(wide.line(0).hasPrefix(" 督查督办 · 青山县委督查室（演示/测试台账）"))
    }

    @Test func theHelpIsOpaqueAndScrollsAt80x24() {
        var s = F.state()
        F.type(&s, [.char("2"), .char("?")])
        let f = Renderer.render(s)
        #expect(f.line(1).contains("帮助 · 台账") && f.line(1).contains("第 1–21 行，共 "))
        // Nothing of the list shows through: no row of it, not its header or filter line.
        for r in 1..<23 {
            #expect(!f.line(r).contains("2026-0012") && !f.line(r).contains("剩余/逾期") && !f.line(r).contains("显示 42/42"))
        }
        // Long texts wrap at a word, whole.
        let all = RenderTests.helpLines(&s).joined(separator: "\n")
        #expect(all.contains("导出：逾期事项通报（可附临期事项、正式印发）、催办通知、台账\n"))
        #expect(all.contains("搜索（Enter 保留，Esc 清除）"))
        // ↑↓ scroll; the last line can be reached; another key closes.
        var t = F.state()
        F.type(&t, [.char("2"), .char("?"), .down])
        #expect(Renderer.render(t).line(1).contains("第 2–22 行"))
        F.type(&t, [.end])
        let end = Renderer.render(t)
        #expect(end.line(22).contains("Ctrl-Z"))
        #expect(end.line(23).contains("翻看") && end.line(23).contains("关闭帮助"))
        F.type(&t, [.char("z")])
        #expect(!t.showHelp)
        // Where it all fits it does not scroll, and any key closes it.
        var big = F.state(rows: 50, cols: 120)
        F.type(&big, [.char("?")])
        #expect(!Renderer.render(big).line(1).contains("行，共"))
        F.type(&big, [.down])
        #expect(!big.showHelp)
    }

    @Test func statsHeadersFitOnOneLineAt80Columns() {
        var s = F.state()
        for grouping in ["单位", "来源"] {
            F.type(&s, grouping == "单位" ? [.char("3")] : [.char("b")])
            let f = Renderer.render(s)
            #expect(f.line(3).hasPrefix(grouping == "单位" ? " 名次 单位" : " 来源"), "\(f.text)")
            #expect(f.line(4).hasPrefix(" ----"), "表头只占一行：\(f.text)")
            // No figure wraps: every body line holds a name and its figures.
            let body = (5..<21).map { f.line($0) }.filter { !$0.trimmingSpaces.isEmpty && !$0.contains("＝") }
            #expect(body.allSatisfy { $0.contains("%") || $0.contains("—") }, "\(f.text)")
            #expect(f.text.contains("已结＝已办结  逾结＝逾期办结  逾期＝逾期未办结  均天＝平均办理天数"))
        }
        // Wide enough, the headers are spelt out and need no legend.
        var wide = F.state(rows: 40, cols: 160)
        F.type(&wide, [.char("3")])
        let w = Renderer.render(wide)
        #expect(w.text.contains("承办总数") && w.text.contains("平均办理天数") && !w.text.contains("均天＝"))
    }

    @Test func messagesNeverRunIntoThePosition() {
        var s = F.state()
        F.type(&s, [.char("2")])
        s.commitFailed("时限格式不对")
        let short = Renderer.render(s).line(22)
        #expect(short.hasPrefix(" 时限格式不对") && short.hasSuffix("1/42"))
        // A message that leaves no room: the whole message, no position under or after it.
        let long = String(repeating: "很长的错误说明", count: 5) + "末尾"
        s.commitFailed(long)
        let line = Renderer.render(s).line(22)
        #expect(line.hasPrefix(" " + long) && !line.contains("1/42"), "\(line)")
        // The detail page's 第 x–y 行 likewise.
        var d = F.state()
        F.select(&d, "青石镇集镇饮水安全提升")
        F.type(&d, [.enter])
        #expect(Renderer.render(d).line(22).hasSuffix("第 1–21 行，共 33 行"))
        d.commitFailed(long)
        let dl = Renderer.render(d).line(22)
        #expect(dl.hasPrefix(" " + long) && !dl.contains("第 1–21 行"), "\(dl)")
        d.commitFailed("短")
        #expect(Renderer.render(d).line(22).hasPrefix(" 短 ") && Renderer.render(d).line(22).contains("第 1–21 行，共 33 行"))
    }
}

/// 2026-0012 as the list shows it at 80 columns.
func ListView_number(_ n: ItemNumber) -> String {
    let s = String(n.serial)
    return "\(n.year)-" + String(repeating: "0", count: max(0, 4 - s.count)) + s
}
