import DuchaCore
import DuchaTestSupport
import Testing

@Suite struct OverdueNoticeTests {
    /// Three overdue items in two units, one due later, one closed on time, one withdrawn.
    static func ledger() throws -> Ledger {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局", "城关镇", "县发改局")
        let a = try b.register("城区背街小巷路灯不亮问题整改", lead: "城关镇", co: ["县财政局", "县发改局"], deadline: "2026-11-18")
        let c = try b.register("政府债务风险化解方案", lead: "县财政局", deadline: "2026-11-10", source: "政府常务会决定事项", leader: "陈志刚")
        let d = try b.register("财政资金直达机制落实", lead: "县财政局", deadline: "2026-11-20", source: "重点工作任务")
        let e = try b.register("工业园区企业用电报装提速", lead: "县发改局", deadline: "2026-12-31")
        let f = try b.register("县域商业体系建设", lead: "县发改局", deadline: "2026-11-06", source: "上级交办")
        let g = try b.register("矿山生态修复", lead: "县发改局", deadline: "2026-11-06", source: "上级交办")
        for n in [a, c, d, e, f] { try b.act(n, .sign) }
        b.today = Fixtures.day("2026-11-05")
        try b.act(c, .feedback(text: "已完成方案初稿，正在征求各乡镇意见。"))
        try b.act(f, .requestCompletion(report: "已建成县级物流配送中心。"))
        try b.act(f, .approveCompletion(grade: .good, note: ""))
        try b.act(g, .withdraw(reason: "调整至明年"))
        return b.ledger
    }

    @Test func theNoticeTextIsExactlyAsPrinted() throws {
        let ledger = try OverdueNoticeTests.ledger()
        let e = StatusEvaluator(today: Fixtures.day("2026-11-21"), calendar: Fixtures.calendar, settings: ledger.settings)
        let notice = OverdueNotice(items: ledger.items, evaluator: e, serial: 3, preview: false)
        let expected = """
                                                        逾期事项通报
                                                           第3期

            青山县委督查室                                                                        2026年11月21日

            　　截至2026年11月21日，纳入督查督办的事项共5件。已办结1件，办结率20.0%，其中按时办结1件、逾期办结0
            件，按时办结率100.0%；在办4件，其中逾期未办结3件，占在办事项的75.0%，临期0件。现将逾期未办结事项通报
            如下。

            一、县财政局（逾期2件）

            序号 编号               事项       来源     批示   牵头单位 配合单位 时限       逾期 最新进展
                                                        领导                                天数
            ---- ------------------ ---------- -------- ------ -------- -------- ---------- ---- ---------------
               1 督〔2026〕第0002号 政府债务风 政府常务 陈志刚 县财政局          2026-11-10   11 11月5日：已完成
                                    险化解方案 会决定事                                          方案初稿，正在
                                               项                                                征求各乡镇意
                                                                                                 见。
               2 督〔2026〕第0003号 财政资金直 重点工作 李明远 县财政局          2026-11-20    1 （未反馈）
                                    达机制落实 任务

            二、城关镇（逾期1件）

            序号 编号               事项       来源     批示   牵头单位 配合单位 时限       逾期 最新进展
                                                        领导                                天数
            ---- ------------------ ---------- -------- ------ -------- -------- ---------- ---- ---------------
               3 督〔2026〕第0001号 城区背街小 领导批示 李明远 城关镇   县财政局 2026-11-18    3 （未反馈）
                                    巷路灯不亮                          县发改局
                                    问题整改

            　　请以上单位切实履行承办责任，抓紧办理，并于2026年11月25日前将办理进展和逾期原因书面报送青山县委督
            查室。

                                                                                              青山县委督查室
                                                                                              2026年11月21日

            """
        let text = notice.text(width: 100)
        Golden.check(text, expected, "notice")
        for line in text.split(separator: "\n") { #expect(DisplayWidth.of(line) <= 100, "\(line)") }
    }

    @Test func csvOpensInExcelAndJsonCarriesTheSameRows() throws {
        let ledger = try OverdueNoticeTests.ledger()
        let e = StatusEvaluator(today: Fixtures.day("2026-11-21"), calendar: Fixtures.calendar, settings: ledger.settings)
        let notice = OverdueNotice(items: ledger.items, evaluator: e, serial: 1, preview: true)
        let csv = notice.csv()
        #expect(csv.hasPrefix("\u{FEFF}序号,编号,事项,来源,批示领导,牵头单位,配合单位,时限,逾期天数,最新进展,状态,交办日期,类别\r\n"))
        #expect(csv.contains("3,督〔2026〕第0001号,城区背街小巷路灯不亮问题整改,领导批示,李明远,城关镇,县财政局、县发改局,2026-11-18,3,（未反馈）,办理中,2026-11-02,逾期\r\n"))
        #expect(csv.components(separatedBy: "\r\n").count == 5)
        let json = notice.json()
        #expect(json.contains(#""serial":1,"preview":true"#))
        #expect(json.contains(#""overdueDays":11"#))
        #expect(notice.serialText == "第1期（预览）")
    }

    @Test func narrowWidthsStillAlign() throws {
        let ledger = try OverdueNoticeTests.ledger()
        let e = StatusEvaluator(today: Fixtures.day("2026-11-21"), calendar: Fixtures.calendar, settings: ledger.settings)
        let notice = OverdueNotice(items: ledger.items, evaluator: e, serial: 1, preview: false)
        for width in [80, 90, 120, 160] {
            let lines = notice.text(width: width).split(separator: "\n", omittingEmptySubsequences: false)
            for line in lines { #expect(DisplayWidth.of(line) <= width, "宽度 \(width)：\(line)") }
            // Every row of a table starts its columns at the same cells as the header.
            let header = lines.first { $0.hasPrefix("序号") }!
            let rule = lines.first { $0.hasPrefix("----") }!
            #expect(DisplayWidth.of(header) <= DisplayWidth.of(rule) + 12)
        }
    }
}
