/// The one place where a request is judged: who may do what (role and unit), in which state
/// (`Transition`), and with which values. The CLI and the interface both come through here.
public enum Workflow {
    public static func decide(
        _ command: Command, by actor: Actor, in ledger: Ledger, today: Day
    ) throws(CoreError)
        -> Decision
    {
        switch command {
        case .setting(let key, let value):
            try requireOffice(actor, "修改设置")
            var s = ledger.settings
            try s.set(key, to: value)
            return Decision(changes: [.setting(key: Settings.canonicalKey(key), value: value.trimmingSpaces)])

        case .addUnit(var unit):
            try requireOffice(actor, "登记单位")
            unit.name = unit.name.trimmingSpaces
            try Validate.name(unit.name, field: "单位名称")
            try checkUnitName(unit.name)
            try Validate.optionalName(unit.owner, field: "第一责任人")
            try Validate.optionalName(unit.contact, field: "联系人")
            try Validate.phone(unit.phone)
            guard ledger.unit(named: unit.name) == nil else { throw .duplicate("单位", unit.name) }
            try checkFormerName(unit.name, ledger)
            unit.retired = false
            return Decision(changes: [.addUnit(unit)])

        case .editUnit(let name, let edit):
            try requireOffice(actor, "修改单位")
            guard let unit = ledger.unit(named: name) else { throw unknownUnit(name, ledger) }
            var changes: [UnitFieldChange] = []
            func change(_ field: UnitField, _ new: String?) {
                guard let new, new != unit.value(field) else { return }
                changes.append(UnitFieldChange(field: field, old: unit.value(field), new: new))
            }
            let newName = edit.name?.trimmingSpaces
            if let newName, newName != name {
                try Validate.name(newName, field: "单位名称")
                try checkUnitName(newName)
                guard ledger.unit(named: newName) == nil else { throw .duplicate("单位", newName) }
                try checkFormerName(newName, ledger)
            }
            let owner = edit.owner?.trimmingSpaces
            let contact = edit.contact?.trimmingSpaces
            let phone = edit.phone?.trimmingSpaces
            if let owner { try Validate.optionalName(owner, field: "第一责任人") }
            if let contact { try Validate.optionalName(contact, field: "联系人") }
            if let phone { try Validate.phone(phone) }
            change(.name, newName)
            change(.kind, edit.kind?.rawValue)
            change(.owner, owner)
            change(.contact, contact)
            change(.phone, phone)
            guard !changes.isEmpty else { throw .invalidField("单位", "没有要修改的内容（与现有的相同）") }
            return Decision(changes: [.editUnit(name: name, changes: changes)])

        case .retireUnit(let name):
            try requireOffice(actor, "停用单位")
            guard let unit = ledger.unit(named: name) else { throw unknownUnit(name, ledger) }
            guard !unit.retired else { throw .notAllowedNow("单位“\(name.sanitized())”此前已停用") }
            return Decision(changes: [.retireUnit(name: name)])

        case .importLedger(let records, let sha256):
            try requireOffice(actor, "导入整个台账")
            return Decision(changes: [.importLedger(records: records, sha256: sha256)])

        case .addUser(var user):
            try requireOffice(actor, "登记用户")
            try Validate.login(user.login)
            try Validate.optionalName(user.name, field: "姓名")
            guard ledger.user(login: user.login) == nil else { throw .duplicate("用户", user.login) }
            if let uid = user.uid, let other = ledger.user(uid: uid) {
                throw .invalidField("用户", "系统账户 uid \(uid) 已作为 \(other.login.sanitized()) 登记")
            }
            switch user.role {
            case .unit:
                guard let u = user.unit, !u.isEmpty else {
                    throw .invalidField("所属单位", "承办单位用户必须指定所属单位")
                }
                _ = try assignable(u, ledger)
            case .supervisor, .leader:
                guard user.unit == nil || user.unit == "" else {
                    throw .invalidField("所属单位", "只有承办单位用户才有所属单位")
                }
                user.unit = nil
            }
            var changes: [Change] = []
            // The first user registered switches identity checks on; make sure the clerk who
            // does it keeps the office's rights instead of locking themselves out.
            if ledger.users.isEmpty, user.login != actor.login {
                changes.append(.addUser(User(login: actor.login, role: .supervisor, uid: actor.uid)))
            }
            changes.append(.addUser(user))
            return Decision(changes: changes)

        case .removeUser(let login):
            try requireOffice(actor, "删除用户")
            guard let u = ledger.user(login: login) else { throw .invalidField("用户", "名册中没有 \(login.sanitized())") }
            // Once there is a roster there is always an office in it: an empty roster would make
            // whoever runs ducha the office.
            if u.role == .supervisor, ledger.users.filter({ $0.role == .supervisor }).count == 1 {
                throw .notAllowedNow("不能删除 \(login)：这是名册中唯一的督查室用户")
            }
            return Decision(changes: [.removeUser(login: login)])

        case .register(let r):
            try requireOffice(actor, "立项交办")
            let checked = try validate(r, ledger: ledger, today: today)
            let number = ledger.nextNumber(year: today.year)
            return Decision(changes: [.item(number, .register(checked))])

        case .registerChild(let ref, let r):
            let parent = try ledger.resolve(ref, currentYear: today.year)
            try checkBreakDown(parent, by: actor)
            let checked = try validate(r, ledger: ledger, today: today)
            try checkChild(checked, of: parent)
            let number = parent.number.child(ledger.children(of: parent.number).count + 1)
            return Decision(changes: [.item(number, .register(checked))])

        case .registerSplit(let r, let leads):
            try requireOffice(actor, "立项交办")
            let (container, parts) = try validateSplit(r, leads: leads, ledger: ledger, today: today)
            let number = ledger.nextNumber(year: today.year)
            return Decision(
                changes: [.item(number, .register(container))]
                    + parts.enumerated().map { .item(number.child($0.offset + 1), .register($0.element)) })

        case .importItem(let number, let r, let state):
            try requireOffice(actor, "导入事项")
            // A 分别办理 item of an exported ledger comes back with its number, its parts after it.
            let split = r.leadUnit.isEmpty && number.map { !$0.isChild } ?? false
            if split, state != nil { throw .invalidField("状态", "分别办理的事项的状态由各单位的分项决定，不能导入") }
            let checked = try validate(r, ledger: ledger, today: today, split: split)
            let n: ItemNumber
            if let number {
                guard ledger.item(number) == nil else { throw .duplicate("编号", number.description) }
                if number.isChild {
                    // A child comes after its parent and its elder siblings, within the parent's deadline.
                    guard let parent = ledger.item(number.family) else {
                        throw .invalidField("编号", "\(number) 是子项，其上级事项 \(number.family) 不在台账中（请先导入上级事项）")
                    }
                    guard number.sub == ledger.children(of: parent.number).count + 1 else {
                        throw .invalidField("编号", "\(number) 之前的子项不在台账中（子项须按 之1、之2…… 的顺序导入）")
                    }
                    if !parent.isSplit {
                        try checkBreakDown(parent, by: actor, whileOpen: false)
                        try checkChild(checked, of: parent)
                    }
                }
                n = number
            } else {
                n = ledger.nextNumber(year: r.assignedOn.year)
            }
            var changes: [Change] = [.item(n, .register(checked))]
            if let state {
                try checkImported(state, checked, today: today)
                changes.append(.item(n, .imported(state)))
            }
            return Decision(changes: changes)

        case .addCalendar(let table, let sha256):
            try requireOffice(actor, "添加节假日安排")
            do throws(CoreError) { try table.check(file: "节假日安排") } catch {
                throw .invalidField("节假日安排", error.message)
            }
            return Decision(changes: [.addCalendar(table, sha256: sha256)])

        case .issueNotice(let overdue):
            try requireOffice(actor, "印发通报")
            return Decision(changes: [.issueNotice(serial: ledger.nextNoticeSerial, day: today, overdue: overdue)])

        case .issueProgress(let basis, let items, let closed):
            try check(.issueNotice, by: actor)
            try Validate.name(basis, field: "交办依据", maxLength: Validate.basisLimit + Validate.nameLimit + 2)
            guard items >= 0, closed >= 0, closed <= items else { throw .invalidField("落实情况通报", "件数无效") }
            return Decision(changes: [
                .issueProgress(
                    basis: basis, serial: ledger.nextProgressSerial(basis: basis), day: today, items: items, closed: closed)
            ])

        case .act(let ref, let request, let forUnit):
            // The unit --for names is judged as the one acted for (`authorize`), not as a part.
            var written = ref
            if written.unit == forUnit { written.unit = nil }
            var item = try ledger.resolve(written, currentYear: today.year)
            if item.isSplit {
                // The office withdraws a 分别办理 item whole: every open part at once.
                if case .action(.withdraw(let reason)) = request, forUnit == nil, actor.role != .unit {
                    return try withdrawWhole(item, reason: reason, by: actor, in: ledger, today: today)
                }
                // 催办 and 批注 of the whole item: each unit's part that takes them.
                if let operation = wholeSplitOperation(request), forUnit == nil, actor.role != .unit {
                    let parts = try wholeSplitParts(operation, of: item, by: actor, in: ledger, today: today)
                    var changes: [Change] = []
                    for part in parts {
                        changes += try decide(request, on: part, forUnit: nil, by: actor, in: ledger, today: today).changes
                    }
                    return Decision(changes: changes)
                }
                // 分别办理: the unit's own part — the one the office names, or the unit user's.
                item = try ledger.part(
                    of: item, unit: forUnit ?? (actor.role == .unit ? actor.unit : nil), option: unitOption(request))
            } else if let named = ref.unit, named != forUnit, ledger.currentName(of: named) != item.leadUnit {
                // “编号（单位）” or --unit on an item of one lead unit names that unit or nothing:
                // a co-unit is acted for with --for.
                throw .notAllowedNow(
                    "\(item.shownNumber) 不是分别办理的事项，由 \(item.leadUnit) 牵头；"
                        + "代配合单位 \(named.sanitized()) 录入请用 --for \(named.sanitized())")
            }
            return try decide(request, on: item, forUnit: forUnit, by: actor, in: ledger, today: today)
        }
    }

