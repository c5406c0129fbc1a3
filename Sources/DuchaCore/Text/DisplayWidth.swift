/// Widths in terminal cells, as the C library's wcwidth (and so ncurses) counts them:
/// 中 is 2 cells, a combining mark 0, A 1. Every truncation, padding and alignment in ducha
/// goes through here, never through character counts.
public enum DisplayWidth {
    /// The scalar whose UTF-8 starts at `b[i]` (a lead byte of valid UTF-8, not ASCII), `i`
    /// moved past it.
    @inline(__always)
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, at i: inout Int) -> UInt32 {
        let c = b[i]
        if c < 0xE0 {
            defer { i += 2 }
            return UInt32(c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
        }
        if c < 0xF0 {
            defer { i += 3 }
            return UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
        }
        defer { i += 4 }
        return UInt32(c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
    }

    /// The cells one scalar occupies: 0, 1 or 2. Control characters count 0 here; text from
    /// users is passed through `sanitized` before it is shown, which replaces them. The
    /// characters `Deceptive` names count 1, the U+FFFD they are shown as; a zero-width joiner
    /// counts 0 here and 1 in text where it joins no pictographs (see `of(utf8:)`).
    @inline(__always)
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return v < 0x20 || (v >= 0x7F && v < 0xA0) ? 0 : 1 }
        if v >= 0x4E00, v <= 0x9FFF { return 2 }  // CJK Unified Ideographs: most of what is written
        if v >= 0x1100, contains(DisplayWidthTables.doubleWidth, v) { return 2 }
        if v >= 0x61C, v != 0x200D, Deceptive.kind(v) != nil { return 1 }
        if contains(DisplayWidthTables.zeroWidth, v) { return 0 }
        return 1
    }

    /// The cells a character (grapheme cluster) occupies: the sum of its scalars, which is
    /// how ncurses advances the cursor.
    @inline(__always)
    public static func of(_ character: Character) -> Int {
        var w = 0
        var joiner = false
        for s in character.unicodeScalars {
            w += of(s)
            joiner = joiner || s.value == 0x200D
        }
        guard joiner else { return w }
        var text = String(character)
        return text.withUTF8 { of(utf8: $0) }
    }

    /// The cells a whole string occupies.
    public static func of(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { of(utf8: $0) }
    }

    /// The cells of UTF-8 text (valid, as every Swift string is): decoded byte by byte, the
    /// common cases (ASCII, the CJK ideographs) without a table search.
    public static func of(utf8 b: UnsafeBufferPointer<UInt8>) -> Int {
        var w = 0
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                w += c >= 0x20 && c < 0x7F ? 1 : 0
                i += 1
                continue
            }
            let start = i
            let v = DisplayWidth.scalar(b, at: &i)
            if v == 0x200D {
                // Shown as U+FFFD unless it joins an emoji sequence.
                w += Deceptive.length(b, at: start) > 0 ? 1 : 0
                continue
            }
            w += of(Unicode.Scalar(v) ?? " ")
        }
        return w
    }

    /// The cells a substring occupies.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        var w = 0
        for s in text.unicodeScalars {
            let v = s.value
            if v >= 0x20, v < 0x7F {
                w += 1
            } else if v == 0x200D {
                var copy = String(text)
                return copy.withUTF8 { of(utf8: $0) }
            } else {
                w += of(s)
            }
        }
        return w
    }

    /// True for scalars that must never reach a terminal or a printed report: C0 and C1
    /// controls, DEL, and code points the C library cannot print.
    public static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return true }
        if v < 0x300 || (v >= 0x4E00 && v <= 0x9FFF) { return false }
        return contains(DisplayWidthTables.unprintable, v)
    }

    /// Whether a scalar is always a character of its own (not a combining mark, joiner,
    /// variation selector, jamo or CR): text made only of such scalars is measured and wrapped
    /// scalar by scalar, without grapheme breaking. True for plain Chinese and ASCII.
    @inline(__always)
    static func isSimple(_ v: UInt32) -> Bool {
        if v < 0x300 { return v != 0x0D }
        return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3000 && v <= 0x3029) || (v >= 0x3030 && v <= 0x3098)
            || (v >= 0x309B && v < 0x4E00) || (v >= 0xFF01 && v <= 0xFF60) || (v >= 0x2010 && v <= 0x2027)
            || (v >= 0x2030 && v <= 0x205E) || (v >= 0xAC00 && v <= 0xD7A3)
    }

    /// Binary search in a sorted table of inclusive [start, end] pairs.
    static func contains(_ table: [UInt32], _ v: UInt32) -> Bool {
        var lo = 0
        var hi = table.count / 2 - 1
        if hi < 0 || v < table[0] || v > table[table.count - 1] { return false }
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < table[2 * mid] {
                hi = mid - 1
            } else if v > table[2 * mid + 1] {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}

extension String {
    /// The text made safe to show or print: every control character, every code point the
    /// terminal cannot print and every character `Deceptive` names (bidi controls, zero-width
    /// characters) becomes U+FFFD, so an ESC or BEL or a U+202E in a title never reaches a
    /// terminal or an export. A tab becomes a space; line breaks are kept only when
    /// `keepingNewlines` (wrapped text) and otherwise become spaces.
    public func sanitized(keepingNewlines: Bool = false) -> String {
        // Fast path: plain printable text needs no copy. Read over the bytes: ASCII and the
        // CJK ideographs are decided without a table.
        var copy = self
        return copy.withUTF8 { b -> String in
            var i = 0
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if c < 0x20 || c == 0x7F { return String.sanitized(b, keepingNewlines: keepingNewlines) }
                    i += 1
                    continue
                }
                if Deceptive.isLead(c), Deceptive.length(b, at: i) > 0 {
                    return String.sanitized(b, keepingNewlines: keepingNewlines)
                }
                let v = DisplayWidth.scalar(b, at: &i)
                if DisplayWidth.isUnprintable(Unicode.Scalar(v) ?? "\u{FFFD}") {
                    return String.sanitized(b, keepingNewlines: keepingNewlines)
                }
            }
            return self
        }
    }

    /// `sanitized` of UTF-8 text that needs changes.
    static func sanitized(_ b: UnsafeBufferPointer<UInt8>, keepingNewlines: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + 16)
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        var previousCR = false
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 {
                switch c {
                case 0x0A:
                    if !(previousCR && keepingNewlines) { out.append(keepingNewlines ? 0x0A : 0x20) }
                case 0x0D: out.append(keepingNewlines ? 0x0A : 0x20)
                case 0x09: out.append(0x20)
                case 0..<0x20, 0x7F: out.append(contentsOf: replacement)
                default: out.append(c)
                }
                previousCR = c == 0x0D
                i += 1
                continue
            }
            previousCR = false
            if Deceptive.isLead(c) {
                let n = Deceptive.length(b, at: i)
                if n > 0 {
                    out.append(contentsOf: replacement)
                    i += n
                    continue
                }
            }
            let start = i
            let v = DisplayWidth.scalar(b, at: &i)
            if DisplayWidth.isUnprintable(Unicode.Scalar(v) ?? "\u{FFFD}") {
                out.append(contentsOf: replacement)
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether UTF-8 text holds no control character but line breaks and tabs and none of
    /// the characters `Deceptive` names: C0 controls and DEL are single bytes, C1 controls are
    /// C2 80–9F, the others start with D8, E2 or EF: only those bytes are looked at further.
    public static func isInert(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = b.baseAddress else { return true }
        let n = b.count
        var i = 0
        while i < n {
            let c = p[i]
            // Bits 2, 24, 34 and 47 of the mask: lead bytes C2, D8, E2 and EF.
            if c < 0x20 || c == 0x7F || (c >= 0xC0 && (0x0000_8004_0100_0004 as UInt64) >> (c &- 0xC0) & 1 != 0) {
                if inertLength(b, at: i) > 0 { return false }
            }
            i += 1
        }
        return true
    }

    /// The bytes of the character at `b[i]` that `inert` replaces, or 0.
    @inline(__always)
    static func inertLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let c = b[i]
        if c < 0x20 { return c == 0x0A || c == 0x0D || c == 0x09 ? 0 : 1 }
        if c < 0x7F { return 0 }
        if c == 0x7F { return 1 }
        if c == 0xC2 { return i + 1 < b.count && b[i + 1] < 0xA0 ? 2 : 0 }
        return Deceptive.isLead(c) ? Deceptive.length(b, at: i) : 0
    }

    /// UTF-8 text with what `isInert` finds replaced by U+FFFD.
    public static func inertBytes(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + 16)
        var i = 0
        var run = 0
        while i < b.count {
            let k = inertLength(b, at: i)
            if k == 0 {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            i += k
            run = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<b.count]))
        return out
    }

    /// The text with every control character except line breaks and tabs, and every
    /// character `Deceptive` names, replaced by U+FFFD: the last guard before anything is
    /// written to a terminal or a file another program reads (CSV keeps its CRLF).
    public var inert: String {
        var copy = self
        return copy.withUTF8 { b in String.isInert(b) ? self : String(decoding: String.inertBytes(b), as: UTF8.self) }
    }

    /// `inert` for a whole file: a byte order mark opening it is the file's, not the data's,
    /// and is kept (CSV exports start with one so that Excel reads them as UTF-8).
    public var inertFile: String {
        guard utf8.starts(with: [0xEF, 0xBB, 0xBF]) else { return inert }
        return "\u{FEFF}" + String(unicodeScalars.dropFirst()).inert
    }

    /// Width in terminal cells.
    public var displayWidth: Int { DisplayWidth.of(self) }

    /// The longest prefix that fits in `width` cells; when the text is cut, the last cell
    /// holds `ellipsis` ("…"). A wide character that would only half fit is replaced by a
    /// space, never split. The result is always exactly as wide as the text or `width`,
    /// whichever is smaller.
    public func truncated(toWidth width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let total = displayWidth
        if total <= width { return self }
        let markWidth = ellipsis.displayWidth
        let room = max(0, width - markWidth)
        var out = ""
        var used = 0
        for ch in self {
            let w = DisplayWidth.of(ch)
            if used + w > room { break }
            out.append(ch)
            used += w
        }
        if markWidth > width { return String(repeating: " ", count: width) }
        // The mark follows the text directly; a cell left by a wide character goes after it.
        return out + ellipsis + String(repeating: " ", count: room - used)
    }

    /// Cut to at most `width` cells with no mark; a half-fitting wide character becomes a space.
    public func clipped(toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for ch in self {
            let w = DisplayWidth.of(ch)
            if used + w > width {
                if used < width { out += String(repeating: " ", count: width - used) }
                return out
            }
            out.append(ch)
            used += w
        }
        return out
    }

    /// Padded with spaces to `width` cells (text already wider is returned as is).
    public func padded(toWidth width: Int, alignRight: Bool = false) -> String {
        let pad = width - displayWidth
        guard pad > 0 else { return self }
        let spaces = String(repeating: " ", count: pad)
        return alignRight ? spaces + self : self + spaces
    }

    /// Truncated with "…" when too wide, then padded, so the result is exactly `width` cells.
    public func fitted(toWidth width: Int, alignRight: Bool = false) -> String {
        truncated(toWidth: width).padded(toWidth: width, alignRight: alignRight)
    }

    /// Centred in `width` cells (left-biased), no trailing spaces.
    public func centered(inWidth width: Int) -> String {
        let pad = max(0, (width - displayWidth) / 2)
        return String(repeating: " ", count: pad) + self
    }

    /// Lines of at most `width` cells. Existing line breaks are kept. Chinese text breaks
    /// between any two characters, except that closing punctuation (，。、) never starts a line
    /// and opening punctuation (（《“) never ends one;
    /// runs of Latin letters and digits break only when longer than a whole line.
    public func wrapped(toWidth width: Int) -> [String] {
        guard width > 0 else { return [] }
        guard utf8.contains(0x0A) else { return wrapParagraph(width) }
        var lines: [String] = []
        for paragraph in utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lines.append(contentsOf: String(Substring(paragraph)).wrapParagraph(width))
        }
        return lines
    }

    private func wrapParagraph(_ width: Int) -> [String] {
        if displayWidth <= width { return [self] }
        var text = self
        return text.withUTF8 { b in
            var breaker = LineBreaker()
            var lines: [LineBreaker.Line] = []
            breaker.lines(b, width: width, into: &lines)
            return lines.map { String(decoding: UnsafeBufferPointer(rebasing: b[$0.range]), as: UTF8.self) }
        }
    }

    var trailingSpacesRemoved: String {
        let u = utf8
        guard u.last == 0x20 else { return self }
        var end = u.endIndex
        while end > u.startIndex, u[u.index(before: end)] == 0x20 { end = u.index(before: end) }
        return String(self[..<end])
    }
}

