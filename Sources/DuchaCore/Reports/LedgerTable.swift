/// The ledger (台账) as a table: what `export ledger` writes and `import` reads, with the same
/// Chinese column names, so that exporting and importing again loses nothing.
public enum LedgerTable {
    /// One column: its name, and its cell for an item (given the item's registered fields and
    /// its status on the evaluator's day).
    struct Column: Sendable {
        let name: String
        let cell: @Sendable (Item, Registration, ItemStatus) -> String

        init(_ name: String, _ cell: @escaping @Sendable (Item, Registration, ItemStatus) -> String) {
            self.name = name
            self.cell = cell
        }

        /// A registered field, by its name, as its text.
        init(registered name: String) {
            guard let f = RegisteredField.all.first(where: { $0.label == name }) else { preconditionFailure("\(name) 不是登记字段") }
            self.init(name) { _, r, _ in f.text(of: r) }
        }
    }

    /// The columns, in order: each name once, beside its cell.
    static let table: [Column] = [
        Column("编号") { item, _, _ in item.number.description },
        Column(registered: "事项"), Column(registered: "来源"), Column(registered: "批示领导"), Column(registered: "批示内容"),
        // A 分别办理 item has no lead unit of its own: its parts' rows follow it.
        Column("牵头单位") { item, r, _ in item.isSplit ? splitLead : r.leadUnit }, Column(registered: "配合单位"),
        Column(registered: "第一责任人"), Column(registered: "联系人"),
        Column(registered: "联系电话"), Column(registered: "交办日期"), Column(registered: "办理时限"),
        Column("原定时限") { item, _, _ in item.originalDeadline == item.deadline ? "" : item.originalDeadline.description },
        Column(registered: "紧急程度"), Column(registered: "反馈周期"),
        Column(registered: "交办依据"), Column(registered: "依据文号"), Column(registered: "依据日期"),
        Column("状态") { item, _, _ in item.isSplit ? "" : item.state.label },
        // 办结日期: the day of the completion report (approved, or awaiting review) — what
        // decides 按时办结 and whether an item under review is overdue.
        Column("办结日期") { item, _, _ in
            item.state == .closed
                ? (item.completedOn ?? item.closedOn)?.description ?? ""
                : item.state == .review ? item.completionRequestedOn?.description ?? "" : ""
        },
        Column("评价") { item, _, _ in item.grade?.label ?? "" },
        Column("最新进展日期") { item, _, _ in item.latestProgress?.day.description ?? "" },
        Column("最新进展") { item, _, _ in item.latestProgress?.text ?? "" },
        Column("状态说明") { item, _, _ in item.state == .withdrawn || item.state == .suspended ? item.stateReason : "" },
        Column("亮灯") { _, _, s in s.light == .none ? "" : "\(s.light.symbol)（\(s.remainingText)）" },
        Column("提示") { _, _, s in s.marks.joined(separator: "、") },
    ]

    public static let columns = table.map(\.name)
    /// The 牵头单位 cell of a 分别办理 item (read back with its number, its parts' rows after it).
    public static let splitLead = "（分别办理）"
    /// Columns derived on the day of export (light and warning marks): written, never read back.
    public static let derived: Set<String> = ["亮灯", "提示"]
    /// Columns an imported file must have.
    public static let required = ["事项", "来源", "牵头单位", "交办日期", "办理时限"]

    /// One item as a row of `columns`, judged on the evaluator's day.
    public static func row(_ item: Item, _ evaluator: StatusEvaluator) -> [String] {
        let r = item.registration
        let s = evaluator.status(of: item)
        return table.map { $0.cell(item, r, s) }
    }

    /// CSV for Excel: UTF-8 with a byte order mark, CRLF line ends.
    public static func csv(_ items: [Item], _ evaluator: StatusEvaluator) -> String {
        var out = "\u{FEFF}" + CSVText.row(columns)
        for item in items { out += CSVText.row(row(item, evaluator)) }
        return out
    }

