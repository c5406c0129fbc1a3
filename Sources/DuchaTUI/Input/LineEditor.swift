import DuchaCore

/// A one-line text editor for Chinese: characters are whole grapheme clusters, so Backspace
/// removes a whole 中, and the cursor is placed by display cells.
public struct LineEditor: Equatable, Sendable {
    public private(set) var characters: [Character]
    /// Index in `characters` before which the cursor stands.
    public private(set) var cursor: Int
    /// The longest text accepted, in characters.
    public var limit: Int
    /// Whether text was typed or pasted beyond the limit (and so not taken): the box says so.
    public private(set) var overflowed = false

    public init(_ text: String = "", limit: Int = Validate.textLimit) {
        characters = Array(text)
        cursor = characters.count
        self.limit = limit
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    public mutating func set(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Handles an editing key; returns false for keys that are not editing keys (Enter, Esc,
    /// arrows up and down…), which the caller handles.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c):
            guard characters.count < limit else {
                overflowed = true
                return true
            }
            // A pasted newline or tab becomes a space; other control characters are dropped.
            if c == "\n" || c == "\r" || c == "\t" {
                insert(" ")
            } else if !c.unicodeScalars.contains(where: DisplayWidth.isUnprintable) {
                insert(c)
            }
        case .backspace:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete, .ctrl("d"):
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(characters.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end: cursor = characters.count
        case .ctrl("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .ctrl("k"):
            characters.removeLast(characters.count - cursor)
        case .ctrl("w"):
            // Delete the word (or run of Chinese) before the cursor.
            var i = cursor
            while i > 0, characters[i - 1] == " " { i -= 1 }
            while i > 0, characters[i - 1] != " " { i -= 1 }
            characters.removeSubrange(i..<cursor)
            cursor = i
        default:
            return false
        }
        return true
    }

    mutating func insert(_ c: Character) {
        characters.insert(c, at: cursor)
        cursor += 1
    }

    /// The visible part of the text in a field `width` cells wide and the cursor's cell within
    /// it: the text scrolls so the cursor stays visible.
    ///
    /// Only the characters near the cursor are measured: a box holding a long paste is drawn
    /// after every key, and measuring all of it each time made pasting take seconds.
    public func view(width: Int) -> (text: String, cursorCell: Int) {
        guard width > 1 else { return ("", 0) }
        // Back from the cursor while the text before it fits, keeping one cell free after the
        // cursor for the caret itself: the first character shown.
        var start = cursor
        var offset = 0
        while start > 0 {
            let w = DisplayWidth.of(characters[start - 1])
            if offset + w > width - 1 { break }
            offset += w
            start -= 1
        }
        var shown = ""
        var used = 0
        var i = start
        while i < characters.count {
            let w = DisplayWidth.of(characters[i])
            if used + w > width { break }
            shown.append(characters[i])
            used += w
            i += 1
        }
        return (shown, offset)
    }
}
