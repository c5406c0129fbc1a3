import DuchaCore
import DuchaTestSupport
import Foundation
import Testing

/// The built binary on fresh repositories, as a clerk would use it (on a database too, with
/// DUCHA_TEST_BACKEND=postgresql).
@Suite struct CLITests {
    let dir = TemporaryDirectory("ducha-cli")
    let repo: String

    init() { repo = TestBackend.repository(dir) }

    @discardableResult
    func ducha(_ args: String..., today: String = "2026-11-02", stdin: String? = nil) throws -> Binary.Result {
        try Binary.run(["--repo", repo, "--today", today] + args, stdin: stdin)
    }

    func ok(_ args: String..., today: String = "2026-11-02") throws -> String {
        let r = try Binary.run(["--repo", repo, "--today", today] + args)
        #expect(r.status == 0, "\(args) → \(r.status)：\(r.stderr)")
        return r.stdout
    }

    func setUp() throws {
        let r = try Binary.run(
            ["--repo", repo, "--today", "2026-11-02", "init", "--test-clock", "--office", "青山县委督查室"] + TestBackend.createOptions)
        #expect(r.status == 0, "init → \(r.status)：\(r.stderr)")
        _ = try ok("unit", "add", "县财政局", "--owner", "谢志强", "--contact", "罗丹", "--phone", "0731-5521102")
        _ = try ok("unit", "add", "城关镇", "--kind", "乡镇")
        _ = try ok("unit", "add", "县发改局")
    }

    /// A reopened item and one handed to another unit after feedback keep their earlier progress;
    /// the ledger exported imports into a new ledger and reads the same.
    @Test func reopenedAndReassignedItemsExportAndImportBack() throws {
        try setUp()
        _ = try ok("add", "--title", "路灯整改", "--lead", "城关镇", "--deadline", "+5")
        _ = try ok("add", "--title", "停车治理", "--lead", "县财政局", "--deadline", "+5")
        for n in ["1", "2"] { _ = try ok("sign", n, today: "2026-11-03") }
        _ = try ok("feedback", "1", "已排查", today: "2026-11-03")
        _ = try ok("feedback", "2", "已摸底", today: "2026-11-03")
        _ = try ok("complete", "1", "已完成", today: "2026-11-04")
        _ = try ok("review", "1", "--approve", today: "2026-11-04")
        _ = try ok("reopen", "1", "--reason", "回头看发现反弹", today: "2026-11-10")
        _ = try ok("reassign", "2", "--lead", "县发改局", "--reason", "按职责调整", today: "2026-11-10")
        let first = dir.sub("first.csv")
        _ = try ok("export", "ledger", "--output", first, today: "2026-11-10")
        let copy = dir.sub("copy")
        let run = { (args: [String]) in try Binary.run(["--repo", copy, "--today", "2026-11-10"] + args) }
        #expect(try run(["init", "--test-clock", "--office", "青山县委督查室"]).status == 0)
        let imported = try run(["import", "--create-units", first])
        #expect(imported.status == 0 && imported.stdout.contains("已导入 2 件事项"), "\(imported.stderr)")
        let again = dir.sub("again.csv")
        #expect(try run(["export", "ledger", "--output", again]).status == 0)
        #expect(try String(contentsOfFile: again, encoding: .utf8) == String(contentsOfFile: first, encoding: .utf8))
    }

