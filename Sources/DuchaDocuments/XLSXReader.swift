import DuchaCore
import DuchaPapers
import Foundation
import ZIPFoundation

/// Reading an Excel workbook (.xlsx, Office Open XML): the zip container with ZIPFoundation,
/// its parts with Foundation's XML parser. Cells come back as text the importer reads like a
/// CSV cell: shared and inline strings as written, numbers as Excel shows them in General format,
/// cells formatted as dates as YYYY-MM-DD (with the time when there is one), on the workbook's
/// 1900 or 1904 base. A merged range repeats its top-left cell's text in every cell it covers.
public enum XLSXReader {
    public struct Sheet: Sendable {
        public var name: String
        /// Every sheet's name, in the workbook's order.
        public var names: [String]
        public var rows: [LedgerImport.Row]
        public var base1904: Bool
    }

    /// A part larger than this is refused (a zip bomb, or not a ledger).
    static let maxPart = 256 << 20

    /// The zip container's signature: an .xlsx (and .docx) starts with it.
    public static func isZip(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    public static func read(_ bytes: [UInt8], sheet wanted: String? = nil) throws(DocumentError) -> Sheet {
        let archive: Archive
        do { archive = try Archive(data: Data(bytes), accessMode: .read) } catch {
            throw DocumentError("不是有效的 .xlsx 文件（无法作为 zip 读取）")
        }
        func part(_ path: String) throws(DocumentError) -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= maxPart else { throw DocumentError("\(path) 过大（\(entry.uncompressedSize) 字节）") }
            var data = Data()
            do {
                // The size the zip declares may lie: stop at the limit whatever it says.
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    data.append(chunk)
                    if data.count > maxPart { throw DocumentError("\(path) 过大") }
                }
            } catch let e as DocumentError {
                throw e
            } catch {
                throw DocumentError("\(path) 无法解压：文件已损坏")
            }
            return data
        }
        func xml(_ path: String) throws(DocumentError) -> XMLElement? {
            guard let data = try part(path) else { return nil }
            guard let root = XMLElement.parse(data) else { throw DocumentError("\(path) 不是有效的 XML") }
            return root
        }
        guard let workbook = try xml("xl/workbook.xml") else {
            throw DocumentError("不是 Excel 工作簿：缺少 xl/workbook.xml（.xls 旧格式请先在 Excel 中另存为 .xlsx）")
        }
        let base1904 = workbook.child("workbookPr").map { ["1", "true"].contains($0["date1904"] ?? "") } ?? false
        let sheets = workbook.child("sheets")?.all("sheet") ?? []
        let names = sheets.map { $0["name"] ?? "" }
        guard !sheets.isEmpty else { throw DocumentError("工作簿中没有工作表") }
        let chosen: XMLElement
        if let wanted {
            guard let s = sheets.first(where: { $0["name"] == wanted }) else {
                throw DocumentError("没有名为“\(wanted.sanitized())”的工作表；工作表有：\(names.map { $0.sanitized() }.joined(separator: "、"))")
            }
            chosen = s
        } else {
            chosen = sheets[0]
        }
        let rid = chosen.attributes.first { $0.key.hasSuffix(":id") || $0.key == "id" }?.value ?? ""
        var target = "xl/worksheets/sheet1.xml"
        if let rels = try xml("xl/_rels/workbook.xml.rels"),
            let t = rels.all("Relationship").first(where: { $0["Id"] == rid })?["Target"]
        {
            target = t.hasPrefix("/") ? String(t.dropFirst()) : "xl/" + t
        }
        let shared =
            try xml("xl/sharedStrings.xml").map { root in
                root.all("si").map { si in
                    // A rich string's runs joined; phonetic guides (rPh) left out.
                    si.child("t")?.text ?? si.all("r").map { $0.child("t")?.text ?? "" }.joined()
                }
            } ?? []
        let dateStyles = try xml("xl/styles.xml").map(dateStyleIndexes) ?? []
        guard let sheetXML = try xml(target) else { throw DocumentError("缺少工作表 \(target)") }

