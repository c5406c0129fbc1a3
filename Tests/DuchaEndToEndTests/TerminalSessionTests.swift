import DuchaTestSupport
import Foundation
import Testing

/// The terminals people really have: whatever the locale, whatever bytes the terminal sends
/// for its keys, and a shell's job control.
@Suite(.serialized, .enabled(if: Tmux.available, "需要 tmux（make test 会自动安装）"))
struct TerminalSessionTests {
    /// The shell command that opens ducha on `repo` with exactly this environment (besides
    /// PATH and HOME from tmux), then keeps the pane open.
    static func command(_ repo: String, _ environment: String) -> String {
        "env -u LANG -u LC_ALL -u LC_CTYPE -u LANGUAGE \(environment) DUCHA_TODAY=\(TerminalTests.today) "
            + "'\(Binary.path)' --repo '\(repo)'; echo \"退出码 $?\"; sleep 60"
    }

    @Test(arguments: [
        ("", "未设置语言环境（LANG），已改用 C.UTF-8 显示中文"),
        ("LANG=C", "系统语言环境 C 不支持中文（不是 UTF-8），已改用 C.UTF-8 显示中文"),
        ("LANG=zh_CN.UTF-8", "系统语言环境 zh_CN.UTF-8 未安装，已改用 C.UTF-8 显示中文"),
    ])
    func chineseShowsWhateverTheLocale(environment: String, notice: String) throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalSessionTests.command(repo, "TERM=xterm-256color " + environment))
        // The key bar, the last row drawn, is there: the frame is whole.
        let s = try t.waitFor(all: ["各单位办理情况", "q 退出"])
        #expect(s.contains("青山县委督查室（演示/测试台账）") && s.contains("在办 31   逾期 9   临期 6"), "\(s)")
        #expect(s.contains(notice), "状态行说明改用了 C.UTF-8：\n\(s)")
        // Said once: the next key clears it, and Chinese stays.
        try t.keys("2")
        let list = try t.waitFor(all: ["剩余/逾期", "Enter 详情"])
        #expect(!list.contains("C.UTF-8") && list.contains("青石镇集镇饮水"), "\(list)")
        try t.keys("q")
        try t.waitFor("退出码 0")
    }

    @Test func aUTF8LocaleIsUsedAsItIsWithoutANotice() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalSessionTests.command(repo, "TERM=xterm-256color LANG=C.UTF-8"))
        let s = try t.waitFor(all: ["各单位办理情况", "q 退出"])
        #expect(!s.contains("C.UTF-8"))
    }

    /// Home and End as each terminal sends them (hex), and what the terminal's users set TERM to.
    static let homeEnd: [(terminal: String, home: String, end: String)] = [
        ("xterm、VTE、Windows Terminal、macOS Terminal", "1b 5b 48", "1b 5b 46"),
        ("xterm 应用光标模式", "1b 4f 48", "1b 4f 46"),
        ("PuTTY、tmux、screen、Linux 控制台", "1b 5b 31 7e", "1b 5b 34 7e"),
        ("rxvt", "1b 5b 37 7e", "1b 5b 38 7e"),
    ]

    @Test(arguments: ["xterm", "xterm-256color", "screen", "tmux-256color", "linux"])
    func keysArriveAsKeysWhateverTermClaims(term: String) throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalSessionTests.command(repo, "TERM=\(term) LANG=C.UTF-8"), width: 100, height: 30)
        try t.waitFor("各单位办理情况")
        try t.keys("2")
        try t.waitFor("1/42")
        // In the list, Home and End go to the first and the last row; PgDn and PgUp page.
        for k in TerminalSessionTests.homeEnd {
            try t.bytes(k.end)
            try t.waitFor("42/42", timeout: 5)
            try t.bytes(k.home)
            try t.waitFor("1/42", timeout: 5)
        }
        try t.bytes("1b 5b 36 7e")  // PgDn
        try t.waitFor("26/42", timeout: 5)
        try t.bytes("1b 5b 35 7e")  // PgUp
        try t.waitFor("1/42", timeout: 5)
        #expect(!(try t.screen()).contains("各单位办理情况"), "Home、End 不得被当作 Esc 跳回总览")
        // In an open box, Home and End move the cursor; the box stays open with its text.
        try t.keys("m")
        try t.waitFor("批注内容")
        try t.type("中")
        var expected = "中"
        for (i, k) in TerminalSessionTests.homeEnd.enumerated() {
            try t.bytes(k.home)
            try t.type("\(i)")
            try t.bytes(k.end)
            try t.type("\(i)")
            expected = "\(i)" + expected + "\(i)"
            let s = try t.waitFor(expected, timeout: 5).screen
            #expect(s.contains("批注内容"), "\(k.terminal)：输入框仍开着")
        }
        // Delete (ESC[3~) removes the character after the cursor; F keys are swallowed, not typed.
        try t.bytes("1b 5b 31 7e")
        try t.bytes("1b 5b 33 7e")
        for f in ["1b 4f 50", "1b 5b 31 31 7e", "1b 5b 5b 41", "1b 5b 31 35 7e", "1b 5b 32 34 7e", "1b 5b 32 7e"] {
            try t.bytes(f)
        }
        try t.type("头")
        expected = "头" + expected.dropFirst()
        try t.waitFor(all: ["批注内容", expected, "已输入 \(expected.count) 字"], timeout: 5)
        // Alt plus a key (Esc and the key together) neither closes the box nor answers for it.
        try t.bytes("1b 79")
        try t.bytes("1b 71")
        try t.bytes("1b 5b 46")
        try t.type("尾")
        expected += "尾"
        let alt = try t.waitFor(all: [expected, "已输入 \(expected.count) 字"], timeout: 5)
        #expect(!alt.contains("放弃已输入的内容"), "\(alt)")
        // A long paste arrives whole, every character in its place, and the box goes on as usual
        // — from a terminal that marks pastes and from one that does not.
        let pasted = String(repeating: "督查进展情况汇报", count: 375) + "完"
        try t.paste(pasted, bracketed: false)
        expected += pasted
        try t.waitFor(all: ["批注内容", "情况汇报完", "已输入 \(expected.count) 字"], timeout: 20)
        // Lines pasted stay in the box, each break a space: not Enter, and a q in them is text.
        try t.paste("一、立即排查。\n二、三日内报送。\nq")
        expected += "一、立即排查。 二、三日内报送。 q"
        try t.waitFor(all: ["批注内容", "已输入 \(expected.count) 字"], timeout: 20)
        try t.keys("C-u")
        try t.waitFor("已输入 0 字")
        try t.type(expected)
        try t.waitFor("已输入 \(expected.count) 字", timeout: 20)
        // A real Esc still closes — after asking, since there is text.
        try t.keys("Escape")
        try t.waitFor("放弃已输入的内容？ y 放弃  n 继续编辑")
        try t.keys("n")
        try t.waitFor("批注内容")
        try t.keys("Enter")
        try t.waitFor("已批注")
        // F1 as PuTTY sends it (ESC[11~) and as the Linux console does (ESC[[A) opens the help.
        for f1 in ["1b 5b 31 31 7e", "1b 5b 5b 41", "1b 4f 50"] {
            try t.bytes(f1)
            try t.waitFor("帮助 · 台账", timeout: 5)
            try t.keys("Space")
            // Closed: the key bar is the list's again, and the help is gone from the whole frame.
            try t.waitFor(all: ["Enter 详情"], none: ["帮助 · 台账"], timeout: 5)
        }
        let log = try Binary.run(["--repo", repo, "log", "--last", "1"])
        #expect(log.stdout.contains("批注：\(expected)"), "\(log.stdout)")
    }

    @Test func ctrlZSuspendsAndFgRestoresTheScreenAndTheTypedText() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        // An interactive shell with job control, as a user at a terminal has.
        let t = try Tmux("env PS1='提示符$ ' /bin/bash --norc --noprofile -i", width: 120, height: 30)
        try t.waitFor("提示符$")
        try t.type("env LANG=C.UTF-8 TERM=screen DUCHA_TODAY=\(TerminalTests.today) '\(Binary.path)' --repo '\(repo)'")
        try t.keys("Enter")
        try t.waitFor("各单位办理情况")
        try t.keys("2", "m")
        try t.waitFor("批注内容")
        try t.type("挂起前写的批注")
        try t.waitFor("挂起前写的批注")
        try t.keys("C-z")
        // Back at the shell, the terminal in its normal mode.
        let stopped = try t.waitFor("提示符$").screen
        #expect(!stopped.contains("批注内容"), "界面已撤下：\n\(stopped)")
        try t.type("stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; jobs")
        try t.keys("Enter")
        let shell = try t.waitFor("\nicanon").screen
        #expect(shell.contains("Stopped") || shell.contains("已停止"), "\(shell)")
        // The window is made smaller meanwhile: the size is taken afresh on fg.
        try t.resize(width: 80, height: 24)
        try t.type("fg")
        try t.keys("Enter")
        // The whole screen comes back: the title, the list behind, the box with its text.
        let back = try t.waitFor(all: ["挂起前写的批注", "Ctrl-U"])
        let listRow = back.split(separator: "\n", omittingEmptySubsequences: false)[3]
        #expect(listRow.hasPrefix(" 红 2026-0012 "), "按 80 列重新排版：\(back)")
        #expect(back.contains(" 青山县委督查室（测试） ") && back.contains("批注内容") && back.contains("Ctrl-U"), "\(back)")
        #expect(!back.contains("提示符$") && !back.contains("icanon"), "整屏重画，不留 shell 的文字：\n\(back)")
        // And keys work as before.
        try t.type("，恢复后续写")
        try t.keys("Enter")
        try t.waitFor("已批注")
        let log = try Binary.run(["--repo", repo, "log", "--last", "1"])
        #expect(log.stdout.contains("批注：挂起前写的批注，恢复后续写"))
        try t.keys("q")
        try t.waitFor("提示符$")
    }

    @Test func ctrlZWithoutJobControlSaysSoInsteadOfHanging() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalTests.command(repo))
        try t.waitFor("各单位办理情况")
        try t.keys("C-z")
        try t.waitFor("此处无法挂起")
        try t.keys("q")
        try t.waitFor("退出码 0")
    }
}
