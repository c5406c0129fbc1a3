import DuchaCore
import DuchaTestSupport
import Foundation
import Testing

@testable import DuchaStore

/// Children (之N) in the files: a command about an item reads its children with it, compaction
/// places them right after their parent, and every way of reading sees the same ledger.
@Suite struct ChildItemsStoreTests {
    static let today = Fixtures.day("2026-11-21")
    static let now = Timestamp(day: today, hour: 10, minute: 0)

    func commit(_ repo: Repository, _ command: Command) throws -> [Entry] {
        try repo.commit(command, login: "clerk", at: ChildItemsStoreTests.now, today: ChildItemsStoreTests.today)
    }

    func registration(_ title: String, deadline: String) -> Registration {
        Registration(
            title: title, source: "领导批示", leadUnit: "县财政局", assignedOn: ChildItemsStoreTests.today,
            deadline: Fixtures.day(deadline))
    }

    @Test(arguments: [false, true])
    func childrenAreReadWithTheirParentBeforeAndAfterCompaction(_ compacted: Bool) throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.create(
            at: dir.sub("repo"), settings: Settings(officeName: "青山县委督查室"), login: "clerk", at: ChildItemsStoreTests.now)
        _ = try commit(repo, .addUnit(Unit(name: "县财政局", kind: .department)))
        let parent = try commit(repo, .register(registration("年度重点项目", deadline: "2026-12-30")))[0].item!
        let other = try commit(repo, .register(registration("另一件", deadline: "2026-12-30")))[0].item!
        // Registered after the next item, the children still sort right after their parent.
        for (title, due) in [("一季度节点", "2026-11-30"), ("二季度节点", "2026-12-20")] {
            _ = try commit(repo, .registerChild(of: ItemReference(parent), registration(title, deadline: due)))
        }
        if compacted { try repo.compact() }
        let full = try Repository.open(at: repo.directory, mode: .full).ledger
        #expect(full.children(of: parent).map(\.number) == [parent.child(1), parent.child(2)])
        // A command about the parent reads it with its children, and numbers the next child.
        let targeted = try Repository.open(at: repo.directory, mode: .only([parent]))
        #expect(targeted.ledger.children(of: parent).map(\.title) == ["一季度节点", "二季度节点"])
        #expect(targeted.ledger.item(other) == nil)
        let third = try commit(targeted, .registerChild(of: ItemReference(parent), registration("三季度节点", deadline: "2026-12-25")))
        #expect(third.last?.item == parent.child(3))
        _ = try commit(targeted, .act(ItemReference(parent.child(2)), .action(.sign)))
        let reread = try Repository.open(at: repo.directory, mode: .full).ledger
        #expect(reread.item(parent.child(2))?.state == .active)
        #expect(reread.item(parent.child(3)) == targeted.ledger.item(parent.child(3)))
        try repo.compact()
        let after = try Repository.open(at: repo.directory, mode: .full).ledger
        #expect(after.items.map(\.number) == [parent, parent.child(1), parent.child(2), parent.child(3), other])
        #expect(SnapshotCodec.encode(after) == Array(try Data(contentsOf: URL(fileURLWithPath: repo.snapshotPath))))
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
    }
}
