import ArgumentParser
import DuchaCore
import DuchaOps
import DuchaPapers
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出报表：逾期事项通报、落实情况通报、催办通知、台账。",
        subcommands: [ExportOverdue.self, ExportProgress.self, ExportReminders.self, ExportLedger.self])
}

/// Writes report text to a file (atomically, group-readable) or to stdout. A file inside
/// the repository folder is refused (it could replace the repository's own files); a file
/// already there is replaced only with `force` (--force).
func deliver(_ text: String, to output: String?, what: String, outside repository: String, force: Bool) throws {
    guard let output else {
        print(text.inertFile, terminator: "")
        return
    }
    try deliver(Array(text.inertFile.utf8), to: output, what: what, outside: repository, force: force)
}

/// Text already made inert (see `TextLines.inertBytes`), to a file or to stdout.
func deliver(_ bytes: [UInt8], to output: String?, what: String, outside repository: String, force: Bool) throws {
    guard let output else {
        Output.write(bytes, to: 1)
        return
    }
    let path = Environment.absolute(output)
    try AtomicFile.checkOutside(path, repository: repository)
    try refuseOverwrite(path, force: force)
    // With the user's own rights: a setuid ducha writes nothing the user could not write.
    try UserRights.perform { () throws(StoreError) in try AtomicFile.write(bytes, to: path) }
    Output.note("已将\(what)导出到 \(path)")
}

/// Refuses to replace a file that is already at `path` unless --force was given (checked with
/// the user's own rights, before anything is recorded).
func refuseOverwrite(_ path: String, force: Bool) throws {
    guard !force else { return }
    var st = stat()
    if UserRights.perform({ lstat(path, &st) == 0 }), (st.st_mode & S_IFMT) != S_IFDIR {
        throw Failure("文件 \(path) 已存在，未作改动；要覆盖请加 --force")
    }
}

/// An .xlsx or .docx to a file, or to a pipe; never to a terminal.
func deliverDocument(
    _ bytes: () throws -> [UInt8], to output: String?, what: String, outside repository: String, force: Bool
) throws {
    let data: [UInt8]
    do { data = try bytes() } catch { throw Failure("无法生成\(what)：\((error as? StoreError)?.message ?? "\(error)")") }
    try deliver(data, to: output, what: what, outside: repository, force: force)
}

/// Settles, before a notice's serial is recorded, that its file can be written: outside the
/// repository, writable, not replacing a file without --force.
func checkNoticeOutput(_ ctx: Context, _ output: String?, issue: Bool, force: Bool) throws {
    if let output { try AtomicFile.checkOutside(Environment.absolute(output), repository: ctx.repoPath) }
    if issue, let output {
        try UserRights.perform { () throws(StoreError) in try AtomicFile.checkWritable(Environment.absolute(output)) }
        try refuseOverwrite(Environment.absolute(output), force: force)
    }
}

/// The format of an export: the one --format names, else the one the --output file's extension
/// names (.txt .csv .json .xlsx .docx, as the interface's export dialog reads it), else
/// `otherwise`. A --format the extension contradicts, or a format this export lacks, is refused.
func exportFormat(_ given: String?, output: String?, allowed: [String], otherwise: String) throws -> String {
    let names = allowed.dropLast().joined(separator: "、") + " 或 " + (allowed.last ?? "")
    if let given, !allowed.contains(given) { throw Failure("格式应为 \(names)，而不是“\(given.sanitized())”") }
    let byExtension = output.flatMap { path -> (String, String)? in
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        let ext = path[path.index(after: dot)...].lowercased()
        // .txt holds any text (a CSV or JSON too): it names no format of its own but text's.
        let format = ["csv": "csv", "json": "json", "xlsx": "xlsx", "docx": "docx"][ext]
        return format.map { ($0, ext) }
    }
    guard let (implied, ext) = byExtension else {
        let text = output.map { $0.lowercased().hasSuffix(".txt") } ?? false
        return given ?? (text && allowed.contains("text") ? "text" : otherwise)
    }
    if let given, given != implied {
        throw Failure("--format \(given) 与输出文件的扩展名 .\(ext) 不符（.\(ext) 是 \(implied) 格式）；请改用一致的格式或文件名")
    }
    guard allowed.contains(implied) else {
        throw Failure("输出文件的扩展名 .\(ext) 是 \(implied) 格式，这里的格式应为 \(names)；请用 --format 指定，或改用相应的文件名")
    }
    return implied
}

/// Writes a notice (逾期事项通报, 落实情况通报) in the format asked for: text, CSV, JSON, or an
/// Excel workbook or Word 公文 made by ducha-papers.
func deliverNotice(
    _ format: String, to output: String?, what: String, ctx: Context, force: Bool, csv: () -> String, json: () -> String,
    sheet: () -> XLSXSheet, document: () -> OfficialDocument, text: () -> [UInt8]
) throws {
    switch format {
    case "csv": try deliver(csv(), to: output, what: what, outside: ctx.repoPath, force: force)
    case "json": try deliver(json(), to: output, what: what, outside: ctx.repoPath, force: force)
    case "xlsx":
        let made = sheet()
        try deliverDocument({ try PapersHelper.xlsx(made) }, to: output, what: what, outside: ctx.repoPath, force: force)
    case "docx":
        let made = document()
        try deliverDocument({ try PapersHelper.docx(made) }, to: output, what: what, outside: ctx.repoPath, force: force)
    default: try deliver(text(), to: output, what: what, outside: ctx.repoPath, force: force)
    }
}

