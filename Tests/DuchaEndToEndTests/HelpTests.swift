import DuchaTestSupport
import Foundation
import Testing

/// Every help and usage error in Chinese, the manual page and shell completion. The commands
/// are those the binary itself lists (`ducha __complete commands`, walked from its command
/// definitions), so a command added later is covered without being named here.
@Suite struct HelpTests {
    let dir = TemporaryDirectory("ducha-help")
    var repo: String { dir.sub("repo") }

    /// "ducha", "ducha unit", "ducha unit add", …
    func commands() throws -> [[String]] {
        let r = try Binary.run(["__complete", "commands"])
        #expect(r.status == 0, "\(r.stderr)")
        let paths = r.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(paths.count > 30, "命令树应列出全部命令：\(r.stdout)")
        return paths
    }

    /// Latin words a help may contain: option names, command names, placeholders written in
    /// Latin, names of formats and programs, environment variables.
    func allowedLatin(_ commands: [[String]]) -> Set<String> {
        var words: Set<String> = [
            "YYYY-MM-DD", "text", "csv", "json", "CSV", "JSON", "Excel", "Word", "UTF-8", "BOM", "SHA-256",
            "DUCHA_REPO", "DUCHA_TODAY", "XDG_DATA_HOME", "XDG_DATA_HOME/ducha", "data/calendar/2026.json", "GB18030",
            // Values typed as they are: +N working days, roles, settings' keys, an account and a folder.
            "N", "supervisor", "leader", "unit", "source", "basis", "table", "sudo", "root", "/var/lib/ducha", "prefix", "office",
            "notice-title", "due-soon", "sign-within", "reply-within", "sources", "notice-width", "penalty-lead",
            "penalty-co", "limit", "hook", "repair/",
            // The scoring rules' keys (ducha config score.base 100).
            "score", "score.base", "score.ontime", "score.early", "score.early-cap", "score.commend", "score.late",
            "score.late-co", "score.return", "score.decline", "score.remind", "score.remind-free", "score.feedback-late",
            // Office file formats and the national standard for official documents.
            "xlsx", ".xlsx", "docx", ".docx", ".csv", ".json", ".xls", "Office", "GB/T", "notice-to", "notice-cc",
            // The database a ledger may be kept in (ducha migrate, --owner).
            "PostgreSQL",
        ]
        for path in commands { words.formUnion(path) }
        return words
    }

