import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reading a snapshot: whole (on every core for a large one), or only some items by binary search.
extension SnapshotCodec {
    /// Reads a whole snapshot: every item's state, and with `.full` its history.
    /// `mapped` when `bytes` is a mapped file (never heap memory): pages read are released.
    static func decode(_ bytes: Bytes, path: String, mode: Mode, mapped: Bool = false) throws(StoreError) -> Ledger {
        let header = try decodeHeader(bytes, path: path)
        if header.format == 1 { return try decodeFormat1(bytes, path: path) }
        var ledger = Ledger()
        try restoreHeader(header, into: &ledger, path: path)
        let items = try decodeItems(bytes, header, path: path, mode: mode, mapped: mapped)
        guard items.count == header.count else {
            throw .badSnapshot(path, "事项数为 \(items.count)，文件头记为 \(header.count)")
        }
        do throws(CoreError) { try ledger.restore(items: items) } catch { throw .badSnapshot(path, error.message) }
        return ledger
    }

    /// A run of whole item lines, decoded by one thread into its place in the result.
    struct Part {
        var start: Int
        var end: Int
        /// Where its items go in the result, and how many it holds.
        var offset = 0
        var lines = 0
        /// How many it decoded (all of them, unless it failed).
        var done = 0
        var error: StoreError? = nil
    }

    /// Room left in the items array for the items the journal registers after the snapshot:
    /// the first of them would otherwise copy every item into a larger array.
    static let appendRoom = 256

    /// Below this many bytes of items one thread is quicker than starting more. (About 600
    /// items: a county's year, some 1.7 MB, is read on two cores in a little over half the
    /// time; starting the second thread costs some 0.1 ms.)
    nonisolated(unsafe) static var parallelThreshold = 1 << 20