/// The zip container's signature: an .xlsx (and .docx) starts with it.
func isZip(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

/// Binary formats need a file (or a pipe): refused before anything is recorded.
func checkBinaryOutput(_ format: String, _ output: String?) throws {
    if ["xlsx", "docx"].contains(format), output == nil, isatty(1) != 0 {
        throw Failure("\(format) 是 Office 文件，不能显示在屏幕上：请用 --output 指定文件名（如 --output 通报.\(format)）")
    }
}

struct ExportOverdue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue", abstract: "导出逾期事项通报（文本、CSV、JSON、Excel 或 Word 公文）。",
        discussion: "不加 --issue 时为预览稿，期数不变；加 --issue 即正式印发，期数记入台账，下次自动加一。")

    @OptionGroup var global: GlobalOptions
    @Option(
        name: .customLong("format"),
        help: ArgumentHelp(
            "格式：text（默认，可直接打印）、csv、json、xlsx（Excel 工作簿）或 docx（Word 公文：主送、表格、版记，按 GB/T 9704）；不写时按 --output 文件的扩展名",
            valueName: "格式"))
    var formatGiven: String?
    @Option(help: ArgumentHelp("写入文件（默认输出到屏幕）", valueName: "文件")) var output: String?
    @Flag(help: "文件已存在时覆盖它") var force = false
    @Flag(help: "正式印发：期数记入台账") var issue = false
    @Flag(help: "附上临期事项（第二部分）") var dueSoon = false
    @Option(help: ArgumentHelp("文本每行最多多少个半角字符宽（默认取台账设置，100）", valueName: "宽度")) var width: Int?

    /// The command as plain values: what runs (`FastParse` builds the same without ArgumentParser).
    var plain: any Runnable {
        ExportOverdueValues(
            global: global.values, formatGiven: formatGiven, output: output, force: force, issue: issue, dueSoon: dueSoon,
            width: width)
    }
    func validate() throws { try plain.validate() }
    func run() throws { try plain.run() }
}

/// `ducha export overdue` as plain values, built by ArgumentParser (`ExportOverdue`) or by `FastParse`.
struct ExportOverdueValues: Runnable {
    var global: Globals
    var formatGiven: String?
    var output: String?
    var force: Bool = false
    var issue: Bool = false
    var dueSoon: Bool = false
    var width: Int?

    func validate() throws {}

    func run() throws {
        let ctx = try Context(global)
        let format = try exportFormat(
            formatGiven, output: output, allowed: ["text", "csv", "json", "xlsx", "docx"], otherwise: "text")
        if let width, !(80...400).contains(width) { throw Failure("宽度应在 80 到 400 之间（通报有十列，再窄排不下）") }
        try checkBinaryOutput(format, output)
        // A database answers the notice's lists and counts itself; the files are read for the
        // open items, and of the others only what the counts need (an issue is committed on
        // the whole ledger).
        let repo = try ctx.open(ctx.database != nil ? .queries : issue ? .summary : .openItems)
        let ops = try ctx.operations(repo)
        if issue { try Workflow.check(.issueNotice, by: try ops.actor()) }
        try ctx.warnAboutCalendar(ops.calendar, repo, try ops.actor())
        try checkNoticeOutput(ctx, output, issue: issue, force: force)
        let known = repo.warnings.count
        let notice = try ops.overdueNotice(issue: issue, dueSoon: dueSoon)
        for w in repo.warnings.dropFirst(known) { Output.note("注意：\(w)") }
        let serial = notice.serial
        let what = "逾期事项通报\(notice.serialText)"
        let settings = repo.ledger.settings
        try deliverNotice(
            format, to: output, what: what, ctx: ctx, force: force, csv: notice.csv, json: notice.json,
            sheet: { Papers.overdue(notice) },
            document: { Papers.overdueDocument(notice, to: settings.noticeTo, cc: settings.noticeCc) },
            text: { notice.lines(width: width ?? settings.noticeWidth).inertBytes })
        if issue { Output.note("已印发逾期事项通报第\(serial)期（逾期事项\(notice.overdueCount)件）。") }
        Context.kept.append(notice)
    }
}