    /// The text with every allowed Latin token removed has no ASCII letter left.
    func expectChinese(_ text: String, allowed: Set<String>, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        // Option names (--repo, -h, --due-soon), placeholders of our own (<编号>), $VARIABLES.
        let token = try! NSRegularExpression(pattern: "\\$?[A-Za-z0-9_./-]*[A-Za-z][A-Za-z0-9_./-]*")
        let ns = text as NSString
        var stray: [String] = []
        for m in token.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            var word = ns.substring(with: m.range)
            if word.hasPrefix("$") { word.removeFirst() }
            while word.hasSuffix(".") { word.removeLast() }
            if word.hasPrefix("-"), word.range(of: "^--?[a-z][a-z0-9-]*(=.*)?$", options: .regularExpression) != nil { continue }
            if allowed.contains(word) { continue }
            stray.append(word)
        }
        #expect(stray.isEmpty, "\(what) 含有英文：\(stray)\n\(text)", sourceLocation: sourceLocation)
    }

    @Test func everyHelpIsChinese() throws {
        let commands = try commands()
        let allowed = allowedLatin(commands)
        for path in commands {
            let args = Array(path.dropFirst())
            let r = try Binary.run(args + ["--help"])
            let what = "ducha \((args + ["--help"]).joined(separator: " "))"
            #expect(r.status == 0, "\(what) → \(r.status)：\(r.stderr)")
            #expect(r.stdout.hasPrefix("说明："), "\(what) 应以 说明： 开头：\n\(r.stdout)")
            #expect(r.stdout.contains("用法：ducha"), "\(what) 应有用法：\n\(r.stdout)")
            #expect(r.stdout.hasSuffix("\n"))
            expectChinese(r.stdout, allowed: allowed, what)
            // `ducha help …` says the same.
            let viaHelp = try Binary.run(["help"] + args)
            #expect(viaHelp.status == 0)
            expectChinese(viaHelp.stdout, allowed: allowed, "ducha help \(args.joined(separator: " "))")
        }
    }

    @Test func helpOfOneCommandWordForWord() throws {
        let r = try Binary.run(["sign", "--help"])
        Golden.check(
            r.stdout,
            """
            说明：签收事项（牵头单位）。

            用法：ducha sign [--repo <目录>] [--today <YYYY-MM-DD>] <编号> [--for <单位>] [--on <日期>]

            参数：
              <编号>                  事项编号

            选项：
              --repo <目录>           台账目录或数据库连接串（默认为 $DUCHA_REPO；多用户服务器上为系统台账；否则
                                      $XDG_DATA_HOME/ducha）
              --today <YYYY-MM-DD>    以此日期为今天（默认为北京时间的今天；也可用 $DUCHA_TODAY）
              --for <单位>            督查室代某单位录入（代录）
              --on <日期>             督查室补录：单位实际报送的日期（记录同时写明报送日期和补录时间）
              --version               显示版本。
              -h, --help              显示帮助。

            """, "sign-help")
    }

    /// Each kind of usage error, on every command where it can occur: exit status 2, a Chinese
    /// message and the usage, nothing run.
    @Test func everyUsageErrorIsChinese() throws {
        let commands = try commands()
        let allowed = allowedLatin(commands)
        var cases: [[String]] = []
        for path in commands {
            let args = Array(path.dropFirst())
            cases.append(args + ["--no-such-option"])  // unknown option
            cases.append(args + ["--repo"])  // an option without its value
        }
        cases += [
            ["签收"], ["unit", "删除"], ["export", "通报"], ["calendar", "增加"],  // unknown subcommand
            ["add"], ["sign"], ["unit", "add"], ["feedback", "1"], ["import"],  // missing argument
            ["add", "--title", "路灯整改"],  // missing option
            ["sign", "1", "2"],  // one argument too many
            ["show", "1", "2", "3"], ["sign", "1", "甲", "乙"],  // several too many
            ["calendar", "show", "明年"], ["export", "overdue", "--width", "宽"],  // bad value
        ]
        for args in cases {
            let r = try Binary.run(["--repo", repo] + args)
            let what = "ducha \(args.joined(separator: " "))"
            #expect(r.status == 1, "\(what) → \(r.status)：\(r.stderr)")
            #expect(r.stderr.hasPrefix("错误："), "\(what)：\(r.stderr)")
            #expect(r.stdout.isEmpty)
            expectChinese(r.stderr, allowed: allowed, what)
        }
        #expect(!FileManager.default.fileExists(atPath: repo), "用法错误不应建立任何文件")
    }

    @Test func theManualPageRendersWithoutWarnings() throws {
        let commands = try commands()
        let r = try Binary.run(["__man"])
        #expect(r.status == 0, "\(r.stderr)")
        let page = dir.sub("ducha.1")
        try r.stdout.write(toFile: page, atomically: true, encoding: .utf8)
        for path in commands.dropFirst() {
            #expect(r.stdout.contains(".SS \"\(path.joined(separator: " "))\""), "手册应有 \(path.joined(separator: " "))")
        }
        #expect(r.stdout.contains(".SH 名称") && r.stdout.contains(".SH 全局选项") && r.stdout.contains(".SH 退出状态"))
        // groff with every warning on: nothing to say.
        let out = dir.sub("rendered.txt")
        let err = dir.sub("groff.err")
        let status = OSAccounts.shell(
            "groff -man -Tutf8 -K utf8 -ww -z '\(page)' 2>'\(err)' && groff -man -Tutf8 -K utf8 '\(page)' >'\(out)' 2>>'\(err)'")
        #expect(status == 0)
        #expect(try String(contentsOfFile: err, encoding: .utf8) == "")
        let text = try String(contentsOfFile: out, encoding: .utf8).replacingOccurrences(
            of: "\u{1B}\\[[0-9;]*m|.\u{08}", with: "", options: .regularExpression)
        expectChinese(
            text,
            allowed: allowedLatin(commands).union(["DUCHA", "DUCHA_DATA", "EDITOR", "NO_COLOR", "ducha.1", "/.local/share/ducha"]
            ), "手册")
        #expect(text.contains("ducha export overdue"))
        #expect(text.contains("事项编号"))
    }

    /// The bash script, run by bash as a shell runs it on Tab, with ducha from the build.
    func complete(_ words: [String], environment: String = "") throws -> [String] {
        let script = Fixtures.packageRoot + "/completion/ducha.bash"
        let bin = URL(fileURLWithPath: Binary.path).deletingLastPathComponent().path
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let out = dir.sub("completion.txt")
        let file = dir.sub("complete.sh")
        let command =
            "export PATH='\(bin)':/usr/bin:/bin \(environment)\nsource '\(script)'\nCOMP_WORDS=(\(quoted))\nCOMP_CWORD=\(words.count - 1)\n"
            + "_ducha\nprintf '%s\\n' \"${COMPREPLY[@]}\" > '\(out)'\n"
        try command.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(OSAccounts.shell("bash '\(file)'") == 0)
        return try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func bashCompletesCommandsOptionsAndTheRepositorysNames() throws {
        let ok = { (args: [String]) in
            let r = try Binary.run(["--repo", self.repo, "--today", "2026-11-02"] + args)
            #expect(r.status == 0, "\(args)：\(r.stderr)")
        }
        try ok(["init", "--test-clock", "--office", "青山县委督查室"])
        try ok(["unit", "add", "县财政局"])
        try ok(["unit", "add", "县发改局"])
        try ok(["unit", "add", "城关镇"])
        try ok(["add", "--title", "路灯整改", "--lead", "城关镇", "--deadline", "2026-11-20"])
        try ok(["add", "--title", "背街小巷", "--lead", "县财政局", "--deadline", "2026-11-20"])
        let repoEnv = "DUCHA_REPO='\(repo)'"
        #expect(try complete(["ducha", "si"]) == ["sign"])
        #expect(try complete(["ducha", "unit", ""]).contains("add"))
        #expect(try complete(["ducha", "export", "o"]) == ["overdue"])
        #expect(try complete(["ducha", "add", "--le"]) == ["--lead", "--leader"])
        #expect(try complete(["ducha", "add", "--lead", "县"], environment: repoEnv) == ["县财政局", "县发改局"])
        #expect(try complete(["ducha", "--repo", repo, "list", "--unit", ""]) == ["县财政局", "县发改局", "城关镇"])
        #expect(try complete(["ducha", "sign", ""], environment: repoEnv) == ["1", "2"])
        #expect(try complete(["ducha", "list", "--state", "待"], environment: repoEnv) == ["待签收", "待审核"])
        #expect(try complete(["ducha", "list", "--source", ""], environment: repoEnv).contains("领导批示"))
        try "x".write(toFile: dir.sub("通报.txt"), atomically: true, encoding: .utf8)
        #expect(try complete(["ducha", "export", "overdue", "--output", dir.sub("通")]) == [dir.sub("通报.txt")])
        // Hidden commands are not offered.
        #expect(try complete(["ducha", "_"]).isEmpty)
    }

    /// The zsh function run by zsh, with compadd and _files standing in for the completion system.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zsh"), "需要 zsh"))
    func zshCompletesTheSame() throws {
        let ok = { (args: [String]) in
            let r = try Binary.run(["--repo", self.repo, "--today", "2026-11-02"] + args)
            #expect(r.status == 0, "\(args)：\(r.stderr)")
        }
        try ok(["init", "--test-clock"])
        try ok(["unit", "add", "县财政局"])
        try ok(["unit", "add", "城关镇"])
        let bin = URL(fileURLWithPath: Binary.path).deletingLastPathComponent().path
        let script = dir.sub("z.zsh")
        try """
        compadd() { shift 2; print -l -- "$@"; }
        _files() { print -- "文件$*"; }
        path=('\(bin)' $path)
        source '\(Fixtures.packageRoot)/completion/_ducha'
        words=(ducha si); CURRENT=2; _ducha
        words=(ducha --repo '\(repo)' list --unit 县); CURRENT=6; _ducha
        words=(ducha export overdue --output ''); CURRENT=5; _ducha
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let out = dir.sub("z.out")
        #expect(OSAccounts.shell("zsh '\(script)' > '\(out)' 2>&1") == 0)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == ["sign", "县财政局", "文件"], "\(lines)")
    }
}
