import DuchaCore
import DuchaOps
import DuchaTUI
import DuchaTestSupport
import Testing

/// A meeting's decisions registered in a row from the 立项 form (Ctrl-N keeps one and opens the
/// next with the same basis; Enter registers them all in one commit), the basis filter and the
/// statistics by basis, at 80×24.
@Suite struct BasisTUITests {
    typealias F = TUIFixtures

    /// Tab from 事项 to 交办依据: 牵头单位, 配合单位, 办理时限, 来源, 批示领导, 紧急程度, 交办依据.
    static let toBasis: [Key] = Array(repeating: .tab, count: 7)

    @Test func severalDecisionsOfOneMeetingInARowRegisteredTogether() {
        var s = F.state()
        F.type(
            &s,
            [.char("n")] + F.text("城区停车场建设") + [.tab] + F.text("住建") + [.tab, .tab] + F.text("+10") + [.tab, .tab, .tab, .tab]
                + F.text("县政府第13次常务会议") + [.tab] + F.text("〔2026〕13号") + [.tab] + F.text("2026-11-19"))
        #expect(F.type(&s, [.ctrl("n")]).isEmpty)
        guard case .registerBatch(let kept)? = s.modal?.purpose, case .form(let form)? = s.modal?.body else {
            Issue.record("应暂存第1件并打开第2件：\(String(describing: s.message))")
            return
        }
        #expect(kept.count == 1 && kept[0][.title] == "城区停车场建设")
        // The next item starts with the same basis and deadline, its own title and unit empty.
        #expect(form.value(.basis) == "县政府第13次常务会议" && form.value(.basisNumber) == "〔2026〕13号")
        #expect(form.value(.basisDate) == "2026-11-19" && form.value(.deadline) == "+10")
        #expect(form.value(.title).isEmpty && form.value(.lead).isEmpty)
        #expect(s.message?.text.contains("第1件已暂存") == true)
        // The screen says how many are kept and how to go on.
        let frame = Renderer.render(s)
        #expect(frame.row(containing: "连续立项（已填1件，Enter 一并立项）") != nil, "\(frame.text)")
        #expect(frame.row(containing: "Ctrl-N 暂存填下一件") != nil, "\(frame.text)")
        #expect(frame.row(containing: "交办依据：县政府第13次常务会议") != nil, "\(frame.text)")
        // A second item with a deadline before its 交办日期 is not kept: said, the form stays.
        F.type(&s, F.text("中小学课后服务") + [.tab] + F.text("教育") + [.tab, .tab, .ctrl("u")] + F.text("2026-11-01"))
        F.type(&s, [.ctrl("n")])
        #expect(
            s.message?.isError == true && s.message?.text.hasPrefix("第2件未暂存：办理时限有误") == true, "\(String(describing: s.message))")
        guard case .registerBatch(let still)? = s.modal?.purpose else {
            Issue.record("表单应保留")
            return
        }
        #expect(still.count == 1)
        F.type(&s, [.ctrl("u")] + F.text("+15"))
        // Enter registers both in one operation: all of them or none.
        let effects = F.type(&s, [.enter])
        guard case .perform(.registerAll(let inputs))? = effects.first else {
            Issue.record("应一并立项：\(effects) \(String(describing: s.message))")
            return
        }
        #expect(inputs.map { $0[.title] } == ["城区停车场建设", "中小学课后服务"])
        let commands = F.commands(effects)
        #expect(commands.count == 2)
        for c in commands {
            guard case .register(let r) = c else {
                Issue.record("应为立项：\(c)")
                continue
            }
            #expect(r.basis == "县政府第13次常务会议" && r.basisNumber == "〔2026〕13号" && r.basisDate == Fixtures.day("2026-11-19"))
        }
        // Esc with items kept asks before throwing them away.
        var t = F.state()
        F.type(&t, [.char("n")] + F.text("一件") + [.tab] + F.text("住建") + [.tab, .tab] + F.text("+10") + [.ctrl("n"), .escape])
        #expect(t.modal != nil && t.discarding != nil)
    }

    @Test func theFormEndsABatchWithTheFormLeftEmpty() {
        var s = F.state()
        F.type(&s, [.char("n")] + F.text("一件") + [.tab] + F.text("住建") + [.tab, .tab] + F.text("+10") + [.ctrl("n")])
        let effects = F.type(&s, [.enter])
        guard case .perform(.registerAll(let inputs))? = effects.first else {
            Issue.record("空表单时应立项已暂存的事项：\(effects) \(String(describing: s.message))")
            return
        }
        #expect(inputs.count == 1)
    }

    @Test func theListFiltersByBasisAndTheStatisticsGroupByIt() {
        var ledger = F.demo
        let r = ledger.items.first { $0.state == .active }!
        let n = r.number
        // Give one demo item a basis, as an edit would.
        try! ledger.apply(
            Entry(
                seq: ledger.seq + 1, at: Timestamp(day: F.today, hour: 9, minute: 0), actor: "clerk",
                change: .item(n, .edit(changes: [FieldChange(field: .basis, old: r.basis, new: "县政府第12次常务会议")], reason: ""))))
        var s = F.state(ledger: ledger)
        F.type(&s, [.char("2"), .char("i")])
        guard case .picker(let options, _, _)? = s.modal?.body else {
            Issue.record("应打开依据选择")
            return
        }
        #expect(options.first == "全部依据" && options.contains("县政府第12次常务会议"))
        F.type(&s, F.text("第12次") + [.enter])
        #expect(s.list.rows.count == 1)
        let frame = Renderer.render(s)
        #expect(frame.row(containing: "筛选：依据 县政府第12次常务会议") != nil, "\(frame.text)")
        #expect(frame.row(containing: "u t y i l 筛选") != nil, "\(frame.text)")
        // 统计: b goes 单位 → 来源 → 依据.
        F.type(&s, [.char("3"), .char("b"), .char("b")])
        let stats = Renderer.render(s)
        #expect(stats.row(containing: "办理情况统计（按依据") != nil, "\(stats.text)")
        #expect(stats.row(containing: "完成率") != nil && stats.row(containing: "县政府第12次常务会议") != nil, "\(stats.text)")
        #expect(stats.row(containing: "b 按单位统计") != nil, "\(stats.text)")
        // x on an item with a basis offers that meeting's 落实情况通报 (a preview), as text.
        F.type(&s, [.char("2")])
        F.select(&s, r.title)
        F.type(&s, [.char("x")])
        guard case .choice(_, let kinds, _)? = s.modal?.body else {
            Issue.record("应列出可导出的内容")
            return
        }
        let progress = kinds.firstIndex(of: "县政府第12次常务会议落实情况通报（预览稿）")
        #expect(progress != nil, "\(kinds)")
        F.type(&s, Array(repeating: .down, count: progress ?? 0) + [.enter])
        #expect(
            F.type(&s, [.enter]) == [.exportProgress(path: "/tmp/导出/落实情况通报-2026-11-21.txt", basis: "县政府第12次常务会议")])
        // Not on an item without one.
        var plain = F.state(ledger: ledger)
        F.type(&plain, [.char("2"), .char("x")])
        if case .choice(_, let none, _)? = plain.modal?.body { #expect(!none.contains { $0.contains("落实情况通报") }) }
    }
}
