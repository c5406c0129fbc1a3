import DuchaCore
import DuchaStore
import PostgresNIO

/// Reports that count every item a person sees (statistics, the overview of `ducha summary`)
/// read the states a page at a time: keyset pages in number order by the primary key, all in
/// one read-only REPEATABLE READ transaction, so the figures are of one snapshot while the
/// process holds one page of states, not the ledger.
extension PostgresStore: StateBatches {
    public func forEachBatch(visibleTo actor: Actor, size: Int, _ body: ([Item]) -> Void) throws(StoreError) {
        var s = SQLText()
        var visible = ""
        if actor.role == .unit {
            // Row-level security shows a unit its own items; said again so the indexes serve it.
            guard let unit = actor.unit else { return }
            let u = s.bind(unit)
            visible = " AND (lead_unit = \(u) OR \(u) = ANY (co_units))"
        }
        let limit = max(1, size)
        try session.transaction("读取事项", begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { () throws(StoreError) in
            try setActor(role: actor.role, unit: actor.unit)
            var after = (year: -1, serial: 0, sub: 0)
            while true {
                s.sql = """
                    SELECT number, state_line, year, serial, sub FROM items
                    WHERE (year, serial, sub) > (\(after.year), \(after.serial), \(after.sub))\(visible)
                    ORDER BY year, serial, sub LIMIT \(limit)
                    """
                let rows = try session.query(s.query, "读取事项")
                var items: [Item] = []
                items.reserveCapacity(limit)
                for row in rows.rows {
                    let (number, line, year, serial, sub): (String, String, Int, Int, Int)
                    do { (number, line, year, serial, sub) = try row.decode((String, String, Int, Int, Int).self) } catch {
                        throw .database("读取事项状态失败：数据库中的事项格式不对")
                    }
                    items.append(try PostgresStore.decodeItem(number, line))
                    after = (year, serial, sub)
                }
                if !items.isEmpty { body(items) }
                if items.count < limit { return }
            }
        }
    }
}
