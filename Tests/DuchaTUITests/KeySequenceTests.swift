import DuchaCore
import DuchaTUI
import DuchaTestSupport
import Testing

/// Key sequences through `handle`, as a user would type them: each action ends in the command
/// the core will judge; each refusal shows the core's own message and opens nothing.
@Suite struct KeySequenceTests {
    typealias F = TUIFixtures

    func commit(_ effects: [Effect]) -> Command? {
        TUIFixtures.commands(effects).first
    }

    @Test func signAsksForConfirmation() {
        var s = F.state("fgj")
        F.select(&s, "安全生产大排查大整治")
        F.type(&s, [.char("s")])
        guard case .confirm(let q) = s.modal?.body else {
            Issue.record("应先确认")
            return
        }
        #expect(q.contains("签收 \(F.number("安全生产大排查大整治"))"))
        // n cancels and records nothing.
        #expect(commit(F.type(&s, [.char("n")])) == nil)
        #expect(s.modal == nil)
        F.type(&s, [.char("s")])
        #expect(commit(F.type(&s, [.enter])) == .act(F.ref("安全生产大排查大整治"), .action(.sign)))
    }

    @Test func textPastedBeyondTheLimitIsSaidNotSilentlyCut() {
        var s = F.state("czj")
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("f")] + F.text(String(repeating: "督", count: Validate.textLimit - 1)))
        #expect(Renderer.render(s).row(containing: "已输入 \(Validate.textLimit - 1) 字") != nil)
        F.type(&s, F.text("查室"))
        let frame = Renderer.render(s)
        let row = frame.row(containing: "已输入 \(Validate.textLimit) 字，已到上限，多出的内容没有输入")
        #expect(row != nil, "\(frame.text)")
        F.type(&s, [.backspace])
        #expect(Renderer.render(s).row(containing: "已到上限") == nil)
    }

    @Test func feedbackTypedInChineseWithEditing() {
        var s = F.state("czj")
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("f")] + F.text("已完成初稿错") + [.backspace] + F.text("，征求意见中"))
        guard case .text(_, let editor, _) = s.modal?.body else {
            Issue.record("应打开输入框")
            return
        }
        #expect(editor.text == "已完成初稿，征求意见中")
        let frame = Renderer.render(s)
        let row = frame.row(containing: "已完成初稿")!
        // The cursor stands right after the last character, counted in cells.
        #expect(frame.cursor?.row == row)
        #expect(frame.cursor!.col - frame.line(row).firstIndexCol(of: "已") == editor.text.displayWidth)
        F.type(&s, [.ctrl("u")])
        F.type(&s, F.text("已完成初稿"))
        #expect(commit(F.type(&s, [.enter])) == .act(F.ref("政府债务风险化解方案"), .action(.feedback(text: "已完成初稿"))))
    }

    @Test func theOfficeChoosesInWhoseNameItRecordsFeedback() {
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("f"), .down, .enter] + F.text("配合意见已报"))
        let c = commit(F.type(&s, [.enter]))
        #expect(c == .act(F.ref("政府债务风险化解方案"), .action(.feedback(text: "配合意见已报")), forUnit: "县发改局"))
    }

    @Test func extensionRequestForm() {
        var s = F.state("czj")
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("e")] + F.text("2026-12-20") + [.tab] + F.text("需常委会审定"))
        #expect(
            commit(F.type(&s, [.enter]))
                == .act(F.ref("政府债务风险化解方案"), .action(.requestExtension(to: Fixtures.day("2026-12-20"), reason: "需常委会审定"))))
        // A bad date is refused in Chinese, the form kept.
        var t = F.state("czj")
        F.select(&t, "政府债务风险化解方案")
        F.type(&t, [.char("e")] + F.text("2026-02-30") + [.tab] + F.text("理由"))
        #expect(commit(F.type(&t, [.enter])) == nil)
        #expect(t.message?.text == "日期无效 2026-02-30：2026年2月只有28天")
        #expect(t.modal != nil)
    }

    @Test func completionReport() {
        var s = F.state("czj")
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("c")] + F.text("方案已报县委常委会审定"))
        #expect(commit(F.type(&s, [.enter])) == .act(F.ref("政府债务风险化解方案"), .action(.requestCompletion(report: "方案已报县委常委会审定"))))
    }

    @Test func reviewApproveWithGradeAndReturnWithReason() {
        var s = F.state()
        F.select(&s, "县域商业体系建设")
        F.type(&s, [.char("a"), .enter, .down])  // 通过 → 良好
        #expect(
            commit(F.type(&s, [.enter, .char("y")]))
                == .act(F.ref("县域商业体系建设"), .action(.approveCompletion(grade: .good, note: ""))))
        var r = F.state()
        F.select(&r, "县域商业体系建设")
        F.type(&r, [.char("a"), .down, .enter] + F.text("未附验收材料"))
        #expect(commit(F.type(&r, [.enter])) == .act(F.ref("县域商业体系建设"), .action(.returnCompletion(reason: "未附验收材料"))))
    }

    @Test func extensionDecisions() {
        let title = F.demo.items.first { $0.pendingExtension != nil }!.title
        var s = F.state()
        F.select(&s, title)
        F.type(&s, [.char("a")])
        guard case .choice(_, let options, _) = s.modal?.body else {
            Issue.record("应列出审批选项")
            return
        }
        #expect(options[0].hasPrefix("批准延期至"))
        #expect(commit(F.type(&s, [.enter, .enter])) == .act(F.ref(title), .approveExtension(to: nil, note: "")))
        var d = F.state()
        F.select(&d, title)
        F.type(&d, [.char("a"), .down, .enter] + F.text("时限内可完成"))
        #expect(commit(F.type(&d, [.enter])) == .act(F.ref(title), .action(.denyExtension(reason: "时限内可完成"))))
    }

    @Test func remindCommentWithdrawSuspendResume() {
        let t = "青石镇集镇饮水安全提升"
        var s = F.state()
        F.select(&s, t)
        F.type(&s, [.char("r"), .down, .enter] + F.text("发催办通知"))
        #expect(commit(F.type(&s, [.enter])) == .act(F.ref(t), .action(.remind(method: .letter, note: "发催办通知"))))
        // The runner would now commit; here nothing changes but the dialog closes.
        s.commitSucceeded("已催办", ledger: s.ledger)
        #expect(s.modal == nil && s.message?.text == "已催办")
        F.select(&s, t)
        F.type(&s, [.char("m")] + F.text("抓紧"))
        #expect(commit(F.type(&s, [.enter])) == .act(F.ref(t), .action(.comment(text: "抓紧"))))
        s.commitSucceeded("", ledger: s.ledger)
        F.select(&s, t)
        F.type(&s, [.char("w")] + F.text("不再实施"))
        #expect(commit(F.type(&s, [.enter])) == .act(F.ref(t), .action(.withdraw(reason: "不再实施"))))
        s.commitSucceeded("", ledger: s.ledger)
        F.select(&s, t)
        F.type(&s, [.char("p")] + F.text("政策调整"))
        #expect(commit(F.type(&s, [.enter])) == .act(F.ref(t), .action(.suspend(reason: "政策调整"))))
        s.commitSucceeded("", ledger: s.ledger)
        let suspended = F.demo.items.first { $0.state == .suspended }!.title
        F.select(&s, suspended)
        F.type(&s, [.char("p")])
        #expect(commit(F.type(&s, [.enter])) == .act(F.ref(suspended), .resume(reason: "", calendar: Fixtures.calendar)))
    }

    @Test func registerANewItemWithTheUnitPicker() {
        var s = F.state()
        F.type(
            &s,
            [.char("n")] + F.text("乡镇卫生院设备更新") + [.tab] + F.text("卫健") + [.tab] + F.text("财政") + [.char(" "), .tab]
                + F.text("+10") + [.tab, .down, .tab] + F.text("赵丽华") + [.tab, .down])
        let c = commit(F.type(&s, [.enter]))
        guard case .register(let r) = c else {
            Issue.record("应立项：\(String(describing: c)) \(String(describing: s.message))")
            return
        }
        #expect(r.title == "乡镇卫生院设备更新")
        #expect(r.leadUnit == "县卫健局")
        #expect(r.coUnits == ["县财政局"])
        #expect(r.deadline == Fixtures.day("2026-12-04"))  // 10 working days after Saturday 2026-11-21
        #expect(r.source == "常委会决定事项")
        #expect(r.leader == "赵丽华")
        #expect(r.urgency == .urgent)
        // A form missing its title says so and stays open.
        var t = F.state()
        F.type(&t, [.char("n"), .enter])
        #expect(t.message?.text == "请填写“事项”")
        #expect(t.modal != nil)
    }

    @Test func editRecordsOnlyWhatChanged() {
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("E"), .end] + F.text("（2027年）"))
        let c = commit(F.type(&s, [.enter]))
        #expect(c == .act(F.ref("政府债务风险化解方案"), .edit([FieldValue(.title, "政府债务风险化解方案（2027年）")], reason: "")))
    }

    @Test func refusalsShowTheCoresMessageAndOpenNothing() {
        // A co-unit may not sign or report completion.
        var co = F.state("fgj")
        F.select(&co, "政府债务风险化解方案")
        F.type(&co, [.char("c")])
        #expect(co.modal == nil)
        #expect(
            co.message == Message(text: "县发改局 无权申请办结 \(F.number("政府债务风险化解方案"))：该事项由 县财政局 牵头，本单位为配合单位，只有牵头单位可以申请办结", isError: true)
        )
        // A signed item cannot be signed again.
        var office = F.state()
        F.select(&office, "政府债务风险化解方案")
        F.type(&office, [.char("s")])
        #expect(office.modal == nil)
        #expect(office.message?.text == "不能签收 \(F.number("政府债务风险化解方案"))：该事项已签收，当前为“办理中”")
        // A leader comments but does not report progress.
        var leader = F.state("ldzhao")
        F.select(&leader, "政府债务风险化解方案")
        F.type(&leader, [.char("f")])
        #expect(leader.message?.isError == true && leader.message!.text.contains("无权反馈"))
        F.type(&leader, [.char("m")])
        #expect(leader.modal != nil)
        // A unit may not register.
        var unit = F.state("czj")
        F.type(&unit, [.char("n")])
        #expect(unit.modal == nil && unit.message!.text.contains("只有督查室可以立项交办"))
    }

    @Test func aRefusedCommitKeepsTheTextTyped() {
        var s = F.state("czj")
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("f")] + F.text("很长的一段进展"))
        F.type(&s, [.enter])
        s.commitFailed("台账日志写入失败：磁盘空间已满")
        guard case .text(_, let editor, _) = s.modal?.body else {
            Issue.record("输入框应保留")
            return
        }
        #expect(editor.text == "很长的一段进展")
        #expect(Renderer.render(s).row(containing: "磁盘空间已满") != nil)
    }

    @Test func searchFiltersAsYouTypeEnterKeepsEscClears() {
        var s = F.state()
        F.type(&s, [.char("2"), .char("/")] + F.text("青石"))
        let n = s.list.rows.count
        #expect(n > 0 && n < 42)
        #expect(
            s.list.rows.allSatisfy { r in
                let i = s.ledger.items[r.index]
                return (i.title + i.leadUnit + i.coUnits.joined() + i.instruction).contains("青石")
            })
        F.type(&s, [.enter])
        #expect(s.search == nil && s.list.rows.count == n)
        F.type(&s, [.char("/"), .escape])
        #expect(s.list.rows.count == 42)
    }

    @Test func deletingAndRetypingInTheSearchGivesWhatTypingAfreshGives() {
        func fresh(_ text: String) -> [Int] {
            var t = F.state()
            F.type(&t, [.char("2"), .char("/")] + F.text(text))
            return t.list.rows.map(\.index)
        }
        var s = F.state()
        F.type(&s, [.char("2"), .char("/")] + F.text("青石镇"))
        #expect(s.list.rows.map(\.index) == fresh("青石镇"))
        F.type(&s, [.backspace])
        #expect(s.list.rows.map(\.index) == fresh("青石"))
        F.type(&s, [.backspace, .backspace])
        #expect(s.list.rows.count == 42)
        F.type(&s, F.text("饮水 青"))
        #expect(s.list.rows.map(\.index) == fresh("饮水 青"))
        #expect(!s.list.rows.isEmpty && s.list.rows.count < fresh("饮水").count + 1)
        F.type(&s, [.backspace, .backspace] + F.text("县"))
        #expect(s.list.rows.map(\.index) == fresh("饮水县"))
    }

    @Test func filtersBySelectingFromLists() {
        var s = F.state()
        F.type(&s, [.char("2"), .char("l"), .down, .enter])  // 红 逾期
        #expect(s.list.rows.count == 9)
        #expect(s.list.rows.allSatisfy { $0.status.light == .red })
        F.type(&s, [.char("u")] + Array(repeating: .down, count: 1) + [.enter])
        #expect(s.list.query.unit == "城关镇")
        F.type(&s, [.escape])
        #expect(!s.list.query.isFiltered && s.list.rows.count == 42)
        F.type(&s, [.char("o")])
        #expect(s.list.query.order == .deadline)
    }

    @Test func movementKeepsTheSelectionVisible() {
        var s = F.state(rows: 24, cols: 80)
        F.type(&s, [.char("2")] + Array(repeating: .down, count: 25))
        #expect(s.list.selected == 25)
        #expect(s.list.top <= 25 && 25 < s.list.top + s.listHeight)
        F.type(&s, [.end])
        #expect(s.list.selected == 41)
        F.type(&s, [.pageUp])
        #expect(s.list.selected == 41 - s.listHeight)
        F.type(&s, [.home])
        #expect(s.list.selected == 0 && s.list.top == 0)
        // A resize keeps it visible too.
        F.type(&s, [.end])
        _ = s.handle(.resize(rows: 16, cols: 60))
        #expect(s.list.top + s.listHeight > s.list.selected)
    }

    @Test func anotherProcessesCommitShowsUpKeepingSelectionAndHalfTypedText() throws {
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("m")] + F.text("写了一半"))
        // Another process records a feedback on another item and registers a new one.
        var ledger = s.ledger
        let n = F.number("青石镇集镇饮水安全提升")
        let entry = Entry(
            seq: ledger.seq + 1, at: Timestamp(day: F.today, hour: 15, minute: 0), actor: "cgz", unit: "青石镇",
            change: .item(n, .feedback(text: "另一进程的反馈")))
        try ledger.apply(entry)
        s.ledgerChanged(ledger, today: F.today)
        #expect(s.currentItem?.title == "政府债务风险化解方案")
        guard case .text(_, let e, _) = s.modal?.body else {
            Issue.record("输入应保留")
            return
        }
        #expect(e.text == "写了一半")
        #expect(s.ledger.item(n)?.history.last?.actor == "cgz")
        #expect(s.ledger.item(n)?.latestProgress == Item.Progress(day: F.today, text: "另一进程的反馈", unit: "青石镇"))
    }

    @Test func quittingAndPages() {
        var s = F.state()
        F.type(&s, [.tab])
        #expect(s.page == .list)
        F.type(&s, [.char("1")])
        #expect(s.page == .dashboard)
        F.type(&s, [.enter])
        #expect(s.page == .list && s.list.query.unit == "县生态环境局")
        #expect(F.type(&s, [.char("q")]) == [.quit])
        var t = F.state()
        F.type(&t, [.char("n")])
        #expect(F.type(&t, [.ctrl("c")]) == [.quit], "Ctrl-C 在任何时候都退出")
    }

    @Test func exportAsksWhereAndSaysWhere() {
        var s = F.state()
        F.type(&s, [.char("x"), .down, .down, .enter])
        guard case .text(_, let e, _) = s.modal?.body else {
            Issue.record("应询问文件名")
            return
        }
        #expect(e.text == "/tmp/导出/逾期事项通报-2026-11-21.txt")
        // Issuing records the number: asked once more, n leaves nothing issued.
        #expect(F.type(&s, [.enter]) == [])
        #expect(s.modal?.body == .confirm("正式印发第1期逾期事项通报？期数记入台账，印发后不能撤回。"))
        #expect(F.type(&s, [.char("y")]) == [.exportNotice(path: "/tmp/导出/逾期事项通报-2026-11-21.txt", issue: true, dueSoon: false)])
        // A unit exports only previews, its own reminder notice and its own ledger.
        var u = F.state("czj")
        F.type(&u, [.char("x")])
        guard case .choice(_, let options, _) = u.modal?.body else {
            Issue.record("应列出可导出的内容")
            return
        }
        #expect(options == ["逾期事项通报（预览稿）", "逾期事项通报（预览稿，附临期事项）", "县财政局的催办通知", "台账（CSV 或 Excel 工作簿）"])
        F.type(&u, [.enter, .ctrl("u")] + F.text("财政局.txt"))
        #expect(F.type(&u, [.enter]) == [.exportNotice(path: "/tmp/导出/财政局.txt", issue: false, dueSoon: false)])
        var r = F.state()
        F.type(&r, [.char("x"), .down, .down, .down, .enter])
        #expect(F.type(&r, [.enter]) == [.exportReminders(path: "/tmp/导出/催办通知-2026-11-21", unit: nil)])
        var l = F.state()
        F.type(&l, [.char("x"), .end, .enter])
        #expect(F.type(&l, [.enter]) == [.exportLedger(path: "/tmp/导出/台账-2026-11-21.csv")])
    }
}

