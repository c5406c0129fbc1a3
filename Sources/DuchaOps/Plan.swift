import DuchaCore

/// How what a person typed becomes the core's commands: the one place that reads typed dates
/// (a date, +N working days, empty for the default limit), feedback cycles, urgency and unit
/// lists for both front ends. Pure: the ledger, calendar and today are given.
public enum Plan {
    /// The commands `operation` asks for, in order (an edit that changes the lead unit is a
    /// reassignment and then an edit of the other fields). An edit that changes nothing is refused.
    public static func commands(
        _ operation: Operation, ledger: Ledger, calendar: WorkCalendar, today: Day, actor: Actor? = nil
    ) throws(CoreError) -> [Command] {
        switch operation {
        case .register(let input):
            return [try register(input, ledger: ledger, calendar: calendar, today: today)]
        case .registerAll(let inputs):
            guard !inputs.isEmpty else { throw .invalidField("立项", "没有要立项的事项") }
            // Each checked as registering it alone would be, so that a refusal names its item;
            // the store judges them again, in order, when it records them together.
            return try inputs.enumerated().map { (i, input) throws(CoreError) -> Command in
                do throws(CoreError) {
                    let command = try register(input, ledger: ledger, calendar: calendar, today: today)
                    switch command {
                    case .registerSplit(let r, let leads):
                        _ = try Workflow.validateSplit(r, leads: leads, ledger: ledger, today: today)
                    case .register(let r), .registerChild(_, let r): _ = try Workflow.validate(r, ledger: ledger, today: today)
                    default: break
                    }
                    return command
                } catch {
                    let title = (input[.title] ?? "").trimmingSpaces
                    let named = title.isEmpty ? "" : "（\(title.truncated(toWidth: 30).sanitized())）"
                    throw .notAllowedNow("第\(i + 1)件\(named)：\(error.message)；\(inputs.count)件事项均未立项")
                }
            }
        case .act(let ref, let request, let unit):
            return [.act(ref, request, forUnit: unit)]
        case .extend(let ref, let to, let reason, let unit):
            return [.act(ref, .action(.requestExtension(to: try day(to, "新的时限"), reason: reason)), forUnit: unit)]
        case .approveExtension(let ref, let to, let note):
            let day = try to.flatMap { t throws(CoreError) in t.trimmingSpaces.isEmpty ? nil : try Plan.day(t, "批准的时限") }
            return [.act(ref, .approveExtension(to: day, note: note))]
        case .edit(let ref, let input, let reason):
            let item = try ledger.resolve(ref, currentYear: today.year)
            return try edit(ref, item, input, reason: reason, calendar: calendar, today: today)
        case .reassign(let ref, let lead, let co, let reason, let deadline):
            let due = try typedDeadline(deadline, from: today, calendar: calendar)
            return [
                .act(
                    ref, .reassign(lead: lead, coUnits: co.map(units), reason: reason, deadline: due, calendar: calendar))
            ]
        case .reopen(let ref, let reason, let deadline):
            let due = try typedDeadline(deadline, from: today, calendar: calendar)
            return [.act(ref, .reopen(reason: reason, deadline: due, calendar: calendar))]
        case .resume(let ref, let reason):
            return [.act(ref, .resume(reason: reason, calendar: calendar))]
        case .undo(let ref?):
            return [.act(ref, .undo)]
        case .editUnit(let name, let edit):
            return [.editUnit(name: name, edit)]
        case .retireUnit(let name):
            return [.retireUnit(name: name)]
        case .addUnit(let unit): return [.addUnit(unit)]
        case .addUser(let user): return [.addUser(user)]
        case .removeUser(let login): return [.removeUser(login: login)]
        case .setting(let key, let value): return [.setting(key: key, value: value)]
        case .addCalendar(let table, let sha256): return [.addCalendar(table, sha256: sha256)]
        case .attach(let ref, let files, let note, let unit, let request):
            return try attachments(ref, files, note: note, forUnit: unit, with: request)
        case .importRows(let commands):
            if let actor { try Workflow.check(.importLedger, by: actor) }
            return commands
        case .undo(nil):
            guard let actor else { throw .inconsistent("撤回：不知道操作人") }
            guard let last = Workflow.lastEntry(by: actor, in: ledger, on: today) else {
                throw .notAllowedNow("今天没有您的操作可撤回")
            }
            guard let n = last.item else { throw .notAllowedNow("您今天最后一次操作（\(HistoryText.what(last))）不能撤回") }
            return [.act(try ItemReference.parse(n.description), .undo)]
        }
    }

    /// The command registering what was typed: an item, a child of the item named (任务分解),
    /// or, with several lead units, an item each of them handles separately (分别办理).
    static func register(_ input: ItemInput, ledger: Ledger, calendar: WorkCalendar, today: Day) throws(CoreError) -> Command {
        let r = try registration(input, ledger: ledger, calendar: calendar, today: today)
        let leads = units(input.lead ?? "")
        if leads.count > 1 {
            guard input.parent == nil else { throw .invalidField("牵头单位", "分解的子项只能有一个牵头单位") }
            // Said while the form is still open (the interface), as the workflow will.
            try Workflow.checkSplitLeads(leads)
            return .registerSplit(r, leads: leads)
        }
        if let parent = input.parent { return .registerChild(of: parent, r) }
        return .register(r)
    }

