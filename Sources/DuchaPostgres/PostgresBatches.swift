import DuchaCore
import DuchaStore
import PostgresNIO

/// Reports that count every item a person sees (statistics, the overview of `ducha summary`,
/// reminders, 落实情况通报) read the states a page at a time: keyset pages in number order by the
/// primary key, all in one read-only REPEATABLE READ transaction, so the figures are of one
/// snapshot while the process holds a page or two of states, not the ledger. The next page is
/// asked for as soon as a page arrives (its first key is the last number received), so the
/// server sends it while this one is decoded and counted.
extension PostgresStore: StateBatches, ChangeMarkBatches {
    public func forEachBatch(visibleTo actor: Actor, size: Int, _ body: ([Item]) -> Void) throws(StoreError) {
        try forEachPage("number, state_line, is_part", visibleTo: actor, size: size) { (rows) throws(StoreError) in
            var items: [Item] = []
            items.reserveCapacity(rows.count)
            for row in rows {
                let (number, line, part): (String, String, Bool)
                do { (number, line, part) = try row.decode((String, String, Bool).self) } catch {
                    throw .database("读取事项状态失败：数据库中的事项格式不对")
                }
                var item = try PostgresStore.decodeItem(number, line)
                // A part knows it is one, as a ledger holding its family would say.
                item.markPart(part)
                items.append(item)
            }
            if !items.isEmpty { body(items) }
        }
    }

    public func forEachChangeMark(
        for actor: Actor, size: Int, _ body: ([(number: String, mark: Int)]) -> Void
    ) throws(StoreError) {
        try forEachPage("number, seq", visibleTo: actor, size: size) { (rows) throws(StoreError) in
            var marks: [(number: String, mark: Int)] = []
            marks.reserveCapacity(rows.count)
            for row in rows {
                guard let (number, seq) = try? row.decode((String, Int?).self) else { throw .database("读取事项失败：结果格式不对") }
                marks.append((number, seq ?? 0))
            }
            if !marks.isEmpty { body(marks) }
        }
    }

    /// The rows of `columns` (the first is the item's full number) of the items `actor` may
    /// see, `page` by `page` in number order.
    func forEachPage(
        _ columns: String, visibleTo actor: Actor, size: Int, _ page: ([PostgresRow]) throws(StoreError) -> Void
    ) throws(StoreError) {
        var s = SQLText()
        var visible = ""
        if actor.role == .unit {
            // Row-level security shows a unit its own items; said again so the indexes serve it.
            guard let unit = actor.unit else { return }
            let u = s.bind(unit)
            visible = " AND (lead_unit = \(u) OR \(u) = ANY (co_units))"
        }
        let limit = max(1, size)
        /// Asks for the page after the item numbered `after` (nil: the first), without waiting.
        func ask(after: ItemNumber?) -> EventLoopFuture<PostgresQueryResult> {
            let key = after.map { "(\($0.year), \($0.serial), \($0.sub))" } ?? "(-1, 0, 0)"
            s.sql = """
                SELECT \(columns) FROM items
                WHERE (year, serial, sub) > \(key)\(visible)
                ORDER BY year, serial, sub LIMIT \(limit)
                """
            return session.connection.query(s.query, logger: session.logger)
        }
        try session.transaction("读取事项", begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { () throws(StoreError) in
            try setActor(role: actor.role, unit: actor.unit)
            var pending: EventLoopFuture<PostgresQueryResult>? = ask(after: nil)
            while let asked = pending {
                let result: PostgresQueryResult
                do { result = try asked.wait() } catch {
                    throw PostgresSession.translate(error, doing: "读取事项", location: location)
                }
                let rows = Array(result.rows)
                pending = nil
                if rows.count == limit {
                    guard let text = try? rows.last?.first?.decode(String.self), let n = ItemNumber.parseFull(text) else {
                        throw .database("数据库中的事项编号无法识别")
                    }
                    pending = ask(after: n)
                }
                do throws(StoreError) { try page(rows) } catch {
                    // The page asked for meanwhile is read before the transaction ends.
                    _ = try? pending?.wait()
                    throw error
                }
            }
        }
    }
}
