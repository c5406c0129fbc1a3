import DuchaCore

/// Writing a snapshot: whole, or by compaction (old lines copied, touched items re-encoded).
extension SnapshotCodec {
    /// A whole snapshot of a ledger whose items all hold their history.
    static func encode(_ ledger: Ledger) -> [UInt8] {
        let items = ledger.items.sorted { $0.number < $1.number }
        var out = headerBytes(
            seq: ledger.seq, serials: ledger.lastSerial, count: items.count, log: ledger.log, chain: ledger.chainMark)
        for (i, item) in items.enumerated() {
            out.append(contentsOf: line(item))
            out.append(contentsOf: i == items.count - 1 ? [0x0A] : [0x2C, 0x0A])
        }
        out.append(contentsOf: footer)
        return out
    }

    // MARK: Compaction

    /// Writes the snapshot that folds `journal` into `old`: the header with the new log,
    /// serials and count, then the item lines in order — copied as they are for items the
    /// journal does not touch, re-encoded for those it does, new ones slotted in. `halfway` is
    /// called in the middle (tests simulate a crash there).
    static func merge(
        _ old: Bytes, path: String, journal: [Entry], journalPath: String, head: Chain.Mark?, into w: inout ChunkWriter,
        halfway: () throws(StoreError) -> Void
    ) throws(StoreError) {
        let header = try decodeHeader(old, path: path)
        // A unit renamed in the journal renames it in items the journal may not touch: the
        // whole ledger is read and written again (renames are rare).
        let renames = journal.contains { e in
            if case .editUnit(_, let changes) = e.change, e.seq > header.seq { return changes.contains { $0.field == .name } }
            return false
        }
        if header.format == 1 || renames {
            var ledger = header.format == 1 ? try decodeFormat1(old, path: path) : try decode(old, path: path, mode: .full)
            for (i, e) in journal.enumerated() where e.seq > ledger.seq {
                do throws(CoreError) { try ledger.apply(e) } catch { throw .badJournal(journalPath, i + 1, error.message) }
            }
            if header.format == 1 || head != nil {
                // A format-2 snapshot read whole keeps its own mark when the journal adds none.
                ledger.chainFrom = head?.from
                ledger.chainHead = head?.head
            }
            let bytes = encode(ledger)
            try w.append(Array(bytes.prefix(bytes.count / 2)))
            try halfway()
            try w.append(Array(bytes.dropFirst(bytes.count / 2)))
            return
        }
        // The repository-wide entries are checked by applying them to the header's ledger.
        var global = Ledger()
        try restoreHeader(header, into: &global, path: path)
        var log = header.log
        var serials = header.serials
        var seq = header.seq
        var touched: [ItemNumber: [Entry]] = [:]
        var fresh: [ItemNumber] = []
        for (i, e) in journal.enumerated() where e.seq > header.seq {
            guard e.seq == seq + 1 else { throw .badJournal(journalPath, i + 1, "第 \(e.seq) 条记录应为第 \(seq + 1) 条") }
            seq = e.seq
            if case .item(let n, let action) = e.change {
                if case .register = action {
                    guard touched[n] == nil else { throw .badJournal(journalPath, i + 1, "\(n) 重复立项") }
                    fresh.append(n)
                    serials[n.year] = max(serials[n.year] ?? 0, n.serial)
                }
                touched[n, default: []].append(e)
            } else {
                do throws(CoreError) { try global.applyUnordered(e) } catch {
                    throw .badJournal(journalPath, i + 1, error.message)
                }
                log.append(e)
            }
        }
        fresh.sort()
        try w.append(
            headerBytes(seq: seq, serials: serials, count: header.count + fresh.count, log: log, chain: head ?? header.chain))
        var lines = 0
        func emit(_ line: Bytes) throws(StoreError) {
            if lines > 0 { try w.append(separator) }
            try w.append(line)
            lines += 1
        }
        func emit(_ item: Item) throws(StoreError) {
            try line(item).withUnsafeBufferPointer { (b) throws(StoreError) in try emit(b) }
        }
        func fold(_ entries: [Entry], onto item: Item?) throws(StoreError) -> Item {
            do throws(CoreError) {
                guard var item else { return try Item.folding(entries) }
                for e in entries {
                    guard case .item(_, let action) = e.change else { continue }
                    try item.apply(e, action: action)
                }
                return item
            } catch {
                throw .badJournal(journalPath, 0, error.message)
            }
        }
        var next = fresh.startIndex
        var found = 0
        let half = header.count / 2
        var index = 0
        try forEachLine(old, header, path: path) { (text, at) throws(StoreError) in
            if index == half { try halfway() }
            index += 1
            guard let n = lineNumber(of: text) else {
                throw .badSnapshot(path, "第 \(lineNumber(old, at)) 行：事项行应以编号开头")
            }
            while next < fresh.endIndex, fresh[next] < n {
                try emit(try fold(touched[fresh[next]]!, onto: nil))
                next += 1
            }
            if next < fresh.endIndex, fresh[next] == n { throw .badJournal(journalPath, 0, "\(n) 重复立项") }
            guard let entries = touched[n] else {
                // A closed item's line from before closed facts were written gets them now.
                guard !header.closedFacts, lacksClosedFacts(text) else { return try emit(text) }
                let item: Item
                do throws(JSONError) { item = try decodeLine(text, mode: .full) } catch {
                    throw .badSnapshot(path, "第 \(lineNumber(old, at)) 行：\(error.message)")
                }
                // (A 分别办理 item has none: its parts have the lights.)
                return ClosedFacts(item) == nil ? try emit(text) : try emit(item)
            }
            found += 1
            let stored: Item
            do throws(JSONError) { stored = try decodeLine(text, mode: .full) } catch {
                throw .badSnapshot(path, "第 \(lineNumber(old, at)) 行：\(error.message)")
            }
            try emit(try fold(entries, onto: stored))
        }
        if index == half, index == 0 { try halfway() }
        while next < fresh.endIndex {
            try emit(try fold(touched[fresh[next]]!, onto: nil))
            next += 1
        }
        guard found + fresh.count == touched.count else {
            let missing = touched.keys.filter { !fresh.contains($0) }.sorted().first.map(\.description) ?? ""
            throw .badJournal(journalPath, 0, "记录所指的 \(missing) 不存在")
        }
        if lines > 0 { try w.append([0x0A]) }
        try w.append(footer)
    }

    static let factsOpening: [UInt8] = Array(",\"c\":".utf8)
    static let stateKey: [UInt8] = Array("\"state\":\"".utf8)

    /// Whether an item line of a closed or withdrawn item lacks the closed facts at its head
    /// (written before they were). Its state's first key "state" is its own: the registered
    /// fields before it are strings, whose quotes are escaped.
    static func lacksClosedFacts(_ line: Bytes) -> Bool {
        guard let close = line.dropFirst(lineOpening.count).firstIndex(of: UInt8(ascii: "\"")) else { return false }
        let rest = Bytes(rebasing: line[(close + 1)...])
        if rest.starts(with: factsOpening) { return false }
        guard let at = find(stateKey, in: rest) else { return false }
        let value = rest[(rest.startIndex + at + stateKey.count)...]
        let number = lineNumber(of: line)
        return number.map { !$0.isChild } == true
            && (value.starts(with: Array("closed\"".utf8)) || value.starts(with: Array("withdrawn\"".utf8)))
    }
}
