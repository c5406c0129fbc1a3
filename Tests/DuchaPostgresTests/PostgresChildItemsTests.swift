import DuchaCore
import DuchaPostgres
import DuchaStore
import DuchaTestSupport
import Testing

/// Child items (任务分解 and the parts of a 分别办理 item) in a PostgreSQL ledger: the items table
/// and the records carry the child's sub-number (之N), so each child is an item of its own
/// there: it is acted on, read back, checked, migrated and shown only to its unit.
@Suite struct PostgresChildItemsTests {
    /// Four units, the office and two unit users; a 分别办理 item of three units (第0001号) and
    /// an item (第0002号) broken down into two children.
    func ledger(_ db: Ledgers) throws -> (PostgresStore, split: ItemNumber, parent: ItemNumber) {
        let pg = try db.create()
        for unit in ["城关镇", "县住建局", "县财政局", "县教育局"] {
            try pg.commit(
                .addUnit(Unit(name: unit, kind: unit.hasSuffix("镇") ? .township : .department)), login: "clerk",
                clock: Ledgers.clock)
        }
        try pg.commit(.addUser(User(login: "clerk", role: .supervisor)), login: "clerk", clock: Ledgers.clock)
        try pg.commit(.addUser(User(login: "cgz", role: .unit, unit: "城关镇")), login: "clerk", clock: Ledgers.clock)
        try pg.commit(.addUser(User(login: "zj", role: .unit, unit: "县住建局")), login: "clerk", clock: Ledgers.clock)
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: Ledgers.today, deadline: Fixtures.day("2026-11-20"))
        let split = try #require(
            try pg.commit(.registerSplit(r, leads: ["城关镇", "县住建局", "县财政局"]), login: "clerk", clock: Ledgers.clock).first?.item)
        let p = Registration(
            title: "老旧小区改造", source: "政府常务会决定事项", leadUnit: "县教育局", assignedOn: Ledgers.today,
            deadline: Fixtures.day("2026-12-31"))
        let parent = try #require(try pg.commit(.register(p), login: "clerk", clock: Ledgers.clock).first?.item)
        for (title, lead, deadline) in [("完成摸底", "城关镇", "2026-11-30"), ("完成设计", "县财政局", "2026-12-20")] {
            let c = Registration(
                title: title, source: "政府常务会决定事项", leadUnit: lead, assignedOn: Ledgers.today, deadline: Fixtures.day(deadline))
            try pg.commit(.registerChild(of: ItemReference(parent), c), login: "clerk", clock: Ledgers.clock)
        }
        return (pg, split, parent)
    }

    @Test func childItemsAreWrittenActedOnReadBackAndChecked() throws {
        let db = try Ledgers()
        let (pg, split, parent) = try ledger(db)
        #expect(pg.ledger.parts(of: try #require(pg.ledger.item(split))).map(\.number) == [1, 2, 3].map(split.child))
        #expect(pg.ledger.children(of: parent).map(\.number) == [parent.child(1), parent.child(2)])

        // A unit acts on its own part by the item's number; the office approves it.
        let ref = ItemReference(split)
        try pg.commit(.act(ref, .action(.sign)), login: "cgz", clock: Ledgers.clock)
        try pg.commit(.act(ref, .action(.feedback(text: "已清理背街小巷12条"))), login: "cgz", clock: Ledgers.clock)
        try pg.commit(.act(ref, .action(.requestCompletion(report: "全部整治完毕"))), login: "cgz", clock: Ledgers.clock)
        try pg.commit(
            .act(ref.part("城关镇"), .action(.approveCompletion(grade: .good, note: "同意办结"))), login: "clerk", clock: Ledgers.clock)
        try pg.commit(.act(ref, .action(.sign)), login: "zj", clock: Ledgers.clock)
        // A child of the broken-down item, signed for its unit by the office.
        try pg.commit(.act(ItemReference(parent.child(1)), .action(.sign), forUnit: "城关镇"), login: "clerk", clock: Ledgers.clock)
        let states = { (l: Ledger) in
            [split, split.child(1), split.child(2), split.child(3), parent, parent.child(1), parent.child(2)].map {
                l.item($0)?.state
            }
        }
        #expect(states(pg.ledger) == [.pending, .closed, .active, .pending, .pending, .active, .pending])
        #expect(pg.ledger.shownState(try #require(pg.ledger.item(split))) == .active)

        // Each child has a row of its own, and its records carry its sub-number.
        #expect(
            try db.asSuperuser(
                "SELECT string_agg(serial || '-' || sub || ':' || lead_unit, ',' ORDER BY year, serial, sub) FROM items")
                == "1-0:,1-1:城关镇,1-2:县住建局,1-3:县财政局,2-0:县教育局,2-1:城关镇,2-2:县财政局\n")
        #expect(
            try db.asSuperuser("SELECT count(*) FROM records WHERE item_serial = 1 AND item_sub = 1")
                == "\(try #require(pg.ledger.item(split.child(1))).eventCount)\n")

        // Opened anew, wholly or by the items table: the same items in the same states.
        let full = try PostgresStore.open(db.app, mode: .full)
        #expect(full.ledger.items == pg.ledger.items)
        #expect(full.ledger.items.map(\.isPart) == [false, true, true, true, false, false, false])
        let summary = try PostgresStore.open(db.app, mode: .summary)
        #expect(states(summary.ledger) == states(pg.ledger))
        #expect(summary.ledger.items.map(\.isPart) == full.ledger.items.map(\.isPart))
        #expect(summary.ledger.items.map(\.eventCount) == full.ledger.items.map(\.eventCount))
        // A command about an item reads its children's histories with it.
        let only = try PostgresStore.open(db.app, mode: .only([split]))
        for n in [split, split.child(1), split.child(2), split.child(3)] {
            #expect(only.ledger.item(n)?.history == full.ledger.item(n)?.history, "\(n)")
        }
        #expect(try summary.history(of: split.child(1)) == full.ledger.item(split.child(1))?.history)
        // A request judged on the whole history (an undo), from a store holding states only: the
        // part's history is read from its own records.
        let undone = try summary.commit(.act(ref, .undo), login: "zj", clock: Ledgers.clock)
        #expect(undone.map(\.item) == [split.child(2)])
        #expect(try full.refresh() && full.ledger.item(split.child(2))?.state == .pending)

        let report = try full.check()
        #expect(report.problems == [])
        #expect(report.summary.hasPrefix("7件事项"), "\(report.summary)")
    }

    @Test func aUnitSeesItsOwnPartOnly() throws {
        let db = try Ledgers()
        let (pg, split, parent) = try ledger(db)
        let all = "SELECT string_agg(number, ',' ORDER BY year, serial, sub) FROM items"
        func asUnit(_ unit: String) throws -> String {
            try db.asApp("SET LOCAL ducha.role = 'unit'; SET LOCAL ducha.unit = '\(unit)'; \(all)")
        }
        #expect(try asUnit("县住建局") == "督〔2026〕第0001号之2\n")
        #expect(try asUnit("城关镇") == "督〔2026〕第0001号之1,督〔2026〕第0002号之1\n")
        #expect(try asUnit("县教育局") == "督〔2026〕第0002号\n")
        #expect(try pg.visibleItemNumbers(unit: "县财政局") == [split.child(3), parent.child(2)])
        #expect(try pg.visibleItemNumbers(unit: nil).count == 7)
    }

    @Test func aChildsRecordFiledUnderAnotherItemIsFoundByCheck() throws {
        let db = try Ledgers()
        let (pg, split, _) = try ledger(db)
        #expect(try pg.check().problems == [])
        let seq = try #require(pg.ledger.item(split.child(2))?.history.first?.seq)
        _ = try db.asSuperuser(
            "ALTER TABLE records DISABLE TRIGGER records_append_only; UPDATE records SET item_sub = 3 WHERE seq = \(seq); "
                + "ALTER TABLE records ENABLE TRIGGER records_append_only")
        #expect(try pg.check().problems == ["数据库中的第 \(seq) 条记录：所属事项与记录内容不一致"])
    }

    @Test func aFolderWithChildItemsMigratesWhole() throws {
        let dir = TemporaryDirectory()
        let settings = Ledgers.settings
        let repo = try Repository.create(
            at: dir.sub("repo"), settings: settings, login: "clerk", at: Timestamp(day: Ledgers.today, hour: 9, minute: 0))
        let at = Timestamp(day: Ledgers.today, hour: 10, minute: 0)
        for unit in ["城关镇", "县住建局", "县财政局"] {
            try repo.commit(.addUnit(Unit(name: unit, kind: .department)), login: "clerk", at: at, today: Ledgers.today)
        }
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: Ledgers.today, deadline: Fixtures.day("2026-11-20"))
        let split = try #require(
            try repo.commit(.registerSplit(r, leads: ["城关镇", "县住建局", "县财政局"]), login: "clerk", at: at, today: Ledgers.today)
                .first?.item)
        try repo.commit(.act(ItemReference(split), .action(.sign), forUnit: "县住建局"), login: "clerk", at: at, today: Ledgers.today)
        let p = Registration(
            title: "老旧小区改造", source: "领导批示", leadUnit: "县财政局", assignedOn: Ledgers.today, deadline: Fixtures.day("2026-12-31"))
        let parent = try #require(try repo.commit(.register(p), login: "clerk", at: at, today: Ledgers.today).first?.item)
        let c = Registration(
            title: "先行试点", source: "领导批示", leadUnit: "城关镇", assignedOn: Ledgers.today, deadline: Fixtures.day("2026-11-10"))
        try repo.commit(.registerChild(of: ItemReference(parent), c), login: "clerk", at: at, today: Ledgers.today)
        try repo.commit(
            .act(ItemReference(parent.child(1)), .action(.sign), forUnit: "城关镇"), login: "clerk", at: at, today: Ledgers.today)
        let files = try Repository.open(at: repo.directory)
        #expect(
            files.ledger.items.map(\.number) == [split, split.child(1), split.child(2), split.child(3), parent, parent.child(1)])

        let db = try Ledgers()
        let moved = try PostgresStore.migrate(files, owner: db.owner, app: TestPostgres.appRole)
        #expect(moved.items == files.ledger.items.count && moved.head == files.ledger.chainHead)
        let pg = try PostgresStore.open(db.app)
        #expect(pg.ledger.items == files.ledger.items)
        #expect(pg.ledger.items.map(\.isPart) == files.ledger.items.map(\.isPart))
        #expect(try pg.check().problems == [])
        let summary = try PostgresStore.open(db.app, mode: .summary)
        #expect(summary.ledger.items.map(\.state) == files.ledger.items.map(\.state))
    }

    /// A ledger made by the schema before child items: its owner upgrades it in place, once;
    /// until then ducha's commits are refused in Chinese and write nothing.
    @Test func aDatabaseOfTheEarlierSchemaIsUpgradedInPlace() throws {
        let db = try Ledgers()
        let pg = try db.create()
        for (command, login) in lifecycle.prefix(7) { try pg.commit(command, login: login, clock: Ledgers.clock) }
        _ = try db.asSuperuser(
            """
            DROP INDEX records_item; ALTER TABLE records DROP COLUMN item_sub;
            CREATE INDEX records_item ON records (item_year, item_serial, seq) WHERE item_year IS NOT NULL;
            ALTER TABLE items DROP CONSTRAINT items_pkey; ALTER TABLE items DROP COLUMN sub;
            ALTER TABLE items ADD PRIMARY KEY (year, serial)
            """)
        let seq = pg.ledger.seq
        let old = try PostgresStore.open(db.app)
        let refused = try #require(throws: StoreError.self) {
            try old.commit(.addUnit(Unit(name: "城关镇", kind: .township)), login: "clerk", clock: Ledgers.clock)
        }
        #expect(refused.message.contains("台账表是旧版本的") && refused.message.contains("须由数据库所有者升级表结构"), "\(refused.message)")
        #expect(try db.asSuperuser("SELECT max(seq) FROM records") == "\(seq)\n")
        // ducha's role may not upgrade; the owner does, once.
        #expect(throws: StoreError.self) { try PostgresStore.upgradeForChildItems(owner: db.app) }
        #expect(try PostgresStore.upgradeForChildItems(owner: db.owner))
        #expect(try !PostgresStore.upgradeForChildItems(owner: db.owner))
        let upgraded = try PostgresStore.open(db.app, mode: .summary)
        #expect(upgraded.ledger.items.map(\.state) == pg.ledger.items.map(\.state) && upgraded.ledger.seq == seq)
        #expect(try upgraded.check().problems == [])
        // Children now: a 分别办理 item of two units.
        try upgraded.commit(.addUnit(Unit(name: "城关镇", kind: .township)), login: "clerk", clock: Ledgers.clock)
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: Ledgers.today, deadline: Fixtures.day("2026-11-20"))
        let n = try #require(
            try upgraded.commit(.registerSplit(r, leads: ["城关镇", "县财政局"]), login: "clerk", clock: Ledgers.clock).first?.item)
        #expect(try PostgresStore.open(db.app, mode: .summary).ledger.item(n.child(2))?.leadUnit == "县财政局")
        #expect(try upgraded.check().problems == [])
        #expect(
            try db.asSuperuser("SELECT string_agg(serial || '-' || sub, ',' ORDER BY serial, sub) FROM items")
                == "1-0,2-0,2-1,2-2\n")
    }
}
