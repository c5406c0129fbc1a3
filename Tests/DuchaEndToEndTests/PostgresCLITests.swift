import DuchaTestSupport
import Foundation
import Testing

/// `ducha` on a PostgreSQL repository, from the command line: ducha runs ducha-pg for a
/// postgresql:// repository; migrate copies a folder into a database; check verifies it.
@Suite struct PostgresCLITests {
    let dir = TemporaryDirectory("ducha-pg-cli")

    func ducha(_ repo: String, _ args: [String], today: String = "2026-11-30") throws -> Binary.Result {
        try Binary.run(["--repo", repo, "--today", today] + args)
    }

    @discardableResult
    func ok(_ repo: String, _ args: String..., today: String = "2026-11-30") throws -> String {
        let r = try ducha(repo, args, today: today)
        #expect(r.status == 0, "\(args) → \(r.status)：\(r.stderr)")
        return r.stdout
    }

    @Test func migratedLedgerReadsTheSameAndChecks() throws {
        let folder = dir.sub("folder")
        try ok(folder, "demo")
        // Something of every kind after the demo: a feedback, a review, a unit, an extension.
        try ok(folder, "feedback", "3", "已召开专题会部署。")
        try ok(folder, "unit", "add", "县审计局")
        try ok(folder, "comment", "5", "请加快进度。")
        // Child items: a 分别办理 item of three units, one part signed and reported on, and an
        // item broken down into two children.
        try ok(folder, "unit", "add", "县统计局")
        try ok(folder, "unit", "add", "县信访局")
        let split = try ok(
            folder, "add", "--title", "背街小巷整治", "--lead", "县审计局", "--lead", "县统计局", "--lead", "县信访局", "--deadline",
            "2026-12-20"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try ok(folder, "sign", split, "--for", "县审计局")
        try ok(folder, "feedback", split, "已排查背街小巷12条。", "--for", "县审计局")
        let parent = try ok(folder, "add", "--title", "老旧小区改造", "--lead", "县审计局", "--deadline", "2026-12-31")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try ok(folder, "add", "--parent", parent, "--title", "完成摸底", "--lead", "县统计局", "--deadline", "2026-12-15")
        try ok(folder, "add", "--parent", parent, "--title", "完成设计", "--lead", "县信访局", "--deadline", "2026-12-25")
        let database = try TestBackend.database(dir)

        // The app role may not create tables: refused in Chinese, nothing written.
        let refused = try ducha(folder, ["migrate", "--to", database])
        #expect(refused.status == 1 && refused.stderr.contains("没有这项权限"), "\(refused)")
        #expect(refused.stderr.contains("--owner"), "the refusal says how to make the tables: \(refused)")
        // Before the tables exist, a command says how to make them.
        let empty = try ducha(database, ["list"])
        #expect(empty.status == 1 && empty.stderr.contains("台账尚未创建（用 ducha init --owner"), "\(empty)")

        let out = try ok(folder, "migrate", "--to", database, "--owner", "postgres")
        #expect(out.contains("已把台账") && out.contains("条记录") && out.contains("件事项"), "\(out)")
        // The next step names the configuration file of the binary's installation (here under .build).
        #expect(
            out.contains(".build/") && out.contains("/etc/ducha.conf 中写 repo=") && !out.contains("在 /etc/ducha.conf"), "\(out)")
        for args in [
            ["list"], ["list", "--closed"], ["list", "--format", "json"], ["stats"], ["log"], ["log", "3"], ["show", "3"],
            ["export", "ledger", "--format", "json"], ["show", split], ["show", split + "之1"], ["log", split + "之1"],
            ["show", parent], ["show", parent + "之2"], ["list", "--format", "json", "--unit", "县统计局"],
        ] {
            let a = try ducha(folder, args)
            let b = try ducha(database, args)
            #expect(a.status == 0 && b.status == 0, "\(args)：\(a.stderr) \(b.stderr)")
            #expect(!a.stdout.isEmpty && a.stdout == b.stdout, "\(args) 在数据库中与台账目录中应完全相同")
        }
        #expect(try ok(database, "check").contains("检查通过"))
        // The parts and children act on the database as on the folder.
        try ok(database, "complete", split, "已全部整治。", "--for", "县审计局")
        try ok(database, "review", split, "--approve", "--unit", "县审计局")
        try ok(database, "sign", parent + "之1", "--for", "县统计局")
        let shown = try ok(database, "show", split)
        #expect(shown.contains("各单位办理情况（3个单位，已办结1个）："), "\(shown)")
        #expect(try ok(database, "show", parent + "之1").contains("办理中"))

        // A second migration into the same database is refused, nothing changed.
        let again = try ducha(folder, ["migrate", "--to", database, "--owner", "postgres"])
        #expect(again.status == 1 && again.stderr.contains("已有 ducha 台账"), "\(again)")

        // Writing on the database: recorded there, the folder untouched.
        try ok(database, "feedback", "3", "数据库中的第二次反馈。")
        #expect(try ok(database, "show", "3").contains("数据库中的第二次反馈。"))
        #expect(!(try ok(folder, "show", "3")).contains("数据库中的第二次反馈。"))
        #expect(try ok(database, "check").contains("检查通过"))
    }

