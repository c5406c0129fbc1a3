import DuchaCore
import DuchaPostgres
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// Nothing lost: concurrent writers, killed writers, a full disk, a read-only folder. Each test
/// prints the figure it reached. With DUCHA_TEST_BACKEND=postgresql the ledger is a database
/// (the full disk and the read-only folder are the files' concern and do not run then).
@Suite(.serialized) struct ReliabilityTests {
    static let today = "2026-11-02"

    /// A repository with one unit and item 1 signed, for feedback to pile onto.
    static func repository(_ dir: TemporaryDirectory) throws -> String {
        let repo = TestBackend.repository(dir)
        for args in [
            ["init", "--test-clock"] + TestBackend.createOptions, ["unit", "add", "县财政局"],
            ["add", "--title", "压力测试事项", "--lead", "县财政局", "--deadline", "2026-12-31"],
            ["sign", "1"],
        ] {
            let r = try Binary.run(["--repo", repo, "--today", today] + args)
            #expect(r.status == 0, "\(args)：\(r.stderr)")
        }
        return repo
    }

    /// The ledger's store, as one process sees it: the files or the database.
    static func open(_ repo: String) throws -> LedgerStore {
        TestBackend.postgres ? try PostgresStore.open(repo) : try Repository.open(at: repo)
    }

    static func feedbackTexts(_ repo: String) throws -> [String] {
        let ledger = try open(repo).ledger
        return ledger.items[0].history.compactMap { e in
            if case .item(_, .feedback(let t)) = e.change { return t }
            return nil
        }
    }

