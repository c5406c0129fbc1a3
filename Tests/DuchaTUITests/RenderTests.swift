import CNcursesw
import DuchaCore
import DuchaTUI
import DuchaTestSupport
import Testing

/// Whole frames at 80×24 and 120×40 with the Chinese demo data: lines as the user sees them,
/// and the styles that carry meaning (red overdue rows, the selected row reversed).
@Suite struct RenderTests {
    @Test func dashboardAt80x24() {
        let f = Renderer.render(TUIFixtures.state())
        // Too narrow for 督查督办 · and the office's whole name: the name alone, never cut, and the
        // demo ledger's mark shortened.
        #expect(f.line(0) == " 青山县委督查室（测试）   1 总览  2 台账  3 统计   2026年11月21日  clerk·督查室")
        #expect(f.line(2) == "  在办 31  逾期 9  临期 6  待签收 5  待审核 3  本月办结 3  按时办结率 60.0%")
        #expect(f.line(3) == "  签收超时 2  反馈逾期 1  延期待批 1  退办待处理 1")
        #expect(f.line(4) == "  注意：2027年的节假日安排尚未录入，工作日暂按周一至周五计算")
        #expect(f.line(7) == "  灯  单位          在办  逾期  临期  待签收  待审核  已办结  按时办结率")
        #expect(f.line(8) == "  红  县生态环境局     2     2     0       0       0       1      100.0%")
        #expect(f.line(16) == "      （共 12 个单位，↑↓ 查看更多）")
        #expect(f.line(17) == "  逾期最久的事项")
        #expect(f.line(18) == "  2026-0012  国道319线青石段路面破损修复              县交通运输局  逾期36天")
        #expect(f.line(23) == " ↑↓ 选择单位  Enter 查看单位事项  D 单位名册  n 新建  x 导出  ? 帮助  q 退出")
        // Styles: the selected unit reversed, overdue counts red, the overdue list red.
        #expect(f.style(of: "县生态环境局", inRow: 8) == Style(.red, bold: true, reverse: true))
        #expect(f.style(of: "县教育局", inRow: 9) == .red)
        #expect(f.style(of: "逾期 ", inRow: 2) == .normal)
        #expect(f.style(of: "9", inRow: 2)?.color == .red)
        #expect(f.style(of: "2", inRow: 3) == Style(.yellow, bold: true), "签收超时有则醒目")
        #expect(f.style(of: "国道319线青石段路面破损修复", inRow: 18) == .red)
        #expect(f.style(of: "注意", inRow: 4) == .yellow)
        #expect(f.style(of: "青山县委督查室", inRow: 0) == .title)
    }

    @Test func dashboardAt120x40ShowsEveryUnitAndFullNumbers() {
        let f = Renderer.render(TUIFixtures.state(rows: 40, cols: 120))
        #expect(f.line(2) == "  在办 31   逾期 9   临期 6   待签收 5   待审核 3   本月办结 3   按时办结率 60.0%")
        #expect(f.line(7) == "  灯  单位              在办   逾期   临期   待签收   待审核   已办结   按时办结率")
        #expect(f.line(19) == "  －  县自然资源局         0      0      0        0        0        3       100.0%")
        #expect(f.row(containing: "共 12 个单位") == nil)
        #expect(f.line(21) == "  逾期最久的事项")
        #expect(f.line(22).hasPrefix("  督〔2026〕第0012号  国道319线青石段路面破损修复"))
        #expect(f.line(22).hasSuffix("县交通运输局    逾期36天"))
        #expect(f.style(of: "－", inRow: 19) == .dim)
    }

