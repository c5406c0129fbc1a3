import DuchaCore

/// A frame of the interface as a grid of cells: what `render` produces and what the terminal
/// draws. A wide character (中) occupies two cells: the first holds it, the second is a
/// continuation holding nothing. Tests read frames line by line and style by style.
public struct Screen: Equatable, Sendable {
    public struct Cell: Equatable, Sendable {
        /// One character, "" for the second cell of a wide one.
        public var text: String
        public var style: Style

        public static let blank = Cell(text: " ", style: .normal)
        public var isContinuation: Bool { text.isEmpty }
    }

    public struct Position: Equatable, Sendable {
        public var row: Int
        public var col: Int
    }

    public let rows: Int
    public let cols: Int
    public private(set) var cells: [Cell]
    /// Where the terminal's cursor goes (a text field being edited), or nil to hide it.
    public var cursor: Position?

    public init(rows: Int, cols: Int) {
        self.rows = max(0, rows)
        self.cols = max(0, cols)
        cells = Array(repeating: .blank, count: self.rows * self.cols)
    }

    public subscript(row: Int, col: Int) -> Cell {
        cells[row * cols + col]
    }

    /// Writes `text` from (row, col), at most `width` cells (default: to the right edge), and
    /// returns the cells used. Text is sanitized first; a wide character that would only half
    /// fit becomes a space. Nothing is written outside the grid.
    @discardableResult
    public mutating func put(_ text: String, row: Int, col: Int, width: Int? = nil, style: Style = .normal) -> Int {
        guard row >= 0, row < rows, col < cols else { return 0 }
        let limit = min(cols, width.map { col + max(0, $0) } ?? cols)
        var c = max(0, col)
        for ch in text.sanitized() {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if c + w > limit {
                if c < limit { set(row, c, Cell(text: " ", style: style)) }
                return min(limit, c + 1) - col
            }
            if w == 2 {
                set(row, c, Cell(text: String(ch), style: style))
                set(row, c + 1, Cell(text: "", style: style))
            } else {
                set(row, c, Cell(text: String(ch), style: style))
            }
            c += w
        }
        return c - col
    }

    /// Fills cells with spaces in a style (a highlighted row, a bar).
    public mutating func fill(row: Int, col: Int = 0, width: Int? = nil, style: Style) {
        guard row >= 0, row < rows else { return }
        let end = min(cols, width.map { col + $0 } ?? cols)
        var c = max(0, col)
        while c < end {
            set(row, c, Cell(text: " ", style: style))
            c += 1
        }
    }

    /// Applies a style to existing cells without changing their text.
    public mutating func restyle(row: Int, col: Int = 0, width: Int? = nil, _ change: (inout Style) -> Void) {
        guard row >= 0, row < rows else { return }
        let end = min(cols, width.map { col + $0 } ?? cols)
        for c in max(0, col)..<max(max(0, col), end) { change(&cells[row * cols + c].style) }
    }

    mutating func set(_ row: Int, _ col: Int, _ cell: Cell) {
        let i = row * cols + col
        // Overwriting either half of a wide character blanks the other half.
        if cells[i].isContinuation, col > 0 { cells[i - 1].text = " " }
        if col + 1 < cols, cells[i + 1].isContinuation { cells[i + 1].text = " " }
        cells[i] = cell
    }

    /// The text of a row, trailing spaces removed.
    public func line(_ row: Int) -> String {
        var s = ""
        for c in 0..<cols where !self[row, c].isContinuation { s += self[row, c].text }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Every row's text.
    public var lines: [String] { (0..<rows).map(line) }

    /// The whole frame as text, for README captures and debugging.
    public var text: String { lines.joined(separator: "\n") }

    /// The row holding `text`, if any.
    public func row(containing text: String) -> Int? { (0..<rows).first { line($0).contains(text) } }

    /// The style of the first cell of `text` in `row`.
    public func style(of text: String, inRow row: Int) -> Style? {
        var col = 0
        var s = ""
        var starts: [Int] = []
        for c in 0..<cols where !self[row, c].isContinuation {
            starts.append(c)
            s += self[row, c].text
            col += 1
        }
        guard let r = s.firstRange(of: text) else { return nil }
        let index = s.distance(from: s.startIndex, to: r.lowerBound)
        return self[row, starts[index]].style
    }

    /// Runs of equally styled cells in a row: what the terminal adapter draws with one call each.
    public func runs(_ row: Int) -> [(col: Int, text: String, style: Style)] {
        var out: [(col: Int, text: String, style: Style)] = []
        var c = 0
        while c < cols {
            let style = self[row, c].style
            var text = ""
            let start = c
            while c < cols, self[row, c].style == style {
                text += self[row, c].text
                c += 1
            }
            out.append((start, text, style))
        }
        return out
    }
}
