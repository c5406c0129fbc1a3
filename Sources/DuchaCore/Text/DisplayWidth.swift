/// Widths in terminal cells, as the C library's wcwidth (and so ncurses) counts them:
/// 中 is 2 cells, a combining mark 0, A 1. Every truncation, padding and alignment in ducha
/// goes through here, never through character counts.
public enum DisplayWidth {
    /// The cells one scalar occupies: 0, 1 or 2. Control characters count 0 here; text from
    /// users is passed through `sanitized` before it is shown, which replaces them.
    @inline(__always)
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return v < 0x20 || (v >= 0x7F && v < 0xA0) ? 0 : 1 }
        if v >= 0x4E00, v <= 0x9FFF { return 2 }  // CJK Unified Ideographs: most of what is written
        if v >= 0x1100, contains(DisplayWidthTables.doubleWidth, v) { return 2 }
        if contains(DisplayWidthTables.zeroWidth, v) { return 0 }
        return 1
    }

    /// The cells a character (grapheme cluster) occupies: the sum of its scalars, which is
    /// how ncurses advances the cursor.
    @inline(__always)
    public static func of(_ character: Character) -> Int {
        var w = 0
        for s in character.unicodeScalars { w += of(s) }
        return w
    }

    /// The cells a whole string occupies.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        var w = 0
        for s in text.unicodeScalars {
            let v = s.value
            if v >= 0x20, v < 0x7F {
                w += 1
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

    /// Whether every scalar is a character of its own (no combining marks, joiners, variation
    /// selectors, jamo, CR): then text can be measured and wrapped scalar by scalar, without
    /// grapheme breaking. True for plain Chinese and ASCII.
    static func isSimple(_ scalars: [Unicode.Scalar]) -> Bool {
        for s in scalars {
            let v = s.value
            if v < 0x300 {
                if v == 0x0D { return false }
                continue
            }
            if (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3000 && v <= 0x3029) || (v >= 0x3030 && v <= 0x3098)
                || (v >= 0x309B && v < 0x4E00) || (v >= 0xFF01 && v <= 0xFF60) || (v >= 0x2010 && v <= 0x2027)
                || (v >= 0x2030 && v <= 0x205E) || (v >= 0xAC00 && v <= 0xD7A3)
            {
                continue
            }
            return false
        }
        return true
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
    /// The text made safe to show or print: every control character and every code point the
    /// terminal cannot print becomes U+FFFD, so an ESC or BEL in a title never reaches a
    /// terminal or an export. A tab becomes a space; line breaks are kept only when
    /// `keepingNewlines` (wrapped text) and otherwise become spaces.
    public func sanitized(keepingNewlines: Bool = false) -> String {
        // Fast path: plain printable text needs no copy.
        var clean = true
        for s in unicodeScalars where DisplayWidth.isUnprintable(s) {
            clean = false
            break
        }
        if clean { return self }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for s in unicodeScalars {
            defer { previousCR = s == "\r" }
            switch s {
            case "\n":
                if previousCR, keepingNewlines { continue }
                out.append(keepingNewlines ? "\n" : " ")
            case "\r": out.append(keepingNewlines ? "\n" : " ")
            case "\t": out.append(" ")
            default:
                out.append(DisplayWidth.isUnprintable(s) ? "\u{FFFD}" : s)
            }
        }
        return String(out)
    }

    /// The text with every control character except line breaks and tabs replaced by U+FFFD:
    /// the last guard before anything is written to a terminal or a file another program reads
    /// (CSV keeps its CRLF).
    public var inert: String {
        func control(_ s: Unicode.Scalar) -> Bool {
            (s.value < 0x20 && s != "\n" && s != "\r" && s != "\t") || (s.value >= 0x7F && s.value < 0xA0)
        }
        guard unicodeScalars.contains(where: control) else { return self }
        var out = String.UnicodeScalarView()
        for s in unicodeScalars { out.append(control(s) ? "\u{FFFD}" : s) }
        return String(out)
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
    /// between any two characters, except that closing punctuation (，。、) never starts a line;
    /// runs of Latin letters and digits break only when longer than a whole line.
    public func wrapped(toWidth width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(contentsOf: String(paragraph).wrapParagraph(width))
        }
        return lines
    }

    private func wrapParagraph(_ width: Int) -> [String] {
        if displayWidth <= width { return [self] }
        // Glyphs are the characters, as ranges of scalars: one scalar each for plain text,
        // found by grapheme breaking otherwise.
        let scalars = Array(unicodeScalars)
        var glyphs: [Range<Int>] = []
        glyphs.reserveCapacity(scalars.count)
        if DisplayWidth.isSimple(scalars) {
            for i in scalars.indices { glyphs.append(i..<i + 1) }
        } else {
            var i = 0
            for ch in self {
                let n = ch.unicodeScalars.count
                glyphs.append(i..<i + n)
                i += n
            }
        }
        func single(_ g: Int) -> Unicode.Scalar? { glyphs[g].count == 1 ? scalars[glyphs[g].lowerBound] : nil }
        func cells(_ g: Int) -> Int {
            var w = 0
            for k in glyphs[g] { w += DisplayWidth.of(scalars[k]) }
            return w
        }
        func isSpace(_ g: Int) -> Bool { single(g) == " " }
        func isLatin(_ g: Int) -> Bool { single(g).map(\.isLatinWordCharacter) ?? false }
        // Tokens: a run of Latin word characters, or one other character.
        var tokens: [Range<Int>] = []
        var i = 0
        while i < glyphs.count {
            var j = i + 1
            if isLatin(i) { while j < glyphs.count, isLatin(j) { j += 1 } }
            tokens.append(i..<j)
            i = j
        }

        var lines: [String] = []
        var line: [Int] = []
        var lineWidth = 0
        func flush() {
            var end = line.count
            while end > 0, isSpace(line[end - 1]) { end -= 1 }
            var text = String.UnicodeScalarView()
            for g in line[..<end] { text.append(contentsOf: scalars[glyphs[g]]) }
            lines.append(String(text))
            line.removeAll(keepingCapacity: true)
            lineWidth = 0
        }
        for token in tokens {
            var w = 0
            for g in token { w += cells(g) }
            let space = token.count == 1 && isSpace(token.lowerBound)
            if lineWidth + w <= width {
                if lineWidth == 0, space { continue }
                line.append(contentsOf: token)
                lineWidth += w
                continue
            }
            if space {
                flush()
                continue
            }
            if w > width {
                // A Latin run longer than a line: cut it character by character.
                for g in token {
                    let cw = cells(g)
                    if lineWidth + cw > width { flush() }
                    line.append(g)
                    lineWidth += cw
                }
                continue
            }
            if token.count == 1, single(token.lowerBound)?.isClosingPunctuation == true, let last = line.last, line.count > 1 {
                // Keep closing punctuation off the start of a line: carry the last character down.
                line.removeLast()
                flush()
                line = [last, token.lowerBound]
                lineWidth = cells(last) + w
                continue
            }
            flush()
            line.append(contentsOf: token)
            lineWidth = w
        }
        if !line.isEmpty || lines.isEmpty { flush() }
        return lines
    }

    var trailingSpacesRemoved: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
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

    var isClosingPunctuation: Bool {
        switch self {
        case "，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "』", "〕", "】", "”", "’", ",", ".", ";", ":", "?", "!", ")", "%":
            return true
        default: return false
        }
    }
}
