import DuchaTestSupport
import Foundation
import Testing

/// The real binary in a real terminal (tmux): what the user sees and types.
@Suite(.serialized, .enabled(if: Tmux.available, "需要 tmux（make test 会自动安装）"))
struct TerminalTests {
    static let today = "2026-11-21"

    /// A demo repository and the shell command that opens ducha on it and, once it exits,
    /// prints its exit status and whether the terminal is back in cooked mode.
    static func demo(_ dir: TemporaryDirectory) throws -> String {
        let repo = TestBackend.repository(dir)
        let r = try Binary.run(["--repo", repo, "--today", today, "demo"] + TestBackend.createOptions)
        #expect(r.status == 0, "\(r.stderr)")
        return repo
    }

    static func command(_ repo: String, binary: String = Binary.path, prefix: String = "", env: String = "") -> String {
        "\(prefix)env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen DUCHA_TODAY=\(today) \(env) '\(binary)' --repo '\(repo)'; "
            + "echo \"退出码 $?\"; stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; sleep 60"
    }

    @Test func theDashboardAppearsAndQuittingRestoresTheTerminal() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalTests.command(repo), width: 100, height: 30)
        // The whole frame drawn (a capture may fall between the lines ncurses writes).
        let s = try t.waitFor(all: ["各单位办理情况", "在办 31   逾期 9   临期 6", "督〔2026〕第0013号  青石镇集镇饮水安全提升"])
        #expect(s.contains("在办 31   逾期 9   临期 6"))
        // Colour reaches the terminal: overdue rows are red.
        #expect(try t.screen(escapes: true).contains("\u{1B}[31m"))
        try t.keys("q")
        try t.waitFor("退出码 0")
        let after = try t.waitFor("icanon").screen
        #expect(after.contains("\nicanon"), "终端已恢复为正常模式：\(after)")
        #expect(!after.contains("各单位办理情况"), "全屏界面已撤下")
    }

    @Test func ctrlCAlsoRestoresTheTerminal() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalTests.command(repo))
        try t.waitFor("各单位办理情况")
        try t.keys("2", "n")  // inside a dialog
        try t.waitFor("立项交办")
        try t.keys("C-c")
        try t.waitFor("退出码 0")
        let after = try t.waitFor("icanon").screen
        #expect(after.contains("\nicanon"))
    }

    @Test func whenTheTerminalGoesAwayTheInterfaceEndsEvenIfNoHangupSignalArrives() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        // The shell owning the terminal ignores SIGHUP (as nohup and some session managers
        // arrange): ducha learns only from its input that the terminal is gone.
        let t = try Tmux(TerminalTests.command(repo, prefix: "trap '' HUP; "))
        try t.waitFor("各单位办理情况")
        // On a database ducha has become ducha-pg (exec, same process); a connection string is no pattern.
        let pattern = "ducha(-pg)? --repo \(NSRegularExpression.escapedPattern(for: repo))$"
        let pids = try Spawn.run("/usr/bin/pgrep", ["-f", pattern], environment: [])
        let ducha = pids.output.split(separator: "\n").compactMap { Int32($0) }.filter { pid in
            (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("ducha") == true
        }
        #expect(ducha.count == 1, "\(pids.output)")
        t.kill()
        let start = Date()
        while Date().timeIntervalSince(start) < 10, ducha.contains(where: { Glibc.kill($0, 0) == 0 }) { usleep(100_000) }
        #expect(!ducha.contains(where: { Glibc.kill($0, 0) == 0 }), "终端关闭后 ducha 应自行退出")
        _ = try Spawn.run("/usr/bin/pkill", ["-KILL", "-f", NSRegularExpression.escapedPattern(for: repo)], environment: [])
    }

    @Test func noColorIsHonoured() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalTests.command(repo, env: "NO_COLOR=1"))
        try t.waitFor("各单位办理情况")
        try t.keys("2")
        try t.waitFor("剩余/逾期")
        let raw = try t.screen(escapes: true)
        #expect(!raw.contains("\u{1B}[31m") && !raw.contains("38;5;"), "NO_COLOR 时不用颜色")
        #expect(raw.contains("\u{1B}[1m"), "逾期行以粗体区分")
    }

    @Test func resizingRedrawsAtEverySize() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalTests.command(repo), width: 120, height: 40)
        try t.waitFor("各单位办理情况")
        try t.keys("2")
        try t.waitFor(" 红  督〔2026〕第0012号  国道319线青石段路面破损修复")
        try t.resize(width: 80, height: 24)
        try t.waitFor(" 红 2026-0012 国道319线青石段…  县交通运输局 2026-10-16 逾期36天     办理中")
        try t.resize(width: 50, height: 12)
        try t.waitFor("终端窗口太小")
        try t.resize(width: 120, height: 40)
        let s = try t.waitFor(" 红  督〔2026〕第0012号").screen
        #expect(!s.contains("终端窗口太小"))
        try t.keys("q")
        try t.waitFor("退出码 0")
    }

    @Test func anotherProcessesCommitAppearsWhileTextIsBeingTyped() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalTests.command(repo))
        try t.waitFor("各单位办理情况")
        // Open item 13 and start a comment.
        try t.keys("2", "/")
        try t.type("0013")
        try t.keys("Enter", "Enter")
        // The interface holds items' states; the history is read from the snapshot on opening.
        // (Waited for whole: ncurses may show the header before the rows under it.)
        _ = try t.waitFor(all: ["办理记录（新→旧）", "催办（会议）：要求说明逾期原因", "审核退回：整改措施不具体"])
        try t.keys("m")
        try t.type("写到一半的批注")
        try t.waitFor("写到一半的批注")
        // Meanwhile a unit's liaison reports progress from another terminal.
        let r = try Binary.run(["--repo", repo, "--today", TerminalTests.today, "feedback", "13", "另一终端报送的进展"])
        #expect(r.status == 0, "\(r.stderr)")
        // Esc with text typed asks first; y throws it away.
        try t.keys("Escape")
        try t.waitFor("放弃已输入的内容？")
        try t.keys("y")
        let (screen, seconds) = try t.waitFor("另一终端报送的进展", timeout: 5)
        print("另一进程的提交在 \(String(format: "%.2f", seconds)) 秒内出现在界面上")
        #expect(screen.contains("督〔2026〕第0013号"), "仍停在同一事项")
        // And the half-typed text survived the refresh: reopen shows it was cancelled only by Esc.
        try t.keys("m")
        try t.type("批注")
        let r2 = try Binary.run(["--repo", repo, "--today", TerminalTests.today, "remind", "13", "--note", "刷新时输入不丢"])
        #expect(r2.status == 0)
        usleep(1_500_000)
        let during = try t.screen()
        #expect(during.contains("批注") && during.contains("批注内容"), "刷新后输入框和文字仍在：\n\(during)")
        try t.keys("Enter")
        try t.waitFor("已批注")
        let log = try Binary.run(["--repo", repo, "log", "13", "--last", "2"])
        #expect(log.stdout.contains("刷新时输入不丢") && log.stdout.contains("批注：批注"))
    }

    /// Actions judged on the item's whole history (undo, evidence), on items whose history the
    /// interface read from the snapshot: recorded, the interface goes on.
    @Test func undoAndEvidenceOnAnItemRecordedBeforeThisSession() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let file = dir.sub("现场照片.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).write(to: URL(fileURLWithPath: file))
        let t = try Tmux(TerminalTests.command(repo), width: 80, height: 24)
        try t.waitFor("各单位办理情况")
        try t.keys("2", "Enter")
        try t.waitFor("办理记录")
        try t.keys("m")
        try t.waitFor("批注内容")
        try t.type("请加快进度")
        try t.keys("Enter")
        try t.waitFor("已批注")
        try t.keys("U")
        try t.waitFor("撤回")
        try t.keys("y")
        try t.waitFor("撤回了批注")
        try t.keys("A")
        if TestBackend.postgres {
            // A database ledger keeps no files: said at once, no dialog to fill in for nothing.
            try t.waitFor("这个台账在数据库中，不能保存佐证材料")
        } else {
            try t.waitFor("上传佐证材料")
            try t.keys("C-u")
            try t.type(file)
            try t.keys("Enter")
            try t.waitFor("已为")
        }
        try t.keys("q")
        #expect(try t.waitFor("退出码 0").screen.contains("退出码 0"))
        let log = try Binary.run(["--repo", repo, "log", "--last", "3"]).stdout
        #expect(log.contains("批注：请加快进度") && log.contains("撤回"), "\(log)")
        #expect(TestBackend.postgres || log.contains("现场照片.jpg"), "\(log)")
    }

    @Test func exportWritesTheNoticeWhereTheUserConfirmed() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        let out = dir.sub("导出")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let t = try Tmux("cd '\(out)' && " + TerminalTests.command(repo))
        try t.waitFor("各单位办理情况")
        try t.keys("x")
        try t.waitFor("正式印发第1期")
        try t.keys("Down", "Down", "Enter")
        let expected = out + "/逾期事项通报-2026-11-21.txt"
        try t.waitFor(expected)
        try t.keys("Enter")
        try t.waitFor("正式印发第1期逾期事项通报？")
        try t.keys("y")
        try t.waitFor("已将逾期事项通报第1期导出到")
        let text = try String(contentsOfFile: expected, encoding: .utf8)
        #expect(text.contains("逾期事项通报") && text.contains("第1期\n") && text.contains("一、"))
        // The number was recorded: the next one is 第2期.
        try t.keys("x")
        try t.waitFor("正式印发第2期")
    }

    @Test func longTextCanBeWrittenInTheEditor() throws {
        let dir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(dir)
        // An "editor" that appends to what was typed, as a person would in vi.
        let editor = dir.sub("editor.sh")
        try Script.write("#!/bin/sh\nprintf '%s' '，并附整改照片12张。' >> \"$1\"\n", to: editor)
        let t = try Tmux(TerminalTests.command(repo, env: "EDITOR='\(editor)'"))
        try t.waitFor("各单位办理情况")
        try t.keys("2", "/")
        try t.type("0028")
        try t.keys("Enter", "c")
        try t.waitFor("办结报告")
        try t.type("已全部整改到位")
        try t.keys("C-e")
        try t.waitFor("已全部整改到位，并附整改照片12张。")
        try t.keys("Enter")
        try t.waitFor("已申请办结")
        let log = try Binary.run(["--repo", repo, "log", "28", "--last", "1"])
        #expect(log.stdout.contains("申请办结：已全部整改到位，并附整改照片12张。"))
    }

    @Test(.enabled(if: OSAccounts.canCreate, "需要 root 才能用 useradd 创建测试账号"))
    func aUnitSignsAndReportsAndTheOfficeApproves() throws {
        let group = "duchat"
        try OSAccounts.ensure("duchat_fgj", group: group)
        let dir = TemporaryDirectory("ducha-tmux-id")
        let binary = OSAccounts.install(into: dir.sub("prefix"))
        let repo = dir.sub("repo")
        func cli(_ args: String..., user: String? = nil) throws -> Binary.Result {
            try Binary.run(["--repo", repo, "--today", TerminalTests.today] + args, runAs: user, binary: binary)
        }
        #expect(try cli("init", "--test-clock", "--office", "青山县委督查室").status == 0)
        #expect(try cli("unit", "add", "县发改局").status == 0)
        #expect(try cli("unit", "add", "县财政局").status == 0)
        #expect(try cli("user", "add", "duchat_fgj", "--role", "unit", "--unit", "县发改局").status == 0)
        #expect(try cli("add", "--title", "工业园区用电报装提速", "--lead", "县发改局", "--deadline", "2026-12-10").status == 0)
        #expect(try cli("add", "--title", "财政资金直达", "--lead", "县财政局", "--deadline", "2026-12-10").status == 0)
        OSAccounts.share(dir.path, group: group)

        // The liaison logs in and types ducha: only its unit's item is there.
        let unit = try Tmux(TerminalTests.command(repo, binary: binary, prefix: "runuser -u duchat_fgj -- "))
        let dash = try unit.waitFor("本单位办理情况").screen
        #expect(dash.contains("duchat_fgj·县发改局"))
        try unit.keys("2")
        let list = try unit.waitFor("工业园区用电报装提速").screen
        #expect(!list.contains("财政资金直达"))
        try unit.keys("s")
        try unit.waitFor("签收 督〔2026〕第0001号")
        try unit.keys("y")
        try unit.waitFor("已签收 督〔2026〕第0001号")
        try unit.keys("f")
        try unit.type("已与供电公司对接，报装时限压缩至10个工作日")
        try unit.keys("Enter")
        try unit.waitFor("已反馈")
        try unit.keys("c")
        try unit.type("已建立重点企业用电服务专班，报装时限压缩到位")
        try unit.keys("Enter")
        try unit.waitFor("已申请办结")
        try unit.keys("q")
        try unit.waitFor("退出码 0")
        let log = try cli("log", "1")
        #expect(log.stdout.contains("县发改局  签收") && log.stdout.contains("县发改局  反馈：已与供电公司对接"))
        #expect(!log.stdout.contains("代录"), "单位自己办理的不是代录")

        // The office reviews and approves it in its own terminal.
        let office = try Tmux(TerminalTests.command(repo, binary: binary))
        try office.waitFor("各单位办理情况")
        try office.keys("2")
        try office.waitFor("待审核")
        try office.keys("a")
        try office.waitFor("审核通过，办结销号")
        try office.keys("Enter", "Enter")
        try office.waitFor("并办结销号（评价：优秀）")
        try office.keys("y")
        try office.waitFor("已审核通过 督〔2026〕第0001号，当前状态：已办结")
        let shown = try cli("show", "1")
        #expect(shown.stdout.contains("状态：已办结") && shown.stdout.contains("评价：优秀"))
    }
}
