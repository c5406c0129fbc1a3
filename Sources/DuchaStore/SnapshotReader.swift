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
        try readLines(bytes, part, itemsEnd: itemsEnd, path: path, mapped: mapped) { (line, pool) throws(JSONError) in
            let item = try decodeLine(line, mode: mode, pool: pool)
            let number = item.number
            take(item)
            return number
        }
    }

    /// Hands each line of one part, in order, to `decode`, which says the line's number; checks
    /// that the numbers rise. (Inlined, so that each caller's closure is too: this is the loop
    /// over every line of the snapshot.)
    @inline(__always)
    static func readLines(
        _ bytes: Bytes, _ part: Part, itemsEnd: Int, path: String, mapped: Bool,
        _ decode: (Bytes, StringPool) throws(JSONError) -> ItemNumber
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
            let number: ItemNumber
            do throws(JSONError) {
                number = try decode(line, pool)
            } catch {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：\(error.message)")
            }
            if let p = previous, !(p < number) {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：事项未按编号排列")
            }
            previous = number
        }
    }

    /// Reads the open items' states and the closed items' facts (`ClosedFacts`), on every core
    /// for a large snapshot. Items in `whole` are read whole whatever their line begins with
    /// (the journal changes them), as are the closed parents of open children.
    static func decodeOpen(
        _ bytes: Bytes, path: String, whole: Set<ItemNumber>, mapped: Bool
    ) throws(StoreError) -> (ledger: Ledger, closed: [ClosedFacts]) {
        let header = try decodeHeader(bytes, path: path)
        guard header.format == 2 else {
            return (try decode(bytes, path: path, mode: .summary, mapped: mapped), [])
        }
        var ledger = Ledger.partial()
        try restoreHeader(header, into: &ledger, path: path)
        // Closed items are mostly the older ones, at the start of the file: cut in halves, one
        // thread would read facts and the other states. The lines are cut into many runs
        // instead, each thread taking every n-th.
        let size = header.itemsEnd - header.itemsStart
        let threads = size < parallelThreshold ? 1 : Parallel.cores
        let runs = threads == 1 ? 1 : threads * 8
        var bounds = [header.itemsStart]
        for k in 1..<runs {
            let target = header.itemsStart + size * k / runs
            let end = newline(in: bytes, from: max(target, bounds[k - 1]), to: header.itemsEnd).map { $0 + 1 } ?? header.itemsEnd
            bounds.append(end)
        }
        bounds.append(header.itemsEnd)
        nonisolated(unsafe) let input = bytes
        let itemsEnd = header.itemsEnd
        // Room reserved for every line of a run, items or facts: memory never touched costs
        // nothing, an array grown line by line is copied each time it doubles.
        let room = header.count / runs + 16
        func run(_ k: Int) -> Result<([Item], [ClosedFacts]), StoreError> {
            var items: [Item] = []
            var closed: [ClosedFacts] = []
            guard bounds[k] < bounds[k + 1] else { return .success((items, closed)) }
            items.reserveCapacity(room)
            closed.reserveCapacity(room)
            do throws(StoreError) {
                try readLines(input, Part(start: bounds[k], end: bounds[k + 1]), itemsEnd: itemsEnd, path: path, mapped: mapped) {
                    (line, pool) throws(JSONError) in
                    if let n = lineNumber(of: line), whole.contains(n) {
                        items.append(try decodeLine(line, mode: .summary, pool: pool))
                        return n
                    }
                    switch try decodeFactsOrState(line, pool: pool) {
                    case .item(let item):
                        // A line written before closed facts were: the state gives them.
                        let number = item.number
                        if let facts = ClosedFacts(item) { closed.append(facts) } else { items.append(item) }
                        return number
                    case .closed(let facts):
                        closed.append(facts)
                        return facts.number
                    }
                }
            } catch {
                return .failure(error)
            }
            return .success((items, closed))
        }
        var parts = [Result<([Item], [ClosedFacts]), StoreError>](repeating: .success(([], [])), count: runs)
        parts.withUnsafeMutableBufferPointer { buffer in
            // Each run writes only its own slot; `perform` returns when all are done.
            nonisolated(unsafe) let out = buffer
            Parallel.perform(threads) { t in
                for k in stride(from: t, to: runs, by: threads) { out[k] = run(k) }
            }
        }
        var items: [Item] = []
        var closed: [ClosedFacts] = []
        var counts = (0, 0)
        for case .success(let (i, c)) in parts { counts = (counts.0 + i.count, counts.1 + c.count) }
        items.reserveCapacity(counts.0 + appendRoom)
        closed.reserveCapacity(counts.1)
        var lastNumber: ItemNumber? = nil
        for (k, part) in parts.enumerated() {
            guard case .success(let (i, c)) = part else {
                if case .failure(let e) = part { throw e }
                continue
            }
            // The parts' joins must be in order too.
            let first = [i.first?.number, c.first?.number].compactMap { $0 }.min()
            if let lastNumber, let first, !(lastNumber < first) {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, bounds[k])) 行：事项未按编号排列")
            }
            if let last = [i.last?.number, c.last?.number].compactMap({ $0 }).max() { lastNumber = last }
            items.append(contentsOf: i)
            closed.append(contentsOf: c)
        }
        guard items.count + closed.count == header.count else {
            throw .badSnapshot(path, "事项数为 \(items.count + closed.count)，文件头记为 \(header.count)")
        }
        // A closed item an open one is numbered under (之N) is read whole: lists show families together.
        let parents = Set(items.lazy.filter(\.number.isChild).map(\.number.family))
        if !parents.isEmpty {
            let read = Set(items.lazy.map(\.number))
            for n in parents.sorted() where !read.contains(n) {
                guard let (line, at) = try find(n, in: bytes, header, path: path) else { continue }
                do throws(JSONError) { items.append(try decodeLine(line, mode: .summary)) } catch {
                    throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：\(error.message)")
                }
                closed.removeAll { $0.number == n }
            }
            items.sort { $0.number < $1.number }
        }
        do throws(CoreError) { try ledger.restore(items: items) } catch { throw .badSnapshot(path, error.message) }
        return (ledger, closed)
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