    @Test func listAt80x24() {
        var s = TUIFixtures.state()
        TUIFixtures.type(&s, [.char("2")])
        let f = Renderer.render(s)
        #expect(f.line(1) == " 全部事项                                       显示 42/42 件  排序：按紧迫程度")
        #expect(f.line(2) == " 灯 编号      事项              牵头单位     时限       剩余/逾期    状态")
        #expect(f.line(3) == " 红 2026-0012 国道319线青石段…  县交通运输局 2026-10-16 逾期36天     办理中")
        #expect(f.line(4) == " 红 2026-0013 青石镇集镇饮水安… 青石镇       2026-10-16 逾期36天     办理中")
        // Today is a Saturday: what the demo makes due today falls due on Monday.
        #expect(f.line(12) == " 黄 2026-0036 秸秆禁烧和综合利… 县农业农村局 2026-11-23 剩1个工作日  办理中")
        #expect(f.line(20) == " 绿 2026-0028 政府债务风险化解… 县财政局     2026-12-04 剩10个工作日 办理中")
        // The selected first row is reversed red; the next overdue row red; due soon yellow.
        #expect(f[3, 1].style == Style(.red, bold: true, reverse: true))
        #expect(f[3, 79].style == Style(.red, bold: true, reverse: true), "选中行整行反显")
        #expect(f.style(of: "青石镇集镇", inRow: 4) == .red)
        #expect(f.style(of: "秸秆禁烧", inRow: 12) == .yellow)
        #expect(f.style(of: "政府债务", inRow: 20) == .green)
        #expect(f.line(22).hasSuffix("1/42"))
        for r in 0..<f.rows { #expect(f.line(r).displayWidth <= 80) }
    }

    @Test func listAt120x40ShowsFullNumbersAndClosedRowsDim() throws {
        var s = TUIFixtures.state(rows: 40, cols: 120)
        TUIFixtures.type(&s, [.char("2")])
        let f = Renderer.render(s)
        #expect(f.line(2) == " 灯  编号                事项                              牵头单位        时限        剩余/逾期     状态")
        #expect(f.line(3) == " 红  督〔2026〕第0012号  国道319线青石段路面破损修复       县交通运输局    2026-10-16  逾期36天      办理中")
        let closed = try #require(f.row(containing: "逾期办结"))
        #expect(f.style(of: "逾期办结", inRow: closed) == .dim)
        #expect(f.line(closed).hasPrefix(" 结"))
        let declined = try #require(f.row(containing: "已退办"))
        #expect(f.line(declined).contains("待签收·已退办"))
    }

    @Test func detailWrapsTheInstructionAndListsHistoryNewestFirst() {
        var s = TUIFixtures.state()
        TUIFixtures.select(&s, "青石镇集镇饮水安全提升")
        TUIFixtures.type(&s, [.enter])
        let f = Renderer.render(s)
        #expect(f.line(1) == " 督〔2026〕第0013号  青石镇集镇饮水安全提升")
        #expect(f.line(3) == " 亮灯：红 逾期36天")
        #expect(f.style(of: "亮灯", inRow: 3) == .red)
        #expect(f.line(15) == "   青石镇集镇居民反映自来水浑浊、时有停水。请查明原因，制定改造方案，期间做好应")
        #expect(f.line(16) == "   急供水。")
        for r in 0..<f.rows { #expect(f.line(r).displayWidth <= 80) }
        // Scroll to the end: the registration is the oldest, at the bottom.
        TUIFixtures.type(&s, [.pageDown, .pageDown])
        let end = Renderer.render(s)
        let register = end.row(containing: "立项交办")!
        #expect(register > end.row(containing: "签收")!)
    }

    @Test func aTerminalTooSmallShowsAMessage() {
        let f = Renderer.render(TUIFixtures.state(rows: 12, cols: 50))
        #expect(f.row(containing: "终端窗口太小") != nil)
        #expect(f.row(containing: "当前 50×12") != nil)
    }

    @Test func everySizeDrawsWithinTheGridWithoutSplittingWideCharacters() {
        for (rows, cols) in [(16, 60), (24, 80), (25, 81), (30, 99), (40, 120), (50, 200)] {
            var s = TUIFixtures.state(rows: rows, cols: cols)
            for keys in [[Key](), [.char("2")], [.enter], [.char("?")], [.escape, .char("f")], [.escape, .escape, .char("n")]] {
                TUIFixtures.type(&s, keys)
                let f = Renderer.render(s)
                for r in 0..<rows {
                    #expect(f.line(r).displayWidth <= cols, "\(cols)×\(rows) 第\(r)行过宽")
                    for c in 0..<cols where DisplayWidth.of(f[r, c].text) == 2 {
                        #expect(c + 1 < cols && f[r, c + 1].isContinuation, "\(cols)×\(rows) (\(r),\(c)) 宽字符被拆开")
                    }
                }
            }
        }
    }

    @Test func controlCharactersFromDataNeverReachTheScreen() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局")
        // A title with terminal escapes, as a hostile import or another tool could write it.
        try b.record(
            .item(
                ItemNumber(prefix: "督", year: 2026, serial: 1),
                .register(
                    Registration(
                        title: "标题\u{1B}]0;pwned\u{07}\u{1B}[2J\u{202E}\u{2066}\u{200B}\u{200D}\u{FEFF}尾",
                        instruction: "一\u{1B}[31m二\u{202E}三\u{2028}四\u{200C}五", source: "领导批示", leadUnit: "县财政局",
                        assignedOn: Fixtures.day("2026-11-02"), deadline: Fixtures.day("2026-11-30")))), actor: "clerk")
        var s = AppState(
            ledger: b.ledger, actor: .supervisor("clerk"), today: Fixtures.day("2026-11-03"), calendar: Fixtures.calendar,
            rows: 24, cols: 80,
            workingDirectory: "/tmp")
        for keys in [[Key.char("2")], [.enter]] {
            TUIFixtures.type(&s, keys)
            let f = Renderer.render(s)
            for cell in f.cells {
                #expect(
                    !cell.text.unicodeScalars.contains {
                        $0.value < 0x20 || $0.value == 0x7F || ($0.value >= 0x80 && $0.value < 0xA0)
                            || Deceptive.kind($0.value) != nil
                    })
            }
            #expect(f.row(containing: "标题\u{FFFD}]0;pwned") != nil)
        }
        // In the item's page, bidi and zero-width characters are drawn as U+FFFD, one cell each,
        // like controls: the text after them stays where it belongs.
        let f = Renderer.render(s)
        #expect(f.row(containing: "[2J\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}尾") != nil, "\(f.text)")
        #expect(f.row(containing: "二\u{FFFD}三\u{FFFD}四\u{FFFD}五") != nil, "\(f.text)")
    }

