import CSV
import DuchaCore
import DuchaStore

extension LedgerFile {
    public static func read(_ path: String) throws(StoreError) -> Table {
        let bytes = try DataDirectory.read(path)
        let (text, encoding) = try decode(bytes, path: path)
        return parse(text, encoding: encoding)
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
