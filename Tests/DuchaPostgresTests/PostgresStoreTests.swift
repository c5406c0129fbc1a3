import DuchaCore
import DuchaPostgres
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// A fresh database on the test server, with the owner's and ducha's connection strings.
struct Ledgers {
    let server: TestPostgres
    let database: String
    let folder = TemporaryDirectory("ducha-pg")
    let owner: PostgresLocation
    let app: PostgresLocation

    static let today = Fixtures.day("2026-11-02")
    static var settings: Settings {
        var s = Settings(officeName: "青山县委督查室")
        s.testClock = true
        return s
    }
    static var clock: RecordClock { RecordClock(fixedToday: today) }

    init() throws {
        server = try TestPostgres.shared()
        database = try server.makeDatabase()
        let passfile = folder.sub("pgpass")
        try "# ducha 的数据库口令\n*:*:\(database):\(TestPostgres.appRole):\(TestPostgres.appPassword)\n".write(
            toFile: passfile, atomically: false, encoding: .utf8)
        chmod(passfile, 0o600)
        owner = try PostgresLocation.parse(server.connectionString(database: database, role: TestPostgres.superuser))
        app = try PostgresLocation.parse(server.connectionString(database: database) + "&passfile=\(passfile)")
    }

    /// Creates the ledger (as the owner) and opens it as ducha's role.
    func create(mode: Repository.LoadMode = .full) throws -> PostgresStore {
        try PostgresStore.create(
            owner: owner, app: TestPostgres.appRole, settings: Ledgers.settings, login: "clerk", clock: Ledgers.clock)
        return try PostgresStore.open(app, mode: mode)
    }

    /// SQL as ducha's role (what a bug or an intruder in ducha's process could send).
    func asApp(_ sql: String) throws -> String {
        try server.psql(sql, database: database, user: TestPostgres.appRole, password: TestPostgres.appPassword)
    }

    func asSuperuser(_ sql: String) throws -> String { try server.psql(sql, database: database) }
}

/// The commands of a whole lifecycle: units, roster, register → sign → feedback → complete → approve.
let lifecycle: [(Command, String)] = {
    let ref = try! ItemReference.parse("1")
    let r = Registration(
        title: "城区停车难治理", instruction: "请县财政局牵头办理。", source: "领导批示", leader: "李明远", leadUnit: "县财政局",
        coUnits: ["县发改局"], assignedOn: Ledgers.today, deadline: Fixtures.day("2026-11-30"))
    return [
        (.addUnit(Unit(name: "县财政局", kind: .department)), "clerk"),
        (.addUnit(Unit(name: "县发改局", kind: .department)), "clerk"),
        (.addUser(User(login: "clerk", role: .supervisor)), "clerk"),
        (.addUser(User(login: "cz", role: .unit, unit: "县财政局")), "clerk"),
        (.addUser(User(login: "fg", role: .unit, unit: "县发改局")), "clerk"),
        (.register(r), "clerk"),
        (.act(ref, .action(.sign)), "cz"),
        (.act(ref, .action(.feedback(text: "已召开专题会议，制定停车治理方案"))), "cz"),
        (.act(ref, .action(.feedback(text: "配合提供发改数据"))), "fg"),
        (.act(ref, .action(.requestCompletion(report: "新增停车位1200个，已全部完成"))), "cz"),
        (.act(ref, .action(.approveCompletion(grade: .good, note: "同意办结"))), "clerk"),
    ]
}()

