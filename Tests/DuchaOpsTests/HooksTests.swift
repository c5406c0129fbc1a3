import DuchaCore
import DuchaOps
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// Notice programs (hooks): run after the commit with the record on stdin, killed at the time
/// limit, failures logged, never touching the record; on a shared server only programs no one
/// else may change.
@Suite struct HooksTests {
    static let today = Fixtures.day("2026-11-02")
    static let now = Timestamp(day: today, hour: 9, minute: 30)

    func make(_ dir: TemporaryDirectory) throws -> Repository {
        let repo = try Repository.create(
            at: dir.sub("repo"), settings: Settings(officeName: "青山县委督查室"), login: "clerk", at: Self.now)
        for name in ["县交通局", "县住建局"] {
            try repo.commit(.addUnit(Unit(name: name, kind: .department)), login: "clerk", at: Self.now, today: Self.today)
        }
        try repo.commit(.addUser(User(login: "jtj", role: .unit, unit: "县交通局")), login: "clerk", at: Self.now, today: Self.today)
        return repo
    }

    func ops(_ repo: Repository, today: Day = HooksTests.today) -> Operations {
        Operations(
            store: repo, login: "clerk", uid: nil, clock: RecordClock(now: { Self.now }), calendar: Fixtures.calendar,
            today: today)
    }

    /// Writes an executable script.
    func script(_ path: String, _ body: String, mode: mode_t = 0o755) throws {
        try Script.write("#!/bin/sh\n" + body + "\n", to: path, mode: mode)
    }

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func register(_ ops: Operations) throws -> Outcome {
        try ops.run(.register(ItemInput(lead: "县交通局", [.title: "修复城南道路", .deadline: "2026-11-05", .coUnits: "县住建局"])))
    }

