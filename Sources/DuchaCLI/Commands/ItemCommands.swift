import ArgumentParser
import DuchaCore
import DuchaOps
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// Free text from an argument, or from standard input when the argument is "-".
enum TextArgument {
    static func resolve(_ text: String) throws -> String {
        guard text == "-" else { return text }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(0, &buf, buf.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure("读取标准输入失败")
            }
            if n == 0 { break }
            bytes.append(contentsOf: buf[0..<n])
            if bytes.count > 4 << 20 { throw Failure("标准输入的文字过长") }
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw Failure("标准输入不是有效的 UTF-8 文本") }
        return s.trimmingSpaces
    }
}

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "立项交办一件督查事项，输出新编号。",
        discussion: """
            办理时限可写日期（2026-12-31、2026.12.31、2026年12月31日、12月31日），也可写 +N 表示交办日期后第 N 个工作日，\
            或写 年底前、6月底前、上半年、三季度（按交办日期所在年）。
            分别办理：写两个以上 --lead，事项交各单位分别办理，各自签收、反馈、办结；\
            督查室对某单位的分项操作时加 --for 单位（审核、催办、审批延期用 --unit 单位）。
            任务分解：--parent 写上级事项的编号，登记为它的子项（编号如 督〔2026〕第0003号之1），\
            有自己的牵头单位和时限（不晚于上级事项的时限）；来源、批示领导和交办依据不写时沿用上级事项的。
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("事项名称", valueName: "名称")) var title: String
    @Option(help: ArgumentHelp("牵头单位；写两个以上（可多次使用）则由各单位分别办理", valueName: "单位")) var lead: [String] = []
    @Option(help: ArgumentHelp("办理时限：日期或 +N（工作日）；不写则按来源和紧急程度的默认时限（ducha config 可查）", valueName: "日期")) var deadline: String?
    @Option(help: ArgumentHelp("配合单位，可多次使用", valueName: "单位")) var co: [String] = []
    @Option(help: ArgumentHelp("来源（默认为来源列表的第一项，即 领导批示）", valueName: "来源")) var source: String?
    @Option(help: ArgumentHelp("批示领导", valueName: "姓名")) var leader: String?
    @Option(help: ArgumentHelp("紧急程度：特急、急或一般（默认 一般）", valueName: "程度")) var urgency: String?
    @Option(help: ArgumentHelp("批示内容（- 从标准输入读取）", valueName: "内容")) var instruction: String?
    @Option(help: ArgumentHelp("交办日期（默认今天）", valueName: "日期")) var assigned: String?
    @Option(help: ArgumentHelp("第一责任人（默认取单位登记的）", valueName: "姓名")) var owner: String?
    @Option(help: ArgumentHelp("联系人（默认取单位登记的）", valueName: "姓名")) var contact: String?
    @Option(help: ArgumentHelp("联系电话", valueName: "电话")) var phone: String?
    @Option(help: ArgumentHelp("定期反馈：每周五、每月25日、每月末、每季度末", valueName: "周期")) var cycle: String?
    @Option(help: ArgumentHelp("交办依据：事项出自的会议或文件名称，如“县政府第12次常务会议”", valueName: "名称")) var basis: String?
    @Option(help: ArgumentHelp("依据的文号，如“〔2026〕12号”（须同时写 --basis）", valueName: "文号")) var basisNumber: String?
    @Option(help: ArgumentHelp("会议或发文日期（须同时写 --basis）", valueName: "日期")) var basisDate: String?
    @Option(help: ArgumentHelp("任务分解：登记为该事项的子项（阶段节点、分项任务）", valueName: "编号")) var parent: String?

    /// The command as plain values: what runs (`FastParse` builds the same without ArgumentParser).
    var plain: any Runnable {
        AddValues(
            global: global.values, title: title, lead: lead, deadline: deadline, co: co, source: source, leader: leader,
            urgency: urgency, instruction: instruction, assigned: assigned, owner: owner, contact: contact, phone: phone,
            cycle: cycle, basis: basis, basisNumber: basisNumber, basisDate: basisDate, parent: parent)
    }
    func validate() throws { try plain.validate() }
    func run() throws { try plain.run() }
}

/// `ducha add` as plain values, built by ArgumentParser (`Add`) or by `FastParse`.
struct AddValues: Runnable {
    var global: Globals
    var title: String
    var lead: [String] = []
    var deadline: String?
    var co: [String] = []
    var source: String?
    var leader: String?
    var urgency: String?
    var instruction: String?
    var assigned: String?
    var owner: String?
    var contact: String?
    var phone: String?
    var cycle: String?
    var basis: String?
    var basisNumber: String?
    var basisDate: String?
    var parent: String?

    func validate() throws {
        guard !lead.isEmpty else { throw ValidationError("缺少选项 --lead：请写明牵头单位") }
    }

    func run() throws {
        // An empty --lead is refused as empty, not read as part of a list of units.
        if lead.contains(where: { $0.trimmingSpaces.isEmpty }) {
            throw Failure("牵头单位有误：不能为空（--lead 须写单位名称）")
        }
        let ctx = try Context(global)
        var input = ItemInput(lead: lead.joined(by: "、"), parent: try parent.map(ItemReference.parse))
        input[.basis] = basis
        input[.basisNumber] = basisNumber
        input[.basisDate] = basisDate
        input[.title] = title
        input[.deadline] = deadline
        input[.coUnits] = co.joined(by: "、")
        input[.source] = source
        input[.leader] = leader
        input[.urgency] = urgency
        input[.instruction] = try instruction.map(TextArgument.resolve)
        input[.assignedOn] = assigned
        input[.owner] = owner
        input[.contact] = contact
        input[.phone] = phone
        input[.cycle] = cycle
        // A child is numbered among its parent's children: read the parent with them.
        let repo = try ctx.open(.only(input.parent.map { [ctx.number($0)] } ?? []))
        let outcome = try ctx.run(try ctx.operations(repo), .register(input))
        // The item registered: the first record (a 分别办理 item's parts follow it).
        if let n = outcome.entries.first?.item ?? outcome.item { Output.line(n.description) }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "列出台账中的事项（逾期在前）。")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "只列逾期事项") var overdue = false
    @Flag(help: "只列临期事项") var dueSoon = false
    @Flag(help: "只列在办事项") var open = false
    @Flag(help: "只列已办结事项") var closed = false
    @Option(help: ArgumentHelp("牵头或配合的单位", valueName: "单位")) var unit: String?
    @Option(help: ArgumentHelp("来源", valueName: "来源")) var source: String?
    @Option(help: ArgumentHelp("状态：待签收、办理中、待审核、已办结、已撤销、暂缓", valueName: "状态")) var state: String?
    @Option(help: ArgumentHelp("在编号、事项、单位、领导、批示内容中查找", valueName: "词")) var search: String?
    @Option(help: ArgumentHelp("交办依据：会议或文件的名称、文号，或其中的一部分", valueName: "依据")) var basis: String?
    @Option(help: ArgumentHelp("只列有此提示的事项：签收超时 或 反馈逾期", valueName: "提示")) var mark: String?
    @Option(help: ArgumentHelp("排序：紧迫（默认）、时限、编号、单位", valueName: "方式")) var sort: String?
    @Option(help: ArgumentHelp("输出格式：table 或 json", valueName: "格式")) var format: String = "table"

    /// The command as plain values: what runs (`FastParse` builds the same without ArgumentParser).
    var plain: any Runnable {
        ListValues(
            global: global.values, overdue: overdue, dueSoon: dueSoon, open: open, closed: closed, unit: unit, source: source,
            state: state, search: search, basis: basis, mark: mark, sort: sort, format: format)
    }
    func validate() throws { try plain.validate() }
    func run() throws { try plain.run() }
}

/// `ducha list` as plain values, built by ArgumentParser (`List`) or by `FastParse`.
struct ListValues: Runnable {
    var global: Globals
    var overdue: Bool = false
    var dueSoon: Bool = false
    var open: Bool = false
    var closed: Bool = false
    var unit: String?
    var source: String?
    var state: String?
    var search: String?
    var basis: String?
    var mark: String?
    var sort: String?
    var format: String = "table"

    func validate() throws {
        if [overdue, dueSoon, open, closed].filter({ $0 }).count > 1 {
            throw ValidationError("--overdue、--due-soon、--open、--closed 只能选一个")
        }
    }

    func run() throws {
        let ctx = try Context(global)
        guard ["table", "json"].contains(format) else { throw Failure("输出格式应为 table 或 json，而不是“\(format.sanitized())”") }
        // A database answers the list itself: only the rows listed are read. The files are read
        // for the open items alone when only open items can be listed.
        let repo = try ctx.open(ctx.database != nil ? .queries : overdue || dueSoon || open ? .openItems : .summary)
        let calendar = try ctx.calendar(repo)
        let actor = try ctx.actor(repo)
        var q = ItemQuery()
        q.scope = overdue ? .overdue : dueSoon ? .dueSoon : open ? .open : closed ? .closed : .all
        if let unit {
            // A unit's former name finds it under its current one.
            let current = repo.ledger.currentName(of: unit)
            guard repo.ledger.unit(named: current) != nil else { throw CoreError.unknownUnit(unit) }
            q.unit = current
        }
        if let source {
            guard repo.ledger.settings.sources.contains(source) else {
                throw Failure("来源“\(source.sanitized())”不在来源列表中；可选：\(repo.ledger.settings.sources.joined(separator: "、"))")
            }
            q.source = source
        }
        if let state {
            guard let s = ItemState(label: state) else { throw Failure("状态应为 \(ItemState.labels) 之一，而不是“\(state.sanitized())”") }
            q.state = s
        }
        if let search { q.search = search }
        if let basis {
            guard !basis.trimmingSpaces.isEmpty else { throw Failure("--basis 不能为空") }
            q.basis = basis
        }
        if let mark {
            guard let m = ItemQuery.Mark.allCases.first(where: { $0.label == mark || $0.rawValue == mark }) else {
                throw Failure("提示应为 签收超时 或 反馈逾期，而不是“\(mark.sanitized())”")
            }
            q.mark = m
        }
        if let sort {
            let orders: [String: ItemQuery.Order] = [
                "紧迫": .urgency, "urgency": .urgency, "时限": .deadline, "deadline": .deadline, "编号": .number, "number": .number,
                "单位": .unit, "unit": .unit,
            ]
            guard let o = orders[sort] else { throw Failure("排序方式应为 紧迫、时限、编号 或 单位，而不是“\(sort.sanitized())”") }
            q.order = o
        }
        let evaluator = ctx.evaluator(repo, calendar: calendar)
        let items: [Item]
        let indexed: [(index: Int, status: ItemStatus)]
        let ledger: Ledger
        if ctx.database != nil, let queries = repo as? ItemQueries {
            try ctx.warnAboutCalendar(calendar, repo, actor)
            let page = try queries.all(q, for: actor, evaluator)
            (items, ledger) = (page.items, page.ledger)
            indexed = page.statuses.enumerated().map { ($0.offset, $0.element) }
        } else {
            items = repo.ledger.visibleItems(to: actor)
            ctx.warnAboutCalendar(calendar, items: items)
            indexed = q.run(indicesOf: items, evaluator, in: repo.ledger)
            ledger = repo.ledger
        }
        let rows = indexed.map(\.status)
        if format == "json" {
            var w = JSONWriter(capacity: 1 << 16)
            w.beginArray()
            for r in indexed { ItemJSON.write(items[r.index], r.status, ledger: ledger, history: false, into: &w) }
            w.endArray()
            Output.line(w.string)
            return
        }
        if rows.isEmpty {
            Output.line(q.isFiltered ? "没有符合条件的事项。" : "台账中还没有事项；用 ducha add 立项交办。")
            return
        }
        var table = TextTable(
            columns: [
                .init("灯"), .init("编号"), .init("事项", weight: 1, minWidth: 10, maxWidth: 40), .init("牵头单位", maxWidth: 14),
                .init("时限"), .init("剩余/逾期"), .init("状态"),
            ], gap: 2)
        // Items read in place, by position (an item taken whole is copied).
        items.withUnsafeBufferPointer { p in
            for r in indexed {
                let item = p.baseAddress! + r.index
                var state = ledger.shownState(item.pointee).label
                if r.status.signOverdue { state += "·签收超时" }
                if r.status.feedbackOverdue { state += "·反馈逾期" }
                if item.pointee.pendingDecline != nil { state += "·已退办" }
                if item.pointee.pendingExtension != nil { state += "·延期待批" }
                // A unit's part of a 分别办理 item: the parent's number, and the unit beside it.
                let split = item.pointee.isSplit
                table.append([
                    r.status.light.symbol, (item.pointee.isPart ? item.pointee.number.family : item.pointee.number).description,
                    item.pointee.title.truncated(toWidth: 40), split ? "分别办理" : item.pointee.leadUnit.truncated(toWidth: 14),
                    item.pointee.deadline.description, split ? "" : r.status.remainingText, state,
                ])
            }
        }
        // One write of the whole table rather than a line at a time.
        var lines = TextLines()
        table.write(widths: table.widths(fitting: Environment.terminalWidth()), rows: table.rows[...], into: &lines)
        Output.write(lines.inertBytes, to: 1)
        // A 分别办理 item listed with its parts counts once (`ItemQuery.counts`).
        let c =
            if ctx.database != nil, let queries = repo as? ItemQueries {
                try queries.counts(q, for: actor, evaluator)
            } else {
                items.withUnsafeBufferPointer { p in
                    ItemQuery.counts(indexed.map { (p[$0.index].number, p[$0.index].isPart, $0.status.light) })
                }
            }
        Output.line("共\(c.items)件（逾期\(c.overdue)件，临期\(c.dueSoon)件）")
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "显示一件事项的全部内容和办理记录。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("事项编号", valueName: "编号")) var number: String
    @Option(help: ArgumentHelp("输出格式：text（默认）或 json", valueName: "格式")) var format: String = "text"

    func run() throws {
        let ctx = try Context(global)
        guard ["text", "json"].contains(format) else { throw Failure("输出格式应为 text 或 json，而不是“\(format.sanitized())”") }
        let ref = try ItemReference.parse(number)
        let repo = try ctx.open(.only([ctx.number(ref)]))
        let calendar = try ctx.calendar(repo)
        let actor = try ctx.actor(repo)
        let item = try repo.ledger.resolve(ref, currentYear: ctx.today.year, for: actor)
        guard repo.ledger.canSee(item, actor) else {
            throw Failure("\(item.number) 不由本单位（\(actor.unit ?? "")）承办，无权查看")
        }
        let status = ctx.evaluator(repo, calendar: calendar).status(of: item)
        if format == "json" {
            var w = JSONWriter(capacity: 4096)
            ItemJSON.write(item, status, ledger: repo.ledger, history: true, into: &w)
            Output.line(w.string)
            return
        }
        ctx.warnAboutCalendar(calendar, items: [item])
        let evaluator = ctx.evaluator(repo, calendar: calendar)
        for line in ItemDetailText.lines(
            item, status: status, ledger: repo.ledger, width: Environment.terminalWidth() ?? 100,
            statusOf: { evaluator.status(of: $0) })
        {
            Output.line(line)
        }
    }
}
