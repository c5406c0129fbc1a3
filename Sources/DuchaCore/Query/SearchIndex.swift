#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What search looks through: per item, its searchable text lower-cased as UTF-8, all items in
/// one contiguous buffer, so a keystroke of incremental search is a sequential byte scan (an
/// array of separate byte strings cost a cache miss per item before any byte was compared).
///
/// Beside the text, each item has a signature: 512 bits, one set for every character in its
/// text (a Bloom filter). An item lacking a bit for some character of the query cannot match
/// and its text is not read: for a Chinese query most items are passed over at 64 bytes each.
public struct SearchIndex: Sendable {
    var bytes: [UInt8] = []
    /// Where each item's text starts in `bytes`; one more entry marks the end.
    var starts: [Int] = [0]
    /// Eight words per item.
    var signatures: [UInt64] = []
    static let signatureWords = 8

    public init(items: [Item]) {
        bytes.reserveCapacity(items.count * 256)
        starts.reserveCapacity(items.count + 1)
        signatures = [UInt64](repeating: 0, count: items.count * SearchIndex.signatureWords)
        for i in items.indices {
            let from = bytes.count
            SearchIndex.append(items[i], to: &bytes)
            starts.append(bytes.count)
            bytes.withUnsafeBufferPointer { all in
                SearchIndex.forEachScalar(UnsafeBufferPointer(rebasing: all[from...])) { v in
                    let bit = SearchIndex.bit(v)
                    signatures[i * SearchIndex.signatureWords + bit >> 6] |= 1 << UInt64(bit & 63)
                }
            }
        }
    }

    /// The signature bit of a character.
    @inline(__always) static func bit(_ v: UInt32) -> Int { Int((v &* 0x9E37_79B1) >> 23) }