    @Test func eightWritersTwoHundredEachWhileAReaderReloads() throws {
        let dir = TemporaryDirectory("ducha-concurrency")
        let repo = try ReliabilityTests.repository(dir)
        let writers = 8
        let each = 200
        let failures = Counter()
        let done = Counter()
        let reloads = Counter()
        let readerProblems = Counter()
        let start = Date()
        let group = DispatchGroup()
        // The reader: one process's view, refreshed all along; counts never go backwards.
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            guard let reader = try? ReliabilityTests.open(repo) else {
                readerProblems.add()
                return
            }
            var last = 0
            while done.value < writers {
                do {
                    try reader.refresh()
                    let n = reader.ledger.items[0].history.count
                    if n < last { readerProblems.add() }
                    if n > last { reloads.add() }
                    last = n
                    usleep(1000)
                } catch {
                    readerProblems.add()
                }
            }
        }
        for w in 0..<writers {
            group.enter()
            Thread.detachNewThread {
                defer {
                    done.add()
                    group.leave()
                }
                for i in 0..<each {
                    let r = try? Binary.run(["--repo", repo, "--today", ReliabilityTests.today, "feedback", "1", "写者\(w)第\(i)条"])
                    if r?.status != 0 { failures.add() }
                }
            }
        }
        group.wait()
        let seconds = Date().timeIntervalSince(start)
        let texts = try ReliabilityTests.feedbackTexts(repo)
        print(
            "并发：\(writers) 个进程各提交 \(each) 条反馈，台账中 \(texts.count) 条，被拒 \(failures.value) 条；读者读到新提交 \(reloads.value) 次、异常 \(readerProblems.value) 次；用时 \(Int(seconds)) 秒"
        )
        #expect(texts.count == writers * each)
        #expect(Set(texts).count == writers * each, "每条恰好一次")
        #expect(failures.value == 0)
        #expect(readerProblems.value == 0)
        #expect(reloads.value > 0)
        let check = try Binary.run(["--repo", repo, "check"])
        #expect(check.status == 0 && check.stdout.contains("检查通过"), "\(check.stdout)")
    }

    @Test func twoReviewersAtOnceExactlyOneWins() throws {
        let dir = TemporaryDirectory("ducha-race")
        let repo = try ReliabilityTests.repository(dir)
        let rounds = 12
        var approveWins = 0
        var returnWins = 0
        for round in 0..<rounds {
            let n = String(round + 2)
            for args in [
                ["add", "--title", "事项\(round)", "--lead", "县财政局", "--deadline", "2026-12-31"], ["sign", n],
                ["complete", n, "已办完"],
            ] {
                #expect(try Binary.run(["--repo", repo, "--today", ReliabilityTests.today] + args).status == 0)
            }
            let results = Box<[Int: Binary.Result]>([:])
            let barrier = DispatchGroup()
            let go = DispatchSemaphore(value: 0)
            for (k, args) in [["review", n, "--approve"], ["review", n, "--return", "材料不全"]].enumerated() {
                barrier.enter()
                Thread.detachNewThread {
                    go.wait()
                    let r = try? Binary.run(["--repo", repo, "--today", ReliabilityTests.today] + args)
                    results.update { $0[k] = r }
                    barrier.leave()
                }
            }
            go.signal()
            go.signal()
            barrier.wait()
            let approve = results.value[0]!
            let ret = results.value[1]!
            #expect([approve.status, ret.status].sorted() == [0, 1], "恰好一个成功：\(approve.stderr) \(ret.stderr)")
            let loser = approve.status == 1 ? approve : ret
            #expect(loser.stderr.contains("错误：不能审核"), "\(loser.stderr)")
            if approve.status == 0 { approveWins += 1 } else { returnWins += 1 }
            // Nothing half-applied: exactly one review entry follows the completion request.
            let log = try Binary.run(["--repo", repo, "log", n]).stdout
            let reviews = log.components(separatedBy: "审核通过").count - 1 + log.components(separatedBy: "审核退回").count - 1
            #expect(reviews == 1)
        }
        print("同时审核：\(rounds) 轮，每轮恰好一方成功（通过 \(approveWins) 次，退回 \(returnWins) 次），另一方收到中文拒绝")
        #expect(try Binary.run(["--repo", repo, "check"]).status == 0)
    }

    @Test(.disabled(if: TestBackend.postgres, "ducha-torture 写的是台账文件；数据库见 killedCommandsNeverLoseAnAcknowledgedCommit"))
    func killedWritersNeverLoseAnAcknowledgedCommit() throws {
        let dir = TemporaryDirectory("ducha-crash")
        let repo = try ReliabilityTests.repository(dir)
        let torture = Fixtures.packageRoot + "/.build/debug/ducha-torture"
        var acknowledged: [String] = []
        var kills = 0
        var compactions = 0
        var round = 0
        var interrupted = 0
        var random = SystemRandomNumberGenerator()
        // On a loaded machine a writer may be killed before it commits anything: the kill then
        // comes later, so that every run exercises as many commits, whatever the load.
        var later: UInt32 = 0
        while acknowledged.count < 400 || compactions < 4 || kills < 40 {
            round += 1
            let p = Process()
            p.executableURL = URL(fileURLWithPath: torture)
            p.arguments = [repo, "r\(round)", "100000", "3000"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 5_000...60_000, using: &random) + later)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            kills += 1
            let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
            var lastCompactions = 0
            for l in lines {
                let parts = l.split(separator: " ")
                guard parts.count == 3, parts[0] == "ok" else { continue }
                acknowledged.append(String(parts[1]))
                lastCompactions = Int(parts[2]) ?? 0
            }
            compactions += lastCompactions
            let committed = lines.filter { $0.hasPrefix("ok ") }.count
            later = committed == 0 ? min(later + 20_000, 500_000) : later / 2
            // After every kill the repository loads and holds every acknowledged commit.
            let present = Set(try ReliabilityTests.feedbackTexts(repo))
            let missing = acknowledged.filter { !present.contains($0) }
            #expect(missing.isEmpty, "第 \(round) 轮后缺少已确认的提交：\(missing.prefix(3))")
            let report = RepositoryCheck.run(directory: repo)
            #expect(report.problems.isEmpty, "\(report.problems)")
            // A torn journal line or a left-over temporary snapshot: the kill landed mid-write.
            if !report.notes.isEmpty { interrupted += 1 }
            if !missing.isEmpty || !report.problems.isEmpty || round > 400 { break }
        }
        print(
            "崩溃：SIGKILL \(kills) 次（其中 \(interrupted) 次打断在写入途中），已确认的 \(acknowledged.count) 条提交全部保留，其间整理快照 \(compactions) 次，ducha check 每次均通过"
        )
        #expect(acknowledged.count >= 400)
        #expect(compactions >= 4)
    }

    /// kill -9 of `ducha feedback` processes at random moments, on either backend: every
    /// command that said it had recorded (exit status 0) is in the ledger, and check passes.
    @Test func killedCommandsNeverLoseAnAcknowledgedCommit() throws {
        let dir = TemporaryDirectory("ducha-kill")
        let repo = try ReliabilityTests.repository(dir)
        var acknowledged: [String] = []
        var killed = 0
        var random = SystemRandomNumberGenerator()
        var round = 0
        while (acknowledged.count < 40 || killed < 40) && round < 400 {
            round += 1
            let text = "第\(round)条"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Binary.path)
            p.arguments = ["--repo", repo, "--today", ReliabilityTests.today, "feedback", "1", text]
            p.environment = ["LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "HOME": dir.path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 0...120_000, using: &random))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .exit, p.terminationStatus == 0 {
                acknowledged.append(text)
            } else {
                killed += 1
            }
        }
        let present = Set(try ReliabilityTests.feedbackTexts(repo))
        let missing = acknowledged.filter { !present.contains($0) }
        print("崩溃（命令）：\(round) 个 ducha feedback 中 \(killed) 个被 SIGKILL 打断，已确认的 \(acknowledged.count) 条全部保留")
        #expect(missing.isEmpty, "缺少已确认的提交：\(missing.prefix(3))")
        #expect(killed > 0 && !acknowledged.isEmpty)
        let check = try Binary.run(["--repo", repo, "check"])
        #expect(check.status == 0 && check.stdout.contains("检查通过"), "\(check.stdout)")
    }

    @Test(
        .enabled(if: geteuid() == 0, "需要 root 才能挂载小容量 tmpfs"),
        .disabled(if: TestBackend.postgres, "磁盘已满是台账文件的事"))
    func aFullDiskRefusesClearlyAndLosesNothing() throws {
        let dir = TemporaryDirectory("ducha-full")
        let mountPoint = dir.sub("disk")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard OSAccounts.shell("mount -t tmpfs -o size=512k tmpfs '\(mountPoint)'") == 0 else {
            Issue.record("无法挂载 tmpfs，不能模拟磁盘已满")
            return
        }
        defer { OSAccounts.shell("umount '\(mountPoint)'") }
        let repo = mountPoint + "/repo"
        for args in [
            ["init", "--test-clock"], ["unit", "add", "县财政局"],
            ["add", "--title", "事项", "--lead", "县财政局", "--deadline", "2026-12-31"],
        ] {
            #expect(try Binary.run(["--repo", repo, "--today", ReliabilityTests.today] + args).status == 0)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl"))
        // Fill the disk.
        OSAccounts.shell("dd if=/dev/zero of='\(mountPoint)/filler' bs=4k 2>/dev/null")
        let long = String(repeating: "进展", count: 4000)
        let r = try Binary.run(["--repo", repo, "--today", ReliabilityTests.today, "feedback", "1", "-"], stdin: long)
        #expect(r.status == 1)
        #expect(r.stderr.contains("磁盘空间已满"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl")) == before, "日志恢复原样，没有半行")
        // Space freed: everything as before, and it works again.
        OSAccounts.shell("rm -f '\(mountPoint)/filler'")
        #expect(try Binary.run(["--repo", repo, "check"]).stdout.contains("检查通过"))
        #expect(try Binary.run(["--repo", repo, "--today", ReliabilityTests.today, "feedback", "1", "空间释放后的进展"]).status == 0)
        print("磁盘已满：提交被拒（“磁盘空间已满”），日志与之前逐字节相同；释放空间后恢复正常")
    }

    @Test(
        .enabled(if: OSAccounts.canCreate, "需要 root 才能用 useradd 创建测试账号"),
        .disabled(if: TestBackend.postgres, "只读目录是台账文件的事"))
    func aReadOnlyFolderRefusesClearlyAndLosesNothing() throws {
        try OSAccounts.ensure("duchat_ro", group: "duchat")
        let dir = TemporaryDirectory("ducha-ro")
        let binary = OSAccounts.install(into: dir.sub("prefix"))
        let repo = try ReliabilityTests.repository(dir)
        OSAccounts.share(dir.path, group: "duchat")
        // The folder and its files become read-only for the group.
        OSAccounts.shell("chmod g-w '\(repo)' '\(repo)'/*")
        let before = try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl"))
        let read = try Binary.run(
            ["--repo", repo, "--today", ReliabilityTests.today, "list"], runAs: "duchat_ro", binary: binary)
        #expect(read.status == 0 && read.stdout.contains("压力测试事项"), "只读时仍可查看：\(read.stderr)")
        let write = try Binary.run(
            ["--repo", repo, "--today", ReliabilityTests.today, "feedback", "1", "进展"], runAs: "duchat_ro", binary: binary)
        #expect(write.status == 1 && write.stderr.contains("没有权限"), "\(write.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl")) == before)
        print("只读目录：查看正常，提交被拒（“没有权限”），台账未改动")
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private var n = 0
    private let lock = NSLock()
    func add() {
        lock.lock()
        n += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return n
    }
}

/// A thread-safe box.
final class Box<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    func update(_ f: (inout T) -> Void) {
        lock.lock()
        f(&v)
        lock.unlock()
    }
    var value: T {
        lock.lock()
        defer { lock.unlock() }
        return v
    }
}
