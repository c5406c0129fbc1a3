import DuchaCore
import DuchaTestSupport
import Foundation
import Testing

/// Issue 12 from the command line: units edited, renamed and retired (point 6); imports that
/// question typos and refuse rows already in the ledger; the whole ledger exported and imported
/// without loss (point 8). The ledgers are folders, or databases (DUCHA_TEST_BACKEND=postgresql).
@Suite struct RecordRightCLITests {
    let dir = TemporaryDirectory("ducha-record")
    let repo: String

    init() { repo = TestBackend.repository(dir) }

    @discardableResult
    func ducha(
        _ args: [String], repo: String? = nil, today: String = "2026-11-02", stdin: String? = nil
    ) throws
        -> Binary.Result
    {
        try Binary.run(["--repo", repo ?? self.repo, "--today", today] + args, stdin: stdin)
    }

    @discardableResult
    func ok(_ args: String..., repo: String? = nil, today: String = "2026-11-02") throws -> String {
        let r = try ducha(args, repo: repo, today: today)
        #expect(r.status == 0, "\(args) → \(r.status)：\(r.stderr)")
        return r.stdout
    }

    func setUp(_ path: String? = nil) throws {
        let r = try ducha(["init", "--test-clock", "--office", "青山县委督查室"] + TestBackend.createOptions, repo: path)
        #expect(r.status == 0, "init → \(r.status)：\(r.stderr)")
        try ok("unit", "add", "县财政局", "--owner", "谢志强", "--contact", "罗丹", "--phone", "0731-5521102", repo: path)
        try ok("unit", "add", "城关镇", "--kind", "乡镇", repo: path)
        try ok("unit", "add", "县发改局", repo: path)
    }

    @Test func unitsAreEditedRenamedAndRetiredOnRecord() throws {
        try setUp()
        try ok("add", "--title", "道路整修", "--lead", "城关镇", "--co", "县财政局", "--deadline", "2026-11-20")
        try ok("feedback", "1", "已开工", "--for", "城关镇")
        let edited = try ok("unit", "edit", "城关镇", "--rename", "城关街道", "--kind", "街道", "--contact", "赵敏")
        #expect(edited.contains("名称 城关镇→城关街道，类型 乡镇→街道，联系人 （空）→赵敏"), "\(edited)")
        let units = try ok("unit", "list")
        #expect(units.contains("城关街道（原名 城关镇）") && units.contains("赵敏"), "\(units)")
        #expect(try ok("list").contains("城关街道"))
        let show = try ok("show", "1")
        #expect(show.contains("牵头单位：城关街道"), "\(show)")
        #expect(show.contains("立项交办：牵头 城关镇"), "办理记录照记录时的名称：\(show)")
        let stats = try ok("stats", "--format", "csv")
        #expect(stats.contains("城关街道") && !stats.contains("城关镇"), "更名的单位在统计中只算一个：\(stats)")
        let log = try ok("log")
        #expect(log.contains("修改单位“城关镇”：名称 城关镇→城关街道"))
        // The old name is neither assigned nor reused; nothing is written when refused.
        for args in [
            ["add", "--title", "新事项", "--lead", "城关镇"], ["unit", "add", "城关镇"],
            ["unit", "edit", "县发改局", "--rename", "县财政局"], ["unit", "edit", "县发改局"],
        ] {
            let r = try ducha(args)
            #expect(r.status == 1 && !r.stderr.isEmpty, "\(args) 应被拒绝：\(r.stderr)")
        }
        #expect(try ok("log") == log, "被拒绝的操作不写入任何记录")
        // Retired: kept with its items, given nothing new.
        #expect(try ok("unit", "retire", "县财政局").contains("已停用单位：县财政局"))
        #expect(try ok("unit", "list").contains("县财政局（已停用）"))
        let refused = try ducha(["add", "--title", "新事项", "--lead", "县财政局"])
        #expect(refused.status == 1 && refused.stderr.contains("已停用"), "\(refused.stderr)")
        #expect(try ok("show", "1").contains("配合单位：县财政局"))
        #expect(try ok("log").contains("停用单位：县财政局"))
        #expect(try ok("check").contains("检查通过"))
    }