    @Test func theWholeWorkflowFromTheCommandLine() throws {
        try setUp()
        let number = try ok(
            "add", "--title", "城区背街小巷路灯整改", "--lead", "城关镇", "--co", "县财政局", "--deadline", "2026-11-20",
            "--source", "领导批示", "--leader", "李明远", "--urgency", "急", "--instruction", "请城关镇牵头，限期修复。")
        #expect(number == "督〔2026〕第0001号\n", "add 只输出编号")
        #expect(try ok("sign", "1").contains("已签收 督〔2026〕第0001号（代 城关镇 录入）"))
        #expect(try ok("feedback", "1", "已完成排查，共42处。", "--for", "县财政局").contains("代 县财政局 录入"))
        _ = try ok("extend", "1", "--to", "2026-11-27", "--reason", "需采购灯具")
        #expect(try ok("extension", "1", "--approve").contains("新的办理时限为 2026-11-27"))
        let report = try Binary.run(["--repo", repo, "--today", "2026-11-10", "complete", "1", "-"], stdin: "已修复36处，余6处待灯具到货。")
        #expect(report.status == 0, "\(report.stderr)")
        _ = try ok("review", "1", "--return", "未附验收照片", today: "2026-11-11")
        let second = try Binary.run(["--repo", repo, "--today", "2026-11-12", "complete", "1", "-"], stdin: "已全部修复并验收，附照片。\n")
        #expect(second.status == 0, "\(second.stderr)")
        _ = try ok("review", "1", "--approve", "--grade", "优秀", today: "2026-11-13")
        let show = try ok("show", "1", today: "2026-11-13")
        for expected in [
            "状态：已办结", "办理时限：2026-11-27（原定 2026-11-20，已延期1次）", "退回次数：1", "审核退回：未附验收照片", "反馈：已完成排查，共42处。",
            "县财政局（督查室", "申请办结：已全部修复并验收，附照片。", "审核通过，办结（评价：优秀）", "第一责任人：—",
        ] {
            #expect(show.contains(expected), "show 应含“\(expected)”：\n\(show)")
        }
        let json = try ok("show", "1", "--format", "json")
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(obj["state"] as? String == "已办结")
        #expect((obj["history"] as? [Any])?.count == 9)
        let log = try ok("log", "1")
        #expect(log.split(separator: "\n").count == 9)
        #expect(try ok("check").contains("检查通过"))
    }