    /// Every item line, in order. Large snapshots are read on every core: the lines are cut
    /// into parts at line ends, the parts' lines counted, and each part decodes its items
    /// straight into their places in one array (no per-part arrays, no copies).
    static func decodeItems(_ bytes: Bytes, _ header: Header, path: String, mode: Mode, mapped: Bool) throws(StoreError) -> [Item]
    {
        let size = header.itemsEnd - header.itemsStart
        let wanted = size < parallelThreshold ? 1 : Parallel.cores
        var parts: [Part] = []
        var start = header.itemsStart
        for k in 0..<wanted where start < header.itemsEnd {
            var end = header.itemsEnd
            if k < wanted - 1 {
                let target = header.itemsStart + size * (k + 1) / wanted
                end = newline(in: bytes, from: max(target, start), to: header.itemsEnd).map { $0 + 1 } ?? header.itemsEnd
            }
            parts.append(Part(start: start, end: end))
            start = end
        }
        nonisolated(unsafe) let input = bytes
        let itemsEnd = header.itemsEnd
        let partCount = parts.count
        func each(_ body: @escaping @Sendable (Int) -> Void) {
            Parallel.perform(partCount, body)
        }
        var total = 0
        parts.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let ps = buffer
            guard ps.count > 1 else { return }
            each { k in ps[k].lines = countLines(input, from: ps[k].start, to: ps[k].end) }
            for k in ps.indices {
                ps[k].offset = total
                total += ps[k].lines
            }
        }
        if parts.count == 1 {
            // One thread: an ordinary array, whatever the count turns out to be.
            var items: [Item] = []
            items.reserveCapacity(header.count + appendRoom)
            try decodeLines(input, parts[0], itemsEnd: itemsEnd, path: path, mode: mode, mapped: mapped) { items.append($0) }
            return items
        }
        var failure: StoreError? = nil
        let items = [Item](unsafeUninitializedCapacity: total + appendRoom) { buffer, initialized in
            nonisolated(unsafe) let out = buffer
            parts.withUnsafeMutableBufferPointer { pbuf in
                nonisolated(unsafe) let ps = pbuf
                each { k in
                    var part = ps[k]
                    do throws(StoreError) {
                        try decodeLines(input, part, itemsEnd: itemsEnd, path: path, mode: mode, mapped: mapped) { item in
                            precondition(part.done < part.lines, "行数与计数不符")
                            (out.baseAddress! + part.offset + part.done).initialize(to: item)
                            part.done += 1
                        }
                    } catch {
                        part.error = error
                    }
                    ps[k] = part
                }
            }
            failure = parts.lazy.compactMap(\.error).first
            if failure == nil {
                initialized = total
            } else {
                for p in parts { (out.baseAddress! + p.offset).deinitialize(count: p.done) }
                initialized = 0
            }
        }
        if let failure { throw failure }
        // The parts' boundaries: each part is in order, and so must be the joins.
        for k in parts.indices.dropFirst() where parts[k].lines > 0 && parts[k].offset > 0 {
            if !(items[parts[k].offset - 1].number < items[parts[k].offset].number) {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, parts[k].start)) 行：事项未按编号排列")
            }
        }
        return items
    }

    /// Decodes the lines of one part in order, checking that their numbers rise.
    static func decodeLines(
        _ bytes: Bytes, _ part: Part, itemsEnd: Int, path: String, mode: Mode, mapped: Bool, _ take: (consuming Item) -> Void
    ) throws(StoreError) {
        let pool = StringPool()
        var previous: ItemNumber? = nil
        // A mapped file's pages already read are handed back as the reading goes on, so the
        // snapshot and the ledger built from it are not both held in memory at the end. (They
        // are read again from the page cache should an error message need an early line.)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var released = (part.start + page - 1) / page * page
        try forEachLine(bytes, from: part.start, to: part.end, last: part.end == itemsEnd, path: path) {
            (line, at) throws(StoreError) in
            if mapped, let base = bytes.baseAddress {
                let upTo = at / page * page
                if upTo - released >= 1 << 20 {
                    _ = madvise(UnsafeMutableRawPointer(mutating: base + released), upTo - released, MADV_DONTNEED)
                    released = upTo
                }
            }
            let item: Item
            do throws(JSONError) {
                item = try decodeLine(line, mode: mode, pool: pool)
            } catch {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：\(error.message)")
            }
            if let p = previous, !(p < item.number) {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：事项未按编号排列")
            }
            previous = item.number
            take(item)
        }
    }

    static func decode(_ bytes: [UInt8], path: String, mode: Mode) throws(StoreError) -> Ledger {
        try bytes.withUnsafeBufferPointer { (b) throws(StoreError) in try decode(b, path: path, mode: mode) }
    }

    /// Reads only the items numbered `wanted` (with their histories), finding each by binary
    /// search over the sorted lines: a command about one item reads a few kilobytes of the file.
    static func decode(_ bytes: Bytes, path: String, only wanted: [ItemNumber]) throws(StoreError) -> Ledger {
        let header = try decodeHeader(bytes, path: path)
        if header.format == 1 {
            // Old format: read whole, keep what was asked for.
            let whole = try decodeFormat1(bytes, path: path)
            var ledger = Ledger.partial()
            for e in whole.log {
                do throws(CoreError) { try ledger.applyUnordered(e) } catch { throw .badSnapshot(path, error.message) }
            }
            for n in wanted {
                ledger.want(n)
                if let item = whole.item(n) {
                    do throws(CoreError) { try ledger.restore(item) } catch { throw .badSnapshot(path, error.message) }
                }
            }
            ledger.restoreSerials(whole.lastSerial)
            ledger.restoreFinished(seq: whole.seq)
            return ledger
        }
        var ledger = Ledger.partial()
        try restoreHeader(header, into: &ledger, path: path)
        let asked = Set(wanted)
        for n in asked.sorted() {
            ledger.want(n)
            // A child of an item asked for comes with it.
            if n.isChild, asked.contains(n.family) { continue }
            guard let (line, at) = try find(n, in: bytes, header, path: path) else { continue }
            let item: Item
            do throws(JSONError) { item = try decodeLine(line, mode: .full) } catch {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：\(error.message)")
            }
            guard item.number == n else { throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：编号与行首不符") }
            do throws(CoreError) { try ledger.restore(item) } catch { throw .badSnapshot(path, error.message) }
            // Its children (之1, 之2 … numbered without gaps) come with it.
            var k = 1
            while !n.isChild, let (line, at) = try find(n.child(k), in: bytes, header, path: path) {
                let child: Item
                do throws(JSONError) { child = try decodeLine(line, mode: .full) } catch {
                    throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：\(error.message)")
                }
                guard child.number == n.child(k) else { throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：编号与行首不符") }
                do throws(CoreError) { try ledger.restore(child) } catch { throw .badSnapshot(path, error.message) }
                k += 1
            }
        }
        return ledger
    }

    /// The line of item `number`, by binary search.
    static func find(_ number: ItemNumber, in bytes: Bytes, _ header: Header, path: String) throws(StoreError) -> (Bytes, Int)? {
        var lo = header.itemsStart
        var hi = header.itemsEnd
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            var start = mid
            while start > lo, bytes[start - 1] != 0x0A { start -= 1 }
            guard let nl = newline(in: bytes, from: start, to: header.itemsEnd) else {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, start)) 行：文件不完整")
            }
            try checkLength(bytes, start, nl, path: path)
            var end = nl
            if end > start, bytes[end - 1] == UInt8(ascii: ",") { end -= 1 }
            let line = Bytes(rebasing: bytes[start..<end])
            guard let n = lineNumber(of: line) else {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, start)) 行：事项行应以编号开头")
            }
            if n == number { return (line, start) }
            if n < number { lo = nl + 1 } else { hi = start }
        }
        return nil
    }
}
