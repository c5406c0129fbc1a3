import ArgumentParser
import DuchaCore
import DuchaOps
import DuchaStore

/// Runs one operation on an item through the operations layer and prints what was done.
func perform(
    _ global: any RepositoryOptions, _ number: String, proxy: (any ProxyValues)? = nil, part: PartOption? = nil,
    _ operation: (ItemReference) throws -> Operation
)
    throws
{
    let ctx = try Context(global)
    // A 分别办理 item: the part of the unit named by --unit, or of the unit --for records for.
    let ref = try ItemReference.parse(number).part(part?.unit ?? proxy?.unit)
    var on: Day? = nil
    if let text = proxy?.on {
        do { on = try Day.parse(text) } catch { throw Failure("报送日期（--on）\(error.message)") }
    }
    let repo = try ctx.open(.only([ctx.number(ref)]))
    Output.line(try ctx.run(try ctx.operations(repo), try operation(ref), on: on).summary)
}

/// The same for an action whose values are as given; with files `attaching`, the request and
/// the 佐证材料 records are committed together.
func perform(
    _ global: any RepositoryOptions, _ number: String, _ request: ItemRequest, proxy: (any ProxyValues)? = nil,
    part: PartOption? = nil,
    attaching: [String] = []
) throws {
    guard !attaching.isEmpty else {
        try perform(global, number, proxy: proxy, part: part) { .act($0, request, forUnit: proxy?.unit) }
        return
    }
    let files = try readAttachments(attaching)
    try perform(global, number, proxy: proxy) { .attach($0, files, note: "", forUnit: proxy?.unit, with: request) }
}

/// The --unit option of the office's own actions: which unit's part of a 分别办理 item.
struct PartOption: ParsableArguments {
    @Option(help: ArgumentHelp("分别办理的事项：对哪个单位的分项操作", valueName: "单位")) var unit: String?
}

/// The values of --for and --on, as plain values or as parsed.
protocol ProxyValues {
    var unit: String? { get }
    var on: String? { get }
}

/// --for and --on as plain values (a command `FastParse` reads).
struct Proxy: ProxyValues, Equatable {
    var unit: String?
    var on: String?
}

/// The --for option: the unit in whose name the office records an action (代录), and --on, the
/// day the unit reported it when the office records it later (补录).
struct ProxyOption: ParsableArguments, ProxyValues {
    @Option(name: .customLong("for"), help: ArgumentHelp("督查室代某单位录入（代录）", valueName: "单位")) var unit: String?
    @Option(
        name: .customLong("on"),
        help: ArgumentHelp("督查室补录：单位实际报送的日期（记录同时写明报送日期和补录时间）", valueName: "日期")) var on: String?

    /// The same as plain values.
    var values: Proxy { Proxy(unit: unit, on: on) }
}

struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign", abstract: "签收事项（牵头单位）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @OptionGroup var proxy: ProxyOption
    func run() throws { try perform(global, number, .action(.sign), proxy: proxy) }
}

struct Decline: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decline", abstract: "退办：事项不属本单位职责，退回督查室重新交办（牵头单位）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("退办理由", valueName: "理由")) var reason: String
    @OptionGroup var proxy: ProxyOption
    func run() throws {
        try perform(global, number, .action(.decline(reason: try TextArgument.resolve(reason))), proxy: proxy)
    }
}

struct Feedback: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "feedback", abstract: "报送办理进展（牵头或配合单位）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Argument(help: ArgumentHelp("进展情况（- 从标准输入读取）", valueName: "内容")) var text: String
    @OptionGroup var proxy: ProxyOption
    @Option(name: .customLong("attach"), help: ArgumentHelp("随附佐证材料（可多次使用）", valueName: "文件")) var attach: [String] = []

    /// The command as plain values: what runs (`FastParse` builds the same without ArgumentParser).
    var plain: any Runnable {
        FeedbackValues(global: global.values, number: number, text: text, proxy: proxy.values, attach: attach)
    }
    func validate() throws { try plain.validate() }
    func run() throws { try plain.run() }
}

