import DuchaCore
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// The repository's files as someone with a shell in its folder may leave them, and a
/// compaction that fails: read with limits, never followed, and a written record always stands.
@Suite struct HostileFileStoreTests {
    static let today = Fixtures.day("2026-11-02")
    static let now = Timestamp(day: today, hour: 9, minute: 0)

    func make(_ dir: TemporaryDirectory) throws -> Repository {
        let repo = try Repository.create(
            at: dir.sub("repo"), settings: Settings(officeName: "青山县委督查室"), login: "clerk", at: HostileFileStoreTests.now)
        try repo.commit(.addUnit(Unit(name: "县财政局", kind: .department)), login: "clerk", at: Self.now, today: Self.today)
        let r = Registration(
            title: "城区停车难治理", source: "领导批示", leadUnit: "县财政局", assignedOn: Self.today, deadline: Fixtures.day("2026-11-30"))
        try repo.commit(.register(r), login: "clerk", at: Self.now, today: Self.today)
        return repo
    }

    @discardableResult
    func feedback(_ repo: Repository, _ text: String) throws -> [Entry] {
        try repo.commit(
            .act(try ItemReference.parse("1"), .action(.feedback(text: text))), login: "clerk", at: Self.now, today: Self.today)
    }

    func temporaries(_ repo: Repository) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: repo.directory).filter { $0.hasPrefix("ducha.json.tmp") }
    }

    @Test func aCommitWhoseCompactionFailsIsAcknowledgedWithAWarningAndCompactionIsRetried() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        repo.compactionThreshold = 1
        struct Full: Error {}
        repo.compactionProbe = { if $0 == .temporaryHalfWritten { throw Full() } }
        let journal = try Data(contentsOf: URL(fileURLWithPath: repo.journalPath))
        // The record is written and fsynced before compaction: the commit stands.
        let entries = try feedback(repo, "整理失败时仍应保存的进展")
        #expect(entries.count == 1)
        #expect(repo.compactions == 0)
        let warning = repo.warnings.last ?? ""
        #expect(warning.contains("记录已保存") && warning.contains("下次提交时将再次整理"), "\(repo.warnings)")
        let after = try Data(contentsOf: URL(fileURLWithPath: repo.journalPath))
        #expect(after.count > journal.count && String(decoding: after, as: UTF8.self).contains("整理失败时仍应保存的进展"))
        #expect(try temporaries(repo).isEmpty, "失败的整理不留临时文件")
        // Another process sees it; the next commit compacts.
        #expect(try Repository.open(at: repo.directory).ledger.seq == repo.ledger.seq)
        repo.compactionProbe = nil
        try feedback(repo, "下一次提交")
        #expect(repo.compactions == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo.journalPath)).isEmpty, "日志已并入快照")
        let reopened = try Repository.open(at: repo.directory)
        #expect(reopened.ledger.items == repo.ledger.items)
        // commitAll (import) likewise.
        repo.compactionProbe = { if $0 == .temporaryWritten { throw Full() } }
        let all = try repo.commitAll(
            [.addUnit(Unit(name: "县发改局", kind: .department)), .addUnit(Unit(name: "县水利局", kind: .department))], login: "clerk",
            at: Self.now, today: Self.today)
        #expect(all.count == 2 && repo.warnings.last?.contains("记录已保存") == true)
        #expect(try Repository.open(at: repo.directory).ledger.units.count == 3)
    }

    @Test func temporarySnapshotsHaveUnpredictableNamesAndStaleOnesAreRemovedWithoutFollowing() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        // What someone planted under the old fixed name, and under the new pattern.
        let secret = dir.sub("secret")
        try Data("私人文件".utf8).write(to: URL(fileURLWithPath: secret))
        try FileManager.default.createSymbolicLink(atPath: repo.directory + "/ducha.json.tmp", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(
            atPath: repo.directory + "/ducha.json.tmp.AbCd1234", withDestinationPath: secret)
        // A folder under the pattern cannot stop compaction any more.
        try FileManager.default.createDirectory(
            atPath: repo.directory + "/ducha.json.tmp.Zz99Zz99", withIntermediateDirectories: false)
        var names: Set<String> = []
        repo.compactionProbe = { step in
            if step == .temporaryWritten { names.formUnion(try self.temporaries(repo)) }
        }
        try repo.compact()
        try feedback(repo, "再一次")
        try repo.compact()
        #expect(repo.compactions == 2)
        // The links were removed (never followed); the target is untouched.
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "私人文件")
        #expect(try temporaries(repo) == ["ducha.json.tmp.Zz99Zz99"])
        let made = names.subtracting(["ducha.json.tmp.Zz99Zz99", "ducha.json.tmp", "ducha.json.tmp.AbCd1234"])
        #expect(made.count == 2, "两次整理用了两个不同的随机名：\(names)")
        for name in made {
            #expect(name.hasPrefix("ducha.json.tmp.") && name.count == "ducha.json.tmp.".count + 8)
        }
        #expect(try Repository.open(at: repo.directory).ledger.items == repo.ledger.items)
    }

    @Test func aSnapshotLineLongerThanAnyItemIsRefusedInEveryReading() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        try feedback(repo, "进展一")
        try repo.compact()
        let text = try String(contentsOfFile: repo.snapshotPath, encoding: .utf8)
        #expect(text.contains("进展一"))
        // 66 MB of one item's line, valid JSON, consistent with itself.
        let huge = text.replacingOccurrences(of: "进展一", with: String(repeating: "长", count: 22 << 20))
        try huge.write(toFile: repo.snapshotPath, atomically: false, encoding: .utf8)
        for mode in [Repository.LoadMode.full, .summary, .only([ItemNumber(prefix: "", year: 2026, serial: 1)])] {
            let e = #expect(throws: StoreError.self) { try Repository.open(at: repo.directory, mode: mode) }
            guard case .badSnapshot(let path, let reason) = e else {
                Issue.record("应为快照行过长：\(String(describing: e))")
                continue
            }
            #expect(path == repo.snapshotPath)
            #expect(reason.contains("超过上限") && reason.hasPrefix("第 "), "\(reason)")
        }
    }

    @Test func aJournalLineLongerThanAnyRecordIsRefusedNamingFileAndLine() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        try feedback(repo, "进展一")
        try feedback(repo, "进展二")
        let text = try String(contentsOfFile: repo.journalPath, encoding: .utf8)
        // A valid record of 1.2 MB: the 10,000-character limit holds only on input.
        let huge = text.replacingOccurrences(of: "进展一", with: String(repeating: "长", count: 400_000))
        try huge.write(toFile: repo.journalPath, atomically: false, encoding: .utf8)
        for mode in [Repository.LoadMode.full, .summary, .only([])] {
            let e = #expect(throws: StoreError.self) { try Repository.open(at: repo.directory, mode: mode) }
            guard case .badJournal(let path, let line, let reason) = e else {
                Issue.record("应为日志行过长：\(String(describing: e))")
                continue
            }
            #expect(path == repo.journalPath && line == 3 && reason.contains("超过上限"), "\(reason)")
        }
    }

    @Test func aPipeOrAFolderInPlaceOfARepositoryFileIsRefusedAtOnce() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        for (name, kind) in [("journal.jsonl", "命名管道"), ("ducha.json", "命名管道"), ("lock", "命名管道"), ("journal.jsonl", "目录")] {
            let path = repo.directory + "/" + name
            try FileManager.default.moveItem(atPath: path, toPath: dir.sub("aside"))
            if kind == "目录" {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            } else {
                #expect(mkfifo(path, 0o660) == 0)
            }
            #expect(throws: StoreError.notRegular(path, kind)) { try Repository.open(at: repo.directory) }
            #expect(throws: StoreError.notRegular(path, kind)) { try feedback(repo, "x") }
            let report = RepositoryCheck.run(directory: repo.directory)
            #expect(report.problems.contains { $0.contains("\(path) 不是普通文件（\(kind)），拒绝使用") }, "\(report.problems)")
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: dir.sub("aside"), toPath: path)
        }
        #expect(StoreError.notRegular(repo.journalPath, "命名管道").message == "台账日志 \(repo.journalPath) 不是普通文件（命名管道），拒绝使用")
        #expect(try Repository.open(at: repo.directory).ledger.items.count == 1)
    }

    @Test func aRepositoryFolderThatIsALinkIsRefused() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let link = dir.sub("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: repo.directory)
        #expect(throws: StoreError.symlink(link)) { try Repository.open(at: link) }
    }

    @Test func aHeldLockIsWaitedForWithinLimitsAndTheRefreshNeverWaits() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let other = try Repository.open(at: repo.directory)
        // Another open file description holds the lock, as another process would.
        let fd = open(repo.lockPath, O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        defer { close(fd) }
        let journal = try Data(contentsOf: URL(fileURLWithPath: repo.journalPath))
        // The refresh sees changed files but skips its turn instead of waiting.
        utimensat(AT_FDCWD, repo.snapshotPath, nil, 0)
        #expect(try other.refresh() == false)
        // A commit gives up after lockTimeout, saying so once after a second.
        var notes = 0
        repo.onLockWait = { notes += 1 }
        repo.lockTimeout = 1.3
        #expect(throws: StoreError.lockTimeout(repo.lockPath, 1.3)) { try feedback(repo, "等锁") }
        #expect(notes == 1)
        // Or when asked to (the interface's q), before any second has passed.
        repo.lockTimeout = 30
        var asked = 0
        repo.shouldGiveUpWaiting = {
            asked += 1
            return asked == 3
        }
        #expect(throws: StoreError.lockAbandoned(repo.lockPath)) { try feedback(repo, "放弃等待") }
        #expect(asked == 3 && notes == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo.journalPath)) == journal, "什么也没有写入")
        #expect(StoreError.lockTimeout(repo.lockPath, 1.3).message.contains("已超过 1.3 秒，已放弃，未作任何改动"))
        // Released: the refresh catches up, the commit goes through.
        flock(fd, LOCK_UN)
        #expect(try other.refresh() == true)
        try feedback(repo, "锁释放后")
        #expect(try other.refresh() == true && other.ledger.seq == repo.ledger.seq)
    }
}
