/// The official number of an item, e.g. 督〔2026〕第0003号: a prefix (repository setting at the
/// time of registration), the year of registration and a serial unique within that year.
public struct ItemNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let prefix: String
    public let year: Int
    public let serial: Int

    public init(prefix: String, year: Int, serial: Int) {
        self.prefix = prefix
        self.year = year
        self.serial = serial
    }

    /// 督〔2026〕第0003号
    public var description: String {
        let s = String(serial)
        return "\(prefix)〔\(year)〕第\(String(repeating: "0", count: max(0, 4 - s.count)))\(s)号"
    }

    /// Year and serial identify an item; the prefix is only how it is written.
    public static func == (a: ItemNumber, b: ItemNumber) -> Bool { a.year == b.year && a.serial == b.serial }
    public func hash(into h: inout Hasher) {
        h.combine(year)
        h.combine(serial)
    }
    public static func < (a: ItemNumber, b: ItemNumber) -> Bool { (a.year, a.serial) < (b.year, b.serial) }

    /// Parses the full written form 督〔2026〕第0003号 (any prefix; [ ] or 〔〕 accepted).
    public static func parseFull(_ text: String) -> ItemNumber? {
        let t = text.trimmingSpaces
        guard t.hasSuffix("号"), let open = t.firstIndex(where: { $0 == "〔" || $0 == "[" || $0 == "［" }),
            let close = t.firstIndex(where: { $0 == "〕" || $0 == "]" || $0 == "］" }), open < close
        else { return nil }
        let prefix = String(t[t.startIndex..<open])
        guard let year = Int(t[t.index(after: open)..<close]), (1900...2999).contains(year) else { return nil }
        var rest = t[t.index(after: close)...].dropLast()
        if rest.first == "第" { rest = rest.dropFirst() }
        guard !rest.isEmpty, rest.allSatisfy({ $0.asciiDigitValue != nil }), let serial = Int(rest), serial > 0
        else { return nil }
        return ItemNumber(prefix: prefix, year: year, serial: serial)
    }

    /// Parses the form ducha writes, 督〔2026〕第0003号, from UTF-8 bytes without going through
    /// Characters (the snapshot and the journal hold numbers so); anything else goes to
    /// `parseFull`.
    public static func parseStored(_ b: UnsafeBufferPointer<UInt8>) -> ItemNumber? {
        var i = b.count
        func take(_ x: UInt8, _ y: UInt8, _ z: UInt8) -> Bool {
            guard i >= 3, b[i - 3] == x, b[i - 2] == y, b[i - 1] == z else { return false }
            i -= 3
            return true
        }
        func digits(max: Int) -> Int? {
            var value = 0
            var scale = 1
            var n = 0
            while i > 0, b[i - 1] &- 0x30 < 10, n < max {
                value += Int(b[i - 1] &- 0x30) * scale
                scale *= 10
                n += 1
                i -= 1
            }
            return n == 0 ? nil : value
        }
        guard take(0xE5, 0x8F, 0xB7), let serial = digits(max: 9), serial > 0, take(0xE7, 0xAC, 0xAC),
            take(0xE3, 0x80, 0x95), let year = digits(max: 4), (1900...2999).contains(year), take(0xE3, 0x80, 0x94)
        else {
            return parseFull(String(decoding: b, as: UTF8.self))
        }
        return ItemNumber(
            prefix: String(decoding: UnsafeBufferPointer(rebasing: b[0..<i]), as: UTF8.self), year: year, serial: serial)
    }
}

/// How a user refers to an item on the command line: the full number, `2026-3`, or the short
/// form `3` meaning number 3 of the current year.
public struct ItemReference: Sendable, Equatable {
    public let year: Int?
    public let serial: Int
    public let text: String

    public static func parse(_ text: String) throws(CoreError) -> ItemReference {
        let t = text.trimmingSpaces
        if let full = ItemNumber.parseFull(t) { return ItemReference(year: full.year, serial: full.serial, text: t) }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, let y = Int(parts[0]), (1900...2999).contains(y), let s = Int(parts[1]), s > 0,
            parts[1].allSatisfy({ $0.asciiDigitValue != nil })
        {
            return ItemReference(year: y, serial: s, text: t)
        }
        if !t.isEmpty, t.count <= 6, t.allSatisfy({ $0.asciiDigitValue != nil }), let s = Int(t), s > 0 {
            return ItemReference(year: nil, serial: s, text: t)
        }
        throw .invalidField("事项编号", "“\(t.sanitized())”不是有效的编号；可写完整编号（如 督〔2026〕第0003号）、2026-3 或当年的序号 3")
    }
}
