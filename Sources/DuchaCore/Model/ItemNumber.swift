/// The official number of an item, e.g. 督〔2026〕第0003号: a prefix (repository setting at the
/// time of registration), the year of registration and a serial unique within that year. A
/// child item (任务分解 or a unit's part of a 分别办理 item) is numbered under its parent:
/// 督〔2026〕第0003号之1 (`sub` 1; 0 for an item of its own), and sorts right after it.
public struct ItemNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let prefix: String
    public let year: Int
    public let serial: Int
    /// The N of 之N for a child item; 0 for an item that is nobody's child.
    public let sub: Int

    public init(prefix: String, year: Int, serial: Int, sub: Int = 0) {
        self.prefix = prefix
        self.year = year
        self.serial = serial
        self.sub = sub
    }

    /// 督〔2026〕第0003号, a child 督〔2026〕第0003号之1
    public var description: String {
        let s = String(serial)
        let number = "\(prefix)〔\(year)〕第\(String(repeating: "0", count: max(0, 4 - s.count)))\(s)号"
        return sub == 0 ? number : number + "之\(sub)"
    }

    /// Whether it is a child's number (之N).
    public var isChild: Bool { sub > 0 }

    /// The number of the item itself when it is nobody's child, else its parent's: the family
    /// a command about it reads.
    public var family: ItemNumber { sub == 0 ? self : ItemNumber(prefix: prefix, year: year, serial: serial) }

    /// The number of its `n`th child.
    public func child(_ n: Int) -> ItemNumber { ItemNumber(prefix: prefix, year: year, serial: serial, sub: n) }

    /// Year, serial and sub identify an item; the prefix is only how it is written.
    public static func == (a: ItemNumber, b: ItemNumber) -> Bool {
        a.year == b.year && a.serial == b.serial && a.sub == b.sub
    }
    public func hash(into h: inout Hasher) {
        h.combine(year)
        h.combine(serial)
        h.combine(sub)
    }
    public static func < (a: ItemNumber, b: ItemNumber) -> Bool {
        (a.year, a.serial, a.sub) < (b.year, b.serial, b.sub)
    }

    /// Splits a trailing 之N (a child's number) off `text`: the rest and N, or nil when there
    /// is no such suffix (a malformed one is left on, so that the number is refused).
    static func splitChild(_ text: Substring) -> (Substring, Int)? {
        guard let zhi = text.lastIndex(of: "之") else { return nil }
        let digits = text[text.index(after: zhi)...]
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0.asciiDigitValue != nil }), let n = Int(digits), n > 0
        else { return nil }
        return (text[..<zhi], n)
    }

    /// Parses the full written form 督〔2026〕第0003号 (any prefix; [ ] or 〔〕 accepted).
    public static func parseFull(_ text: String) -> ItemNumber? {
        let whole = text.trimmingSpaces
        let (t, sub) = splitChild(Substring(whole)).map { (String($0.0), $0.1) } ?? (whole, 0)
        guard t.hasSuffix("号"), let open = t.firstIndex(where: { $0 == "〔" || $0 == "[" || $0 == "［" }),
            let close = t.firstIndex(where: { $0 == "〕" || $0 == "]" || $0 == "］" }), open < close
        else { return nil }
        let prefix = String(t[t.startIndex..<open])
        guard let year = Int(t[t.index(after: open)..<close]), (1900...2999).contains(year) else { return nil }
        var rest = t[t.index(after: close)...].dropLast()
        if rest.first == "第" { rest = rest.dropFirst() }
        guard !rest.isEmpty, rest.allSatisfy({ $0.asciiDigitValue != nil }), let serial = Int(rest), serial > 0
        else { return nil }
        return ItemNumber(prefix: prefix, year: year, serial: serial, sub: sub)
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
        // 之N: a child's number.
        var sub = 0
        if i > 0, b[i - 1] &- 0x30 < 10 {
            guard let n = digits(max: 4), n > 0, take(0xE4, 0xB9, 0x8B) else {
                return parseFull(String(decoding: b, as: UTF8.self))
            }
            sub = n
        }
        guard take(0xE5, 0x8F, 0xB7), let serial = digits(max: 9), serial > 0, take(0xE7, 0xAC, 0xAC),
            take(0xE3, 0x80, 0x95), let year = digits(max: 4), (1900...2999).contains(year), take(0xE3, 0x80, 0x94)
        else {
            return parseFull(String(decoding: b, as: UTF8.self))
        }
        return ItemNumber(
            prefix: String(decoding: UnsafeBufferPointer(rebasing: b[0..<i]), as: UTF8.self), year: year, serial: serial,
            sub: sub)
    }
}

/// How a user refers to an item on the command line: the full number, `2026-3`, or the short
/// form `3` meaning number 3 of the current year; a child as any of these followed by 之N
/// (`3之1`).
public struct ItemReference: Sendable, Equatable {
    public let year: Int?
    public let serial: Int
    /// 之N of a child; 0 for an item that is nobody's child.
    public let sub: Int
    public let text: String
    /// For a 分别办理 item, the unit whose part is meant: 督〔2026〕第0003号（城关镇）, or named
    /// by an option (`--unit`).
    public var unit: String?

    public init(year: Int?, serial: Int, sub: Int = 0, text: String, unit: String? = nil) {
        self.year = year
        self.serial = serial
        self.sub = sub
        self.text = text
        self.unit = unit
    }

    /// The same reference, to `unit`'s part of a 分别办理 item.
    public func part(_ unit: String?) -> ItemReference {
        var r = self
        if let unit { r.unit = unit.trimmingSpaces }
        return r
    }

    /// A reference to `number` exactly.
    public init(_ number: ItemNumber) {
        self.init(year: number.year, serial: number.serial, sub: number.sub, text: number.description)
    }

    public static func parse(_ text: String) throws(CoreError) -> ItemReference {
        // Full-width digits (１之１, 2026－3) read as dates do: as ASCII.
        let typed = LedgerDates.ascii(text)
        // 督〔2026〕第0003号（城关镇）: a unit's part of a 分别办理 item, as ducha shows it.
        if typed.hasSuffix("）") || typed.hasSuffix(")"), let open = typed.lastIndex(where: { $0 == "（" || $0 == "(" }),
            open > typed.startIndex
        {
            let unit = String(typed[typed.index(after: open)..<typed.index(before: typed.endIndex)]).trimmingSpaces
            if !unit.isEmpty { return try parse(String(typed[..<open])).part(unit) }
        }
        let whole = typed
        if let full = ItemNumber.parseFull(whole) {
            return ItemReference(year: full.year, serial: full.serial, sub: full.sub, text: whole)
        }
        let (t, sub) = ItemNumber.splitChild(Substring(whole)).map { (String($0.0), $0.1) } ?? (whole, 0)
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, let y = Int(parts[0]), (1900...2999).contains(y), let s = Int(parts[1]), s > 0,
            parts[1].allSatisfy({ $0.asciiDigitValue != nil })
        {
            return ItemReference(year: y, serial: s, sub: sub, text: whole)
        }
        if !t.isEmpty, t.count <= 6, t.allSatisfy({ $0.asciiDigitValue != nil }), let s = Int(t), s > 0 {
            return ItemReference(year: nil, serial: s, sub: sub, text: whole)
        }
        throw .invalidField(
            "事项编号", "“\(whole.sanitized())”不是有效的编号；可写完整编号（如 督〔2026〕第0003号）、2026-3 或当年的序号 3，分解的子项加“之N”（如 3之1）")
    }
}
