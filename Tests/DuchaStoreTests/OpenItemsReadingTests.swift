import DuchaCore
import DuchaTestSupport
import Foundation
import Testing

@testable import DuchaStore

/// The overdue notice reads the open items' states and, of closed and withdrawn items, only
/// the facts at the head of their lines (`ClosedFacts`): what it counts and lists must be
/// exactly what a reading of every state gives — with the journal reopening, registering and
/// renaming, with lines written before the facts were, and for every unit.
@Suite struct OpenItemsReadingTests {
    static let today = LoadModeTests.today
    static let now = LoadModeTests.now

    /// The demo ledger as `LoadModeTests` builds it.
    func demo(_ dir: TemporaryDirectory) throws -> Repository { try LoadModeTests().demo(dir) }

    func commit(_ repo: Repository, _ command: Command) throws {
        try repo.commit(command, login: "clerk", at: Self.now, today: Self.today)
    }

    func snapshotText(_ repo: Repository) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: repo.snapshotPath)), as: UTF8.self)
    }

    /// The office and every unit see the same counts and the same red and yellow rows.
    func expectSameAsEveryState(_ directory: String, _ comment: String) throws {
        let open = try Repository.open(at: directory, mode: .openItems)
        let all = try Repository.open(at: directory, mode: .summary)
        let evaluator = StatusEvaluator(today: Self.today, calendar: Fixtures.calendar, settings: all.ledger.settings)
        #expect((open.ledger.partial || open.closedFacts.isEmpty) && !all.ledger.partial)
        #expect(open.ledger.items.count + open.closedFacts.count == all.ledger.items.count, "\(comment)")
        let actors =
            [Actor(login: "clerk", role: .supervisor)]
            + all.ledger.units.map { Actor(login: "u", role: .unit, unit: $0.name) }
        for actor in actors {
            let label = "\(comment)：\(actor.unit ?? "督查室")"
            #expect(try open.overview(for: actor, evaluator) == (try all.overview(for: actor, evaluator)), "\(label)")
            for scope in [ItemQuery.Scope.open, .overdue, .dueSoon] {
                let a = try open.all(ItemQuery(scope: scope), for: actor, evaluator)
                let b = try all.all(ItemQuery(scope: scope), for: actor, evaluator)
                #expect(a.items.map(\.number) == b.items.map(\.number), "\(label) \(scope)")
                #expect(a.items.indices.allSatisfy { a.items[$0].sameState(as: b.items[$0]) }, "\(label) \(scope)")
                #expect(a.statuses == b.statuses, "\(label) \(scope)")
            }
            #expect(
                try open.openDeadlineYears(for: actor, evaluator) == (try all.openDeadlineYears(for: actor, evaluator)),
                "\(label)")
        }
    }

    @Test func theOpenItemsReadingCountsAndListsAsEveryState() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        let whole = try Repository.open(at: repo.directory, mode: .summary).ledger
        let closed = whole.items.filter { ClosedFacts($0) != nil }
        #expect(closed.count >= 3 && closed.contains { $0.state == .withdrawn })
        // Every closed item that stands alone begins its line with its facts; no open one does.
        let text = try snapshotText(repo)
        for item in whole.items {
            let head = "{\"n\":\"\(item.number)\",\"c\":"
            #expect(text.contains(head) == (ClosedFacts(item) != nil), "\(item.number)")
        }
        let open = try Repository.open(at: repo.directory, mode: .openItems)
        #expect(open.closedFacts.count == closed.count)
        #expect(open.ledger.items.allSatisfy { ClosedFacts($0) == nil })
        try expectSameAsEveryState(repo.directory, "快照")

        // The journal reopens a closed item, registers one and reports on another.
        let reopened = try #require(closed.first { $0.state == .closed })
        try commit(
            repo,
            .act(
                try ItemReference.parse(reopened.number.description),
                .reopen(reason: "回头看", deadline: Fixtures.day("2026-11-24"), calendar: Fixtures.calendar)))
        try commit(
            repo,
            .register(
                Registration(
                    title: "日志中新立的事项", source: "领导批示", leadUnit: "县财政局", assignedOn: Fixtures.day("2026-11-02"),
                    deadline: Fixtures.day("2026-11-16"))))
        let after = try Repository.open(at: repo.directory, mode: .openItems)
        #expect(after.ledger.item(reopened.number)?.state.isOpen == true)
        #expect(!after.closedFacts.contains { $0.number == reopened.number })
        try expectSameAsEveryState(repo.directory, "日志重新办理、立项")

        // A unit renamed in the journal: the facts hold the old name, so every state is read.
        let unit = try #require(closed.first?.leadUnit)
        try commit(repo, .editUnit(name: unit, UnitEdit(name: unit + "（新）")))
        try expectSameAsEveryState(repo.directory, "日志改单位名称")

        // After compaction the new lines carry their facts too.
        try repo.compact()
        try expectSameAsEveryState(repo.directory, "整理后")
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
    }

    /// A withdrawn item whose sub-task (之1) is still open is read whole, so that lists show
    /// the family together; its child is listed as before.
    @Test func aClosedParentOfAnOpenChildIsReadWhole() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        let whole = try Repository.open(at: repo.directory, mode: .summary).ledger
        let parent = try #require(
            whole.items.first {
                $0.state == .active && !$0.isSplit && !$0.number.isChild && $0.deadline >= Self.today
                    && whole.children(of: $0.number).isEmpty
            })
        try commit(
            repo,
            .registerChild(
                of: ItemReference(parent.number),
                Registration(
                    title: "分解的阶段节点", source: parent.source, leadUnit: parent.leadUnit, assignedOn: Self.today,
                    deadline: parent.deadline)))
        try commit(repo, .act(try ItemReference.parse(parent.number.description), .action(.withdraw(reason: "改由子项办理"))))
        try repo.compact()
        let open = try Repository.open(at: repo.directory, mode: .openItems)
        #expect(open.ledger.item(parent.number)?.state == .withdrawn)
        #expect(open.ledger.item(parent.number.child(1))?.state.isOpen == true)
        #expect(!open.closedFacts.contains { $0.number == parent.number })
        try expectSameAsEveryState(repo.directory, "撤销上级、子项在办")
    }

    /// Lines of closed items written before the facts were are read whole, counted the same,
    /// and given their facts by the next compaction.
    @Test func linesWithoutClosedFactsAreReadWholeAndGetThemAtCompaction() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        let expected = try snapshotText(repo)
        // As an earlier version wrote it: no facts, and no word in the header that all are there.
        let old = expected.replacingOccurrences(of: #","c":\{[^{}]*\}"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #""facts":true,"#, with: "")
        #expect(old != expected && !old.contains(#","c":"#) && !old.contains(#""facts""#))
        try Data(old.utf8).write(to: URL(fileURLWithPath: repo.snapshotPath))
        let open = try Repository.open(at: repo.directory, mode: .openItems)
        #expect(!open.closedFacts.isEmpty)
        try expectSameAsEveryState(repo.directory, "旧格式")
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
        let writer = try Repository.open(at: repo.directory, mode: .only([]))
        try writer.commit(
            .addUnit(Unit(name: "县审计局", kind: .department)), login: "clerk", at: Self.now, today: Self.today)
        try writer.compact()
        let merged = try snapshotText(repo)
        #expect(merged == String(decoding: SnapshotCodec.encode(try Repository.open(at: repo.directory).ledger), as: UTF8.self))
        #expect(merged.contains(#","c":"#) && merged.contains(#""facts":true,"#))
    }

    /// The facts must be the state's: `check` (which reads every line whole) finds them altered.
    @Test func checkFindsClosedFactsThatAreNotTheState() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        let text = try snapshotText(repo)
        let forged = text.replacingOccurrences(
            of: #"("c":\{"state":"closed","deadline":")\d{4}-\d{2}-\d{2}"#, with: "$12099-01-01", options: .regularExpression)
        #expect(forged != text)
        try Data(forged.utf8).write(to: URL(fileURLWithPath: repo.snapshotPath))
        let problems = RepositoryCheck.run(directory: repo.directory).problems
        #expect(problems.contains { $0.contains("办结概要") }, "\(problems)")
    }
}
