import Dispatch
import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// The snapshot file, ducha.json (format 2): the sequence number it includes, the highest
/// serial per year, the repository-wide entries, then one line per item, in number order,
/// holding the item's number, its state and its entries:
///
///     {"format":2,"seq":42,"serials":{"2026":7},"count":7,
///     "log":[
///     {"seq":1,"at":"…","by":"clerk","do":"init",…},
///     …],
///     "items":[
///     {"n":"督〔2026〕第0001号","s":{…state…},"e":[{…},{…}]},
///     …]}
///
/// The file is one valid JSON document, and also a set of lines: reports read each item's
/// state and skip its entries; a command about one item finds its line by binary search;
/// compaction copies unchanged lines as they are. The state is the fold of the entries
/// (`ducha check` verifies it).
enum SnapshotCodec {
    /// The format this version writes.
    static let format = 2

    enum Mode: Sendable {
        /// States and entries.
        case full
        /// States only: entries are skipped.
        case summary
    }

    /// The header, the log and the line opening the items (everything before the first item).
    static func headerBytes(seq: Int, serials: [Int: Int], count: Int, log: [Entry], chain: Chain.Mark?) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        w.raw("{\"format\":\(format),\"seq\":\(seq),\"serials\":{")
        w.raw(serials.keys.sorted().map { "\"\($0)\":\(serials[$0]!)" }.joined(separator: ","))
        w.raw("},\"count\":\(count),")
        if let chain { w.raw("\"chain\":{\"from\":\(chain.from),\"head\":\"\(chain.head)\"},") }
        w.raw("\n\"log\":[")
        for (i, e) in log.enumerated() {
            w.raw(i == 0 ? "\n" : ",\n")
            EntryCodec.encode(e, into: &w)
        }
        w.raw("\n],\n\"items\":[\n")
        return w.bytes
    }

    static let footer: [UInt8] = Array("]}\n".utf8)

    /// One item's line, without separator or newline. The item must hold its whole history.
    static func line(_ item: Item) -> [UInt8] {
        var w = JSONWriter(capacity: 1024)
        w.raw("{\"n\":")
        w.value(item.number.description)
        w.raw(",\"s\":")
        ItemStateCodec.encode(item, into: &w)
        w.raw(",\"e\":[")
        for (j, e) in item.history.enumerated() {
            if j > 0 { w.raw(",") }
            EntryCodec.encode(e, into: &w)
        }
        w.raw("]}")
        return w.bytes
    }

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

    // MARK: Reading

    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// What the header says, and where the items are.
    struct Header {
        var format: Int
        var seq: Int
        var serials: [Int: Int]
        var count: Int
        var log: [Entry]
        var chain: Chain.Mark? = nil
        /// Byte offset of the first item line.
        var itemsStart: Int
        /// Byte offset of the closing line `]}`.
        var itemsEnd: Int
    }

    static let itemsMarker: [UInt8] = Array("\n\"items\":[\n".utf8)

    /// Reads the header and finds the items. A format-1 snapshot gives a header with only its
    /// format set (the caller reads it whole with `decodeFormat1`).
    static func decodeHeader(_ bytes: Bytes, path: String) throws(StoreError) -> Header {
        var header = Header(format: 0, seq: 0, serials: [:], count: 0, log: [], itemsStart: 0, itemsEnd: 0)
        if let f = peekFormat(bytes), f != format {
            if f > format { throw .unsupportedFormat(path, f, format) }
            guard f == 1 else { throw .badSnapshot(path, "格式版本 \(f) 无效") }
            header.format = 1
            return header
        }
        guard let marker = find(itemsMarker, in: bytes) else {
            if bytes.isEmpty { throw .badSnapshot(path, "文件为空") }
            // Say where the JSON goes wrong, if it does.
            do throws(JSONError) {
                try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) in
                    try r.skipValue()
                    try r.expectEnd()
                }
            } catch {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, error.offset)) 行：\(error.message)")
            }
            throw .badSnapshot(path, "没有找到逐行排列的事项部分（文件不是 ducha 写入的格式）")
        }
        header.itemsStart = marker + itemsMarker.count
        guard bytes.count >= header.itemsStart + footer.count,
            bytes[(bytes.count - footer.count)...].elementsEqual(footer),
            bytes.count - footer.count == header.itemsStart || bytes[bytes.count - footer.count - 1] == 0x0A
        else { throw .badSnapshot(path, "第 \(lineNumber(bytes, bytes.count)) 行：文件在此中断，缺少结尾（文件不完整）") }
        header.itemsEnd = bytes.count - footer.count
        // The header's lines (settings, roster, notices) are records: the journal's limit.
        var at = 0
        while at < header.itemsStart {
            let nl = newline(in: bytes, from: at, to: header.itemsStart) ?? header.itemsStart
            try checkLength(bytes, at, nl, path: path, limit: JournalCodec.maxLine)
            at = nl + 1
        }
        var problem: StoreError? = nil
        do throws(JSONError) {
            try JSONReader.read(Bytes(rebasing: bytes[0..<header.itemsStart])) { (r: inout JSONReader) throws(JSONError) in
                try r.beginObject()
                guard try r.nextKey() == "format" else { throw r.error("第一项应为格式版本 format") }
                header.format = try r.readInt()
                guard header.format == format else {
                    problem =
                        header.format > format
                        ? .unsupportedFormat(path, header.format, format) : .badSnapshot(path, "格式版本 \(header.format) 无效")
                    return
                }
                while let key = try r.nextKey() {
                    switch key {
                    case "seq": header.seq = try r.readInt()
                    case "count": header.count = try r.readInt()
                    case "chain":
                        var from: Int? = nil
                        var head: String? = nil
                        try r.beginObject()
                        while let k = try r.nextKey() {
                            switch k {
                            case "from": from = try r.readInt()
                            case "head": head = try r.readString()
                            default: try r.skipValue()
                            }
                        }
                        guard let from, from >= 1, let head, Chain.isHash(head) else { throw r.error("校验链（chain）无效") }
                        header.chain = Chain.Mark(from: from, head: head)
                    case "serials":
                        try r.beginObject()
                        while let y = try r.nextKey() {
                            guard let year = Int(y) else { throw r.error("年份 \(y.sanitized()) 无效") }
                            header.serials[year] = try r.readInt()
                        }
                    case "log":
                        try r.beginArray()
                        while try r.nextElement() {
                            let e = try EntryCodec.decode(&r)
                            guard e.item == nil else { throw r.error("事项记录混入了全局记录") }
                            header.log.append(e)
                        }
                    case "items":
                        try r.beginArray()
                        return
                    default: try r.skipValue()
                    }
                }
                throw r.error("缺少事项部分")
            }
        } catch {
            throw .badSnapshot(path, "第 \(lineNumber(bytes, error.offset)) 行：\(error.message)")
        }
        if let problem { throw problem }
        return header
    }

    /// The format number at the start of a snapshot, if it can be seen.
    static func peekFormat(_ bytes: Bytes) -> Int? {
        let text = String(decoding: bytes.prefix(32), as: UTF8.self)
        guard text.hasPrefix("{\"format\":") else { return nil }
        return Int(text.dropFirst(10).prefix(while: { $0.isNumber }))
    }

    /// Decodes one item line (without separator and newline).
    static func decodeLine(_ line: Bytes, mode: Mode, pool: StringPool? = nil) throws(JSONError) -> Item {
        try JSONReader.read(line) { (r: inout JSONReader) throws(JSONError) -> Item in
            try r.beginObject()
            guard try r.nextKey() == "n" else { throw r.error("事项行应以编号开头") }
            let number = try r.readItemNumber()
            guard try r.nextKey() == "s" else { throw r.error("缺少事项状态") }
            var item = try ItemStateCodec.decode(&r, number: number, pool: pool)
            if case .summary = mode { return item }
            guard try r.nextKey() == "e" else { throw r.error("缺少办理记录") }
            var events: [Entry] = []
            events.reserveCapacity(item.eventCount)
            try r.beginArray()
            var previous = 0
            while try r.nextElement() {
                let e = try EntryCodec.decode(&r)
                guard e.item == number else { throw r.error("记录不属于此事项") }
                guard e.seq > previous else { throw r.error("事项记录的顺序错乱") }
                previous = e.seq
                events.append(e)
            }
            do throws(CoreError) { try item.attachHistory(events) } catch { throw r.error(error.message) }
            guard try r.nextKey() == nil else { throw r.error("事项行有多余内容") }
            try r.expectEnd()
            return item
        }
    }

    static let lineOpening: [UInt8] = Array("{\"n\":\"".utf8)

    /// The number at the start of an item line, read without parsing the rest.
    static func lineNumber(of line: Bytes) -> ItemNumber? {
        guard line.count > lineOpening.count, line.starts(with: lineOpening) else { return nil }
        let from = lineOpening.count
        guard let close = line[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return ItemNumber.parseStored(Bytes(rebasing: line[from..<close]))
    }

    /// The longest item line read (64 MiB): a line holds an item's whole history, each record
    /// far below the journal's 1 MiB.
    static let maxLine = 64 << 20

    /// Refuses an item line longer than `maxLine`, unread.
    @inline(__always)
    static func checkLength(_ bytes: Bytes, _ start: Int, _ end: Int, path: String, limit: Int = maxLine) throws(StoreError) {
        guard end - start > limit else { return }
        throw .badSnapshot(
            path, "第 \(lineNumber(bytes, start)) 行：这一行长 \(end - start) 字节，超过上限 \(limit) 字节（ducha 写入的行远小于此），拒绝读取")
    }

    /// The item lines between `header.itemsStart` and `header.itemsEnd`, each without its
    /// separator and newline, with the offset it starts at.
    static func forEachLine(
        _ bytes: Bytes, _ header: Header, path: String, _ body: (Bytes, Int) throws(StoreError) -> Void
    ) throws(StoreError) {
        try forEachLine(bytes, from: header.itemsStart, to: header.itemsEnd, last: true, path: path, body)
    }

    /// The item lines in bytes[from..<to] (whole lines); `last` when they end the items, so
    /// the final one has no comma.
    static func forEachLine(
        _ bytes: Bytes, from: Int, to: Int, last: Bool, path: String, _ body: (Bytes, Int) throws(StoreError) -> Void
    ) throws(StoreError) {
        var start = from
        while start < to {
            guard let nl = newline(in: bytes, from: start, to: to) else {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, start)) 行：文件不完整")
            }
            try checkLength(bytes, start, nl, path: path)
            var end = nl
            if last, nl == to - 1 {
                guard end > start, bytes[end - 1] != UInt8(ascii: ",") else {
                    throw .badSnapshot(path, "第 \(lineNumber(bytes, start)) 行：最后一件事项后不应有逗号")
                }
            } else {
                guard end > start, bytes[end - 1] == UInt8(ascii: ",") else {
                    throw .badSnapshot(path, "第 \(lineNumber(bytes, start)) 行：事项之间应有逗号")
                }
                end -= 1
            }
            try body(Bytes(rebasing: bytes[start..<end]), start)
            start = nl + 1
        }
    }

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

    /// Below this many bytes of items one thread is quicker than starting more.
    nonisolated(unsafe) static var parallelThreshold = 4 << 20

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
            if partCount == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: partCount, execute: body) }
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
            items.reserveCapacity(header.count)
            try decodeLines(input, parts[0], itemsEnd: itemsEnd, path: path, mode: mode, mapped: mapped) { items.append($0) }
            return items
        }
        var failure: StoreError? = nil
        let items = [Item](unsafeUninitializedCapacity: total) { buffer, initialized in
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

    static func countLines(_ bytes: Bytes, from: Int, to: Int) -> Int {
        var n = 0
        var at = from
        while let nl = newline(in: bytes, from: at, to: to) {
            n += 1
            at = nl + 1
        }
        return n
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
        for n in Set(wanted).sorted() {
            ledger.want(n)
            guard let (line, at) = try find(n, in: bytes, header, path: path) else { continue }
            let item: Item
            do throws(JSONError) { item = try decodeLine(line, mode: .full) } catch {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：\(error.message)")
            }
            guard item.number == n else { throw .badSnapshot(path, "第 \(lineNumber(bytes, at)) 行：编号与行首不符") }
            do throws(CoreError) { try ledger.restore(item) } catch { throw .badSnapshot(path, error.message) }
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

    /// The repository-wide part of the header: settings, roster, notices, serials, sequence.
    static func restoreHeader(_ header: Header, into ledger: inout Ledger, path: String) throws(StoreError) {
        do throws(CoreError) {
            for e in header.log { try ledger.applyUnordered(e) }
        } catch {
            throw .badSnapshot(path, error.message)
        }
        ledger.restoreSerials(header.serials)
        ledger.restoreFinished(seq: header.seq)
        ledger.chainFrom = header.chain?.from
        ledger.chainHead = header.chain?.head
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
            guard let entries = touched[n] else { return try emit(text) }
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

    static let separator: [UInt8] = [0x2C, 0x0A]

    /// Format 1 (entries grouped by item, state derived by folding): read for migration; the
    /// next compaction writes format 2.
    static func decodeFormat1(_ bytes: Bytes, path: String) throws(StoreError) -> Ledger {
        var ledger = Ledger()
        do throws(JSONError) {
            try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) in
                try r.beginObject()
                guard try r.nextKey() == "format", try r.readInt() == 1 else { throw r.error("格式版本无效") }
                var seq: Int? = nil
                var maxSeq = 0
                func apply(_ e: Entry, _ offset: Int) throws(JSONError) {
                    maxSeq = max(maxSeq, e.seq)
                    do throws(CoreError) { try ledger.applyUnordered(e) } catch {
                        throw JSONError(message: error.message, offset: offset)
                    }
                }
                while let key = try r.nextKey() {
                    switch key {
                    case "seq": seq = try r.readInt()
                    case "log":
                        try r.beginArray()
                        while try r.nextElement() {
                            let at = r.position
                            try apply(try EntryCodec.decode(&r), at)
                        }
                    case "items":
                        try r.beginArray()
                        while try r.nextElement() {
                            try r.beginObject()
                            while let k = try r.nextKey() {
                                if k == "events" {
                                    try r.beginArray()
                                    while try r.nextElement() {
                                        let at = r.position
                                        try apply(try EntryCodec.decode(&r), at)
                                    }
                                } else {
                                    try r.skipValue()
                                }
                            }
                        }
                    default: try r.skipValue()
                    }
                }
                try r.expectEnd()
                guard let seq, maxSeq <= seq else { throw r.error("序号无效") }
                ledger.restoreFinished(seq: seq)
            }
        } catch {
            throw .badSnapshot(path, "第 \(lineNumber(bytes, error.offset)) 行：\(error.message)")
        }
        return ledger
    }

    static func lineNumber(_ bytes: some Collection<UInt8>, _ offset: Int) -> Int {
        var n = 1
        for b in bytes.prefix(min(offset, bytes.count)) where b == 0x0A { n += 1 }
        return n
    }

    /// The offset of the first newline in bytes[from..<to].
    @inline(__always)
    static func newline(in bytes: Bytes, from: Int, to: Int) -> Int? {
        guard from < to, let base = bytes.baseAddress, let hit = memchr(base + from, 0x0A, to - from) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }

    /// The offset of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: Bytes) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            guard let hit = haystack[i...last].firstIndex(of: first) else { return nil }
            if haystack[hit..<hit + needle.count].elementsEqual(needle) { return hit }
            i = hit + 1
        }
        return nil
    }
}