extension Unicode.Scalar {
    var isLatinWordCharacter: Bool {
        guard isASCII else { return false }
        let a = UInt8(value)
        return (a >= 0x30 && a <= 0x39) || (a >= 0x41 && a <= 0x5A) || (a >= 0x61 && a <= 0x7A)
            || a == UInt8(ascii: "-") || a == UInt8(ascii: ".") || a == UInt8(ascii: "%")
            || a == UInt8(ascii: "_") || a == UInt8(ascii: "/")
    }

    var isOpeningPunctuation: Bool {
        switch self {
        case "（", "《", "「", "『", "〔", "【", "“", "‘", "(": return true
        default: return false
        }
    }

    var isClosingPunctuation: Bool {
        switch self {
        case "，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "』", "〕", "】", "”", "’", ",", ".", ";", ":", "?", "!", ")", "%":
            return true
        default: return false
        }
    }
}

/// Breaks one paragraph of UTF-8 text (no line breaks inside) into lines of at most `width`
/// cells. Chinese text breaks between any two characters, except that closing punctuation
/// (，。、) never starts a line and opening punctuation (（《“) never ends one; runs of Latin letters and digits break only when longer than a
/// whole line; spaces at a break are dropped. Lines are byte ranges of the input, so tables of
/// tens of thousands of rows are laid out without making a String per piece. Reuse one
/// breaker for many paragraphs: its buffers are kept.
public struct LineBreaker {
    public struct Line: Sendable {
        public var range: Range<Int>
        public var width: Int
    }

