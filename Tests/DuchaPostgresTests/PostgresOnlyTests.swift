import DuchaCore
import DuchaPostgres
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// A command about one item on PostgreSQL (`.only`) reads that item's family and nothing of
/// the other items, as the files do (issue #16, reads that scale), and commits exactly what a
/// store holding every item commits.
@Suite struct PostgresOnlyTests {
    /// The same ledger in a database and in a folder: every command committed to the database,
    /// then to the folder at the time the database gave. Four units, a roster, an item of its
    /// own (第0001号), a 分别办理 item of three units (第0002号), an item broken down into two
    /// children (第0003号) and another item (第0004号); some of them acted on.
    struct Pair {
        let db: Ledgers
        let pg: PostgresStore
        let files: Repository
        let single = ItemNumber(prefix: "", year: 2026, serial: 1)
        let split = ItemNumber(prefix: "", year: 2026, serial: 2)
        let parent = ItemNumber(prefix: "", year: 2026, serial: 3)
        let other = ItemNumber(prefix: "", year: 2026, serial: 4)

        init() throws {
            db = try Ledgers()
            pg = try db.create()
            let first = try #require(pg.ledger.log.first)
            files = try Repository.create(
                at: TemporaryDirectory("ducha-pg-only").sub("repo"), settings: Ledgers.settings, login: "clerk", at: first.at)
            let r = { (title: String, lead: String, deadline: String) in
                Registration(
                    title: title, source: "领导批示", leadUnit: lead, assignedOn: Ledgers.today, deadline: Fixtures.day(deadline))
            }
            var commands: [(Command, String)] = ["城关镇", "县住建局", "县财政局", "县教育局"].map {
                (.addUnit(Unit(name: $0, kind: $0.hasSuffix("镇") ? .township : .department)), "clerk")
            }
            commands += [
                (.addUser(User(login: "clerk", role: .supervisor)), "clerk"),
                (.addUser(User(login: "cgz", role: .unit, unit: "城关镇")), "clerk"),
                (.addUser(User(login: "cz", role: .unit, unit: "县财政局")), "clerk"),
                (.register(r("城区停车难治理", "县财政局", "2026-11-30")), "clerk"),
                (.registerSplit(r("背街小巷整治", "", "2026-11-20"), leads: ["城关镇", "县住建局", "县财政局"]), "clerk"),
                (.register(r("老旧小区改造", "县教育局", "2026-12-31")), "clerk"),
                (.registerChild(of: ItemReference(parent), r("完成摸底", "城关镇", "2026-11-30")), "clerk"),
                (.registerChild(of: ItemReference(parent), r("完成设计", "县财政局", "2026-12-20")), "clerk"),
                (.register(r("农贸市场改造", "县住建局", "2026-12-10")), "clerk"),
                (.act(ItemReference(single), .action(.sign)), "cz"),
                (.act(ItemReference(single), .action(.feedback(text: "已召开专题会议"))), "cz"),
                (.act(ItemReference(split), .action(.sign)), "cgz"),
                (.act(ItemReference(split), .action(.feedback(text: "已清理背街小巷12条"))), "cgz"),
                (.act(ItemReference(parent.child(1)), .action(.sign), forUnit: "城关镇"), "clerk"),
            ]
            for (command, login) in commands { try commitBoth(command, login: login) }
        }

        /// Commits to the database, then the same to the folder at the database's time.
        @discardableResult
        func commitBoth(_ command: Command, login: String, to store: PostgresStore? = nil) throws -> [Entry] {
            let written = try (store ?? pg).commit(command, login: login, clock: Ledgers.clock)
            let at = try #require(written.first?.at)
            let same = try files.commit(command, login: login, clock: RecordClock(fixedToday: Ledgers.today, now: { at }))
            #expect(written == same, "\(command)")
            return written
        }
    }

