import DuchaCore
import DuchaOps
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// Attaching through the operations layer: the files are kept and their records committed
/// together with the request they come with; a refusal keeps no file and records nothing.
@Suite struct EvidenceOpsTests {
    static let today = Fixtures.day("2026-11-30")
    static let now = Timestamp(day: today, hour: 9, minute: 30)

    func make(_ dir: TemporaryDirectory) throws -> Repository {
        let repo = try Repository.create(
            at: dir.sub("repo"), settings: Settings(officeName: "青山县委督查室"), login: "clerk", at: Self.now)
        for name in ["县财政局", "县发改局"] {
            try repo.commit(.addUnit(Unit(name: name, kind: .department)), login: "clerk", at: Self.now, today: Self.today)
        }
        try repo.commit(.addUser(User(login: "czj", role: .unit, unit: "县财政局")), login: "clerk", at: Self.now, today: Self.today)
        try repo.commit(.addUser(User(login: "ld", role: .leader)), login: "clerk", at: Self.now, today: Self.today)
        let r = Registration(
            title: "城区停车难治理", source: "领导批示", leadUnit: "县财政局", coUnits: ["县发改局"], assignedOn: Self.today,
            deadline: Fixtures.day("2026-12-31"))
        try repo.commit(.register(r), login: "clerk", at: Self.now, today: Self.today)
        return repo
    }

    func ops(_ repo: Repository, _ login: String) -> Operations {
        Operations(
            store: repo, login: login, uid: nil, clock: RecordClock(now: { Self.now }), calendar: Fixtures.calendar,
            today: Self.today)
    }

    var ref: ItemReference { try! ItemReference.parse("1") }
    let photo = AttachedFile(name: "/home/czj/图片/现场.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
    let plan = AttachedFile(name: "方案.pdf", bytes: Array("%PDF-1.4 方案".utf8))

    func kept(_ repo: Repository) -> [String] {
        (FileManager.default.subpaths(atPath: repo.directory + "/attachments") ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }

    @Test func aFeedbackAndItsFilesAreOneCommitInTheUnitsName() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let before = repo.ledger.seq
        let outcome = try ops(repo, "czj").run(
            .attach(ref, [photo, plan], note: "", with: .action(.feedback(text: "已完成路面铺设"))))
        #expect(outcome.entries.map { $0.itemAction?.code } == ["feedback", "attach", "attach"])
        #expect(outcome.entries.allSatisfy { $0.unit == "县财政局" && !$0.proxy && $0.at == outcome.entries[0].at })
        #expect(outcome.entries.map(\.seq) == Array(before + 1...before + 3))
        #expect(outcome.summary.contains("已反馈") && outcome.summary.contains("附佐证材料 2 件：现场.jpg、方案.pdf"), "\(outcome.summary)")
        #expect(kept(repo).count == 2)
        let items = try Repository.open(at: repo.directory).ledger.items
        #expect(items[0].attachments.map(\.attachment.type) == [.jpeg, .pdf])
        #expect(items[0].attachments[0].attachment.name == "现场.jpg", "路径不进记录")
    }

    @Test func theOfficeRecordingAUnitsFeedbackRecordsItsFilesInTheSameName() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let outcome = try ops(repo, "clerk").run(
            .attach(ref, [plan], note: "", with: .action(.feedback(text: "电话报来进展"))))
        #expect(outcome.entries.allSatisfy { $0.unit == "县财政局" && $0.proxy })
        let own = try ops(repo, "clerk").run(.attach(ref, [photo], note: "督查室现场核查照片"))
        #expect(own.entries.count == 1 && own.entries[0].unit == nil && !own.entries[0].proxy)
        #expect(own.summary.contains("上传佐证材料 1 件"))
    }

    @Test func aRefusalKeepsNoFileAndRecordsNothing() throws {
        let dir = TemporaryDirectory()
        let repo = try make(dir)
        let seq = repo.ledger.seq
        #expect(throws: StoreError.self) { try ops(repo, "ld").run(.attach(ref, [photo], note: "")) }
        // A completion request before signing is refused: its files are not kept either.
        #expect(throws: StoreError.self) {
            try ops(repo, "czj").run(.attach(ref, [plan], note: "", with: .action(.requestCompletion(report: "已办结"))))
        }
        // The same file twice in one request.
        #expect(throws: StoreError.self) { try ops(repo, "czj").run(.attach(ref, [plan, plan], note: "")) }
        // Recorded later (补录): refused.
        #expect(throws: StoreError.self) {
            try ops(repo, "clerk").run(.attach(ref, [plan], note: "", forUnit: "县财政局"), reportedOn: Self.today)
        }
        #expect(repo.ledger.seq == seq)
        #expect(kept(repo).isEmpty)
    }
}
