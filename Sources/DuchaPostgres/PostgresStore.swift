import DuchaCore
import DuchaStore
import PostgresNIO
import Synchronization

/// A ducha ledger in PostgreSQL (see `PostgresSchema`): the same guarantees as the files.
///
/// A commit is one transaction: it takes the ledger's advisory lock (the file store's flock),
/// catches up with the records others added, reads the time from the database server's clock,
/// judges the command with `Workflow.decide` exactly as `Repository` does, inserts the chained
/// records, updates the items' states, commits, and only then applies to the ledger in memory.
/// Two reviewers at once still give exactly one winner: the second judges on the state the
/// first left.
public final class PostgresStore: LedgerStore {
    public let location: PostgresLocation
    /// How much of the ledger `ledger` holds (`reload` reads it anew in another mode).
    public private(set) var mode: Repository.LoadMode
    public private(set) var ledger: Ledger
    public private(set) var warnings: [String] = []
    /// Seconds a commit waits for another's lock before giving up with nothing done.
    public var lockTimeout: Double = Repository.defaultLockTimeout
    /// The working calendar this process counts lights with (see `ItemQueries`); commits count
    /// the days lights change with it and the tables the ledger recorded.
    public var calendar: WorkCalendar?
    let session: PostgresSession
    private let notified = Flag()
    private var listening: PostgresListenContext?

    init(location: PostgresLocation, mode: Repository.LoadMode, session: PostgresSession) {
        self.location = location
        self.mode = mode
        self.session = session
        ledger = PostgresStore.holdsSomeItems(mode) ? Ledger.partial() : Ledger()
    }

    /// Whether a ledger read in `mode` holds only some items (`Ledger.partial`): those asked
    /// for (`.only`) or none (`.queries`).
    static func holdsSomeItems(_ mode: Repository.LoadMode) -> Bool {
        switch mode {
        case .full, .summary: return false
        case .only, .queries, .openItems: return true
        }
    }

    deinit {
        listening?.stop()
        session.close()
    }

    // MARK: Creating and opening

    /// Creates the tables (connected as `owner`, who must be allowed to create them in the
    /// database) and records the first entry (the settings), at the server's time. `app` is the
    /// role ducha will connect as: it is granted INSERT and SELECT on the records and may never
    /// change them. Refuses a database that already holds a ledger.
    public static func create(
        owner: PostgresLocation, app: String, settings: Settings, login: String, clock: RecordClock
    ) throws(StoreError) {
        guard PostgresSchema.validRole(app) else {
            throw .database("数据库用户名 \(app) 不合要求：只能由小写英文字母、数字和下划线组成，且不以数字开头")
        }
        let session = try PostgresSession.connect(owner)
        defer { session.close() }
        try session.transaction("创建数据库中的台账") { () throws(StoreError) in
            let exists = try session.query("SELECT to_regclass('records') IS NOT NULL", "检查数据库中是否已有台账")
            if try decodeBool(exists.rows.first) { throw .database("数据库 \(owner.display) 中已有 ducha 台账，不会覆盖") }
            for statement in PostgresSchema.statements(app: app) {
                try session.execute(statement, "创建数据库中的台账")
            }
            let (at, _) = try serverTime(session, clock: clock, settings: settings)
            var first = Ledger()
            let entry = Entry(seq: 1, at: at, actor: login, change: .initialize(settings), prev: Chain.start)
            do throws(CoreError) { try first.apply(entry) } catch { throw .refused(error) }
            try insert([entry], session)
            try recordLights(LightThresholds.fingerprint(calendar: .weekendsOnly, settings: settings), session)
        }
    }

    /// Upgrades, in place and in one transaction, a ledger made before the tables held child
    /// items (see `PostgresSchema`), connected as the tables' `owner`; false when it needs none.
    @discardableResult
    public static func upgradeForChildItems(owner: PostgresLocation) throws(StoreError) -> Bool {
        try upgrade(owner: owner, lacking: ("records", "item_sub"), PostgresSchema.upgradeToChildItems) {
            (session) throws(StoreError) in
            let report = try verify(session)
            guard report.problems.isEmpty else {
                throw .database("升级后的台账核查不通过，已全部撤销：" + report.problems.prefix(5).joined(separator: "；"))
            }
        }
    }