    /// JSON: an array of objects keyed by the same column names.
    public static func json(_ items: [Item], _ evaluator: StatusEvaluator) -> String {
        var w = JSONWriter(capacity: 1 << 16)
        w.beginArray()
        for item in items {
            w.beginObject()
            for (k, v) in zip(columns, row(item, evaluator)) { w.field(k, v) }
            w.endObject()
        }
        w.endArray()
        return w.string + "\n"
    }
}

/// Reading a ledger someone kept in Excel: every row is checked — with the same rules as
/// registering by hand — before anything is written, and every problem is reported with its row.
public enum LedgerImport {
    /// A data row: its row number as Excel shows it (the header is row 1) and its cells.
    public struct Row: Sendable {
        public var line: Int
        public var cells: [String]

        public init(line: Int, cells: [String]) {
            self.line = line
            self.cells = cells
        }
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "第\(line)行：\(message)" }

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// Everything wrong with a file.
    public struct Problems: Error, Sendable {
        public var list: [Problem]
        /// Units the rows name that the ledger does not have (typos and separators aside), in
        /// the order first met: what `unit add` or `--create-units` would fix at once.
        public var unknownUnits: [String]

        public init(list: [Problem], unknownUnits: [String] = []) {
            self.list = list
            self.unknownUnits = unknownUnits
        }
    }

    public struct Plan: Sendable {
        /// Units to create, then items to register: to be committed all at once.
        public var commands: [Command]
        public var newUnits: [String]
        public var items: Int
        public var ignoredColumns: [String]
        /// Each row as it will be registered, in file order, with how its cells were read.
        public var understood: [Understood] = []
    }

    /// A row as the import reads it: what `import --dry-run` shows.
    public struct Understood: Sendable {
        public var line: Int
        public var registration: Registration
        public var notes: [String]
    }

    /// The units a 牵头单位 cell names (none for an exported 分别办理 item's).
    static func leadUnits(_ text: String) -> [String] { text == LedgerTable.splitLead ? [] : splitUnits(text) }

    /// Separators between units in one cell: 、，,;； a space or a line break.
    public static func splitUnits(_ text: String) -> [String] {
        text.split(whereSeparator: { "、;；,，".contains($0) || $0.isWhitespace }).map { String($0) }.filter { !$0.isEmpty }
    }

    /// Characters a unit's name never holds: a cell holding them names several units.
    static let unitSeparators = "、;；,，/／|｜\\+＋&＆"

    static func separatorMessage(_ name: String) -> String {
        "“\(name.sanitized())”含有分隔符号，不像一个单位的名称：请每格一个单位，或用 、 分隔"
    }

