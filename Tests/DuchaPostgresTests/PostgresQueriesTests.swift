import DuchaCore
import DuchaPostgres
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// Lists, counts and notices answered by the database say exactly what the files say from the
/// ledger in memory (`ItemQuery`), for every filter, order, person and day.
@Suite struct PostgresQueriesTests {
    static let today = Fixtures.day("2026-11-20")

    /// The demo ledger in files, with a 分别办理 item of three units (one part signed and
    /// closed) and an item broken down into two children.
    func files(_ dir: TemporaryDirectory) throws -> Repository {
        let data = try DataDirectory(path: Fixtures.dataPath)
        var settings = try data.settings()
        settings.testClock = true
        let ledger = try DemoBuilder.build(
            try data.demo(), settings: settings, today: Self.today, calendar: Fixtures.calendar, supervisor: "clerk")
        let repo = try Repository.create(at: dir.sub("repo"), ledger: ledger)
        let units = repo.ledger.units.map(\.name)
        let at = Timestamp(day: Self.today, hour: 9, minute: 0)
        let split = Registration(
            title: "背街小巷整治（城关片区）", source: "领导批示", leadUnit: "", assignedOn: Self.today,
            deadline: Fixtures.day("2026-11-25"))
        let s = try #require(
            try repo.commit(.registerSplit(split, leads: Array(units.prefix(3))), login: "clerk", at: at, today: Self.today)
                .first?.item)
        let part = ItemReference(s.child(1))
        try repo.commit(.act(part, .action(.sign), forUnit: units[0]), login: "clerk", at: at, today: Self.today)
        let parent = Registration(
            title: "老旧小区改造", source: "政府常务会决定事项", leadUnit: units[3], coUnits: [units[4]], assignedOn: Self.today,
            deadline: Fixtures.day("2026-12-31"))
        let p = try #require(try repo.commit(.register(parent), login: "clerk", at: at, today: Self.today).first?.item)
        for (title, lead, deadline) in [("完成摸底", units[0], "2026-11-24"), ("完成设计", units[5], "2026-12-20")] {
            let c = Registration(
                title: title, source: "政府常务会决定事项", leadUnit: lead, assignedOn: Self.today, deadline: Fixtures.day(deadline))
            try repo.commit(.registerChild(of: ItemReference(p), c), login: "clerk", at: at, today: Self.today)
        }
        // Search: the pairs of 城区段 (城区, 区段) occur, but not in a row; ASCII in both cases.
        let pairs = Registration(
            title: "老城区路面修缮及区段管护", instruction: "按GB 5768标准施划Ab类标线", source: "领导批示", leadUnit: units[1],
            coUnits: [units[2], units[3]], assignedOn: Self.today, deadline: Fixtures.day("2026-12-10"))
        try repo.commit(.register(pairs), login: "clerk", at: at, today: Self.today)
        return try Repository.open(at: repo.directory, mode: .full)
    }

    /// The demo ledger in files (`files`) and migrated into a fresh database.
    func migrated(_ dir: TemporaryDirectory) throws -> (Ledgers, Repository) {
        let db = try Ledgers()
        let full = try files(dir)
        try PostgresStore.migrate(full, owner: db.owner, app: TestPostgres.appRole)
        return (db, full)
    }

    /// The same files as a list reads them (items' states, no histories).
    func summary(_ files: Repository) throws -> Repository { try Repository.open(at: files.directory, mode: .summary) }

    func queries(_ ledger: Ledger) -> [ItemQuery] {
        var out: [ItemQuery] = []
        for scope in ItemQuery.Scope.allCases {
            for order in ItemQuery.Order.allCases { out.append(ItemQuery(scope: scope, order: order)) }
        }
        let units = ledger.units.map(\.name)
        for unit in units.prefix(6) { out.append(ItemQuery(unit: unit)) }
        for source in Set(ledger.items.map(\.source)) { out.append(ItemQuery(source: source, order: .deadline)) }
        for state in ItemState.allCases { out.append(ItemQuery(state: state)) }
        for light in Light.allCases { out.append(ItemQuery(light: light, order: .unit)) }
        for mark in ItemQuery.Mark.allCases {
            var q = ItemQuery(scope: .open)
            q.mark = mark
            out.append(q)
        }
        // Search: Chinese words, several words, a number, ASCII in another case, nothing found.
        let title = ledger.items[3].title
        for words in ["城关", "整治 城关", String(title.prefix(3)), "第0003号", "督〔2026〕", title, "无此事项的词", "  "] {
            out.append(ItemQuery(search: words))
            out.append(ItemQuery(scope: .open, search: words, order: .number))
        }
        out += searches(ledger).map { ItemQuery(search: $0) }
        // An extension awaiting a decision is found in the item's state, searched or not.
        for words in ["", "城", "城关 路灯"] {
            var q = ItemQuery(search: words)
            q.extensionPending = true
            out.append(q)
        }
        for basis in Set(ledger.items.compactMap(\.basisInfo)).sorted().prefix(3) {
            var q = ItemQuery()
            q.basis = String(basis.name.prefix(4))
            out.append(q)
            q.basis = basis.label
            q.basisExact = true
            out.append(q)
        }
        var several = ItemQuery(scope: .open, unit: units[0], search: "城关", order: .deadline)
        several.mark = .signOverdue
        out.append(several)
        return out
    }

    /// Searches the index of grams must answer exactly as a scan does: words of one, two and
    /// more characters, Chinese with ASCII and digits, words across the boundary of two fields
    /// (never found) and across co-units (found), pairs that occur but not in a row.
    func searches(_ ledger: Ledger) -> [String] {
        var out = [
            "城", "镇", "a", "A", "0", "5", "、", "城关", "路灯", "gb", "Ab", "26", "背街小巷", "城关镇 路灯", "gb 5768",
            "5768标准", "Ab类标线", "一级A标准", "800个", "城区段", "城区", "区段", "管护领导批示", "\u{1}",
            // The field separator is in the text: a word holding it spans two fields.
            "管护\u{1}" + String(ledger.units[1].name.prefix(2)),
        ]
        for item in ledger.items.prefix(12) {
            // The title's end and the next field's start; the first two co-units with the 、 between.
            out.append(String(item.title.suffix(2)) + String(item.leadUnit.prefix(2)))
            if item.coUnits.count > 1 { out.append(String(item.coUnits[0].suffix(2)) + "、" + String(item.coUnits[1].prefix(2))) }
            out.append(String(item.instruction.dropFirst(3).prefix(5)))
        }
        return out
    }

    func json(_ page: QueryPage) -> String {
        var w = JSONWriter(capacity: 4096)
        w.beginArray()
        for (item, status) in zip(page.items, page.statuses) {
            ItemJSON.write(item, status, ledger: page.ledger, history: false, into: &w)
        }
        w.endArray()
        return w.string
    }

    @Test func theDatabaseAnswersListsCountsAndNoticesAsTheFilesDo() throws {
        let dir = TemporaryDirectory()
        let (db, full) = try migrated(dir)
        let pg = try PostgresStore.open(db.app, mode: .queries)
        #expect(pg.ledger.items.isEmpty && pg.ledger.seq == full.ledger.seq)
        let files = try summary(full)
        pg.calendar = Fixtures.calendar
        let ledger = files.ledger
        let unit = ledger.items.first { !$0.coUnits.isEmpty && !$0.isSplit }?.coUnits.first ?? ledger.units[0].name
        let actors = [
            Actor(login: "clerk", role: .supervisor), Actor(login: "u", role: .unit, unit: unit),
            Actor(login: "p", role: .unit, unit: ledger.units[0].name),
        ]
        var compared = 0
        var nonEmpty = 0
        for day in [Self.today, Fixtures.day("2026-06-01"), Fixtures.day("2027-02-10")] {
            let e = StatusEvaluator(today: day, calendar: Fixtures.calendar, settings: ledger.settings)
            for actor in actors {
                #expect(try pg.overview(for: actor, e) == files.overview(for: actor, e), "\(actor.login) \(day)")
                #expect(try pg.openDeadlineYears(for: actor, e) == files.openDeadlineYears(for: actor, e))
                for q in queries(ledger) {
                    let want = try files.all(q, for: actor, e)
                    let got = try pg.all(q, for: actor, e)
                    #expect(got.items.map(\.number) == want.items.map(\.number), "\(q) \(actor.login) \(day)")
                    #expect(got.statuses == want.statuses, "\(q) \(actor.login) \(day)")
                    #expect(json(got) == json(want) ? true : false, "list --format json differs: \(q) \(actor.login) \(day)")
                    #expect(try pg.counts(q, for: actor, e) == files.counts(q, for: actor, e), "\(q) \(actor.login) \(day)")
                    let slice = try pg.page(q, for: actor, e, offset: 2, limit: 3)
                    #expect(slice.items.map(\.number) == Array(want.items.dropFirst(2).prefix(3).map(\.number)))
                    if let last = want.items.last {
                        #expect(try pg.position(of: last.number, q, for: actor, e) == want.items.count - 1)
                        nonEmpty += 1
                    }
                    compared += 1
                }
            }
        }
        #expect(compared > 300 && nonEmpty > 200)
    }

    /// Commits keep the query columns: parts closed and withdrawn close their 分别办理 item's shown
    /// state (written as the office would, the unit not seeing the item), a feedback, a new item.
    @Test func commitsKeepTheQueryColumns() throws {
        let dir = TemporaryDirectory()
        let (db, files) = try migrated(dir)
        let pg = try PostgresStore.open(db.app, mode: .summary)
        pg.calendar = Fixtures.calendar
        let units = files.ledger.units.map(\.name)
        let split = try #require(files.ledger.items.first { $0.isSplit }?.number)
        let part = ItemReference(split.child(1))
        let open = try #require(files.ledger.items.first { $0.state == .active && !$0.number.isChild })
        let r = Registration(
            title: "城关片区新增停车位", source: "领导批示", leadUnit: units[2], assignedOn: Self.today, deadline: Fixtures.day("2026-11-24"))
        let commands: [Command] = [
            .act(part, .action(.requestCompletion(report: "已全部整治")), forUnit: units[0]),
            .act(part, .action(.approveCompletion(grade: .good, note: "同意办结"))),
            .act(ItemReference(split.child(2)), .action(.withdraw(reason: "不再由该单位办理"))),
            .act(ItemReference(split.child(3)), .action(.withdraw(reason: "不再由该单位办理"))),
            .act(ItemReference(open.number), .action(.feedback(text: "城关片区已完成一半")), forUnit: open.leadUnit),
            .register(r),
        ]
        for c in commands {
            try files.commit(c, login: "clerk", at: Timestamp(day: Self.today, hour: 11, minute: 0), today: Self.today)
            try pg.commit(c, login: "clerk", clock: RecordClock(fixedToday: Self.today))
        }
        let reader = try PostgresStore.open(db.app, mode: .queries)
        let sum = try summary(files)
        let e = StatusEvaluator(today: Self.today, calendar: Fixtures.calendar, settings: sum.ledger.settings)
        for actor in [Actor(login: "clerk", role: .supervisor), Actor(login: "u", role: .unit, unit: units[0])] {
            for q in [
                ItemQuery(), ItemQuery(scope: .open), ItemQuery(scope: .closed), ItemQuery(state: .active),
                ItemQuery(state: .closed, order: .number), ItemQuery(search: "城关"), ItemQuery(scope: .dueSoon),
            ] {
                let want = try sum.all(q, for: actor, e)
                let got = try reader.all(q, for: actor, e)
                #expect(got.items.map(\.number) == want.items.map(\.number), "\(q) \(actor.login)")
                #expect(json(got) == json(want) ? true : false, "\(q) \(actor.login)")
                #expect(try reader.counts(q, for: actor, e) == sum.counts(q, for: actor, e), "\(q) \(actor.login)")
            }
        }
        #expect(
            try db.asSuperuser(
                "SELECT shown_state FROM items WHERE year = \(split.year) AND serial = \(split.serial) AND sub = 0") == "closed\n"
        )
    }

    /// The days lights change are counted with the calendar and settings they were read with:
    /// another calendar, or a commit that changes the settings, counts them all again.
    @Test func anotherCalendarOrOtherSettingsCountTheLightsAgain() throws {
        let dir = TemporaryDirectory()
        let (db, full) = try migrated(dir)
        let files = try summary(full)
        let pg = try PostgresStore.open(db.app, mode: .queries)
        let clerk = Actor(login: "clerk", role: .supervisor)
        let weekends = StatusEvaluator(today: Self.today, calendar: .weekendsOnly, settings: files.ledger.settings)
        let holidays = StatusEvaluator(today: Self.today, calendar: Fixtures.calendar, settings: files.ledger.settings)
        let dueSoon = ItemQuery(scope: .dueSoon)
        for e in [weekends, holidays, weekends] {
            #expect(
                try pg.all(dueSoon, for: clerk, e).items.map(\.number) == files.all(dueSoon, for: clerk, e).items.map(\.number))
        }
        #expect(try db.asSuperuser("SELECT count(*) FROM ducha_meta") == "1\n")
        // Five working days make more items due soon; the commit counts them again.
        pg.calendar = Fixtures.calendar
        var settings = files.ledger.settings
        settings.dueSoonWorkdays = 5
        let configure = Command.setting(key: "due-soon", value: "5")
        try pg.commit(configure, login: "clerk", clock: RecordClock(fixedToday: Self.today))
        try files.commit(configure, login: "clerk", at: Timestamp(day: Self.today, hour: 10, minute: 0), today: Self.today)
        #expect(try db.asSuperuser("SELECT value FROM ducha_meta").contains("due-soon=5"))
        // A day on which five working days make a difference.
        var day = Self.today
        var narrow: [ItemNumber] = []
        var want: [ItemNumber] = []
        for d in 0..<60 {
            day = Self.today.adding(days: d)
            var old = files.ledger.settings
            old.dueSoonWorkdays = 3
            let e3 = StatusEvaluator(today: day, calendar: Fixtures.calendar, settings: old)
            let e5 = StatusEvaluator(today: day, calendar: Fixtures.calendar, settings: settings)
            narrow = try files.all(dueSoon, for: clerk, e3).items.map(\.number)
            want = try files.all(dueSoon, for: clerk, e5).items.map(\.number)
            if want.count > narrow.count { break }
        }
        #expect(want.count > narrow.count)
        let wider = StatusEvaluator(today: day, calendar: Fixtures.calendar, settings: settings)
        #expect(try pg.all(dueSoon, for: clerk, wider).items.map(\.number) == want)
    }

    /// A database made before the query columns: its owner adds them; the first reader fills
    /// them; until then reading and writing are refused in Chinese.
    @Test func aDatabaseWithoutTheQueryColumnsIsUpgradedByItsOwner() throws {
        let dir = TemporaryDirectory()
        let (db, full) = try migrated(dir)
        let files = try summary(full)
        _ = try db.asSuperuser(
            """
            DROP TABLE ducha_meta; DROP INDEX records_global;
            ALTER TABLE items DROP COLUMN shown_state, DROP COLUMN source, DROP COLUMN basis_name, DROP COLUMN basis_number,
                DROP COLUMN basis_label, DROP COLUMN search, DROP COLUMN is_part, DROP COLUMN closed_on, DROP COLUMN fixed_light,
                DROP COLUMN late_days, DROP COLUMN yellow_from, DROP COLUMN red_from, DROP COLUMN sign_overdue_from,
                DROP COLUMN feedback_overdue_from, DROP COLUMN grams;
            DROP FUNCTION ducha_search(text[], text[], boolean)
            """)
        let clerk = Actor(login: "clerk", role: .supervisor)
        let e = StatusEvaluator(today: Self.today, calendar: Fixtures.calendar, settings: files.ledger.settings)
        let old = try PostgresStore.open(db.app, mode: .queries)
        let refused = try #require(throws: StoreError.self) { try old.counts(ItemQuery(), for: clerk, e) }
        #expect(refused.message.contains("台账表是旧版本的") && refused.message.contains("须由数据库所有者升级表结构"), "\(refused.message)")
        #expect(throws: StoreError.self) { try PostgresStore.upgradeForQueries(owner: db.app, app: TestPostgres.appRole) }
        #expect(try PostgresStore.upgradeForQueries(owner: db.owner, app: TestPostgres.appRole))
        #expect(try !PostgresStore.upgradeForQueries(owner: db.owner, app: TestPostgres.appRole))
        let pg = try PostgresStore.open(db.app, mode: .queries)
        let q = ItemQuery(scope: .open, search: "城关")
        #expect(try pg.all(q, for: clerk, e).items.map(\.number) == files.all(q, for: clerk, e).items.map(\.number))
        #expect(try pg.counts(ItemQuery(), for: clerk, e) == files.counts(ItemQuery(), for: clerk, e))
    }

    /// Search goes through the index of grams: each row holds its text's characters and pairs
    /// (never a gram across two fields), a query's rows are those `ducha_search` finds
    /// (rows whose grams were taken away are not found), and `strpos` keeps pairs that occur
    /// apart from matching.
    @Test func searchGoesThroughTheIndexOfGrams() throws {
        let dir = TemporaryDirectory()
        let (db, full) = try migrated(dir)
        let files = try summary(full)
        let pg = try PostgresStore.open(db.app, mode: .queries)
        pg.calendar = Fixtures.calendar
        let clerk = Actor(login: "clerk", role: .supervisor)
        let e = StatusEvaluator(today: Self.today, calendar: Fixtures.calendar, settings: files.ledger.settings)
        let item = try #require(files.ledger.items.first { $0.title == "老城区路面修缮及区段管护" }?.number)
        func found(_ words: String) throws -> [ItemNumber] {
            try pg.all(ItemQuery(search: words), for: clerk, e).items.map(\.number)
        }
        #expect(try found("城区").contains(item) && found("区段").contains(item))
        #expect(try found("城区段").isEmpty)
        #expect(try found("城区段") == files.all(ItemQuery(search: "城区段"), for: clerk, e).items.map(\.number))
        let key = "year = \(item.year) AND serial = \(item.serial) AND sub = \(item.sub)"
        let grams = try db.asSuperuser("SELECT array_to_string(grams, ' ') FROM items WHERE \(key)")
        #expect(grams.contains("城区") && grams.contains("区段") && grams.contains("ab") && !grams.contains("城区段"), "\(grams)")
        #expect(try db.asSuperuser("SELECT count(*) FROM items WHERE grams IS NULL OR grams = '{}'") == "0\n")
        #expect(
            try db.asSuperuser("SELECT count(*) FROM items, unnest(grams) g WHERE strpos(g, E'\\x01') > 0 OR length(g) > 2")
                == "0\n")
        // A unit learns from the function only the keys of rows it may read.
        let unit = files.ledger.units[1].name
        let mine = try db.asSuperuser(
            "SELECT count(*) FROM items WHERE grams @> ARRAY['城'] AND (lead_unit = '\(unit)' OR '\(unit)' = ANY (co_units))")
        let all = try db.asSuperuser("SELECT count(*) FROM items WHERE grams @> ARRAY['城']")
        func keys(_ settings: String) throws -> String {
            try db.server.psql(
                "\(settings) SELECT count(*) FROM ducha_search(ARRAY['城'], ARRAY['城'], false)", database: db.database,
                user: TestPostgres.appRole,
                password: TestPostgres.appPassword)
        }
        #expect(try keys("SET ducha.role = 'unit'; SET ducha.unit = '\(unit)';") == mine)
        #expect(try keys("SET ducha.role = 'supervisor';") == all)
        #expect(try keys("") == "0\n")
        #expect(mine != all && mine != "0\n")
        // The rows come from the index: a row without its grams is not found.
        _ = try db.asSuperuser("UPDATE items SET grams = '{}' WHERE \(key)")
        #expect(try !found("城区").contains(item))
    }

    /// A database made before the search index (rules version 3): reading is refused in Chinese
    /// until its owner adds the index; the first reader then counts every row's grams.
    @Test func aDatabaseWithoutTheSearchIndexIsUpgradedByItsOwner() throws {
        let dir = TemporaryDirectory()
        let (db, full) = try migrated(dir)
        let files = try summary(full)
        #expect(try db.asSuperuser("SELECT value FROM ducha_meta").hasPrefix("columns=4;"))
        _ = try db.asSuperuser(
            """
            ALTER TABLE items DROP COLUMN grams; DROP FUNCTION ducha_search(text[], text[], boolean);
            UPDATE ducha_meta SET value = replace(value, 'columns=4;', 'columns=3;')
            """)
        let clerk = Actor(login: "clerk", role: .supervisor)
        let e = StatusEvaluator(today: Self.today, calendar: Fixtures.calendar, settings: files.ledger.settings)
        let q = ItemQuery(search: "城关 整治")
        let old = try PostgresStore.open(db.app, mode: .queries)
        let refused = try #require(throws: StoreError.self) { try old.all(q, for: clerk, e) }
        #expect(refused.message.contains("台账表是旧版本的") && refused.message.contains("须由数据库所有者升级表结构"), "\(refused.message)")
        #expect(throws: StoreError.self) { try PostgresStore.upgradeForQueries(owner: db.app, app: TestPostgres.appRole) }
        #expect(try PostgresStore.upgradeForQueries(owner: db.owner, app: TestPostgres.appRole))
        #expect(try !PostgresStore.upgradeForQueries(owner: db.owner, app: TestPostgres.appRole))
        let pg = try PostgresStore.open(db.app, mode: .queries)
        let want = try files.all(q, for: clerk, e).items.map(\.number)
        #expect(!want.isEmpty)
        #expect(try pg.all(q, for: clerk, e).items.map(\.number) == want)
        #expect(try db.asSuperuser("SELECT count(*) FROM items WHERE grams IS NULL") == "0\n")
        #expect(try db.asSuperuser("SELECT value FROM ducha_meta").hasPrefix("columns=4;"))
    }
}
