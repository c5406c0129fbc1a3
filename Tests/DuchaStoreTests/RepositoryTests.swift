import DuchaCore
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

@Suite struct RepositoryTests {
    static let today = Fixtures.day("2026-11-02")
    static let now = Timestamp(day: today, hour: 9, minute: 0)

    /// A repository with two units and one item.
    func make(_ dir: TemporaryDirectory) throws -> Repository {
        let repo = try Repository.create(
            at: dir.sub("repo"), settings: Settings(officeName: "青山县委督查室"), login: "clerk", at: RepositoryTests.now)
        try repo.commit(
            .addUnit(Unit(name: "县财政局", kind: .department)), login: "clerk", at: RepositoryTests.now, today: RepositoryTests.today
        )
        try repo.commit(
            .addUnit(Unit(name: "县发改局", kind: .department)), login: "clerk", at: RepositoryTests.now, today: RepositoryTests.today
        )
        let r = Registration(
            title: "城区停车难治理", source: "领导批示", leadUnit: "县财政局", assignedOn: RepositoryTests.today,
            deadline: Fixtures.day("2026-11-30"))
        try repo.commit(.register(r), login: "clerk", at: RepositoryTests.now, today: RepositoryTests.today)
        return repo
    }

    func feedback(_ repo: Repository, _ text: String, login: String = "clerk") throws {
        let ref = try ItemReference.parse("1")
        try repo.commit(
            .act(ref, .action(.feedback(text: text))), login: login, at: RepositoryTests.now, today: RepositoryTests.today)
    }

    func feedbackCount(_ repo: Repository) -> Int {
        repo.ledger.items.first!.history.filter { if case .item(_, .feedback) = $0.change { true } else { false } }.count
    }