    /// Adds, in place and in one transaction, the columns lists, searches and counts select by
    /// (`PostgresSchema.queryColumns`) to a ledger made before them, or only the search index
    /// (`PostgresSchema.searchGrams`) to one made before it, connected as the tables' `owner`;
    /// `app` is the role ducha connects as. The first reader or commit then fills them
    /// (`ensureLights`: their rules version changed). False when it needs none.
    @discardableResult
    public static func upgradeForQueries(owner: PostgresLocation, app: String) throws(StoreError) -> Bool {
        guard PostgresSchema.validRole(app) else {
            throw .database("数据库用户名 \(app) 不合要求：只能由小写英文字母、数字和下划线组成，且不以数字开头")
        }
        if try upgrade(owner: owner, lacking: ("items", "red_from"), PostgresSchema.queryColumns(app: app), check: { _ in }) {
            return true
        }
        return try upgrade(owner: owner, lacking: ("items", "grams"), PostgresSchema.searchGrams(app: app)) { _ in }
    }

    /// Runs `statements` as `owner` in one transaction when `table` lacks `column`, then
    /// `check`; false when the column is there already.
    static func upgrade(
        owner: PostgresLocation, lacking: (table: String, column: String), _ statements: [String],
        check: (PostgresSession) throws(StoreError) -> Void
    ) throws(StoreError) -> Bool {
        let session = try PostgresSession.connect(owner)
        defer { session.close() }
        return try session.transaction("升级数据库中的台账表") { () throws(StoreError) -> Bool in
            let old = try session.query(
                """
                SELECT to_regclass(\(lacking.table)) IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM pg_attribute
                    WHERE attrelid = to_regclass(\(lacking.table)) AND attname = \(lacking.column) AND NOT attisdropped)
                """, "检查数据库中的台账表")
            guard try decodeBool(old.rows.first) else { return false }
            for statement in statements {
                try session.execute(statement, "升级数据库中的台账表")
            }
            try check(session)
            return true
        }
    }

    /// Opens a ledger: all of it (every record folded); for `.summary`, every item's state
    /// from the items table and the records that are not about an item; for `.only(numbers)`,
    /// those records and only the items asked for, with their families and histories (see
    /// `loadOnly`); for `.queries`, those records and no item.
    public static func open(
        _ location: PostgresLocation, mode: Repository.LoadMode = .full
    ) throws(StoreError)
        -> PostgresStore
    {
        let store = PostgresStore(location: location, mode: mode, session: try PostgresSession.connect(location))
        try store.load()
        return store
    }

    /// Opens the ledger a connection string names.
    public static func open(
        _ connectionString: String, mode: Repository.LoadMode = .full
    ) throws(StoreError)
        -> PostgresStore
    {
        try open(PostgresLocation.parse(connectionString), mode: mode)
    }

    /// Reads the ledger anew, in one consistent snapshot of the database.
    func load() throws(StoreError) {
        ledger = try session.transaction("读取台账", begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            () throws(StoreError) -> Ledger in
            switch mode {
            case .full:
                var loaded = Ledger()
                try catchUp(&loaded, session: session)
                return loaded
            case .summary:
                return try loadSummary()
            case .only(let asked):
                return try loadOnly(asked)
            case .queries, .openItems:
                return try loadHeader()
            }
        }
    }

