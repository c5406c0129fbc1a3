import ArgumentParser
import DuchaCore
import DuchaOps
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "新建一个空台账。",
        discussion: """
            多用户服务器上由管理员运行 sudo ducha init --system --supervisor 登录名：在 /var/lib/ducha（或 --repo 指定的目录）\
            新建属于 ducha 系统账户的台账，把该登录名登记为督查室，并写入配置文件，此后各用户运行 ducha 即打开这一台账。
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("发文单位，印在通报上（如 青山县委督查室）", valueName: "名称")) var office: String?
    @Option(help: ArgumentHelp("事项编号前缀（默认 督，编号形如 督〔2026〕第0001号）", valueName: "前缀")) var prefix: String?
    @Flag(help: "测试台账：允许按 --today 设定的日期写入记录（用于测试和培训，界面上标明“测试台账”）") var testClock = false
    @Flag(help: "新建多用户服务器的系统台账（需 root）") var system = false
    @Option(help: ArgumentHelp("系统台账的督查室用户（已有的系统登录名；与 --system 同用）", valueName: "登录名")) var supervisor: String?
    @OptionGroup var owner: OwnerOption

    func run() throws {
        if system {
            guard let supervisor else { throw Failure("新建系统台账须用 --supervisor 指定督查室的系统登录名") }
            try SystemSetup(office: office, prefix: prefix, supervisor: supervisor, repo: global.repo).run()
            return
        }
        if supervisor != nil { throw Failure("--supervisor 只能与 --system 同用") }
        let ctx = try Context(global)
        var settings = try ctx.data.settings()
        if let office { try settings.set("office", to: office) }
        if let prefix { try settings.set("prefix", to: prefix) }
        settings.testClock = testClock
        try owner.check(ctx)
        let clock = try ctx.clock.read(for: settings)
        if let database = ctx.database {
            var first = Ledger()
            try first.apply(Entry(seq: 1, at: clock.0, actor: ctx.login, change: .initialize(settings)))
            try database.create(first, at: ctx.repoPath, owner: owner.owner)
        } else {
            _ = try Repository.create(at: ctx.repoPath, settings: settings, login: ctx.login, at: clock.0)
        }
        Output.line("已在 \(ctx.repoPath) 新建\(testClock ? "测试" : "")台账（\(settings.officeName)）。")
        Output.line("下一步：用 ducha unit add 登记承办单位，再用 ducha add 立项交办。")
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "新建一个演示台账：约40件事项、12个单位，日期相对于今天。")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var owner: OwnerOption

    func run() throws {
        let ctx = try Context(global)
        try owner.check(ctx)
        guard ctx.database != nil || !Repository.exists(at: ctx.repoPath) else { throw StoreError.alreadyExists(ctx.repoPath) }
        let calendar = try ctx.calendar(nil)
        let ledger = try DemoBuilder.build(
            try ctx.data.demo(), settings: try ctx.data.settings(), today: ctx.today, calendar: calendar, supervisor: ctx.login)
        if let database = ctx.database {
            try database.create(ledger, at: ctx.repoPath, owner: owner.owner)
        } else {
            _ = try Repository.create(at: ctx.repoPath, ledger: ledger)
        }
        let o = Overview(ledger.items, StatusEvaluator(today: ctx.today, calendar: calendar, settings: ledger.settings))
        Output.line(
            "已在 \(ctx.repoPath) 新建演示台账：\(ledger.units.count)个单位，\(o.total + o.withdrawn)件事项"
                + "（逾期\(o.overdue)件，临期\(o.dueSoon)件，已办结\(o.closed)件）。")
    }
}

struct UnitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit", abstract: "承办单位：登记、修改、停用、查看。",
        subcommands: [UnitAdd.self, UnitEdit.self, UnitRetire.self, UnitList.self])
}

struct UnitAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "登记一个承办单位。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("单位名称，如 县财政局", valueName: "名称")) var name: String
    @Option(help: ArgumentHelp("单位类型：乡镇、街道或部门（默认 部门）", valueName: "类型")) var kind: String?
    @Option(help: ArgumentHelp("第一责任人", valueName: "姓名")) var owner: String?
    @Option(help: ArgumentHelp("联系人", valueName: "姓名")) var contact: String?
    @Option(help: ArgumentHelp("联系电话", valueName: "电话")) var phone: String?

    func run() throws {
        let ctx = try Context(global)
        // Without --kind, a 镇 or 乡 is a township and a 街道 a subdistrict, as an import reads them.
        let trimmed = name.trimmingSpaces
        var unitKind: UnitKind =
            trimmed.hasSuffix("街道") ? .subdistrict : (trimmed.hasSuffix("镇") || trimmed.hasSuffix("乡")) ? .township : .department
        if let kind {
            guard let k = UnitKind(label: kind) else { throw Failure("单位类型应为 \(UnitKind.labels) 之一，而不是“\(kind.sanitized())”") }
            unitKind = k
        }
        let repo = try ctx.open(.only([]))
        let unit = Unit(name: name, kind: unitKind, owner: owner ?? "", contact: contact ?? "", phone: phone ?? "")
        _ = try ctx.run(try ctx.operations(repo), .addUnit(unit))
        Output.line("已登记单位：\(name.trimmingSpaces)（\(unitKind.label)）")
    }
}

struct UnitEdit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "修改承办单位的名称、类型、第一责任人或联系方式（督查室）。",
        discussion: "只改写出的项。更名后，已有事项和统计都用新名称，办理记录仍照记录时的名称显示，旧名称不能再用于新单位。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("单位现在的名称", valueName: "名称")) var name: String
    @Option(help: ArgumentHelp("新名称", valueName: "新名称")) var rename: String?
    @Option(help: ArgumentHelp("单位类型：乡镇、街道或部门", valueName: "类型")) var kind: String?
    @Option(help: ArgumentHelp("第一责任人", valueName: "姓名")) var owner: String?
    @Option(help: ArgumentHelp("联系人", valueName: "姓名")) var contact: String?
    @Option(help: ArgumentHelp("联系电话", valueName: "电话")) var phone: String?

    func run() throws {
        let ctx = try Context(global)
        var edit = DuchaCore.UnitEdit(name: rename, owner: owner, contact: contact, phone: phone)
        if let kind {
            guard let k = UnitKind(label: kind) else { throw Failure("单位类型应为 \(UnitKind.labels) 之一，而不是“\(kind.sanitized())”") }
            edit.kind = k
        }
        let repo = try ctx.open(.only([]))
        let entries = try ctx.run(try ctx.operations(repo), .editUnit(name: name, edit)).entries
        Output.line("已\(HistoryText.what(entries[0]).sanitized())")
    }
}

struct UnitRetire: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire", abstract: "停用承办单位（督查室）：保留其事项和记录，不再用于立项、重新交办、配合单位和新用户。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("单位名称", valueName: "名称")) var name: String

    func run() throws {
        let ctx = try Context(global)
        let repo = try ctx.open(.only([]))
        _ = try ctx.run(try ctx.operations(repo), .retireUnit(name: name))
        Output.line("已停用单位：\(name.sanitized())。其事项和办理记录保留不变。")
    }
}

struct UnitList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "列出承办单位及其承办事项数。")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let ctx = try Context(global)
        let repo = try ctx.open(.summary)
        let calendar = try ctx.calendar(repo)
        let actor = try ctx.actor(repo)
        let evaluator = ctx.evaluator(repo, calendar: calendar)
        var table = TextTable(columns: [
            .init("单位"), .init("类型"), .init("第一责任人"), .init("联系人"), .init("电话"), .init("牵头", alignRight: true),
            .init("配合", alignRight: true), .init("在办", alignRight: true), .init("逾期", alignRight: true),
        ])
        let items = repo.ledger.visibleItems(to: actor)
        // Earlier names, so that older records naming them can be read.
        func former(_ name: String) -> String {
            let names = repo.ledger.formerNames.filter { $0.value == name }.keys.sorted()
            return names.isEmpty ? "" : "（原名 \(names.joined(separator: "、"))）"
        }
        for u in repo.ledger.units {
            if actor.role == .unit, actor.unit != u.name { continue }
            let lead = items.filter { $0.leadUnit == u.name }
            let co = items.filter { $0.coUnits.contains(u.name) }
            let open = lead.filter { $0.state.isOpen }
            let overdue = open.filter { evaluator.isOverdue($0) }
            table.append([
                u.name + (u.retired ? "（已停用）" : "") + former(u.name), u.kind.label, u.owner, u.contact, u.phone,
                String(lead.count),
                String(co.count), String(open.count),
                String(overdue.count),
            ])
        }
        if repo.ledger.units.isEmpty {
            Output.line("还没有登记承办单位；用 ducha unit add 名称 登记。")
            return
        }
        for line in table.render() { Output.line(line) }
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "名册：系统用户与角色（督查室、领导、承办单位）。",
        discussion: "名册为空时，本机唯一的使用者即督查室。登记第一个用户时，当前用户会同时登记为督查室，以免失去管理权限。",
        subcommands: [UserAdd.self, UserList.self, UserRemove.self])
}

struct UserAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "登记一个系统用户及其角色。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("系统登录名", valueName: "登录名")) var login: String
    @Option(help: ArgumentHelp("角色：supervisor（督查室）、leader（领导）或 unit（承办单位）", valueName: "角色")) var role: String
    @Option(help: ArgumentHelp("所属单位（角色为 unit 时必填）", valueName: "单位")) var unit: String?
    @Option(help: ArgumentHelp("姓名", valueName: "姓名")) var name: String?

    func run() throws {
        let ctx = try Context(global)
        guard let r = Role(label: role) else {
            throw Failure("角色应为 supervisor（督查室）、leader（领导）或 unit（承办单位），而不是“\(role.sanitized())”")
        }
        // The roster knows a user by the OS account's uid: the account must exist.
        guard let pw = getpwnam(login) else {
            throw Failure("系统中没有登录名为 \(login.sanitized()) 的账户：请先由管理员建立该系统账户（如 useradd），再登记到名册")
        }
        let uid = pw.pointee.pw_uid
        let repo = try ctx.open(.only([]))
        let entries = try ctx.run(
            try ctx.operations(repo), .addUser(User(login: login, role: r, unit: unit, name: name ?? "", uid: uid))
        ).entries
        for e in entries {
            if case .addUser(let u) = e.change {
                if u.login != login {
                    Output.line("名册原为空：已同时将当前用户 \(u.login) 登记为督查室。")
                } else {
                    Output.line("已登记用户 \(u.login)：\(u.role.label)\(u.unit.map { "（\($0)）" } ?? "")")
                }
            }
        }
    }
}

struct UserList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "列出名册中的用户。")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let ctx = try Context(global)
        let repo = try ctx.open(.only([]))
        let actor = try ctx.actor(repo)
        guard actor.role != .unit else { throw Failure("\(actor.displayName) 无权查看名册：只有督查室和领导可以查看") }
        if repo.ledger.users.isEmpty {
            Output.line("名册为空：本台账只有一位使用者（当前用户 \(ctx.login)），即督查室。")
            return
        }
        var table = TextTable(columns: [.init("登录名"), .init("姓名"), .init("角色"), .init("所属单位")])
        for u in repo.ledger.users { table.append([u.login, u.name, u.role.label, u.unit ?? ""]) }
        for line in table.render() { Output.line(line) }
    }
}

struct UserRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "从名册中删除一个用户（其历史记录保留）。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("系统登录名", valueName: "登录名")) var login: String

    func run() throws {
        let ctx = try Context(global)
        let repo = try ctx.open(.only([]))
        _ = try ctx.run(try ctx.operations(repo), .removeUser(login: login))
        Output.line("已从名册中删除 \(login)。")
    }
}

struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "查看或修改台账设置。",
        discussion: "可设置：" + Settings.keys.map { "\($0.key)（\($0.name)）" }.joined(separator: "、")
            + "；默认办理时限 limit.特急、limit.急、limit.一般 或 limit.来源（如 ducha config limit.人大代表建议 3个月；写 - 取消按来源的时限）"
            + "；考核计分 score.计分项（如 ducha config score.base 100 或 ducha config score.基础分 100，分值 0 到 1000、最多一位小数）："
            + ScoreRules.keyList + "；通知程序 hook.事件（事件：\(HookEvent.names)；值为程序的绝对路径，写 - 取消）。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("设置项", valueName: "项")) var key: String?
    @Argument(help: ArgumentHelp("新的值", valueName: "值")) var value: String?

    func run() throws {
        let ctx = try Context(global)
        let repo = try ctx.open(.only([]))
        let settings = repo.ledger.settings
        guard let key else {
            for (k, name) in Settings.keys + settings.limitKeys + settings.scoreKeys + settings.hookKeys {
                Output.line("\(name.padded(toWidth: 26))\(k.padded(toWidth: 24))\((settings.value(forKey: k) ?? "").sanitized())")
            }
            if settings.testClock {
                Output.line("这是演示/测试台账：记录可按 --today 设定的日期写入（建立时确定，不能修改）")
            }
            return
        }
        guard let value else {
            guard let v = settings.value(forKey: key) else {
                throw Failure("没有“\(key.sanitized())”这一设置项；可设置：" + Settings.keys.map(\.key).joined(separator: "、"))
            }
            Output.line(v.sanitized())
            return
        }
        _ = try ctx.run(try ctx.operations(repo), .setting(key: key, value: value))
        let shown = Settings.canonicalKey(key)
        let now = repo.ledger.settings.value(forKey: shown) ?? value
        Output.line(now.isEmpty ? "已取消 \(shown)" : "已设置 \(shown) = \(now)")
    }
}

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "节假日安排：查看已录入的年份，添加新年份的安排。",
        subcommands: [CalendarShow.self, CalendarAdd.self], defaultSubcommand: CalendarShow.self)
}

struct CalendarShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "列出已录入的节假日安排。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("年份（默认今年）", valueName: "年份")) var year: Int?

    func run() throws {
        let ctx = try Context(global)
        // Without a repository, the tables shipped with ducha.
        let repo = Repository.exists(at: ctx.repoPath) ? try ctx.open(.only([])) : nil
        let calendar = try ctx.calendar(repo)
        let years = calendar.tables.keys.sorted()
        Output.line("已录入节假日安排的年份：" + (years.isEmpty ? "无" : years.map(String.init).joined(separator: "、")))
        let y = year ?? ctx.today.year
        guard let t = calendar.tables[y] else {
            Output.line("\(y)年的节假日安排尚未录入：工作日按周一至周五计算。")
            return
        }
        Output.line("\(y)年：\(t.source.sanitized())")
        if let recorded = repo?.ledger.calendarEntries[y] {
            Output.line("  由 \(recorded.actor) 于 \(recorded.at.display) 加入本台账（文件校验码 SHA-256 \(recorded.sha256)）")
        }
        for h in t.holidays { Output.line("  \(h.name.sanitized().padded(toWidth: 16))\(h.from) 至 \(h.to) 放假") }
        for w in t.workdays { Output.line("  \("调休上班".padded(toWidth: 16))\(w)（\(w.chineseWeekday)）") }
    }
}

struct CalendarAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "把一年的节假日安排文件（格式同 data/calendar/2026.json）加入本台账。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("JSON 文件", valueName: "文件")) var file: String

    func run() throws {
        let ctx = try Context(global)
        let repo = try ctx.open(.only([]))
        guard try ctx.actor(repo).role == .supervisor else { throw Failure("只有督查室可以添加节假日安排") }
        let path = Environment.absolute(file)
        // The file is read with the user's own rights; the table goes into the history.
        let bytes = try UserRights.perform { () throws(StoreError) in try DataDirectory.readGiven(path) }
        let (t, sha256) = try DataDirectory.readCalendar(bytes, file: path)
        _ = try ctx.run(try ctx.operations(repo), .addCalendar(t, sha256: sha256))
        Output.line("已添加\(t.year)年节假日安排：\(t.holidays.count)个节日，\(t.workdays.count)个调休上班日（已记入办理记录，文件校验码 SHA-256 \(sha256)）。")
    }
}