    @Test func commitsSurviveReopening() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        try feedback(repo, "已召开专题会议")
        let again = try Repository.open(at: repo.directory)
        #expect(again.ledger.seq == repo.ledger.seq)
        #expect(again.ledger.items == repo.ledger.items)
        #expect(again.ledger.units.map(\.name) == ["县财政局", "县发改局"])
    }

    @Test func anotherProcessesCommitIsPickedUpByRefresh() throws {
        let dir = TemporaryDirectory()
        let a = try make(dir)
        let b = try Repository.open(at: a.directory)
        #expect(try b.refresh() == false)
        try feedback(a, "进展一")
        #expect(try b.refresh() == true)
        #expect(feedbackCount(b) == 1)
        // After a compaction by A, B reloads from the new snapshot.
        try a.compact()
        try feedback(a, "进展二")
        #expect(try b.refresh() == true)
        #expect(b.ledger.items == a.ledger.items)
    }

    @Test func aRefusedRequestWritesNothing() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let before = try Data(contentsOf: URL(fileURLWithPath: repo.journalPath))
        #expect(throws: StoreError.refused(.unknownUnit("县水利局"))) {
            let r = Registration(
                title: "x", source: "领导批示", leadUnit: "县水利局", assignedOn: RepositoryTests.today, deadline: RepositoryTests.today)
            try repo.commit(.register(r), login: "clerk", at: RepositoryTests.now, today: RepositoryTests.today)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo.journalPath)) == before)
    }

    @Test func aTornLastLineIsIgnoredThenCut() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        try feedback(repo, "完整的一条")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: repo.journalPath))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"seq":6,"at":"2026-11-02T09:00:00+08:00","by":"clerk","do":"feedb"#.utf8))
        try handle.close()
        let reopened = try Repository.open(at: repo.directory)
        #expect(reopened.ledger.seq == 5)
        #expect(reopened.warnings.count == 1 && reopened.warnings[0].contains("未写完"))
        try feedback(reopened, "断电之后的一条")
        #expect(reopened.warnings.last!.contains("已在本次提交前截去"))
        let lines = try String(contentsOfFile: repo.journalPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.allSatisfy { (try? EntryCodec.decodeLine(Array($0.utf8))) != nil })
        let last = try Repository.open(at: repo.directory)
        #expect(last.warnings.isEmpty)
        #expect(feedbackCount(last) == 2)
    }

    @Test(arguments: Repository.CompactionStep.allCases)
    func aCrashAtAnyStepOfCompactionLosesNothing(_ step: Repository.CompactionStep) throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        for i in 1...20 { try feedback(repo, "第\(i)次进展") }
        let expected = repo.ledger.items
        let seq = repo.ledger.seq
        struct Crash: Error {}
        repo.compactionProbe = { if $0 == step { throw Crash() } }
        #expect(throws: StoreError.self) { try repo.compact() }
        // The process is gone; another one opens the repository as the crash left it.
        let after = try Repository.open(at: repo.directory)
        #expect(after.ledger.seq == seq)
        #expect(after.ledger.items == expected)
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
        // And it carries on: commits and a full compaction work.
        try feedback(after, "恢复后的进展")
        try after.compact()
        let final = try Repository.open(at: repo.directory)
        #expect(feedbackCount(final) == 21)
        let left = try FileManager.default.contentsOfDirectory(atPath: repo.directory).filter { $0.hasPrefix("ducha.json.tmp") }
        #expect(left.isEmpty, "整理后不留临时快照：\(left)")
    }

    @Test func compactionFoldsTheJournalIntoTheSnapshot() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        repo.compactionThreshold = 2000
        for i in 1...60 { try feedback(repo, "第\(i)次进展：完成了相应工作") }
        let journal = try Data(contentsOf: URL(fileURLWithPath: repo.journalPath))
        #expect(journal.count <= 2000 + 400)
        let again = try Repository.open(at: repo.directory)
        #expect(feedbackCount(again) == 60)
        #expect(again.ledger.items == repo.ledger.items)
        // The snapshot is JSON a person can read: one record per line.
        let snapshot = try String(contentsOfFile: repo.snapshotPath, encoding: .utf8)
        #expect(snapshot.hasPrefix(#"{"format":2,"seq":"#))
        #expect(snapshot.contains("\n{\"n\":\"督〔2026〕第0001号\",\"s\":{\"title\":"))
        _ = try JSONSerialization.jsonObject(with: Data(snapshot.utf8))
    }

    @Test func aNewerFormatIsRefusedAndLeftUntouched() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        try repo.compact()
        var text = try String(contentsOfFile: repo.snapshotPath, encoding: .utf8)
        text = text.replacingOccurrences(of: #"{"format":2,"#, with: #"{"format":3,"#)
        try text.write(toFile: repo.snapshotPath, atomically: false, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: repo.snapshotPath))
        for mode in [Repository.LoadMode.full, .summary, .only([ItemNumber(prefix: "", year: 2026, serial: 1)])] {
            #expect(throws: StoreError.unsupportedFormat(repo.snapshotPath, 3, 2)) {
                try Repository.open(at: repo.directory, mode: mode)
            }
        }
        #expect(StoreError.unsupportedFormat(repo.snapshotPath, 3, 2).message.contains("请升级 ducha"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo.snapshotPath)) == before)
    }

    @Test func aTruncatedSnapshotIsRefusedWithTheFile() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        try repo.compact()
        let full = try Data(contentsOf: URL(fileURLWithPath: repo.snapshotPath))
        try full.prefix(full.count * 2 / 3).write(to: URL(fileURLWithPath: repo.snapshotPath))
        let e = #expect(throws: StoreError.self) { try Repository.open(at: repo.directory) }
        guard case .badSnapshot(let path, let reason) = e else {
            Issue.record("应为快照损坏：\(String(describing: e))")
            return
        }
        #expect(path == repo.snapshotPath)
        #expect(reason.contains("第") && reason.contains("行"))
        #expect(e?.message.contains("文件未作任何改动") == true)
    }

    @Test func aDamagedLineInTheMiddleOfTheJournalIsRefusedWithItsLineNumber() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        for i in 1...3 { try feedback(repo, "进展\(i)") }
        var lines = try String(contentsOfFile: repo.journalPath, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = "{这不是JSON"
        try (lines.joined(separator: "\n") + "\n").write(toFile: repo.journalPath, atomically: false, encoding: .utf8)
        let e = #expect(throws: StoreError.self) { try Repository.open(at: repo.directory) }
        guard case .badJournal(_, let line, _) = e else {
            Issue.record("应为日志损坏：\(String(describing: e))")
            return
        }
        #expect(line == 3)
        #expect(RepositoryCheck.run(directory: repo.directory).problems.first?.contains("第 3 行") == true)
    }

    /// A number RFC 8259 refuses, in a member the decoder reads (seq) or skips, is damage
    /// named with the file and the line, by loading and by `check`.
    @Test(arguments: [("\"seq\":", "\"seq\":0"), ("\"by\":", "\"extra\":1.,\"by\":"), ("\"by\":", "\"extra\":+1,\"by\":")])
    func aMalformedNumberInTheJournalIsRefusedWithItsLine(_ replace: (String, String)) throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        for i in 1...3 { try feedback(repo, "进展\(i)") }
        var lines = try String(contentsOfFile: repo.journalPath, encoding: .utf8).split(separator: "\n").map(String.init)
        let damaged = lines[1].replacingOccurrences(of: replace.0, with: replace.1)
        #expect(damaged != lines[1])
        lines[1] = damaged
        try (lines.joined(separator: "\n") + "\n").write(toFile: repo.journalPath, atomically: false, encoding: .utf8)
        let e = #expect(throws: StoreError.self) { try Repository.open(at: repo.directory) }
        guard case .badJournal(let path, let line, _) = e else {
            Issue.record("应为日志损坏：\(String(describing: e))")
            return
        }
        #expect(path == repo.journalPath && line == 2)
        let problem = RepositoryCheck.run(directory: repo.directory).problems.first ?? ""
        #expect(problem.contains("journal.jsonl") && problem.contains("第 2 行"), "\(problem)")
    }

    /// A repository is private to its owner (a single user's, or the service account's on a
    /// server): folder 0700, files 0600 whatever the umask; inside a folder shared with a group
    /// (setgid, group rwx) it is shared the same way.
    @Test func filesArePrivateUnlessTheFolderIsSharedWithAGroup() throws {
        let dir = TemporaryDirectory()
        let old = umask(0o022)
        defer { umask(old) }
        let repo = try make(dir)
        try repo.compact()
        for f in [repo.snapshotPath, repo.journalPath, repo.lockPath] {
            let mode = try FileManager.default.attributesOfItem(atPath: f)[.posixPermissions] as! Int
            #expect(mode & 0o777 == 0o600, "\(f) \(String(mode, radix: 8))")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: repo.directory)[.posixPermissions] as! Int
        #expect(mode & 0o7777 == 0o700, "\(String(mode, radix: 8))")

        umask(0o077)
        let shared = dir.sub("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o2770)
        let group = try Repository.create(
            at: shared + "/repo", settings: Settings(officeName: "青山县委督查室"), login: "clerk", at: RepositoryTests.now)
        try group.compact()
        for f in [group.snapshotPath, group.journalPath, group.lockPath] {
            let mode = try FileManager.default.attributesOfItem(atPath: f)[.posixPermissions] as! Int
            #expect(mode & 0o777 == 0o660, "\(f) \(String(mode, radix: 8))")
        }
        let sharedMode = try FileManager.default.attributesOfItem(atPath: group.directory)[.posixPermissions] as! Int
        #expect(sharedMode & 0o7777 == 0o2770, "\(String(sharedMode, radix: 8))")
    }

    @Test func aJournalThatIsASymbolicLinkIsRefused() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        try FileManager.default.moveItem(atPath: repo.journalPath, toPath: dir.sub("elsewhere"))
        try FileManager.default.createSymbolicLink(atPath: repo.journalPath, withDestinationPath: dir.sub("elsewhere"))
        #expect(throws: StoreError.symlink(repo.journalPath)) { try Repository.open(at: repo.directory) }
    }

    @Test func existingRepositoriesAreNeverOverwritten() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        #expect(throws: StoreError.alreadyExists(repo.directory)) {
            _ = try Repository.create(at: repo.directory, settings: Settings(), login: "x", at: RepositoryTests.now)
        }
        #expect(try Repository.open(at: repo.directory).ledger.items.count == 1)
        #expect(throws: StoreError.notARepository(dir.sub("nothing"))) { try Repository.open(at: dir.sub("nothing")) }
    }

    @Test func concurrentWritersWaitForEachOtherAndAllLand() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let path = repo.directory
        let writers = 4
        let each = 40
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            do {
                let mine = try Repository.open(at: path)
                mine.compactionThreshold = 4096
                for i in 0..<each { try feedback(mine, "写者\(w)第\(i)条") }
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let final = try Repository.open(at: path)
        #expect(feedbackCount(final) == writers * each)
        #expect(RepositoryCheck.run(directory: path).problems.isEmpty)
    }
}

/// A tiny lock-protected value for counting across threads.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
