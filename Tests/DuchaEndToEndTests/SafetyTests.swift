import DuchaCore
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// Bad repository data, bad input and hostile text, from the command line.
@Suite struct SafetyTests {
    let dir = TemporaryDirectory("ducha-safety")
    var repo: String { dir.sub("repo") }

    func ducha(_ args: [String], stdin: String? = nil) throws -> Binary.Result {
        try Binary.run(["--repo", repo, "--today", "2026-11-21"] + args, stdin: stdin)
    }

    func setUp() throws {
        #expect(try ducha(["demo"]).status == 0)
        _ = try ducha(["feedback", "12", "进展一"])
        _ = try ducha(["feedback", "12", "进展二"])
        _ = try ducha(["feedback", "12", "进展三"])
    }

    func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: repo + "/" + name)) }

    @Test func damagedDataIsRefusedNamingFileAndLineAndNeverOverwritten() throws {
        try setUp()
        let snapshot = try bytes("ducha.json")
        let journal = try bytes("journal.jsonl")
        // Invalid JSON inside the snapshot.
        let broken = Data(
            String(decoding: snapshot, as: UTF8.self).replacingOccurrences(of: "\"items\":[", with: "\"items\":[@@").utf8)
        #expect(broken != snapshot)
        try broken.write(to: URL(fileURLWithPath: repo + "/ducha.json"))
        var r = try ducha(["list"])
        #expect(
            r.status == 1 && r.stderr.contains("无法读取台账快照 \(repo)/ducha.json：第 ") && r.stderr.contains("文件未作任何改动"), "\(r.stderr)")
        #expect(try bytes("ducha.json") == broken)
        // A commit is refused too, and writes nothing.
        r = try ducha(["feedback", "12", "x"])
        let after = try bytes("journal.jsonl")
        #expect(r.status == 1 && after == journal)
        let repair = try ducha(["check", "--repair"])
        #expect(repair.status == 1 && repair.stdout.contains("快照无法自动修复，请从备份恢复"))
        #expect(try bytes("ducha.json") == broken)
        // A newer format.
        try Data(
            String(decoding: snapshot, as: UTF8.self).replacingOccurrences(of: #"{"format":2,"#, with: #"{"format":7,"#).utf8
        )
        .write(to: URL(fileURLWithPath: repo + "/ducha.json"))
        r = try ducha(["list"])
        #expect(r.status == 1 && r.stderr.contains("格式版本为 7，本程序只支持版本 2") && r.stderr.contains("请升级 ducha"))
        // Truncated.
        try snapshot.prefix(snapshot.count / 2).write(to: URL(fileURLWithPath: repo + "/ducha.json"))
        r = try ducha(["check"])
        #expect(r.status == 1 && r.stdout.contains("问题：无法读取台账快照"))
        try snapshot.write(to: URL(fileURLWithPath: repo + "/ducha.json"))
        #expect(try ducha(["check"]).status == 0)
    }

    @Test func aDamagedJournalLineIsRepairedWithACopyKept() throws {
        try setUp()
        var lines = String(decoding: try bytes("journal.jsonl"), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        lines[1] = String(lines[1].prefix(40)) + "损坏"
        try (lines.joined(separator: "\n") + "\n").write(toFile: repo + "/journal.jsonl", atomically: false, encoding: .utf8)
        let r = try ducha(["list"])
        #expect(r.status == 1 && r.stderr.contains("台账日志 \(repo)/journal.jsonl 第 2 行已损坏"), "\(r.stderr)")
        let check = try ducha(["check"])
        #expect(check.status == 1 && check.stdout.contains("第 2 行已损坏"))
        let repair = try ducha(["check", "--repair"])
        #expect(repair.status == 0, "\(repair.stdout)")
        #expect(repair.stdout.contains("日志第 2 行无法使用") && repair.stdout.contains("共 2 行移出") && repair.stdout.contains("检查通过"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: repo + "/repair")
        #expect(kept.count == 1)
        let saved = try String(contentsOfFile: repo + "/repair/" + kept[0], encoding: .utf8)
        #expect(saved.contains("损坏") && saved.contains("进展三"), "移出的两行原样保存")
        // What was before the damage is intact; the lost feedback can be entered again.
        let log = try ducha(["log", "12"]).stdout
        #expect(log.contains("进展一") && !log.contains("进展三"))
        #expect(try ducha(["feedback", "12", "进展三（补录）"]).status == 0)
    }

    @Test func aTornLastLineIsCutAndReported() throws {
        try setUp()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: repo + "/journal.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"seq":999,"at":"2026-11-21T10:00:00+08:00","by":"x","do":"feed"#.utf8))
        try handle.close()
        let list = try ducha(["list"])
        #expect(list.status == 0 && list.stderr.contains("未写完的记录"))
        let check = try ducha(["check"])
        #expect(check.status == 0 && check.stdout.contains("注意：台账日志末尾有一条未写完的记录"))
        let repair = try ducha(["check", "--repair"])
        #expect(repair.stdout.contains("截去了日志末尾未写完的记录") && repair.stdout.contains("检查通过"))
        let clean = try ducha(["check"]).stdout
        #expect(clean.contains("检查通过") && !clean.contains("注意"))
    }

    @Test func badInputOfEveryKindIsRefusedAndNothingWritten() throws {
        try setUp()
        let before = try bytes("journal.jsonl")
        let cases: [([String], String?, String)] = [
            (["feedback", "12", "-"], "含\u{0}空字符", "空字符"),
            (["feedback", "12", "-"], "含\u{1B}[2J控制序列", "ESC"),
            (["feedback", "12", "-"], String(repeating: "长", count: 100_000), "最多 10000 个字"),
            (["add", "--title", "x", "--lead", "县财政局", "--deadline", "2026-02-30"], nil, "2026年2月只有28天"),
            (["add", "--title", "x", "--lead", "县财政局", "--assigned", "2026-11-20", "--deadline", "2026-11-19"], nil, "早于交办日期"),
            (["add", "--title", "   ", "--lead", "县财政局", "--deadline", "2026-12-01"], nil, "不能为空"),
            (["add", "--title", "x", "--lead", "县水利局", "--deadline", "2026-12-01"], nil, "县水利局"),
            (["list", "--state", "完成了"], nil, "状态应为"),
            (["show", "督〔2026〕第9999号"], nil, "没有编号为"),
            (["show", "第十二号"], nil, "不是有效的编号"),
            (["sign", "12"], nil, "已签收"),
            (["review", "12", "--approve"], nil, "只有“待审核”"),
            // Bidi controls, zero-width characters and the Unicode separators, in every kind of field.
            (["feedback", "12", "-"], "请于\u{202E}日前完成", "反馈内容有误：含有不可见的文字方向控制字符（U+202E），会使显示的文字与实际内容不一致，请删除后重新输入"),
            (["add", "--title", "标题\u{200B}", "--lead", "县财政局", "--deadline", "2026-12-01"], nil, "事项有误：含有不可见的零宽字符（U+200B）"),
            (
                ["add", "--title", "x", "--lead", "县财政局", "--deadline", "2026-12-01", "--instruction", "批示\u{2066}内容\u{2069}"],
                nil,
                "批示内容有误：含有不可见的文字方向控制字符（U+2066）"
            ),
            (
                ["add", "--title", "x", "--lead", "县财政局", "--deadline", "2026-12-01", "--leader", "李\u{200F}明"], nil,
                "批示领导有误：含有不可见的文字方向控制字符（U+200F）"
            ),
            (["unit", "add", "县\u{FEFF}水利局"], nil, "单位名称有误：含有不可见的零宽字符（U+FEFF）"),
            (["unit", "add", "县水利局", "--contact", "王\u{200D}五"], nil, "联系人有误：含有不可见的零宽字符（U+200D）"),
            (["comment", "12", "一行\u{2028}二行"], nil, "批注内容有误：含有特殊的分行字符（U+2028）"),
            (["withdraw", "12", "--reason", "重复\u{061C}立项"], nil, "撤销理由有误：含有不可见的文字方向控制字符（U+061C）"),
            (["edit", "12", "--title", "新\u{2060}标题"], nil, "事项有误：含有不可见的零宽字符（U+2060）"),
            (["config", "office", "青山县委\u{202D}督查室"], nil, "发文单位有误：含有不可见的文字方向控制字符（U+202D）"),
            (["config", "sources", "领导批示、群众\u{200C}反映"], nil, "来源有误：含有不可见的零宽字符（U+200C）"),
        ]
        for (args, stdin, message) in cases {
            let r = try ducha(args, stdin: stdin)
            #expect(r.status == 1, "\(args.prefix(2)) 应以 1 退出，实为 \(r.status)")
            #expect(r.stderr.hasPrefix("错误：") && r.stderr.contains(message), "\(args.prefix(2))：\(r.stderr)")
        }
        // Invalid UTF-8 on standard input, in an argument and in a file.
        #expect(OSAccounts.shell("printf 'a\\377b' | '\(Binary.path)' --repo '\(repo)' feedback 12 - 2>/dev/null") == 1)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "'\(Binary.path)' --repo '\(repo)' feedback 12 \"$(printf 'a\\377b')\""]
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("不是有效的 UTF-8"))
        let file = dir.sub("bad.csv")
        try Data([0x80, 0x81, 0x0A]).write(to: URL(fileURLWithPath: file))
        let imp = try ducha(["import", file])
        #expect(imp.status == 1 && imp.stderr.contains("编码无法识别"))
        // An import names each row whose cells hold such characters, and imports nothing.
        let csv = dir.sub("hostile.csv")
        try
            ("事项,来源,牵头单位,交办日期,办理时限,批示内容\r\n"
            + "路灯\u{202E}整改,领导批示,县财政局,2026-11-02,2026-11-20,\r\n"
            + "停车难治理,领导批示,县财政局,2026-11-02,2026-11-20,\r\n"
            + "背街小巷,领导批示,县财政局,2026-11-02,2026-11-20,内容\u{200B}\r\n")
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let hostile = try ducha(["import", csv])
        #expect(hostile.status == 1, "\(hostile.stderr)")
        #expect(hostile.stderr.contains("第2行：事项有误：含有不可见的文字方向控制字符（U+202E）"), "\(hostile.stderr)")
        #expect(hostile.stderr.contains("第4行：批示内容有误：含有不可见的零宽字符（U+200B）"), "\(hostile.stderr)")
        #expect(!hostile.stderr.contains("第3行"), "\(hostile.stderr)")
        #expect(!hostile.stderr.unicodeScalars.contains { Deceptive.kind($0.value) != nil }, "错误信息本身不含这些字符")
        #expect(try bytes("journal.jsonl") == before, "被拒绝的输入不写入任何内容")
    }

    @Test func hostileTextIsInertInEveryOutput() throws {
        try setUp()
        // Written by another tool straight into the journal: terminal escapes in a title, a
        // unit name, a feedback and the number's prefix.
        let seq = try Repository.open(at: repo).ledger.seq
        // Bidi controls, zero-width characters and separators too, escaped as JSON allows.
        let evil = #"\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e\u2066\u200b\u200d\ufeff\u2028\u061c"#
        // A number's prefix cannot hold brackets (they delimit the year): escapes without them.
        let evilPrefix = #"\u001bPpwned\u0007"#
        let lines = [
            #"{"seq":\#(seq + 1),"at":"2026-11-21T10:00:00+08:00","by":"x","do":"unit.add","name":"坏单位\#(evil)","kind":"department"}"#,
            #"{"seq":\#(seq + 2),"at":"2026-11-21T10:00:00+08:00","by":"x","do":"register","item":"督\#(evilPrefix)〔2026〕第0099号","title":"标题\#(evil)","source":"领导批示","lead":"坏单位\#(evil)","assigned":"2026-10-01","deadline":"2026-10-10","urgency":"normal","instruction":"内容\#(evil)"}"#,
            #"{"seq":\#(seq + 3),"at":"2026-11-21T10:00:00+08:00","by":"x","unit":"坏单位\#(evil)","do":"feedback","item":"督\#(evilPrefix)〔2026〕第0099号","text":"反馈\#(evil)"}"#,
        ]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: repo + "/journal.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        try handle.close()
        let out = dir.sub("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let commands: [[String]] = [
            ["list"], ["list", "--format", "json"], ["show", "2026-99"], ["show", "2026-99", "--format", "json"], ["log"],
            ["log", "2026-99"],
            ["export", "overdue"], ["export", "overdue", "--format", "csv"], ["export", "overdue", "--format", "json"],
            ["export", "overdue", "--due-soon"], ["export", "ledger"], ["export", "ledger", "--format", "json"], ["stats"],
            ["stats", "--format", "csv"], ["unit", "list"], ["--summary"], ["export", "reminders", "--output", out],
        ]
        for args in commands {
            let r = try ducha(args)
            #expect(r.status == 0, "\(args)：\(r.stderr)")
            for (name, text) in [("stdout", r.stdout), ("stderr", r.stderr)] {
                #expect(!text.utf8.contains(0x1B) && !text.utf8.contains(0x07), "\(args) 的 \(name) 含控制字符")
                #expect(!text.unicodeScalars.contains { $0.value == 0x9B }, "\(args) 的 \(name) 含 C1 控制字符")
                // A CSV export opens with a byte order mark, for Excel: the only one allowed.
                let csv = name == "stdout" && (args.contains("csv") || args == ["export", "ledger"])
                let body = csv && text.hasPrefix("\u{FEFF}") ? text.unicodeScalars.dropFirst() : text.unicodeScalars[...]
                #expect(!body.contains { Deceptive.kind($0.value) != nil }, "\(args) 的 \(name) 含文字方向控制或零宽字符")
            }
        }
        #expect(try ducha(["show", "2026-99"]).stdout.contains("标题\u{FFFD}]0;pwned"))
        // Each of the seven bidi and zero-width characters is shown as U+FFFD; JSON escapes them.
        #expect(try ducha(["show", "2026-99"]).stdout.contains("31m" + String(repeating: "\u{FFFD}", count: 7)))
        #expect(
            try ducha(["show", "2026-99", "--format", "json"]).stdout.contains(#"31m\u202e\u2066\u200b\u200d\ufeff\u2028\u061c"#))
        for f in try FileManager.default.contentsOfDirectory(atPath: out) {
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + f))
            #expect(!data.contains(0x1B) && !data.contains(0x07), "\(f) 含控制字符")
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.unicodeScalars.contains { Deceptive.kind($0.value) != nil }, "\(f) 含文字方向控制或零宽字符")
        }
    }
}
