import DuchaCore

/// What `ducha` and its helper `ducha-papers` hand each other through a pipe, as JSON: the sheet
/// or document to write as .xlsx/.docx, and the rows read from a workbook or a CSV file. The
/// helper holds what needs Foundation (zip, XML, CSV.swift); `ducha` itself stays without it.
public enum PaperCodec {
    // MARK: Sheets

    public static func encode(_ sheet: XLSXSheet) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("name", sheet.name)
        w.field("headers", sheet.headers)
        w.key("rows")
        w.beginArray()
        for row in sheet.rows {
            w.beginArray()
            for cell in row {
                switch cell {
                case .text(let s): w.value(["s", s])
                case .integer(let n): w.value(["i", String(n)])
                case .decimal(let d): w.value(["d", String(d)])
                case .percent(let d): w.value(["p", String(d)])
                case .date(let day): w.value(["D", day.description])
                case .empty: w.value(["e", ""])
                }
            }
            w.endArray()
        }
        w.endArray()
        w.field("fills", sheet.fills.map { f in f == .red ? "red" : f == .yellow ? "yellow" : "none" })
        w.endObject()
        return w.bytes
    }

    public static func decodeSheet(_ bytes: [UInt8]) throws(JSONError) -> XLSXSheet {
        try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) -> XLSXSheet in
            var sheet = XLSXSheet(name: "", headers: [])
            try r.beginObject()
            while let k = try r.nextKey() {
                switch k {
                case "name": sheet.name = try r.readString()
                case "headers": sheet.headers = try r.readStringArray()
                case "rows":
                    try r.beginArray()
                    while try r.nextElement() {
                        var row: [XLSXSheet.Cell] = []
                        try r.beginArray()
                        while try r.nextElement() {
                            let pair = try r.readStringArray()
                            guard pair.count == 2 else { throw r.error("单元格应为 [类型, 值]") }
                            row.append(try cell(pair[0], pair[1], r))
                        }
                        sheet.rows.append(row)
                    }
                case "fills":
                    sheet.fills = try r.readStringArray().map { $0 == "red" ? .red : $0 == "yellow" ? .yellow : .none }
                default: try r.skipValue()
                }
            }
            try r.expectEnd()
            guard sheet.fills.count == sheet.rows.count else { throw r.error("行数与底色数不一致") }
            return sheet
        }
    }

    static func cell(_ kind: String, _ v: String, _ r: borrowing JSONReader) throws(JSONError) -> XLSXSheet.Cell {
        switch kind {
        case "s": return .text(v)
        case "i": if let n = Int(v) { return .integer(n) }
        case "d": if let d = Double(v) { return .decimal(d) }
        case "p": if let d = Double(v) { return .percent(d) }
        case "D": if let d = Day.parseStored(v) { return .date(d) }
        case "e": return .empty
        default: break
        }
        throw r.error("单元格“\(kind)”的值“\(v)”无效")
    }

    // MARK: Documents

    public static func encode(_ d: OfficialDocument) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("mast", d.mast)
        w.field("issue", d.issue)
        w.field("office", d.office)
        w.field("date", d.date.description)
        w.field("title", d.title)
        w.field("to", d.to)
        w.field("cc", d.cc)
        w.field("printer", d.printer)
        if let code = d.ledgerCode {
            w.key("code")
            w.beginObject()
            w.field("seq", code.seq)
            w.field("head", code.head)
            w.endObject()
        }
        w.key("blocks")
        w.beginArray()
        for b in d.blocks {
            w.beginObject()
            switch b {
            case .paragraph(let t):
                w.field("kind", "paragraph")
                w.field("text", t)
            case .heading(let t):
                w.field("kind", "heading")
                w.field("text", t)
            case .table(let headers, let rows, let weights):
                w.field("kind", "table")
                w.field("headers", headers)
                w.key("rows")
                w.beginArray()
                for row in rows { w.value(row) }
                w.endArray()
                w.field("weights", weights.map(String.init))
            }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }

    public static func decodeDocument(_ bytes: [UInt8]) throws(JSONError) -> OfficialDocument {
        try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) -> OfficialDocument in
            var d = OfficialDocument(
                mast: "", office: "", date: Day.parseStored("2000-01-01")!, title: "", to: "", blocks: [], ledgerCode: nil)
            try r.beginObject()
            while let k = try r.nextKey() {
                switch k {
                case "mast": d.mast = try r.readString()
                case "issue": d.issue = try r.readString()
                case "office": d.office = try r.readString()
                case "date": d.date = try r.readDay()
                case "title": d.title = try r.readString()
                case "to": d.to = try r.readString()
                case "cc": d.cc = try r.readString()
                case "printer": d.printer = try r.readString()
                case "code":
                    var seq = 0
                    var head = ""
                    try r.beginObject()
                    while let c = try r.nextKey() {
                        switch c {
                        case "seq": seq = try r.readInt()
                        case "head": head = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    d.ledgerCode = LedgerCode(seq: seq, head: head)
                case "blocks":
                    try r.beginArray()
                    while try r.nextElement() { d.blocks.append(try block(&r)) }
                default: try r.skipValue()
                }
            }
            try r.expectEnd()
            return d
        }
    }

    static func block(_ r: inout JSONReader) throws(JSONError) -> OfficialDocument.Block {
        var kind = ""
        var text = ""
        var headers: [String] = []
        var rows: [[String]] = []
        var weights: [Int] = []
        try r.beginObject()
        while let k = try r.nextKey() {
            switch k {
            case "kind": kind = try r.readString()
            case "text": text = try r.readString()
            case "headers": headers = try r.readStringArray()
            case "rows":
                try r.beginArray()
                while try r.nextElement() { rows.append(try r.readStringArray()) }
            case "weights":
                for s in try r.readStringArray() {
                    guard let n = Int(s) else { throw r.error("列宽比例无效") }
                    weights.append(n)
                }
            default: try r.skipValue()
            }
        }
        switch kind {
        case "paragraph": return .paragraph(text)
        case "heading": return .heading(text)
        case "table": return .table(headers: headers, rows: rows, weights: weights)
        default: throw r.error("未知的段落类型“\(kind)”")
        }
    }

    // MARK: Rows read

    /// Rows read from a workbook (its sheet's name, every sheet's name, the date base) or a CSV
    /// file (no names).
    public struct Rows: Sendable {
        public var name: String
        public var names: [String]
        public var base1904: Bool
        public var rows: [LedgerImport.Row]

        public init(name: String = "", names: [String] = [], base1904: Bool = false, rows: [LedgerImport.Row]) {
            self.name = name
            self.names = names
            self.base1904 = base1904
            self.rows = rows
        }
    }

    public static func encode(_ rows: Rows) -> [UInt8] {
        var w = JSONWriter(capacity: 1 << 16)
        w.beginObject()
        w.field("name", rows.name)
        w.field("names", rows.names)
        w.field("base1904", rows.base1904)
        w.key("rows")
        w.beginArray()
        for row in rows.rows {
            w.beginObject()
            w.field("line", row.line)
            w.field("cells", row.cells)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }

    public static func decodeRows(_ bytes: [UInt8]) throws(JSONError) -> Rows {
        try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) -> Rows in
            var out = Rows(rows: [])
            try r.beginObject()
            while let k = try r.nextKey() {
                switch k {
                case "name": out.name = try r.readString()
                case "names": out.names = try r.readStringArray()
                case "base1904": out.base1904 = try r.readBool()
                case "rows":
                    try r.beginArray()
                    while try r.nextElement() {
                        var line = 0
                        var cells: [String] = []
                        try r.beginObject()
                        while let f = try r.nextKey() {
                            switch f {
                            case "line": line = try r.readInt()
                            case "cells": cells = try r.readStringArray()
                            default: try r.skipValue()
                            }
                        }
                        out.rows.append(LedgerImport.Row(line: line, cells: cells))
                    }
                default: try r.skipValue()
                }
            }
            try r.expectEnd()
            return out
        }
    }
}