    @Test func aHookGetsTheRecordAsJSONOnStdinAfterTheCommit() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let ops = ops(repo)
        // The hook sees the record already in the journal: it runs after the commit.
        try script(dir.sub("hook"), "cat > \(dir.sub("got"))\ngrep -c 修复城南道路 \(repo.journalPath) > \(dir.sub("journal"))")
        _ = try ops.run(.setting(key: "hook.交办", value: dir.sub("hook")))
        let outcome = try register(ops)
        #expect(outcome.notes.isEmpty)
        let got = read(dir.sub("got"))
        #expect(got.hasPrefix("{\"event\":\"交办\",\"number\":\"督〔2026〕第0001号\",\"title\":\"修复城南道路\",\"lead\":\"县交通局\""))
        #expect(got.contains("\"co\":[\"县住建局\"]") && got.contains("\"deadline\":\"2026-11-05\""))
        #expect(got.contains("\"lead_users\":[\"jtj\"]") && got.contains("\"actor\":\"clerk\""))
        #expect(read(dir.sub("journal")) == "1\n")
        // Another event's hook is not run for it; a reminder runs the 催办 hook.
        try script(dir.sub("remind"), "cat > \(dir.sub("reminded"))")
        _ = try ops.run(.setting(key: "hook.催办", value: dir.sub("remind")))
        #expect(!FileManager.default.fileExists(atPath: dir.sub("reminded")))
        _ = try ops.run(.act(try ItemReference.parse("1"), .action(.remind(method: .phone, note: "请尽快"))))
        #expect(read(dir.sub("reminded")).contains("\"event\":\"催办\""))
    }

    @Test func aSlowHookIsKilledAtTheLimitAndTheRecordKept() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let ops = ops(repo)
        ops.hooks.timeLimit = 0.5
        // It leaves a child behind, too: both are killed.
        try script(dir.sub("slow"), "(sleep 3; echo child > \(dir.sub("child"))) &\nsleep 3\necho done > \(dir.sub("done"))")
        _ = try ops.run(.setting(key: "hook.交办", value: dir.sub("slow")))
        let outcome = try register(ops)
        #expect(outcome.summary.hasPrefix("已立项交办 督〔2026〕第0001号"))
        #expect(outcome.notes == ["通知程序（交办，督〔2026〕第0001号）超过 0.5 秒未结束，已终止，详见 hooks.log；记录不受影响"])
        #expect(read(repo.directory + "/hooks.log").contains("交办 督〔2026〕第0001号 \(dir.sub("slow"))：超过 0.5 秒未结束，已终止"))
        let reopened = try Repository.open(at: repo.directory)
        #expect(reopened.ledger.items.map(\.title) == ["修复城南道路"])
        // Killed, not waited for: neither it nor its child got to write.
        usleep(3_500_000)
        #expect(!FileManager.default.fileExists(atPath: dir.sub("done")))
        #expect(!FileManager.default.fileExists(atPath: dir.sub("child")))
    }

    @Test func aFailingHookIsLoggedWithItsOutputAndChangesNothing() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let ops = ops(repo)
        try script(dir.sub("fail"), "cat > /dev/null\necho 邮件服务器连不上 >&2\nexit 3")
        _ = try ops.run(.setting(key: "hook.交办", value: dir.sub("fail")))
        let outcome = try register(ops)
        #expect(outcome.entries.count == 1)
        #expect(outcome.notes == ["通知程序（交办，督〔2026〕第0001号）以状态 3 退出，详见 hooks.log；记录不受影响"])
        let log = read(repo.directory + "/hooks.log")
        #expect(log.contains("交办 督〔2026〕第0001号 \(dir.sub("fail"))：以状态 3 退出；输出：邮件服务器连不上\n"))
        #expect(try Repository.open(at: repo.directory).ledger.items.count == 1)
    }

    @Test func aHookSettingMustNameAnExecutableFile() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let ops = ops(repo)
        let seq = repo.ledger.seq
        try script(dir.sub("plain"), "true", mode: 0o644)
        for (value, message) in [
            ("relative/hook", "通知程序有误：应写绝对路径（以 / 开头），而不是“relative/hook”"),
            (dir.sub("missing"), "通知程序有误：找不到通知程序 \(dir.sub("missing"))"),
            (dir.sub("plain"), "通知程序有误：通知程序 \(dir.sub("plain")) 没有执行权限"),
            (dir.path, "通知程序有误：通知程序 \(dir.path) 不是普通文件"),
        ] {
            do {
                _ = try ops.run(.setting(key: "hook.交办", value: value))
                Issue.record("\(value) 应被拒绝")
            } catch {
                #expect(error.message == message)
            }
        }
        do {
            _ = try ops.run(.setting(key: "hook.开会", value: "/bin/true"))
            Issue.record("没有这一事件")
        } catch {
            #expect(error.message.contains("没有“开会”这一通知事件"))
        }
        #expect(repo.ledger.seq == seq)
        // `-` clears it.
        _ = try ops.run(.setting(key: "hook.交办", value: "/bin/true"))
        #expect(repo.ledger.settings.hooks[.assign] == "/bin/true")
        _ = try ops.run(.setting(key: "hook.交办", value: "-"))
        #expect(repo.ledger.settings.hooks.isEmpty)
    }

    @Test func onASharedServerOnlyProgramsNoOneElseMayChangeAreRun() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let folder = dir.sub("hooks")
        mkdir(folder, 0o755)
        var hooks = Hooks(directory: repo.directory)
        hooks.system = true
        hooks.serviceUID = getuid()
        let path = folder + "/mail"
        try script(path, "cat > \(dir.sub("ran"))")
        #expect(hooks.refusal(path) == nil)
        // Writable by the group or by others: refused, and not run.
        chmod(path, 0o775)
        #expect(hooks.refusal(path) == "共享服务器上不运行通知程序 \(path)：该文件可由其他用户修改（组或其他人有写权限）")
        #expect(hooks.run(path, payload: "{}", event: .assign) == .refused(hooks.refusal(path)!))
        #expect(!FileManager.default.fileExists(atPath: dir.sub("ran")))
        // Its folder writable by others: the file could be replaced.
        chmod(path, 0o755)
        chmod(folder, 0o777)
        #expect(hooks.refusal(path) == "共享服务器上不运行通知程序 \(path)：其所在目录 \(folder) 可由其他用户修改（组或其他人有写权限）")
        chmod(folder, 0o755)
        // Owned by someone who is neither root nor the service account.
        if getuid() != 0 {
            hooks.serviceUID = getuid() + 1
            #expect(hooks.refusal(path)?.contains("所有者既不是 root 也不是 ducha 系统账户") == true)
        } else {
            chown(path, 4242, 4242)
            #expect(hooks.refusal(path)?.contains("所有者既不是 root 也不是 ducha 系统账户") == true)
            chown(path, 0, 0)
        }
        // Outside a shared server the user runs their own programs.
        hooks.system = false
        chmod(path, 0o777)
        #expect(hooks.refusal(path) == nil)
        #expect(hooks.run(path, payload: "{}", event: .assign) == .done)
        #expect(read(dir.sub("ran")) == "{}\n")
    }

    @Test func yellowAndRedLightsAreNotifiedOncePerChange() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        try script(dir.sub("light"), "cat >> \(dir.sub("lights"))")
        _ = try ops(repo).run(.setting(key: "hook.临期", value: dir.sub("light")))
        _ = try ops(repo).run(.setting(key: "hook.逾期", value: dir.sub("light")))
        _ = try register(ops(repo))
        func events() -> [String] {
            read(dir.sub("lights")).split(separator: "\n").map { line in
                line.contains("\"event\":\"临期\"") ? "临期" : line.contains("\"event\":\"逾期\"") ? "逾期" : String(line)
            }
        }
        // Green six working days before its deadline (临期 is 3 or fewer).
        #expect(ops(repo, today: Fixtures.day("2026-10-28")).notifyLights().isEmpty)
        #expect(events() == [])
        #expect(ops(repo, today: Fixtures.day("2026-11-03")).notifyLights().isEmpty)
        #expect(events() == ["临期"])
        // Found again on the next run or the next day: not notified again.
        _ = ops(repo, today: Fixtures.day("2026-11-03")).notifyLights()
        _ = ops(repo, today: Fixtures.day("2026-11-04")).notifyLights()
        #expect(events() == ["临期"])
        _ = ops(repo, today: Fixtures.day("2026-11-06")).notifyLights()
        _ = ops(repo, today: Fixtures.day("2026-11-09")).notifyLights()
        #expect(events() == ["临期", "逾期"])
        #expect(read(dir.sub("lights")).contains("\"light\":\"逾期\",\"remaining\":\"逾期1天\""))
        #expect(read(repo.directory + "/hooks-state") == "督〔2026〕第0001号\tred\n")
    }
}

