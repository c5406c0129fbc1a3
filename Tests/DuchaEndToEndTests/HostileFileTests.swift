import DuchaCore
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// What a unit's liaison with a shell on the shared server can leave in the repository
/// folder — links, named pipes, oversized lines, a held lock — and exports aimed at it, tried
/// with the real binary. Every command runs under timeout(1): one that hangs is killed and
/// fails the test instead of blocking the suite (SIGKILL: a child of the test runner inherits
/// its blocked signals, so SIGTERM would not end it).
@Suite struct HostileFileTests {
    let dir = TemporaryDirectory("ducha-hostile")
    var repo: String { dir.sub("repo") }
    static let today = "2026-11-21"

    func ducha(_ args: [String], env: [String: String] = [:], stdin: String? = nil, limit: Int = 60) throws -> Binary.Result {
        try Binary.run(
            ["--signal=KILL", String(limit), Binary.path, "--repo", repo, "--today", HostileFileTests.today] + args,
            environment: env,
            stdin: stdin,
            binary: "/usr/bin/timeout")
    }

    func setUp() throws {
        #expect(try ducha(["demo"]).status == 0)
        for text in ["进展一", "进展二", "进展三"] { #expect(try ducha(["feedback", "12", text]).status == 0) }
    }

    func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: repo + "/" + name)) }

    func mode(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
    }

    func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    func appendTornLine() throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: repo + "/journal.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"seq":999,"at":"2026-11-21T10:00:00+08:00","by":"x","do":"feed"#.utf8))
        try handle.close()
    }

    // MARK: Links and copies

    @Test func repairNeverFollowsALinkPlantedAsATemporarySnapshot() throws {
        try setUp()
        // The clerk's private file, and links to it under the temporary snapshot's names.
        let secret = dir.sub("督查室私人文件.txt")
        try Data("只有督查室能看的内容".utf8).write(to: URL(fileURLWithPath: secret))
        chmod(secret, 0o600)
        for name in ["ducha.json.tmp", "ducha.json.tmp.AbCd1234"] {
            try FileManager.default.createSymbolicLink(atPath: repo + "/" + name, withDestinationPath: secret)
        }
        try appendTornLine()  // something repair does keep a copy of
        let r = try ducha(["check", "--repair"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("符号链接") && r.stdout.contains("未读取其内容"), "\(r.stdout)")
        #expect(!exists(repo + "/ducha.json.tmp") && !exists(repo + "/ducha.json.tmp.AbCd1234"), "链接本身被删除")
        let kept = try FileManager.default.contentsOfDirectory(atPath: repo + "/repair")
        #expect(kept.count == 1, "\(kept)")
        for name in kept {
            let content = try String(contentsOfFile: repo + "/repair/" + name, encoding: .utf8)
            #expect(!content.contains("只有督查室能看的内容"), "私人文件被复制进了 repair/：\(name)")
            #expect(mode(repo + "/repair/" + name) & 0o007 == 0, "备份不让其他人读")
        }
        #expect(mode(repo + "/repair") & 0o007 == 0)
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "只有督查室能看的内容")
        #expect(mode(secret) == 0o600)
    }

    @Test func repairCopiesArePrivateToTheOwnerOfAPrivateRepository() throws {
        try setUp()
        chmod(repo, 0o700)
        try appendTornLine()
        let r = try ducha(["check", "--repair"])
        #expect(r.status == 0 && r.stdout.contains("截去了日志末尾未写完的记录"), "\(r.stdout)")
        #expect(mode(repo + "/repair") == 0o700)
        let kept = try FileManager.default.contentsOfDirectory(atPath: repo + "/repair")
        #expect(kept.count == 1 && mode(repo + "/repair/" + kept[0]) == 0o600, "\(kept)")
        // A link planted as repair/ is not written through.
        let elsewhere = dir.sub("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        try FileManager.default.removeItem(atPath: repo + "/repair")
        try FileManager.default.createSymbolicLink(atPath: repo + "/repair", withDestinationPath: elsewhere)
        try appendTornLine()
        let again = try ducha(["check", "--repair"])
        #expect(again.stdout.contains("\(repo)/repair 是符号链接"), "\(again.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    }

    // MARK: Pipes

    @Test(arguments: ["journal.jsonl", "ducha.json"])
    func aNamedPipeInPlaceOfARepositoryFileIsRefusedAtOnceByEveryCommand(_ name: String) throws {
        try setUp()
        let path = repo + "/" + name
        try FileManager.default.moveItem(atPath: path, toPath: dir.sub("aside"))
        #expect(mkfifo(path, 0o660) == 0)
        let label = name == "ducha.json" ? "台账快照" : "台账日志"
        let expected = "\(label) \(path) 不是普通文件（命名管道），拒绝使用"
        for args in [["list"], ["show", "12"], ["feedback", "12", "管道"], ["check"], ["check", "--repair"]] {
            let r = try ducha(args, limit: 10)
            #expect(r.status == 1, "\(args) 应立即拒绝（124 为卡住超时）：\(r.status)")
            #expect((r.stdout + r.stderr).contains(expected), "\(args)：\(r.stdout)\(r.stderr)")
        }
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: dir.sub("aside"), toPath: path)
        #expect(try ducha(["check"]).status == 0)
    }

    /// Files a person names — a sheet to import, a mapping, a holiday table — are read only when
    /// they are regular files: a named pipe is refused at once (not waited on), a link refused.
    /// An export with --force replaces a regular file only, never a pipe or a link.
    @Test func givenFilesAndForcedOutputsAreRegularFilesOnly() throws {
        try setUp()
        let journal = try bytes("journal.jsonl")
        let pipe = dir.sub("台账.csv")
        #expect(mkfifo(pipe, 0o600) == 0)
        let sheet = dir.sub("真实.csv")
        try "事项,牵头单位,办理时限\n测试事项,县财政局,2026-12-31\n".write(toFile: sheet, atomically: false, encoding: .utf8)
        let link = dir.sub("链接.csv")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: sheet)
        for args in [
            ["import", pipe], ["import", "--dry-run", pipe], ["import", "--map", pipe, sheet], ["calendar", "add", pipe],
        ] {
            let r = try ducha(args, limit: 10)
            #expect(r.status == 1 && r.stderr.contains("不是普通文件（命名管道），拒绝使用"), "\(args)（124 为卡住超时）：\(r.status) \(r.stderr)")
        }
        let linked = try ducha(["import", link], limit: 10)
        #expect(linked.status == 1 && linked.stderr.contains("是符号链接，出于安全考虑拒绝使用"), "\(linked.stderr)")
        #expect(try bytes("journal.jsonl") == journal, "什么也没有写入")
        // --force over a pipe or a link: refused, both left as they were.
        let target = dir.sub("别处.txt")
        try "原有内容".write(toFile: target, atomically: false, encoding: .utf8)
        let outLink = dir.sub("导出链接.csv")
        try FileManager.default.createSymbolicLink(atPath: outLink, withDestinationPath: target)
        for out in [pipe, outLink] {
            let r = try ducha(["export", "ledger", "--output", out, "--force"], limit: 10)
            #expect(r.status == 1 && r.stderr.contains("不是普通文件"), "\(out)：\(r.status) \(r.stderr)")
        }
        var st = stat()
        #expect(lstat(pipe, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
        #expect(lstat(outLink, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "原有内容")
        // A folder that is not there is named, not a temporary file.
        let missing = try ducha(["export", "ledger", "--output", dir.sub("没有的目录/台账.csv")], limit: 10)
        #expect(missing.status == 1 && missing.stderr.contains("写入失败：\(dir.sub("没有的目录"))：文件或目录不存在"), "\(missing.stderr)")
        #expect(!missing.stderr.contains(".tmp."))
    }

    // MARK: Sizes

    @Test func aJournalLineLongerThanAnyRecordIsRefusedAndRepairSetsItAside() throws {
        try setUp()
        let text = String(decoding: try bytes("journal.jsonl"), as: UTF8.self)
        // A well-formed record of 1.2 MB: the 10,000-character limit is checked only on input.
        let huge = text.replacingOccurrences(of: "进展二", with: String(repeating: "长", count: 400_000))
        try huge.write(toFile: repo + "/journal.jsonl", atomically: false, encoding: .utf8)
        let r = try ducha(["log", "12"])
        #expect(r.status == 1, "\(r.stdout.prefix(200))")
        #expect(r.stderr.contains("台账日志 \(repo)/journal.jsonl 第 2 行已损坏") && r.stderr.contains("超过上限"), "\(r.stderr.prefix(400))")
        #expect(try ducha(["check"]).stdout.contains("第 2 行已损坏"))
        let repair = try ducha(["check", "--repair"])
        #expect(repair.status == 0 && repair.stdout.contains("日志第 2 行无法使用"), "\(repair.stdout.prefix(400))")
        let log = try ducha(["log", "12"]).stdout
        #expect(log.contains("进展一") && !log.contains("长长长"))
    }

    /// Holiday tables count only when the office records them (`calendar add`): whatever is put
    /// in the repository's calendar/ folder — a huge file, a link, a named pipe, the folder a
    /// link — is never opened, and the deadlines stay as they were.
    @Test func nothingPutIntoTheRepositorysCalendarFolderIsRead() throws {
        try setUp()
        let before = try ducha(["list"]).stdout
        let table = try String(contentsOfFile: Fixtures.dataPath + "/calendar/2026.json", encoding: .utf8)
        try FileManager.default.createDirectory(atPath: repo + "/calendar", withIntermediateDirectories: false)
        try (table + String(repeating: " ", count: 2 << 20)).write(
            toFile: repo + "/calendar/2026.json", atomically: false, encoding: .utf8)
        try table.write(toFile: dir.sub("2027.json"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: repo + "/calendar/2027.json", withDestinationPath: dir.sub("2027.json"))
        #expect(mkfifo(repo + "/calendar/2028.json", 0o600) == 0)
        for args in [["list"], ["calendar", "show", "2028"], ["check"]] {
            let r = try ducha(args)
            #expect(r.status == 0, "\(args)：\(r.stderr)")
        }
        #expect(try ducha(["list"]).stdout == before)
        #expect(try ducha(["calendar", "show", "2028"]).stdout.contains("2028年的节假日安排尚未录入"))
        try FileManager.default.removeItem(atPath: repo + "/calendar")
        try FileManager.default.createSymbolicLink(atPath: repo + "/calendar", withDestinationPath: dir.path)
        #expect(try ducha(["list"]).stdout == before)
    }

    // MARK: Exports

    @Test func exportsRefuseEveryPathInsideTheRepository() throws {
        try setUp()
        let journal = try bytes("journal.jsonl")
        let snapshot = try bytes("ducha.json")
        let link = dir.sub("看似别处")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: repo)
        let attempts: [[String]] = [
            ["export", "ledger", "--output", repo + "/journal.jsonl"],
            ["export", "ledger", "--format", "json", "--output", repo + "/ducha.json"],
            ["export", "ledger", "--output", link + "/journal.jsonl"],
            ["export", "ledger", "--output", repo + "/新目录/台账.csv"],
            ["export", "overdue", "--output", repo + "/通报.txt"],
            ["export", "overdue", "--issue", "--output", repo + "/journal.jsonl"],
            ["export", "reminders", "--output", repo],
            ["export", "reminders", "--record", "--output", link + "/催办"],
            ["export", "reminders", "--unit", "县交通运输局", "--output", repo + "/lock"],
            ["stats", "--output", repo + "/统计.txt"],
        ]
        for args in attempts {
            let r = try ducha(args)
            #expect(r.status == 1 && r.stderr.contains("不能导出到台账目录 \(repo) 之内"), "\(args)：\(r.stderr)")
        }
        #expect(try bytes("journal.jsonl") == journal, "没有用掉通报期数，也没有登记催办")
        #expect(try bytes("ducha.json") == snapshot)
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo).sorted() == ["ducha.json", "journal.jsonl", "lock"])
        // Beside the repository is fine.
        #expect(try ducha(["export", "ledger", "--output", dir.sub("台账.csv")]).status == 0)
    }

    // MARK: The lock

    func holdLock() throws -> LockHolder { try LockHolder(repo) }

    @Test func aHeldLockIsWaitedForWithANoteAndGivenUpWithNothingWritten() throws {
        try setUp()
        let holder = try holdLock()
        defer { holder.release() }
        let journal = try bytes("journal.jsonl")
        let r = try ducha(["feedback", "12", "等锁的进展"], env: ["DUCHA_LOCK_TIMEOUT": "2"], limit: 20)
        #expect(r.status == 1, "\(r.status)")
        #expect(r.stderr.contains("正在等待其他用户完成操作……（最多等 2 秒）"), "\(r.stderr)")
        #expect(r.stderr.contains("等待其他用户完成操作已超过 2 秒，已放弃，未作任何改动") && r.stderr.contains("\(repo)/lock"), "\(r.stderr)")
        #expect(try bytes("journal.jsonl") == journal)
        // Reading waits the same way rather than for ever; `check` too.
        for args in [["list"], ["check"]] {
            let read = try ducha(args, env: ["DUCHA_LOCK_TIMEOUT": "1.5"], limit: 20)
            #expect(
                read.status == 1 && (read.stdout + read.stderr).contains("已超过 1.5 秒，已放弃"), "\(args)：\(read.stdout)\(read.stderr)")
        }
        // A wait shorter than a second says nothing before giving up.
        let quick = try ducha(["feedback", "12", "x"], env: ["DUCHA_LOCK_TIMEOUT": "0.3"], limit: 20)
        #expect(quick.status == 1 && !quick.stderr.contains("正在等待") && quick.stderr.contains("已放弃"), "\(quick.stderr)")
        let bad = try ducha(["list"], env: ["DUCHA_LOCK_TIMEOUT": "很久"], limit: 20)
        #expect(bad.status == 1 && bad.stderr.contains("DUCHA_LOCK_TIMEOUT 应为等待台账锁的秒数"), "\(bad.stderr)")
        // Once the lock is released, everything works again.
        holder.release()
        #expect(try ducha(["feedback", "12", "锁释放后的进展"]).status == 0)
    }

    // MARK: A failed compaction

    @Test(.enabled(if: geteuid() == 0, "需要 root 才能挂载小容量 tmpfs"))
    func aCommitWhoseCompactionFailsOnAFullDiskIsAcknowledgedAndIssuesItsNotice() throws {
        let mountPoint = dir.sub("disk")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard OSAccounts.shell("mount -t tmpfs -o size=2m tmpfs '\(mountPoint)'") == 0 else {
            Issue.record("无法挂载 tmpfs，不能模拟磁盘已满")
            return
        }
        defer { OSAccounts.shell("umount '\(mountPoint)'") }
        let repo = mountPoint + "/repo"
        func run(_ args: [String], stdin: String? = nil) throws -> Binary.Result {
            try Binary.run(["--repo", repo, "--today", HostileFileTests.today] + args, stdin: stdin)
        }
        for args in [
            ["init", "--test-clock"], ["unit", "add", "县财政局"],
            ["add", "--title", "事项", "--lead", "县财政局", "--deadline", "2026-12-31"],
        ] {
            #expect(try run(args).status == 0)
        }
        // A journal close to the compaction threshold (256 KiB), of records as long as input allows.
        let long = String(repeating: "进展", count: 4900)
        while (try bytes(in: repo, "journal.jsonl").count) < 200 << 10 {
            #expect(try run(["feedback", "1", "-"], stdin: long).status == 0)
        }
        // Fill the disk but for 128 KiB: room for journal lines, not for a new snapshot.
        OSAccounts.shell("dd if=/dev/zero of='\(mountPoint)/reserve' bs=128k count=1 2>/dev/null")
        OSAccounts.shell("dd if=/dev/zero of='\(mountPoint)/filler' bs=4k 2>/dev/null")
        OSAccounts.shell("rm -f '\(mountPoint)/reserve'")
        // Commit until one crosses the threshold and its compaction fails.
        let lines = try journalLines(repo)
        var commits = 0
        var r: Binary.Result
        repeat {
            r = try run(["feedback", "1", "-"], stdin: long)
            commits += 1
            #expect(r.status == 0, "记录已写入并同步，应确认：\(r.stderr)")
        } while !r.stderr.contains("记录已保存") && commits < 3
        #expect(r.stderr.contains("记录已保存") && r.stderr.contains("磁盘空间已满") && r.stderr.contains("下次提交时将再次整理"), "\(r.stderr)")
        #expect(try journalLines(repo) == lines + commits, "每次提交恰好一条，没有重复")
        // The notice: its number is used only with its paper written.
        let paper = dir.sub("通报.txt")
        r = try run(["export", "overdue", "--issue", "--output", paper])
        #expect(r.status == 0 && r.stderr.contains("记录已保存"), "\(r.stderr)")
        #expect(try String(contentsOfFile: paper, encoding: .utf8).contains("第1期"))
        #expect(try run(["export", "overdue"]).stdout.contains("第2期"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo).filter { $0.hasPrefix("ducha.json.tmp") }.isEmpty)
        // Space freed: the next commit compacts.
        OSAccounts.shell("rm -f '\(mountPoint)/filler'")
        r = try run(["feedback", "1", "空间释放后的进展"])
        #expect(r.status == 0 && !r.stderr.contains("记录已保存"), "\(r.stderr)")
        #expect(try bytes(in: repo, "journal.jsonl").isEmpty, "日志已并入快照")
        #expect(try run(["check"]).stdout.contains("检查通过"))
    }

    func bytes(in repo: String, _ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: repo + "/" + name)) }

    func journalLines(_ repo: String) throws -> Int { try bytes(in: repo, "journal.jsonl").filter { $0 == 0x0A }.count }
}