    /// The operations the office (批注: or a leader) may make on a whole 分别办理 item, recorded
    /// on each unit's part they apply to: 催办 of every unit still at work, a leader's 批注 that
    /// every unit reads. (撤销 of the whole item is `withdrawWhole`.)
    static func wholeSplitOperation(_ request: ItemRequest) -> ItemOperation? {
        switch request {
        case .action(.remind): .remind
        case .action(.comment): .comment
        default: nil
        }
    }

    /// The parts of 分别办理 item `item` that `operation` applies to now; refused, with the
    /// reason its parts give, when none.
    static func wholeSplitParts(
        _ operation: ItemOperation, of item: Item, by actor: Actor, in ledger: Ledger, today: Day
    ) throws(CoreError) -> [Item] {
        // A role that may not do it at all is told so once, not once per unit.
        _ = try authorize(operation.who, verb: operation.label, on: item, forUnit: nil, by: actor, in: ledger)
        let parts = ledger.parts(of: item)
        let targets = parts.filter { refusal(operation, on: $0, by: actor, in: ledger, today: today) == nil }
        guard targets.isEmpty else { return targets }
        let states = parts.map { "\($0.leadUnit)\($0.state.label)" }.joined(separator: "、")
        throw .notAllowedNow("不能\(operation.label) \(item.shownNumber)：分别办理的各单位分项都不能\(operation.label)（\(states)）")
    }

    /// 撤销 of a whole 分别办理 item: each part still open is withdrawn, each part's record
    /// naming the whole item and the reason, all in one decision (one commit); closed parts
    /// stay closed.
    static func withdrawWhole(
        _ item: Item, reason: String, by actor: Actor, in ledger: Ledger, today: Day
    ) throws(CoreError) -> Decision {
        try Validate.text(reason, field: "撤销理由")
        let open = ledger.parts(of: item).filter { $0.state.isOpen }
        guard !open.isEmpty else {
            throw .notAllowedNow("不能撤销 \(item.shownNumber)：分别办理的各单位分项都已办结或撤销，没有可撤销的分项")
        }
        let whole = "撤销整个分别办理事项 \(item.shownNumber)（\(open.count)个单位的分项）：\(reason.trimmingSpaces)"
        var changes: [Change] = []
        for part in open {
            changes += try decide(.action(.withdraw(reason: whole)), on: part, forUnit: nil, by: actor, in: ledger, today: today)
                .changes
        }
        return Decision(changes: changes)
    }

    /// Judges a request the office records on a unit's behalf as of the day the unit reported it
    /// (补录, `reportedOn`): only the office may, only for a unit's own actions, and the request
    /// is judged as of that day (an extension asked for before the deadline stays in time).
    public static func decide(
        _ command: Command, by actor: Actor, in ledger: Ledger, today: Day, reportedOn: Day?
    ) throws(CoreError) -> Decision {
        guard let on = reportedOn else { return try decide(command, by: actor, in: ledger, today: today) }
        guard actor.role == .supervisor else {
            throw .notPermitted("\(actor.displayName) 无权补录：只有督查室可以按报送日期补录单位早先报来的情况")
        }
        guard case .act(let ref, let request, _) = command, who(request) == .leadUnit || who(request) == .involvedUnit else {
            throw .invalidField("报送日期", "只有单位的签收、退办、反馈、申请延期、申请办结可以按报送日期补录")
        }
        guard on <= today else { throw .invalidField("报送日期", "\(on) 晚于今天 \(today)") }
        let item = try ledger.resolve(ref, currentYear: today.year)
        guard on >= item.assignedOn else { throw .invalidField("报送日期", "\(on) 早于交办日期 \(item.assignedOn)") }
        if let last = item.history.last?.day, on < last {
            throw .invalidField("报送日期", "\(on) 早于该事项最近一条办理记录的日期 \(last)，补录的情况不能排在已有记录之前")
        }
        let resolved = Command.act(
            ItemReference(year: item.number.year, serial: item.number.serial, sub: item.number.sub, text: ref.text), request,
            forUnit: forUnit(command))
        return try decide(resolved, by: actor, in: ledger, today: on)
    }

