import DuchaCore
import DuchaPapers
import Foundation

/// Writing an `OfficialDocument` as WordprocessingML (.docx).
extension OfficialDocument {
    // Fonts: the names Chinese offices' Word has, with the fallbacks named in the font table.
    static let titleFont = "方正小标宋简体"
    static let bodyFont = "仿宋_GB2312"
    static let headingFont = "黑体"
    static let numberFont = "宋体"
    /// 3号 = 16 pt; 2号 = 22 pt; 4号 = 14 pt; 五号 = 10.5 pt in tables (sizes in half points).
    static let body = 32
    static let titleSize = 44
    static let small = 21
    static let page = 28
    /// 225 mm / 22 lines, in twentieths of a point.
    static let linePitch = 579
    static let textWidth = 8845  // 156 mm in twips
    /// The grid's character pitch, as Word states it: what each character adds to the body's
    /// 16 pt, in 1/4096 pt, so that 28 characters fill the 8,844 twips between the margins (a
    /// little under, never over: Word counts whole characters per line).
    static let charSpace = Int(((Double(11906 - 1588 - 1474) / 28 / 20 - 16) * 4096).rounded(.down)) - 1

    static func esc(_ s: String) -> String { XMLText.escape(s.inert) }

    static func run(
        _ text: String, font: String = bodyFont, size: Int = body, color: String? = nil, bold: Bool = false
    )
        -> String
    {
        var props = "<w:rFonts w:ascii=\"\(font)\" w:hAnsi=\"\(font)\" w:eastAsia=\"\(font)\" w:cs=\"\(font)\"/>"
        if bold { props += "<w:b/>" }
        if let color { props += "<w:color w:val=\"\(color)\"/>" }
        props += "<w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/>"
        // Line breaks inside a cell or paragraph stay line breaks.
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map { esc(String($0)) }
        return "<w:r><w:rPr>\(props)</w:rPr>"
            + parts.map { "<w:t xml:space=\"preserve\">\($0)</w:t>" }.joined(separator: "<w:br/>")
            + "</w:r>"
    }

    static func paragraph(
        _ runs: String, align: String = "both", firstLine: Int = 0, exact: Int? = linePitch, before: Int = 0, after: Int = 0,
        extra: String = "", indent: String = ""
    ) -> String {
        // Children of w:pPr in the schema's order: extra (keepNext, pBdr, tabs, snapToGrid),
        // spacing, ind, jc.
        var p = "<w:p><w:pPr>\(extra)"
        p += "<w:spacing w:before=\"\(before)\" w:after=\"\(after)\""
        // Without the grid's exact pitch (tables, the 版记), single spacing.
        p += exact.map { " w:line=\"\($0)\" w:lineRule=\"exact\"" } ?? " w:line=\"240\" w:lineRule=\"auto\""
        p += "/>"
        if firstLine > 0 { p += "<w:ind w:firstLineChars=\"\(firstLine * 100)\" w:firstLine=\"\(firstLine * 320)\"/>" }
        p += indent
        p += "<w:jc w:val=\"\(align)\"/></w:pPr>\(runs)</w:p>"
        return p
    }

