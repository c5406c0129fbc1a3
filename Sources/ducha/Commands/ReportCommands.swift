import ArgumentParser
import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出报表：逾期事项通报、催办通知、台账。", subcommands: [ExportOverdue.self, ExportReminders.self, ExportLedger.self])
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

struct ExportOverdue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue", abstract: "导出逾期事项通报（文本、CSV 或 JSON）。",
        discussion: "不加 --issue 时为预览稿，期数不变；加 --issue 即正式印发，期数记入台账，下次自动加一。")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("格式：text（默认，可直接打印或粘贴到 Word）、csv（Excel）或 json", valueName: "格式")) var format: String = "text"
    @Option(help: ArgumentHelp("写入文件（默认输出到屏幕）", valueName: "文件")) var output: String?
    @Flag(help: "文件已存在时覆盖它") var force = false
    @Flag(help: "正式印发：期数记入台账") var issue = false
    @Flag(help: "附上临期事项（第二部分）") var dueSoon = false
    @Option(help: ArgumentHelp("文本每行最多多少个半角字符宽（默认取台账设置，100）", valueName: "宽度")) var width: Int?

    func run() throws {
        let ctx = try Context(global)
        guard ["text", "csv", "json"].contains(format) else { throw Failure("格式应为 text、csv 或 json，而不是“\(format.sanitized())”") }
        if let width, !(80...400).contains(width) { throw Failure("宽度应在 80 到 400 之间（通报有十列，再窄排不下）") }
        let repo = try ctx.open(.summary)
        let calendar = try ctx.calendar(repo)
        let actor = try ctx.actor(repo)
        if issue, actor.role != .supervisor { throw Failure("\(actor.displayName) 无权印发通报：只有督查室可以印发") }
        let items = repo.ledger.visibleItems(to: actor)
        ctx.warnAboutCalendar(calendar, items: items)
        let evaluator = ctx.evaluator(repo, calendar: calendar)
        var serial = repo.ledger.nextNoticeSerial
        if let output { try AtomicFile.checkOutside(Environment.absolute(output), repository: ctx.repoPath) }
        if issue {
            if let output {
                try UserRights.perform { () throws(StoreError) in try AtomicFile.checkWritable(Environment.absolute(output)) }
                try refuseOverwrite(Environment.absolute(output), force: force)
            }
            let count = items.filter { evaluator.isOverdue($0) }.count
            let entries = try ctx.commit(repo, .issueNotice(overdue: count))
            if case .issueNotice(let s, _, _) = entries.last?.change { serial = s }
        }
        var notice = OverdueNotice(items: items, evaluator: evaluator, serial: serial, preview: !issue, includeDueSoon: dueSoon)
        notice.ledgerCode = repo.ledger.ledgerCode
        let what = "逾期事项通报\(notice.serialText)"
        switch format {
        case "csv": try deliver(notice.csv(), to: output, what: what, outside: ctx.repoPath, force: force)
        case "json": try deliver(notice.json(), to: output, what: what, outside: ctx.repoPath, force: force)
        default:
            try deliver(
                notice.lines(width: width ?? repo.ledger.settings.noticeWidth).inertBytes, to: output, what: what,
                outside: ctx.repoPath, force: force)
        }
        if issue { Output.note("已印发逾期事项通报第\(serial)期（逾期事项\(notice.overdueCount)件）。") }
        Context.kept.append(notice)
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

    func run() throws {
        let ctx = try Context(global)
        let repo = try ctx.open(.summary)
        let calendar = try ctx.calendar(repo)
        let actor = try ctx.actor(repo)
        if let unit, repo.ledger.unit(named: unit) == nil { throw CoreError.unknownUnit(unit) }
        if actor.role == .unit, let unit, unit != actor.unit {
            throw Failure("\(actor.displayName) 无权导出 \(unit.sanitized()) 的催办通知：只能导出本单位的")
        }
        if record, actor.role != .supervisor { throw Failure("\(actor.displayName) 无权登记催办：只有督查室可以催办") }
        let items = repo.ledger.visibleItems(to: actor)
        let evaluator = ctx.evaluator(repo, calendar: calendar)
        ctx.warnAboutCalendar(calendar, items: items)
        let units = unit.map { [$0] } ?? (actor.role == .unit ? [actor.unit ?? ""] : repo.ledger.units.map(\.name))
        var notices = ReminderNotice.all(units: units, items: items, evaluator: evaluator)
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
            for n in notices {
                for e in n.entries {
                    let ref = try ItemReference.parse(e.item.number.description)
                    try ctx.commit(
                        repo, .act(ref, .action(.remind(method: .letter, note: "印发催办通知，要求于\(n.replyBy.chinese)前书面报送"))))
                }
            }
        }
        for i in notices.indices { notices[i].ledgerCode = repo.ledger.ledgerCode }
        if unit != nil, output == nil {
            print(notices[0].text(width: width).inert, terminator: "")
            return
        }
        if !toDirectory {
            try deliver(
                notices[0].text(width: width), to: target, what: "\(notices[0].unit)的催办通知", outside: ctx.repoPath, force: force)
            return
        }
        var directory = target
        if directory.hasSuffix("/") { directory.removeLast() }
        for n in notices {
            try deliver(
                n.text(width: width), to: directory + "/" + n.fileName, what: "\(n.unit)的催办通知（\(n.entries.count)件）",
                outside: ctx.repoPath, force: force)
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
    @Option(help: ArgumentHelp("格式：csv（默认，UTF-8 带 BOM，表格视图）或 json（督查室为整个台账）", valueName: "格式")) var format: String = "csv"
    @Option(help: ArgumentHelp("写入文件（默认输出到屏幕）", valueName: "文件")) var output: String?
    @Flag(help: "文件已存在时覆盖它") var force = false

    func run() throws {
        let ctx = try Context(global)
        guard ["csv", "json"].contains(format) else { throw Failure("格式应为 csv 或 json，而不是“\(format.sanitized())”") }
        if format == "json" {
            // The office's JSON is the whole ledger; anyone else's, the table of the items they see.
            let whole = try ctx.open(.full)
            if try ctx.actor(whole).role == .supervisor {
                guard let entries = LedgerExport.entries(of: whole.ledger) else {
                    throw Failure("台账的记录不完整，无法导出整个台账；请先运行 ducha check")
                }
                // JSONWriter escapes control and deceptive characters: the bytes are inert as they are.
                try deliver(
                    LedgerExport.json(whole.ledger, entries: entries), to: output,
                    what: "整个台账（\(whole.ledger.items.count)件事项，\(entries.count)条记录）", outside: ctx.repoPath, force: force)
                return
            }
        }
        let repo = try ctx.open(.summary)
        let items = repo.ledger.visibleItems(to: try ctx.actor(repo)).sorted { $0.number < $1.number }
        let evaluator = ctx.evaluator(repo, calendar: try ctx.calendar(repo))
        try deliver(
            format == "json" ? LedgerTable.json(items, evaluator) : LedgerTable.csv(items, evaluator), to: output,
            what: "台账（\(items.count)件）", outside: ctx.repoPath, force: force)
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "从 Excel 另存的 CSV 文件导入事项（UTF-8 或 GB18030 编码），或导入督查室导出的整个台账（JSON）。",
        discussion: """
            表头使用导出台账的列名，至少包括 事项、来源、牵头单位、交办日期、办理时限；还可有 编号、批示领导、批示内容、配合单位（用 、 或 ; 分隔）、\
            紧急程度、状态、办结日期、最新进展 等。先检查每一行，有任何问题就逐行列出，一件也不导入。\
            事项、牵头单位、交办日期都与台账中已有事项相同的行不再导入（--allow-duplicates 除外）。
            ducha export ledger --format json 导出的整个台账只能导入刚用 ducha init 新建的空台账：全部记录按原时间、原操作人写入，\
            另记一条“导入整个台账”的记录。
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("CSV 文件", valueName: "文件")) var file: String
    @Flag(help: "文件中出现的、台账中没有的单位自动登记（与已有单位仅差一两个字的，视为笔误，提示改正）") var createUnits = false
    @Flag(help: "事项、牵头单位、交办日期与台账中已有事项相同的行也导入（默认逐行拒绝）") var allowDuplicates = false
    @Flag(help: "只检查，不导入") var dryRun = false

    func run() throws {
        let ctx = try Context(global)
        let path = Environment.absolute(file)
        // Read with the user's own rights: only a file the user could read themselves.
        let bytes = try UserRights.perform { () throws(StoreError) in try DataDirectory.read(path) }
        if LedgerExport.looksLikeExport(bytes) { return try importWhole(bytes, path: path, ctx: ctx) }
        let (text, encoding) = try LedgerFile.decode(bytes, path: path)
        let table = LedgerFile.parse(text, encoding: encoding)
        let repo = try ctx.open(.summary)
        let actor = try ctx.actor(repo)
        guard actor.role == .supervisor else { throw Failure("\(actor.displayName) 无权导入台账：只有督查室可以导入") }
        let calendar = try ctx.calendar(repo)
        let plan: LedgerImport.Plan
        switch LedgerImport.plan(
            header: table.header, rows: table.rows, ledger: repo.ledger, actor: actor, today: ctx.today, calendar: calendar,
            createUnits: createUnits, allowDuplicates: allowDuplicates)
        {
        case .success(let p): plan = p
        case .failure(let problems):
            for p in problems.list { Output.note("\(path)：\(p)") }
            // A row naming an unknown unit says itself that --create-units registers it.
            throw Failure("发现 \(problems.list.count) 处问题，没有导入任何事项；请改正后重新导入")
        }
        if !plan.ignoredColumns.isEmpty { Output.note("注意：忽略未识别的列：\(plan.ignoredColumns.joined(separator: "、"))") }
        let units = plan.newUnits.isEmpty ? "" : "，新登记单位 \(plan.newUnits.count) 个（\(plan.newUnits.joined(separator: "、"))）"
        if dryRun {
            Output.line("检查通过（\(table.encoding) 编码）：可导入 \(plan.items) 件事项\(units)。未写入任何内容。")
            return
        }
        let known = repo.warnings.count
        let entries = try repo.commitAll(plan.commands, login: ctx.login, clock: ctx.clock)
        for w in repo.warnings.dropFirst(known) { Output.note("注意：\(w)") }
        let numbers = entries.compactMap { e -> ItemNumber? in
            if case .item(let n, .register) = e.change { return n }
            return nil
        }
        Output.line("已导入 \(numbers.count) 件事项\(units)" + (numbers.isEmpty ? "" : "：\(numbers.first!) 至 \(numbers.last!)") + "。")
    }
}

extension Import {
    /// A whole ledger exported as JSON, into a repository just created.
    func importWhole(_ bytes: [UInt8], path: String, ctx: Context) throws {
        if createUnits || allowDuplicates { throw Failure("--create-units 和 --allow-duplicates 只用于导入 CSV 表格") }
        let repo = try ctx.open(.full)
        let actor = try ctx.actor(repo)
        guard actor.role == .supervisor else { throw Failure("\(actor.displayName) 无权导入台账：只有督查室可以导入") }
        let entries: [Entry]
        do throws(JSONError) { entries = try LedgerExport.read(bytes) } catch {
            throw Failure("\(path)：\(error.description)")
        }
        let folded: Ledger
        do throws(CoreError) { folded = try LedgerExport.fold(entries) } catch { throw Failure("\(path)：\(error.message)") }
        guard repo.isFresh else {
            throw Failure("整个台账只能导入到刚用 ducha init 新建的空台账中：本台账已有 \(repo.ledger.seq) 条记录（单位、事项或其他设置）")
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
        abstract: "办理情况统计：按单位（含名次和扣分）或按来源。",
        discussion: "按交办日期筛选事项；扣分标准用 ducha config penalty-lead / penalty-co 设置。")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("交办日期不早于", valueName: "日期")) var from: String?
    @Option(help: ArgumentHelp("交办日期不晚于", valueName: "日期")) var to: String?
    @Option(help: ArgumentHelp("分组：unit（单位，默认）或 source（来源）", valueName: "分组")) var by: String = "unit"
    @Option(help: ArgumentHelp("格式：text（默认）、csv 或 json", valueName: "格式")) var format: String = "text"
    @Option(help: ArgumentHelp("写入文件（默认输出到屏幕）", valueName: "文件")) var output: String?
    @Flag(help: "文件已存在时覆盖它") var force = false

    func run() throws {
        let ctx = try Context(global)
        guard let grouping = Statistics.Grouping(rawValue: by) ?? Statistics.Grouping.allCases.first(where: { $0.label == by })
        else {
            throw Failure("分组应为 unit（单位）或 source（来源），而不是“\(by.sanitized())”")
        }
        guard ["text", "csv", "json"].contains(format) else { throw Failure("格式应为 text、csv 或 json，而不是“\(format.sanitized())”") }
        let start = try from.map { try Day.parse($0) }
        let end = try to.map { try Day.parse($0) }
        if let start, let end, start > end { throw Failure("起始日期 \(start) 晚于截止日期 \(end)") }
        let repo = try ctx.open(.summary)
        let calendar = try ctx.calendar(repo)
        let actor = try ctx.actor(repo)
        let items = repo.ledger.visibleItems(to: actor)
        let stats = Statistics.seen(
            by: actor, items: items, ledger: repo.ledger, evaluator: ctx.evaluator(repo, calendar: calendar), by: grouping,
            from: start, to: end)
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
            let item = try repo.ledger.resolve(try ItemReference.parse(number), currentYear: ctx.today.year)
            guard repo.ledger.canSee(item, actor) else {
                throw Failure("\(item.number) 不由本单位（\(actor.unit ?? "")）承办，无权查看")
            }
            entries = item.history
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
            let item = e.item.map { "\($0)  " } ?? ""
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
        let report = RepositoryCheck.run(directory: ctx.repoPath)
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
