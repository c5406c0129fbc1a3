import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reading a ledger saved from Excel: UTF-8 with or without a byte order mark, or GB18030 (what
/// Chinese Excel writes by default), converted with the C library's iconv. Parsing the CSV is
/// DuchaDocuments' (CSV.swift), in the `ducha-papers` helper.
public enum LedgerFile {
    public struct Table: Sendable {
        public init(header: [String], rows: [LedgerImport.Row], encoding: String) {
            self.header = header
            self.rows = rows
            self.encoding = encoding
        }

        public var header: [String]
        public var rows: [LedgerImport.Row]
        /// UTF-8 or GB18030, as detected.
        public var encoding: String
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
}