    /// The option by which a command names the unit whose part of a 分别办理 item it acts on:
    /// --for for a unit's own actions (the office records them for it), --unit for the office's
    /// decisions on a part; the other commands take the part's number (编号（单位）, 编号之N).
    static func unitOption(_ request: ItemRequest) -> String? {
        switch request {
        case .action(.approveCompletion), .action(.returnCompletion), .action(.remind), .action(.denyExtension),
            .approveExtension:
            return "--unit"
        default:
            switch who(request) {
            case .leadUnit, .involvedUnit, .unitsOrOffice: return "--for"
            default: return nil
            }
        }
    }

    static func forUnit(_ command: Command) -> String? {
        if case .act(_, _, let f) = command { return f }
        return nil
    }

    /// Whether the actor of a recorded entry could have made it, judged on the ledger as it stood
    /// just before it (`ducha check` replays the whole history through this): the role and unit
    /// rules of `decide`, and the unit and 代录 marks the entry carries.
    public static func audit(_ e: Entry, in ledger: Ledger) throws(CoreError) {
        if case .initialize = e.change {
            guard e.seq == 1 else { throw .inconsistent("第 \(e.seq) 条记录重复创建台账") }
            return
        }
        let actor = try ledger.actor(login: e.actor)
        if e.on != nil {
            guard actor.role == .supervisor, e.proxy else {
                throw .notPermitted("\(actor.displayName) 无权补录：只有督查室可以按报送日期补录单位的操作")
            }
            guard let d = e.on, d <= e.at.day else { throw .inconsistent("报送日期晚于记录日期") }
        }
        switch e.change {
        case .initialize: return
        case .setting, .addUnit, .addUser, .removeUser, .issueNotice, .issueProgress, .addCalendar, .editUnit, .retireUnit,
            .importLedger:
            try requireOffice(actor, HistoryText.what(e))
            guard e.unit == nil, !e.proxy else { throw .inconsistent("全局记录不应记有承办单位") }
        case .item(let n, let action):
            switch action {
            case .register(let r) where n.isChild:
                // A child is registered under an item the office could break down then.
                guard let parent = ledger.item(n.family) else { throw .inconsistent("\(n) 的上级事项不存在") }
                // A 分别办理 item's parts are registered with it; any other child by breaking down.
                // (An imported ledger may have closed the parent before its children's records.)
                if parent.isSplit {
                    try requireOffice(actor, "立项交办")
                } else {
                    try checkBreakDown(parent, by: actor, whileOpen: false)
                }
                try checkChild(r, of: parent)
                guard n.sub == ledger.children(of: parent.number).count + 1 else {
                    throw .inconsistent("\(n) 的子项序号不连续")
                }
                guard e.unit == nil, !e.proxy else { throw .inconsistent("\(action.verb)记录不应记有承办单位") }
                return
            case .register, .imported:
                try requireOffice(actor, action.verb)
                guard e.unit == nil, !e.proxy else { throw .inconsistent("\(action.verb)记录不应记有承办单位") }
                return
            default: break
            }
            guard let item = ledger.item(n) else { throw .inconsistent("记录所指的 \(n) 不存在") }
            if case .undo(let u) = action {
                try auditUndo(u, e, item: item, actor: actor)
                return
            }
            let (unit, proxy) = try authorize(
                .action(action), on: item, forUnit: e.proxy ? e.unit : nil, by: actor, in: ledger)
            guard unit == e.unit, proxy == e.proxy else {
                throw .notPermitted(
                    "记录写明的单位“\(e.unit ?? "无")”\(e.proxy ? "（代录）" : "")与操作人 \(e.actor)（\(actor.displayName)）不符")
            }
        }
    }

    /// An undo record is the actor's own: the entry it reverses is the item's last, made by the
    /// same login on the same day, in the same unit's name, and one that may be reversed.
    static func auditUndo(_ u: Undo, _ e: Entry, item: Item, actor: Actor) throws(CoreError) {
        guard let target = item.history.last, item.hasFullHistory else {
            throw .inconsistent("\(item.shownNumber) 的办理记录不完整，无法核对撤回记录")
        }
        guard target.seq == u.seq, target.itemAction?.code == u.code, Undo.verb(of: u.code) != nil else {
            throw .notPermitted("撤回记录所指的第 \(u.seq) 条记录不是 \(item.shownNumber) 最后一条可撤回的记录")
        }
        guard target.actor == e.actor, target.at.day == e.at.day else {
            throw .notPermitted("\(actor.displayName) 只能撤回自己当天的操作，第 \(u.seq) 条记录由 \(target.actor) 于 \(target.at.day) 录入")
        }
        guard target.unit == e.unit, target.proxy == e.proxy else {
            throw .notPermitted("撤回记录写明的单位“\(e.unit ?? "无")”与所撤回的记录不符")
        }
    }

    // MARK: Item actions

    enum Who {
        case office
        case officeOrLeader
        case leadUnit
        case involvedUnit
        /// Whoever made the entry in question (undo).
        case author
        /// The item's lead or co-units, each in its own name, or the office in its own (or, naming
        /// a unit, on its behalf): 佐证材料.
        case unitsOrOffice
    }

    static func who(_ request: ItemRequest) -> Who {
        switch request {
        case .approveExtension, .edit, .reassign, .resume, .reopen: return .office
        case .undo: return .author
        case .action(let a):
            switch a {
            case .sign, .decline, .requestExtension, .withdrawExtension, .requestCompletion: return .leadUnit
            case .feedback: return .involvedUnit
            case .comment: return .officeOrLeader
            case .attach: return .unitsOrOffice
            case .undo: return .author
            case .register, .imported, .reassign, .approveExtension, .denyExtension, .approveCompletion, .returnCompletion,
                .remind, .commend,
                .withdraw, .suspend, .resume, .reopen, .edit:
                return .office
            }
        }
    }

    static func decide(
        _ request: ItemRequest, on item: Item, forUnit: String?, by actor: Actor, in ledger: Ledger, today: Day
    ) throws(CoreError) -> Decision {
        var (unit, proxy) = try authorize(request, on: item, forUnit: forUnit, by: actor, in: ledger)
        if case .undo = request {
            let target = try undoTarget(on: item, by: actor, today: today)
            (unit, proxy) = (target.unit, target.proxy)
        }
        try explainMissingExtension(request, item: item)
        let action = try resolve(request, item: item, by: actor, ledger: ledger, today: today)
        try Transition.checkState(action, of: item)
        try Transition.checkSituation(action, of: item)
        try checkRules(action, item: item, ledger: ledger, today: today)
        var changes: [Change] = [.item(item.number, action)]
        // Asking to close while an extension request waits withdraws the request, on the record.
        if case .requestCompletion = action, let p = item.pendingExtension {
            changes.insert(.item(item.number, .withdrawExtension(to: p.to, reason: "申请办结，同时撤回待审批的延期申请")), at: 0)
        }
        return Decision(unit: unit, proxy: proxy, changes: changes)
    }