@Suite struct PostgresStoreTests {
    @Test func aLifecycleGivesTheSameLedgerAsTheFiles() throws {
        let db = try Ledgers()
        let pg = try db.create()
        let first = try #require(pg.ledger.log.first)
        let dir = TemporaryDirectory()
        let files = try Repository.create(at: dir.sub("repo"), settings: Ledgers.settings, login: "clerk", at: first.at)
        #expect(pg.ledger.chainHead == files.ledger.chainHead)
        for (command, login) in lifecycle {
            let written = try pg.commit(command, login: login, clock: Ledgers.clock)
            // The files record the same command at the time the database gave.
            let at = try #require(written.first?.at)
            let same = try files.commit(command, login: login, clock: RecordClock(fixedToday: Ledgers.today, now: { at }))
            #expect(written == same)
            #expect(written.map(\.prev) == same.map(\.prev))
        }
        let item = try #require(pg.ledger.items.first)
        #expect(item.state == .closed)
        #expect(item.grade == .good)
        #expect(pg.ledger.seq == files.ledger.seq)
        #expect(pg.ledger.items == files.ledger.items)
        #expect(pg.ledger.units == files.ledger.units)
        #expect(pg.ledger.users == files.ledger.users)
        #expect(pg.ledger.chainHead == files.ledger.chainHead)

        // Opened again, whole and as states only, it is still the same ledger.
        let whole = try PostgresStore.open(db.app)
        #expect(whole.ledger.items == files.ledger.items)
        #expect(whole.ledger.chainHead == files.ledger.chainHead)
        let summary = try PostgresStore.open(db.app, mode: .summary)
        let fileSummary = try Repository.open(at: files.directory, mode: .summary)
        #expect(summary.ledger.items.map(stateLine) == fileSummary.ledger.items.map(stateLine))
        #expect(summary.ledger.seq == files.ledger.seq)
        #expect(summary.ledger.users == files.ledger.users)
        #expect(try summary.history(of: item.number) == item.history)
        #expect(
            try db.asSuperuser("SELECT state, lead_unit, co_units::text, deadline FROM items")
                == "closed|县财政局|{县发改局}|2026-11-30\n")
        #expect(try pg.check().problems == [])
    }

    func stateLine(_ item: Item) -> String {
        var w = JSONWriter()
        ItemStateCodec.encode(item, into: &w)
        return item.number.description + w.string
    }

    @Test func theRecordsCannotBeChangedByDuchasRole() throws {
        let db = try Ledgers()
        let pg = try db.create()
        for (command, login) in lifecycle.prefix(7) { try pg.commit(command, login: login, clock: Ledgers.clock) }
        let before = try db.asSuperuser("SELECT seq, line FROM records ORDER BY seq")
        for sql in [
            "UPDATE records SET line = replace(line, '城区', '郊区') WHERE seq = 6",
            "DELETE FROM records WHERE seq = 7",
            "TRUNCATE records",
            "DELETE FROM items",
        ] {
            #expect(throws: TestPostgres.SetupError.self, "\(sql)") { try db.asApp(sql) }
        }
        // Not even the owner can, while the trigger is there.
        for sql in ["UPDATE records SET line = line WHERE seq = 6", "DELETE FROM records WHERE seq = 7", "TRUNCATE records"] {
            let error = try #require(throws: TestPostgres.SetupError.self) { try db.asSuperuser(sql) }
            #expect(error.description.contains("台账记录只能追加"))
        }
        // A record that does not continue the chain is refused by the server too.
        let forged = try #require(throws: TestPostgres.SetupError.self) {
            try db.asApp(
                "INSERT INTO records (seq, line, prev) VALUES (9, '{\"seq\":9,\"prev\":\"\(Chain.start)\",\"at\":\"2026-11-02T09:00:00+08:00\",\"by\":\"clerk\",\"do\":\"setting\",\"key\":\"x\",\"value\":\"y\"}', '\(Chain.start)')"
            )
        }
        #expect(forged.description.contains("第 9 条记录所记的前一条记录的校验码与第 8 条不符"))
        #expect(try db.asSuperuser("SELECT seq, line FROM records ORDER BY seq") == before)
        #expect(try pg.check().problems == [])
    }

    @Test func twoReviewersAtOnceGiveExactlyOneWinner() throws {
        let db = try Ledgers()
        let setup = try db.create()
        for (command, login) in lifecycle.dropLast() { try setup.commit(command, login: login, clock: Ledgers.clock) }
        let approve = lifecycle.last!.0
        final class Outcome: @unchecked Sendable {
            let lock = NSLock()
            var results: [Result<[Entry], StoreError>] = []
        }
        let outcome = Outcome()
        let stores = try (0..<2).map { _ in try PostgresStore.open(db.app, mode: .summary) }
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for store in stores {
            nonisolated(unsafe) let store = store
            group.enter()
            Thread.detachNewThread {
                start.wait()
                let r = Result { () throws(StoreError) in try store.commit(approve, login: "clerk", clock: Ledgers.clock) }
                outcome.lock.lock()
                outcome.results.append(r)
                outcome.lock.unlock()
                group.leave()
            }
        }
        start.signal()
        start.signal()
        group.wait()
        let wins = outcome.results.filter { if case .success = $0 { true } else { false } }
        #expect(wins.count == 1)
        let losses = outcome.results.compactMap { if case .failure(let e) = $0 { e } else { nil } }
        #expect(losses.count == 1)
        if case .refused = losses.first {} else { Issue.record("the loser was not refused by the workflow: \(losses)") }
        #expect(try db.asSuperuser("SELECT count(*) FROM records WHERE line LIKE '%同意办结%'") == "1\n")
        #expect(try setup.refresh())
        #expect(setup.ledger.items.first?.state == .closed)
        #expect(try setup.check().problems == [])
    }

    @Test func writersAtOnceLoseNothingAndKeepOneChain() throws {
        let db = try Ledgers()
        let setup = try db.create()
        for (command, login) in lifecycle.prefix(7) { try setup.commit(command, login: login, clock: Ledgers.clock) }
        let ref = try ItemReference.parse("1")
        final class Failures: @unchecked Sendable {
            let lock = NSLock()
            var errors: [String] = []
        }
        let failures = Failures()
        let writers = 4
        let each = 25
        let stores = try (0..<writers).map { _ in try PostgresStore.open(db.app, mode: .summary) }
        let group = DispatchGroup()
        for (w, store) in stores.enumerated() {
            nonisolated(unsafe) let store = store
            group.enter()
            Thread.detachNewThread {
                for i in 0..<each {
                    do {
                        try store.commit(
                            .act(ref, .action(.feedback(text: "第\(w)路第\(i)次反馈"))), login: w % 2 == 0 ? "cz" : "fg",
                            clock: Ledgers.clock)
                    } catch {
                        failures.lock.lock()
                        failures.errors.append("\(error)")
                        failures.lock.unlock()
                    }
                }
                group.leave()
            }
        }
        group.wait()
        #expect(failures.errors == [])
        #expect(try db.asSuperuser("SELECT count(*) FROM records WHERE line LIKE '%路第%次反馈%'") == "\(writers * each)\n")
        #expect(try setup.refresh())
        #expect(setup.ledger.seq == 8 + writers * each)
        #expect(try setup.check().problems == [])
        let item = try #require(setup.ledger.items.first)
        #expect(try setup.history(of: item.number)?.count == item.eventCount)
    }

    @Test func theChainVerifiesAndARecordAlteredByASuperuserIsFound() throws {
        let db = try Ledgers()
        let pg = try db.create()
        for (command, login) in lifecycle { try pg.commit(command, login: login, clock: Ledgers.clock) }
        let clean = try pg.check()
        #expect(clean.problems == [])
        #expect(clean.summary.contains("1件事项"))
        // A superuser takes the trigger away and rewrites a feedback.
        let seq = try db.asSuperuser("SELECT seq FROM records WHERE line LIKE '%已召开专题会议%'")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(seq == "9")
        try db.asSuperuser(
            """
            ALTER TABLE records DISABLE TRIGGER records_append_only;
            UPDATE records SET line = replace(line, '已召开专题会议', '尚未召开会议') WHERE seq = 9;
            ALTER TABLE records ENABLE TRIGGER records_append_only;
            """)
        let report = try pg.check()
        #expect(report.problems == ["数据库中的第 10 条记录：所记的前一条记录的校验码与第 9 条不符：第 9 条被改动过，或其间有记录被删除、调换，或此条是后来插入的"])

    }

    @Test func aUnitSeesOnlyItsOwnItems() throws {
        let db = try Ledgers()
        let pg = try db.create()
        for (command, login) in lifecycle.prefix(6) { try pg.commit(command, login: login, clock: Ledgers.clock) }
        try pg.commit(.addUnit(Unit(name: "县水利局", kind: .department)), login: "clerk", clock: Ledgers.clock)
        let r = Registration(
            title: "河道清淤", source: "领导批示", leadUnit: "县水利局", assignedOn: Ledgers.today, deadline: Fixtures.day("2026-12-15"))
        try pg.commit(.register(r), login: "clerk", clock: Ledgers.clock)
        let all = "SELECT string_agg(serial::text, ',' ORDER BY serial) FROM items"
        func asUnit(_ unit: String) throws -> String {
            try db.asApp(
                "SET LOCAL ducha.role = 'unit'; SET LOCAL ducha.unit = '\(unit)'; \(all)"
            )
        }
        #expect(try asUnit("县水利局") == "2\n")
        #expect(try asUnit("县财政局") == "1\n")
        #expect(try asUnit("县发改局") == "1\n")  // co-handles the first
        #expect(try asUnit("县教育局") == "\n")
        // Nobody named: nothing; the office: everything.
        #expect(try db.asApp(all) == "\n")
        #expect(
            try db.asApp("SET LOCAL ducha.role = 'supervisor'; \(all)")
                == "1,2\n")
        #expect(try pg.visibleItemNumbers(unit: "县水利局").map(\.serial) == [2])
        #expect(try pg.visibleItemNumbers(unit: nil).map(\.serial) == [1, 2])
    }

    @Test func anotherStoresCommitIsNotifiedAndPickedUp() throws {
        let db = try Ledgers()
        let a = try db.create()
        let b = try PostgresStore.open(db.app, mode: .summary)
        let changed = DispatchSemaphore(value: 0)
        try b.listen { changed.signal() }
        #expect(try b.refresh() == false)
        for (command, login) in lifecycle.prefix(6) { try a.commit(command, login: login, clock: Ledgers.clock) }
        // Woken by the server, not by polling (the wait only bounds a failure).
        #expect(changed.wait(timeout: .now() + 60) == .success)
        while changed.wait(timeout: .now()) == .success {}
        #expect(try b.refresh() == true)
        #expect(b.ledger.seq == a.ledger.seq)
        #expect(b.ledger.items.map(\.title) == ["城区停车难治理"])
        #expect(try b.refresh() == false)
    }

    @Test func aFixedTodayWritesOnlyInATestLedger() throws {
        let db = try Ledgers()
        try PostgresStore.create(
            owner: db.owner, app: TestPostgres.appRole, settings: Settings(officeName: "青山县委督查室"), login: "clerk",
            clock: RecordClock())
        let pg = try PostgresStore.open(db.app)
        let error = try #require(throws: StoreError.self) {
            try pg.commit(
                .addUnit(Unit(name: "县财政局", kind: .department)), login: "clerk",
                clock: RecordClock(fixedToday: Fixtures.day("2020-01-06")))
        }
        #expect(error.message.contains("服务器的日期"))
        #expect(try db.asSuperuser("SELECT count(*) FROM records") == "1\n")
        // Without a fixed day, the record takes the database server's time.
        let written = try pg.commit(.addUnit(Unit(name: "县财政局", kind: .department)), login: "clerk", clock: RecordClock())
        let serverDay = try db.asSuperuser("SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')")
        #expect(written.first?.at.day.description == serverDay.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func aRequestJudgedOnTheWholeHistoryReadsItFirst() throws {
        let db = try Ledgers()
        let setup = try db.create()
        for (command, login) in lifecycle.prefix(8) { try setup.commit(command, login: login, clock: Ledgers.clock) }
        let number = try #require(setup.ledger.items.first?.number)
        // A store holding states only: the undo is judged on the history, read from the records.
        let summary = try PostgresStore.open(db.app, mode: .summary)
        #expect(summary.ledger.item(number)?.hasFullHistory == false)
        let undone = try summary.commit(.act(try ItemReference.parse("1"), .undo), login: "cz", clock: Ledgers.clock)
        #expect(undone.count == 1)
        #expect(summary.ledger.item(number)?.latestProgress == nil)
        // The same as folding every record.
        let whole = try PostgresStore.open(db.app)
        #expect(whole.ledger.item(number)?.latestProgress == nil)
        #expect(try summary.history(of: number) == whole.ledger.item(number)?.history)
        // A store opened for one item holds its whole history.
        let one = try PostgresStore.open(db.app, mode: .only([number]))
        #expect(one.ledger.item(number)?.history == whole.ledger.item(number)?.history)
        #expect(try summary.check().problems == [])
    }

    @Test func severalCommandsAreAllOrNothing() throws {
        let db = try Ledgers()
        let pg = try db.create(mode: .summary)
        let r = Registration(
            title: "河道清淤", source: "领导批示", leadUnit: "县水利局", assignedOn: Ledgers.today, deadline: Fixtures.day("2026-12-15"))
        // The unit is created before the item that names it, in one transaction.
        let written = try pg.commitAll(
            [.addUnit(Unit(name: "县水利局", kind: .department)), .register(r)], login: "clerk", clock: Ledgers.clock)
        #expect(written.map(\.seq) == [2, 3])
        #expect(pg.ledger.items.map(\.leadUnit) == ["县水利局"])
        // One refused command (an unknown unit) and none of them is written.
        var bad = r
        bad.leadUnit = "县气象局"
        let before = try db.asSuperuser("SELECT count(*) FROM records")
        #expect(throws: StoreError.refused(.unknownUnit("县气象局"))) {
            try pg.commitAll(
                [.addUnit(Unit(name: "县林业局", kind: .department)), .register(bad)], login: "clerk", clock: Ledgers.clock)
        }
        #expect(try db.asSuperuser("SELECT count(*) FROM records") == before)
        #expect(pg.ledger.seq == 3)
        #expect(pg.ledger.unit(named: "县林业局") == nil)
        #expect(try PostgresStore.open(db.app).ledger.items == PostgresStore.open(db.app, mode: .full).ledger.items)
        #expect(try pg.check().problems == [])
    }

    @Test func connectionFailuresAreToldInChinese() throws {
        let db = try Ledgers()
        _ = try db.create()
        let base = db.server.connectionString(database: db.database)
        let wrong = db.folder.sub("wrong")
        try "*:*:*:*:不是这个口令\n".write(toFile: wrong, atomically: false, encoding: .utf8)
        chmod(wrong, 0o600)
        let other = db.folder.sub("other")
        try "*:*:其他数据库:*:x\n".write(toFile: other, atomically: false, encoding: .utf8)
        chmod(other, 0o600)
        for (text, why) in [
            (base + "&passfile=\(wrong)", "用户名或口令不对（口令取自 \(wrong)）"),
            (base + "&passfile=\(other)", "口令文件 \(other) 中没有与之相符的一行"),
            (base, "要求口令"),
            ("postgresql://\(TestPostgres.appRole)@/\(db.database)?host=\(db.folder.path)", "服务器没有运行"),
        ] {
            let error = try #require(throws: StoreError.self) { try PostgresStore.open(text) }
            #expect(error.message.contains(why), "\(error.message)")
            #expect(!error.message.contains(TestPostgres.appPassword))
        }
    }

    @Test func aSecondCreateIsRefused() throws {
        let db = try Ledgers()
        _ = try db.create()
        let error = try #require(throws: StoreError.self) {
            try PostgresStore.create(
                owner: db.owner, app: TestPostgres.appRole, settings: Ledgers.settings, login: "clerk", clock: Ledgers.clock)
        }
        #expect(error.message.contains("已有 ducha 台账"))
    }
}

