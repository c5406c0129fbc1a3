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

    /// Rows numbered as Excel numbers them: the header is row 1.
    public static func parse(_ text: String, encoding: String = "UTF-8") -> Table {
        var records = CSVText.records(text)
        guard !records.isEmpty else { return Table(header: [], rows: [], encoding: encoding) }
        let header = records.removeFirst()
        let rows = records.enumerated().map { LedgerImport.Row(line: $0.offset + 2, cells: $0.element) }
        return Table(header: header, rows: rows, encoding: encoding)
    }
}

extension CSVText {
    /// The records of CSV text as Excel writes and reads it (RFC 4180): fields separated by
    /// commas, records by CRLF or LF; a field in double quotes may hold commas, line breaks
    /// and doubled quotes. Like Excel, it is lenient: a quote inside an unquoted field is kept
    /// as it is, text after a closing quote joins the field, and an unclosed quote runs to the
    /// end. A byte order mark at the start is dropped.
    public static func records(_ text: String) -> [[String]] {
        var text = text
        return text.withUTF8 { b in
            var records: [[String]] = []
            var fields: [String] = []
            var field: [UInt8] = []
            var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let n = b.count
            var quoted = false
            var atFieldStart = true
            func endField() {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                atFieldStart = true
            }
            func endRecord() {
                endField()
                records.append(fields)
                fields = []
            }
            while i < n {
                let c = b[i]
                if quoted {
                    if c == 0x22 {
                        if i + 1 < n, b[i + 1] == 0x22 {
                            field.append(0x22)
                            i += 2
                            continue
                        }
                        quoted = false
                    } else {
                        field.append(c)
                    }
                    i += 1
                    continue
                }
                switch c {
                case 0x22 where atFieldStart:
                    quoted = true
                    atFieldStart = false
                case 0x2C:
                    endField()
                case 0x0D, 0x0A:
                    endRecord()
                    if c == 0x0D, i + 1 < n, b[i + 1] == 0x0A { i += 1 }
                default:
                    field.append(c)
                    atFieldStart = false
                }
                i += 1
            }
            // The last record, unless the text ended with its line break.
            if !atFieldStart || quoted || !field.isEmpty || !fields.isEmpty { endRecord() }
            return records
        }
    }
}