    /// Per character (grapheme cluster): where it starts, its cells, its scalar when it has
    /// only one (UInt32.max otherwise).
    var starts: [Int] = []
    var cells: [Int] = []
    var singles: [UInt32] = []

    public init() {}

    mutating func measure(_ b: UnsafeBufferPointer<UInt8>) {
        starts.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        singles.removeAll(keepingCapacity: true)
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            var v: UInt32
            var len: Int
            if c < 0x80 {
                v = UInt32(c)
                len = 1
            } else if c < 0xE0 {
                v = UInt32(c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                len = 2
            } else if c < 0xF0 {
                v = UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                len = 3
            } else {
                v =
                    UInt32(c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                    | UInt32(b[i + 3] & 0x3F)
                len = 4
            }
            guard DisplayWidth.isSimple(v) else {
                measureByCharacters(b)
                return
            }
            starts.append(i)
            cells.append(DisplayWidth.of(Unicode.Scalar(v) ?? " "))
            singles.append(v)
            i += len
        }
        starts.append(n)
    }

    /// Text with combining marks, joiners and the like: characters by grapheme breaking.
    mutating func measureByCharacters(_ b: UnsafeBufferPointer<UInt8>) {
        starts.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        singles.removeAll(keepingCapacity: true)
        var offset = 0
        for ch in String(decoding: b, as: UTF8.self) {
            starts.append(offset)
            cells.append(DisplayWidth.of(ch))
            singles.append(ch.unicodeScalars.count == 1 ? ch.unicodeScalars.first!.value : UInt32.max)
            offset += ch.utf8.count
        }
        starts.append(offset)
    }

    @inline(__always) func isSpace(_ g: Int) -> Bool { singles[g] == 0x20 }

    @inline(__always) func isLatin(_ g: Int) -> Bool {
        let v = singles[g]
        return v < 0x80 && Unicode.Scalar(UInt8(v)).isLatinWordCharacter
    }

    @inline(__always) func isOpening(_ g: Int) -> Bool {
        let v = singles[g]
        return v != UInt32.max && (Unicode.Scalar(v)?.isOpeningPunctuation ?? false)
    }

    @inline(__always) func isClosing(_ g: Int) -> Bool {
        let v = singles[g]
        return v != UInt32.max && (Unicode.Scalar(v)?.isClosingPunctuation ?? false)
    }

    /// Appends the lines of `b` to `out`.
    public mutating func lines(_ b: UnsafeBufferPointer<UInt8>, width: Int, into out: inout [Line]) {
        measure(b)
        let count = cells.count
        let before = out.count
        // The line being filled: characters lo..<hi (empty when lo == hi), its width.
        var lo = 0
        var hi = 0
        var lineWidth = 0
        func flush() {
            var end = hi
            var w = lineWidth
            while end > lo, isSpace(end - 1) {
                end -= 1
                w -= cells[end]
            }
            out.append(Line(range: starts[lo]..<(end > lo ? starts[end] : starts[lo]), width: w))
            lo = hi
            lineWidth = 0
        }
        func take(_ from: Int, _ to: Int, _ w: Int) {
            if lo == hi { lo = from }
            hi = to
            lineWidth += w
        }
        var i = 0
        while i < count {
            var j = i + 1
            if isLatin(i) { while j < count, isLatin(j) { j += 1 } }
            var w = 0
            for g in i..<j { w += cells[g] }
            let space = j == i + 1 && isSpace(i)
            defer { i = j }
            if lineWidth + w <= width {
                if lo == hi, space { continue }
                take(i, j, w)
                continue
            }
            if space {
                flush()
                lo = j
                hi = j
                continue
            }
            if w > width {
                // A Latin run longer than a line: cut it character by character.
                for g in i..<j {
                    if lineWidth + cells[g] > width { flush() }
                    take(g, g + 1, cells[g])
                }
                continue
            }
            if j == i + 1, isClosing(i), hi - lo > 1 {
                // Keep closing punctuation off the start of a line: carry the last character down,
                // with the closing marks before it (“…办结”，: the quote goes down with 结).
                var last = hi - 1
                while last - lo > 1, isClosing(last) { last -= 1 }
                var carried = 0
                for g in last..<hi { carried += cells[g] }
                hi = last
                lineWidth -= carried
                flush()
                lo = last
                hi = j
                lineWidth = carried + w
                continue
            }
            // Keep opening punctuation off the end of a line: it goes down with what it opens.
            var carried = 0
            var carriedWidth = 0
            while hi - carried - lo > 1, isOpening(hi - carried - 1), carriedWidth + cells[hi - carried - 1] + w <= width {
                carried += 1
                carriedWidth += cells[hi - carried]
            }
            hi -= carried
            lineWidth -= carriedWidth
            let from = carried > 0 ? hi : i
            flush()
            lo = from
            hi = j
            lineWidth = carriedWidth + w
        }
        if hi > lo || out.count == before { flush() }
    }
}