/// `ducha feedback` as plain values, built by ArgumentParser (`Feedback`) or by `FastParse`.
struct FeedbackValues: Runnable {
    var global: Globals
    var number: String
    var text: String
    var proxy: Proxy
    var attach: [String] = []

    func validate() throws {}

    func run() throws {
        let request = ItemRequest.action(.feedback(text: try TextArgument.resolve(text)))
        try perform(global, number, request, proxy: proxy, attaching: attach)
    }
}

struct Extend: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extend", abstract: "申请延期（牵头单位，须在办理时限届满前）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("申请的新时限", valueName: "日期")) var to: String
    @Option(help: ArgumentHelp("延期理由", valueName: "理由")) var reason: String
    @OptionGroup var proxy: ProxyOption
    func run() throws {
        let text = try TextArgument.resolve(reason)
        try perform(global, number, proxy: proxy) { .extend($0, to: to, reason: text, forUnit: proxy.unit) }
    }
}

struct ExtensionDecision: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extension", abstract: "审批延期申请（督查室）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Flag(help: "批准") var approve = false
    @Flag(help: "不批准（须写 --reason）") var deny = false
    @Option(help: ArgumentHelp("批准的新时限（默认为申请的日期）", valueName: "日期")) var to: String?
    @Option(help: ArgumentHelp("不批准的理由", valueName: "理由")) var reason: String?
    @Option(help: ArgumentHelp("审批意见", valueName: "意见")) var note: String?
    @OptionGroup var part: PartOption

    func validate() throws {
        guard approve != deny else { throw ValidationError("须指定 --approve（批准）或 --deny（不批准）之一") }
        if deny, reason == nil { throw ValidationError("不批准延期须用 --reason 写明理由") }
    }

    func run() throws {
        if approve {
            try perform(global, number, part: part) { .approveExtension($0, to: to, note: note ?? "") }
        } else {
            try perform(global, number, .action(.denyExtension(reason: try TextArgument.resolve(reason ?? ""))), part: part)
        }
    }
}

struct Complete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete", abstract: "申请办结，报送办结报告（牵头单位）。",
        discussion: "若有待审批的延期申请，申请办结即同时撤回该延期申请，办理记录中写明。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Argument(help: ArgumentHelp("办结报告（- 从标准输入读取）", valueName: "报告")) var report: String
    @OptionGroup var proxy: ProxyOption
    @Option(name: .customLong("attach"), help: ArgumentHelp("随附佐证材料（可多次使用）", valueName: "文件")) var attach: [String] = []
    func run() throws {
        let request = ItemRequest.action(.requestCompletion(report: try TextArgument.resolve(report)))
        try perform(global, number, request, proxy: proxy, attaching: attach)
    }
}

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "审核办结申请：通过（办结销号）或退回（督查室）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Flag(help: "审核通过，办结") var approve = false
    @Option(help: ArgumentHelp("办结质量评价：优秀、良好、合格、不合格", valueName: "评价")) var grade: String?
    @Option(name: .customLong("return"), help: ArgumentHelp("退回，并写明理由", valueName: "理由")) var returnReason: String?
    @Option(help: ArgumentHelp("审核意见", valueName: "意见")) var note: String?
    @OptionGroup var part: PartOption

    func validate() throws {
        guard approve != (returnReason != nil) else { throw ValidationError("须指定 --approve（通过）或 --return 理由（退回）之一") }
        if grade != nil, !approve { throw ValidationError("--grade 只用于审核通过") }
    }

    func run() throws {
        if approve {
            var g: Grade? = nil
            if let grade {
                guard let v = Grade(label: grade) else { throw Failure("评价应为 \(Grade.labels) 之一，而不是“\(grade.sanitized())”") }
                g = v
            }
            try perform(global, number, .action(.approveCompletion(grade: g, note: note ?? "")), part: part)
        } else {
            try perform(
                global, number, .action(.returnCompletion(reason: try TextArgument.resolve(returnReason ?? ""))), part: part)
        }
    }
}