    @Test(.disabled(if: TestBackend.postgres, "比对的是日志文件最后一行的校验码"))
    func theOverdueNoticeExactlyAsExported() throws {
        try setUp()
        _ = try ok(
            "add", "--title", "政府债务风险化解方案", "--lead", "县财政局", "--deadline", "2026-11-10", "--source", "政府常务会决定事项",
            "--leader", "陈志刚")
        _ = try ok(
            "add", "--title", "城区背街小巷路灯整改", "--lead", "城关镇", "--co", "县财政局", "--co", "县发改局", "--deadline", "2026-11-18",
            "--leader", "李明远")
        _ = try ok("add", "--title", "工业园区用电报装提速", "--lead", "县发改局", "--deadline", "2026-12-31")
        _ = try ok("feedback", "1", "已完成方案初稿，正在征求各乡镇意见。", today: "2026-11-05")
        let exported = LedgerCodeFooter.split(try ok("export", "overdue", today: "2026-11-21"))
        // The paper carries the ledger's code: the number of records and the hash of the last line.
        #expect(exported.seq == 8, "\(exported)")
        #expect(exported.hash != nil && exported.hash == LedgerCodeFooter.journalHead(repo))
        let text = exported.body
        let expected = """
                                                        逾期事项通报
                                                       第1期（预览）

            青山县委督查室                                                                        2026年11月21日

            　　截至2026年11月21日，纳入督查督办的事项共3件。已办结0件，办结率0.0%，其中按时办结0件、逾期办结0
            件，按时办结率—；在办3件，其中逾期未办结2件，占在办事项的66.7%，临期0件。现将逾期未办结事项通报如
            下。

            一、县财政局（逾期1件）

            序号 编号               事项       来源     批示   牵头单位 配合单位 时限       逾期 最新进展
                                                        领导                                天数
            ---- ------------------ ---------- -------- ------ -------- -------- ---------- ---- ---------------
               1 督〔2026〕第0001号 政府债务风 政府常务 陈志刚 县财政局          2026-11-10   11 11月5日：已完成
                                    险化解方案 会决定事                                          方案初稿，正在
                                               项                                                征求各乡镇意
                                                                                                 见。

            二、城关镇（逾期1件）

            序号 编号               事项       来源     批示   牵头单位 配合单位 时限       逾期 最新进展
                                                        领导                                天数
            ---- ------------------ ---------- -------- ------ -------- -------- ---------- ---- ---------------
               2 督〔2026〕第0002号 城区背街小 领导批示 李明远 城关镇   县财政局 2026-11-18    3 （未反馈）
                                    巷路灯整改                          县发改局

            　　请以上单位切实履行承办责任，抓紧办理，并于2026年11月25日前将办理进展和逾期原因书面报送青山县委督
            查室。

                                                                                              青山县委督查室
                                                                                              2026年11月21日

            """
        Golden.check(text, expected, "cli-notice")
        // A notice that could not be saved is not issued: the counter stays.
        for bad in [dir.sub("没有这个目录/通报.txt"), dir.path] {
            let r = try Binary.run(["--repo", repo, "--today", "2026-11-21", "export", "overdue", "--issue", "--output", bad])
            #expect(r.status == 1 && r.stderr.hasPrefix("错误：写入失败"), "\(r.stderr)")
        }
        // Issuing numbers the notice and advances the counter; previews do not.
        let out = dir.sub("通报.txt")
        let issued = try Binary.run(["--repo", repo, "--today", "2026-11-21", "export", "overdue", "--issue", "--output", out])
        #expect(issued.status == 0 && issued.stderr.contains("已印发逾期事项通报第1期"))
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("第1期\n"))
        #expect(try ok("export", "overdue", today: "2026-11-21").contains("第2期（预览）"))
        let csv = try ok("export", "overdue", "--format", "csv", today: "2026-11-21")
        #expect(csv.hasPrefix("\u{FEFF}序号,编号,事项"))
    }

    @Test(.disabled(if: TestBackend.postgres, "比对的是日志文件的字节"))
    func badInputIsRefusedInChineseWithStatus1AndNothingWritten() throws {
        try setUp()
        _ = try ok("add", "--title", "城区停车难治理", "--lead", "县财政局", "--deadline", "2026-11-30")
        let journal = repo + "/journal.jsonl"
        let before = try Data(contentsOf: URL(fileURLWithPath: journal))
        let cases: [([String], String)] = [
            (["add", "--title", "x", "--lead", "县财政局", "--deadline", "2026-02-30"], "2026年2月只有28天"),
            (["add", "--title", "x", "--lead", "县财政局", "--deadline", "2026-10-01"], "早于交办日期"),
            (["add", "--title", "", "--lead", "县财政局", "--deadline", "2026-11-30"], "事项有误：不能为空"),
            (["add", "--title", "x", "--lead", "县水利局", "--deadline", "2026-11-30"], "没有名为“县水利局”的单位"),
            (["add", "--title", "x\u{1B}[2J", "--lead", "县财政局", "--deadline", "2026-11-30"], "控制字符 ESC"),
            (["add", "--title", "x", "--lead", "县财政局", "--deadline", "2026-11-30", "--urgency", "特别急"], "紧急程度有误：应为"),
            (["feedback", "9", "进展"], "没有编号为 9"),
            (["feedback", "督〔2026〕第0001号", "进展", "--for", "县发改局"], "县发改局 无权反馈 督〔2026〕第0001号：该事项由 县财政局 牵头"),
            (["review", "1", "--approve"], "只有“待审核”的事项可以审核通过"),
            (["list", "--state", "完成"], "状态应为"),
            (["show", "abc"], "不是有效的编号"),
            (["unit", "add", "县财政局"], "单位“县财政局”已存在"),
            (["user", "add", "zhang", "--role", "boss"], "角色应为"),
            (["export", "overdue", "--format", "pdf"], "格式应为"),
        ]
        for (args, message) in cases {
            let r = try Binary.run(["--repo", repo, "--today", "2026-11-02"] + args)
            #expect(r.status == 1, "\(args.prefix(3)) 应以 1 退出，实为 \(r.status)")
            #expect(r.stderr.hasPrefix("错误：") && r.stderr.contains(message), "\(args.prefix(3))：\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        // A 100,000-character feedback, as an editor would pipe it in.
        let long = try Binary.run(
            ["--repo", repo, "--today", "2026-11-02", "feedback", "1", "-"], stdin: String(repeating: "长", count: 100_000))
        #expect(long.status == 1 && long.stderr.contains("最多 10000 个字，现有 100000 个"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before, "被拒绝的操作不应写入任何内容")
        // --today itself.
        let badToday = try Binary.run(["--repo", repo, "--today", "2026-13-01", "list"])
        #expect(badToday.status == 1 && badToday.stderr.contains("没有 13 月"))
    }

    @Test func usageErrorsExitWith1InChinese() throws {
        try setUp()
        for args in [
            ["bogus"], ["add", "--title", "x"], ["list", "--frobnicate"], ["review", "1"], ["feedback"],
            ["list", "--overdue", "--closed"], ["unit", "rename", "青石乡", "青石镇"], ["show", "1", "2", "3"],
        ] {
            let r = try Binary.run(["--repo", repo] + args)
            #expect(r.status == 1, "\(args) → \(r.status)")
            #expect(!r.stderr.contains("unexpected") && !r.stderr.contains("argument"), "\(r.stderr)")
            #expect(r.stderr.hasPrefix("错误："), "\(r.stderr)")
            #expect(r.stderr.contains("用法："))
        }
        let help = try Binary.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("子命令：") && !help.stdout.contains("SUBCOMMANDS"))
        let version = try Binary.run(["--version"])
        #expect(version.status == 0 && version.stdout == "ducha 1.0\n", "\(version.stdout)\(version.stderr)")
    }

    @Test func theDemoRepository() throws {
        let r = try Binary.run(["--repo", repo, "--today", "2026-11-21", "demo"] + TestBackend.createOptions)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("12个单位"))
        let again = try Binary.run(["--repo", repo, "--today", "2026-11-21", "demo"] + TestBackend.createOptions)
        #expect(
            again.status == 1 && again.stderr.contains(TestBackend.postgres ? "已有 ducha 台账，不会覆盖" : "已有台账，不会覆盖"))
        let list = try ok("list", "--format", "json", today: "2026-11-21")
        let items = try JSONSerialization.jsonObject(with: Data(list.utf8)) as! [[String: Any]]
        #expect(items.count == 42)
        #expect(items.first?["light"] as? String == "逾期")
        let overdue = try ok("list", "--overdue", today: "2026-11-21")
        #expect(overdue.split(separator: "\n").dropFirst(2).allSatisfy { $0.hasPrefix("红") || $0.hasPrefix("共") })
        #expect(try ok("check", today: "2026-11-21").contains("检查通过"))
        let summary = try ok(today: "2026-11-21")
        #expect(summary.contains("青山县委督查室") && summary.contains("逾期最久的事项"))
    }

    @Test func todayComesFromTheOptionOrTheEnvironment() throws {
        try setUp()
        _ = try ok("add", "--title", "事项", "--lead", "县财政局", "--deadline", "2026-11-10")
        let fromEnv = try Binary.run(["--repo", repo, "list"], environment: ["DUCHA_TODAY": "2026-11-12"])
        #expect(fromEnv.stdout.contains("逾期2天"))
        let fromOption = try Binary.run(
            ["--repo", repo, "--today", "2026-11-13", "list"], environment: ["DUCHA_TODAY": "2026-11-12"])
        #expect(fromOption.stdout.contains("逾期3天"))
        let fromRepoEnv = try Binary.run(["list"], environment: ["DUCHA_REPO": repo, "DUCHA_TODAY": "2026-11-12"])
        #expect(fromRepoEnv.status == 0 && fromRepoEnv.stdout.contains("逾期2天"))
    }

    @Test func concurrentCommandsWaitForTheLock() throws {
        try setUp()
        _ = try ok("add", "--title", "事项", "--lead", "县财政局", "--deadline", "2026-11-30")
        let processes = 4
        let each = 15
        let group = DispatchGroup()
        let failures = NSLock()
        nonisolated(unsafe) var failed: [String] = []
        for p in 0..<processes {
            group.enter()
            DispatchQueue.global().async {
                for i in 0..<each {
                    let r = try? Binary.run(["--repo", repo, "--today", "2026-11-02", "feedback", "1", "进程\(p)第\(i)条"])
                    if r?.status != 0 {
                        failures.lock()
                        failed.append(r?.stderr ?? "未能运行")
                        failures.unlock()
                    }
                }
                group.leave()
            }
        }
        group.wait()
        #expect(failed.isEmpty, "\(failed.prefix(3))")
        let log = try ok("log", "1")
        #expect(log.components(separatedBy: "反馈：").count - 1 == processes * each)
        #expect(try ok("check").contains("检查通过"))
    }
}