    /// `list` with every filter, order and format, and the overdue notice, on several days: the
    /// database answers them itself (only the rows listed are read) and prints exactly what the
    /// folder prints.
    @Test func listsAndTheOverdueNoticeReadTheSameFromTheDatabase() throws {
        let folder = dir.sub("lists")
        try ok(folder, "demo")
        try ok(folder, "unit", "add", "县统计局")
        try ok(folder, "unit", "add", "县信访局")
        let split = try ok(
            folder, "add", "--title", "城关片区背街小巷整治", "--lead", "城关镇", "--lead", "县统计局", "--lead", "县信访局", "--deadline",
            "2026-12-04", "--basis", "县政府第12次常务会议", "--basis-number", "〔2026〕12号"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try ok(folder, "sign", split, "--for", "县统计局")
        let parent = try ok(
            folder, "add", "--title", "老旧小区改造", "--lead", "县住建局", "--deadline", "2026-12-31", "--basis", "县政府第12次常务会议",
            "--basis-number", "〔2026〕12号"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try ok(folder, "add", "--parent", parent, "--title", "完成摸底", "--lead", "县统计局", "--deadline", "2026-12-02")
        // For search: 城区 and 区段 occur, 城区段 does not; ASCII in both cases beside digits.
        try ok(
            folder, "add", "--title", "老城区路面修缮及区段管护", "--lead", "青石镇", "--co", "县统计局", "--co", "县信访局",
            "--instruction", "按GB 5768标准施划Ab类标线", "--deadline", "2026-12-10")
        let database = try TestBackend.database(dir, "lists")
        try ok(folder, "migrate", "--to", database, "--owner", "postgres")
        var lists: [[String]] = [
            ["list"], ["list", "--overdue"], ["list", "--due-soon"], ["list", "--open"], ["list", "--closed"],
            ["list", "--unit", "城关镇"], ["list", "--unit", "县统计局", "--sort", "时限"], ["list", "--source", "领导批示"],
            ["list", "--state", "待签收"], ["list", "--state", "办理中", "--sort", "单位"], ["list", "--search", "城关"],
            ["list", "--search", "整治 城关"], ["list", "--search", "无此事项的词"], ["list", "--basis", "常务会议"],
            ["list", "--basis", "〔2026〕12号", "--sort", "编号"], ["list", "--mark", "签收超时"], ["list", "--mark", "反馈逾期"],
            ["list", "--open", "--unit", "城关镇", "--search", "城关", "--sort", "时限"],
        ]
        // Search through the index of grams: one, two, more characters; Chinese, ASCII, digits;
        // across two fields (the title's end and the lead unit: never found), across co-units;
        // pairs that occur but not in a row.
        for words in [
            "城", "a", "B", "0", "路灯", "城关镇 路灯", "背街小巷", "gb 5768", "5768标准", "ab类标线", "一级A标准", "800个", "城区",
            "区段", "城区段", "管护青石", "统计局、县信访", "整改城关",
        ] {
            lists.append(["list", "--search", words])
        }
        lists += lists.map { $0 + ["--format", "json"] }
        let notices: [[String]] = [
            ["export", "overdue"], ["export", "overdue", "--due-soon"], ["export", "overdue", "--format", "csv", "--due-soon"],
            ["export", "overdue", "--format", "json"],
        ]
        var rows = 0
        for today in ["2026-11-30", "2026-12-03", "2027-01-15"] {
            for args in lists + notices {
                let a = try ducha(folder, args, today: today)
                let b = try ducha(database, args, today: today)
                #expect(a.status == 0 && b.status == 0, "\(args)：\(a.stderr) \(b.stderr)")
                #expect(a.stdout == b.stdout, "\(args)（\(today)）在数据库中与台账目录中应完全相同")
                #expect(a.stderr == b.stderr, "\(args)（\(today)）")
                rows += a.stdout.split(separator: "\n").count
            }
        }
        #expect(rows > 1000)
        // Pairs that occur apart are no match; either pair alone is.
        #expect(try ok(database, "list", "--search", "城区").contains("老城区路面修缮及区段管护"))
        #expect(try ok(database, "list", "--search", "区段").contains("老城区路面修缮及区段管护"))
        #expect(try !ok(database, "list", "--search", "城区段").contains("老城区"))
        #expect(try ok(database, "list", "--search", "统计局、县信访").contains("老城区路面修缮及区段管护"))
        #expect(try !ok(database, "list", "--search", "管护青石").contains("老城区"))
        // Issued: the same serial and count recorded in both.
        let issued = try ok(database, "export", "overdue", "--issue")
        #expect(issued == (try ok(folder, "export", "overdue", "--issue")))
        #expect(try ok(database, "log").contains("印发逾期事项通报第1期"))
    }

    /// Every command about one item (read `.only`: the database reads that item's family and
    /// nothing of the others) prints on a migrated demo ledger exactly what it prints on the
    /// folder — refusals too — and leaves the same records: `log`, `list` and `stats` afterwards
    /// are the same (but for the records' times of day, which are the clock's).
    @Test func singleItemCommandsActAndPrintAsOnTheFolder() throws {
        let folder = dir.sub("single")
        try ok(folder, "demo")
        let database = try TestBackend.database(dir, "single")
        try ok(folder, "migrate", "--to", database, "--owner", "postgres")
        let steps: [[String]] = [
            ["show", "12"], ["show", "4", "--format", "json"], ["log", "4"], ["log", "18", "--format", "json"],
            ["sign", "33", "--for", "县发改局"], ["feedback", "12", "水厂改造已完成七成。", "--for", "青石镇"],
            ["remind", "13", "--note", "请本周内完成修复"], ["comment", "2", "请加快进度。"], ["commend", "3", "--note", "进展较快，予以肯定"],
            ["extension", "4", "--approve"], ["review", "18", "--approve", "--grade", "良好"],
            ["review", "30", "--return", "材料不全"],
            ["complete", "26", "化解方案已印发。", "--for", "县财政局"], ["edit", "31", "--title", "城关镇菜市场周边交通秩序综合整治"],
            ["edit", "21", "--deadline", "2027-01-20", "--reason", "工程量增加"],
            ["reassign", "37", "--lead", "县住建局", "--reason", "属住建局职责"],
            ["decline", "40", "--reason", "不属本镇职责", "--for", "青石镇"],
            ["extend", "27", "--to", "2026-12-20", "--reason", "冬季施工受限", "--for", "县交通运输局"],
            ["suspend", "34", "--reason", "等待上级政策"], ["resume", "5"], ["withdraw", "42", "--reason", "已并入其他事项"],
            ["reopen", "15", "--reason", "回头看发现问题"], ["undo", "13"],
            ["add", "--title", "城区公厕提升改造", "--lead", "城关镇", "--co", "县住建局", "--deadline", "2026-12-20"],
            ["add", "--parent", "29", "--title", "完成停车位摸底", "--lead", "县住建局", "--deadline", "2026-12-20"],
            ["add", "--title", "冬季安全生产检查", "--lead", "城关镇", "--lead", "青石镇", "--deadline", "2026-12-18"],
            ["sign", "44", "--for", "青石镇"], ["feedback", "44", "已检查企业12家。", "--for", "青石镇"], ["show", "44"], ["show", "44之2"],
            ["log", "44"], ["show", "29"], ["show", "29之1"], ["sign", "29之1", "--for", "县住建局"],
            ["unit", "edit", "县住建局", "--rename", "县住房和城乡建设局"], ["show", "39"], ["show", "29之1"],
        ]
        // Refused alike, nothing written.
        let refused: [[String]] = [
            ["sign", "1"], ["feedback", "99", "无此事项。"], ["show", "99"], ["sign", "44之2", "--for", "青石镇"],
            ["review", "12", "--approve"],
        ]
        for args in steps + refused {
            let a = try ducha(folder, args)
            let b = try ducha(database, args)
            #expect(a.status == (refused.contains(args) ? 1 : 0), "\(args)：\(a.stderr)")
            #expect(a.status == b.status && a.stdout == b.stdout && a.stderr == b.stderr, "\(args)：\(a) \(b)")
        }
        // The clock's time of day differs between the two runs; nothing else may.
        func timeless(_ text: String) -> String {
            text.replacingOccurrences(of: #"\d{2}:\d{2}(:\d{2})?"#, with: "hh:mm", options: .regularExpression)
        }
        for args in [
            ["log"], ["list"], ["list", "--closed"], ["stats"], ["log", "--format", "json"], ["show", "34", "--format", "json"],
            ["list", "--format", "json"],
        ] {
            let (a, b) = (try ducha(folder, args), try ducha(database, args))
            #expect(a.status == 0 && b.status == 0, "\(args)：\(a.stderr) \(b.stderr)")
            #expect(!a.stdout.isEmpty && timeless(a.stdout) == timeless(b.stdout), "\(args)")
        }
        #expect(try ok(database, "log").contains("县住房和城乡建设局"))
        #expect(try ok(database, "check").contains("检查通过"))
    }

    @Test func initOnADatabaseAndWhatItCannotDoYet() throws {
        let database = try TestBackend.database(dir)
        #expect(try ok(database, "init", "--test-clock", "--owner", "postgres").contains("新建测试台账"))
        try ok(database, "unit", "add", "县财政局")
        try ok(
            database, "add", "--title", "城区停车难治理", "--lead", "县财政局", "--deadline", "2026-12-20", "--instruction", "请牵头办理。",
            "--source", "领导批示", "--leader", "李明远")
        #expect(try ok(database, "list").contains("城区停车难治理"))
        let photo = dir.sub("照片.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0]).write(to: URL(fileURLWithPath: photo))
        for (args, says) in [
            (["attach", "1", photo], "不能保存佐证材料"),
            (["check", "--repair"], "修复台账（--repair）暂不支持 PostgreSQL"),
            (["attachment", "get", "1", "1", "--output", dir.sub("x")], "导出佐证材料暂不支持 PostgreSQL"),
            (["migrate", "--to", database], "已在数据库中"),
        ] {
            let r = try ducha(database, args)
            #expect(r.status == 1 && r.stderr.contains(says), "\(args)：\(r)")
        }
        // --owner belongs to databases only.
        let folder = try ducha(dir.sub("f"), ["init", "--owner", "postgres"])
        #expect(folder.status == 1 && folder.stderr.contains("--owner 只用于 PostgreSQL"), "\(folder)")
    }

    /// A libpq service name: the parts of the connection in the system's service file.
    @Test func aServiceNameNamesTheDatabase() throws {
        let database = try TestBackend.database(dir)
        try ok(database, "init", "--test-clock", "--owner", "postgres")
        try ok(database, "unit", "add", "县财政局")
        let server = try TestPostgres.shared()
        let name = String(database[database.range(of: "@/")!.upperBound..<database.firstIndex(of: "?")!])
        let passfile = String(database[database.range(of: "passfile=")!.upperBound...])
        let etc = dir.sub("etc")
        try FileManager.default.createDirectory(atPath: etc, withIntermediateDirectories: false)
        try """
        # 督查台账
        [ducha]
        host=\(server.socketFolder)
        dbname=\(name)
        user=\(TestPostgres.appRole)
        passfile=\(passfile)

        [bad]
        host=\(server.socketFolder)
        dbname=\(name)
        user=\(TestPostgres.appRole)
        password=secret

        """.write(toFile: etc + "/pg_service.conf", atomically: false, encoding: .utf8)
        chmod(etc + "/pg_service.conf", 0o644)
        let env = ["PGSYSCONFDIR": etc]
        let units = try Binary.run(["--repo", "service=ducha", "unit", "list"], environment: env)
        #expect(units.status == 0 && units.stdout.contains("县财政局"), "\(units)")
        let viaEnv = try Binary.run(["unit", "list"], environment: env.merging(["DUCHA_REPO": "service=ducha"]) { a, _ in a })
        #expect(viaEnv.stdout == units.stdout)
        for (service, says) in [("nosuch", "没有数据库服务 nosuch"), ("bad", "口令不能写在服务文件里")] {
            let r = try Binary.run(["--repo", "service=\(service)", "list"], environment: env)
            #expect(r.status == 1 && r.stderr.contains(says) && !r.stderr.contains("secret"), "\(r)")
        }
        chmod(etc + "/pg_service.conf", 0o666)
        let open = try Binary.run(["--repo", "service=ducha", "list"], environment: env)
        #expect(open.status == 1 && open.stderr.contains("出于安全考虑拒绝使用"), "\(open)")
    }

    @Test func credentialsNeverOnTheCommandLine() throws {
        let database = try TestBackend.database(dir)
        let withPassword = database.replacingOccurrences(of: "ducha_app@", with: "ducha_app:secret-口令@")
        let r = try ducha(withPassword, ["list"])
        #expect(r.status == 1 && r.stderr.contains("口令不能写在连接串里") && !r.stderr.contains("secret-口令"), "\(r)")
        // A password file others may read is refused.
        let passfile = String(database[database.range(of: "passfile=")!.upperBound...])
        chmod(passfile, 0o644)
        let open = try ducha(database, ["list"])
        #expect(open.status == 1 && open.stderr.contains("chmod 600"), "\(open)")
        chmod(passfile, 0o600)
    }

    /// Issue #16 point 3: an interface on the database is told by the server (LISTEN/NOTIFY)
    /// when another process commits and shows it at once; what it records reaches the database.
    @Test(.enabled(if: Tmux.available, "需要 tmux（make test 会自动安装）"))
    func theInterfaceShowsAnotherProcesssCommitAndWritesToTheDatabase() throws {
        let database = try TestBackend.database(dir)
        try ok(database, "demo", "--owner", "postgres", today: TerminalTests.today)
        let t = try Tmux(TerminalTests.command(database))
        let first = try t.waitFor("各单位办理情况").screen
        let open = try #require(first.firstMatch(of: /在办 (\d+)/).map { Int($0.1)! }, "\(first)")
        try ok(
            database, "add", "--title", "数据库实时刷新测试", "--lead", "县财政局", "--deadline", "2026-12-20", "--instruction", "请办理。",
            "--source", "领导批示", "--leader", "李明远", today: TerminalTests.today)
        let (_, seconds) = try t.waitFor("在办 \(open + 1)", timeout: 5)
        print("另一进程在数据库中的提交在 \(String(format: "%.2f", seconds)) 秒内出现在界面上")
        // A comment written in the interface is recorded in the database.
        try t.keys("2", "/")
        try t.type("0013")
        try t.keys("Enter", "Enter")
        try t.waitFor("办理记录（新→旧）")
        try t.keys("m")
        try t.type("界面写入数据库的批注")
        try t.keys("Enter")
        try t.waitFor("已批注")
        #expect(try ok(database, "log", "13", "--last", "1", today: TerminalTests.today).contains("界面写入数据库的批注"))
        try t.keys("q")
        try t.waitFor("退出码 0")
    }

    /// Issue #16 point 4: the interface on a database reads its pages from it (a window of the
    /// list's rows, counts, search, the dashboard, one item's detail) and shows what it shows on
    /// the folder the ledger was migrated from, key for key, at 80×24.
    @Test(.enabled(if: Tmux.available, "需要 tmux（make test 会自动安装）"))
    func theInterfaceOnTheDatabaseShowsWhatItShowsOnTheFolder() throws {
        let folder = dir.sub("folder")
        try ok(folder, "demo", today: TerminalTests.today)
        // More rows than one window of the list holds (300): paging reads further rows.
        let rows = (0..<300).map { i in "批量导入的事项\(i),\(i % 2 == 0 ? "城关镇" : "县财政局"),2026-12-\(10 + i % 15)" }
        let csv = dir.sub("items.csv")
        try (["事项,牵头单位,办理时限"] + rows).joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        try ok(folder, "import", csv, "--source", "领导批示", "--assigned", "2026-11-01", today: TerminalTests.today)
        let database = try TestBackend.database(dir)
        try ok(folder, "migrate", "--to", database, "--owner", "postgres", today: TerminalTests.today)
        let onFolder = try Tmux(TerminalTests.command(folder), width: 80, height: 24)
        let onDatabase = try Tmux(TerminalTests.command(database), width: 80, height: 24)
        /// Sends the keys to both, waits for `text` on both and for both screens to settle.
        func both(_ keys: [String], typing: String? = nil, _ text: String, _ what: String) throws {
            for t in [onFolder, onDatabase] {
                for k in keys { try t.keys(k) }
                if let typing { try t.type(typing) }
            }
            try onFolder.waitFor(text)
            try onDatabase.waitFor(text)
            var (a, b) = (try onFolder.screen(), try onDatabase.screen())
            for _ in 0..<50 where a != b {
                usleep(100_000)
                (a, b) = (try onFolder.screen(), try onDatabase.screen())
            }
            #expect(a == b, "\(what)：文件夹\n\(a)\n数据库\n\(b)")
        }
        try both([], "逾期最久的事项", "总览")
        try both(["2"], "显示 342/342 件", "台账")
        try both(["PageDown", "PageDown"], "39/342", "翻页")
        try both(["End"], "342/342", "翻到末尾")
        try both(Array(repeating: "PageUp", count: 14), "/342", "往回翻页")
        try both(["Home", "l", "Down", "Enter"], "筛选：灯", "按亮灯筛选")
        try both(["Escape"], "已清除筛选", "清除筛选")
        try both(["/"], typing: "城关", "城关", "搜索")
        try both(["Enter"], "找到", "搜索结果")
        try both(["Enter"], "办理记录（新→旧）", "详情")
        try both(["Escape"], "Enter 详情", "回到台账")
        try both(["o"], "排序：按时限", "换排序")
        // The statistics page: the states read a batch at a time, by unit, source and basis.
        try both(["3"], "办理情况统计（按单位", "统计")
        try both(["b"], "办理情况统计（按来源", "按来源统计")
        try both(["b"], "办理情况统计（按依据", "按依据统计")
        for t in [onFolder, onDatabase] { try t.keys("q") }
        try onDatabase.waitFor("退出码 0")
    }
}