    /// Reads the ledger anew in `mode`, on this store's connection, in one consistent snapshot,
    /// replacing what `ledger` held; on failure the store keeps its mode and ledger.
    ///
    /// For a process that keeps the store open (the interface): before an action on some
    /// items, `reload(.only(numbers))` reads the settings, roster, serials and chain head and
    /// just those items with their families (parent, children 之N, a 分别办理 item's parts) and
    /// histories — what a commit on them is judged on — never the other items' states; a
    /// commit then catches up with others' records as usual. `reload(.queries)` goes back to
    /// holding no item (lists are asked of the database, `ItemQueries`). A listener set up by
    /// `listen` stays.
    public func reload(_ mode: Repository.LoadMode) throws(StoreError) {
        let old = self.mode
        self.mode = mode
        do throws(StoreError) { try load() } catch {
            self.mode = old
            throw error
        }
    }

    /// The settings, roster and other global records folded, the serials and the chain's head:
    /// a ledger that holds no item (the items are asked for, `PostgresQueries`).
    func loadHeader() throws(StoreError) -> Ledger {
        var loaded = Ledger.partial()
        try loadGlobal(into: &loaded)
        try loadHead(into: &loaded)
        return loaded
    }

    /// The highest serial of each year, for a ledger that does not hold every item (its next
    /// number): one probe of the primary key per year, not a pass over the items.
    func restoreSerials(into loaded: inout Ledger) throws(StoreError) {
        try setActor(role: .supervisor, unit: nil)
        let serials = try session.query(
            """
            WITH RECURSIVE y(year) AS (
                SELECT min(year) FROM items
                UNION ALL
                SELECT (SELECT min(year) FROM items WHERE items.year > y.year) FROM y WHERE y.year IS NOT NULL)
            SELECT year, (SELECT max(serial) FROM items WHERE items.year = y.year) FROM y WHERE year IS NOT NULL
            """, "读取事项编号")
        var last: [Int: Int] = [:]
        for row in serials.rows {
            guard let (year, serial) = try? row.decode((Int, Int).self) else { throw .database("读取事项编号失败：结果格式不对") }
            last[year] = serial
        }
        loaded.restoreSerials(last)
    }

    /// The settings, roster and other global records folded, and every item's stored state.
    func loadSummary() throws(StoreError) -> Ledger {
        var loaded = Ledger()
        try loadGlobal(into: &loaded)
        try loadStates(into: &loaded)
        try loadHead(into: &loaded)
        return loaded
    }

    /// A command about some items (`.only`): the settings, roster and other global records
    /// folded, the serials (the next number), the chain's head, and only the items asked for,
    /// each with its family — the item and its children (之N: a 分别办理 item's parts, a
    /// task's sub-tasks), as the files' `.only` reads them (`SnapshotCodec.decode(only:)`) —
    /// with their whole histories. A child asked for alone comes with its family too (the
    /// command line always asks for the family's number): a commit on a part writes its
    /// 分别办理 item's state from the parts, and the workflow judges a sub-task against its
    /// parent. Other items' states are never read; records about them that a commit catches
    /// up with are passed over (`Ledger.partial`), and children registered meanwhile join.
    func loadOnly(_ asked: [ItemNumber]) throws(StoreError) -> Ledger {
        var loaded = Ledger.partial()
        try loadGlobal(into: &loaded)
        try restoreSerials(into: &loaded)
        try loadHead(into: &loaded)
        let families = Set(asked.map(\.family)).sorted()
        for f in families { loaded.want(f) }
        guard !families.isEmpty else { return loaded }
        let items = try readFamilies(families)
        do throws(CoreError) { try loaded.restore(items: items) } catch {
            throw .database("数据库中的事项有误：\(error.message)")
        }
        // Their histories, in one pass over the records' index.
        let rows = try session.query(
            """
            SELECT r.seq, r.line FROM records r
            JOIN unnest(\(families.map(\.year))::integer[], \(families.map(\.serial))::integer[]) AS f(y, s)
                ON r.item_year = f.y AND r.item_serial = f.s
            WHERE r.seq <= \(loaded.seq)
            ORDER BY r.item_year, r.item_serial, r.item_sub, r.seq
            """, "读取事项的办理记录")
        var histories: [ItemNumber: [Entry]] = [:]
        for row in rows.rows {
            let (seq, line) = try PostgresStore.decodeRecord(row)
            let e = try PostgresStore.entry(seq, line)
            guard let n = e.item else { throw .database("数据库中的第 \(seq) 条记录不是关于事项的") }
            histories[n, default: []].append(e)
        }
        for n in loaded.items.map(\.number) {
            do throws(CoreError) { try loaded.attachHistory(histories[n] ?? [], to: n) } catch {
                throw .database(error.message)
            }
        }
        return loaded
    }