    /// The actor's latest entry recorded on `day`, anywhere in the ledger (which must hold every
    /// history): what `ducha undo` without a number reverses.
    public static func lastEntry(by actor: Actor, in ledger: Ledger, on day: Day) -> Entry? {
        var best: Entry? = nil
        func consider(_ e: Entry) {
            if e.actor == actor.login, e.at.day == day, e.seq > (best?.seq ?? 0) { best = e }
        }
        for e in ledger.log { consider(e) }
        for i in ledger.items.indices {
            if let e = ledger.items[i].history.last(where: { $0.actor == actor.login }) { consider(e) }
        }
        return best
    }

    /// The entry `actor` would reverse on `item` with an undo: their own last action on it,
    /// made today, that nothing followed and that may be reversed (`Undo.undoable`).
    public static func undoTarget(on item: Item, by actor: Actor, today: Day) throws(CoreError) -> Entry {
        let n = item.shownNumber
        guard item.hasFullHistory else { throw .inconsistent("\(n) 的办理记录未读取完整，无法撤回") }
        guard let mine = item.history.last(where: { $0.actor == actor.login }), mine.at.day == today else {
            throw .notAllowedNow("不能撤回 \(n)：今天没有您对该事项的操作可撤回")
        }
        guard let action = mine.itemAction else { throw .inconsistent("\(n) 的办理记录有误") }
        if case .undo = action { throw .notAllowedNow("不能撤回 \(n)：您今天对该事项的最后一次操作已经撤回") }
        guard Undo.verb(of: action.code) != nil else {
            throw .notAllowedNow("不能撤回 \(n)：\(action.verb)不能撤回（可撤回的操作：\(Undo.undoableList)）")
        }
        guard item.history.last?.seq == mine.seq else {
            let later = item.history.last.map { "\(HistoryText.what($0).prefix(20))" } ?? ""
            throw .notAllowedNow("不能撤回 \(n)：您的\(action.verb)之后该事项已有新的办理记录（\(later)）")
        }
        return mine
    }

    /// The role check: who may do `request`, and in whose name (the unit, and whether the office
    /// records it on the unit's behalf).
    static func authorize(
        _ request: ItemRequest, on item: Item, forUnit: String?, by actor: Actor, in ledger: Ledger
    )
        throws(CoreError) -> (unit: String?, proxy: Bool)
    {
        try authorize(who(request), verb: request.verb, on: item, forUnit: forUnit, by: actor, in: ledger)
    }

    /// The role check for whoever `who` names, the action called `verb` in messages.
    static func authorize(
        _ who: Who, verb: String, on item: Item, forUnit: String?, by actor: Actor, in ledger: Ledger
    )
        throws(CoreError) -> (unit: String?, proxy: Bool)
    {
        // A 分别办理 part reads as the item's number and its unit, never the internal 之N.
        let n = item.shownNumber
        if actor.role == .unit, !ledger.canSee(item, actor) {
            throw .notPermitted("\(actor.displayName) 无权\(verb) \(n)：该事项不由本单位承办")
        }
        var unit: String? = nil
        var proxy = false
        switch who {
        case .office:
            guard actor.role == .supervisor else {
                throw .notPermitted("\(actor.displayName) 无权\(verb) \(n)：只有督查室可以\(verb)")
            }
            if let f = forUnit {
                throw .invalidField("代录单位", "\(verb)是督查室的操作，不能代 \(f.sanitized()) 办理")
            }
        case .author:
            // Whose entry it is, is checked against the entry itself (`undoTarget`, `auditUndo`).
            if let f = forUnit {
                throw .invalidField("代录单位", "撤回只能撤回本人的操作，不能代 \(f.sanitized()) 办理")
            }
        case .unitsOrOffice:
            switch actor.role {
            case .leader:
                throw .notPermitted("\(actor.displayName) 无权\(verb) \(n)：佐证材料由承办单位或督查室上传，领导可以查看和批注")
            case .unit:
                let own = actor.unit ?? ""
                if let f = forUnit, f != own {
                    throw .notPermitted("\(own) 无权\(verb) \(n)：不能代其他单位（\(f.sanitized())）\(verb)")
                }
                guard item.involves(unit: own) else {
                    throw .notPermitted("\(own) 无权\(verb) \(n)：该事项不由本单位承办")
                }
                unit = own
            case .supervisor:
                if let f = forUnit {
                    guard item.involves(unit: f) else {
                        throw .notPermitted(
                            "\(f.sanitized()) 无权\(verb) \(n)：该事项由 \(item.leadUnit) 牵头"
                                + (item.coUnits.isEmpty ? "" : "，配合单位为 \(item.coUnits.joined(separator: "、"))"))
                    }
                    unit = f
                    proxy = true
                }
            }
        case .officeOrLeader:
            guard actor.role != .unit else {
                throw .notPermitted("\(actor.displayName) 无权\(verb) \(n)：只有督查室和领导可以\(verb)")
            }
        case .leadUnit, .involvedUnit:
            let leadOnly = who == .leadUnit
            switch actor.role {
            case .leader:
                throw .notPermitted("\(actor.displayName) 无权\(verb) \(n)：领导可以查看和批注，\(verb)由承办单位办理")
            case .unit:
                let own = actor.unit ?? ""
                if let f = forUnit, f != own {
                    throw .notPermitted("\(own) 无权\(verb) \(n)：不能代其他单位（\(f.sanitized())）\(verb)")
                }
                if leadOnly, item.leadUnit != own {
                    throw .notPermitted("\(own) 无权\(verb) \(n)：该事项由 \(item.leadUnit) 牵头，本单位为配合单位，只有牵头单位可以\(verb)")
                }
                unit = own
            case .supervisor:
                let acting = forUnit ?? item.leadUnit
                if ledger.unit(named: acting) == nil, !item.involves(unit: acting) { throw .unknownUnit(acting) }
                if leadOnly, acting != item.leadUnit {
                    throw .notPermitted("\(acting) 无权\(verb) \(n)：该事项由 \(item.leadUnit) 牵头")
                }
                if !leadOnly, !item.involves(unit: acting) {
                    throw .notPermitted(
                        "\(acting) 无权\(verb) \(n)：该事项由 \(item.leadUnit) 牵头"
                            + (item.coUnits.isEmpty ? "" : "，配合单位为 \(item.coUnits.joined(separator: "、"))"))
                }
                unit = acting
                proxy = true
            }
        }

        return (unit, proxy)
    }

