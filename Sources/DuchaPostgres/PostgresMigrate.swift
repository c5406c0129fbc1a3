import DuchaCore
import DuchaStore

extension PostgresStore {
    /// What `migrate` copied.
    public struct Migration: Sendable {
        public var records: Int
        public var items: Int
        /// The head of the chain (台账校验码), the same in the files and in the database.
        public var head: String?
    }

    /// Copies a file repository's whole history into an empty database: every record with its
    /// sequence number, its time and its place in the hash chain, then every item's state.
    /// The chain is rebuilt from the entries and must end at the head the files record (a
    /// repository whose history was altered is refused, nothing written); the records then pass
    /// the server's own chain trigger, and the copy is checked like `ducha check` before the
    /// transaction commits. `owner` creates the tables; `app` is the role ducha will use.
    @discardableResult
    public static func migrate(
        _ repository: Repository, owner: PostgresLocation, app: String
    ) throws(StoreError) -> Migration {
        guard repository.mode == .full else {
            throw .database("迁移需要完整读取的台账（含全部办理记录）")
        }
        return try migrate(repository.ledger, from: repository.directory, owner: owner, app: app)
    }

    /// The same for a whole ledger (every item with its history, and its chain) held in memory:
    /// `name` names it in messages.
    @discardableResult
    public static func migrate(
        _ ledger: Ledger, from name: String, owner: PostgresLocation, app: String
    ) throws(StoreError) -> Migration {
        guard PostgresSchema.validRole(app) else {
            throw .database("数据库用户名 \(app) 不合要求：只能由小写英文字母、数字和下划线组成，且不以数字开头")
        }
        var entries = ledger.log
        for item in ledger.items { entries.append(contentsOf: item.history) }
        entries.sort { $0.seq < $1.seq }
        guard entries.count == ledger.seq, entries.enumerated().allSatisfy({ $0.offset + 1 == $0.element.seq }) else {
            throw .database("台账 \(name) 的记录序号不连续，不能迁移：请先用 ducha check 核查")
        }
        // The chain as the files have it: entries before `chainFrom` were written before ducha
        // kept one; the first chained entry starts from zeros.
        var head: String? = nil
        for i in entries.indices {
            if let from = ledger.chainFrom, entries[i].seq >= from {
                entries[i].prev = entries[i].seq == from ? Chain.start : (head ?? Chain.start)
                head = Chain.hash(entries[i])
            } else {
                entries[i].prev = nil
                head = nil
            }
        }
        guard head == ledger.chainHead else {
            throw .database(
                "按台账 \(name) 的记录重算的台账校验码与其记载的不符：记录被改动过，不能迁移。请先用 ducha check 核查")
        }
        let session = try PostgresSession.connect(owner)
        defer { session.close() }
        try session.transaction("迁移台账到数据库") { () throws(StoreError) in
            let exists = try session.query("SELECT to_regclass('records') IS NOT NULL", "检查数据库中是否已有台账")
            if try decodeBool(exists.rows.first) { throw .database("数据库 \(owner.display) 中已有 ducha 台账，不会覆盖") }
            for statement in PostgresSchema.statements(app: app) {
                try session.execute(statement, "创建数据库中的台账")
            }
            var start = 0
            while start < entries.count {
                let chunk = Array(entries[start..<min(entries.count, start + 2000)])
                try insert(chunk, session)
                start += chunk.count
            }
            try upsertAll(ledger, calendar: WorkCalendar(tables: Array(ledger.calendars.values)), session)
            let report = try verify(session)
            guard report.problems.isEmpty else {
                throw .database("迁移到数据库的记录核查不通过，已全部撤销：" + report.problems.prefix(5).joined(separator: "；"))
            }
        }
        return Migration(records: entries.count, items: ledger.items.count, head: head)
    }
}