    public static func plan(
        header: [String], rows: [Row], ledger: Ledger, actor: Actor, today: Day, calendar: WorkCalendar, createUnits: Bool,
        allowDuplicates: Bool = false, defaults: [String: String] = [:]
    ) -> Result<Plan, Problems> {
        var problems: [Problem] = []
        let names = header.map {
            $0.replacingAll("\u{FEFF}", with: "").replacingAll("*", with: "").replacingAll("＊", with: "").trimmingSpaces
        }
        var index: [String: Int] = [:]
        var ignored: [String] = []
        for (i, n) in names.enumerated() where !n.isEmpty {
            if index[n] != nil {
                problems.append(Problem(line: 1, message: "列“\(n.sanitized())”出现了两次"))
            } else if LedgerTable.derived.contains(n) {
                continue
            } else if LedgerTable.columns.contains(n) || n == LedgerSheet.remark {
                index[n] = i
            } else {
                ignored.append(n)
            }
        }
        for r in LedgerTable.required where index[r] == nil && defaults[r] == nil {
            // 来源 and 交办日期 may be given for the whole sheet instead (the CLI's --source, --assigned).
            let instead = r == "来源" ? "，或为整个表指定来源" : r == "交办日期" ? "，或为整个表指定交办日期" : ""
            problems.append(
                Problem(
                    line: 1,
                    message: "缺少“\(r)”列\(instead)（表头可用导出台账的列名：\(LedgerTable.columns.joined(separator: "、"))）"))
        }
        if !problems.isEmpty { return .failure(Problems(list: problems)) }
        func cell(_ row: Row, _ column: String) -> String? {
            guard let i = index[column], i < row.cells.count, !row.cells[i].trimmingSpaces.isEmpty else { return nil }
            return row.cells[i].trimmingSpaces
        }
        func value(_ row: Row, _ column: String) -> String {
            if let c = cell(row, column) { return c }
            // The sheet-wide basis's 文号 and date go with it, not with a basis the row names itself.
            if column == "依据文号" || column == "依据日期", cell(row, "交办依据") != nil { return "" }
            return defaults[column] ?? ""
        }
        var data = rows.filter { r in r.cells.contains { !$0.trimmingSpaces.isEmpty } }
        guard !data.isEmpty else { return .failure(Problems(list: [Problem(line: 2, message: "文件中没有事项")])) }
        // A quote left open, or closed in the middle of a cell, swallows the cells after it: the
        // row no longer lines up with the header and one of its cells holds a quote mark or a line
        // break. Said once for the row, not as the misplaced values it would otherwise report.
        data.removeAll { r in
            guard r.cells.count != header.count, r.cells.contains(where: holdsQuoteOrBreak) else { return false }
            problems.append(
                Problem(
                    line: r.line,
                    message: "读到 \(r.cells.count) 列，表头有 \(header.count) 列：引号不成对"
                        + "（含逗号、换行或引号的内容应整格用英文双引号括起，格内的双引号写两遍）"))
            return true
        }

        var scratch = ledger
        var commands: [Command] = []
        var seq = scratch.seq
        func record(_ d: Decision) throws(CoreError) {
            for c in d.changes {
                seq += 1
                try scratch.apply(Entry(seq: seq, at: Timestamp(day: today), actor: actor.login, change: c))
            }
        }
        // Units the file names that the roster lacks.
        var newUnits: [String] = []
        var unitLines: [String: Int] = [:]
        for r in data {
            // Several lead units are several units: the row is handed to each separately (分别办理).
            for u in leadUnits(value(r, "牵头单位")) + splitUnits(value(r, "配合单位"))
            where !u.isEmpty && scratch.unit(named: scratch.currentName(of: u)) == nil {
                if unitLines[u] == nil {
                    unitLines[u] = r.line
                    newUnits.append(u)
                }
            }
        }
        var refused = Set<String>()
        if createUnits {
            for u in newUnits {
                if u.contains(where: { unitSeparators.contains($0) }) {
                    problems.append(Problem(line: unitLines[u] ?? 2, message: separatorMessage(u)))
                    refused.insert(u)
                    continue
                }
                // A typo of a registered unit is questioned, never registered as a unit of its own.
                if let typo = scratch.unitTypo(u) {
                    problems.append(Problem(line: unitLines[u] ?? 2, message: typo))
                    refused.insert(u)
                    continue
                }
                let kind: UnitKind =
                    u.hasSuffix("街道") ? .subdistrict : (u.hasSuffix("镇") || u.hasSuffix("乡")) ? .township : .department
                let command = Command.addUnit(Unit(name: u, kind: kind))
                do throws(CoreError) {
                    try record(try Workflow.decide(command, by: actor, in: scratch, today: today))
                    commands.append(command)
                } catch {
                    problems.append(Problem(line: unitLines[u] ?? 2, message: error.message))
                }
            }
        }
        // Rows with their own numbers first, so that numbers allocated to the others never
        // collide with a number further down the file.
        // Numbers: unique in the file and new to the ledger, whatever else is wrong with the rows.
        var seen: [ItemNumber: Int] = [:]
        var badNumber = Set<Int>()
        for r in data {
            guard let n = ItemNumber.parseFull(value(r, "编号")) else { continue }
            if let first = seen[n] {
                problems.append(Problem(line: r.line, message: "编号 \(n) 与第\(first)行重复"))
                badNumber.insert(r.line)
            } else {
                seen[n] = r.line
                if ledger.item(n) != nil {
                    problems.append(Problem(line: r.line, message: "编号 \(n) 台账中已有"))
                    badNumber.insert(r.line)
                }
            }
        }
        let ordered = data.filter { !value($0, "编号").isEmpty } + data.filter { value($0, "编号").isEmpty }
        var count = 0
        // Items already in the ledger (or earlier in the file): same title, lead unit and day assigned.
        var present: [DuplicateKey: String] = [:]
        if !allowDuplicates {
            for i in ledger.items.indices {
                let it = ledger.items[i]
                present[DuplicateKey(it.title, it.leadUnit, it.assignedOn)] = it.number.description
            }
        }
        var understood: [Understood] = []
        var unknownUnits: [String] = []
        for r in ordered {
            // A unit refused above has been reported on its first row: not again as unknown.
            let named = leadUnits(value(r, "牵头单位")) + splitUnits(value(r, "配合单位"))
            if named.contains(where: { refused.contains($0) && unitLines[$0] == r.line }) { continue }
            if !createUnits {
                for u in named
                where scratch.unit(named: u) == nil && ledger.unitTypo(u) == nil && !unknownUnits.contains(u)
                    && !u.contains(where: { unitSeparators.contains($0) })
                {
                    unknownUnits.append(u)
                }
            }
            var notes: [String] = []
            let built = itemCommand(
                r, value: { value(r, $0) }, ledger: scratch, calendar: calendar, today: today, createUnits: createUnits,
                hasProgressDates: index["最新进展日期"] != nil, notes: &notes)
            if case .success(.importItem(_, let reg, _)) = built {
                understood.append(Understood(line: r.line, registration: reg, notes: notes))
            }
            if case .success(.registerSplit(var reg, let leads)) = built {
                // Shown with its units: each gets its own part.
                reg.leadUnit = leads.joined(separator: "、")
                understood.append(Understood(line: r.line, registration: reg, notes: notes))
            }
            guard case .success(let command) = built else {
                if case .failure(let p) = built { problems.append(contentsOf: p.list) }
                continue
            }
            if badNumber.contains(r.line) { continue }
            if !refused.isEmpty, named.contains(where: refused.contains) {
                continue  // questioned above
            }
            if !allowDuplicates, case .importItem(_, let reg, _) = command {
                let key = DuplicateKey(reg.title.trimmingSpaces, scratch.currentName(of: reg.leadUnit), reg.assignedOn)
                if let other = present[key] {
                    problems.append(
                        Problem(
                            line: r.line,
                            message: "\(other) 与本行的事项、牵头单位、交办日期相同，不重复导入（确需重复登记请加 --allow-duplicates）"))
                    continue
                }
                present[key] = "第\(r.line)行"
            }
            do throws(CoreError) {
                try record(try Workflow.decide(command, by: actor, in: scratch, today: today))
                commands.append(command)
                count += 1
            } catch {
                problems.append(Problem(line: r.line, message: error.message))
            }
        }
        if !problems.isEmpty {
            return .failure(Problems(list: problems.sorted { $0.line < $1.line }, unknownUnits: unknownUnits))
        }
        understood.sort { $0.line < $1.line }
        return .success(
            Plan(
                commands: commands, newUnits: createUnits ? newUnits.filter { !refused.contains($0) } : [], items: count,
                ignoredColumns: ignored, understood: understood))
    }