    /// Turns a request into the action to record, filling values from the current item.
    static func resolve(
        _ request: ItemRequest, item: Item, by actor: Actor, ledger: Ledger, today: Day
    ) throws(CoreError)
        -> ItemAction
    {
        switch request {
        case .action(let a):
            switch a {
            case .reassign, .resume, .reopen, .undo:
                // Their values (dates, people, what to restore) are worked out here, from the
                // requests of the same names.
                throw .invalidField(a.verb, "请求有误：\(a.verb)的日期和内容由督查工作流程计算")
            default: return a
            }
        case .reassign(let typed, let co, let reason, let deadline, let calendar):
            try Transition.checkState(.reassign(lead: "", coUnits: [], reason: ""), of: item)
            try requireHistory(item)
            let lead = typed.trimmingSpaces
            guard let unit = ledger.unit(named: lead) else { throw .unknownUnit(lead) }
            // Handing it back to the unit that leads it is a new assignment only after that unit
            // declined it (退办, the office insisting); otherwise there is nothing to reassign.
            guard lead != item.leadUnit || item.pendingDecline != nil else {
                throw .notAllowedNow("不能重新交办 \(item.shownNumber)：该事项已由 \(lead) 牵头")
            }
            let coUnits = co.map { $0.flatMap(Item.splitUnits) } ?? item.coUnits.filter { $0 != lead }
            let due = try withinParent(
                typed: deadline,
                computed: ledger.settings.limit(source: item.source, urgency: item.urgency).deadline(
                    from: today, calendar: calendar),
                of: item, ledger: ledger, today: today)
            guard due >= today else { throw .invalidField("办理时限", "新的办理时限 \(due) 早于今天 \(today)") }
            return .reassign(
                lead: lead, coUnits: coUnits, reason: reason.trimmingSpaces,
                assignment: NewAssignment(
                    assignedOn: today, deadline: due, owner: unit.owner, contact: unit.contact, phone: unit.phone,
                    droppedExtension: item.pendingExtension?.to, reminders: item.remindersSinceAssigned,
                    declinedOn: item.pendingDecline == nil
                        ? nil : item.history.last { if case .decline = $0.itemAction { true } else { false } }?.day))
        case .resume(let reason, let calendar):
            try Transition.checkState(.resume(reason: ""), of: item)
            try requireHistory(item)
            var shift: DeadlineShift? = nil
            if let since = item.suspendedSince {
                let n = calendar.workdays(after: since, through: today)
                if n > 0 {
                    // A sub-task's deadline moves no further than its parent's (the office moves
                    // the parent's first when the sub-task needs more).
                    let moved = try withinParent(
                        typed: nil, computed: calendar.adding(workdays: n, to: item.deadline), of: item, ledger: ledger,
                        today: nil)
                    if moved > item.deadline { shift = DeadlineShift(workdays: n, from: item.deadline, to: moved) }
                }
            }
            return .resume(reason: reason.trimmingSpaces, shift: shift)
        case .reopen(let reason, let deadline, let calendar):
            try Transition.checkState(.reopen(reason: "", deadline: today), of: item)
            try requireHistory(item)
            let due = try withinParent(
                typed: deadline,
                computed: ledger.settings.limit(source: item.source, urgency: item.urgency).deadline(
                    from: today, calendar: calendar),
                of: item, ledger: ledger, today: today)
            guard due >= today else { throw .invalidField("办理时限", "新的办理时限 \(due) 早于今天 \(today)") }
            return .reopen(reason: reason.trimmingSpaces, deadline: due, reminders: item.remindersSinceAssigned)
        case .undo:
            let target = try undoTarget(on: item, by: actor, today: today)
            guard let action = target.itemAction else { throw .inconsistent("\(item.shownNumber) 的办理记录有误") }
            var progress: Item.Progress? = nil
            if case .feedback = action { progress = progressBefore(target.seq, in: item) }
            return .undo(Undo(seq: target.seq, code: action.code, progress: progress))
        case .approveExtension(let to, let note):
            guard let pending = item.pendingExtension else {
                throw .notAllowedNow("不能批准延期 \(item.shownNumber)：没有待审批的延期申请")
            }
            return .approveExtension(to: to ?? pending.to, note: note)
        case .edit(let values, let reason):
            var changes: [FieldChange] = []
            for v in values {
                let field = v.field
                let new = try normalized(field, v.value, ledger: ledger, item: item)
                let old = item.value(of: field)
                if new != old, !changes.contains(where: { $0.field == field }) {
                    changes.append(FieldChange(field: field, old: old, new: new))
                }
            }
            guard !changes.isEmpty else { throw .invalidField("修改", "没有与现有内容不同的修改") }
            return .edit(changes: changes, reason: reason.trimmingSpaces)
        }
    }

    /// A new deadline of a sub-task (任务分解; a 分别办理 item's parts keep deadlines of their
    /// own) within its parent's: one the office typed later than the parent's is refused naming
    /// both dates; one ducha worked out (a default limit, a suspension's shift) is brought back
    /// to the parent's deadline — unless that has passed (`today`), when the office moves the
    /// parent's first.
    static func withinParent(typed: Day?, computed: Day, of item: Item, ledger: Ledger, today: Day?) throws(CoreError) -> Day {
        let due = typed ?? computed
        guard !item.isPart, let parent = ledger.parent(of: item), due > parent.deadline else { return due }
        let rule = "子项须在上级事项的时限内完成，需要时请先修改上级事项的时限（ducha edit \(parent.number) --deadline 日期 --reason 理由）"
        if typed != nil || today.map({ parent.deadline < $0 }) == true {
            throw .invalidField(
                "办理时限", "子项的时限 \(due) 晚于上级事项 \(parent.number) 的时限 \(parent.deadline)；\(rule)")
        }
        return parent.deadline
    }

    /// A decision on an extension request that is no longer pending says where it went, when
    /// the history shows it was withdrawn (asking to close withdraws it) or lapsed.
    static func explainMissingExtension(_ request: ItemRequest, item: Item) throws(CoreError) {
        switch request {
        case .approveExtension, .action(.denyExtension): break
        default: return
        }
        guard item.pendingExtension == nil, item.state.isOpen else { return }
        for e in item.history.reversed() {
            switch e.itemAction {
            case .withdrawExtension(let to, let reason)?:
                throw .notAllowedNow(
                    "不能\(request.verb) \(item.shownNumber)：没有待审批的延期申请（至 \(to) 的延期申请已于 \(e.day) 撤回"
                        + (reason.isEmpty ? "" : "：\(reason)") + "；如仍需延期，请承办单位重新申请）")
            case .requestExtension?, .approveExtension?, .denyExtension?: return
            default: continue
            }
        }
    }

    /// Some requests are judged on the item's whole history (a store holding states only reads
    /// it first: see `ItemRequest.needsHistory`).
    static func requireHistory(_ item: Item) throws(CoreError) {
        guard item.hasFullHistory else { throw .inconsistent("\(item.shownNumber) 的办理记录未读取完整") }
    }