        var grid: [Int: [Int: String]] = [:]
        for row in sheetXML.child("sheetData")?.all("row") ?? [] {
            let r = Int(row["r"] ?? "") ?? ((grid.keys.max() ?? 0) + 1)
            var cells: [Int: String] = [:]
            var nextColumn = 0
            for c in row.all("c") {
                let col = c["r"].flatMap { reference($0)?.column } ?? nextColumn
                nextColumn = col + 1
                let v = c.child("v")?.text ?? ""
                let text: String
                switch c["t"] ?? "n" {
                case "s": text = Int(v).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? ""
                case "inlineStr":
                    let si = c.child("is")
                    text = si?.child("t")?.text ?? si?.all("r").map { $0.child("t")?.text ?? "" }.joined() ?? ""
                case "str", "e": text = v
                case "b": text = v == "1" ? "TRUE" : "FALSE"
                case "d": text = v.replacingAll("T00:00:00", with: "")
                default:
                    guard let n = Double(v) else {
                        text = v
                        break
                    }
                    let style = Int(c["s"] ?? "0") ?? 0
                    text = dateStyles.contains(style) ? dateText(n, base1904: base1904) : general(n)
                }
                if !text.isEmpty { cells[col] = text }
            }
            grid[r] = cells
        }
        // Merged cells: the top-left cell's text over the whole range.
        for m in sheetXML.child("mergeCells")?.all("mergeCell") ?? [] {
            let parts = (m["ref"] ?? "").split(separator: ":").map(String.init)
            guard parts.count == 2, let a = reference(parts[0]), let b = reference(parts[1]) else { continue }
            guard let value = grid[a.row]?[a.column], (b.row - a.row) * (b.column - a.column) < 1_000_000 else { continue }
            for r in a.row...b.row {
                for c in a.column...b.column { grid[r, default: [:]][c] = value }
            }
        }
        let width = (grid.values.compactMap { $0.keys.max() }.max() ?? -1) + 1
        let rows = grid.keys.sorted().map { r in
            LedgerImport.Row(line: r, cells: (0..<width).map { grid[r]?[$0] ?? "" })
        }
        return Sheet(name: chosen["name"] ?? "", names: names, rows: rows, base1904: base1904)
    }

    /// "C12" → row 12, column 2 (0-based).
    static func reference(_ ref: String) -> (row: Int, column: Int)? {
        var col = 0
        var row = 0
        var sawLetter = false
        for u in ref.utf8 {
            if u >= 65 && u <= 90 {
                col = col * 26 + Int(u - 64)
                sawLetter = true
            } else if u >= 48 && u <= 57 {
                row = row * 10 + Int(u - 48)
            } else if u != 36 {
                return nil
            }
        }
        guard sawLetter, row > 0 else { return nil }
        return (row, col - 1)
    }

    /// The cell styles (indexes into cellXfs) whose number format shows a date.
    static func dateStyleIndexes(_ styles: XMLElement) -> Set<Int> {
        var custom: [Int: String] = [:]
        for f in styles.child("numFmts")?.all("numFmt") ?? [] {
            if let id = Int(f["numFmtId"] ?? ""), let code = f["formatCode"] { custom[id] = code }
        }
        // Built-in date and time formats, including those Chinese Excel uses (27–36, 50–58).
        let builtIn = Set(14...22).union(27...36).union(45...47).union(50...58)
        var out = Set<Int>()
        for (i, xf) in (styles.child("cellXfs")?.all("xf") ?? []).enumerated() {
            guard let id = Int(xf["numFmtId"] ?? "0") else { continue }
            if builtIn.contains(id) || custom[id].map(isDateFormat) == true { out.insert(i) }
        }
        return out
    }

    /// A format code shows a date when, outside quoted text and [colour] brackets, it has y, m,
    /// d or h (e.g. yyyy"年"m"月"d"日", yyyy/m/d h:mm).
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        for ch in code.lowercased() {
            if ch == "\"" {
                quoted.toggle()
            } else if !quoted, ch == "[" {
                bracket = true
            } else if ch == "]" {
                bracket = false
            } else if !quoted, !bracket, "ymdh".contains(ch) {
                return true
            }
        }
        return false
    }

    static func dateText(_ n: Double, base1904: Bool) -> String {
        let day = LedgerDates.excelSerial(n, base1904: base1904)
        let seconds = Int(((n - n.rounded(.down)) * 86400).rounded())
        guard seconds > 0, seconds < 86400 else { return day.description }
        return "\(day) \(Day.pad2(seconds / 3600)):\(Day.pad2(seconds / 60 % 60))"
    }

    /// A number as Excel's General format shows it: 3 not 3.0; up to 10 decimals otherwise.
    static func general(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int(n)) }
        var s = String(format: "%.10f", n)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