@Suite struct PostgresLocationTests {
    @Test func socketAndHostStringsAreRead() throws {
        let s = try PostgresLocation.parse("postgresql://ducha@/duchadb?host=/run/postgresql")
        #expect(s.endpoint == .socket(folder: "/run/postgresql", port: 5432))
        #expect(s.user == "ducha")
        #expect(s.database == "duchadb")
        #expect(s.socketPath == "/run/postgresql/.s.PGSQL.5432")
        let t = try PostgresLocation.parse("postgres://ducha@db.county.local:6432/ducha?passfile=/etc/ducha/pgpass")
        #expect(t.endpoint == .tcp(host: "db.county.local", port: 6432))
        #expect(t.passwordFile == "/etc/ducha/pgpass")
        let v6 = try PostgresLocation.parse("postgresql://ducha@[::1]:5433/ducha")
        #expect(v6.endpoint == .tcp(host: "::1", port: 5433))
        #expect(v6.display == "postgresql://ducha@[::1]:5433/ducha")
    }

    @Test(arguments: [
        ("postgresql://ducha:secret@/ducha?host=/run/postgresql", "口令不能写在连接串里"),
        ("postgresql://ducha@/ducha?host=/run/postgresql&password=secret", "口令不能写在连接串里"),
        ("mysql://ducha@/ducha", "应以 postgresql:// 开头"),
        ("postgresql://ducha@localhost", "缺少数据库名"),
        ("postgresql://@localhost/ducha", "缺少用户名"),
        ("postgresql://ducha@localhost:99999/ducha", "端口 99999"),
        ("postgresql://ducha@/ducha", "缺少主机"),
        ("postgresql://ducha@localhost/ducha?passfile=pgpass", "绝对路径"),
        ("postgresql://ducha@localhost/ducha?colour=blue", "不认识的参数 colour"),
    ])
    func badStringsAreRefusedInChinese(_ text: String, _ why: String) {
        let error = #expect(throws: StoreError.self) { try PostgresLocation.parse(text) }
        #expect(error?.message.contains(why) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("secret") == false)
    }