/// The interface while another process holds the repository's lock: it stays responsive.
@Suite(.enabled(if: Tmux.available, "需要 tmux（make test 会自动安装）"))
struct HostileFileTerminalTests {
    func holdLock(_ repo: String) throws -> LockHolder { try LockHolder(repo) }

    @Test func theInterfaceQuitsOnQWhileAnotherProcessHoldsTheLock() throws {
        let dir = TemporaryDirectory("ducha-tmux-lock")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalTests.command(repo))
        try t.waitFor("各单位办理情况")
        let holder = try holdLock(repo)
        defer { holder.release() }
        // The files change (as when the holder writes): the periodic refresh wants to read
        // them, and must skip its turn rather than wait.
        OSAccounts.shell("touch '\(repo)/ducha.json'")
        usleep(1_200_000)  // a couple of refresh turns
        try t.keys("q")
        try t.waitFor("退出码 0")
    }

    @Test func aCommitWaitingForTheLockSaysSoAndQGivesItUpWithNothingWritten() throws {
        let dir = TemporaryDirectory("ducha-tmux-lock")
        let repo = try TerminalTests.demo(dir)
        let t = try Tmux(TerminalTests.command(repo))
        try t.waitFor("各单位办理情况")
        try t.keys("2", "/")
        try t.type("0012")
        try t.keys("Enter", "Enter")
        try t.waitFor("办理记录（新→旧）")
        let holder = try holdLock(repo)
        defer { holder.release() }
        let journal = try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl"))
        try t.keys("m")
        try t.type("等锁时写的批注")
        try t.waitFor("等锁时写的批注")
        try t.keys("Enter")
        try t.waitFor("正在等待其他用户完成操作……（按 q 放弃并退出）")
        try t.keys("q")
        try t.waitFor("退出码 0")
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl")) == journal, "放弃等待，未写入任何内容")
    }

    @Test func theExportDialogRefusesTheRepositoryFolder() throws {
        let dir = TemporaryDirectory("ducha-tmux-export")
        let repo = try TerminalTests.demo(dir)
        let journal = try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl"))
        // Started from inside the repository folder, the dialog proposes a file there.
        let t = try Tmux("cd '\(repo)' && " + TerminalTests.command(repo))
        try t.waitFor("各单位办理情况")
        try t.keys("x")
        try t.waitFor("正式印发第1期")
        try t.keys("Down", "Down", "Enter")
        try t.waitFor(repo + "/逾期事项通报-2026-11-21.txt")
        try t.keys("Enter")
        try t.waitFor("正式印发第1期逾期事项通报？")
        try t.keys("y")
        try t.waitFor("不能导出到台账目录")
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo).sorted() == ["ducha.json", "journal.jsonl", "lock"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl")) == journal, "没有用掉通报期数")
    }
}