    /// The stored states of the families (an item and its children 之N) of `families`, as the
    /// office sees them, in number order.
    func readFamilies(_ families: [ItemNumber]) throws(StoreError) -> [Item] {
        try setActor(role: .supervisor, unit: nil)
        let rows = try session.query(
            """
            SELECT i.number, i.state_line FROM items i
            JOIN unnest(\(families.map(\.year))::integer[], \(families.map(\.serial))::integer[]) AS f(y, s)
                ON i.year = f.y AND i.serial = f.s
            ORDER BY i.year, i.serial, i.sub
            """, "读取事项")
        return try PostgresStore.decodeItems(rows)
    }

    /// The records that are not about an item (settings, units, roster, notices), folded.
    func loadGlobal(into loaded: inout Ledger, before: Int = Int(Int64.max)) throws(StoreError) {
        let global = try session.query(
            "SELECT seq, line FROM records WHERE item_year IS NULL AND seq < \(before) ORDER BY seq", "读取台账记录")
        for row in global.rows {
            let (seq, line) = try PostgresStore.decodeRecord(row)
            let e = try PostgresStore.entry(seq, line)
            do throws(CoreError) { try loaded.applyUnordered(e) } catch {
                throw .database("数据库中的第 \(seq) 条记录无法读取：\(error.message)")
            }
        }
    }

    /// Every item's stored state.
    func loadStates(into loaded: inout Ledger) throws(StoreError) {
        // The items' states as the office sees them (row-level security is for the units).
        try setActor(role: .supervisor, unit: nil)
        let states = try session.query(
            "SELECT number, state_line FROM items ORDER BY year, serial, sub", "读取事项状态")
        let items = try PostgresStore.decodeItems(states)
        do throws(CoreError) { try loaded.restore(items: items) } catch {
            throw .database("数据库中的事项有误：\(error.message)")
        }
    }

    /// The last sequence number and the chain's head.
    func loadHead(into loaded: inout Ledger) throws(StoreError) {
        let head = try session.query(
            """
            SELECT (SELECT max(seq) FROM records), (SELECT line FROM records ORDER BY seq DESC LIMIT 1),
                   (SELECT min(seq) FROM records WHERE prev IS NOT NULL)
            """, "读取台账记录")
        if let row = head.rows.first {
            let (seq, line, from): (Int?, String?, Int?)
            do { (seq, line, from) = try row.decode((Int?, String?, Int?).self) } catch {
                throw .database("读取台账记录失败：数据库中的记录格式不对")
            }
            loaded.restoreFinished(seq: seq ?? 0)
            loaded.chainHead = line.map { Chain.hash(Array($0.utf8)) }
            loaded.chainFrom = from
        }
    }

    // MARK: Refreshing

    /// Asks the server to tell this store (by LISTEN/NOTIFY on channel `ducha`) when another
    /// process commits; `onChange` is called then, on a thread of the database client, and the
    /// next `refresh` reads what was added. Without it, every `refresh` asks the server.
    public func listen(onChange: (@Sendable () -> Void)? = nil) throws(StoreError) {
        guard listening == nil else { return }
        let flag = notified
        let callback = onChange
        listening = session.connection.addListener(channel: PostgresSchema.notifyChannel) { _, _ in
            flag.value.store(true, ordering: .sequentiallyConsistent)
            callback?()
        }
        try session.execute("LISTEN \(PostgresSchema.notifyChannel)", "订阅台账变动通知")
    }