/// The record is right, from the command line: reassignment, extension and completion,
/// suspension, reopen and undo.
extension CLITests {
    func fails(_ args: String..., today: String = "2026-11-02") throws -> String {
        let r = try Binary.run(["--repo", repo, "--today", today] + args)
        #expect(r.status == 1, "\(args) 应失败：\(r.stdout)")
        #expect(r.stdout.isEmpty)
        return r.stderr
    }

    func statsRow(_ unit: String, today: String) throws -> [String: Any] {
        let json = try ok("stats", "--format", "json", today: today)
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        return (obj["rows"] as! [[String: Any]]).first { $0["name"] as? String == unit }!
    }

    @Test func reassignHandsTheItemOverAsANewAssignment() throws {
        try setUp()
        _ = try ok("add", "--title", "集镇饮水安全提升", "--lead", "城关镇", "--co", "县发改局", "--deadline", "2026-11-10")
        _ = try ok("sign", "1")
        for (day, reason) in [("2026-11-04", "未附验收材料"), ("2026-11-06", "问题未实际解决")] {
            _ = try ok("complete", "1", "已完成", today: day)
            _ = try ok("review", "1", "--return", reason, today: day)
        }
        _ = try ok("remind", "1", "--note", "说明逾期原因", today: "2026-11-20")
        let done = try ok("reassign", "1", "--lead", "县财政局", "--reason", "职责调整", today: "2026-11-30")
        #expect(done.contains("已重新交办 督〔2026〕第0001号，由 县财政局 牵头，交办日期 2026-11-30，办理时限 2026-12-21，当前状态：待签收"), "\(done)")
        let show = try ok("show", "1", today: "2026-11-30")
        for expected in [
            "牵头单位：县财政局", "配合单位：县发改局", "第一责任人：谢志强", "联系人：罗丹（0731-5521102）", "交办日期：2026-11-30",
            "办理时限：2026-12-21", "亮灯：绿 剩15个工作日", "此前承办：城关镇：2026-11-02 交办，时限 2026-11-10；2026-11-30 重新交办时已逾期20天；退回2次，催办1",
            "重新交办：牵头 县财政局，配合 县发改局，2026-11-30 起重新计时，时限 2026-12-21。理由：职责调整", "审核退回：问题未实际解决",
        ] {
            #expect(show.contains(expected), "show 应含“\(expected)”：\n\(show)")
        }
        #expect(!show.contains("签收超时") && !show.contains("退回次数"))
        let json = try ok("show", "1", "--format", "json", today: "2026-11-30")
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let earlier = try #require((obj["earlierAssignments"] as? [[String: Any]])?.first)
        #expect(earlier["leadUnit"] as? String == "城关镇" && earlier["daysLate"] as? Int == 20 && earlier["returns"] as? Int == 2)
        // Statistics and notices keep 城关镇's delay its own.
        let old = try statsRow("城关镇", today: "2026-11-30")
        let new = try statsRow("县财政局", today: "2026-11-30")
        #expect(old["penalty"] as? String == "-5" && old["returns"] as? Int == 2 && old["leadLate"] as? Int == 1)
        #expect(new["penalty"] as? String == "0" && new["overdueOpen"] as? Int == 0 && new["total"] as? Int == 1)
        let notice = try ok("export", "overdue", today: "2026-11-30")
        #expect(!notice.contains("县财政局（逾期"))
        // A deadline given; a past one refused with nothing written.
        _ = try ok("add", "--title", "路灯整改", "--lead", "城关镇", "--deadline", "2026-11-20")
        let refused = try fails(
            "reassign", "2", "--lead", "县发改局", "--reason", "调整", "--deadline", "2026-11-01", today: "2026-11-30")
        #expect(refused.contains("新的办理时限 2026-11-01 早于今天 2026-11-30"), "\(refused)")
        #expect(
            try ok("reassign", "2", "--lead", "县发改局", "--reason", "调整", "--deadline", "+3", today: "2026-11-30").contains(
                "办理时限 2026-12-03"))
        #expect(try ok("check", today: "2026-11-30").contains("检查通过"))
        let help = try ok("reassign", "--help")
        #expect(help.contains("重新交办是一次新的交办") && help.contains("--deadline"))
    }

    @Test func askingToCloseWithdrawsAPendingExtensionOnTheRecord() throws {
        try setUp()
        _ = try ok("add", "--title", "政府债务风险化解方案", "--lead", "县财政局", "--deadline", "2026-11-20")
        _ = try ok("sign", "1")
        _ = try ok("extend", "1", "--to", "2026-11-30", "--reason", "需县委常委会审定", today: "2026-11-05")
        let done = try ok("complete", "1", "方案已审定", today: "2026-11-06")
        #expect(done.contains("待审批的延期申请（至 2026-11-30）已同时撤回"), "\(done)")
        let log = try ok("log", "1", today: "2026-11-06")
        #expect(log.contains("撤回延期申请（至 2026-11-30）：申请办结，同时撤回待审批的延期申请"), "\(log)")
        _ = try ok("review", "1", "--return", "未附审定纪要", today: "2026-11-09")
        let refused = try fails("extension", "1", "--approve", today: "2026-11-09")
        #expect(refused.contains("没有待审批的延期申请（至 2026-11-30 的延期申请已于 2026-11-06 撤回"), "\(refused)")
        #expect(try ok("complete", "--help").contains("申请办结即同时撤回该延期申请"))
        #expect(try ok("check", today: "2026-11-09").contains("检查通过"))
    }

    @Test func aSuspensionStopsTheClock() throws {
        try setUp()
        _ = try ok("add", "--title", "专项资金清理", "--lead", "县财政局", "--deadline", "2026-11-13")
        _ = try ok("sign", "1")
        _ = try ok("suspend", "1", "--reason", "等待上级政策", today: "2026-11-13")
        #expect(try ok("show", "1", today: "2026-11-27").contains("亮灯：不亮灯（暂缓期间停止计时，恢复办理时时限顺延）"))
        let done = try ok("resume", "1", today: "2026-11-30")
        #expect(done.contains("暂缓11个工作日，办理时限顺延至 2026-11-30"), "\(done)")
        let show = try ok("show", "1", today: "2026-11-30")
        #expect(show.contains("办理时限：2026-11-30（原定 2026-11-13，暂缓顺延11个工作日）"), "\(show)")
        #expect(show.contains("亮灯：黄 今天到期"), "\(show)")
        #expect(show.contains("恢复办理，暂缓11个工作日，办理时限由 2026-11-13 顺延至 2026-11-30"))
        #expect(try statsRow("县财政局", today: "2026-11-30")["penalty"] as? String == "0")
        #expect(try ok("check", today: "2026-11-30").contains("检查通过"))
    }

    @Test func reopenAndUndo() throws {
        try setUp()
        _ = try ok("add", "--title", "背街小巷路灯整改", "--lead", "城关镇", "--deadline", "2026-11-18")
        _ = try ok("sign", "1")
        _ = try ok("complete", "1", "已修复", today: "2026-11-16")
        _ = try ok("review", "1", "--approve", "--grade", "良好", today: "2026-11-16")
        // Undo the approval the same day; approve again.
        #expect(try ok("undo", today: "2026-11-16").contains("已撤回 督〔2026〕第0001号：撤回了审核通过"))
        #expect(try ok("show", "1", today: "2026-11-16").contains("状态：待审核"))
        _ = try ok("review", "1", "--approve", "--grade", "良好", today: "2026-11-16")
        // The next day the approval is no longer the clerk's to undo.
        #expect(try fails("undo", "1", today: "2026-11-17").contains("今天没有您对该事项的操作可撤回"))
        let reopened = try ok("reopen", "1", "--reason", "回头看：部分路灯再次损坏", today: "2026-12-07")
        #expect(reopened.contains("已重新办理 督〔2026〕第0001号，新的办理时限为 2026-12-28，当前状态：办理中"), "\(reopened)")
        let show = try ok("show", "1", today: "2026-12-07")
        #expect(show.contains("此前办结：城关镇：2026-11-02 交办，时限 2026-11-18；2026-11-16 办结（按时，评价：良好），2026-12-07"), "\(show)")
        #expect(show.contains("审核通过，办结（评价：良好）") && show.contains("撤回本人当天的审核通过"))
        // The closure stays counted in November.
        let nov = try ok("stats", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "json", today: "2026-12-07")
        #expect(nov.contains("\"closed\":1") && nov.contains("\"closedOnTime\":1"))
        // A feedback and its undo; an action that may not be undone.
        _ = try ok("feedback", "1", "已重新排查", today: "2026-12-08")
        #expect(try ok("undo", "1", today: "2026-12-08").contains("撤回了反馈"))
        #expect(!(try ok("show", "1", "--format", "json", today: "2026-12-08")).contains("latestFeedback"))
        _ = try ok("withdraw", "1", "--reason", "并入其他事项", today: "2026-12-08")
        #expect(try fails("undo", today: "2026-12-08").contains("撤销不能撤回"))
        #expect(try fails("reopen", "1", "--reason", "x", today: "2026-12-08").contains("不能重新办理 督〔2026〕第0001号：该事项已撤销"))
        let help = try ok("undo", "--help")
        #expect(help.contains("可撤回的操作：签收、退办、反馈、申请延期、申请办结、催办、批注、暂缓、审核通过"))
        #expect(try ok("check", today: "2026-12-08").contains("检查通过"))
    }
}
