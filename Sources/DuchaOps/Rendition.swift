import DuchaCore
import DuchaPapers
import DuchaStore

/// The kinds of file a report can be written as: what a file name asks for by its extension
/// (the interface's 导出 takes the name typed) or what `--format` names.
public enum PaperFormat: String, Sendable, CaseIterable {
    case text, csv, json, xlsx, docx

    /// The format a file name asks for: .csv, .json, .xlsx, .docx by the extension (any case);
    /// text for any other name.
    public static func of(path: String) -> PaperFormat {
        let lower = path.lowercased()
        return [.csv, .json, .xlsx, .docx].first { lower.hasSuffix("." + $0.rawValue) } ?? .text
    }
}

/// A report as the bytes of a file in one format: text, CSV and JSON made here, Excel
/// workbooks and Word 公文 (GB/T 9704) by the `ducha-papers` helper from the same data.
public enum Rendition {
    /// 逾期事项通报: every format.
    public static func overdue(
        _ notice: OverdueNotice, as format: PaperFormat, settings: Settings
    ) throws(StoreError)
        -> [UInt8]
    {
        try self.notice(notice, as: format, settings: settings, sheet: Papers.overdue, document: Papers.overdueDocument)
    }

    /// 落实情况通报 of one meeting or document: every format.
    public static func progress(
        _ notice: ProgressNotice, as format: PaperFormat, settings: Settings
    ) throws(StoreError)
        -> [UInt8]
    {
        try self.notice(notice, as: format, settings: settings, sheet: Papers.progress, document: Papers.progressDocument)
    }

    static func notice<N: NoticeText>(
        _ notice: N, as format: PaperFormat, settings: Settings, sheet: (N) -> XLSXSheet,
        document: (N, String, String) -> OfficialDocument
    ) throws(StoreError) -> [UInt8] {
        switch format {
        case .text: Array(notice.text(width: settings.noticeWidth).utf8)
        case .csv: Array(notice.csv().utf8)
        case .json: Array(notice.json().utf8)
        case .xlsx: try PapersHelper.xlsx(sheet(notice))
        case .docx: try PapersHelper.docx(document(notice, settings.noticeTo, settings.noticeCc))
        }
    }

    /// 催办通知 of one unit: a Word 公文 for .docx, text otherwise.
    public static func reminder(
        _ notice: ReminderNotice, as format: PaperFormat, settings: Settings
    ) throws(StoreError)
        -> [UInt8]
    {
        format == .docx
            ? try PapersHelper.docx(Papers.reminderDocument(notice, cc: settings.noticeCc))
            : Array(notice.text(width: settings.noticeWidth).utf8)
    }

    /// The 台账 table: an Excel workbook for .xlsx, JSON for .json, CSV otherwise.
    public static func ledger(
        _ items: [Item], _ evaluator: StatusEvaluator, as format: PaperFormat
    ) throws(StoreError)
        -> [UInt8]
    {
        switch format {
        case .xlsx: try PapersHelper.xlsx(Papers.ledger(items, evaluator))
        case .json: Array(LedgerTable.json(items, evaluator).utf8)
        case .text, .csv, .docx: Array(LedgerTable.csv(items, evaluator).utf8)
        }
    }
}

/// A notice that reads as text, CSV and JSON.
protocol NoticeText {
    func text(width: Int) -> String
    func csv() -> String
    func json() -> String
}

extension OverdueNotice: NoticeText {}
extension ProgressNotice: NoticeText {}