    @Test func thePasswordComesFromAFileOnlyTheAccountReads() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("pgpass")
        try "# 注释\nother:*:*:*:wrong\n*:5432:ducha:ducha:pa\\:ss\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o600)
        let location = try PostgresLocation.parse("postgresql://ducha@/ducha?host=/run/postgresql&passfile=\(path)")
        #expect(try location.password() == "pa:ss")
        chmod(path, 0o640)
        let error = #expect(throws: StoreError.self) { try location.password() }
        #expect(error?.message.contains("chmod 600") == true)
        let none = try PostgresLocation.parse("postgresql://ducha@/ducha?host=/run/postgresql&passfile=\(dir.sub("missing"))")
        #expect(throws: StoreError.self) { try none.password() }
    }
}

@Suite struct PostgresMigrationTests {
    /// A demo repository (snapshot) with more records in its journal.
    func fileRepository(_ dir: TemporaryDirectory) throws -> Repository {
        let data = try DataDirectory(path: Fixtures.dataPath)
        var settings = try data.settings()
        settings.testClock = true
        let today = Fixtures.day("2026-11-20")
        let ledger = try DemoBuilder.build(
            try data.demo(), settings: settings, today: today, calendar: Fixtures.calendar, supervisor: "clerk")
        let repo = try Repository.create(at: dir.sub("repo"), ledger: ledger)
        let open = try #require(repo.ledger.items.first { $0.state == .active })
        let ref = try ItemReference.parse(open.number.description)
        for text in ["迁移前的进展一", "迁移前的进展二"] {
            // The office records what the unit reported (代录).
            try repo.commit(
                .act(ref, .action(.feedback(text: text)), forUnit: open.leadUnit), login: "clerk",
                at: Timestamp(day: today, hour: 15, minute: 30),
                today: today)
        }
        return try Repository.open(at: repo.directory)
    }

