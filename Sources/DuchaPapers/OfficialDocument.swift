import DuchaCore

/// A document in the national format for official documents (GB/T 9704-2012, 党政机关公文格式),
/// written as WordprocessingML (.docx): A4, 版心 156 × 225 mm (margins top 37, bottom 35, left 28,
/// right 26 mm), 3号仿宋 body on 22 lines of 28 characters, the 发文机关标志 in red over a red
/// rule, the title in 2号小标宋, 主送机关, tables per §8, 署名 and 成文日期, the 台账校验码, the 版记
/// (抄送, 印发机关 and 印发日期) at the foot of the last page, page numbers 「— 1 —」 in 4号宋体 —
/// odd pages on the right, even pages on the left, one character in.
public struct OfficialDocument: Sendable {
    public enum Block: Sendable {
        /// A body paragraph, indented two characters.
        case paragraph(String)
        /// A first-level heading (一、…) in 黑体.
        case heading(String)
        /// A table: headers, rows, and each column's share of the width.
        case table(headers: [String], rows: [[String]], weights: [Int])
    }

    /// 发文机关标志, in red (e.g. 青山县委督查室).
    public var mast: String
    /// 第N期, under the mast (empty for none).
    public var issue: String
    public var office: String
    public var date: Day
    public var title: String
    /// 主送机关.
    public var to: String
    public var blocks: [Block]
    public var ledgerCode: LedgerCode?
    /// 抄送机关 (empty: the line is left out).
    public var cc: String
    /// 印发机关 (the office when empty).
    public var printer: String

    public init(
        mast: String, issue: String = "", office: String, date: Day, title: String, to: String, blocks: [Block],
        ledgerCode: LedgerCode?, cc: String = "", printer: String = ""
    ) {
        self.mast = mast
        self.issue = issue
        self.office = office
        self.date = date
        self.title = title
        self.to = to
        self.blocks = blocks
        self.ledgerCode = ledgerCode
        self.cc = cc
        self.printer = printer
    }
}
