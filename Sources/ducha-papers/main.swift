import DuchaCore
import DuchaDocuments
import DuchaPapers
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

// ducha's helper for Office files and CSV: what needs Foundation (ZIPFoundation, FoundationXML,
// CSV.swift) lives here, so that the commands people run all day start without it. `ducha`
// runs it with the user's own rights, hands it the input on stdin and reads the result on stdout:
//   ducha-papers write-xlsx          JSON sheet      → .xlsx bytes
//   ducha-papers write-docx          JSON document   → .docx bytes
//   ducha-papers read-xlsx [SHEET]   .xlsx bytes     → JSON rows (the sheet named, or the first)
//   ducha-papers read-csv            UTF-8 CSV text  → JSON rows
// Failures: a Chinese sentence on stderr, exit status 1.

func fail(_ message: String) -> Never {
    let bytes = Array(("错误：" + message + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

/// Everything on stdin, at most `limit` bytes.
func readInput(limit: Int = 512 << 20) -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            fail("读取输入失败：\(String(cString: strerror(errno)))")
        }
        if n == 0 { return bytes }
        bytes.append(contentsOf: buffer[0..<n])
        if bytes.count > limit { fail("输入过大（超过 \(limit >> 20) MiB）") }
    }
}

func writeOutput(_ bytes: [UInt8]) {
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + done, $0.count - done) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 { fail("写出结果失败：\(String(cString: strerror(errno)))") }
        done += n
    }
}

let args = CommandLine.arguments
guard args.count >= 2 else { fail("ducha-papers 由 ducha 调用，用法：ducha-papers write-xlsx|write-docx|read-xlsx [工作表]|read-csv") }
let input = readInput()
do {
    switch args[1] {
    case "write-xlsx":
        let sheet: XLSXSheet
        do { sheet = try PaperCodec.decodeSheet(input) } catch { fail("表格数据有误：\(error)") }
        writeOutput(try sheet.xlsx())
    case "write-docx":
        let document: OfficialDocument
        do { document = try PaperCodec.decodeDocument(input) } catch { fail("文档数据有误：\(error)") }
        writeOutput(try document.docx())
    case "read-xlsx":
        let book = try XLSXReader.read(input, sheet: args.count > 2 ? args[2] : nil)
        writeOutput(
            PaperCodec.encode(PaperCodec.Rows(name: book.name, names: book.names, base1904: book.base1904, rows: book.rows)))
    case "read-csv":
        guard let text = String(validating: input, as: UTF8.self) else { fail("CSV 文字不是有效的 UTF-8") }
        writeOutput(PaperCodec.encode(PaperCodec.Rows(rows: LedgerFile.records(text))))
    default:
        fail("未知的用法“\(args[1].sanitized())”")
    }
} catch let e as DocumentError {
    fail(e.message)
} catch {
    fail("\(error)")
}
