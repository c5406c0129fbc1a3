import DuchaCore
import DuchaTUI
import DuchaTestSupport
import Testing

/// The statistics page with scoring rules set: 得分 in the table, the selected unit's
/// breakdown under it, at 80×24.
@Suite struct ScoringScreenTests {
    typealias F = TUIFixtures

    static func scored() throws -> Ledger {
        var l = F.demo
        for (k, v) in [("score.base", "100"), ("score.ontime", "1"), ("score.return", "2")] {
            try l.apply(
                Entry(
                    seq: l.seq + 1, at: Timestamp(day: F.today, hour: 9, minute: 0), actor: "clerk", unit: nil, proxy: false,
                    change: .setting(key: k, value: v)))
        }
        return l
    }

    @Test func theScoreAndTheSelectedUnitsBreakdownFit80Columns() throws {
        var s = F.state(ledger: try ScoringScreenTests.scored())
        F.type(&s, [.char("3")])
        let f = Renderer.render(s)
        #expect(f.line(3).hasPrefix(" 名次 单位") && f.line(3).hasSuffix("得分"), "\(f.text)")
        #expect(!f.line(3).contains("扣分") && f.line(4).hasPrefix(" ----"), "表头只占一行：\(f.text)")
        let stats = try #require(s.stats)
        let first = stats.rows[0]
        let score = Statistics.signed(first.scoreTenths(stats.rules))
        #expect(f.line(5).hasSuffix(" " + score), "\(f.text)")
        // The breakdown of the first unit, then of the second after ↓.
        #expect(f.text.contains("\(first.name)  得分 \(score)＝基础100 按时+"), "\(f.text)")
        #expect(f.text.contains(" 退回"))
        F.type(&s, [.down])
        let g = Renderer.render(s)
        #expect(g.text.contains("\(stats.rows[1].name)  得分 \(Statistics.signed(stats.rows[1].scoreTenths(stats.rules)))＝"))
        #expect(g.text.contains("均天＝平均办理天数"))
        #expect(g.line(23).contains("↑↓ 选择单位"), "\(g.text)")
        // ↓ stops at the last unit, so one ↑ selects the one before it.
        F.type(&s, Array(repeating: .down, count: stats.rows.count + 5) + [.up])
        let h = Renderer.render(s)
        let before = stats.rows[stats.rows.count - 2]
        #expect(h.text.contains("\(before.name)  得分 \(Statistics.signed(before.scoreTenths(stats.rules)))＝"), "\(h.text)")
    }

    /// A unit loses points for an item suspended when already late: the page says why, as
    /// `ducha stats` does, at 80×24.
    @Test func thePageSaysWhyASuspendedLateItemCosts() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县教育局", "城关镇")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        let late = try b.register("校舍维修", lead: "县教育局", deadline: "2026-11-05")
        try b.register("道路修缮", lead: "城关镇", deadline: "2026-12-05")
        b.today = Fixtures.day("2026-11-10")
        try b.act(late, .suspend(reason: "等待资金"))
        var s = AppState(
            ledger: b.ledger, actor: try b.ledger.actor(login: "clerk"), today: Fixtures.day("2026-11-20"),
            calendar: Fixtures.calendar, rows: 24, cols: 80, workingDirectory: "/tmp")
        F.type(&s, [.char("3")])
        let f = Renderer.render(s)
        #expect(f.text.contains("另：暂缓前已逾期的事项1件（县教育局1件），暂缓期间停止计时"), "\(f.text)")
        #expect(f.text.contains("暂缓前的逾期照扣"), "\(f.text)")
        #expect(f.line(23).contains("↑↓"), "说明不盖住按键提示：\(f.text)")
    }

    @Test func withoutScoringRulesThePageIsAsBefore() {
        var s = F.state()
        F.type(&s, [.char("3")])
        let f = Renderer.render(s)
        #expect(f.line(3).hasSuffix("扣分") && !f.text.contains("得分"))
        #expect(!f.text.contains("暂缓前已逾期"))
        #expect(f.line(23).contains("↑↓ 滚动"))
    }
}
