import ArgumentParser
import DuchaCore
import DuchaStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "导出报表。", subcommands: [ExportOverdue.self])
}

/// Writes report text to a file (atomically, group-readable) or to stdout.
func deliver(_ text: String, to output: String?, what: String) throws {
    guard let output else {
        print(text, terminator: "")
        return
    }
    let path = Environment.absolute(output)
    try AtomicFile.write(Array(text.utf8), to: path)
    Output.note("已将\(what)导出到 \(path)")
}

struct ExportOverdue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue", abstract: "导出逾期事项通报（文本、CSV 或 JSON）。",
        discussion: "不加 --issue 时为预览稿，期数不变；加 --issue 即正式印发，期数记入台账，下次自动加一。")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("格式：text（默认，可直接打印或粘贴到 Word）、csv（Excel）或 json", valueName: "格式")) var format: String = "text"
    @Option(help: ArgumentHelp("写入文件（默认输出到屏幕）", valueName: "文件")) var output: String?
    @Flag(help: "正式印发：期数记入台账") var issue = false
    @Option(help: ArgumentHelp("文本每行最多多少个半角字符宽（默认取台账设置，100）", valueName: "宽度")) var width: Int?

    func run() throws {
        let ctx = try Context(global)
        guard ["text", "csv", "json"].contains(format) else { throw Failure("格式应为 text、csv 或 json，而不是“\(format.sanitized())”") }
        if let width, !(80...400).contains(width) { throw Failure("宽度应在 80 到 400 之间（通报有十列，再窄排不下）") }
        let repo = try ctx.open()
        let calendar = try ctx.calendar()
        let actor = try ctx.actor(repo)
        let items = repo.ledger.visibleItems(to: actor)
        ctx.warnAboutCalendar(calendar, items: items)
        let evaluator = ctx.evaluator(repo, calendar: calendar)
        var serial = repo.ledger.nextNoticeSerial
        if issue {
            guard actor.role == .supervisor else { throw Failure("\(actor.displayName) 无权印发通报：只有督查室可以印发") }
            let count = items.filter { evaluator.isOverdue($0) }.count
            let entries = try ctx.commit(repo, .issueNotice(overdue: count))
            if case .issueNotice(let s, _, _) = entries.last?.change { serial = s }
        }
        let notice = OverdueNotice(items: items, evaluator: evaluator, serial: serial, preview: !issue)
        let text: String
        switch format {
        case "csv": text = notice.csv()
        case "json": text = notice.json()
        default: text = notice.text(width: width ?? repo.ledger.settings.noticeWidth)
        }
        try deliver(text, to: output, what: "逾期事项通报\(notice.serialText)")
        if issue { Output.note("已印发逾期事项通报第\(serial)期（逾期事项\(notice.overdueCount)件）。") }
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "查看办理记录（全部，或一件事项的），按时间先后。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号（不写则列出全部记录）", valueName: "编号")) var number: String?
    @Option(help: ArgumentHelp("只列最近的多少条", valueName: "条数")) var last: Int?
    @Option(help: ArgumentHelp("输出格式：text（默认）或 json", valueName: "格式")) var format: String = "text"

    func run() throws {
        let ctx = try Context(global)
        guard ["text", "json"].contains(format) else { throw Failure("输出格式应为 text 或 json，而不是“\(format.sanitized())”") }
        if let last, last < 1 { throw Failure("--last 应为正整数") }
        let repo = try ctx.open()
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
                "#\(e.seq)  \(e.at.display)  \(item)\(HistoryText.who(e, ledger: repo.ledger))  \(HistoryText.what(e))"
                    .sanitized())
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "检查台账文件是否完整一致。")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let ctx = try Context(global)
        let report = RepositoryCheck.run(directory: ctx.repoPath)
        for n in report.notes { Output.line("注意：\(n)") }
        for p in report.problems { Output.line("问题：\(p)") }
        if report.problems.isEmpty {
            Output.line("检查通过：\(report.summary)")
        } else {
            throw ExitCode(1)
        }
    }
}
