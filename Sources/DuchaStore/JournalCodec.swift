import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

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
                if let keep, let glance = glance(text), !keep.contains(glance.number),
                    !(glance.number.isChild && keep.contains(glance.number.family))
                {
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
