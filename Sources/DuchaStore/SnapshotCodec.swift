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

    typealias Bytes = UnsafeBufferPointer<UInt8>

    static let footer: [UInt8] = Array("]}\n".utf8)

    static let separator: [UInt8] = [0x2C, 0x0A]

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

    static func countLines(_ bytes: Bytes, from: Int, to: Int) -> Int {
        var n = 0
        var at = from
        while let nl = newline(in: bytes, from: at, to: to) {
            n += 1
            at = nl + 1
        }
        return n
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