struct ExportProgress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: "导出一个会议或文件交办事项的落实情况通报（文本、CSV、JSON、Excel 或 Word 公文）。",
        discussion: """
            列出该依据的每件事项及其单位、办理状态和最新进展，并写明共几件、已办结几件和完成率。\
            --basis 可写依据的名称、文号，或只对应一个依据的一部分（如“第12次常务会议”）；各依据可用 ducha stats --by basis 查看。\
            每个依据的通报单独编期：不加 --issue 时为预览稿，期数不变；加 --issue 即正式印发，期数记入台账，下次自动加一。
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("交办依据：会议或文件的名称、文号，或其中只对应一个依据的一部分", valueName: "依据")) var basis: String
    @Option(
        name: .customLong("format"),
        help: ArgumentHelp(
            "格式：text（默认，可直接打印）、csv、json、xlsx（Excel 工作簿）或 docx（Word 公文）；不写时按 --output 文件的扩展名",
            valueName: "格式"))
    var formatGiven: String?
    @Option(help: ArgumentHelp("写入文件（默认输出到屏幕）", valueName: "文件")) var output: String?
    @Flag(help: "文件已存在时覆盖它") var force = false
    @Flag(help: "正式印发：本依据的通报期数记入台账") var issue = false
    @Option(help: ArgumentHelp("文本每行最多多少个半角字符宽（默认取台账设置，100）", valueName: "宽度")) var width: Int?

    func run() throws {
        let ctx = try Context(global)
        let format = try exportFormat(
            formatGiven, output: output, allowed: ["text", "csv", "json", "xlsx", "docx"], otherwise: "text")
        if let width, !(80...400).contains(width) { throw Failure("宽度应在 80 到 400 之间（通报有八列，再窄排不下）") }
        try checkBinaryOutput(format, output)
        // On a database the states are read a batch at a time (`StateBatches`); issuing records
        // one record of the ledger's own, which a store of settings, roster and serials commits.
        let repo = try ctx.open(ctx.database != nil ? .queries : .summary)
        let ops = try ctx.operations(repo)
        if issue { try Workflow.check(.issueNotice, by: try ops.actor()) }
        try checkNoticeOutput(ctx, output, issue: issue, force: force)
        let notice = try ops.progressNotice(basis: basis, issue: issue)
        ctx.warnAboutCalendar(ops.calendar, items: notice.rows.map(\.item))
        let what = "落实情况通报\(notice.serialText)"
        let settings = repo.ledger.settings
        try deliverNotice(
            format, to: output, what: what, ctx: ctx, force: force, csv: notice.csv, json: notice.json,
            sheet: { Papers.progress(notice) },
            document: { Papers.progressDocument(notice, to: settings.noticeTo, cc: settings.noticeCc) },
            text: { notice.lines(width: width ?? settings.noticeWidth).inertBytes })
        if issue {
            Output.note(
                "已印发“\(notice.basis.label.sanitized())”落实情况通报第\(notice.serial)期（共\(notice.overview.total)件，已办结\(notice.overview.closed)件，完成率\(notice.completionRate)）。"
            )
        }
    }
}

struct ExportReminders: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders", abstract: "导出催办通知：一个单位一份，列出其逾期、临期、签收超时和反馈逾期的事项。",
        discussion: "指定 --unit 时输出该单位的一份（写入 --output 文件或目录，不写则输出到屏幕）；不指定时为每个有此类事项的单位各写一个文件到 --output 目录（默认当前目录）。")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("只为这个单位导出", valueName: "单位")) var unit: String?
    @Option(help: ArgumentHelp("写入的目录（或 --unit 时的文件）", valueName: "目录")) var output: String?
    @Flag(help: "文件已存在时覆盖它") var force = false
    @Flag(help: "同时在每件事项的办理记录中登记一次书面催办") var record = false
    @Option(help: ArgumentHelp("格式：text（默认）或 docx（Word 公文，按 GB/T 9704）", valueName: "格式")) var format: String = "text"

    func run() throws {
        let ctx = try Context(global)
        guard ["text", "docx"].contains(format) else { throw Failure("格式应为 text 或 docx，而不是“\(format.sanitized())”") }
        if unit != nil { try checkBinaryOutput(format, output) }
        // On a database the states are read a batch at a time (`StateBatches`); reminders recorded
        // on the items are committed on a store opened for just those items (their families).
        let repo = try ctx.open(ctx.database != nil ? .queries : .summary)
        let ops = try ctx.operations(repo)
        if record { try Workflow.check(.recordReminders, by: try ops.actor()) }
        var notices = try ops.reminderNotices(unit: unit)
        try ctx.warnAboutCalendar(ops.calendar, repo, try ops.actor())
        let width = repo.ledger.settings.noticeWidth
        if notices.isEmpty {
            Output.note(unit.map { "\($0) 没有逾期、临期或未按期签收、反馈的事项，无需催办。" } ?? "没有需要催办的单位。")
            return
        }
        // Where the notices go is settled before any reminder is recorded: a directory that
        // cannot be made is refused with nothing written.
        let target = Environment.absolute(output ?? ".")
        let toDirectory = !(unit != nil && (output == nil || !UserRights.perform { isDirectory(target) }))
        if toDirectory || output != nil { try AtomicFile.checkOutside(target, repository: ctx.repoPath) }
        if toDirectory, try UserRights.perform({ () throws(StoreError) in try AtomicFile.makeOutputDirectory(target) }) {
            Output.note("已创建目录 \(target)")
        }
        if !toDirectory, output != nil {
            try UserRights.perform { () throws(StoreError) in try AtomicFile.checkWritable(target) }
            try refuseOverwrite(target, force: force)
        }
        if toDirectory {
            for n in notices { try refuseOverwrite(target.trimmingTrailingSlash + "/" + n.fileName, force: force) }
        }
        if record {
            var store = repo
            var recording = ops
            if ctx.database != nil {
                store = try ctx.open(.only(notices.flatMap { $0.entries.map(\.item.number) }))
                recording = try ctx.operations(store)
            }
            let known = store.warnings.count
            try recording.recordReminders(notices)
            for w in store.warnings.dropFirst(known) { Output.note("注意：\(w)") }
            // The notices carry the 台账校验码 of the ledger with the reminders recorded.
            for i in notices.indices { notices[i].ledgerCode = store.ledger.ledgerCode }
        }
        let cc = repo.ledger.settings.noticeCc
        func write(_ n: ReminderNotice, to path: String?, what: String) throws {
            if format == "docx" {
                let document = Papers.reminderDocument(n, cc: cc)
                try deliverDocument(
                    { try PapersHelper.docx(document) }, to: path, what: what, outside: ctx.repoPath, force: force
                )
            } else {
                try deliver(n.text(width: width), to: path, what: what, outside: ctx.repoPath, force: force)
            }
        }
        if format == "docx", unit != nil, output == nil {
            try write(notices[0], to: nil, what: "\(notices[0].unit)的催办通知")
            return
        }
        if unit != nil, output == nil {
            print(notices[0].text(width: width).inert, terminator: "")
            return
        }
        if !toDirectory {
            try write(notices[0], to: target, what: "\(notices[0].unit)的催办通知")
            return
        }
        var directory = target
        if directory.hasSuffix("/") { directory.removeLast() }
        for n in notices {
            let name = format == "docx" ? String(n.fileName.dropLast(4)) + ".docx" : n.fileName
            try write(n, to: directory + "/" + name, what: "\(n.unit)的催办通知（\(n.entries.count)件）")
        }
    }

    func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}

struct ExportLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "导出台账：CSV 供 Excel 查看；督查室的 JSON 为整个台账，可用 ducha import 原样导入新台账。",
        discussion: """
            CSV（以及领导、承办单位导出的 JSON）是台账的表格视图，每件事项一行：不含办理记录（签收、反馈、延期、退回、催办等）、\
            待审批的延期申请、退办情况、退回和延期次数、单位的联系方式、名册和设置，导入后只能恢复各事项当前的状态。\
            督查室用 --format json 导出的是整个台账：设置、单位及联系方式、名册和全部办理记录（按原时间、原操作人），\
            用 ducha import 导入刚用 ducha init 新建的空台账，得到相同的记录（末尾另加一条导入记录）、列表、统计和通报。
            """)

    @OptionGroup var global: GlobalOptions
    @Option(
        name: .customLong("format"),
        help: ArgumentHelp(
            "格式：csv（默认，UTF-8 带 BOM，表格视图）、json（督查室为整个台账）或 xlsx（Excel 工作簿）；不写时按 --output 文件的扩展名",
            valueName: "格式"))
    var formatGiven: String?
    @Option(help: ArgumentHelp("写入文件（默认输出到屏幕）", valueName: "文件")) var output: String?
    @Flag(help: "文件已存在时覆盖它") var force = false

    func run() throws {
        let ctx = try Context(global)
        let format = try exportFormat(formatGiven, output: output, allowed: ["csv", "json", "xlsx"], otherwise: "csv")
        try checkBinaryOutput(format, output)
        if format == "json" {
            // The office's JSON is the whole ledger; anyone else's, the table of the items they see.
            let whole = try ctx.open(.full)
            let ops = try ctx.operations(whole)
            if Workflow.may(.wholeLedger, try ops.actor()) {
                let (_, entries) = try ops.wholeLedger()
                // JSONWriter escapes control and deceptive characters: the bytes are inert as they are.
                try deliver(
                    LedgerExport.json(whole.ledger, entries: entries), to: output,
                    what: "整个台账（\(whole.ledger.items.count)件事项，\(entries.count)条记录）", outside: ctx.repoPath, force: force)
                return
            }
        }
        let repo = try ctx.open(.summary)
        let ops = try ctx.operations(repo)
        let items = try ops.ledgerItems()
        let evaluator = ops.evaluator
        if format == "xlsx" {
            let sheet = Papers.ledger(items, evaluator)
            try deliverDocument(
                { try PapersHelper.xlsx(sheet) }, to: output, what: "台账（\(items.count)件）", outside: ctx.repoPath,
                force: force)
            return
        }
        try deliver(
            format == "json" ? LedgerTable.json(items, evaluator) : LedgerTable.csv(items, evaluator), to: output,
            what: "台账（\(items.count)件）", outside: ctx.repoPath, force: force)
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "从 Excel 台账导入：.xlsx 工作簿，或 CSV 文件（UTF-8 或 GB18030 编码）；或导入督查室导出的整个台账（JSON）。",
        discussion: """
            自动跳过表头上方的标题行，合并两行表头，在“合计”“总计”行处停止；识别各地台账常用的列名（督办事项、交办事项、工作任务 → 事项；\
            责任单位、承办单位 → 牵头单位；协办单位 → 配合单位；完成时限、时间要求 → 办理时限；办理情况、落实情况 → 最新进展；\
            责任领导 → 批示领导；序号不导入；备注和会议名称、文件依据记入导入记录的说明），认不出的列名用 --map 指明。\
            办理时限可写 2026-12-31、2026.12.31、2026年12月31日、12月31日、年底前、6月底前、上半年、三季度等。\
            一格中的多个单位用 、，; 空格或换行分隔。先检查每一行，有任何问题就逐行列出，一件也不导入；--dry-run 列出列的对应和前几行的理解。\
            事项、牵头单位、交办日期都与台账中已有事项相同的行不再导入（--allow-duplicates 除外）。
            ducha export ledger --format json 导出的整个台账只能导入刚用 ducha init 新建的空台账：全部记录按原时间、原操作人写入，\
            另记一条“导入整个台账”的记录。
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("台账文件（.xlsx 或 .csv）", valueName: "文件")) var file: String
    @Option(help: ArgumentHelp("读取这个工作表（默认第一个）", valueName: "工作表")) var sheet: String?
    @Option(help: ArgumentHelp("表中没有“来源”列（或来源为空）时的来源", valueName: "来源")) var source: String?
    @Option(help: ArgumentHelp("表中没有“交办日期”列（或为空）时的交办日期", valueName: "日期")) var assigned: String?
    @Option(help: ArgumentHelp("列对应文件：每行“表头=列名”，如“牵头处室=牵头单位”", valueName: "文件")) var map: String?
    @Option(help: ArgumentHelp("表中没有“交办依据”列（或为空）时，全部事项的交办依据：会议或文件名称，如“县政府第12次常务会议”", valueName: "名称"))
    var basis: String?
    @Option(help: ArgumentHelp("与 --basis 同用：依据的文号，如“〔2026〕12号”", valueName: "文号")) var basisNumber: String?
    @Option(help: ArgumentHelp("与 --basis 同用：会议或发文日期", valueName: "日期")) var basisDate: String?
    @Flag(help: "文件中出现的、台账中没有的单位自动登记（与已有单位仅差一两个字的，视为笔误，提示改正）") var createUnits = false
    @Flag(help: "事项、牵头单位、交办日期与台账中已有事项相同的行也导入（默认逐行拒绝）") var allowDuplicates = false
    @Flag(help: "只检查，不导入：列出列的对应和前几行的理解") var dryRun = false

    func run() throws {
        let ctx = try Context(global)
        let path = Environment.absolute(file)
        var defaults: [String: String] = [:]
        if let assigned { defaults["交办日期"] = try Day.parse(assigned).description }
        if let source { defaults["来源"] = source.trimmingSpaces }
        if basis == nil, basisNumber != nil || basisDate != nil { throw Failure("--basis-number 和 --basis-date 须与 --basis 同用") }
        if let basis { defaults["交办依据"] = basis.trimmingSpaces }
        if let basisNumber { defaults["依据文号"] = basisNumber.trimmingSpaces }
        if let basisDate { defaults["依据日期"] = try Day.parse(basisDate).description }
        // Read with the user's own rights: only a file the user could read themselves.
        let bytes = try UserRights.perform { () throws(StoreError) in try DataDirectory.readGiven(path) }
        if LedgerExport.looksLikeExport(bytes) { return try importWhole(bytes, path: path, ctx: ctx) }
        var mapping: [String: String] = [:]
        if let map {
            let text = try UserRights.perform { () throws(StoreError) in try DataDirectory.readGiven(Environment.absolute(map)) }
            mapping = try LedgerSheet.parseMap(try LedgerFile.decode(text, path: map).0)
        }
        var records: [LedgerImport.Row]
        let described: String
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw Failure("\(path) 是 Excel 97-2003 的 .xls 文件：请在 Excel 中另存为 .xlsx（或 CSV）后导入")
        }
        let lower = path.lowercased()
        if !isZip(bytes), lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") {
            throw Failure("\(path) 不是有效的 Excel 工作簿（.xlsx 文件应为 zip 格式）：可能已损坏，或只是改了扩展名；请在 Excel 中重新另存为 .xlsx 或 CSV 后导入")
        }
        if isZip(bytes) {
            let book: PaperCodec.Rows
            do { book = try PapersHelper.readXLSX(bytes, sheet: sheet) } catch {
                throw Failure("\(path)：\(error.message)")
            }
            records = book.rows
            described = "Excel 工作簿，工作表“\(book.name.sanitized())”" + (book.names.count > 1 ? "（共\(book.names.count)个工作表）" : "")
        } else {
            if sheet != nil { throw Failure("--sheet 只用于 .xlsx 工作簿；\(path) 是 CSV 文件") }
            let (text, encoding) = try LedgerFile.decode(bytes, path: path)
            records = try PapersHelper.readCSV(text)
            described = "CSV 文件，\(encoding) 编码"
        }
        guard var table = LedgerSheet.recognise(records, map: mapping) else {
            throw Failure(
                "\(path)：前\(15)行中找不到表头：表头应有“事项”（或督办事项、工作任务等）和“牵头单位”（或责任单位、承办单位等）这样的列名；"
                    + "列名不同的，用 --map 指明（如 --map 列对应.txt，每行“表头=列名”）")
        }
        if isZip(bytes) {
            // Cells a sheet leaves out are blank: every row as wide as the header.
            let width = table.header.count
            table.rows = table.rows.map { r in
                var r = r
                r.cells = Array((r.cells + Array(repeating: "", count: max(0, width - r.cells.count))).prefix(width))
                return r
            }
        }
        let repo = try ctx.open(.summary)
        let actor = try ctx.actor(repo)
        try Workflow.check(.importLedger, by: actor)
        let calendar = try ctx.calendar(repo)
        if dryRun { describe(table, described: described) }
        let result: Result<LedgerImport.Plan, LedgerImport.Problems> =
            table.problems.isEmpty
            ? LedgerImport.plan(
                header: table.header, rows: table.rows, ledger: repo.ledger, actor: actor, today: ctx.today, calendar: calendar,
                createUnits: createUnits, allowDuplicates: allowDuplicates, defaults: defaults)
            : .failure(LedgerImport.Problems(list: table.problems))
        let plan: LedgerImport.Plan
        switch result {
        case .success(let p): plan = p
        case .failure(let problems):
            for p in problems.list { Output.note("\(path)：\(p)") }
            if !problems.unknownUnits.isEmpty {
                let names = problems.unknownUnits.map { $0.sanitized() }
                Output.note(
                    "其中台账中没有的单位共 \(names.count) 个：" + names.prefix(30).joined(separator: "、")
                        + (names.count > 30 ? "等" : "") + "。可先用 ducha unit add 登记，或加 --create-units 导入时自动登记。")
            }
            if problems.list.contains(where: { $0.message.contains("为整个表指定") }) {
                Output.note("表中没有“来源”或“交办日期”列时，可用 --source 来源、--assigned 日期 为整个表指定。")
            }
            // A row naming an unknown unit says itself that --create-units registers it.
            throw Failure("发现 \(problems.list.count) 处问题，没有导入任何事项；请改正后重新导入")
        }
        let ignored = table.columns.filter { $0.field == nil }.map { $0.heading.sanitized() } + plan.ignoredColumns
        if !ignored.isEmpty { Output.note("注意：忽略未识别的列：\(ignored.joined(separator: "、"))") }
        let units = plan.newUnits.isEmpty ? "" : "，新登记单位 \(plan.newUnits.count) 个（\(plan.newUnits.joined(separator: "、"))）"
        if dryRun {
            Output.line("前\(min(5, plan.understood.count))行的理解：")
            for u in plan.understood.prefix(5) {
                let r = u.registration
                var s = "  第\(u.line)行：\(r.title.sanitized())｜来源 \(r.source)｜牵头 \(r.leadUnit.sanitized())"
                if !r.coUnits.isEmpty { s += "｜配合 \(r.coUnits.joined(separator: "、").sanitized())" }
                s += "｜交办 \(r.assignedOn)｜时限 \(r.deadline)"
                if !r.leader.isEmpty { s += "｜批示领导 \(r.leader.sanitized())" }
                if !r.basis.isEmpty { s += "｜依据 \(Basis(name: r.basis, number: r.basisNumber).label.sanitized())" }
                Output.line(s)
                for n in u.notes { Output.line("      \(n.sanitized())") }
            }
            Output.line("检查通过（\(described)）：可导入 \(plan.items) 件事项\(units)。未写入任何内容。")
            return
        }
        let entries = try ctx.run(try ctx.operations(repo), .importRows(plan.commands)).entries
        let numbers = entries.compactMap { e -> ItemNumber? in
            // A 分别办理 row is one item; its parts (之N) are its units'.
            if case .item(let n, .register) = e.change, !n.isChild { return n }
            return nil
        }
        Output.line("已导入 \(numbers.count) 件事项\(units)" + (numbers.isEmpty ? "" : "：\(numbers.first!) 至 \(numbers.last!)") + "。")
    }

    /// What the dry run says about the sheet: title rows, header, each column's meaning, the end.
    func describe(_ table: LedgerSheet.Table, described: String) {
        Output.line("读取：\(described)")
        for t in table.titleRows where t.cells.contains(where: { !$0.trimmingSpaces.isEmpty }) {
            // A merged title repeats in every cell it covers: said once.
            var parts: [String] = []
            for c in t.cells.map({ $0.trimmingSpaces }) where !c.isEmpty && parts.last != c { parts.append(c) }
            let text = parts.joined(separator: " ")
            Output.line("第\(t.line)行：表头上方的标题，跳过（\(text.sanitized())）")
        }
        let lines = table.headerLines.map { "第\($0)行" }.joined(separator: "、")
        Output.line("表头：\(lines)" + (table.headerLines.count > 1 ? "（两行表头，已合并）" : ""))
        Output.line("列的对应：")
        for c in table.columns {
            let meaning: String
            switch c.field {
            case nil: meaning = "未识别，不导入（可用 --map 指明）"
            case LedgerSheet.skipped?: meaning = "不导入"
            case LedgerSheet.remark?: meaning = "备注：内容记入导入记录的说明"
            case let f?: meaning = f
            }
            Output.line("  \(LedgerSheet.letters(c.index)) 列 \(c.heading.sanitized()) → \(meaning)")
        }
        if !table.header.contains("来源") { Output.line(source.map { "来源：表中没有此列，全部记为“\($0.sanitized())”" } ?? "来源：表中没有此列") }
        if !table.header.contains("交办日期") {
            Output.line(assigned.map { "交办日期：表中没有此列，全部记为 \($0.sanitized())" } ?? "交办日期：表中没有此列")
        }
        if let basis {
            Output.line(
                "交办依据：" + (table.header.contains("交办依据") ? "本列为空的行记为" : "表中没有此列，全部记为")
                    + "“\(Basis(name: basis.trimmingSpaces, number: basisNumber?.trimmingSpaces ?? "").label.sanitized())”")
        }
        if let stop = table.stoppedAt {
            Output.line(
                "第\(stop.line)行“\(stop.cells.first { !$0.trimmingSpaces.isEmpty }?.trimmingSpaces.sanitized() ?? "")”：表格到此为止，以下不导入"
            )
        }
        Output.line("数据行：\(table.rows.count) 行")
    }
}