    /// The latest progress an item showed before entry `seq`: its last feedback not reversed
    /// since, or the progress its import recorded.
    static func progressBefore(_ seq: Int, in item: Item) -> Item.Progress? {
        let undone = Set(
            item.history.compactMap { e -> Int? in if case .undo(let u)? = e.itemAction { return u.seq } else { return nil } })
        for e in item.history.reversed() where e.seq < seq && !undone.contains(e.seq) {
            switch e.itemAction {
            case .feedback(let text)?: return Item.Progress(day: e.day, text: text, unit: e.unit)
            case .imported(let i)?:
                if let d = i.progressDay, !i.progress.isEmpty { return Item.Progress(day: d, text: i.progress, unit: nil) }
                return nil
            default: continue
            }
        }
        return nil
    }

    /// Validates a typed field value and returns it in stored form.
    static func normalized(_ field: ItemField, _ raw: String, ledger: Ledger, item: Item) throws(CoreError) -> String {
        let v = field == .instruction ? raw : raw.trimmingSpaces
        switch field {
        case .title:
            try Validate.name(v, field: "事项", maxLength: Validate.titleLimit)
        case .instruction:
            try Validate.text(v, field: "批示内容", required: false)
        case .source:
            try checkSource(v, ledger.settings)
        case .leader:
            try Validate.optionalName(v, field: "批示领导")
        case .owner:
            try Validate.optionalName(v, field: "第一责任人")
        case .contact:
            try Validate.optionalName(v, field: "联系人")
        case .phone:
            try Validate.phone(v)
        case .coUnits:
            let list = Item.splitUnits(v)
            try checkCoUnits(list, lead: item.leadUnit, ledger: ledger, keeping: item.coUnits)
            return list.joined(separator: "、")
        case .assignedOn, .deadline:
            return try Day.parse(v).description
        case .urgency:
            guard let u = Urgency(label: v) else {
                throw .invalidField("紧急程度", "应为 \(Urgency.labels) 之一，而不是“\(v.sanitized())”")
            }
            return u.label
        case .cycle:
            if v.isEmpty || v == "无" || v == "-" { return "" }
            return try FeedbackCycle.parse(v).description
        case .basis, .basisNumber:
            try Validate.optionalName(v, field: field.label, maxLength: Validate.basisLimit)
            var r = item.registration
            _ = RegisteredField.of(field).set(v, in: &r)
            try checkBasis(r)
        case .basisDate:
            if v.isEmpty { return "" }
            return try Day.parse(v).description
        }
        return v
    }

    /// Rules that depend on dates and values rather than the state alone.
    static func checkRules(_ action: ItemAction, item: Item, ledger: Ledger, today: Day) throws(CoreError) {
        let n = item.number
        switch action {
        case .imported:
            throw .notAllowedNow("不能单独导入 \(n) 的状态：导入只能随立项一同进行（ducha import）")
        case .register, .sign:
            break
        case .comment(let text):
            try Validate.text(text, field: "批注内容")
        case .attach(let a):
            try checkAttachment(a)
            try checkNotAttached(a, to: item)
        case .decline(let reason):
            try Validate.text(reason, field: "退办理由")
        case .reassign(let lead, let co, let reason, let assignment):
            _ = try assignable(lead, ledger)
            // A 分别办理 item has one part per unit: a part is not handed to a unit that has one.
            if item.isPart, let parent = ledger.parent(of: item),
                let other = ledger.parts(of: parent).first(where: { $0.number != n && $0.leadUnit == lead })
            {
                throw .invalidField(
                    "牵头单位", "分别办理的牵头单位有重复：\(lead) 已有 \(parent.number) 的分项（\(other.shownNumber)，\(other.state.label)）")
            }
            try checkCoUnits(co, lead: lead, ledger: ledger, keeping: item.coUnits + [item.leadUnit])
            try Validate.text(reason, field: "重新交办理由")
            if let a = assignment {
                guard a.deadline >= a.assignedOn else {
                    throw .invalidField("办理时限", "\(a.deadline) 早于交办日期 \(a.assignedOn)")
                }
            }
        case .withdrawExtension(_, let reason):
            try Validate.text(reason, field: "撤回理由", required: false)
        case .reopen(let reason, let deadline, _):
            try Validate.text(reason, field: "重新办理理由")
            guard deadline >= today else { throw .invalidField("办理时限", "新的办理时限 \(deadline) 早于今天 \(today)") }
        case .undo:
            break
        case .feedback(let text):
            try Validate.text(text, field: "反馈内容")
        case .requestExtension(let to, let reason):
            try checkExtensionWindow(item, today: today)
            guard to > item.deadline else {
                throw .invalidField("延期日期", "申请的新时限 \(to) 应晚于现在的办理时限 \(item.deadline)")
            }
            try Validate.text(reason, field: "延期理由")
        case .approveExtension(let to, let note):
            guard to > item.deadline else {
                throw .invalidField("延期日期", "批准的新时限 \(to) 应晚于现在的办理时限 \(item.deadline)")
            }
            guard to >= today else { throw .invalidField("延期日期", "批准的新时限 \(to) 早于今天 \(today)") }
            // A sub-task stays within its parent's deadline: the office extends the parent first.
            if !item.isPart, let parent = ledger.parent(of: item), to > parent.deadline {
                throw .invalidField(
                    "延期日期",
                    "批准的新时限 \(to) 晚于上级事项 \(parent.number) 的时限 \(parent.deadline)；"
                        + "子项须在上级事项的时限内完成，请先修改上级事项的时限（ducha edit \(parent.number) --deadline 日期 --reason 理由）")
            }
            try Validate.text(note, field: "审批意见", required: false)
        case .denyExtension(let reason):
            try Validate.text(reason, field: "不批准的理由")
        case .requestCompletion(let report):
            try Validate.text(report, field: "办结报告")
        case .approveCompletion(_, let note):
            try Validate.text(note, field: "审核意见", required: false)
            // An item broken down closes after its sub-tasks (the office withdraws one no longer needed).
            let open = item.isPart ? [] : ledger.children(of: n).filter { $0.state.isOpen }
            if !open.isEmpty {
                throw .notAllowedNow(
                    "不能审核通过 \(n)：还有子项未办结："
                        + open.prefix(5).map { "\($0.number)（\($0.title.sanitized())，\($0.state.label)）" }.joined(separator: "、")
                        + (open.count > 5 ? " 等\(open.count)项" : "") + "；请待子项办结后再审核，或先撤销不再需要的子项")
            }
        case .returnCompletion(let reason):
            try Validate.text(reason, field: "退回理由")
        case .remind(_, let note):
            try Validate.text(note, field: "催办说明", required: false)
        case .commend(let note):
            try Validate.text(note, field: "肯定性批示")
        case .withdraw(let reason):
            try Validate.text(reason, field: "撤销理由")
        case .suspend(let reason):
            try Validate.text(reason, field: "暂缓理由")
        case .resume(let reason, _):
            try Validate.text(reason, field: "恢复理由", required: false)
        case .edit(let changes, let reason):
            try Validate.text(reason, field: "修改理由", required: false)
            var assigned = item.assignedOn
            var deadline = item.deadline
            for c in changes {
                if c.field == .assignedOn, let d = Day.parseStored(c.new) { assigned = d }
                if c.field == .deadline, let d = Day.parseStored(c.new) { deadline = d }
            }
            guard deadline >= assigned else {
                throw .invalidField("办理时限", "\(deadline) 早于交办日期 \(assigned)")
            }
            guard assigned <= today else { throw .invalidField("交办日期", "\(assigned) 晚于今天 \(today)") }
            if changes.contains(where: { $0.field == .deadline }), reason.trimmingSpaces.isEmpty {
                throw .invalidField("修改理由", "修改办理时限必须写明理由；单位申请的延期请走延期审批")
            }
            // A sub-task's deadline stays within its parent's (a 分别办理 item's parts are theirs).
            if deadline != item.deadline, !item.isPart, let parent = ledger.parent(of: item), deadline > parent.deadline {
                throw .invalidField(
                    "办理时限", "子项的时限 \(deadline) 晚于上级事项 \(parent.number) 的时限 \(parent.deadline)；子项须在上级事项的时限内完成")
            }
            // …and a parent's deadline stays after its sub-tasks' (a withdrawn one aside).
            if deadline < item.deadline, !item.isSplit,
                let child = ledger.children(of: item.number).first(where: { $0.state != .withdrawn && $0.deadline > deadline })
            {
                throw .invalidField(
                    "办理时限",
                    "新的时限 \(deadline) 早于子项 \(child.number)（\(child.title.sanitized())）的时限 \(child.deadline)；"
                        + "上级事项的时限不能早于其子项的，请先修改该子项的时限")
            }
        }
    }