extension String {
    /// The display column at which `text` starts in this line.
    func firstIndexCol(of text: String) -> Int {
        guard let r = firstRange(of: text) else { return -1 }
        return String(self[startIndex..<r.lowerBound]).displayWidth
    }
}

/// 重新办理 (R) and 撤回 (U) in the detail screen.
extension KeySequenceTests {
    @Test func reopenAClosedItemFromItsDetail() {
        var s = F.state()
        let closed = F.demo.items.first { $0.state == .closed }!
        F.select(&s, closed.title)
        F.type(&s, [.enter])
        #expect(s.page == .detail)
        #expect(Renderer.render(s).line(23).contains("R 重新办理"))
        F.type(&s, [.char("R")] + F.text("回头看") + [.tab] + F.text("+5"))
        let c = commit(F.type(&s, [.enter]))
        #expect(
            c
                == .act(
                    F.ref(closed.title),
                    .reopen(
                        reason: "回头看", deadline: Fixtures.calendar.adding(workdays: 5, to: F.today), calendar: Fixtures.calendar))
        )
        // An open item is refused with the core's sentence and no dialog.
        var t = F.state()
        F.select(&t, "政府债务风险化解方案")
        F.type(&t, [.enter, .char("R")])
        #expect(t.modal == nil)
        #expect(t.message?.text.contains("只有已办结的事项可以重新办理") == true)
        // A unit's user is not offered it.
        var u = F.state("czj")
        F.select(&u, "政府债务风险化解方案")
        F.type(&u, [.enter])
        #expect(!u.availableKeys(for: u.currentItem!).contains(.reopen))
    }

    @Test func undoTheOwnLastActionOfTheDayFromTheDetail() throws {
        var b = LedgerBuilder(today: "2026-11-21")
        b.ledger = F.demo
        let title = "政府债务风险化解方案"
        try b.act(F.number(title), .remind(method: .phone, note: "请说明进展"))
        var s = F.state(ledger: b.ledger)
        F.select(&s, title)
        F.type(&s, [.enter])
        #expect(Renderer.render(s).line(23).contains("U 撤回"))
        F.type(&s, [.char("U")])
        guard case .confirm(let q) = s.modal?.body else {
            Issue.record("撤回应先确认")
            return
        }
        #expect(q.contains("催办（电话）：请说明进展"))
        #expect(commit(F.type(&s, [.char("n")])) == nil)
        F.type(&s, [.char("U")])
        #expect(commit(F.type(&s, [.enter])) == .act(F.ref(title), .undo))
        // Another user has nothing of their own to undo there: refused, no dialog.
        var other = F.state("czj", ledger: b.ledger)
        F.select(&other, title)
        F.type(&other, [.enter])
        #expect(!Renderer.render(other).line(23).contains("U 撤回"))
        F.type(&other, [.char("U")])
        #expect(other.modal == nil)
        #expect(other.message?.text == "不能撤回 \(F.number(title))：今天没有您对该事项的操作可撤回")
    }
}

extension KeySequenceTests {
    /// Changing the lead unit in the edit form (E) is a reassignment: a new assignment as of
    /// today, with the default deadline unless one is typed, and no deadline edit besides.
    @Test func changingTheLeadUnitInTheEditFormReassigns() {
        var s = F.state()
        let title = "政府债务风险化解方案"
        F.select(&s, title)
        // Tab from 牵头单位 to 修改理由, past the basis's three fields.
        F.type(&s, [.char("E"), .tab] + F.text("县教育") + Array(repeating: .tab, count: 10) + F.text("按职责调整"))
        let effects = F.type(&s, [.enter])
        let commits = F.commands(effects)
        #expect(
            commits.first
                == .act(
                    F.ref(title),
                    .reassign(lead: "县教育局", coUnits: ["县发改局"], reason: "按职责调整", deadline: nil, calendar: Fixtures.calendar)))
        #expect(commits.count == 1, "\(commits)")
    }
}