extension Import {
    /// A whole ledger exported as JSON, into a repository just created.
    func importWhole(_ bytes: [UInt8], path: String, ctx: Context) throws {
        if createUnits || allowDuplicates { throw Failure("--create-units 和 --allow-duplicates 只用于导入 CSV 表格") }
        let repo = try ctx.openFolder(.full, "导入整个台账")
        let actor = try ctx.actor(repo)
        try Workflow.check(.importLedger, by: actor)
        let entries: [Entry]
        do throws(JSONError) { entries = try LedgerExport.read(bytes) } catch {
            throw Failure("\(path)：\(error.description)")
        }
        let folded: Ledger
        do throws(CoreError) { folded = try LedgerExport.fold(entries) } catch { throw Failure("\(path)：\(error.message)") }
        guard repo.isFresh else {
            throw Failure("整个台账只能导入到刚用 ducha init 新建的空台账中：本台账已有 \(repo.ledger.seq) 条记录（单位、事项或其他设置）")
        }
        // A demo or test ledger's records may be dated by --today: never into a real ledger, which
        // would then take such dates too. The other way round is harmless.
        if folded.settings.testClock, !repo.ledger.settings.testClock {
            throw Failure(
                "\(path) 是演示/测试台账的备份（记录可按设定的日期写入），不能导入正式台账；如需查看，请先用 ducha init --test-clock 新建测试台账再导入")
        }
        let what = "\(folded.units.count)个单位，\(folded.users.count)个用户，\(folded.items.count)件事项，\(entries.count)条记录"
        if dryRun {
            Output.line("检查通过：可导入整个台账（\(what)）。未写入任何内容。")
            return
        }
        let marker = try repo.restore(
            entries: entries, sha256: Chain.hash(bytes), login: ctx.login, uid: ctx.uid, clock: ctx.clock)
        Output.line("已导入整个台账（\(what)），并记为第 \(marker.seq) 条记录。")
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "办理情况统计：按单位（含名次和扣分）、按来源或按交办依据（含完成率）。",
        discussion:
            "按交办日期筛选事项；逾期扣分标准用 ducha config penalty-lead / penalty-co 设置，基础分、加分和其他扣分用 ducha config score.… 设置"
            + "（设置后按单位统计列出每个单位的得分构成）。")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("交办日期不早于", valueName: "日期")) var from: String?
    @Option(help: ArgumentHelp("交办日期不晚于", valueName: "日期")) var to: String?
    @Option(help: ArgumentHelp("分组：unit（单位，默认）、source（来源）或 basis（交办依据：各会议、文件的完成率）", valueName: "分组"))
    var by: String = "unit"
    @Option(help: ArgumentHelp("格式：text（默认）、csv、json 或 xlsx（Excel 工作簿）", valueName: "格式")) var format: String = "text"
    @Option(help: ArgumentHelp("写入文件（默认输出到屏幕）", valueName: "文件")) var output: String?
    @Flag(help: "文件已存在时覆盖它") var force = false

    func run() throws {
        let ctx = try Context(global)
        guard let grouping = Statistics.Grouping(rawValue: by) ?? Statistics.Grouping.allCases.first(where: { $0.label == by })
        else {
            throw Failure("分组应为 unit（单位）、source（来源）或 basis（依据），而不是“\(by.sanitized())”")
        }
        guard ["text", "csv", "json", "xlsx"].contains(format) else {
            throw Failure("格式应为 text、csv、json 或 xlsx，而不是“\(format.sanitized())”")
        }
        try checkBinaryOutput(format, output)
        let start = try from.map { try Day.parse($0) }
        let end = try to.map { try Day.parse($0) }
        if let start, let end, start > end { throw Failure("起始日期 \(start) 晚于截止日期 \(end)") }
        // On a database the states are read a batch at a time (`StateBatches`).
        let repo = try ctx.open(ctx.database != nil ? .queries : .summary)
        let stats = try ctx.operations(repo).statistics(by: grouping, from: start, to: end)
        if format == "xlsx" {
            let sheet = Papers.statistics(stats)
            try deliverDocument(
                { try PapersHelper.xlsx(sheet) }, to: output, what: "办理情况统计", outside: ctx.repoPath, force: force)
            return
        }
        let text: String
        switch format {
        case "csv": text = stats.csv()
        case "json": text = stats.json()
        default: text = stats.text(width: repo.ledger.settings.noticeWidth)
        }
        try deliver(text, to: output, what: "办理情况统计", outside: ctx.repoPath, force: force)
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "查看办理记录（全部，或一件事项的），按时间先后。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号（不写则列出全部记录）", valueName: "编号")) var number: String?
    @Option(help: ArgumentHelp("只列最近的多少条", valueName: "条数")) var last: Int?
    @Option(help: ArgumentHelp("输出格式：text（默认）或 json", valueName: "格式")) var format: String = "text"

    func run() throws {
        let ctx = try Context(global)
        guard ["text", "json"].contains(format) else { throw Failure("输出格式应为 text 或 json，而不是“\(format.sanitized())”") }
        if let last, last < 1 { throw Failure("--last 应为正整数") }
        let repo = try ctx.open(try number.map { .only([ctx.number(try ItemReference.parse($0))]) } ?? .full)
        let actor = try ctx.actor(repo)
        var entries: [Entry]
        if let number {
            let item = try repo.ledger.resolve(try ItemReference.parse(number), currentYear: ctx.today.year, for: actor)
            guard repo.ledger.canSee(item, actor) else {
                throw Failure("\(item.number) 不由本单位（\(actor.unit ?? "")）承办，无权查看")
            }
            entries = repo.ledger.records(of: item)
        } else {
            entries = actor.role == .unit ? [] : repo.ledger.log
            for item in repo.ledger.visibleItems(to: actor) { entries.append(contentsOf: item.history) }
            entries.sort { $0.seq < $1.seq }
        }
        if let last { entries = Array(entries.suffix(last)) }
        if format == "json" {
            var w = JSONWriter(capacity: 1 << 16)
            w.beginArray()
            for e in entries { ItemJSON.entry(e, ledger: repo.ledger, into: &w) }
            w.endArray()
            Output.line(w.string)
            return
        }
        for e in entries {
            // A 分别办理 part reads as the item's number and its unit.
            let item = e.item.map { "\(repo.ledger.item($0)?.shownNumber ?? $0.description)  " } ?? ""
            Output.line(
                "#\(e.seq)  \(HistoryText.when(e))  \(item)\(HistoryText.who(e, ledger: repo.ledger))  \(HistoryText.what(e))"
                    .sanitized())
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "检查台账文件是否完整一致；--repair 修复能修复的问题。",
        discussion: "修复时截去未写完或无法读取的日志行（及其后各行）、移走中断整理留下的临时文件、改正文件权限；移出的内容都另存在台账目录的 repair/ 中。快照损坏或格式版本更新时只作说明，不作改动。")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "修复能修复的问题（移出的内容另存备份）") var repair = false

    func run() throws {
        let ctx = try Context(global)
        var unrepaired = false
        if repair {
            try ctx.folderOnly("修复台账（--repair）")
            // Only the office may repair: judged on the roster as the repository holds it, or —
            // when the journal cannot be read — as the snapshot records it. With neither readable,
            // through the setuid binary nobody may (the administrator runs it as the service
            // account); otherwise only the owner of the folder (the single user) or root.
            let ledger =
                (try? Repository.open(at: ctx.repoPath, mode: .only([])).ledger)
                ?? Repository.rosterFromSnapshot(at: ctx.repoPath)
            if let ledger {
                let actor = try ledger.actor(login: ctx.login, uid: ctx.uid)
                guard actor.role == .supervisor else { throw Failure("\(actor.displayName) 无权修复台账：只有督查室可以修复") }
            } else if UserRights.isPrivileged {
                throw Failure("只有督查室可以修复台账；台账无法打开时，请系统管理员以 ducha 系统账户运行：sudo -u ducha ducha check --repair")
            } else {
                var st = stat()
                guard getuid() == 0 || (stat(ctx.repoPath, &st) == 0 && st.st_uid == getuid()) else {
                    throw Failure("无法读取台账的名册，不能确认您是督查室：请由督查室或系统管理员修复")
                }
            }
            let fixes = RepositoryRepair.run(directory: ctx.repoPath, at: ctx.now)
            for f in fixes.fixed { Output.line("已修复：\(f)") }
            for u in fixes.unfixable { Output.line("无法修复：\(u)") }
            if fixes.fixed.isEmpty, fixes.unfixable.isEmpty { Output.line("没有需要修复的问题。") }
            unrepaired = !fixes.unfixable.isEmpty
        }
        let report = try ctx.database.map { try $0.check(ctx.repoPath) } ?? RepositoryCheck.run(directory: ctx.repoPath)
        for n in report.notes { Output.line("注意：\(n)") }
        for p in report.problems { Output.line("问题：\(p)") }
        if report.problems.isEmpty {
            Output.line("检查通过：\(report.summary)")
            if unrepaired { throw ExitCode(1) }
        } else {
            throw ExitCode(1)
        }
    }
}