    /// A 佐证材料 record: a SHA-256, a size within the limit, a name as `Evidence.cleanName`
    /// leaves it, an optional note.
    static func checkAttachment(_ a: Evidence) throws(CoreError) {
        guard Evidence.isHash(a.sha256) else { throw .invalidField("佐证材料", "校验码应为 64 位十六进制的 SHA-256") }
        guard a.size > 0 else { throw .invalidField("佐证材料", "文件“\(a.name.sanitized())”是空文件") }
        guard a.size <= Evidence.maxSize else {
            throw .invalidField(
                "佐证材料",
                "文件“\(a.name.sanitized())”过大（\(a.size) 字节），上限为 20 MB（\(Evidence.maxSize) 字节）；请压缩或拆分后上传")
        }
        guard a.name == Evidence.cleanName(a.name) else { throw .invalidField("文件名", "“\(a.name.sanitized())”含有路径或控制字符") }
        try Validate.name(a.name, field: "文件名", maxLength: Evidence.nameLimit)
        try Validate.text(a.note, field: "佐证材料说明", maxLength: 500, required: false)
    }

    /// The same file (by its SHA-256) is kept once per item: a second upload names the first.
    /// Judged where the item's history is read (stores read it for attachments first).
    static func checkNotAttached(_ a: Evidence, to item: Item) throws(CoreError) {
        guard item.hasFullHistory else { return }
        for (i, prior) in item.attachments.enumerated() where prior.attachment.sha256 == a.sha256 {
            throw .invalidField(
                "佐证材料",
                "文件“\(a.name.sanitized())”与本事项第 \(i + 1) 件佐证材料“\(prior.attachment.name.sanitized())”"
                    + "（\(prior.entry.day) 上传）内容相同，不必重复上传")
        }
    }

    /// An extension is asked for before the deadline has passed.
    static func checkExtensionWindow(_ item: Item, today: Day) throws(CoreError) {
        guard today <= item.deadline else {
            throw .notAllowedNow(
                "不能申请延期 \(item.shownNumber)：办理时限 \(item.deadline) 已过，延期须在时限届满前申请；请与督查室联系")
        }
    }

    // MARK: Registration

    /// Checks a registration and fills owner and contact from the lead unit when left empty.
    /// `split`: a 分别办理 item, which has no lead unit (nor its people): its parts have theirs.
    public static func validate(
        _ r: Registration, ledger: Ledger, today: Day, split: Bool = false
    ) throws(CoreError)
        -> Registration
    {
        var r = r
        r.title = r.title.trimmingSpaces
        r.leadUnit = r.leadUnit.trimmingSpaces
        r.source = r.source.trimmingSpaces
        r.leader = r.leader.trimmingSpaces
        try Validate.name(r.title, field: "事项", maxLength: Validate.titleLimit)
        try Validate.text(r.instruction, field: "批示内容", required: false)
        try checkSource(r.source, ledger.settings)
        try Validate.optionalName(r.leader, field: "批示领导")
        if split {
            guard r.coUnits.isEmpty else {
                throw .invalidField("配合单位", "分别办理的事项由各单位各自办理，不设配合单位；需要配合的，请在各单位的分项中修改")
            }
            r.leadUnit = ""
            (r.owner, r.contact, r.phone) = ("", "", "")
        }
        let lead = split ? Unit(name: "", kind: .department) : try assignable(r.leadUnit, ledger)
        r.coUnits = r.coUnits.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        try checkCoUnits(r.coUnits, lead: r.leadUnit, ledger: ledger)
        try Validate.optionalName(r.owner, field: "第一责任人")
        try Validate.optionalName(r.contact, field: "联系人")
        try Validate.phone(r.phone)
        r.basis = r.basis.trimmingSpaces
        r.basisNumber = r.basisNumber.trimmingSpaces
        try Validate.optionalName(r.basis, field: "交办依据", maxLength: Validate.basisLimit)
        try Validate.optionalName(r.basisNumber, field: "依据文号")
        try checkBasis(r)
        guard r.assignedOn <= today else {
            throw .invalidField("交办日期", "\(r.assignedOn) 晚于今天 \(today)")
        }
        guard r.deadline >= r.assignedOn else {
            throw .invalidField("办理时限", "\(r.deadline) 早于交办日期 \(r.assignedOn)")
        }
        if r.owner.isEmpty { r.owner = lead.owner }
        if r.contact.isEmpty {
            r.contact = lead.contact
            if r.phone.isEmpty { r.phone = lead.phone }
        }
        return r
    }

    /// One unit's name holds no separator a list of units uses (、，,;/ and the like) nor a space:
    /// 「县财政/局」 or 「城关镇、县住建局」 would read as two units everywhere a list is shown.
    static func checkUnitName(_ name: String) throws(CoreError) {
        if name.contains(where: { LedgerImport.unitSeparators.contains($0) || $0.isWhitespace }) {
            throw .invalidField(
                "单位名称", "“\(name.sanitized())”含有分隔符号或空格：一个单位的名称不含 、，,;/ 等符号和空格，几个单位请分别登记")
        }
    }