    /// Picks up the records others added since; true when the ledger changed. One query (none
    /// when listening and no notification has come).
    @discardableResult
    public func refresh() throws(StoreError) -> Bool {
        if listening != nil {
            guard notified.value.exchange(false, ordering: .sequentiallyConsistent) else { return false }
        }
        let before = ledger.seq
        try catchUp(&ledger, session: session)
        return ledger.seq != before
    }

    /// Picks up the records added since, notified or not yet (an interface after its own
    /// commit through another connection); true when the ledger changed.
    public func refreshNow() throws(StoreError) -> Bool {
        let before = ledger.seq
        try catchUp(&ledger, session: session)
        return ledger.seq != before
    }

    /// Applies the records after `ledger.seq`.
    func catchUp(_ ledger: inout Ledger, session: PostgresSession) throws(StoreError) {
        let rows = try session.query(
            "SELECT seq, line FROM records WHERE seq > \(ledger.seq) ORDER BY seq", "读取台账记录")
        for row in rows.rows {
            let (seq, line) = try PostgresStore.decodeRecord(row)
            let e = try PostgresStore.entry(seq, line)
            do throws(CoreError) { try ledger.apply(e) } catch {
                throw .database("数据库中的第 \(seq) 条记录无法按顺序应用：\(error.message)")
            }
            if e.prev != nil {
                if ledger.chainFrom == nil { ledger.chainFrom = seq }
                ledger.chainHead = Chain.hash(Array(line.utf8))
            } else {
                ledger.chainHead = nil
            }
        }
    }

    // MARK: Committing

    @discardableResult
    public func commit(
        _ command: Command, login: String, uid: UInt32? = nil, clock: RecordClock, on: Day? = nil
    ) throws(StoreError) -> [Entry] {
        try commitMany([command], login: login, uid: uid, clock: clock, on: on)
    }

    @discardableResult
    public func commitAll(
        _ commands: [Command], login: String, uid: UInt32? = nil, clock: RecordClock
    ) throws(StoreError) -> [Entry] {
        try commitMany(commands, login: login, uid: uid, clock: clock, on: nil)
    }

