/// A plain-text table for printing or pasting into a document: columns aligned in display
/// cells (中 = 2), long cells wrapped inside their column, no box-drawing characters (they are
/// of ambiguous width and break alignment in Chinese fonts).
public struct TextTable: Sendable {
    public struct Column: Sendable {
        public var header: String
        public var alignRight: Bool
        /// How strongly the column keeps its width when the table must be narrowed: 0 for a
        /// fixed column; among flexible ones, the column with the most width per unit of
        /// weight gives first, so a weight-3 column ends about three times as wide.
        public var weight: Int
        public var minWidth: Int
        public var maxWidth: Int?

        public init(_ header: String, alignRight: Bool = false, weight: Int = 0, minWidth: Int = 4, maxWidth: Int? = nil) {
            self.header = header
            self.alignRight = alignRight
            self.weight = weight
            self.minWidth = minWidth
            self.maxWidth = maxWidth
        }

        public var flexible: Bool { weight > 0 }
    }

    public var columns: [Column]
    public var rows: [[String]] = []
    /// Spaces between columns.
    public var gap: Int
    /// Whether a rule of dashes follows the header.
    public var rule: Bool

    public init(columns: [Column], gap: Int = 2, rule: Bool = true) {
        self.columns = columns
        self.gap = gap
        self.rule = rule
    }

    public mutating func append(_ row: [String]) { rows.append(row.map { $0.sanitized(keepingNewlines: true) }) }

    /// Each column's natural width: its widest line (header or cell), within its maximum.
    public func naturalWidths() -> [Int] {
        let widest = Parallel.runs(rows.count, minimum: TextTable.parallelRows) { range in widestLines(rows[range]) }
        return columns.indices.map { c -> Int in
            var n = columns[c].header.displayWidth
            for w in widest { n = max(n, w[c]) }
            if let m = columns[c].maxWidth { n = min(n, max(m, columns[c].minWidth)) }
            return max(n, 1)
        }
    }

    /// Each column's widest line among `rows`.
    func widestLines(_ rows: ArraySlice<[String]>) -> [Int] {
        var widest = [Int](repeating: 0, count: columns.count)
        for row in rows {
            for c in columns.indices where c < row.count {
                var cell = row[c]
                cell.withUTF8 { b in
                    var start = 0
                    for i in 0...b.count where i == b.count || b[i] == 0x0A {
                        widest[c] = max(widest[c], DisplayWidth.of(utf8: UnsafeBufferPointer(rebasing: b[start..<i])))
                        start = i + 1
                    }
                }
            }
        }
        return widest
    }

    /// Column widths fitting `width` cells where possible: natural widths when they fit,
    /// otherwise flexible columns are narrowed by weight, down to their minimum.
    public func widths(fitting width: Int?) -> [Int] {
        let natural = naturalWidths()
        var w = natural
        guard let width else { return w }
        var excess = w.reduce(0, +) + gap * max(0, columns.count - 1) - width
        while excess > 0 {
            // Narrow the flexible column with the most width per unit of weight.
            var pick = -1
            for c in columns.indices where columns[c].flexible && w[c] > columns[c].minWidth {
                if pick < 0 || w[c] * columns[pick].weight > w[pick] * columns[c].weight { pick = c }
            }
            guard pick >= 0 else { break }
            w[pick] -= 1
            excess -= 1
        }
        // A column of Chinese text at an odd width leaves its last cell empty on every line;
        // hand that cell to the column that most wants room.
        var breaker = LineBreaker()
        var lines: [LineBreaker.Line] = []
        for c in columns.indices where columns[c].flexible && w[c] % 2 == 1 && w[c] > columns[c].minWidth && w[c] < natural[c] {
            // Whether every wrapped line leaves the last cell empty.
            var fills = false
            for row in rows where c < row.count && !fills {
                var cell = row[c]
                cell.withUTF8 { b in
                    var start = 0
                    for i in 0...b.count where i == b.count || b[i] == 0x0A {
                        let paragraph = UnsafeBufferPointer(rebasing: b[start..<i])
                        start = i + 1
                        let width = DisplayWidth.of(utf8: paragraph)
                        if width <= w[c] {
                            if width == w[c] { fills = true }
                            continue
                        }
                        lines.removeAll(keepingCapacity: true)
                        breaker.lines(paragraph, width: w[c], into: &lines)
                        if lines.contains(where: { $0.width >= w[c] }) { fills = true }
                    }
                }
            }
            guard !fills else { continue }
            let taker = columns.indices.filter { $0 != c && columns[$0].flexible && w[$0] < natural[$0] }
                .max { columns[$0].weight < columns[$1].weight }
            w[c] -= 1
            if let t = taker { w[t] += 1 }
        }
        return w
    }