    /// What makes a row the same item as one already in the ledger.
    struct DuplicateKey: Hashable {
        var title: TextKey
        var lead: TextKey
        var assigned: Day
        init(_ title: String, _ lead: String, _ assigned: Day) {
            self.title = TextKey(title)
            self.lead = TextKey(lead)
            self.assigned = assigned
        }
    }

    static func holdsQuoteOrBreak(_ cell: String) -> Bool {
        cell.utf8.contains { $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The command for a row, or every problem the row has (each field checked on its own).
    static func itemCommand(
        _ r: Row, value: (String) -> String, ledger: Ledger, calendar: WorkCalendar, today: Day, createUnits: Bool,
        hasProgressDates: Bool, notes: inout [String]
    ) -> Result<Command, Problems> {
        var problems: [String] = []
        var assignedDay: Day? = nil
        func date(_ column: String) -> Day? {
            let text = value(column)
            guard !text.isEmpty else { return nil }
            switch LedgerDates.date(text, assigned: assignedDay) {
            case .day(let d, let understood):
                if let understood { notes.append("\(column)“\(text.sanitized())”：\(understood)，即 \(d)") }
                return d
            case .invalid(let why):
                problems.append("\(column) \(text.sanitized()) 无效：\(why)")
                return nil
            case .longTerm:
                problems.append("\(column)“\(text.sanitized())”不是日期")
                return nil
            }
        }
        func labelled<T: Labelled>(_ column: String, _ type: T.Type) -> T? {
            let text = value(column)
            guard !text.isEmpty else { return nil }
            guard let v = T(label: text) else {
                problems.append("\(column)“\(text.sanitized())”无效，应为 \(T.labels) 之一")
                return nil
            }
            return v
        }
        let settings = ledger.settings
        let title = value("事项")
        if title.isEmpty { problems.append("缺少事项名称") }
        // A unit's former name is read as the unit it now is; a 分别办理 item exported has none.
        let container = value("牵头单位") == LedgerTable.splitLead
        let leads = container ? [] : splitUnits(value("牵头单位")).map { ledger.currentName(of: $0) }
        let lead = leads.first ?? ""
        if container, value("编号").isEmpty {
            problems.append("牵头单位“\(LedgerTable.splitLead)”只用于导出台账中带编号的分别办理事项；新立项请在牵头单位中写明各单位")
        } else if leads.isEmpty, !container {
            problems.append("缺少牵头单位")
        }
        let co = splitUnits(value("配合单位")).map { ledger.currentName(of: $0) }
        if leads.count > 1 {
            // 分别办理: registered anew, one part per unit.
            notes.append("牵头单位 \(leads.joined(separator: "、"))（\(leads.count)个）：由各单位分别办理，各立一个分项")
            if !co.isEmpty {
                problems.append("牵头单位写了\(leads.count)个，由各单位分别办理，不设配合单位；请把配合单位留空，或拆成每个牵头单位一行")
            }
        }
        // Units separated otherwise than by 、 (a line break, a space, a comma): said how they were split.
        if co.count > 1, value("配合单位").contains(where: { $0.isWhitespace || "，,;；".contains($0) }) {
            notes.append("配合单位：\(co.joined(separator: "、"))（\(co.count)个）")
        }
        if !createUnits {
            for u in leads + co where ledger.unit(named: u) == nil {
                if u.contains(where: { unitSeparators.contains($0) }) {
                    problems.append(separatorMessage(u))
                    continue
                }
                problems.append(ledger.unitTypo(u) ?? "没有名为“\(u.sanitized())”的单位（可加 --create-units 自动登记）")
            }
        }
        let source = value("来源")
        if source.isEmpty {
            problems.append("缺少来源")
        } else if !settings.sources.contains(source) {
            problems.append("来源“\(source.sanitized())”不在来源列表中（\(settings.sources.joined(separator: "、"))）")
        }
        let assigned = date("交办日期")
        assignedDay = assigned
        if value("交办日期").isEmpty { problems.append("缺少交办日期（可用 --assigned 指定）") }
        let urgency = labelled("紧急程度", Urgency.self) ?? .normal
        var deadline: Day? = nil
        let deadlineText = value("办理时限")
        if !deadlineText.isEmpty {
            switch LedgerDates.deadline(deadlineText, assigned: assigned) {
            case .day(let d, let understood):
                deadline = d
                if let understood {
                    notes.append("办理时限\(understood.hasPrefix("“") ? "" : "“\(deadlineText.sanitized())”：")\(understood)")
                }
            case .longTerm:
                problems.append(
                    "办理时限“\(deadlineText.sanitized())”：长期事项没有期限，无法亮灯督办；请写明阶段时限（如 年底前、6月底前、2026-12-31）后导入")
            case .invalid(let why):
                problems.append("办理时限 \(deadlineText.sanitized()) 无效：\(why)")
            }
        }
        if let a = assigned, deadline == nil, value("办理时限").isEmpty {
            deadline = settings.limit(source: source, urgency: urgency).deadline(from: a, calendar: calendar)
            if let d = deadline { notes.append("办理时限未填：按默认时限为 \(d)") }
        }
        if let a = assigned, let d = deadline, d < a { problems.append("办理时限 \(d) 早于交办日期 \(a)") }
        var cycle: FeedbackCycle? = nil
        let cycleText = value("反馈周期")
        if !cycleText.isEmpty, cycleText != "无" {
            do throws(CoreError) { cycle = try FeedbackCycle.parse(cycleText) } catch { problems.append(error.message) }
        }
        var number: ItemNumber? = nil
        if !value("编号").isEmpty {
            number = ItemNumber.parseFull(value("编号"))
            if number == nil { problems.append("编号“\(value("编号").sanitized())”不是完整的编号（如 督〔2026〕第0003号）") }
        }
        var state = labelled("状态", ItemState.self) ?? .pending
        let grade = labelled("评价", Grade.self)
        let original = date("原定时限")
        let closed = date("办结日期")
        var progressDay = date("最新进展日期")
        let progress = value("最新进展")
        if !progress.isEmpty, progressDay == nil, value("最新进展日期").isEmpty {
            if hasProgressDates {
                problems.append("有最新进展时须写明最新进展日期")
            } else {
                // A sheet with 办理情况 and no date column: the progress is as of the import.
                progressDay = today
                notes.append("最新进展未注明日期：记为导入当天 \(today)")
            }
        }
        // No state written but progress reported (办理情况): the unit has the item in hand, as an
        // office's 台账 migrated mid-year has it — not 待签收 and late in signing.
        if value("状态").isEmpty, !progress.isEmpty {
            state = .active
            notes.append("状态未注明、已有办理情况：记为办理中")
        }
        // The basis (会议名称、文件依据, or --basis for the whole sheet), its 文号 and date.
        let basisDate = date("依据日期")
        if value("交办依据").isEmpty, !value("依据文号").isEmpty || !value("依据日期").isEmpty {
            problems.append("写了依据文号或依据日期，须同时写明交办依据（会议或文件名称）")
        }
        guard problems.isEmpty, let assigned, let deadline else {
            return .failure(Problems(list: problems.map { Problem(line: r.line, message: $0) }))
        }
        let registration = Registration(
            title: title, instruction: value("批示内容"), source: source, leader: value("批示领导"), leadUnit: lead, coUnits: co,
            owner: value("第一责任人"), contact: value("联系人"), phone: value("联系电话"), assignedOn: assigned, deadline: deadline,
            urgency: urgency, feedbackCycle: cycle, basis: value("交办依据"), basisNumber: value("依据文号"), basisDate: basisDate)
        // 备注 has no field of its own: kept in the import record's 说明, which the item's
        // history shows.
        var kept = [value("状态说明")]
        if !value(LedgerSheet.remark).isEmpty {
            kept.append("备注：\(value(LedgerSheet.remark))")
            notes.append("备注“\(value(LedgerSheet.remark).sanitized())”记入导入记录的说明")
        }
        let note = kept.filter { !$0.isEmpty }.joined(separator: "；")
        let imported = ImportedState(
            state: state, originalDeadline: original == deadline ? nil : original, closedOn: closed, grade: grade,
            progressDay: progressDay,
            progress: progress, note: note)
        let trivial =
            state == .pending && original == nil && closed == nil && grade == nil && progress.isEmpty && note.isEmpty
        if container {
            // Its state is its parts': only its registration comes back.
            notes.append("分别办理的事项：各单位的分项在其后各行")
            return .success(.importItem(number: number, registration, nil))
        }
        if leads.count > 1 {
            guard number == nil, trivial else {
                return .failure(
                    Problems(list: [
                        Problem(
                            line: r.line,
                            message: "牵头单位写了\(leads.count)个（\(leads.joined(separator: "、").sanitized())），作为分别办理的事项新立项："
                                + "不能带编号、状态、办结日期、最新进展或说明；请删去这些内容，导入后由各单位分别反馈")
                    ]))
            }
            return .success(.registerSplit(registration, leads: leads))
        }
        return .success(.importItem(number: number, registration, trivial ? nil : imported))
    }
}
