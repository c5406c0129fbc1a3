import DuchaCore
import DuchaStore
import PostgresNIO

/// Reports that count every item a person sees (statistics, the overview of `ducha summary`,
/// reminders, 落实情况通报) read the states a page at a time: keyset pages in number order by the
/// primary key, all in one read-only REPEATABLE READ transaction, so the figures are of one
/// snapshot while the process holds a page or two of states, not the ledger. The next page is
/// asked for as soon as a page arrives (its first key is the last number received), so the
/// server sends it while this one is decoded and counted.
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
        /// Asks for the page after the item numbered `after` (nil: the first), without waiting.
        func ask(after: ItemNumber?) -> EventLoopFuture<PostgresQueryResult> {
            let key = after.map { "(\($0.year), \($0.serial), \($0.sub))" } ?? "(-1, 0, 0)"
            s.sql = """
                SELECT number, state_line, is_part FROM items
                WHERE (year, serial, sub) > \(key)\(visible)
                ORDER BY year, serial, sub LIMIT \(limit)
                """
            return session.connection.query(s.query, logger: session.logger)
        }
        try session.transaction("读取事项", begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { () throws(StoreError) in
            try setActor(role: actor.role, unit: actor.unit)
            var pending: EventLoopFuture<PostgresQueryResult>? = ask(after: nil)
            while let page = pending {
                let rows: PostgresQueryResult
                do { rows = try page.wait() } catch {
                    throw PostgresSession.translate(error, doing: "读取事项", location: location)
                }
                let count = rows.rows.count
                pending = nil
                if count == limit {
                    guard let last = rows.rows.last, let text = try? last.first?.decode(String.self),
                        let n = ItemNumber.parseFull(text)
                    else { throw .database("数据库中的事项编号无法识别") }
                    pending = ask(after: n)
                }
                var items: [Item] = []
                items.reserveCapacity(count)
                for row in rows.rows {
                    let (number, line, part): (String, String, Bool)
                    do { (number, line, part) = try row.decode((String, String, Bool).self) } catch {
                        // The page asked for meanwhile is read before the transaction ends.
                        _ = try? pending?.wait()
                        throw .database("读取事项状态失败：数据库中的事项格式不对")
                    }
                    var item: Item
                    do throws(StoreError) { item = try PostgresStore.decodeItem(number, line) } catch {
                        _ = try? pending?.wait()
                        throw error
                    }
                    // A part knows it is one, as a ledger holding its family would say.
                    item.markPart(part)
                    items.append(item)
                }
                if !items.isEmpty { body(items) }
            }
        }
    }
}