    /// The table as lines of at most `width` cells (when it can be narrowed that far).
    public func render(width: Int? = nil) -> [String] {
        render(widths: widths(fitting: width), rows: rows)
    }

    /// The header and `rows` with the given column widths (so several tables can share one
    /// layout).
    public func render(widths w: [Int], rows: [[String]]) -> [String] {
        var out = TextLines()
        write(widths: w, rows: rows[...], into: &out)
        return out.lines
    }

    /// From how many rows a table is laid out on every core: a row of a notice (wrapped title,
    /// units, progress) takes some 10 µs, starting a thread some 0.1 ms.
    nonisolated(unsafe) static var parallelRows = 200

    /// The same, appended to `out`: a long table without a String per line.

    public func write(widths w: [Int], rows: ArraySlice<[String]>, into out: inout TextLines) {
        write(widths: w, head: head(widths: w), rows: rows, into: &out)
    }

    /// The header's lines and the rule under it, at these widths (the same for every table of
    /// a notice's sections: laid out once).
    public func head(widths w: [Int]) -> TextLines {
        var out = TextLines()
        for line in renderRow(columns.map(\.header), w, header: true) { out.append(line) }
        if rule {
            out.append(w.map { String(repeating: "-", count: $0) }.joined(separator: String(repeating: " ", count: gap)))
        }
        return out
    }

    /// The same, with the header laid out already (`head(widths:)`).
    public func write(widths w: [Int], head: TextLines, rows: ArraySlice<[String]>, into out: inout TextLines) {
        out.bytes.append(contentsOf: head.bytes)
        // Long tables (an overdue notice of thousands of rows) are laid out on every core, each
        // taking a run of rows into its own buffer; the buffers are then joined in order.
        guard rows.count >= TextTable.parallelRows, Parallel.cores > 1 else {
            var layout = RowLayout(self)
            for i in rows.indices { layout.render(rows[i], self, w, into: &out) }
            return
        }
        let parts = Parallel.runs(rows.count, minimum: TextTable.parallelRows) { range -> TextLines in
            var layout = RowLayout(self)
            var part = TextLines()
            for i in range { layout.render(rows[rows.startIndex + i], self, w, into: &part) }
            return part
        }
        for p in parts { out.bytes.append(contentsOf: p.bytes) }
    }

    /// Lays out body rows on UTF-8 bytes: each cell's lines are ranges of a shared buffer, and
    /// each output line is assembled in one buffer, so a table of tens of thousands of rows
    /// makes one String per printed line and nothing per piece.
    struct RowLayout {
        var breaker = LineBreaker()
        var bytes: [UInt8] = []
        var pieces: [[LineBreaker.Line]]

        /// Per column: whether it is aligned right; and the spaces between columns.
        let alignRight: [Bool]
        let gap: Int

        init(_ table: TextTable) {
            pieces = Array(repeating: [], count: table.columns.count)
            alignRight = table.columns.map(\.alignRight)
            gap = table.gap
        }

        static let spaces = [UInt8](repeating: 0x20, count: 256)

        @inline(__always)
        static func appendSpaces(_ n: Int, to out: inout [UInt8]) {
            var n = n
            while n > 0 {
                let k = min(n, spaces.count)
                out.append(contentsOf: spaces[0..<k])
                n -= k
            }
        }

