import CSV
import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reading a ledger saved from Excel: UTF-8 with or without a byte order mark, or GB18030 (what
/// Chinese Excel writes by default), converted with the C library's iconv; then parsed as CSV.
public enum LedgerFile {
    public struct Table: Sendable {
        public var header: [String]
        public var rows: [LedgerImport.Row]
        /// UTF-8 or GB18030, as detected.
        public var encoding: String
    }

    public static func read(_ path: String) throws(StoreError) -> Table {
        let bytes = try DataDirectory.read(path)
        let (text, encoding) = try decode(bytes, path: path)
        return parse(text, encoding: encoding)
    }

    /// The file's text: UTF-8 (a leading BOM dropped) when it is valid UTF-8, else GB18030.
    public static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> (String, String) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let s = String(validating: body, as: UTF8.self) { return (s, "UTF-8") }
        guard let s = convert(Array(bytes), from: "GB18030") else {
            throw .badDataFile(path, "编码无法识别：既不是 UTF-8，也不是 GB18030（GBK）")
        }
        return (s, "GB18030")
    }

    /// Converts bytes in `encoding` to a String with iconv; nil when they are not valid in it.
    static func convert(_ bytes: [UInt8], from encoding: String) -> String? {
        let cd = iconv_open("UTF-8", encoding)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        var left = 0
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                left = outLeft
                return r != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        output.removeLast(left)
        return String(validating: output.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Rows numbered as Excel numbers them: the header is row 1. The fields are read by
    /// CSV.swift's RFC 4180 reader: commas between fields, CRLF or LF between records, and a
    /// field in double quotes may hold commas, line breaks and doubled quotes.
    public static func parse(_ text: String, encoding: String = "UTF-8") -> Table {
        var records = self.records(text)
        guard !records.isEmpty else { return Table(header: [], rows: [], encoding: encoding) }
        let header = records.removeFirst().cells
        return Table(header: header, rows: records, encoding: encoding)
    }

    /// Every record of the file, numbered from 1 as Excel numbers rows (a title row above the
    /// header included: `LedgerSheet` finds the header).
    public static func records(_ text: String) -> [LedgerImport.Row] {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        var records: [LedgerImport.Row] = []
        // The reader throws only when asked for a header row, which is read here as a record.
        if let reader = try? CSVReader(string: body, hasHeaderRow: false, trimFields: false) {
            while let cells = reader.next() { records.append(LedgerImport.Row(line: records.count + 1, cells: cells)) }
        }
        return records
    }
}
