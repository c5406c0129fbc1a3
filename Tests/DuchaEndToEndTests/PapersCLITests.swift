import DuchaTestSupport
import Foundation
import Testing

/// Follow-up rules and the papers an office issues, from the command line.
@Suite struct PapersCLITests {
    let dir = TemporaryDirectory("ducha-papers")
    var repo: String { dir.sub("repo") }

    func ducha(_ args: [String], today: String = "2026-11-21", stdin: String? = nil) throws -> Binary.Result {
        try Binary.run(["--repo", repo, "--today", today] + args, stdin: stdin)
    }

    @discardableResult
    func ok(_ args: String..., today: String = "2026-11-21") throws -> String {
        let r = try ducha(args, today: today)
        #expect(r.status == 0, "\(args) → \(r.status)：\(r.stderr)")
        return r.stdout
    }

    @Test func defaultTimeLimitsAndFeedbackCycles() throws {
        try ok("init", "--test-clock")
        try ok("unit", "add", "县财政局")
        // No --deadline: 特急 1 working day; 人大建议 3 months; a setting changes 一般.
        #expect(try ok("add", "--title", "特急事项", "--lead", "县财政局", "--urgency", "特急", today: "2026-09-30") == "督〔2026〕第0001号\n")
        #expect(try ok("show", "1", "--format", "json").contains(#""deadline":"2026-10-08""#))
        try ok("add", "--title", "人大建议", "--lead", "县财政局", "--source", "人大代表建议", today: "2026-09-19")
        #expect(try ok("show", "2", "--format", "json").contains(#""deadline":"2026-12-21""#))
        try ok("config", "limit.一般", "10个工作日")
        try ok("add", "--title", "一般事项", "--lead", "县财政局", "--cycle", "每周五", today: "2026-11-02")
        let shown = try ok("show", "3", today: "2026-11-10")
        #expect(shown.contains("办理时限：2026-11-16"))
        #expect(shown.contains("定期反馈：每周五"))
        try ok("sign", "3", today: "2026-11-02")
        // Friday 11-06 passed without feedback: 反馈逾期 in the list and the notice's summary.
        let list = try ok("list", "--mark", "反馈逾期", today: "2026-11-10")
        #expect(list.contains("一般事项") && list.contains("办理中·反馈逾期"))
        #expect(
            try ok("export", "overdue", today: "2026-11-10").replacingOccurrences(of: "\n", with: "").contains("另有1件未按规定周期反馈进展"))
        try ok("feedback", "3", "本周进展", today: "2026-11-10")
        #expect(!(try ok("list", today: "2026-11-10")).contains("反馈逾期"))
        let bad = try ducha(["add", "--title", "x", "--lead", "县财政局", "--cycle", "每天"])
        #expect(bad.status == 1 && bad.stderr.contains("反馈周期有误"))
    }

    @Test func remindersAndStatistics() throws {
        try ok("demo")
        let out = dir.sub("催办")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let r = try ducha(["export", "reminders", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.contains("催办通知-县教育局-2026-11-21.txt"))
        #expect(files.allSatisfy { $0.hasPrefix("催办通知-") && $0.hasSuffix("-2026-11-21.txt") })
        // A directory not there yet is made; one that cannot be made is refused before any
        // reminder is recorded.
        let fresh = dir.sub("新目录")
        let made = try ducha(["export", "reminders", "--output", fresh])
        #expect(made.status == 0 && made.stderr.contains("已创建目录"), "\(made.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fresh).sorted() == files)
        let before = try ok("log")
        let refused = try ducha(["export", "reminders", "--record", "--output", dir.sub("没有/这一层")])
        #expect(refused.status == 1 && refused.stderr.contains("创建目录失败"), "\(refused.stderr)")
        #expect(try ok("log") == before)
        let oneFile = try ducha(["export", "reminders", "--unit", "县教育局", "--record", "--output", dir.sub("没有/通知.txt")])
        #expect(oneFile.status == 1 && oneFile.stderr.contains("写入失败"), "\(oneFile.stderr)")
        #expect(try ok("log") == before)
        let edu = try String(contentsOfFile: out + "/催办通知-县教育局-2026-11-21.txt", encoding: .utf8)
        #expect(edu.hasPrefix(String(repeating: " ", count: 42) + "督查事项催办通知\n\n县教育局：\n"))
        #expect(!edu.contains("县财政局牵头"), "只含该单位牵头的事项")
        // One unit to the screen; and recording the reminders in the history.
        // Recording the reminders adds records, so only the code at the foot differs.
        let recorded = LedgerCodeFooter.split(try ok("export", "reminders", "--unit", "县教育局", "--record"))
        let saved = LedgerCodeFooter.split(edu)
        #expect(recorded.body == saved.body)
        #expect(recorded.seq != nil && saved.seq != nil && recorded.seq! > saved.seq!)
        #expect(recorded.hash == LedgerCodeFooter.journalHead(repo))
        #expect(try ok("log", "--last", "1").contains("催办（书面）：印发催办通知"))
        let stats = try ok("stats")
        #expect(stats.contains("督查事项办理情况统计（按单位）"))
        #expect(stats.contains("合计"))
        let csv = try ok("stats", "--by", "source", "--format", "csv")
        #expect(csv.hasPrefix("\u{FEFF}来源,承办总数"))
        let json = try ok("stats", "--format", "json", "--from", "2026-11-01")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(parsed["from"] as? String == "2026-11-01")
        let wrong = try ducha(["stats", "--from", "2026-12-01", "--to", "2026-11-01"])
        #expect(wrong.status == 1 && wrong.stderr.contains("起始日期 2026-12-01 晚于截止日期 2026-11-01"))
    }

    @Test func importFromExcelAndTheRoundTripLosesNothing() throws {
        // A ledger with every state, exported…
        let source = dir.sub("source")
        #expect(try Binary.run(["--repo", source, "--today", "2026-11-21", "demo"]).status == 0)
        let exported = dir.sub("台账.csv")
        #expect(
            try Binary.run(["--repo", source, "--today", "2026-11-21", "export", "ledger", "--output", exported]).status == 0)
        // …imported into a fresh repository (UTF-8 with BOM, as exported)…
        try ok("init", "--test-clock", "--office", "青山县委督查室")
        let refused = try ducha(["import", exported])
        #expect(refused.status == 1 && refused.stderr.contains("第2行：没有名为") && refused.stderr.contains("没有导入任何事项"))
        #expect(try ok("list").contains("还没有事项"), "有问题时一件也不导入")
        #expect(try ok("import", "--create-units", "--dry-run", exported).contains("可导入 42 件事项"))
        #expect(try ok("list").contains("还没有事项"), "--dry-run 不写入")
        #expect(try ok("import", "--create-units", exported).contains("已导入 42 件事项"))
        // …and exported again: identical.
        let again = dir.sub("再导出.csv")
        try ok("export", "ledger", "--output", again)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: exported)))
        #expect(try ok("check").contains("检查通过"))
        // The history says the state came from the old ledger.
        #expect(try ok("log", "1").contains("从原台账导入：状态为“已办结”"))
    }

    @Test func importGB18030AndUTF8WithoutBOM() throws {
        try ok("init", "--test-clock")
        try ok("unit", "add", "县财政局")
        let text =
            "事项,来源,牵头单位,配合单位,交办日期,办理时限,紧急程度,填报人\r\n城区路灯整改,领导批示,县财政局,,2026-11-02,2026-11-20,急,x\r\n停车难治理,群众反映,县财政局,,2026-11-03,,,\r\n"
        let plain = dir.sub("utf8.csv")
        try text.write(toFile: plain, atomically: true, encoding: .utf8)
        let gb = dir.sub("gb.csv")
        #expect(OSAccounts.shell("iconv -f UTF-8 -t GB18030 '\(plain)' > '\(gb)'") == 0)
        let r = try ducha(["import", gb])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("已导入 2 件事项"))
        #expect(r.stderr.contains("忽略未识别的列：填报人"))
        let list = try ok("list")
        #expect(list.contains("城区路灯整改") && list.contains("停车难治理"))
        // An empty deadline took the default: 15 working days after 2026-11-03.
        #expect(try ok("show", "2").contains("办理时限：2026-11-24"))
        // The same text as UTF-8 without BOM imports too (numbers continue) — rows already in the
        // ledger only when asked for with --allow-duplicates.
        #expect(try ducha(["import", plain]).stderr.contains("不重复导入"))
        #expect(try ok("import", "--allow-duplicates", plain).contains("督〔2026〕第0003号 至 督〔2026〕第0004号"))
    }
}
