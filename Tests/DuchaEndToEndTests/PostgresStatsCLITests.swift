import DuchaTestSupport
import Foundation
import Testing

/// Statistics and summaries on a database read the items' states a batch at a time
/// (`StateBatches`) and print exactly what the folder the ledger was migrated from prints.
extension PostgresCLITests {
    /// A demo ledger with a 分别办理 item of three units under a basis (one part signed), an item
    /// broken down into two children, and a reassigned overdue item; migrated to a database.
    func statsLedger(_ name: String) throws -> (folder: String, database: String) {
        let folder = dir.sub(name)
        try ok(folder, "demo")
        try ok(folder, "unit", "add", "县统计局")
        try ok(folder, "unit", "add", "县信访局")
        let split = try ok(
            folder, "add", "--title", "城关片区背街小巷整治", "--lead", "城关镇", "--lead", "县统计局", "--lead", "县信访局", "--deadline",
            "2026-12-04", "--basis", "县政府第12次常务会议", "--basis-number", "〔2026〕12号", "--assigned", "2026-10-20"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try ok(folder, "sign", split, "--for", "县统计局")
        let parent = try ok(
            folder, "add", "--title", "老旧小区改造", "--lead", "县住建局", "--co", "城关镇", "--deadline", "2026-12-31", "--basis",
            "县政府第12次常务会议", "--basis-number", "〔2026〕12号"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try ok(folder, "add", "--parent", parent, "--title", "完成摸底", "--lead", "县统计局", "--deadline", "2026-12-02")
        let late = try ok(
            folder, "add", "--title", "城区停车难治理", "--lead", "县财政局", "--co", "城关镇", "--assigned", "2026-10-08", "--deadline",
            "2026-11-10"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try ok(folder, "reassign", late, "--lead", "城关镇", "--reason", "职责调整")
        let database = try TestBackend.database(dir, name)
        try ok(folder, "migrate", "--to", database, "--owner", "postgres")
        return (folder, database)
    }

    static let statsCommands: [[String]] = {
        var out: [[String]] = []
        for by in ["unit", "source", "basis"] {
            for period in [
                [], ["--from", "2026-10-01"], ["--to", "2026-10-31"], ["--from", "2026-09-01", "--to", "2026-11-15"],
            ] {
                for format in ["text", "csv", "json"] { out.append(["stats", "--by", by, "--format", format] + period) }
            }
        }
        return out + [["summary"], ["--summary"], ["summary", "--me"]]
    }()

    /// Both outputs the same (and not empty, unless `summary --me` has nothing to say).
    func sameOnBoth(_ a: Binary.Result, _ b: Binary.Result, _ what: String) {
        #expect(a.status == 0 && b.status == 0, "\(what)：\(a.stderr) \(b.stderr)")
        #expect(!a.stdout.isEmpty && a.stdout == b.stdout, "\(what) 在数据库中与台账目录中应完全相同\n\(a.stdout)\n\(b.stdout)")
        #expect(a.stderr == b.stderr, "\(what)")
    }

    @Test func statisticsAndSummariesReadTheSameFromTheDatabase() throws {
        let (folder, database) = try statsLedger("stats")
        var compared = 0
        var round = 0
        func compare(_ days: [String]) throws {
            round += 1
            for today in days {
                for args in Self.statsCommands {
                    sameOnBoth(
                        try ducha(folder, args, today: today), try ducha(database, args, today: today), "\(args)（\(today)）")
                    compared += 1
                }
                // The Excel workbook, byte for byte.
                for by in ["unit", "basis"] {
                    let (a, b) = (dir.sub("\(by)-\(today)-\(round)-a.xlsx"), dir.sub("\(by)-\(today)-\(round)-b.xlsx"))
                    try ok(folder, "stats", "--by", by, "--format", "xlsx", "--output", a, today: today)
                    try ok(database, "stats", "--by", by, "--format", "xlsx", "--output", b, today: today)
                    let (x, y) = (FileManager.default.contents(atPath: a), FileManager.default.contents(atPath: b))
                    #expect(x != nil && x == y, "stats --by \(by) --format xlsx（\(today)）")
                }
            }
        }
        try compare(["2026-11-30", "2026-12-03", "2027-01-15"])
        // Every scoring rule configured, on both: the breakdown and the scores.
        for (key, value) in [
            ("score.base", "100"), ("score.按时办结", "2"), ("score.early", "0.5"), ("score.early-cap", "3"),
            ("score.commend", "3"), ("score.return", "1"), ("score.退办", "4"), ("score.remind", "0.5"),
            ("score.remind-free", "2"), ("score.feedback-late", "1"),
        ] {
            try ok(folder, "config", key, value)
            try ok(database, "config", key, value)
        }
        #expect(try ok(database, "stats").contains("得分"))
        try compare(["2026-11-30"])
        #expect(compared == Self.statsCommands.count * 4)
        let stats = try ok(database, "stats")
        #expect(stats.contains("城关镇") && stats.contains("县财政局"), "\(stats)")
        // Refusals read the same too.
        for args in [["stats", "--by", "部门"], ["stats", "--from", "2026-12-01", "--to", "2026-11-01"]] {
            let (a, b) = (try ducha(folder, args), try ducha(database, args))
            #expect(a.status == 1 && a.stderr == b.stderr && b.status == 1, "\(args)")
        }
    }

    /// 催办通知 and 落实情况通报 on a database keep only the items they list of each batch of
    /// states, and print exactly what the folder prints.
    @Test func remindersAndProgressNoticesReadTheSameFromTheDatabase() throws {
        let (folder, database) = try statsLedger("notices")
        var compared = 0
        for today in ["2026-11-30", "2027-01-15"] {
            for args in [
                ["export", "reminders", "--unit", "城关镇"], ["export", "reminders", "--unit", "青石镇"],
                ["export", "reminders", "--unit", "县统计局"], ["export", "progress", "--basis", "第12次"],
                ["export", "progress", "--basis", "〔2026〕12号", "--format", "csv"],
                ["export", "progress", "--basis", "县政府第12次常务会议", "--format", "json"],
            ] {
                sameOnBoth(try ducha(folder, args, today: today), try ducha(database, args, today: today), "\(args)（\(today)）")
                compared += 1
            }
            // Every unit's reminder, a file each.
            let (a, b) = (dir.sub("reminders-\(today)-a"), dir.sub("reminders-\(today)-b"))
            try ok(folder, "export", "reminders", "--output", a, today: today)
            try ok(database, "export", "reminders", "--output", b, today: today)
            let files = try FileManager.default.contentsOfDirectory(atPath: a).sorted()
            let other = try FileManager.default.contentsOfDirectory(atPath: b).sorted()
            #expect(files.count > 3 && files == other)
            for f in files {
                #expect(
                    FileManager.default.contents(atPath: a + "/" + f) == FileManager.default.contents(atPath: b + "/" + f), "\(f)"
                )
            }
        }
        #expect(compared == 12)
        // A 分别办理 item's part is listed by the item's number and its unit, as on the folder.
        #expect(try ok(database, "export", "progress", "--basis", "第12次").contains("（县统计局）"))
        // Refusals: a basis named by none, or by several.
        for args in [["export", "progress", "--basis", "无此依据"], ["export", "reminders", "--unit", "无此单位"]] {
            let (x, y) = (try ducha(folder, args), try ducha(database, args))
            #expect(x.status == 1 && y.status == 1 && x.stderr == y.stderr, "\(args)：\(x.stderr) \(y.stderr)")
        }
    }

    /// Recording the reminders (`--record`, on just the items chased) and issuing a 落实情况通报
    /// (`--issue`) on a database write what they write on the folder, and print the same.
    @Test func remindersRecordedAndProgressIssuedOnTheDatabaseAsOnTheFolder() throws {
        let (folder, database) = try statsLedger("recorded")
        // The clock's time of day differs between the two runs, and with it the 台账校验码's hash
        // (its record number must still agree).
        func timeless(_ text: String) -> String {
            text.replacingOccurrences(of: #"\d{2}:\d{2}(:\d{2})?"#, with: "hh:mm", options: .regularExpression)
                .replacingOccurrences(of: #"SHA-256 [0-9a-f]{64}"#, with: "SHA-256", options: .regularExpression)
        }
        for args in [
            ["export", "reminders", "--unit", "城关镇", "--record"], ["export", "progress", "--basis", "第12次", "--issue"],
            ["export", "reminders", "--unit", "县统计局", "--record"],
        ] {
            let (a, b) = (try ducha(folder, args), try ducha(database, args))
            #expect(a.status == 0 && b.status == 0, "\(args)：\(a.stderr) \(b.stderr)")
            #expect(!a.stdout.isEmpty && timeless(a.stdout) == timeless(b.stdout), "\(args)\n\(a.stdout)\n\(b.stdout)")
            #expect(a.stderr == b.stderr, "\(args)")
        }
        for args in [["log"], ["log", "--format", "json"], ["list", "--format", "json"]] {
            let (a, b) = (try ducha(folder, args), try ducha(database, args))
            #expect(a.status == 0 && b.status == 0, "\(args)：\(a.stderr) \(b.stderr)")
            #expect(!a.stdout.isEmpty && timeless(a.stdout) == timeless(b.stdout), "\(args)")
        }
        #expect(try ok(database, "log").contains("落实情况通报第1期"))
        #expect(try ok(database, "check").contains("检查通过"))
    }

    /// A unit's user sees its own statistics and overview on the database (row-level security as
    /// the unit), exactly as on the folder.
    @Test(.enabled(if: OSAccounts.canCreate, "需要 root 才能用 useradd 创建测试账号"))
    func aUnitsStatisticsAndSummaryReadTheSameFromTheDatabase() throws {
        let login = "duchat_st_unit"
        try OSAccounts.ensure(login, group: "duchat")
        let folder = dir.sub("unitstats")
        try ok(folder, "demo")
        try ok(folder, "user", "add", login, "--role", "unit", "--unit", "城关镇")
        try ok(
            folder, "add", "--title", "城区停车难治理", "--lead", "县财政局", "--co", "城关镇", "--assigned", "2026-10-08", "--deadline",
            "2026-11-10")
        let database = try TestBackend.database(dir, "unitstats")
        try ok(folder, "migrate", "--to", database, "--owner", "postgres")
        let binary = OSAccounts.install(into: dir.sub("prefix"))
        OSAccounts.share(dir.path, group: "duchat")
        // The office's password file stays its own.
        chmod(dir.sub("unitstats.pgpass"), 0o600)
        // The unit's own password file; the server's socket reachable by the account.
        let server = try TestPostgres.shared()
        chmod(server.socketFolder, 0o711)
        let passfile = dir.sub("\(login).pgpass")
        let name = try #require(TestBackend.databaseName(database))
        try "*:*:\(name):\(TestPostgres.appRole):\(TestPostgres.appPassword)\n".write(
            toFile: passfile, atomically: false, encoding: .utf8)
        if let pw = getpwnam(login) { chown(passfile, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        chmod(passfile, 0o600)
        let unitDatabase = server.connectionString(database: name) + "&passfile=\(passfile)"
        func run(_ repo: String, _ args: [String]) throws -> Binary.Result {
            try Binary.run(["--repo", repo, "--today", "2026-11-30"] + args, runAs: login, binary: binary)
        }
        for args in Self.statsCommands {
            sameOnBoth(try run(folder, args), try run(unitDatabase, args), "城关镇：\(args)")
        }
        let own = try run(unitDatabase, ["stats"])
        #expect(own.stdout.contains("城关镇（牵头）") && own.stdout.contains("城关镇（配合）"), "\(own.stdout)")
        #expect(!own.stdout.contains("县财政局"), "一个单位只看到自己的统计：\(own.stdout)")
        let summary = try run(unitDatabase, ["summary"])
        #expect(summary.stdout.contains("城关镇牵头的事项") && summary.stdout.contains("城关镇配合的事项"), "\(summary.stdout)")
        // What the office sees differs: the unit's figures are its own.
        #expect(try ok(database, "stats") != own.stdout)
    }
}
