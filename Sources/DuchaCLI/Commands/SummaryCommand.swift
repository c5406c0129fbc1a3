import ArgumentParser
import DuchaCore
import DuchaOps
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "显示台账总览；--me 只显示自己单位待办的几行（供登录时提示）。",
        discussion:
            "--me：承办单位显示待签收、临期、逾期、应反馈的件数，督查室显示待审核、待审批、临期、逾期的件数。"
            + "不在名册中、没有台账或没有待办时什么也不输出，退出状态为 0，可放在登录脚本中，登录时提示。")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "只显示自己（所在单位）待办的件数，没有则不输出") var me = false

    func run() throws {
        guard me else {
            let ctx = try Context(global)
            // On a database the states are read a batch at a time (`StateBatches`).
            let repo = try ctx.open(ctx.database != nil ? .queries : .summary)
            let calendar = try ctx.calendar(repo)
            let actor = try ctx.actor(repo)
            let evaluator = ctx.evaluator(repo, calendar: calendar)
            let (figures, overdue) = try Summary.read(repo, actor: actor, evaluator: evaluator)
            ctx.warnAboutCalendar(calendar, years: figures.years)
            for line in Summary.lines(
                figures, overdue: overdue, evaluator: evaluator, actor: actor, settings: repo.ledger.settings)
            {
                Output.line(line)
            }
            return
        }
        // At login: nothing to say, or nothing that can be said, prints nothing.
        guard let ctx = try? Context(global), ctx.database != nil || SummaryCommand.exists(ctx.repoPath + "/ducha.json"),
            let repo = try? ctx.open(ctx.database != nil ? .queries : .summary), let ops = try? ctx.operations(repo),
            let summary = ops.personalSummary()
        else { return }
        for line in summary.lines { Output.line(line) }
    }

    /// Whether the file is there, as the service account sees it (stat, unlike access, uses the
    /// effective uid: the system repository is readable by the service account only).
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }
}