        mutating func render(_ cells: [String], _ table: TextTable, _ w: [Int], into out: inout TextLines) {
            bytes.removeAll(keepingCapacity: true)
            var height = 1
            for c in table.columns.indices {
                pieces[c].removeAll(keepingCapacity: true)
                guard c < cells.count, !cells[c].isEmpty else {
                    pieces[c].append(LineBreaker.Line(range: bytes.count..<bytes.count, width: 0))
                    continue
                }
                let base = bytes.count
                var text = cells[c]
                text.withUTF8 { bytes.append(contentsOf: $0) }
                bytes.withUnsafeBufferPointer { all in
                    let cell = UnsafeBufferPointer(rebasing: all[base...])
                    var start = 0
                    for i in 0...cell.count where i == cell.count || cell[i] == 0x0A {
                        let paragraph = UnsafeBufferPointer(rebasing: cell[start..<i])
                        let first = pieces[c].count
                        let width = DisplayWidth.of(utf8: paragraph)
                        if width <= w[c] {
                            pieces[c].append(LineBreaker.Line(range: start..<i, width: width))
                        } else {
                            breaker.lines(paragraph, width: w[c], into: &pieces[c])
                            for k in first..<pieces[c].count {
                                let r = pieces[c][k].range
                                pieces[c][k].range = (r.lowerBound + start)..<(r.upperBound + start)
                            }
                        }
                        start = i + 1
                    }
                }
                for k in pieces[c].indices {
                    let r = pieces[c][k].range
                    pieces[c][k].range = (r.lowerBound + base)..<(r.upperBound + base)
                }
                height = max(height, pieces[c].count)
            }
            let last = alignRight.count - 1
            bytes.withUnsafeBufferPointer { text in
                for i in 0..<height {
                    let lineStart = out.bytes.count
                    // Spaces are written only when text follows them: a line never ends in padding.
                    var spaces = 0
                    for c in alignRight.indices {
                        let piece = i < pieces[c].count ? pieces[c][i] : LineBreaker.Line(range: 0..<0, width: 0)
                        let pad = max(0, w[c] - piece.width)
                        if alignRight[c] { spaces += pad }
                        if !piece.range.isEmpty {
                            RowLayout.appendSpaces(spaces, to: &out.bytes)
                            spaces = 0
                            out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[piece.range]))
                        }
                        if !alignRight[c] { spaces += pad }
                        if c < last { spaces += gap }
                    }
                    while out.bytes.count > lineStart, out.bytes.last == 0x20 { out.bytes.removeLast() }
                    out.bytes.append(0x0A)
                }
            }
        }
    }

    func renderRow(_ cells: [String], _ w: [Int], header: Bool) -> [String] {
        let wrapped: [[String]] = columns.indices.map { c in
            let text = c < cells.count ? cells[c] : ""
            if text.isEmpty { return [""] }
            guard header else { return text.wrapped(toWidth: w[c]) }
            // Headers break evenly: 批示/领导 rather than 批示领/导.
            let lines = text.wrapped(toWidth: w[c])
            var narrow = w[c]
            while narrow > 2, text.wrapped(toWidth: narrow - 1).count == lines.count { narrow -= 1 }
            return text.wrapped(toWidth: narrow)
        }
        let height = wrapped.map(\.count).max() ?? 1
        var lines: [String] = []
        var line: [UInt8] = []
        for i in 0..<height {
            line.removeAll(keepingCapacity: true)
            for c in columns.indices {
                var piece = i < wrapped[c].count ? wrapped[c][i] : ""
                let pad = max(0, w[c] - piece.displayWidth)
                if columns[c].alignRight && !header { line.append(contentsOf: repeatElement(0x20, count: pad)) }
                piece.withUTF8 { line.append(contentsOf: $0) }
                if !(columns[c].alignRight && !header) { line.append(contentsOf: repeatElement(0x20, count: pad)) }
                if c < columns.count - 1 { line.append(contentsOf: repeatElement(0x20, count: gap)) }
            }
            while line.last == 0x20 { line.removeLast() }
            lines.append(String(decoding: line, as: UTF8.self))
        }
        return lines
    }
}

/// Chinese numerals and percentages as they are written in official documents.
public enum ChineseText {
    static let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五. For headings (一、二、…).
    public static func numeral(_ n: Int) -> String {
        guard n > 0 else { return digits[0] }
        if n < 10 { return digits[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        if n < 100 { return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        if n < 1000 {
            let rest = n % 100
            let tail = rest == 0 ? "" : (rest < 10 ? "零" + digits[rest] : (rest < 20 ? "一" + numeral(rest) : numeral(rest)))
            return digits[n / 100] + "百" + tail
        }
        return String(n)
    }

    /// 30.0% with one decimal, rounded half up; "—" when there is nothing to divide by.
    public static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "—" }
        let tenths = (part * 2000 + whole) / (2 * whole)
        return "\(tenths / 10).\(tenths % 10)%"
    }
}

/// Lines of text gathered as UTF-8, each ended by a newline: reports of many thousands of
/// lines are built without a String per line.
public struct TextLines: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func append(_ line: String) {
        var line = line
        line.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(0x0A)
    }

    public mutating func append(contentsOf lines: [String]) { for l in lines { append(l) } }

    /// Everything, each line ended by a newline.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The same as UTF-8 with any control character but line breaks and tabs, and any
    /// character `Deceptive` names, replaced by � (see `String.inert`); the bytes themselves
    /// when there is none, as there should not be.
    public var inertBytes: [UInt8] {
        bytes.withUnsafeBufferPointer { String.isInert($0) ? bytes : String.inertBytes($0) }
    }

    /// The lines, without their newlines.
    public var lines: [String] {
        var out: [String] = []
        var start = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            out.append(String(decoding: bytes[start..<i], as: UTF8.self))
            start = i + 1
        }
        return out
    }
}
