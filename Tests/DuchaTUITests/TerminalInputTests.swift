import DuchaCore
import DuchaTUI
import DuchaTestSupport
import Testing

/// The bytes real terminals send after Esc, decoded whatever TERM claims.
@Suite struct EscapeSequenceTests {
    /// What follows Esc, as a string of the bytes a terminal sends.
    func decode(_ s: String) -> EscapeSequence.Result {
        EscapeSequence.decode(Array(s.unicodeScalars))
    }

    @Test func everyTerminalsHomeEndAndFriends() {
        let table: [(String, Key, String)] = [
            // xterm, VTE, Windows Terminal, macOS Terminal: normal and application cursor mode.
            ("[H", .home, "xterm"), ("[F", .end, "xterm"), ("OH", .home, "xterm 应用模式"), ("OF", .end, "xterm 应用模式"),
            ("[2~", .insert, "xterm"), ("[3~", .delete, "xterm"), ("[5~", .pageUp, "xterm"), ("[6~", .pageDown, "xterm"),
            ("[A", .up, "xterm"), ("OA", .up, "xterm 应用模式"), ("[D", .left, "xterm"), ("OC", .right, "xterm 应用模式"),
            // PuTTY's default, tmux, screen, the Linux console.
            ("[1~", .home, "PuTTY/tmux/screen"), ("[4~", .end, "PuTTY/tmux/screen"),
            // rxvt.
            ("[7~", .home, "rxvt"), ("[8~", .end, "rxvt"), ("[7^", .home, "rxvt Ctrl"), ("[8$", .end, "rxvt Shift"),
            ("Oa", .up, "rxvt Ctrl-↑"),
            // xterm's modified keys.
            ("[1;5C", .right, "Ctrl-→"), ("[1;2H", .home, "Shift-Home"), ("[1;5F", .end, "Ctrl-End"),
            ("[3;5~", .delete, "Ctrl-Del"),
            ("[5;3~", .pageUp, "Alt-PgUp"), ("[Z", .backTab, "Shift-Tab"), ("[1;2P", .function(1), "Shift-F1"),
            // F keys: xterm, PuTTY (ESC[11~…), the Linux console and PuTTY's Linux mode (ESC[[A…).
            ("OP", .function(1), "xterm F1"), ("OS", .function(4), "xterm F4"), ("[15~", .function(5), "F5"),
            ("[17~", .function(6), "F6"), ("[21~", .function(10), "F10"), ("[23~", .function(11), "F11"),
            ("[24~", .function(12), "F12"), ("[11~", .function(1), "PuTTY F1"), ("[14~", .function(4), "PuTTY F4"),
            ("[[A", .function(1), "Linux F1"), ("[[E", .function(5), "Linux F5"),
            // The numeric keypad in application mode.
            ("OM", .enter, "小键盘 Enter"), ("Oq", .char("1"), "小键盘 1"), ("Op", .char("0"), "小键盘 0"),
        ]
        for (bytes, key, terminal) in table {
            #expect(decode(bytes) == .key(key), "\(terminal)：ESC \(bytes)")
            // Cut anywhere before its end, the sequence is incomplete: more is read, nothing is typed.
            for n in 1..<bytes.unicodeScalars.count {
                #expect(decode(String(bytes.unicodeScalars.prefix(n))) == .incomplete, "\(terminal)：ESC \(bytes) 的前 \(n) 个字节")
            }
        }
    }

    @Test func unknownSequencesAreSwallowedAndPlainKeysAfterEscAreNotSequences() {
        #expect(decode("[E") == .key(nil), "小键盘 5")
        #expect(decode("[I") == .key(nil), "焦点报告")
        #expect(decode("[99~") == .key(nil))
        #expect(decode("[[Z") == .key(nil))
        #expect(decode("") == .incomplete)
        #expect(decode("[200~") == .pasteStart, "粘贴开始（bracketed paste）")
        #expect(decode("[20") == .incomplete && decode("[201~") == .key(nil), "粘贴结束标记单独出现时不当作按键")
        #expect(decode("q") == .notASequence, "Esc 与普通按键同时到达是 Alt 组合键，不是序列")
        #expect(decode("中") == .notASequence)
        #expect(decode("\u{1B}") == .notASequence, "两次 Esc")
        // A runaway sequence ends rather than swallowing all that follows.
        #expect(decode("[" + String(repeating: "1", count: 20)) == .key(nil))
    }
}