    @Test func anImportQuestionsATypoAndRefusesRowsAlreadyThere() throws {
        try setUp()
        let csv = dir.sub("台账.csv")
        try "事项,来源,牵头单位,交办日期,办理时限\r\n道路整修,领导批示,城关真,2026-11-02,2026-11-30\r\n学校维修,领导批示,县财政局,2026-11-02,2026-11-30\r\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let units = try ok("unit", "list")
        let typo = try ducha(["import", "--create-units", csv])
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("第2行：没有名为“城关真”的单位，是否指 城关镇？"), "\(typo.stderr)")
        #expect(try ok("unit", "list") == units, "笔误没有登记为新单位")
        // Corrected, it imports once; the same file again is refused row by row.
        try String(contentsOfFile: csv, encoding: .utf8).replacingOccurrences(of: "城关真", with: "城关镇")
            .write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try ok("import", csv).contains("已导入 2 件事项"))
        let again = try ducha(["import", csv])
        #expect(again.status == 1)
        #expect(again.stderr.contains("第2行：督〔2026〕第0001号 与本行的事项、牵头单位、交办日期相同"), "\(again.stderr)")
        #expect(again.stderr.contains("第3行：督〔2026〕第0002号"), "\(again.stderr)")
        #expect(try ok("list").contains("共2件"))
        #expect(try ok("import", "--allow-duplicates", csv).contains("已导入 2 件事项"))
    }

    /// A ledger with what the CSV loses: contacts, a pending extension, a 退办, returns, an
    /// approved extension, a rename, a notice issued.
    func busyLedger(_ path: String) throws {
        try setUp(path)
        try ok("add", "--title", "政府债务风险化解方案", "--lead", "县财政局", "--deadline", "2026-11-10", repo: path)
        try ok("add", "--title", "城区路灯整改", "--lead", "城关镇", "--co", "县财政局", "--deadline", "2026-11-18", repo: path)
        try ok("add", "--title", "工业园区用电报装", "--lead", "县发改局", "--deadline", "2026-12-31", "--cycle", "每周五", repo: path)
        try ok("sign", "1", repo: path, today: "2026-11-03")
        try ok("extend", "1", "--to", "2026-11-30", "--reason", "需等待审计", repo: path, today: "2026-11-04")
        try ok("decline", "3", "--reason", "不属本单位职责", repo: path, today: "2026-11-03")
        try ok("sign", "2", repo: path, today: "2026-11-03")
        try ok("extend", "2", "--to", "2026-11-25", "--reason", "灯具未到", repo: path, today: "2026-11-05")
        try ok("extension", "2", "--approve", repo: path, today: "2026-11-06")
        let r = try ducha(["complete", "2", "-"], repo: path, today: "2026-11-10", stdin: "已修复。")
        #expect(r.status == 0, "\(r.stderr)")
        try ok("review", "2", "--return", "未附照片", repo: path, today: "2026-11-11")
        try ok("unit", "edit", "县发改局", "--rename", "县发展改革局", "--phone", "0731-1", repo: path, today: "2026-11-12")
        try ok("export", "overdue", "--issue", repo: path, today: "2026-11-20")
    }

    /// On PostgreSQL the source is a database and the copy a folder (a whole ledger is imported
    /// into a folder only): what the database exports is the whole ledger all the same.
    @Test func theWholeLedgerExportedAndImportedIsTheSameLedger() throws {
        let source = TestBackend.repository(dir, "source")
        try busyLedger(source)
        let file = dir.sub("台账.json")
        try ok("export", "ledger", "--format", "json", "--output", file, repo: source, today: "2026-11-20")
        // Into a repository that already holds something: refused, nothing written.
        let busy = TestBackend.repository(dir, "busy")
        try setUp(busy)
        let written = try TestBackend.written(busy)
        let refused = try ducha(["import", file], repo: busy, today: "2026-11-20")
        let why = TestBackend.postgres ? "导入整个台账暂不支持 PostgreSQL 数据库中的台账" : "只能导入到刚用 ducha init 新建的空台账"
        #expect(refused.status == 1 && refused.stderr.contains(why), "\(refused.stderr)")
        #expect(try TestBackend.written(busy) == written)
        let target = TestBackend.postgres ? dir.sub("copy") : repo
        _ = try ok("init", "--test-clock", repo: target)
        #expect(try ok("import", "--dry-run", file, repo: target, today: "2026-11-20").contains("检查通过"))
        let imported = try ok("import", file, repo: target, today: "2026-11-20")
        #expect(imported.contains("已导入整个台账（3个单位，0个用户，3件事项"), "\(imported)")
        for args in [
            ["list"], ["list", "--format", "json"], ["stats"], ["stats", "--by", "source"], ["unit", "list"], ["show", "1"],
            ["show", "2"], ["show", "3"], ["export", "ledger"],
        ] {
            let a = try ducha(args, repo: source, today: "2026-11-24")
            let b = try ducha(args, repo: target, today: "2026-11-24")
            #expect(a.status == 0, "\(args)：\(a.stderr)")
            #expect(a.stdout == b.stdout, "\(args) 应完全相同：\n\(a.stdout)\n———\n\(b.stdout)")
        }
        // The log: the same records, then the one that marks the import.
        let logA = try ok("log", repo: source, today: "2026-11-24")
        let logB = try ok("log", repo: target, today: "2026-11-24")
        #expect(logB.hasPrefix(logA), "\(logB)")
        let extra = logB.dropFirst(logA.count).split(separator: "\n")
        #expect(extra.count == 1 && extra[0].contains("导入整个台账：原台账的"), "\(extra)")
        // The notices: the same, but for the ledger code, which covers the import record too.
        for args in [["export", "overdue"], ["export", "reminders", "--unit", "县财政局"]] {
            let noticeA = try ducha(args, repo: source, today: "2026-11-24").stdout.split(separator: "\n")
            let noticeB = try ducha(args, repo: target, today: "2026-11-24").stdout.split(separator: "\n")
            #expect(noticeA.count == noticeB.count && noticeA.count > 10)
            let differing = zip(noticeA, noticeB).filter { $0 != $1 }
            #expect(differing.count == 2, "\(args)：\(differing)")
            #expect(differing.allSatisfy { $0.0.contains("台账校验码") || $0.0.hasPrefix("SHA-256") }, "\(differing)")
        }
        // What the CSV loses is kept: the pending extension, the 退办, the contacts, the rename.
        #expect(try ok("show", "1", repo: target, today: "2026-11-24").contains("申请延期至 2026-11-30"))
        #expect(try ok("unit", "list", repo: target, today: "2026-11-24").contains("罗丹"))
        let add = try ducha(["add", "--title", "x", "--lead", "县发改局"], repo: target, today: "2026-11-24")
        #expect(add.stderr.contains("已更名为“县发展改革局”"), "\(add.stderr)")
        #expect(try ok("check", repo: target, today: "2026-11-24").contains("检查通过"))
        // Re-exported, the records are the same bytes, plus the import's.
        let again = dir.sub("再导出.json")
        try ok("export", "ledger", "--format", "json", "--output", again, repo: target, today: "2026-11-24")
        let first = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        let second = try String(contentsOfFile: again, encoding: .utf8).split(separator: "\n")
        func records(_ lines: [Substring]) -> [String] {
            lines.filter { $0.hasPrefix("{\"seq\"") }.map { $0.hasSuffix(",") ? String($0.dropLast()) : String($0) }
        }
        #expect(records(second).dropLast() == records(first)[...])
        #expect(records(second).last?.contains("\"do\":\"ledger.import\"") == true)
    }

    @Test func theCSVSaysWhatItDoesNotCarry() throws {
        let help = try Binary.run(["export", "ledger", "--help"]).stdout
        #expect(help.contains("不含办理记录"), "\(help)")
        #expect(help.contains("整个台账"))
    }
}