    func commitMany(
        _ commands: [Command], login: String, uid: UInt32?, clock: RecordClock, on: Day?
    ) throws(StoreError) -> [Entry] {
        var written: [Entry] = []
        var scratch: Ledger? = nil
        // Set once the ledger in memory holds this commit's records: should the transaction then
        // fail, the ledger is read anew rather than left ahead of the database.
        var applied = false
        do throws(StoreError) {
            try session.transaction("保存到数据库") { () throws(StoreError) in
                try session.execute("SET LOCAL lock_timeout = '\(max(1, Int(lockTimeout * 1000)))ms'", "保存到数据库")
                try session.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.commitLock))", "等待其他用户完成操作")
                try catchUp(&ledger, session: session)
                if mode == .queries { try restoreSerials(into: &ledger) }
                let (at, today) = try PostgresStore.serverTime(session, clock: clock, settings: ledger.settings)
                // Reported today is recorded today: not a 补录.
                let on = on == today ? nil : on
                if commands.count == 1 {
                    // One command is judged on the ledger itself (nothing is copied) and applied
                    // once its records are in.
                    let (entries, actor) = try judge(commands[0], login: login, uid: uid, at: at, today: today, on: on)
                    guard !entries.isEmpty else { return }
                    try setActor(role: actor.role, unit: actor.unit)
                    try PostgresStore.insert(entries, session)
                    applied = true
                    for e in entries {
                        // A ledger read for some items holds the items it registers.
                        if ledger.partial, case .item(let n, .register) = e.change { ledger.want(n) }
                        do throws(CoreError) { try ledger.apply(e) } catch {
                            throw .database("第 \(e.seq) 条记录无法应用：\(error.message)")
                        }
                    }
                    if ledger.chainFrom == nil { ledger.chainFrom = entries.first?.seq }
                    ledger.chainHead = Chain.hash(entries.last!)
                    try writeItems(of: entries, in: ledger)
                    written = entries
                    return
                }
                // Several, all or nothing: each judged on the state the ones before it leave.
                var next = ledger
                var entries: [Entry] = []
                var head = ledger.chainHead
                var actorRole: Role = .unit
                var actorUnit: String?
                do throws(CoreError) {
                    for command in commands {
                        try attachHistoryIfNeeded(command, in: &next, today: today)
                        let actor = try next.actor(login: login, uid: uid)
                        (actorRole, actorUnit) = (actor.role, actor.unit)
                        let d = try Workflow.decide(command, by: actor, in: next, today: today, reportedOn: on)
                        for change in d.changes {
                            let e = Entry(
                                seq: next.seq + 1, at: at, actor: actor.login, unit: d.unit, proxy: d.proxy, on: on,
                                change: change, prev: head ?? Chain.start)
                            if next.partial, case .item(let n, .register) = change { next.want(n) }
                            try next.apply(e)
                            head = Chain.hash(e)
                            entries.append(e)
                        }
                    }
                } catch {
                    throw .refused(error)
                }
                guard !entries.isEmpty else { return }
                try setActor(role: actorRole, unit: actorUnit)
                try PostgresStore.insert(entries, session)
                try writeItems(of: entries, in: next)
                if next.chainFrom == nil { next.chainFrom = entries.first?.seq }
                next.chainHead = head
                scratch = next
                written = entries
            }
        } catch {
            if applied { try? load() }
            if case .lockTimeout(let what, _) = error { throw .lockTimeout(what, lockTimeout) }
            throw error
        }
        // The records others added stay applied even when this commit is refused.
        if let scratch { ledger = scratch }
        return written
    }

    /// Judges one command on the ledger as it is, without changing it (but for reading an
    /// item's history the request needs): the entries it would write, chained.
    func judge(
        _ command: Command, login: String, uid: UInt32?, at: Timestamp, today: Day, on: Day?
    ) throws(StoreError) -> ([Entry], Actor) {
        do throws(CoreError) {
            try attachHistoryIfNeeded(command, in: &ledger, today: today)
            let actor = try ledger.actor(login: login, uid: uid)
            let d = try Workflow.decide(command, by: actor, in: ledger, today: today, reportedOn: on)
            var head = ledger.chainHead
            var entries: [Entry] = []
            for (i, change) in d.changes.enumerated() {
                let e = Entry(
                    seq: ledger.seq + 1 + i, at: at, actor: actor.login, unit: d.unit, proxy: d.proxy, on: on, change: change,
                    prev: head ?? Chain.start)
                head = Chain.hash(e)
                entries.append(e)
            }
            return (entries, actor)
        } catch {
            throw .refused(error)
        }
    }

    /// Reads an item's whole history first when the request is judged on it, and its
    /// children's: a reference to a 分别办理 item may be decided on a unit's part.
    func attachHistoryIfNeeded(_ command: Command, in ledger: inout Ledger, today: Day) throws(CoreError) {
        guard case .act(let ref, let request, _) = command, request.needsHistory,
            let item = try? ledger.resolve(ref, currentYear: today.year)
        else { return }
        for n in [item.number] + ledger.children(of: item.number).map(\.number) where ledger.item(n)?.hasFullHistory == false {
            let h: [Entry]?
            do { h = try readHistory(of: n, in: ledger) } catch { throw .inconsistent(error.message) }
            if let h { try ledger.attachHistory(h, to: n) }
        }
    }

    /// The time of the records: the database server's clock, read once the lock is held, under
    /// the rules of `RecordClock` (a fixed today only in test-clock ledgers).
    static func serverTime(
        _ session: PostgresSession, clock: RecordClock, settings: Settings
    ) throws(StoreError) -> (
        Timestamp, Day
    ) {
        let result = try session.query("SELECT floor(extract(epoch FROM clock_timestamp()))::bigint", "读取数据库服务器的时间")
        let seconds: Int
        do { seconds = try result.rows.first?.decode(Int.self) ?? 0 } catch { throw .database("读取数据库服务器的时间失败") }
        let server = RecordClock(fixedToday: clock.fixedToday) { Timestamp(posixSeconds: seconds) }
        return try server.read(for: settings)
    }

    /// Sets who is acting for row-level security, for the rest of the transaction.
    func setActor(role: Role, unit: String?) throws(StoreError) {
        try PostgresStore.setActor(role: role, unit: unit, session)
    }

    static func setActor(role: Role, unit: String?, _ session: PostgresSession) throws(StoreError) {
        try session.query(
            "SELECT set_config('ducha.role', \(role.rawValue), true), set_config('ducha.unit', \(unit ?? ""), true)",
            "设置操作单位")
    }

    /// Inserts chained records (the server's trigger checks sequence and chain again).
    static func insert(_ entries: [Entry], _ session: PostgresSession) throws(StoreError) {
        var seqs: [Int] = []
        var years: [Int] = []
        var serials: [Int] = []
        var subs: [Int] = []
        var lines: [String] = []
        var prevs: [String] = []
        for e in entries {
            var line = EntryCodec.line(e)
            line.removeLast()
            seqs.append(e.seq)
            years.append(e.item?.year ?? 0)
            serials.append(e.item?.serial ?? 0)
            subs.append(e.item?.sub ?? 0)
            lines.append(String(decoding: line, as: UTF8.self))
            prevs.append(e.prev ?? "")
        }
        try session.query(
            """
            INSERT INTO records (seq, item_year, item_serial, item_sub, line, prev)
            SELECT q, NULLIF(y, 0), NULLIF(s, 0), k, l, NULLIF(p, '')
            FROM unnest(
                \(seqs)::bigint[], \(years)::integer[], \(serials)::integer[], \(subs)::integer[], \(lines)::text[],
                \(prevs)::text[]) AS t(q, y, s, k, l, p)
            ORDER BY q
            """, "写入台账记录")
    }

    /// Writes the states of the items the entries changed (every item after a unit was renamed),
    /// with their query columns (`PostgresQueries`); counts every item's lights' days again when
    /// they were counted with another calendar or other settings (this commit changed them, or
    /// another process counted them).
    func writeItems(of entries: [Entry], in held: Ledger) throws(StoreError) {
        var ledger = held
        var numbers = Set<ItemNumber>()
        var splits = Set<ItemNumber>()
        var all = false
        for e in entries {
            if let n = e.item {
                numbers.insert(n)
                // A 分别办理 item shows its parts' state.
                if n.isChild, ledger.item(n.family)?.isSplit == true { splits.insert(n.family) }
            }
            switch e.change {
            case .editUnit, .importLedger: all = true
            default: break
            }
        }
        // A ledger read for some items holds not every item the change reaches.
        if all, ledger.partial { ledger = try wholeLedger(applying: entries) }
        let items = all ? ledger.items : numbers.sorted().compactMap { ledger.item($0) }
        let calendar = lightsCalendar(ledger)
        try PostgresStore.upsert(
            items, seqs: Array(repeating: ledger.seq, count: items.count), in: ledger, calendar: calendar,
            settings: ledger.settings, session)
        // The 分别办理 item's state as its parts leave it: the unit acting on its part may not
        // see the item itself (row-level security), so it is written as the office would.
        let parents = all ? [] : splits.subtracting(numbers).sorted().compactMap { ledger.item($0) }
        if !parents.isEmpty {
            try PostgresStore.setActor(role: .supervisor, unit: nil, session)
            try PostgresStore.upsert(
                parents, seqs: parents.map { _ in ledger.seq }, in: ledger, calendar: calendar, settings: ledger.settings, session
            )
        }
        if try PostgresStore.recordedLights(session) != LightThresholds.fingerprint(calendar: calendar, settings: ledger.settings)
        {
            try PostgresStore.recomputeAll(calendar: calendar, settings: ledger.settings, session)
        }
    }

    /// Every item's state as this commit's `entries` leave it, for a ledger read for some items
    /// (`.only`, `.queries`) whose commit changes every item (a unit renamed): the global records
    /// before them and the items' states, read under the commit's lock in its transaction (the
    /// items table still as the last commit left it), with the entries applied.
    func wholeLedger(applying entries: [Entry]) throws(StoreError) -> Ledger {
        let first = entries.first?.seq ?? ledger.seq + 1
        var whole = Ledger()
        try loadGlobal(into: &whole, before: first)
        try loadStates(into: &whole)
        whole.restoreFinished(seq: first - 1)
        for e in entries {
            do throws(CoreError) { try whole.apply(e) } catch { throw .database("第 \(e.seq) 条记录无法应用：\(error.message)") }
        }
        return whole
    }

    // MARK: Histories

    /// The whole history of an item, read from the records when the ledger holds its state only.
    public func history(of number: ItemNumber) throws(StoreError) -> [Entry]? {
        guard let item = ledger.item(number) else {
            // A ledger read for queries holds no item (an interface shows one it asked for).
            guard mode == .queries else { return nil }
            _ = try refresh()
            return try readHistory(of: number, in: ledger)
        }
        if item.hasFullHistory { return item.history }
        _ = try refresh()
        return try readHistory(of: number, in: ledger)
    }

    /// The history of an item up to the last record `ledger` holds, checked against its count.
    func readHistory(of number: ItemNumber, in ledger: Ledger) throws(StoreError) -> [Entry]? {
        let rows = try session.query(
            """
            SELECT seq, line FROM records
            WHERE item_year = \(number.year) AND item_serial = \(number.serial) AND item_sub = \(number.sub) AND seq <= \(ledger.seq)
            ORDER BY seq
            """,
            "读取 \(number) 的办理记录")
        var history: [Entry] = []
        for row in rows.rows {
            let (seq, line) = try PostgresStore.decodeRecord(row)
            history.append(try PostgresStore.entry(seq, line))
        }
        if let current = ledger.item(number), history.count != current.eventCount {
            throw .database("\(number) 的办理记录有 \(history.count) 条，状态中记为 \(current.eventCount) 条")
        }
        return history.isEmpty ? nil : history
    }

    /// The items a unit may see, as the database's row-level security shows them to it (nil:
    /// as the office). Their states, from the items table.
    public func visibleItemNumbers(unit: String?) throws(StoreError) -> [ItemNumber] {
        try session.transaction("读取事项", begin: "BEGIN READ ONLY") { () throws(StoreError) -> [ItemNumber] in
            try setActor(role: unit == nil ? .supervisor : .unit, unit: unit)
            let rows = try session.query("SELECT number FROM items ORDER BY year, serial, sub", "读取事项")
            var out: [ItemNumber] = []
            for row in rows.rows {
                guard let s = try? row.decode(String.self), let n = ItemNumber.parseFull(s) else {
                    throw .database("数据库中的事项编号无法识别")
                }
                out.append(n)
            }
            return out
        }
    }

    // MARK: Decoding

    static func decodeRecord(_ row: PostgresRow) throws(StoreError) -> (Int, String) {
        do { return try row.decode((Int, String).self) } catch { throw .database("读取台账记录失败：数据库中的记录格式不对") }
    }

    static func entry(_ seq: Int, _ line: String) throws(StoreError) -> Entry {
        let e: Entry
        do throws(JSONError) { e = try EntryCodec.decodeLine(Array(line.utf8)) } catch {
            throw .database("数据库中的第 \(seq) 条记录无法读取：\(error.message)")
        }
        guard e.seq == seq else { throw .database("数据库中的第 \(seq) 条记录所记的序号是 \(e.seq)") }
        return e
    }

    static func decodeBool(_ row: PostgresRow?) throws(StoreError) -> Bool {
        guard let row, let b = try? row.decode(Bool.self) else { throw .database("读取数据库失败：结果格式不对") }
        return b
    }
}

/// Set from the database client's thread when a notification comes, read by `refresh`.
final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
