/// Key sequences that start with Esc, as terminals really send them, decoded whatever TERM
/// claims: terminfo describes one terminal, but PuTTY says xterm and sends ESC[1~ for Home,
/// tmux and screen send ESC[1~ too, rxvt ESC[7~, the Linux console ESC[[A for F1, and xterm
/// switches between ESC[H and ESC O H with the cursor-key mode. Curses decodes what terminfo
/// lists; whatever it hands over as a bare Esc followed by more bytes is decoded here, so a
/// sequence never arrives as Esc plus letters.
public enum EscapeSequence {
    /// What follows an Esc, as far as it is read.
    public enum Result: Equatable, Sendable {
        /// A complete sequence: the key it stands for, or nil for a known form without a key
        /// here (focus reports, keypad 5…) — it is swallowed, never typed.
        case key(Key?)
        /// Not a sequence: Esc and another Esc, or Esc with an ordinary key (Alt plus that key).
        case notASequence
        /// A sequence not yet complete: read another character.
        case incomplete
        /// ESC[200~: the terminal begins a paste (bracketed paste mode); it ends with ESC[201~.
        case pasteStart
    }

    /// What ends a bracketed paste, after its Esc.
    public static let pasteEnd: [Unicode.Scalar] = ["[", "2", "0", "1", "~"]

    /// Decodes `chars`, the characters after Esc.
    public static func decode(_ chars: [Unicode.Scalar]) -> Result {
        guard let first = chars.first else { return .incomplete }
        switch first {
        case "[" where chars == ["[", "2", "0", "0", "~"]: return .pasteStart
        case "[": return csi(Array(chars.dropFirst()))
        case "O": return ss3(Array(chars.dropFirst()))
        default: return .notASequence
        }
    }

    /// The longest a sequence can be; anything longer is garbage and is dropped whole.
    public static let maximumLength = 16

    /// ESC O x: xterm's application cursor and keypad modes, F1–F4.
    static func ss3(_ chars: [Unicode.Scalar]) -> Result {
        guard var c = chars.first else { return .incomplete }
        var i = 0
        // Older xterms send modified keys in this mode as ESC O 5 C: the modifier is skipped.
        while ("0"..."9").contains(c) || c == ";" {
            i += 1
            guard i < chars.count else { return chars.count >= maximumLength ? .key(nil) : .incomplete }
            c = chars[i]
        }
        switch c {
        case "A": return .key(.up)
        case "B": return .key(.down)
        case "C": return .key(.right)
        case "D": return .key(.left)
        case "H": return .key(.home)
        case "F": return .key(.end)
        case "P": return .key(.function(1))
        case "Q": return .key(.function(2))
        case "R": return .key(.function(3))
        case "S": return .key(.function(4))
        // rxvt: Ctrl-arrows.
        case "a": return .key(.up)
        case "b": return .key(.down)
        case "c": return .key(.right)
        case "d": return .key(.left)
        // The numeric keypad in application mode (PuTTY, xterm, VTE).
        case "M": return .key(.enter)
        case "p", "q", "r", "s", "t", "u", "v", "w", "x", "y":
            return .key(.char(Character(Unicode.Scalar(c.value - 0x70 + 0x30)!)))
        case "j": return .key(.char("*"))
        case "k": return .key(.char("+"))
        case "l": return .key(.char(","))
        case "m": return .key(.char("-"))
        case "n": return .key(.char("."))
        case "o": return .key(.char("/"))
        default: return .key(nil)
        }
    }

    /// ESC [ params final: xterm, VTE, PuTTY, rxvt, screen/tmux, the Linux console, Windows
    /// Terminal and macOS Terminal.
    static func csi(_ chars: [Unicode.Scalar]) -> Result {
        guard let first = chars.first else { return .incomplete }
        // The Linux console (and PuTTY in its Linux mode): ESC [ [ A … E for F1–F5.
        if first == "[" {
            guard chars.count >= 2 else { return .incomplete }
            switch chars[1] {
            case "A", "B", "C", "D", "E": return .key(.function(Int(chars[1].value - 0x40)))
            default: return .key(nil)
            }
        }
        // Parameters (digits, ; and private markers < = > ?), then one final character.
        var params = ""
        for c in chars {
            if (0x30...0x3F).contains(c.value) {
                params.unicodeScalars.append(c)
                continue
            }
            if (0x20...0x2F).contains(c.value), c != "$" { continue }  // intermediates
            return .key(key(params: params, final: c))
        }
        return chars.count >= maximumLength ? .key(nil) : .incomplete
    }

    static func key(params: String, final: Unicode.Scalar) -> Key? {
        // The first parameter names the key; a second (xterm's ;5 for Ctrl…) is a modifier.
        let n = params.split(separator: ";", omittingEmptySubsequences: false).first.flatMap { Int($0) }
        switch final {
        case "A", "a": return .up
        case "B", "b": return .down
        case "C", "c": return .right
        case "D", "d": return .left
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        // xterm's modified F1–F4: ESC [ 1 ; 5 P.
        case "P": return .function(1)
        case "Q": return .function(2)
        case "R": return .function(3)
        case "S": return .function(4)
        // ~ plain and modified (xterm ESC[3;5~), rxvt's $ (Shift) ^ (Ctrl) @ (Ctrl-Shift).
        case "~", "$", "^", "@":
            switch n {
            case 1, 7: return .home
            case 2: return .insert
            case 3: return .delete
            case 4, 8: return .end
            case 5: return .pageUp
            case 6: return .pageDown
            case 11, 12, 13, 14, 15: return .function(n! - 10)
            case 17, 18, 19, 20, 21: return .function(n! - 11)
            case 23, 24: return .function(n! - 12)
            // rxvt: Shift-F3 … Shift-F10 as ESC[25~ … ESC[34~ — the F keys themselves.
            case 25, 26: return .function(n! - 22)
            case 28, 29: return .function(n! - 23)
            case 31, 32, 33, 34: return .function(n! - 24)
            default: return nil
            }
        default:
            return nil
        }
    }
}
