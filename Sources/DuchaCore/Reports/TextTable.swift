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
        columns.indices.map { c -> Int in
            var n = columns[c].header.displayWidth
            for row in rows where c < row.count {
                for line in row[c].split(separator: "\n", omittingEmptySubsequences: false) {
                    n = max(n, DisplayWidth.of(line))
                }
            }
            if let m = columns[c].maxWidth { n = min(n, max(m, columns[c].minWidth)) }
            return max(n, 1)
        }
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
        for c in columns.indices where columns[c].flexible && w[c] % 2 == 1 && w[c] > columns[c].minWidth && w[c] < natural[c] {
            let lines = rows.compactMap { c < $0.count ? $0[c] : nil }.flatMap { $0.wrapped(toWidth: w[c]) }
            guard lines.allSatisfy({ $0.displayWidth < w[c] }) else { continue }
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
        var out: [String] = []
        out.append(contentsOf: renderRow(columns.map(\.header), w, header: true))
        if rule {
            out.append(w.map { String(repeating: "-", count: $0) }.joined(separator: String(repeating: " ", count: gap)))
        }
        for row in rows { out.append(contentsOf: renderRow(row, w, header: false)) }
        return out
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
        for i in 0..<height {
            var line = ""
            for c in columns.indices {
                let piece = i < wrapped[c].count ? wrapped[c][i] : ""
                let right = columns[c].alignRight && !header
                line += piece.padded(toWidth: w[c], alignRight: right)
                if c < columns.count - 1 { line += String(repeating: " ", count: gap) }
            }
            lines.append(line.trailingSpacesRemoved)
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
