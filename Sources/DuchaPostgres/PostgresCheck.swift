import DuchaCore
import DuchaStore
import PostgresNIO

/// `ducha check` for a PostgreSQL ledger: the same verification as for the files. Every record
/// must be exactly the line ducha writes for it, numbered without gaps, and carry the hash of
/// the one before it (the chain); every record is replayed through the workflow's rules on the
/// ledger as it stood before it; and the items table must hold the fold of the records.
extension PostgresStore {
    public func check() throws(StoreError) -> RepositoryCheck.Report {
        try session.transaction("核查台账", begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            () throws(StoreError) -> RepositoryCheck.Report in
            try PostgresStore.verify(session)
        }
    }

    /// The verification, inside a transaction the caller holds.
    static func verify(_ session: PostgresSession) throws(StoreError) -> RepositoryCheck.Report {
        var report = RepositoryCheck.Report()
        do {
            let rows = try session.query(
                "SELECT seq, line, prev, item_year, item_serial, item_sub FROM records ORDER BY seq", "读取台账记录")
            var replay = Ledger()
            var head: String? = nil
            var started = false
            var legacy = 0
            var expected = 1
            for row in rows.rows {
                let (seq, line, prev, year, serial, sub): (Int, String, String?, Int?, Int?, Int)
                do { (seq, line, prev, year, serial, sub) = try row.decode((Int, String, String?, Int?, Int?, Int).self) } catch {
                    throw .database("读取台账记录失败：数据库中的记录格式不对")
                }
                let here = "数据库中的第 \(seq) 条记录"
                if seq != expected {
                    report.problems.append("缺少序号为 \(expected)\(seq - 1 > expected ? "–\(seq - 1)" : "") 的记录")
                }
                expected = seq + 1
                let e: Entry
                do throws(JSONError) { e = try EntryCodec.decodeLine(Array(line.utf8)) } catch {
                    report.problems.append("\(here)无法读取：\(error.message)")
                    head = Chain.hash(Array(line.utf8))
                    continue
                }
                var canonical = EntryCodec.line(e)
                canonical.removeLast()
                if !canonical.elementsEqual(line.utf8) || e.seq != seq {
                    report.problems.append("\(here)：不是 ducha 写入的格式，记录被改动过")
                }
                if e.prev != prev { report.problems.append("\(here)：所记的前一条记录的校验码与记录内容不一致") }
                if e.item?.year != year || e.item?.serial != serial || (e.item?.sub ?? 0) != sub {
                    report.problems.append("\(here)：所属事项与记录内容不一致")
                }
                if let p = e.prev {
                    let want = head ?? Chain.start
                    if p != want {
                        report.problems.append(
                            "\(here)：所记的前一条记录的校验码与第 \(seq - 1) 条不符"
                                + (p == Chain.start ? "（校验链在此重新开始）" : "")
                                + "：第 \(seq - 1) 条被改动过，或其间有记录被删除、调换，或此条是后来插入的")
                    }
                    started = true
                    head = Chain.hash(Array(line.utf8))
                } else if started {
                    report.problems.append("\(here)：缺少前一条记录的校验码：此条是后来改动或插入的")
                    head = nil
                } else {
                    legacy += 1
                    head = nil
                }
                do throws(CoreError) { try Workflow.audit(e, in: replay) } catch {
                    report.problems.append("\(here)（\(e.actor) \(HistoryText.what(e).prefix(20))）：操作人不可能做出此记录：\(error.message)")
                }
                do throws(CoreError) { try replay.apply(e) } catch {
                    report.problems.append("\(here)：无法按顺序重放：\(error.message)")
                    return report
                }
            }
            if legacy > 0 { report.notes.append("有 \(legacy) 条记录写于启用台账校验链之前，不受校验链保护") }
            // The items table against the fold of the records.
            try setActor(role: .supervisor, unit: nil, session)
            let states = try session.query("SELECT number, state_line FROM items", "读取事项状态")
            var stored: [ItemNumber: String] = [:]
            for row in states.rows {
                guard let (number, line) = try? row.decode((String, String).self), let n = ItemNumber.parseFull(number) else {
                    report.problems.append("事项表中有无法识别的一行")
                    continue
                }
                stored[n] = line
            }
            for item in replay.items {
                var w = JSONWriter(capacity: 1024)
                ItemStateCodec.encode(item, into: &w)
                guard let line = stored.removeValue(forKey: item.number) else {
                    report.problems.append("事项表中缺少 \(item.number)")
                    continue
                }
                if line != w.string { report.problems.append("事项表中 \(item.number) 的状态与其办理记录不符") }
            }
            for n in stored.keys.sorted() { report.problems.append("事项表中的 \(n) 没有立项记录") }
            report.summary = "\(replay.items.count)件事项，\(replay.units.count)个单位，\(rows.rows.count)条记录（至第 \(replay.seq) 条）"
        }
        return report
    }
}