/// Typed text is never lost: Esc and Ctrl-C ask first; Ctrl-Z asks the runner to suspend.
@Suite struct UnsavedInputTests {
    typealias F = TUIFixtures

    @Test func escInABoxWithTextAsksAndNKeepsTheText() {
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("m")] + F.text("写到一半的批注"))
        #expect(F.type(&s, [.escape]).isEmpty)
        #expect(s.discarding == .closeDialog)
        #expect(s.modal != nil, "问过之前对话框还在")
        #expect(Renderer.render(s).text.contains("放弃已输入的内容？ y 放弃  n 继续编辑"))
        // Other keys neither answer nor type.
        F.type(&s, [.char("x"), .enter, .ctrl("c")])
        #expect(s.discarding == .closeDialog && !s.quit)
        F.type(&s, [.char("n")])
        #expect(s.discarding == nil)
        guard case .text(_, let e, _) = s.modal?.body else {
            Issue.record("应回到输入框")
            return
        }
        #expect(e.text == "写到一半的批注")
        #expect(!Renderer.render(s).text.contains("放弃已输入的内容"))
        // Typing goes on where it was; Esc then y throws it away.
        F.type(&s, F.text("，续写"))
        guard case .text(_, let e2, _) = s.modal?.body else { return }
        #expect(e2.text == "写到一半的批注，续写")
        F.type(&s, [.escape, .char("y")])
        #expect(s.modal == nil && s.discarding == nil && s.message?.text == "已取消")
        // Esc in the question itself means 继续编辑 too.
        F.type(&s, [.char("m")] + F.text("又写") + [.escape, .escape])
        #expect(s.modal != nil && s.discarding == nil)
    }

    @Test func escInAnEmptyBoxOrAnUntouchedFormClosesAtOnce() {
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("m"), .escape])
        #expect(s.modal == nil && s.discarding == nil)
        // Typing and deleting again leaves nothing to lose.
        F.type(&s, [.char("m")] + F.text("删掉") + [.backspace, .backspace, .escape])
        #expect(s.modal == nil)
        // The edit form opens filled with the item: unchanged, nothing to lose.
        F.type(&s, [.char("E"), .escape])
        #expect(s.modal == nil && s.discarding == nil)
        // The export path is filled in for the user: closing it loses nothing either.
        F.type(&s, [.char("x"), .enter, .escape])
        #expect(s.modal == nil)
    }

    @Test func escInAFormAsksWhenAFieldChanged() {
        var s = F.state()
        F.type(&s, [.char("n")] + F.text("乡镇卫生院设备更新") + [.escape])
        #expect(s.discarding == .closeDialog)
        F.type(&s, [.char("n")])
        guard case .form(let f) = s.modal?.body else {
            Issue.record("立项表单应保留")
            return
        }
        #expect(f.value(.title) == "乡镇卫生院设备更新")
        // Only a unit chosen, no text: still something to lose.
        var t = F.state()
        F.type(&t, [.char("n"), .tab, .down, .escape])
        #expect(t.discarding == .closeDialog)
        F.type(&t, [.char("Y")])
        #expect(t.modal == nil)
    }

    @Test func ctrlCWithTextAsksBeforeQuitting() {
        var s = F.state()
        F.type(&s, [.char("n")] + F.text("乡镇卫生院"))
        #expect(F.type(&s, [.ctrl("c")]).isEmpty)
        #expect(!s.quit && s.discarding == .quit)
        #expect(Renderer.render(s).text.contains("放弃已输入的内容？"))
        F.type(&s, [.char("n")])
        #expect(!s.quit && s.modal != nil)
        F.type(&s, [.ctrl("c")])
        #expect(F.type(&s, [.char("y")]) == [.quit])
        #expect(s.quit)
        // Without text Ctrl-C quits at once, as before.
        var t = F.state()
        #expect(F.type(&t, [.char("2"), .ctrl("c")]) == [.quit])
    }

    @Test func qInABoxIsTypedNotQuit() {
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        #expect(F.type(&s, [.char("m"), .char("q")]).isEmpty)
        guard case .text(_, let e, _) = s.modal?.body else {
            Issue.record("应仍在输入框")
            return
        }
        #expect(e.text == "q" && !s.quit)
    }

    @Test func ctrlZAsksTheRunnerToSuspendKeepingEverything() {
        var s = F.state()
        F.select(&s, "政府债务风险化解方案")
        F.type(&s, [.char("m")] + F.text("挂起前"))
        #expect(F.type(&s, [.ctrl("z")]) == [.suspend])
        guard case .text(_, let e, _) = s.modal?.body else {
            Issue.record("挂起不丢输入")
            return
        }
        #expect(e.text == "挂起前")
    }

    @Test func f1OpensTheHelp() {
        var s = F.state()
        F.type(&s, [.char("2"), .function(1)])
        #expect(s.showHelp)
    }
}

