/// RFC 4180 records as Excel writes them: commas between fields, CRLF, LF or CR between
/// records, and a field in double quotes may hold commas, line breaks and doubled quotes.
///
/// This is the reader CSV.swift provided, carried over rule for rule (its results are what
/// imports were tested against), without the Foundation that package brought into every
/// command: a quote closing a quoted field is kept, with the character after it dropped, when
/// neither a comma, a line break nor another quote follows — the row then has too few fields
/// and the import names it (引号不成对).
enum CSVRecords {
    static func parse(_ text: String) -> [[String]] {
        var reader = Reader(text.unicodeScalars)
        var records: [[String]] = []
        while let row = reader.row() { records.append(row) }
        return records
    }

    private struct Reader {
        let scalars: String.UnicodeScalarView
        var index: String.UnicodeScalarView.Index
        var back: Unicode.Scalar?

        init(_ scalars: String.UnicodeScalarView) {
            self.scalars = scalars
            index = scalars.startIndex
        }

        mutating func next() -> Unicode.Scalar? {
            if let b = back {
                back = nil
                return b
            }
            guard index < scalars.endIndex else { return nil }
            defer { scalars.formIndex(after: &index) }
            return scalars[index]
        }

        mutating func row() -> [String]? {
            var c = next()
            guard c != nil else { return nil }
            var row: [String] = []
            while true {
                let field: String
                let end: Bool
                if c == nil {
                    (field, end) = ("", true)
                } else if c == "\"" {
                    (field, end) = self.field(quoted: true)
                } else {
                    back = c
                    (field, end) = self.field(quoted: false)
                }
                row.append(field)
                if end { break }
                c = next()
            }
            return row
        }

        /// One field, and whether it ended its record.
        mutating func field(quoted: Bool) -> (String, Bool) {
            var buffer = String.UnicodeScalarView()
            while let c = next() {
                if quoted {
                    guard c == "\"" else {
                        buffer.append(c)
                        continue
                    }
                    let after = next()
                    if after == nil || after == "\r" || after == "\n" {
                        if after == "\r" {
                            let lf = next()
                            if lf != "\n" { back = lf }
                        }
                        return (String(buffer), true)
                    } else if after == "," {
                        return (String(buffer), false)
                    } else {
                        // A doubled quote is one quote; a quote before anything else is kept.
                        buffer.append("\"")
                    }
                } else if c == "\r" || c == "\n" {
                    if c == "\r" {
                        let lf = next()
                        if lf != "\n" { back = lf }
                    }
                    return (String(buffer), true)
                } else if c == "," {
                    return (String(buffer), false)
                } else {
                    buffer.append(c)
                }
            }
            return (String(buffer), true)
        }
    }
}