    /// A registration from typed fields; missing ones take the defaults an office expects (the
    /// first source, 一般, today's 交办日期, the lead unit's people, the default limit).
    static func registration(
        _ input: ItemInput, ledger: Ledger, calendar: WorkCalendar, today: Day
    ) throws(CoreError)
        -> Registration
    {
        var input = input
        if let ref = input.parent {
            // A child takes what it does not say from its parent: its source, leader and basis.
            let parent = try ledger.resolve(ref, currentYear: today.year)
            for f in [ItemField.source, .leader, .basis, .basisNumber, .basisDate]
            where (input[f] ?? "").trimmingSpaces.isEmpty {
                input[f] = parent.value(of: f)
            }
        }
        func text(_ f: ItemField) -> String { input[f] ?? "" }
        let assigned =
            try input[.assignedOn].flatMap { t throws(CoreError) in t.trimmingSpaces.isEmpty ? nil : try day(t, "交办日期") }
            ?? today
        let source = input[.source].map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 } ?? ledger.settings.sources.first ?? ""
        let urgency = try urgency(input[.urgency])
        let due =
            try typedDeadline(input[.deadline], from: assigned, calendar: calendar)
            ?? ledger.settings.limit(source: source, urgency: urgency).deadline(from: assigned, calendar: calendar)
        return Registration(
            title: text(.title), instruction: text(.instruction), source: source, leader: text(.leader),
            leadUnit: input.lead ?? "", coUnits: units(input[.coUnits] ?? ""), owner: text(.owner), contact: text(.contact),
            phone: text(.phone), assignedOn: assigned, deadline: due, urgency: urgency, feedbackCycle: try cycle(input[.cycle]),
            basis: text(.basis), basisNumber: text(.basisNumber),
            basisDate: try input[.basisDate].flatMap { t throws(CoreError) in t.trimmingSpaces.isEmpty ? nil : try day(t, "依据日期")
            })
    }

    /// An edit: the typed fields that differ from the item, dates read as typed (+N counts from
    /// today); a new lead unit first reassigns the item.
    static func edit(
        _ ref: ItemReference, _ item: Item, _ input: ItemInput, reason: String, calendar: WorkCalendar, today: Day
    ) throws(CoreError) -> [Command] {
        var values = input.values
        if let d = values[.deadline], !d.trimmingSpaces.isEmpty {
            // +N: N working days from today, as in add, reassign and reopen.
            values[.deadline] = try calendar.deadline(d, from: today).description
        }
        if let c = values[.coUnits] {
            // The same units in another order are no change (a picker lists them in its own order).
            values[.coUnits] = Set(units(c)) == Set(item.coUnits) ? nil : units(c).joined(separator: "、")
        }
        if let c = values[.cycle] { values[.cycle] = try cycle(c)?.description ?? "" }
        if let d = values[.basisDate], !d.trimmingSpaces.isEmpty { values[.basisDate] = try day(d, "依据日期").description }
        var commands: [Command] = []
        if let lead = input.lead?.trimmingSpaces, lead != item.leadUnit {
            guard !reason.trimmingSpaces.isEmpty else { throw .invalidField("修改理由", "更换牵头单位须写明理由") }
            // A new assignment as of today: the deadline typed, if it was changed, or the default.
            let typed = values[.deadline].flatMap { $0 == item.deadline.description ? nil : Day.parseStored($0) }
            let co = values[.coUnits].map { units($0).filter { $0 != lead } }
            commands.append(
                .act(
                    ref,
                    .reassign(
                        lead: lead, coUnits: co ?? item.coUnits.filter { $0 != lead }, reason: reason, deadline: typed,
                        calendar: calendar)))
            values[.coUnits] = nil
            values[.deadline] = nil
        }
        // Only what differs from the item: a form sends every field it shows.
        let changed = ItemField.allCases.compactMap { f -> FieldValue? in
            guard let v = values[f], v != item.value(of: f) else { return nil }
            return FieldValue(f, v)
        }
        if !changed.isEmpty { commands.append(.act(ref, .edit(changed, reason: reason))) }
        guard !commands.isEmpty else { throw .invalidField("修改", "没有与现有内容不同的修改") }
        return commands
    }

    /// A deadline as typed: nil when empty (the caller's default), a date, or +N working days
    /// after `from`.
    public static func typedDeadline(_ text: String?, from: Day, calendar: WorkCalendar) throws(CoreError) -> Day? {
        guard let t = text?.trimmingSpaces, !t.isEmpty else { return nil }
        return try calendar.deadline(t, from: from)
    }

    /// A day as typed (`what` names it for the reader of the code; Day.parse's message names the date).
    static func day(_ text: String, _ what: String) throws(CoreError) -> Day { try Day.parse(text) }

    static func urgency(_ text: String?) throws(CoreError) -> Urgency {
        guard let t = text?.trimmingSpaces, !t.isEmpty else { return .normal }
        guard let u = Urgency(label: t) else {
            throw .invalidField("紧急程度", "应为 \(Urgency.labels) 之一，而不是“\(t.sanitized())”")
        }
        return u
    }

    static func cycle(_ text: String?) throws(CoreError) -> FeedbackCycle? {
        guard let t = text?.trimmingSpaces, !t.isEmpty, t != "无", t != "-" else { return nil }
        return try FeedbackCycle.parse(t)
    }

    /// Units typed in one field or several (、，,;； separated).
    static func units(_ text: String) -> [String] { Item.splitUnits(text) }
    static func units(_ list: [String]) -> [String] { list.flatMap(Item.splitUnits) }
}