/// The journal file, journal.jsonl: one entry per line, appended under the lock.
enum JournalCodec {
    /// A journal line as read: an entry, or — for a ledger that holds only some items — the
    /// sequence number of an entry about another item (and the number it registered, if any).
    enum Record {
        case entry(Entry)
        case passed(seq: Int, registered: ItemNumber?)

        var seq: Int {
            switch self {
            case .entry(let e): return e.seq
            case .passed(let seq, _): return seq
            }
        }
    }

    struct Scan {
        var records: [Record] = []
        /// Bytes up to and including the last newline.
        var consumed = 0
        /// Complete lines read.
        var lines = 0
        /// Bytes after the last newline: a line whose writing was interrupted, never acknowledged.
        var tornBytes = 0
        /// The hash of the last complete line, when it carries a `prev` (the chain's head).
        var head: String? = nil
        /// The sequence number of the first line that carries a `prev`.
        var firstChained: Int? = nil
        /// True when the last complete line carries no `prev` (written before the chain).
        var lastUnchained = false

        /// The entries read (all of them unless some were passed over).
        var entries: [Entry] {
            records.compactMap {
                if case .entry(let e) = $0 { return e }
                return nil
            }
        }
    }

    /// The longest journal line read (1 MiB): input text is limited to 10,000 characters, so a
    /// real record is far below.
    static let maxLine = 1 << 20