/// The list's filter pickers narrow as the user types, Chinese included.
@Suite struct PickerTests {
    typealias F = TUIFixtures

    @Test func theUnitPickerFiltersAsYouType() {
        var s = F.state()
        F.type(&s, [.char("2"), .char("u")] + F.text("青石"))
        guard case .picker(let options, let selected, let filter) = s.modal?.body else {
            Issue.record("应打开可筛选的选择框")
            return
        }
        #expect(filter.text == "青石")
        #expect(options[selected] == "青石镇")
        let frame = Renderer.render(s).text
        #expect(frame.contains("青石镇") && !frame.contains("城关镇"), "只列出符合的单位")
        F.type(&s, [.enter])
        #expect(s.list.query.unit == "青石镇")
        #expect(s.list.rows.allSatisfy { s.ledger.items[$0.index].involves(unit: "青石镇") })
        // Letters are filter text here, not moves: j and k do not choose.
        F.type(&s, [.char("u")] + F.text("局") + [.down])
        guard case .picker(let o2, let sel2, _) = s.modal?.body else { return }
        #expect(o2[sel2].hasSuffix("局"))
        #expect(sel2 == Form.shown(o2, LineEditor("局"))[1], "↓ 在筛出的选项间移动")
        // Nothing matching: Enter says so and keeps the picker.
        F.type(&s, [.ctrl("u")] + F.text("没有这个单位") + [.enter])
        #expect(s.modal != nil && s.message?.isError == true)
        F.type(&s, [.escape])
        #expect(s.modal == nil && s.list.query.unit == "青石镇")
    }

    @Test func stateSourceAndLightPickersFilterToo() {
        var s = F.state()
        F.type(&s, [.char("2"), .char("t")] + F.text("审核") + [.enter])
        #expect(s.list.query.state == .review)
        F.type(&s, [.escape, .char("y")] + F.text("常委会") + [.enter])
        #expect(s.list.query.source == "常委会决定事项")
        F.type(&s, [.escape, .char("l")] + F.text("反馈") + [.enter])
        #expect(s.list.query.mark == .feedbackOverdue)
    }

    @Test func theLightFilterOffersExtensionsAwaitingDecision() {
        var s = F.state()
        let pending = s.ledger.items.filter { $0.pendingExtension != nil }.map(\.number)
        #expect(!pending.isEmpty, "演示数据中有延期待批的事项")
        F.type(&s, [.char("2"), .char("l")] + F.text("延期") + [.enter])
        #expect(s.list.extensionPending)
        #expect(Set(s.list.rows.map { s.ledger.items[$0.index].number }) == Set(pending))
        #expect(Renderer.render(s).text.contains("筛选：延期待批"))
        // Reopening shows it chosen; Esc clears it with the other filters.
        F.type(&s, [.char("l")])
        guard case .picker(let options, let selected, _) = s.modal?.body else { return }
        #expect(options[selected] == "延期待批")
        F.type(&s, [.escape, .escape])
        #expect(!s.list.extensionPending && s.list.rows.count == s.list.visibleCount)
        // Choosing a unit on the dashboard starts from that unit's items alone.
        F.type(&s, [.char("l")] + F.text("延期") + [.enter, .char("1"), .enter])
        #expect(!s.list.extensionPending && s.list.query.unit != nil)
    }
}

