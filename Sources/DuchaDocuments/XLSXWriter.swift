import DuchaCore
import DuchaPapers
import Foundation
import ZIPFoundation

/// Writing an `XLSXSheet` as an Excel workbook.
extension XLSXSheet {
    // Style indexes in styles.xml: 0 default, 1 header, then 5 kinds × 3 fills.
    static func style(_ cell: Cell, _ fill: Fill) -> Int {
        let kind: Int
        switch cell {
        case .text, .empty: kind = 0
        case .integer: kind = 1
        case .decimal: kind = 2
        case .percent: kind = 3
        case .date: kind = 4
        }
        let f: Int
        switch fill {
        case .none: f = 0
        case .red: f = 1
        case .yellow: f = 2
        }
        return 2 + kind * 3 + f
    }

    /// Column width in Excel's units (characters of the default font): a CJK character counts
    /// two, the longest line of a column decides, within 6…50 (longer text wraps).
    func widths() -> [Double] {
        headers.indices.map { i in
            var w = headers[i].displayWidth + 3  // room for the filter button
            for r in rows where i < r.count {
                let text: String
                switch r[i] {
                case .text(let s):
                    text = s.split(separator: "\n").map(String.init).max { $0.displayWidth < $1.displayWidth } ?? ""
                case .integer(let n): text = String(n)
                case .decimal(let d): text = String(format: "%.1f", d)
                case .percent: text = "100.0%"
                case .date: text = "2026-12-31"
                case .empty: text = ""
                }
                w = max(w, text.displayWidth)
            }
            return Double(min(max(w, 6), 50)) + 1.5
        }
    }

    func sheetXML() -> String {
        var x = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            <selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>
            <sheetFormatPr defaultRowHeight="15"/><cols>
            """
        for (i, w) in widths().enumerated() {
            x += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(String(format: "%.1f", w))\" customWidth=\"1\"/>"
        }
        x += "</cols><sheetData>"
        func ref(_ c: Int, _ r: Int) -> String { LedgerSheet.letters(c) + String(r) }
        x += "<row r=\"1\">"
        for (c, h) in headers.enumerated() {
            x += "<c r=\"\(ref(c, 1))\" s=\"1\" t=\"inlineStr\"><is><t>\(XMLText.escape(h.inert))</t></is></c>"
        }
        x += "</row>"
        for (i, row) in rows.enumerated() {
            let r = i + 2
            let fill = i < fills.count ? fills[i] : .none
            x += "<row r=\"\(r)\">"
            for (c, cell) in row.enumerated() {
                let s = XLSXSheet.style(cell, fill)
                switch cell {
                case .text(let t):
                    x += "<c r=\"\(ref(c, r))\" s=\"\(s)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                    x += XMLText.escape(t.inert) + "</t></is></c>"
                case .integer(let n): x += "<c r=\"\(ref(c, r))\" s=\"\(s)\"><v>\(n)</v></c>"
                case .decimal(let d), .percent(let d): x += "<c r=\"\(ref(c, r))\" s=\"\(s)\"><v>\(d)</v></c>"
                case .date(let d):
                    let serial = LedgerDates.excelSerial(of: d)
                    x += "<c r=\"\(ref(c, r))\" s=\"\(s)\"><v>\(serial)</v></c>"
                case .empty: x += "<c r=\"\(ref(c, r))\" s=\"\(s)\"/>"
                }
            }
            x += "</row>"
        }
        x += "</sheetData>"
        let last = ref(max(headers.count - 1, 0), rows.count + 1)
        x += "<autoFilter ref=\"A1:\(last)\"/>"
        x += "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        x += "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        x += "</worksheet>"
        return x
    }

    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
        <numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="0.0"/>\
        <numFmt numFmtId="166" formatCode="0.0%"/></numFmts>
        <fonts count="2"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font>\
        <font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>
        <fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFFFEB9C"/><bgColor indexed="64"/></patternFill></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill></fills>
        <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
        <border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
        <cellXfs count="\(2 + 5 * 3)"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="4" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">\
        <alignment horizontal="center" vertical="center" wrapText="1"/></xf>\(cellStyles)</cellXfs>
        <cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>
        </styleSheet>
        """

    static var cellStyles: String {
        var s = ""
        for (format, wrap) in [(0, true), (1, false), (165, false), (166, false), (164, false)] {
            for fill in [0, 2, 3] {
                s += "<xf numFmtId=\"\(format)\" fontId=\"0\" fillId=\"\(fill)\" borderId=\"1\" xfId=\"0\""
                s += " applyNumberFormat=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\">"
                s += "<alignment vertical=\"top\"\(wrap ? " wrapText=\"1\"" : "")/></xf>"
            }
        }
        return s
    }

    /// The workbook's bytes.
    public func xlsx() throws(DocumentError) -> [UInt8] {
        let sheetName = XMLText.escape(String(name.inert.filter { !"[]:*?/\\".contains($0) }.prefix(31)))
        let lastRef = LedgerSheet.letters(max(headers.count - 1, 0)) + String(rows.count + 1)
        let sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        let parts: [(String, String)] = [
            (
                "xl/workbook.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
                <bookViews><workbookView/></bookViews><sheets><sheet name="\(sheetName)" sheetId="1" r:id="rId1"/></sheets>\
                <definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'\(sheetName.replacingAll("'", with: "''"))'!$A$1:\
                $\(lastRef.filter(\.isLetter))$\(rows.count + 1)</definedName></definedNames></workbook>
                """
            ),
            (
                "xl/_rels/workbook.xml.rels",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
                </Relationships>
                """
            ),
            ("xl/styles.xml", XLSXSheet.styles),
            ("xl/worksheets/sheet1.xml", sheetXML()),
        ]
        return try Zip.officePackage(
            main: ("xl/workbook.xml", "\(sml).sheet.main+xml"),
            others: [("xl/worksheets/sheet1.xml", "\(sml).worksheet+xml"), ("xl/styles.xml", "\(sml).styles+xml")],
            title: sheetName, creator: "ducha", parts: parts)
    }
}

/// A zip container of text parts, deflated, with a fixed time stamp so the same content gives
/// the same bytes.
enum Zip {
    /// An Office Open XML package: the parts every one has — the content types (the main part,
    /// then the others named, then the core properties), the package's relationship to its main
    /// part, the core properties with `title` and `creator` (already escaped) — and `parts`.
    static func officePackage(
        main: (path: String, type: String), others: [(path: String, type: String)], title: String, creator: String,
        parts: [(String, String)]
    ) throws(DocumentError) -> [UInt8] {
        let overrides = ([main] + others).map { "<Override PartName=\"/\($0.path)\" ContentType=\"\($0.type)\"/>" }.joined()
        let common: [(String, String)] = [
            (
                "[Content_Types].xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                \(overrides)\
                <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
                </Types>
                """
            ),
            (
                "_rels/.rels",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="\(main.path)"/>\
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
                </Relationships>
                """
            ),
            (
                "docProps/core.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
                xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(title)</dc:title><dc:creator>\(creator)</dc:creator></cp:coreProperties>
                """
            ),
        ]
        return try archive(common + parts)
    }

    static func archive(_ parts: [(String, String)]) throws(DocumentError) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            let stamp = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
            for (path, text) in parts {
                let data = Data(text.utf8)
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp,
                    compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw DocumentError("无法生成 zip 容器") }
            return [UInt8](data)
        } catch let e as DocumentError {
            throw e
        } catch {
            throw DocumentError("无法生成 zip 容器：\(error)")
        }
    }
}
