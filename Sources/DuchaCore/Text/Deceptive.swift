/// Characters that make text look other than it is. Bidi controls reorder what is shown (a
/// U+202E turns the rest of a line around), zero-width characters make two names that look the
/// same differ, and the Unicode line and paragraph separators break lines in some programs and
/// not in others. They are refused on input (`Validate`) and, like control characters, become
/// U+FFFD in every output (`String.inert`, `String.sanitized`) or an escape in JSON. A zero-width
/// joiner between two pictographs is what joins an emoji sequence (👨‍👩‍👧) and is kept.
///
/// All of them are two or three bytes of UTF-8 with a lead byte of D8, E2 or EF, so text is
/// searched for them by those lead bytes without decoding:
/// U+061C D8 9C · U+200B–200F E2 80 8B–8F · U+2028–202E E2 80 A8–AE · U+2060–206F E2 81 A0–AF ·
/// U+FEFF EF BB BF.
public enum Deceptive {
    public enum Kind: Sendable, Equatable {
        /// Bidi controls: U+061C, U+200E, U+200F, U+202A–202E, U+2066–2069.
        case direction
        /// Zero-width and invisible format characters: U+200B–200D, U+2060–2065, U+206A–206F, U+FEFF.
        case invisible
        /// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.
        case separator
    }

    /// The kind of a scalar of the set, nil for any other. U+200D is in the set; whether a
    /// particular one is refused depends on its neighbours (`joinerJoins`).
    @inline(__always)
    public static func kind(_ v: UInt32) -> Kind? {
        if v < 0x200B { return v == 0x61C ? .direction : nil }
        if v > 0x206F { return v == 0xFEFF ? .invisible : nil }
        switch v {
        case 0x200B...0x200D, 0x2060...0x2065, 0x206A...0x206F: return .invisible
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return .direction
        case 0x2028, 0x2029: return .separator
        default: return nil
        }
    }

    /// What the character is, for messages: 不可见的文字方向控制字符（U+202E）.
    public static func describe(_ v: UInt32) -> String {
        var hex = String(v, radix: 16, uppercase: true)
        while hex.utf8.count < 4 { hex = "0" + hex }
        let code = "U+" + hex
        switch kind(v) {
        case .direction: return "不可见的文字方向控制字符（\(code)）"
        case .invisible: return "不可见的零宽字符（\(code)）"
        case .separator: return "特殊的分行字符（\(code)）"
        case nil: return "字符（\(code)）"
        }
    }

    /// Whether a scalar is a pictograph an emoji sequence joins (Extended_Pictographic, near
    /// enough: emoji other than ASCII, regional indicators and skin tones).
    static func isPictograph(_ v: UInt32) -> Bool {
        guard v >= 0xA9, !(0x1F1E6...0x1F1FF).contains(v), !(0x1F3FB...0x1F3FF).contains(v) else { return false }
        return Unicode.Scalar(v)?.properties.isEmoji ?? false
    }

    /// Whether the zero-width joiner whose UTF-8 (E2 80 8D) starts at `b[i]` stands between two
    /// pictographs, allowing a variation selector or skin tone after the first: 👩🏽‍💻, 🏳️‍🌈.
    public static func joinerJoins(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i + 3 < b.count, b[i + 3] >= 0xC2 else { return false }
        var next = i + 3
        guard isPictograph(DisplayWidth.scalar(b, at: &next)) else { return false }
        var end = i
        // Step back over at most two modifiers (a skin tone, a variation selector).
        for _ in 0..<3 {
            guard end > 0 else { return false }
            var start = end - 1
            while start > 0, b[start] & 0xC0 == 0x80 { start -= 1 }
            guard b[start] >= 0xC0 else { return false }
            var at = start
            let v = DisplayWidth.scalar(b, at: &at)
            if v == 0xFE0F || v == 0xFE0E || (0x1F3FB...0x1F3FF).contains(v) {
                end = start
                continue
            }
            return isPictograph(v)
        }
        return false
    }

    /// The bytes of the refused character starting at `b[i]` (2 or 3), or 0 when there is none
    /// there. Only lead bytes D8, E2 and EF can start one.
    @inline(__always)
    public static func length(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        switch b[i] {
        case 0xD8:
            return i + 1 < b.count && b[i + 1] == 0x9C ? 2 : 0
        case 0xE2:
            guard i + 2 < b.count else { return 0 }
            let c1 = b[i + 1]
            let c2 = b[i + 2]
            if c1 == 0x80 {
                if c2 >= 0x8B, c2 <= 0x8F { return c2 == 0x8D && joinerJoins(b, at: i) ? 0 : 3 }
                return c2 >= 0xA8 && c2 <= 0xAE ? 3 : 0
            }
            return c1 == 0x81 && c2 >= 0xA0 && c2 <= 0xAF ? 3 : 0
        case 0xEF:
            return i + 2 < b.count && b[i + 1] == 0xBB && b[i + 2] == 0xBF ? 3 : 0
        default:
            return 0
        }
    }

    /// Whether `c` can start a refused character.
    @inline(__always)
    static func isLead(_ c: UInt8) -> Bool { c == 0xD8 || c == 0xE2 || c == 0xEF }

    /// The first refused character in UTF-8 text, as a scalar value.
    public static func first(in b: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var i = 0
        while i < b.count {
            if isLead(b[i]), length(b, at: i) > 0 {
                var at = i
                return DisplayWidth.scalar(b, at: &at)
            }
            i += 1
        }
        return nil
    }

    /// The first refused character in a string.
    public static func first(in text: String) -> UInt32? {
        var text = text
        return text.withUTF8 { first(in: $0) }
    }
}