/// A unit's own numbers from the command line, and who may export or import the whole ledger,
/// with real accounts.
@Suite(.serialized) struct UnitNumbersCLITests {
    static let group = "duchat"

    @Test(.enabled(if: OSAccounts.canCreate, "需要 root 才能用 useradd 创建测试账号"))
    func aUnitsSummaryAndStatisticsSeparateLeadFromCo() throws {
        for login in ["duchat_clerk", "duchat_fg"] { try OSAccounts.ensure(login, group: UnitNumbersCLITests.group) }
        let dir = TemporaryDirectory("ducha-unitnum")
        let shared = TestBackend.Shared(dir)
        let binary = OSAccounts.install(into: dir.sub("prefix"))
        OSAccounts.share(dir.path, group: UnitNumbersCLITests.group)
        func run(_ user: String, _ args: [String]) throws -> Binary.Result {
            try Binary.run(["--repo", shared.repo(for: user), "--today", "2026-11-02"] + args, runAs: user, binary: binary)
        }
        func run(_ user: String, _ args: String...) throws -> Binary.Result { try run(user, args) }
        #expect(try run("duchat_clerk", ["init", "--test-clock"] + TestBackend.createOptions).status == 0)
        for u in ["县财政局", "县发改局"] { #expect(try run("duchat_clerk", "unit", "add", u).status == 0) }
        #expect(try run("duchat_clerk", "user", "add", "duchat_fg", "--role", "unit", "--unit", "县发改局").status == 0)
        #expect(try run("duchat_clerk", "add", "--title", "发改事项", "--lead", "县发改局", "--deadline", "2026-11-30").status == 0)
        for t in ["财政事项一", "财政事项二"] {
            #expect(
                try run("duchat_clerk", "add", "--title", t, "--lead", "县财政局", "--co", "县发改局", "--deadline", "2026-11-30").status
                    == 0)
        }
        let summary = try run("duchat_fg", "--summary")
        #expect(summary.stdout.contains("县发改局牵头的事项1件：在办1件（逾期0件，临期0件，待签收1件，待审核0件）"), "\(summary.stdout)")
        #expect(summary.stdout.contains("县发改局配合的事项2件：在办2件"), "\(summary.stdout)")
        let stats = try run("duchat_fg", "stats", "--format", "csv").stdout
        #expect(stats.contains(",县发改局（牵头）,1,") && stats.contains(",县发改局（配合）,2,"), "\(stats)")
        // A unit's JSON export is the table of its own items, not the whole ledger.
        let own = try run("duchat_fg", "export", "ledger", "--format", "json").stdout
        #expect(own.hasPrefix("[{\"编号\"") && !own.contains("ducha-ledger"), "\(own)")
        #expect(try run("duchat_clerk", "export", "ledger", "--format", "json").stdout.hasPrefix("{\"format\":\"ducha-ledger\""))
    }
}