struct Remind: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remind", abstract: "催办并记录（督查室）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("方式：电话、书面、当面或会议（默认 电话）", valueName: "方式")) var method: String = "电话"
    @Option(help: ArgumentHelp("催办说明", valueName: "说明")) var note: String?
    @OptionGroup var part: PartOption

    func run() throws {
        guard let m = ReminderMethod(label: method) else {
            throw Failure("催办方式应为 \(ReminderMethod.labels) 之一，而不是“\(method.sanitized())”")
        }
        try perform(global, number, .action(.remind(method: m, note: try note.map(TextArgument.resolve) ?? "")), part: part)
    }
}

struct Comment: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "comment", abstract: "批注（领导或督查室）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Argument(help: ArgumentHelp("批注内容", valueName: "内容")) var text: String
    func run() throws { try perform(global, number, .action(.comment(text: try TextArgument.resolve(text)))) }
}

struct Commend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commend", abstract: "记录领导对事项办理的肯定性批示（督查室）。",
        discussion: "肯定性批示记入事项的办理记录，并按 ducha config score.commend 的分值为当时的牵头单位加分。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("批示领导和批示内容", valueName: "内容")) var note: String
    func run() throws { try perform(global, number, .action(.commend(note: try TextArgument.resolve(note)))) }
}

struct Withdraw: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "撤销事项（督查室）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("撤销理由", valueName: "理由")) var reason: String
    func run() throws { try perform(global, number, .action(.withdraw(reason: try TextArgument.resolve(reason)))) }
}

struct Suspend: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suspend", abstract: "暂缓办理（督查室）。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("暂缓理由", valueName: "理由")) var reason: String
    func run() throws { try perform(global, number, .action(.suspend(reason: try TextArgument.resolve(reason)))) }
}

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "恢复办理暂缓的事项（督查室）。",
        discussion: "暂缓期间不计逾期；恢复时办理时限按暂缓的工作日数顺延，原定时限仍保留可见。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("说明", valueName: "理由")) var reason: String?
    func run() throws {
        let text = try reason.map(TextArgument.resolve) ?? ""
        try perform(global, number) { .resume($0, reason: text) }
    }
}

struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen", abstract: "重新办理已办结的事项（回头看、新的批示），事项回到办理中（督查室）。",
        discussion: "原办结记录保留在办理记录中，并仍计入原交办日期所在期间的统计；重新办理从今天起计时。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("理由（如回头看、新的批示）", valueName: "理由")) var reason: String
    @Option(help: ArgumentHelp("新的办理时限：日期或 +N（N 个工作日后）；不写则按默认时限从今天起算", valueName: "日期"))
    var deadline: String?

    func run() throws {
        let text = try TextArgument.resolve(reason)
        try perform(global, number) { .reopen($0, reason: text, deadline: deadline) }
    }
}

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "撤回本人当天最后一次操作（追加一条撤回记录，原记录保留）。",
        discussion: """
            可撤回的操作：\(DuchaCore.Undo.undoableList)，须是本人当天所做、且该事项此后没有新的办理记录。
            重新交办、延期审批、退回、撤销、修改、恢复办理等不能撤回（可再次修改，或由督查室重新办理）。
            不写编号时撤回本人今天在整个台账中的最后一次操作。
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号（不写则为本人今天最后操作的事项）", valueName: "编号")) var number: String?

    func run() throws {
        if let number {
            try perform(global, number) { .undo($0) }
            return
        }
        // Without a number: the user's last action of the day anywhere in the ledger.
        let ctx = try Context(global)
        let repo = try ctx.open(.full)
        Output.line(try ctx.run(try ctx.operations(repo), .undo(nil)).summary)
    }
}

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "修改事项内容（督查室），每项修改都记入办理记录。",
        discussion: "修改办理时限须写明理由；单位申请的延期请用 ducha extension 审批。更换牵头单位请用 ducha reassign。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("事项名称", valueName: "名称")) var title: String?
    @Option(help: ArgumentHelp("批示内容", valueName: "内容")) var instruction: String?
    @Option(help: ArgumentHelp("来源", valueName: "来源")) var source: String?
    @Option(help: ArgumentHelp("批示领导", valueName: "姓名")) var leader: String?
    @Option(help: ArgumentHelp("配合单位（可多次使用；写 --co \"\" 清空）", valueName: "单位")) var co: [String] = []
    @Option(help: ArgumentHelp("第一责任人", valueName: "姓名")) var owner: String?
    @Option(help: ArgumentHelp("联系人", valueName: "姓名")) var contact: String?
    @Option(help: ArgumentHelp("联系电话", valueName: "电话")) var phone: String?
    @Option(help: ArgumentHelp("交办日期", valueName: "日期")) var assigned: String?
    @Option(help: ArgumentHelp("办理时限：日期，或 +N（从今天起第 N 个工作日）", valueName: "日期")) var deadline: String?
    @Option(help: ArgumentHelp("紧急程度", valueName: "程度")) var urgency: String?
    @Option(help: ArgumentHelp("定期反馈周期（写 无 取消）", valueName: "周期")) var cycle: String?
    @Option(help: ArgumentHelp("交办依据：会议或文件名称（写 --basis \"\" 清空）", valueName: "名称")) var basis: String?
    @Option(help: ArgumentHelp("依据的文号", valueName: "文号")) var basisNumber: String?
    @Option(help: ArgumentHelp("会议或发文日期", valueName: "日期")) var basisDate: String?
    @Option(help: ArgumentHelp("修改理由", valueName: "理由")) var reason: String?

    func run() throws {
        var input = ItemInput()
        input[.title] = title
        input[.instruction] = try instruction.map(TextArgument.resolve)
        input[.source] = source
        input[.leader] = leader
        if !co.isEmpty { input[.coUnits] = co.joined(separator: "、") }
        input[.owner] = owner
        input[.contact] = contact
        input[.phone] = phone
        input[.assignedOn] = assigned
        input[.deadline] = deadline
        input[.urgency] = urgency
        input[.cycle] = cycle
        input[.basis] = basis
        input[.basisNumber] = basisNumber
        input[.basisDate] = basisDate
        guard !input.values.isEmpty else { throw Failure("没有指定要修改的内容（如 --title、--deadline）") }
        try perform(global, number) { .edit($0, input, reason: reason ?? "") }
    }
}

struct Reassign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reassign", abstract: "重新交办：更换牵头单位（如单位退办后），事项回到待签收（督查室）。",
        discussion: """
            重新交办是一次新的交办：交办日期为今天，办理时限按 --deadline 或默认时限从今天起算，\
            第一责任人和联系人取新牵头单位登记的人员。原单位的逾期天数、退回和催办仍记在原单位名下，\
            统计和通报不算到新单位头上；办理记录两者都保留。
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("新的牵头单位", valueName: "单位")) var lead: String
    @Option(help: ArgumentHelp("配合单位，可多次使用（不写则保持原配合单位，去掉新牵头单位）", valueName: "单位")) var co: [String] = []
    @Option(help: ArgumentHelp("理由", valueName: "理由")) var reason: String
    @Option(help: ArgumentHelp("新的办理时限：日期或 +N（N 个工作日后）；不写则按默认时限从今天起算", valueName: "日期"))
    var deadline: String?

    func run() throws {
        let text = try TextArgument.resolve(reason)
        try perform(global, number) {
            .reassign($0, lead: lead, coUnits: co.isEmpty ? nil : co, reason: text, deadline: deadline)
        }
    }
}