    func table(_ headers: [String], _ rows: [[String]], _ weights: [Int]) -> String {
        let total = max(weights.reduce(0, +), 1)
        let widths = weights.map { OfficialDocument.textWidth * $0 / total }
        var t = "<w:tbl><w:tblPr><w:tblW w:w=\"\(OfficialDocument.textWidth)\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
        t += "<w:tblBorders>"
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            t += "<w:\(side) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        }
        t += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        t += "<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
        t += "<w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        func row(_ cells: [String], header: Bool) -> String {
            var r = "<w:tr>" + (header ? "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>")
            for (i, c) in cells.enumerated() where i < widths.count {
                r += "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[i])\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>"
                let font = header ? OfficialDocument.headingFont : OfficialDocument.bodyFont
                let align = header || ["序号", "逾期天数", "时限", "办理时限", "交办日期", "剩余工作日"].contains(headers[i]) ? "center" : "left"
                // 督〔2026〕第0003号 on two lines, after 〕: the column stays narrow.
                let text = headers[i] == "编号" && !header ? c.replacingAll("〕", with: "〕\n") : c
                r += OfficialDocument.paragraph(
                    OfficialDocument.run(text, font: font, size: OfficialDocument.small), align: align, exact: nil,
                    extra: "<w:snapToGrid w:val=\"0\"/>")
                r += "</w:tc>"
            }
            return r + "</w:tr>"
        }
        t += row(headers, header: true)
        for r in rows { t += row(r, header: false) }
        return t + "</w:tbl>"
    }

    func documentXML() -> String {
        typealias D = OfficialDocument
        var b = ""
        // 版头: the mast in red, the issue, the office and date over a red rule.
        b += D.paragraph(
            D.run(mast, font: D.titleFont, size: 72, color: "FF0000"), align: "center", exact: nil, before: 0, after: 120)
        if !issue.isEmpty { b += D.paragraph(D.run(issue), align: "center") }
        let rule =
            "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"4\" w:color=\"FF0000\"/></w:pBdr>"
            + "<w:tabs><w:tab w:val=\"right\" w:pos=\"\(D.textWidth)\"/></w:tabs>"
        b += D.paragraph(D.run(office) + "<w:r><w:tab/></w:r>" + D.run(date.chinese), align: "left", extra: rule)
        b += D.paragraph("")
        b += D.paragraph(D.run(title, font: D.titleFont, size: D.titleSize), align: "center", exact: nil, after: 200)
        b += D.paragraph(D.run(to + "："), align: "left")
        for block in blocks {
            switch block {
            case .paragraph(let text): b += D.paragraph(D.run(text), firstLine: 2)
            case .heading(let text): b += D.paragraph(D.run(text, font: D.headingFont), firstLine: 2, extra: "<w:keepNext/>")
            case .table(let headers, let rows, let weights): b += table(headers, rows, weights) + D.paragraph("", exact: nil)
            }
        }
        // 署名 and 成文日期: right-aligned, four characters in from the right.
        b += D.paragraph("")
        let sign = "<w:ind w:right=\"\(4 * 320)\"/>"
        b += D.paragraph(D.run(office), align: "right", indent: sign)
        b += D.paragraph(D.run(date.chinese), align: "right", indent: sign)
        if let code = ledgerCode {
            b += D.paragraph(D.run(code.lines.joined(separator: "　"), size: 18), align: "left", exact: nil, before: 240)
        }
        b += imprint()
        b += "<w:sectPr>"
        b +=
            "<w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/><w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>"
        b += "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
        b +=
            "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"1134\" w:gutter=\"0\"/>"
        b += "<w:pgNumType w:fmt=\"decimal\" w:start=\"1\"/>"
        // The document grid: 22 lines and 28 characters (linesAndChars: Word and LibreOffice lay
        // the 3号 body on it).
        b += "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"\(D.linePitch)\" w:charSpace=\"\(D.charSpace)\"/></w:sectPr>"
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" \
            xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
            xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
            xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:body>\(b)</w:body></w:document>
            """
    }

    /// 版记: 抄送 and 印发机关/印发日期 between rules (the first and last thicker), in a text box
    /// anchored to the bottom of the last page's 版心.
    func imprint() -> String {
        typealias D = OfficialDocument
        let printerName = printer.isEmpty ? office : printer
        var t = "<w:tbl><w:tblPr><w:tblW w:w=\"\(D.textWidth)\" w:type=\"dxa\"/><w:tblBorders>"
        t += "<w:top w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/>"
        t += "<w:left w:val=\"nil\"/><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/>"
        t += "<w:right w:val=\"nil\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        t += "<w:insideV w:val=\"nil\"/></w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        t += "<w:tblCellMar><w:top w:w=\"60\" w:type=\"dxa\"/><w:bottom w:w=\"60\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
        t += "<w:tblGrid><w:gridCol w:w=\"\(D.textWidth)\"/></w:tblGrid>"
        func row(_ content: String) -> String {
            "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"\(D.textWidth)\" w:type=\"dxa\"/></w:tcPr>\(content)</w:tc></w:tr>"
        }
        let indent = "<w:ind w:left=\"320\" w:right=\"320\"/>"
        let grid = "<w:snapToGrid w:val=\"0\"/>"
        if !cc.isEmpty {
            t += row(D.paragraph(D.run("抄送：\(cc)。", size: D.page), align: "left", exact: nil, extra: grid, indent: indent))
        }
        let tabs = "<w:tabs><w:tab w:val=\"right\" w:pos=\"\(D.textWidth - 640)\"/></w:tabs>"
        t += row(
            D.paragraph(
                D.run(printerName, size: D.page) + "<w:r><w:tab/></w:r>" + D.run("\(date.chinese)印发", size: D.page),
                align: "left",
                exact: nil, extra: tabs + grid, indent: indent))
        t += "</w:tbl>"
        // The box: the 版心's width, 10 mm a line, bottom-aligned in the margin box.
        let width = 5_616_000  // 156 mm in EMU
        let height = (cc.isEmpty ? 1 : 2) * 360_000 + 72_000
        return """
            <w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:drawing>            <wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0"             layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>            <wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>            <wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>            <wp:extent cx="\(width)" cy="\(height)"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>            <wp:docPr id="1" name="版记"/><wp:cNvGraphicFramePr/>            <a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">            <wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="\(width)" cy="\(height)"/></a:xfrm>            <a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>            <wps:txbx><w:txbxContent>\(t)<w:p/></w:txbxContent></wps:txbx>            <wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b"><a:noAutofit/></wps:bodyPr>            </wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>
            """
    }

    static func footer(right: Bool) -> String {
        let size = page
        let dash = run("— ", font: numberFont, size: size)
        let field =
            "<w:r><w:rPr><w:rFonts w:ascii=\"\(numberFont)\" w:hAnsi=\"\(numberFont)\"/><w:sz w:val=\"\(size)\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>"
            + "<w:r><w:rPr><w:sz w:val=\"\(size)\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
            + "<w:r><w:rPr><w:sz w:val=\"\(size)\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            + "<w:r><w:rPr><w:rFonts w:ascii=\"\(numberFont)\" w:hAnsi=\"\(numberFont)\"/><w:sz w:val=\"\(size)\"/></w:rPr><w:t>1</w:t></w:r>"
            + "<w:r><w:rPr><w:sz w:val=\"\(size)\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let tail = run(" —", font: numberFont, size: size)
        let ind = right ? "<w:ind w:right=\"280\"/>" : "<w:ind w:left=\"280\"/>"
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <w:p><w:pPr>\(ind)<w:jc w:val="\(right ? "right" : "left")"/></w:pPr>\(dash)\(field)\(tail)</w:p></w:ftr>
            """
    }

    static let fontTable = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
        <w:font w:name="方正小标宋简体"><w:altName w:val="方正小标宋_GBK"/><w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>\
        <w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>\
        <w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>\
        <w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>\
        <w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>\
        </w:fonts>
        """

    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
        <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/>\
        <w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>\
        <w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="579" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>\
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>\
        <w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>\
        <w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>\
        <w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>
        """

    /// The document's bytes.
    public func docx() throws(DocumentError) -> [UInt8] {
        let ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml"
        let parts: [(String, String)] = [
            (
                "word/_rels/document.xml.rels",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rIdStyles" Type="\(ns)/styles" Target="styles.xml"/>\
                <Relationship Id="rIdSettings" Type="\(ns)/settings" Target="settings.xml"/>\
                <Relationship Id="rIdFonts" Type="\(ns)/fontTable" Target="fontTable.xml"/>\
                <Relationship Id="rIdFooterOdd" Type="\(ns)/footer" Target="footer1.xml"/>\
                <Relationship Id="rIdFooterEven" Type="\(ns)/footer" Target="footer2.xml"/>\
                </Relationships>
                """
            ),
            ("word/document.xml", documentXML()),
            ("word/styles.xml", OfficialDocument.styles),
            (
                "word/settings.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
                <w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/>\
                <w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>\
                </w:settings>
                """
            ),
            ("word/fontTable.xml", OfficialDocument.fontTable),
            ("word/footer1.xml", OfficialDocument.footer(right: true)),
            ("word/footer2.xml", OfficialDocument.footer(right: false)),
        ]
        return try Zip.officePackage(
            main: ("word/document.xml", "\(wml).document.main+xml"),
            others: [
                ("word/styles.xml", "\(wml).styles+xml"), ("word/settings.xml", "\(wml).settings+xml"),
                ("word/fontTable.xml", "\(wml).fontTable+xml"), ("word/footer1.xml", "\(wml).footer+xml"),
                ("word/footer2.xml", "\(wml).footer+xml"),
            ],
            title: OfficialDocument.esc(title), creator: OfficialDocument.esc(office), parts: parts)
    }
}