    /// What a ledger read for some items holds, to compare the database's with the folder's.
    func held(_ l: Ledger) -> String {
        let items = l.items.map { "\($0.number)|\($0.isPart)|\($0.hasFullHistory)|\($0.history.map(\.seq))" }
        return "\(l.partial) \(l.seq) \(l.nextNumber(year: 2026)) \(l.chainHead ?? "-") \(l.units.map(\.name)) "
            + "\(l.users.map(\.login)) \(l.wanted.sorted().map(\.description)) \(items)"
    }

    @Test func onlyTheAskedFamiliesAreReadAsTheFilesReadThem() throws {
        let p = try Pair()
        let all = try PostgresStore.open(p.db.app, mode: .summary).ledger.items.count
        #expect(all == 9)
        let unknown = ItemNumber(prefix: "", year: 2026, serial: 99)
        let asks: [[ItemNumber]] = [[], [p.single], [p.split], [p.parent], [p.single, p.parent], [p.other], [unknown]]
        let families: [[ItemNumber]] = [
            [], [p.single], [p.split] + (1...3).map(p.split.child), [p.parent] + (1...2).map(p.parent.child),
            [p.single, p.parent] + (1...2).map(p.parent.child), [p.other], [],
        ]
        for (ask, family) in zip(asks, families) {
            let pg = try PostgresStore.open(p.db.app, mode: .only(ask))
            let files = try Repository.open(at: p.files.directory, mode: .only(ask))
            // Only the family: never another item's state.
            #expect(pg.ledger.items.map(\.number) == family, "\(ask)")
            #expect(pg.ledger.items.count < all)
            #expect(held(pg.ledger) == held(files.ledger), "\(ask)")
            #expect(pg.ledger.items == files.ledger.items, "\(ask)")
            #expect(pg.ledger.items.allSatisfy { $0.hasFullHistory })
        }
        // A child asked for alone comes with its family (the command line asks for the family's number).
        let part = try PostgresStore.open(p.db.app, mode: .only([p.split.child(2)]))
        #expect(part.ledger.items.map(\.number) == [p.split] + (1...3).map(p.split.child))
        #expect(part.ledger.items.map(\.isPart) == [false, true, true, true])
        // The interface reads another item on the store it keeps open.
        let open = try PostgresStore.open(p.db.app, mode: .queries)
        #expect(open.ledger.items.isEmpty)
        try open.reload(.only([p.other]))
        #expect(open.mode == .only([p.other]))
        #expect(held(open.ledger) == held(try Repository.open(at: p.files.directory, mode: .only([p.other])).ledger))
        try open.reload(.queries)
        #expect(open.ledger.items.isEmpty && open.ledger.partial)
    }

