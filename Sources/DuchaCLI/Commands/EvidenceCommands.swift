import ArgumentParser
import DuchaCore
import DuchaOps
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads the files given as evidence, each with the user's own rights (a setuid ducha reads
/// nothing the user could not), never through a link, never from a pipe or a device, within
/// the size limit.
func readAttachments(_ paths: [String]) throws -> [AttachedFile] {
    try paths.map { typed in
        let path = Environment.absolute(typed)
        let bytes = try UserRights.perform { () throws(StoreError) in try AttachmentFiles.read(path) }
        return AttachedFile(name: typed, bytes: bytes)
    }
}

struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "上传佐证材料：把文件存入台账（牵头单位、配合单位或督查室）。",
        discussion: """
            文件按其 SHA-256 校验码保存在台账目录中，记录写明文件名、类型、大小和校验码，\
            一并纳入记录的校验链；同一文件只保存一份。单个文件不超过 20 兆字节。
            文件以您自己的权限读取，只读取、不执行；符号链接、命名管道和设备文件一律拒绝。
            反馈和申请办结时也可用 --attach 随附文件。取回文件用 ducha attachment get。
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Argument(help: ArgumentHelp("文件（可列多个）", valueName: "文件")) var files: [String]
    @Option(help: ArgumentHelp("对材料的说明", valueName: "说明")) var note: String?
    @Option(name: .customLong("for"), help: ArgumentHelp("督查室代某单位上传（代录）", valueName: "单位")) var unit: String?

    func run() throws {
        let read = try readAttachments(files)
        let text = try TextArgument.resolve(note ?? "")
        try perform(global, number) { .attach($0, read, note: text, forUnit: unit) }
    }
}

struct AttachmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment", abstract: "取回事项的佐证材料。", subcommands: [AttachmentGet.self])
}

struct AttachmentGet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "把事项的第几件佐证材料写到文件（序号见 ducha show）。",
        discussion: "写出前核对文件的 SHA-256 校验码；文件已被改动或缺失时拒绝并说明。不能写到台账目录之内；文件已存在时须加 --force 才覆盖。")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Argument(help: ArgumentHelp("佐证材料的序号（从 1 起）", valueName: "序号")) var index: Int
    @Option(help: ArgumentHelp("写到的文件（不给时写到标准输出，但不写到终端）", valueName: "文件")) var output: String?
    @Flag(help: "覆盖已存在的文件") var force = false

    func run() throws {
        let ctx = try Context(global)
        let ref = try ItemReference.parse(number)
        let repo = try ctx.openFolder(.only([ctx.number(ref)]), "导出佐证材料")
        let actor = try ctx.actor(repo)
        let item = try repo.ledger.resolve(ref, currentYear: ctx.today.year, for: actor)
        guard repo.ledger.canSee(item, actor) else {
            throw Failure("\(item.number) 不由本单位（\(actor.unit ?? "")）承办，无权查看")
        }
        let all = item.attachments
        guard !all.isEmpty else { throw Failure("\(item.number) 没有佐证材料") }
        guard index >= 1, index <= all.count else {
            throw Failure("\(item.number) 的佐证材料共 \(all.count) 件，序号应为 1 至 \(all.count)，而不是 \(index)")
        }
        let a = all[index - 1].attachment
        if output == nil, Environment.stdoutIsTerminal {
            throw Failure("佐证材料不能直接显示在终端上：请用 --output 文件 指定写到哪里")
        }
        if let output { try refuseOverwrite(Environment.absolute(output), force: force) }
        let bytes: [UInt8]
        switch Result(catching: { () throws(StoreError) in try repo.attachment(a.sha256) }) {
        case .success(let b): bytes = b
        case .failure(.badDataFile):
            throw Failure("佐证材料“\(a.name)”的文件 \(ctx.repoPath)/\(a.path) 与记录的校验码不符（已被改动或损坏），未导出；请运行 ducha check")
        case .failure(.io(_, _, ENOENT)):
            throw Failure("佐证材料“\(a.name)”的文件 \(ctx.repoPath)/\(a.path) 缺失，未导出；请运行 ducha check")
        case .failure(let e): throw e
        }
        try deliver(bytes, to: output, what: "佐证材料“\(a.name)”", outside: ctx.repoPath, force: true)
    }
}
