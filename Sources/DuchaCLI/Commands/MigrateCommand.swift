import ArgumentParser
import DuchaCore
import DuchaStore

/// `ducha migrate --to postgresql://…`: the folder's whole ledger copied into an empty database.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "把台账目录中的台账迁移到 PostgreSQL 数据库。",
        discussion: """
            复制全部记录（序号、时间和台账校验码不变）和各事项的现状，复制后按 ducha check 的标准核查，不通过则全部撤销。\
            目标数据库须已由数据库管理员建好且其中没有台账；台账目录不作改动。迁移后把系统配置文件中的台账设为该连接串（或用 --repo 指定），即使用数据库中的台账。
            """)

    @OptionGroup var global: GlobalOptions
    @Option(
        help: ArgumentHelp(
            "目标 PostgreSQL 数据库的连接串（不含口令：口令写在只有服务账户能读的口令文件中）",
            valueName: "连接串"))
    var to: String
    @OptionGroup var owner: OwnerOption

    func run() throws {
        guard Backend.isDatabase(to) else { throw Failure("--to 应为 PostgreSQL 连接串（以 postgresql:// 开头），而不是“\(to.sanitized())”") }
        let ctx = try Context(global)
        if ctx.database != nil { throw Failure("台账 \(ctx.repoPath) 已在数据库中；migrate 只迁移台账目录中的台账") }
        let database = try Backend.runDatabaseProgram()
        let repo = try ctx.openFolder(.full, "迁移")
        try Workflow.check(.wholeLedger, by: try ctx.actor(repo))
        let copied = try database.copy(repo.ledger, from: repo.directory, to: to, owner: owner.owner)
        Output.line(
            "已把台账 \(ctx.repoPath) 迁移到数据库 \(to)：\(copied.records)条记录，\(copied.items)件事项"
                + (copied.head.map { "，台账校验码 SHA-256 \($0)" } ?? "") + "。台账目录未作改动。")
        // The configuration file of this installation (PREFIX/etc/ducha.conf outside /usr).
        let config = SystemInstall.configPath ?? "/etc/ducha.conf"
        Output.line("下一步：在 \(config) 中写 repo=\(to)（或用 --repo 指定），此后即使用数据库中的台账。")
    }
}