    /// The items table of two databases: one written by stores holding every item, the other by
    /// stores read for the item at hand (`.only`); every column but the state's text (which
    /// holds the records' times) must be the same.
    @Test func commitsOnTheAskedItemsWriteTheRowsAFullStoreWrites() throws {
        let whole = try Pair()
        let some = try Pair()
        let rename = UnitEdit(name: "县住建局（城管局）")
        // (command, login, what a command-line run reads for it)
        let steps: [(Command, String, [ItemNumber])] = [
            (.act(ItemReference(whole.single), .action(.requestCompletion(report: "新增停车位1200个"))), "cz", [whole.single]),
            (.act(ItemReference(whole.split), .action(.requestCompletion(report: "全部整治完毕"))), "cgz", [whole.split]),
            (
                .act(ItemReference(whole.split).part("城关镇"), .action(.approveCompletion(grade: .good, note: "同意"))), "clerk",
                [whole.split]
            ),
            (.act(ItemReference(whole.split), .action(.sign), forUnit: "县财政局"), "clerk", [whole.split]),
            (.act(ItemReference(whole.parent.child(1)), .action(.feedback(text: "摸底完成一半"))), "cgz", [whole.parent]),
            (
                .registerChild(
                    of: ItemReference(whole.parent),
                    Registration(
                        title: "完成施工", source: "领导批示", leadUnit: "县住建局", assignedOn: Ledgers.today,
                        deadline: Fixtures.day("2026-12-28"))), "clerk", [whole.parent]
            ),
            (
                .register(
                    Registration(
                        title: "河道清淤", source: "领导批示", leadUnit: "县住建局", coUnits: ["城关镇"], assignedOn: Ledgers.today,
                        deadline: Fixtures.day("2026-12-15"))), "clerk", []
            ),
            // A unit renamed: every item that names it changes, though none was read.
            (.editUnit(name: "县住建局", rename), "clerk", []),
            (.act(ItemReference(whole.other), .action(.sign)), "clerk", [whole.other]),
        ]
        for (command, login, ask) in steps {
            try whole.commitBoth(command, login: login, to: try PostgresStore.open(whole.db.app, mode: .summary))
            let one = try PostgresStore.open(some.db.app, mode: .only(ask))
            let written = try some.commitBoth(command, login: login, to: one)
            #expect(one.ledger.items.count < 12, "\(command)")
            // What the store holds afterwards is what the folder's `.only` store holds.
            #expect(written.allSatisfy { e in e.item.map { one.ledger.item($0) != nil } ?? true }, "\(command)")
        }
        let rows = "SELECT string_agg((to_jsonb(i) - 'state_line')::text, E'\\n' ORDER BY year, serial, sub) FROM items i"
        let a = try whole.db.asSuperuser(rows)
        #expect(a.contains("县住建局（城管局）") && !a.contains("\"县住建局\""))
        #expect(a.split(separator: "\n").count == 11)
        #expect(a == (try some.db.asSuperuser(rows)))
        // And the states are those of the records, in both.
        #expect(try whole.pg.check().problems == [])
        #expect(try some.pg.check().problems == [])
        let folder = try Repository.open(at: some.files.directory, mode: .summary)
        let database = try PostgresStore.open(some.db.app, mode: .summary)
        // (The folder holds an item registered since its snapshot after the others.)
        let facts = { (l: Ledger) in l.items.sorted { $0.number < $1.number }.map { "\($0.number) \($0.leadUnit) \($0.state)" } }
        #expect(facts(database.ledger) == facts(folder.ledger))
        #expect(facts(database.ledger).count == 11)
    }

    /// A store read for one item catches up with what others committed meanwhile: records
    /// about other items are passed over (their numbers still count), records about its own
    /// items and children registered meanwhile are applied; two stores on one item still give
    /// exactly one winner.
    @Test func aStoreForOneItemCatchesUpAndTwoOnOneItemGiveOneWinner() throws {
        let p = try Pair()
        let a = try PostgresStore.open(p.db.app, mode: .only([p.parent]))
        let b = try PostgresStore.open(p.db.app, mode: .only([p.parent]))
        // Meanwhile: a new item and a child of the parent, by others.
        try p.commitBoth(
            .register(
                Registration(
                    title: "河道清淤", source: "领导批示", leadUnit: "县住建局", assignedOn: Ledgers.today,
                    deadline: Fixtures.day("2026-12-15"))), login: "clerk")
        try p.commitBoth(
            .registerChild(
                of: ItemReference(p.parent),
                Registration(
                    title: "完成施工", source: "领导批示", leadUnit: "县教育局", assignedOn: Ledgers.today,
                    deadline: Fixtures.day("2026-12-28"))), login: "clerk")
        let feedback = Command.act(ItemReference(p.parent.child(1)), .action(.feedback(text: "摸底完成")))
        try a.commit(feedback, login: "cgz", clock: Ledgers.clock)
        #expect(a.ledger.items.map(\.number) == [p.parent] + (1...3).map(p.parent.child))
        #expect(a.ledger.nextNumber(year: 2026).serial == 6)
        // The second, judged on the state the first left: its own sign is refused (already signed).
        let sign = Command.act(ItemReference(p.parent.child(2)), .action(.sign), forUnit: "县财政局")
        try b.commit(sign, login: "clerk", clock: Ledgers.clock)
        #expect(throws: StoreError.self) { try a.commit(sign, login: "clerk", clock: Ledgers.clock) }
        #expect(a.ledger.item(p.parent.child(2))?.state == .active)
        #expect(a.ledger.item(p.parent.child(1))?.history == b.ledger.item(p.parent.child(1))?.history)
        #expect(try a.check().problems == [])
    }
}