    /// A 分别办理 registration: the item (no lead unit, nor the people of one) and one part per
    /// unit, each checked as registering it alone would be.
    public static func validateSplit(
        _ r: Registration, leads: [String], ledger: Ledger, today: Day
    ) throws(CoreError) -> (Registration, [Registration]) {
        let units = try checkSplitLeads(leads)
        let container = try validate(r, ledger: ledger, today: today, split: true)
        var parts: [Registration] = []
        for u in units {
            var part = r
            part.leadUnit = u
            parts.append(try validate(part, ledger: ledger, today: today))
        }
        return (container, parts)
    }

    /// The lead units of a 分别办理 item: two or more, none twice. Returns them trimmed.
    @discardableResult
    public static func checkSplitLeads(_ leads: [String]) throws(CoreError) -> [String] {
        let units = leads.map(\.trimmingSpaces).filter { !$0.isEmpty }
        guard units.count >= 2 else { throw .invalidField("牵头单位", "分别办理须有两个以上的牵头单位") }
        if let twice = units.enumerated().first(where: { units[..<$0.offset].contains($0.element) })?.element {
            throw .invalidField("牵头单位", "分别办理的牵头单位有重复：\(twice.sanitized()) 写了两次")
        }
        return units
    }

    /// A basis's 文号 or date goes with its name: an item's basis is named by the meeting or
    /// document (the grouping, the filter and the 落实情况通报 go by it).
    static func checkBasis(_ r: Registration) throws(CoreError) {
        if r.basis.isEmpty, !r.basisNumber.isEmpty || r.basisDate != nil {
            throw .invalidField("交办依据", "写了依据文号或依据日期，须同时写明交办依据的名称（会议或文件，如 县政府第12次常务会议）")
        }
    }

    /// Checks the state an imported row claims.
    static func checkImported(_ i: ImportedState, _ r: Registration, today: Day) throws(CoreError) {
        if i.state == .closed {
            guard let c = i.closedOn else { throw .invalidField("办结日期", "状态为已办结的事项须写明办结日期") }
            guard c >= r.assignedOn else { throw .invalidField("办结日期", "\(c) 早于交办日期 \(r.assignedOn)") }
            guard c <= today else { throw .invalidField("办结日期", "\(c) 晚于今天 \(today)") }
        } else {
            if i.state == .review, let c = i.closedOn {
                // For an item awaiting review, the date its completion was reported.
                guard c >= r.assignedOn, c <= today else { throw .invalidField("办结日期", "\(c) 应在交办日期 \(r.assignedOn) 与今天之间") }
            } else {
                guard i.closedOn == nil else {
                    throw .invalidField("办结日期", "只有已办结或待审核的事项才有办结日期（状态为“\(i.state.label)”）")
                }
            }
            guard i.grade == nil else { throw .invalidField("评价", "只有已办结的事项才有评价") }
        }
        if let o = i.originalDeadline {
            guard o >= r.assignedOn else { throw .invalidField("原定时限", "\(o) 早于交办日期 \(r.assignedOn)") }
        }
        // The latest progress may be older than the 交办日期: an item reopened or handed to another
        // unit keeps the progress reported before (as a ledger export writes it).
        if let d = i.progressDay {
            guard d <= today else { throw .invalidField("最新进展日期", "\(d) 晚于今天 \(today)") }
        }
        try Validate.text(i.progress, field: "最新进展", required: false)
        try Validate.text(i.note, field: "状态说明", required: false)
        if i.state == .withdrawn || i.state == .suspended, i.note.trimmingSpaces.isEmpty {
            throw .invalidField("状态说明", "状态为“\(i.state.label)”的事项须写明理由")
        }
    }

    static func checkSource(_ source: String, _ settings: Settings) throws(CoreError) {
        guard settings.sources.contains(source) else {
            throw .invalidField("来源", "“\(source.sanitized())”不在来源列表中；可选：\(settings.sources.joined(separator: "、"))")
        }
    }

    static func checkCoUnits(_ co: [String], lead: String, ledger: Ledger, keeping: [String] = []) throws(CoreError) {
        var seen = Set<String>()
        for u in co {
            // A retired unit the item already has stays on it; it is not given to anyone anew.
            if !keeping.contains(u) { _ = try assignable(u, ledger) }
            guard ledger.unit(named: u) != nil else { throw .unknownUnit(u) }
            guard u != lead else { throw .invalidField("配合单位", "\(u) 已是牵头单位，不能同时为配合单位") }
            guard seen.insert(u).inserted else { throw .invalidField("配合单位", "\(u) 重复") }
        }
    }

    /// The unit `name` as something may be given to it: registered under that name and not
    /// retired. A former name or a retired unit is refused saying so.
    public static func assignable(_ name: String, _ ledger: Ledger) throws(CoreError) -> Unit {
        guard let unit = ledger.unit(named: name) else { throw unknownUnit(name, ledger) }
        guard !unit.retired else {
            throw .notAllowedNow("单位“\(name.sanitized())”已停用，不能再交办事项、登记用户或列为配合单位")
        }
        return unit
    }

    /// The refusal for a name no unit has now: a former name says what the unit is called now.
    static func unknownUnit(_ name: String, _ ledger: Ledger) -> CoreError {
        let current = ledger.currentName(of: name)
        guard current != name else { return .unknownUnit(name) }
        return .invalidField("单位", "“\(name.sanitized())”已更名为“\(current.sanitized())”，请用新名称")
    }

    /// A name once used by a unit stays that unit's, so that old records stay unambiguous.
    static func checkFormerName(_ name: String, _ ledger: Ledger) throws(CoreError) {
        let current = ledger.currentName(of: name)
        guard current == name else {
            throw .invalidField("单位名称", "“\(name.sanitized())”是“\(current.sanitized())”的曾用名，不能再用作单位名称")
        }
    }

    /// Whether `actor` may break `parent` down into children (任务分解): the office only, on an
    /// item of its own (a child is not broken down again) that is still being handled.
    public static func checkBreakDown(_ parent: Item, by actor: Actor, whileOpen: Bool = true) throws(CoreError) {
        try requireOffice(actor, "分解事项")
        guard !parent.isSplit else {
            throw .notAllowedNow("\(parent.number) 由各单位分别办理，不能再分解")
        }
        guard !parent.number.isChild else {
            throw .notAllowedNow("\(parent.number) 已是 \(parent.number.family) 的子项，不能再分解；请在 \(parent.number.family) 下增加子项")
        }
        guard parent.state.isOpen || !whileOpen else {
            throw .notAllowedNow("\(parent.number) \(parent.state.label)，不能再分解")
        }
    }

    /// A child's deadline is within its parent's.
    static func checkChild(_ r: Registration, of parent: Item) throws(CoreError) {
        guard r.deadline <= parent.deadline else {
            throw .invalidField(
                "办理时限", "子项的时限 \(r.deadline) 晚于上级事项 \(parent.number) 的时限 \(parent.deadline)；子项须在上级事项的时限内完成")
        }
    }

    static func requireOffice(_ actor: Actor, _ what: String) throws(CoreError) {
        guard actor.role == .supervisor else {
            throw .notPermitted("\(actor.displayName) 无权\(what)：只有督查室可以\(what)")
        }
    }
}
