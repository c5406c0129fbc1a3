import DuchaCore

/// Writing an Excel workbook: one sheet, its header in the first row (bold, frozen, with an
/// autofilter), numbers and dates as numbers and dates, rows filled by their light, columns wide
/// enough for Chinese text. The XML is written from templates, every text escaped; the zip
/// container by ZIPFoundation.
public struct XLSXSheet: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case integer(Int)
        /// A number shown with one decimal (扣分 -2.5, 平均办理天数 12.5).
        case decimal(Double)
        /// A fraction shown as a percentage with one decimal.
        case percent(Double)
        case date(Day)
        case empty
    }

    public enum Fill: Sendable { case none, red, yellow }

    public var name: String
    public var headers: [String]
    public var rows: [[Cell]]
    public var fills: [Fill]

    public init(name: String, headers: [String], rows: [[Cell]] = [], fills: [Fill] = []) {
        self.name = name
        self.headers = headers
        self.rows = rows
        self.fills = fills
    }

    public mutating func append(_ cells: [Cell], fill: Fill = .none) {
        rows.append(cells)
        fills.append(fill)
    }

    /// A text cell read as a number where it is one: "12" an integer, "-2.5" a decimal, "85.0%"
    /// a percentage; anything else (— included) stays text.
    public static func typed(_ s: String) -> Cell {
        if s.isEmpty { return .empty }
        if let n = Int(s) { return .integer(n) }
        if CSVText.isPlainNumber(s), let d = Double(s) { return .decimal(d) }
        if s.hasSuffix("%"), CSVText.isPlainNumber(String(s.dropLast())), let d = Double(s.dropLast()) {
            return .percent(d / 100)
        }
        return .text(s)
    }
}