/// `flock -x -o <repo>/lock sleep 600` in the background, as a unit with a shell can run it:
/// flock holds the lock (-o: its command does not) until `release` kills it, and its sleep.
/// (Not ended by closing a pipe: other children of the test runner, tmux servers, may inherit
/// the pipe's other end.)
final class LockHolder {
    var pid: pid_t = 0
    var released = false

    init(_ repo: String) throws {
        let args: [String] = ["/usr/bin/flock", "-x", "-o", repo + "/lock", "sleep", "600"]
        let argv = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        guard posix_spawn(&pid, "/usr/bin/flock", &actions, nil, argv, environ) == 0 else {
            throw CocoaError(.executableNotLoadable)
        }
        // Held once a non-blocking attempt by another process fails.
        while OSAccounts.shell("/usr/bin/flock -n '\(repo)/lock' true") == 0 { usleep(20_000) }
        // And its sleep is started, so that `release` ends it too. (A flock that could not
        // take the lock has ended: say so rather than wait for its sleep for ever.)
        while children.isEmpty {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                released = true
                throw CocoaError(.fileLocking)
            }
            usleep(10_000)
        }
    }

    var children: [pid_t] {
        let list = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return list.split(separator: " ").compactMap { pid_t($0) }
    }

    func release() {
        guard !released else { return }
        released = true
        let children = self.children
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        for child in children { kill(child, SIGKILL) }
    }

    deinit { release() }
}
