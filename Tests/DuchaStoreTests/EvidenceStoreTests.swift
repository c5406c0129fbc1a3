import DuchaCore
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// The repository's 佐证材料 files: kept under their SHA-256, once, privately; read back only
/// when they still match; the files given are read as regular files only, within the limit;
/// `check` notices a kept file that is missing or changed.
@Suite struct EvidenceStoreTests {
    static let today = Fixtures.day("2026-11-02")
    static let now = Timestamp(day: today, hour: 9, minute: 0)

    func make(_ dir: TemporaryDirectory) throws -> Repository {
        let repo = try Repository.create(
            at: dir.sub("repo"), settings: Settings(officeName: "青山县委督查室"), login: "clerk", at: Self.now)
        try repo.commit(.addUnit(Unit(name: "县财政局", kind: .department)), login: "clerk", at: Self.now, today: Self.today)
        let r = Registration(
            title: "城区停车难治理", source: "领导批示", leadUnit: "县财政局", assignedOn: Self.today,
            deadline: Fixtures.day("2026-11-30"))
        try repo.commit(.register(r), login: "clerk", at: Self.now, today: Self.today)
        var second = r
        second.title = "老旧小区加装电梯"
        try repo.commit(.register(second), login: "clerk", at: Self.now, today: Self.today)
        return repo
    }

    /// Keeps `bytes` and records them on item `item` (1 unless given).
    @discardableResult
    func attach(_ repo: Repository, _ bytes: [UInt8], name: String, item: String = "1") throws -> Evidence {
        let sha = try repo.storeAttachment(bytes)
        let a = Evidence(sha256: sha, name: name, size: bytes.count, type: EvidenceType.detect(name: name, head: bytes))
        try repo.commit(
            .act(try ItemReference.parse(item), .action(.attach(a))), login: "clerk", at: Self.now, today: Self.today)
        return a
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func aFileIsKeptUnderItsHashOncePrivately() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let bytes = Array("%PDF-1.4\n实施方案\n".utf8)
        let a = try attach(repo, bytes, name: "实施方案.pdf")
        let sha = AttachmentFiles.hash(bytes)
        #expect(a.sha256 == sha && sha.count == 64)
        let path = repo.directory + "/attachments/" + sha.prefix(2) + "/" + sha + ".bin"
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
        #expect(try mode(path) == 0o600)
        #expect(try mode(repo.directory + "/attachments") == 0o700)
        #expect(try mode(repo.directory + "/attachments/" + sha.prefix(2)) == 0o700)
        // The same file again (on another item: an item takes a content once): kept once, no temporary left behind.
        try attach(repo, bytes, name: "方案副本.pdf", item: "2")
        let names = try FileManager.default.contentsOfDirectory(atPath: repo.directory + "/attachments/" + sha.prefix(2))
        #expect(names == [sha + ".bin"])
        #expect(try repo.attachment(sha) == bytes)
        // The record survives compaction and reopening; check passes.
        try repo.compact()
        let again = try Repository.open(at: repo.directory)
        #expect(again.ledger.items[0].attachments.map(\.attachment.name) == ["实施方案.pdf"])
        #expect(again.ledger.items[1].attachments.map(\.attachment.name) == ["方案副本.pdf"])
        let report = RepositoryCheck.run(directory: repo.directory)
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    @Test func checkReportsAChangedOrMissingFileAndGetRefusesIt() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let a = try attach(repo, Array("第一份".utf8), name: "a.txt")
        let b = try attach(repo, Array("第二份".utf8), name: "b.txt")
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
        let pathA = repo.directory + "/" + a.path
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pathA)
        try Data("改过的".utf8).write(to: URL(fileURLWithPath: pathA))
        try FileManager.default.removeItem(atPath: repo.directory + "/" + b.path)
        let problems = RepositoryCheck.run(directory: repo.directory).problems
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.contains { $0.contains("a.txt") && $0.contains("校验码不符") })
        #expect(problems.contains { $0.contains("b.txt") && $0.contains("缺失") })
        #expect(throws: StoreError.self) { try repo.attachment(a.sha256) }
        #expect(throws: StoreError.self) { try repo.attachment(b.sha256) }
        // Keeping the file again repairs it.
        _ = try repo.storeAttachment(Array("第一份".utf8))
        #expect(try repo.attachment(a.sha256) == Array("第一份".utf8))
    }

    @Test func aKeptFileReplacedByALinkIsNotFollowed() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let a = try attach(repo, Array("原件".utf8), name: "a.txt")
        let path = repo.directory + "/" + a.path
        try FileManager.default.removeItem(atPath: path)
        try Data("原件".utf8).write(to: URL(fileURLWithPath: dir.sub("elsewhere")))
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: dir.sub("elsewhere"))
        #expect(throws: StoreError.symlink(path)) { try repo.attachment(a.sha256) }
        #expect(!RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
    }

    @Test func onlyARegularFileWithinTheLimitIsRead() throws {
        let dir = TemporaryDirectory()
        let file = dir.sub("方案.pdf")
        try Data("%PDF-1.4".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try AttachmentFiles.read(file) == Array("%PDF-1.4".utf8))
        // A link, even to a readable file, a named pipe, a device, a folder: refused.
        let link = dir.sub("link.pdf")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        #expect(throws: StoreError.symlink(link)) { try AttachmentFiles.read(link) }
        let fifo = dir.sub("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: StoreError.notRegular(fifo, "命名管道")) { try AttachmentFiles.read(fifo) }
        #expect(throws: StoreError.notRegular("/dev/zero", "字符设备")) { try AttachmentFiles.read("/dev/zero") }
        #expect(throws: StoreError.self) { try AttachmentFiles.read(dir.path) }
        // Up to 20 MiB, not a byte more; an empty file is no evidence.
        let big = dir.sub("big.bin")
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try h.truncate(atOffset: UInt64(Evidence.maxSize))
        #expect(try AttachmentFiles.read(big).count == Evidence.maxSize)
        try h.truncate(atOffset: UInt64(Evidence.maxSize + 1))
        try h.close()
        do {
            _ = try AttachmentFiles.read(big)
            Issue.record("超过 20 MB 的文件应被拒绝")
        } catch {
            #expect(error.message.contains("过大") && error.message.contains("20 MB"), "\(error.message)")
        }
        let empty = dir.sub("empty.txt")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(throws: StoreError.self) { try AttachmentFiles.read(empty) }
    }
}
