import ArgumentParser
import DuchaCore
import DuchaStore
import DuchaTUI

#if canImport(Glibc)
    import Glibc
#endif

/// The root command. Without a subcommand it shows the overview of the repository.
struct Ducha: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ducha",
        abstract: "督查督办台账：登记领导批示和决策事项，交办承办单位，跟踪反馈直至办结，亮灯提示逾期，印发逾期事项通报。",
        discussion: """
            不带子命令时显示台账总览。事项编号可写完整编号（督〔2026〕第0003号）、2026-3 或当年的序号 3。
            需要较长文字的参数（反馈、办结报告）可写作 -，从标准输入读取。
            """,
        version: "ducha 1.0",
        subcommands: [
            Init.self, Demo.self, UnitCommand.self, UserCommand.self, Add.self, List.self, Show.self, Sign.self,
            Decline.self, Feedback.self, Extend.self, ExtensionDecision.self, Complete.self, Review.self, Remind.self, Stats.self,
            Comment.self, Commend.self, Withdraw.self, Suspend.self, Resume.self, Edit.self, Reassign.self, Reopen.self,
            UndoCommand.self,
            Export.self, Import.self, Log.self,
            AttachCommand.self, AttachmentCommand.self,
            Check.self, Migrate.self, Config.self, SummaryCommand.self, CalendarCommand.self, CompleteCommand.self,
            ManualCommand.self, ParseCommand.self,
        ]
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "只输出总览文字，不打开全屏界面（不在终端中运行时亦然）") var summary = false

    func run() throws {
        let ctx = try Context(global)
        let interface = !summary && isatty(0) == 1 && isatty(1) == 1
        // The interface is told by the database when others commit (LISTEN/NOTIFY).
        // On a database the interface asks for what it shows (`.queries`), and reads the items
        // an action is about, or a report every item, when it runs.
        let windowed = interface && ctx.database != nil
        let repo = try ctx.open(ctx.database != nil ? .queries : .summary, live: interface)
        let calendar = try ctx.calendar(repo)
        let actor = try ctx.actor(repo)
        if interface {
            let fixed = ctx.fixedToday
            let app = App(
                repository: repo, place: ctx.repoPath, login: ctx.login, uid: ctx.uid, calendar: calendar,
                today: { fixed ?? Timestamp(posixSeconds: Int(time(nil))).day },
                clock: ctx.clock,
                workingDirectory: Environment.absolute("."), color: (Environment.get("NO_COLOR") ?? "").isEmpty,
                reopen: windowed ? { (mode) throws(StoreError) -> LedgerStore in try ctx.reopen(mode, calendar: calendar) } : nil)
            try app.run()
            return
        }
        let evaluator = ctx.evaluator(repo, calendar: calendar)
        let (figures, overdue) = try Summary.read(repo, actor: actor, evaluator: evaluator)
        ctx.warnAboutCalendar(calendar, years: figures.years)
        for line in Summary.lines(figures, overdue: overdue, evaluator: evaluator, actor: actor, settings: repo.ledger.settings) {
            Output.line(line)
        }
    }
}

/// The short overview printed by `ducha` with no subcommand and by `ducha summary`.
enum Summary {
    /// What the overview counts of the items a person sees, folded batch by batch (a database
    /// is read a page of states at a time, `LedgerStore.forEachVisibleBatch`).
    struct Figures {
        var overview = Overview()
        var unit = UnitOverview()
        /// The years of the open items' deadlines (is a holiday table missing?).
        var years = Set<Int>()
        /// Items not withdrawn, neither a 分别办理 item nor a child (之N); the 分别办理 items; the
        /// children not withdrawn of each family (a 分别办理 item's are its parts).
        var plain = 0
        var splits = Set<ItemNumber>()
        var children: [ItemNumber: Int] = [:]

        mutating func add(_ items: [Item], _ evaluator: StatusEvaluator, actor: Actor) {
            overview.add(items, evaluator)
            if actor.role == .unit, let u = actor.unit { unit.add(unit: u, items, evaluator) }
            for i in items.indices {
                if items[i].state.isOpen { years.insert(items[i].deadline.year) }
                if items[i].isSplit {
                    splits.insert(items[i].number)
                } else if items[i].state == .withdrawn {
                    continue
                } else if items[i].number.isChild {
                    children[items[i].number.family, default: 0] += 1
                } else {
                    plain += 1
                }
            }
        }

        /// Counted as the list counts them (`ItemQuery.counts`): a 分别办理 item and its parts
        /// are one item (when it has a part not withdrawn); a part whose item is not seen, or a
        /// sub-task (之N of an item that is not 分别办理), is one.
        var listed: Int { children.reduce(plain) { $0 + (splits.contains($1.key) ? 1 : $1.value) } }
    }

    /// The figures and the five items overdue longest, of what `actor` sees.
    static func read(
        _ repo: LedgerStore, actor: Actor, evaluator: StatusEvaluator
    ) throws -> (figures: Figures, overdue: [(item: Item, status: ItemStatus)]) {
        var f = Figures()
        try repo.forEachVisibleBatch(actor) { f.add($0, evaluator, actor: actor) }
        let query = ItemQuery(scope: .overdue)
        if repo.ledger.partial, let queries = repo as? ItemQueries {
            let page = try queries.page(query, for: actor, evaluator, offset: 0, limit: 5)
            return (f, Array(zip(page.items, page.statuses)).map { (item: $0.0, status: $0.1) })
        }
        return (f, query.run(repo.ledger.visibleItems(to: actor), evaluator).prefix(5).map { (item: $0.item, status: $0.status) })
    }

    static func lines(
        _ figures: Figures, overdue: [(item: Item, status: ItemStatus)], evaluator: StatusEvaluator, actor: Actor,
        settings: Settings
    ) -> [String] {
        let o = figures.overview
        var out: [String] = []
        out.append(
            "\(settings.officeName.sanitized()) 督查督办台账\(settings.testClock ? "（演示/测试台账）" : "")"
                + "（\(evaluator.today.chinese) \(evaluator.today.chineseWeekday)）")
        if actor.role == .unit, let unit = actor.unit {
            // A unit's own numbers: what it leads apart from what it co-handles.
            out.append(contentsOf: figures.unit.lines(unit: unit))
        } else {
            // Counted as the list counts them: a 分别办理 item and its parts are one item; the
            // figures after it are each unit's (as statistics count).
            let listed = figures.listed
            let byUnit = listed == o.total ? "" : "（分别办理的按各单位分项计为\(o.total)件）"
            out.append(
                "事项\(listed)件\(byUnit)：在办\(o.open)件（逾期\(o.overdue)件，临期\(o.dueSoon)件，待签收\(o.pendingSign)件，待审核\(o.pendingReview)件），"
                    + "已办结\(o.closed)件，按时办结率\(o.onTimeRate)。")
        }
        if !overdue.isEmpty {
            out.append("")
            out.append("逾期最久的事项：")
            for row in overdue {
                out.append(
                    "  \(row.item.isPart ? row.item.number.family : row.item.number)  \(row.item.title.sanitized().truncated(toWidth: 36))  \(row.item.leadUnit)  \(row.status.remainingText)"
                )
            }
        }
        out.append("")
        out.append("用 ducha list 查看台账，ducha --help 查看全部命令。")
        return out
    }
}