    /// Every line of the help overlay, paging through it (at 80×24 it is longer than the screen).
    static func helpLines(_ s: inout AppState) -> [String] {
        var seen: [String] = []
        for _ in 0..<6 {
            let f = Renderer.render(s)
            seen += (2..<(s.rows - 1)).map { f.line($0) }
            TUIFixtures.type(&s, [.pageDown])
        }
        return seen
    }

    @Test func theHelpOverlayListsOnlyWhatTheRoleMayDo() {
        var office = TUIFixtures.state()
        TUIFixtures.type(&office, [.char("2"), .char("?")])
        #expect(Renderer.render(office).row(containing: "帮助 · 台账") != nil)
        let f = RenderTests.helpLines(&office)
        #expect(f.contains { $0.contains("立项交办新事项") })
        #expect(f.contains { $0.contains("审核") })
        var unit = TUIFixtures.state("czj")
        TUIFixtures.type(&unit, [.char("2"), .char("?")])
        let u = RenderTests.helpLines(&unit)
        #expect(!u.contains { $0.contains("立项交办新事项") })
        // No 催办 key (the export entry's 催办通知 is the unit's own notice, which it may export).
        #expect(!u.contains { $0.split(separator: " ") == ["r", "催办"] })
        #expect(f.contains { $0.split(separator: " ") == ["r", "催办"] })
        #expect(u.contains { $0.contains("反馈") })
        // Any key closes it.
        TUIFixtures.type(&unit, [.char("z")])
        #expect(Renderer.render(unit).row(containing: "帮助 · 台账") == nil)
    }

    @Test func aUnitSeesOnlyItsOwnItems() {
        var s = TUIFixtures.state("czj")
        let dash = Renderer.render(s)
        #expect(dash.row(containing: "本单位办理情况") != nil)
        #expect(dash.line(0).contains("czj·县财政局"))
        TUIFixtures.type(&s, [.char("2")])
        let f = Renderer.render(s)
        let count = TUIFixtures.demo.items.filter { $0.involves(unit: "县财政局") }.count
        #expect(f.line(1).contains("显示 \(count)/\(count) 件"))
        #expect(f.row(containing: "青石镇集镇饮水") == nil)
    }

    @Test func withoutColourLightsStayDistinctThroughAttributes() {
        let lights: [Style] = [.red, .yellow, .green, .dim]
        let mono = Set(lights.map { NcursesTerminal.attributes($0, color: false) })
        #expect(mono.count == 4, "无颜色时红、黄、绿、灰仍可区分")
        #expect(NcursesTerminal.attributes(.red, color: false) & ducha_a_bold() != 0)
        #expect(NcursesTerminal.attributes(Style(.red, reverse: true), color: false) & ducha_a_reverse() != 0)
        let colour = Set(lights.map { NcursesTerminal.attributes($0, color: true) })
        #expect(colour.count == 4)
        #expect(NcursesTerminal.attributes(.red, color: true) & ducha_color_pair(1) == ducha_color_pair(1))
    }
}