@Suite struct LocaleNoticeTests {
    @Test func theNoticeSaysWhatWasAskedAndWhatIsUsed() {
        #expect(TerminalLocale.requestedName(environment: [:]) == nil)
        #expect(TerminalLocale.requestedName(environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": ""]) == "zh_CN.UTF-8")
        #expect(TerminalLocale.requestedName(environment: ["LANG": "C", "LC_ALL": "zh_CN.GBK"]) == "zh_CN.GBK")
        #expect(
            TerminalLocale.notice(requested: "zh_CN.UTF-8", loaded: false) == "系统语言环境 zh_CN.UTF-8 未安装，已改用 C.UTF-8 显示中文")
        #expect(TerminalLocale.notice(requested: nil, loaded: true) == "未设置语言环境（LANG），已改用 C.UTF-8 显示中文")
        #expect(TerminalLocale.notice(requested: "C", loaded: true).contains("系统语言环境 C 不支持中文"))
        // Whatever the environment holds reaches the screen clean.
        #expect(!TerminalLocale.notice(requested: "zh\u{1B}[2J", loaded: false).contains("\u{1B}"))
    }
}

/// A paste (bracketed: the terminal marks it) is text for the box being typed in, line breaks
/// as spaces; anywhere else it is refused, never taken as keys.
@Suite struct PasteTests {
    typealias F = TUIFixtures

    @Test func aPasteGoesIntoTheOpenBoxLineBreaksAsSpacesNeverSubmitted() {
        var s = F.state()
        F.type(&s, [.char("2")])
        F.type(&s, [.char("m")])
        #expect(s.modal?.title.hasPrefix("批注") == true, "\(String(describing: s.modal))")
        let effects = s.handle(.paste("一、立即排查。\n二、三日内报送。\r\nq"))
        #expect(effects.isEmpty && !s.quit)
        guard case .text(_, let editor, _)? = s.modal?.body else {
            Issue.record("输入框应仍开着：\(String(describing: s.modal))")
            return
        }
        #expect(editor.text == "一、立即排查。 二、三日内报送。 q")
    }

    @Test func aPasteWhereNothingIsTypedIsRefusedNotTakenAsKeys() {
        var s = F.state()
        F.type(&s, [.char("2")])
        let before = s.list.selected
        let effects = s.handle(.paste("jjjwq"))
        #expect(effects.isEmpty && !s.quit && s.modal == nil && s.list.selected == before)
        #expect(s.message?.text.contains("粘贴的内容只能放进输入框") == true)
        // A confirmation is not answered by a paste either.
        F.type(&s, [.char("w")])
        F.type(&s, F.text("调整"))
        _ = s.handle(.paste("y"))
        #expect(s.modal != nil)
    }

    @Test func aFormFieldFilledToItsLimitSaysSoNotCutSilently() {
        var s = F.state()
        F.type(&s, [.char("n")])
        _ = s.handle(.paste(String(repeating: "城区背街小巷路灯整改", count: 30)))
        let f = Renderer.render(s)
        #expect(f.text.contains("已到上限 \(Validate.titleLimit) 字，多出的内容没有输入"), "\(f.text)")
    }

    @Test func aPasteIntoAPickerNarrowsItWithoutTickingAnything() {
        var s = F.state()
        F.type(&s, [.char("2"), .char("u")])
        let options = s.modal.map { m -> Int in if case .picker(let o, _, _) = m.body { o.count } else { -1 } } ?? -1
        #expect(options > 1, "\(String(describing: s.modal))")
        _ = s.handle(.paste("财政\n"))
        guard case .picker(_, _, let filter)? = s.modal?.body else {
            Issue.record("\(String(describing: s.modal))")
            return
        }
        #expect(filter.text == "财政")
    }
}
