#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What search looks through, kept as one lower-cased UTF-8 byte string per item so a keystroke
/// of incremental search is a byte scan (memmem), not a Unicode-aware comparison per field.
public struct SearchIndex: Sendable {
    var haystacks: [[UInt8]]

    public init(items: [Item]) {
        haystacks = items.map(SearchIndex.haystack)
    }

    public var count: Int { haystacks.count }

    /// Number, title, units, leader, source and instruction, separated so that no match spans
    /// two fields.
    static func haystack(_ item: Item) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(item.title.utf8.count + item.instruction.utf8.count + 96)
        for part in [
            item.number.description, item.title, item.leadUnit, item.coUnits.joined(separator: "、"), item.leader, item.source,
            item.instruction,
        ] {
            for b in part.utf8 { bytes.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
            bytes.append(0x01)
        }
        return bytes
    }

    /// The words of a query, lower-cased: all must appear.
    public static func words(_ query: String) -> [[UInt8]] {
        query.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map { word in
            word.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        }
    }

    public func matches(_ index: Int, _ words: [[UInt8]]) -> Bool {
        for w in words where !SearchIndex.contains(haystacks[index], w) { return false }
        return true
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        // Scan for the needle's last byte with memchr (UTF-8 continuation bytes of Chinese text
        // vary more than lead bytes), then compare the whole needle there.
        return haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                let m = n.count
                let last = n[m - 1]
                guard let hb = h.baseAddress, let nb = n.baseAddress else { return false }
                var from = m - 1
                while from < h.count {
                    guard let hit = memchr(hb + from, Int32(last), h.count - from) else { return false }
                    let end = hb.distance(to: UnsafeRawPointer(hit))
                    if memcmp(hb + (end - m + 1), nb, m) == 0 { return true }
                    from = end + 1
                }
                return false
            }
        }
    }
}