    @Test func aFileRepositoryMovesWithItsSequenceTimesAndChain() throws {
        let db = try Ledgers()
        let dir = TemporaryDirectory()
        let files = try fileRepository(dir)
        let moved = try PostgresStore.migrate(files, owner: db.owner, app: TestPostgres.appRole)
        #expect(moved.records == files.ledger.seq)
        #expect(moved.items == files.ledger.items.count)
        #expect(moved.head == files.ledger.chainHead)

        let pg = try PostgresStore.open(db.app)
        #expect(pg.ledger.seq == files.ledger.seq)
        #expect(pg.ledger.items == files.ledger.items)  // histories, times and states
        #expect(pg.ledger.log == files.ledger.log)
        #expect(pg.ledger.units == files.ledger.units)
        #expect(pg.ledger.users == files.ledger.users)
        #expect(pg.ledger.chainHead == files.ledger.chainHead)
        #expect(try pg.check().problems == [])
        let summary = try PostgresStore.open(db.app, mode: .summary)
        #expect(summary.ledger.items.map(\.eventCount) == files.ledger.items.map(\.eventCount))
        #expect(summary.ledger.items.map(\.state) == files.ledger.items.map(\.state))

        // The chain goes on from where the files left it.
        let item = try #require(pg.ledger.items.first { $0.state == .active })
        let written = try pg.commit(
            .act(try ItemReference.parse(item.number.description), .action(.feedback(text: "迁移后的进展")), forUnit: item.leadUnit),
            login: "clerk",
            clock: RecordClock(fixedToday: Fixtures.day("2026-11-20")))
        #expect(written.first?.prev == files.ledger.chainHead)
        #expect(try pg.check().problems == [])

        // Once there, a second migration is refused and changes nothing.
        let again = try #require(throws: StoreError.self) {
            try PostgresStore.migrate(files, owner: db.owner, app: TestPostgres.appRole)
        }
        #expect(again.message.contains("已有 ducha 台账"))
        #expect(try db.asSuperuser("SELECT count(*) FROM records") == "\(files.ledger.seq + 1)\n")
    }
}