    /// The scalar values of UTF-8 text (separators included; they cost one bit).
    @inline(__always) static func forEachScalar(_ b: UnsafeBufferPointer<UInt8>, _ body: (UInt32) -> Void) {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                body(UInt32(c))
                i += 1
            } else if c < 0xE0 {
                body(UInt32(c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F))
                i += 2
            } else if c < 0xF0 {
                body(UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F))
                i += 3
            } else {
                body(
                    UInt32(c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                        | UInt32(b[i + 3] & 0x3F))
                i += 4
            }
        }
    }

    /// A query made ready: its words, and the signature bits every match must have.
    public struct Query: Sendable {
        public var words: [[UInt8]]
        var mask: [UInt64]
    }

    public static func query(_ words: [[UInt8]]) -> Query {
        var mask = [UInt64](repeating: 0, count: signatureWords)
        for w in words {
            w.withUnsafeBufferPointer { b in
                forEachScalar(b) { v in
                    let bit = SearchIndex.bit(v)
                    mask[bit >> 6] |= 1 << UInt64(bit & 63)
                }
            }
        }
        return Query(words: words, mask: mask)
    }

    /// Whether item `index` contains every word of the query.
    public func matches(_ index: Int, _ q: Query) -> Bool {
        let base = index * SearchIndex.signatureWords
        for k in 0..<SearchIndex.signatureWords where signatures[base + k] & q.mask[k] != q.mask[k] { return false }
        return matches(index, q.words)
    }

    public var count: Int { starts.count - 1 }

    /// Number, title, units, leader, source and instruction, separated so that no match spans
    /// two fields.
    static func append(_ item: Item, to bytes: inout [UInt8]) {
        for part in [
            item.number.description, item.title, item.leadUnit, item.coUnits.joined(separator: "、"), item.leader, item.source,
            item.instruction,
        ] {
            var part = part
            part.withUTF8 { u in
                for b in u { bytes.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
            }
            bytes.append(0x01)
        }
    }

    static func haystack(_ item: Item) -> [UInt8] {
        var out: [UInt8] = []
        append(item, to: &out)
        return out
    }

    /// What search looks through, as text (fields separated by U+0001, ASCII lower-cased): a
    /// store that searches by itself keeps it (every word of `words` must occur in it).
    public static func text(of item: Item) -> String { String(decoding: haystack(item), as: UTF8.self) }

    /// The grams an index of the search text holds (a store that searches by itself keeps them
    /// beside `text(of:)`): every distinct character of `text` and every pair of adjacent
    /// characters, characters being Unicode scalars as PostgreSQL's `strpos` counts them; none
    /// holds the field separator (U+0001), so a gram never spans two fields. Sorted by scalar
    /// values. A word that occurs in the text has all its grams there (`grams(ofWord:)`).
    public static func grams(of text: String) -> [String] {
        var codes: [UInt64] = []
        var previous: UInt32 = 0x01
        var text = text
        text.withUTF8 { u in
            codes.reserveCapacity(u.count)
            forEachScalar(u) { v in
                if v != 0x01 {
                    codes.append(UInt64(v) << 21)
                    if previous != 0x01 { codes.append(UInt64(previous) << 21 | UInt64(v)) }
                }
                previous = v
            }
        }
        codes.sort()
        var out: [String] = []
        out.reserveCapacity(codes.count)
        var last: UInt64 = .max
        for c in codes where c != last {
            last = c
            out.append(gram(c))
        }
        return out
    }

    /// The grams (`grams(of:)`) every text holding `word` has: the word itself when it is one
    /// character, else its pairs of adjacent characters (distinct, sorted); none for a word of
    /// the field separator alone.
    public static func grams(ofWord word: [UInt8]) -> [String] {
        var scalars: [UInt32] = []
        word.withUnsafeBufferPointer { b in forEachScalar(b) { scalars.append($0) } }
        var codes: [UInt64] = []
        if scalars.count == 1 {
            if scalars[0] != 0x01 { codes.append(UInt64(scalars[0]) << 21) }
        } else {
            for i in scalars.indices.dropFirst() where scalars[i - 1] != 0x01 && scalars[i] != 0x01 {
                codes.append(UInt64(scalars[i - 1]) << 21 | UInt64(scalars[i]))
            }
        }
        return Array(Set(codes)).sorted().map(gram)
    }

    /// A gram from its code: the first scalar in the bits above 21, the second (0: none) below.
    static func gram(_ code: UInt64) -> String {
        var s = String(Unicode.Scalar(UInt32(code >> 21)).map(Character.init) ?? "\u{FFFD}")
        if code & 0x1F_FFFF != 0 { s.unicodeScalars.append(Unicode.Scalar(UInt32(code & 0x1F_FFFF)) ?? "\u{FFFD}") }
        return s
    }

    /// The words of a query, lower-cased: all must appear.
    public static func words(_ query: String) -> [[UInt8]] {
        query.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map { word in
            word.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        }
    }

    public func matches(_ index: Int, _ words: [[UInt8]]) -> Bool {
        bytes.withUnsafeBufferPointer { all in
            let text = UnsafeBufferPointer(rebasing: all[starts[index]..<starts[index + 1]])
            for w in words {
                let found = w.withUnsafeBufferPointer { SearchIndex.find($0, in: text) }
                if !found { return false }
            }
            return true
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        return haystack.withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { n in find(n, in: h) } }
    }

    /// Whether `needle` occurs in `h`. Sixteen positions at a time, candidates are the places
    /// where both the needle's first and its last byte match (for Chinese text that rules out
    /// nearly every position at once); only those are compared in full.
    static func find(_ n: UnsafeBufferPointer<UInt8>, in h: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = n.count
        guard m > 0 else { return true }
        guard let hb = h.baseAddress, let nb = n.baseAddress, m <= h.count else { return false }
        if m == 1 { return memchr(hb, Int32(nb[0]), h.count) != nil }
        let first = SIMD16<UInt8>(repeating: nb[0])
        let last = SIMD16<UInt8>(repeating: nb[m - 1])
        let raw = UnsafeRawPointer(hb)
        var i = 0
        // Positions i..<i+16 are candidates while i + 15 + m - 1 < h.count.
        while i + 15 + m <= h.count {
            let a = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let b = raw.loadUnaligned(fromByteOffset: i + m - 1, as: SIMD16<UInt8>.self)
            let hits = (a .== first) .& (b .== last)
            if any(hits) {
                for j in 0..<16 where hits[j] {
                    if m == 2 || memcmp(hb + i + j + 1, nb + 1, m - 2) == 0 { return true }
                }
            }
            i += 16
        }
        while i + m <= h.count {
            if hb[i] == nb[0], hb[i + m - 1] == nb[m - 1], m == 2 || memcmp(hb + i + 1, nb + 1, m - 2) == 0 { return true }
            i += 1
        }
        return false
    }
}