/// The example hook in data/hooks mails the unit's users through sendmail, and says so (exit 0)
/// when there is none.
@Suite struct MailUnitHookTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/hooks/mail-unit").path

    func run(_ sendmail: String, _ input: String) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.script)
        p.environment = ["SENDMAIL": sendmail]
        let stdin = Pipe()
        let stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        try p.run()
        stdin.fileHandleForWriting.write(input.data(using: .utf8)!)
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    let payload =
        #"{"event":"交办","number":"督〔2026〕第0001号","title":"修复城南道路","lead":"县交通局","co":["县住建局"],"#
        + #""deadline":"2026-11-05","state":"待签收","lead_users":["jtj"],"co_users":["zjj"],"what":"立项交办"}"#

    @Test func itMailsTheUnitsUsersOrSaysThereIsNoSendmail() throws {
        let dir = TemporaryDirectory()
        let fake = dir.sub("sendmail")
        try "#!/bin/sh\necho \"$*\" > \(dir.sub("args"))\ncat > \(dir.sub("mail"))\n".write(
            toFile: fake, atomically: false, encoding: .utf8)
        chmod(fake, 0o755)
        let sent = try run(fake, payload)
        #expect(sent.status == 0)
        #expect(try String(contentsOfFile: dir.sub("args"), encoding: .utf8) == "-oi -- jtj zjj\n")
        let mail = try String(contentsOfFile: dir.sub("mail"), encoding: .utf8)
        #expect(mail.hasPrefix("To: jtj, zjj\n"))
        #expect(mail.contains("事项：督〔2026〕第0001号 修复城南道路\n") && mail.contains("办理时限：2026-11-05\n"))
        // Quotes in a title come through as typed.
        let quoted = payload.replacingOccurrences(of: "修复城南道路", with: #"关于\"三服务\"活动"#)
        #expect(try run(fake, quoted).status == 0)
        #expect(try String(contentsOfFile: dir.sub("mail"), encoding: .utf8).contains("事项：督〔2026〕第0001号 关于\"三服务\"活动\n"))
        let none = try run(dir.sub("no-sendmail"), payload)
        #expect(none.status == 0)
        #expect(none.output == "mail-unit：本机没有 sendmail（\(dir.sub("no-sendmail"))），未发送邮件\n")
    }
}

extension HooksTests {
    /// A 分别办理 item: one 交办 per unit's part, each with its unit and the state it shows; none
    /// for the item itself, which has no recipient.
    @Test func aSplitItemIsHandedOutOncePerUnit() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let ops = ops(repo)
        try script(dir.sub("hook"), "cat >> \(dir.sub("got"))\necho >> \(dir.sub("got"))")
        _ = try ops.run(.setting(key: "hook.交办", value: dir.sub("hook")))
        _ = try ops.run(.register(ItemInput(lead: "县交通局、县住建局", [.title: "修复城南道路", .deadline: "2026-11-20"])))
        let lines = read(dir.sub("got")).split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.allSatisfy { !$0.contains("\"lead\":\"\"") && $0.contains("\"state\":\"待签收\"") }, "\(lines)")
        #expect(lines.contains { $0.contains("\"shownNumber\":\"督〔2026〕第0001号（县住建局）\"") }, "\(lines)")
        let n = ItemNumber(prefix: "", year: 2026, serial: 1)
        func whole() -> String { Hooks.payload(.assign, item: repo.ledger.item(n)!, entry: nil, ledger: repo.ledger) }
        // The item itself says the state it shows, its parts': none has signed yet.
        #expect(whole().contains("\"state\":\"待签收\""), "\(whole())")
        _ = try ops.run(.act(ItemReference(n).part("县交通局"), .action(.sign)))
        #expect(whole().contains("\"state\":\"办理中\""), "\(whole())")
    }
}