    /// Parses the complete lines of `bytes`; `firstLine` is the line number of its first line.
    /// With `keep`, lines about other items are only glanced at (sequence number, registration)
    /// rather than parsed: a command about one item does not pay for the whole journal.
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, path: String, keep: Set<ItemNumber>? = nil
    ) throws(StoreError) -> Scan {
        var scan = Scan()
        var start = 0
        var line = firstLine
        let count = bytes.count
        var last: Range<Int>? = nil
        while start < count {
            guard let nl = SnapshotCodec.newline(in: bytes, from: start, to: count) else {
                scan.tornBytes = count - start
                break
            }
            // A line longer than any record ducha writes is refused unread.
            guard nl - start <= maxLine else {
                throw .badJournal(path, line, "这一行长 \(nl - start) 字节，超过上限 \(maxLine) 字节（ducha 写入的记录远小于此），拒绝读取")
            }
            if nl > start {
                last = start..<nl
                let text = UnsafeBufferPointer(rebasing: bytes[start..<nl])
                if let keep, let glance = glance(text), !keep.contains(glance.number) {
                    scan.records.append(.passed(seq: glance.seq, registered: glance.registers ? glance.number : nil))
                } else {
                    do throws(JSONError) {
                        scan.records.append(.entry(try EntryCodec.decodeLine(text)))
                    } catch {
                        throw .badJournal(path, line, error.message)
                    }
                }
                if scan.firstChained == nil, chained(text), let r = scan.records.last { scan.firstChained = r.seq }
            }
            scan.lines += 1
            line += 1
            start = nl + 1
            scan.consumed = start
        }
        if let last {
            let text = UnsafeBufferPointer(rebasing: bytes[last])
            if chained(text) { scan.head = Chain.hash(text) } else { scan.lastUnchained = true }
        }
        return scan
    }

    static let prevKey = Array(",\"prev\":\"".utf8)

    /// Whether a line carries the hash of the line before it (`{"seq":N,"prev":"…`).
    static func chained(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.starts(with: seqOpening) else { return false }
        var i = seqOpening.count
        while i < line.count, line[i] &- 0x30 < 10 { i += 1 }
        return line.count - i > prevKey.count && UnsafeBufferPointer(rebasing: line[i..<i + prevKey.count]).elementsEqual(prevKey)
    }

    static func scan(_ bytes: [UInt8], firstLine: Int, path: String, keep: Set<ItemNumber>? = nil) throws(StoreError) -> Scan {
        try bytes.withUnsafeBufferPointer { (b) throws(StoreError) in try scan(b, firstLine: firstLine, path: path, keep: keep) }
    }

    static let seqOpening = Array("{\"seq\":".utf8)
    static let itemKey = Array("\"item\":\"".utf8)
    static let registerAction = Array("\"do\":\"register\"".utf8)

    /// What a line is about, read without parsing it: its sequence number, the item it
    /// concerns and whether it registers that item. Nil for a line about no item, or one not
    /// in the form ducha writes (it is then parsed, and refused if damaged). A key cannot occur
    /// inside a string value, where every quote is escaped.
    static func glance(_ line: UnsafeBufferPointer<UInt8>) -> (seq: Int, number: ItemNumber, registers: Bool)? {
        guard line.starts(with: seqOpening) else { return nil }
        var i = seqOpening.count
        var seq = 0
        while i < line.count, line[i] &- 0x30 < 10, i < seqOpening.count + 18 {
            seq = seq * 10 + Int(line[i] &- 0x30)
            i += 1
        }
        guard i > seqOpening.count, i < line.count, line[i] == UInt8(ascii: ","),
            let key = search(itemKey, in: line)
        else { return nil }
        let from = key + itemKey.count
        guard let close = line[from...].firstIndex(of: UInt8(ascii: "\"")),
            let number = ItemNumber.parseStored(UnsafeBufferPointer(rebasing: line[from..<close]))
        else { return nil }
        return (seq, number, search(registerAction, in: line) != nil)
    }

    static func search(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = haystack.baseAddress, let first = needle.first, haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        var i = 0
        return needle.withUnsafeBytes { n -> Int? in
            while i <= last {
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                i = at + 1
            }
            return nil
        }
    }
}
