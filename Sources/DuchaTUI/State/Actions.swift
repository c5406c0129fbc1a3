import DuchaCore

/// The keys that act on an item, with what each asks the core (for offering it only to roles
/// that may do it).
public enum ItemKey: Character, CaseIterable, Sendable {
    /// First: offered only right after the user's own action, when it is the likeliest next key.
    case undo = "U"
    case sign = "s", decline = "d", feedback = "f", extend = "e", complete = "c", review = "a", remind = "r"
    case comment = "m", withdraw = "w", suspend = "p", edit = "E", reopen = "R"

    public var label: String {
        switch self {
        case .sign: "签收"
        case .decline: "退办"
        case .feedback: "反馈"
        case .extend: "申请延期"
        case .complete: "申请办结"
        case .review: "审核"
        case .remind: "催办"
        case .comment: "批注"
        case .withdraw: "撤销"
        case .suspend: "暂缓/恢复"
        case .edit: "修改"
        case .reopen: "重新办理"
        case .undo: "撤回"
        }
    }

    /// A representative request, for asking the core whether the role may do it.
    func sample(_ item: Item, calendar: WorkCalendar) -> ItemRequest {
        switch self {
        case .sign: .action(.sign)
        case .decline: .action(.decline(reason: "x"))
        case .feedback: .action(.feedback(text: "x"))
        case .extend: .action(.requestExtension(to: item.deadline.adding(days: 1), reason: "x"))
        case .complete: .action(.requestCompletion(report: "x"))
        case .review:
            item.pendingExtension != nil
                ? .approveExtension(to: nil, note: "") : .action(.approveCompletion(grade: nil, note: ""))
        case .remind: .action(.remind(method: .phone, note: ""))
        case .comment: .action(.comment(text: "x"))
        case .withdraw: .action(.withdraw(reason: "x"))
        case .suspend: item.state == .suspended ? .resume(reason: "", calendar: calendar) : .action(.suspend(reason: "x"))
        case .edit: .edit([FieldValue(.title, item.title + "（改）")], reason: "x")
        case .reopen: .reopen(reason: "x", deadline: nil, calendar: calendar)
        case .undo: .undo
        }
    }
}

extension AppState {
    static func ref(_ n: ItemNumber) -> ItemReference { try! ItemReference.parse(n.description) }

    /// The item keys this user's role allows on `item` (whatever its state).
    public func offeredKeys(for item: Item) -> [ItemKey] {
        ItemKey.allCases.filter { Workflow.roleAllows($0.sample(item, calendar: calendar), on: item, by: actor, in: ledger) }
    }

    /// The item keys this user's role may use at all, whatever row is selected (the help lists
    /// them), each with its label and, for a unit, on which of its items.
    public var roleKeys: [(key: ItemKey, text: String)] {
        let d = Day.parseStored("2026-01-05")!
        let any = Item(
            registering: Registration(title: "", source: "", leadUnit: "", assignedOn: d, deadline: d),
            number: ItemNumber(prefix: "", year: 2026, serial: 1),
            entry: Entry(seq: 1, at: Timestamp(day: d), actor: "", change: .setting(key: "", value: "")))
        return ItemKey.allCases.compactMap { k in
            guard let leadOnly = Workflow.roleMay(k.sample(any, calendar: calendar), actor.role) else { return nil }
            guard actor.role == .unit else { return (k, k.label) }
            return (k, k.label + (leadOnly ? "（本单位牵头的事项）" : "（本单位牵头或配合的事项）"))
        }
    }

    /// The item keys that would be accepted on `item` right now (role and state).
    public func availableKeys(for item: Item) -> [ItemKey] {
        offeredKeys(for: item).filter { k in
            // What an undo would reverse is known once the item's history is read (the detail page
            // attaches it to the item; the ledger holds states only).
            if k == .undo { return item.hasFullHistory && (try? Workflow.undoTarget(on: item, by: actor, today: today)) != nil }
            do throws(CoreError) {
                _ = try Workflow.decide(
                    .act(AppState.ref(item.number), k.sample(item, calendar: calendar)), by: actor, in: ledger, today: today)
                return true
            } catch {
                switch error {
                case .notPermitted, .notAllowedNow: return false
                default: return true
                }
            }
        }
    }

    public var mayRegister: Bool { actor.role == .supervisor }

    /// Asks the core whether `request` would be refused for who the user is or for the item's
    /// state; if so, says why and returns false (no dialog is opened for nothing).
    mutating func precheck(_ request: ItemRequest, _ item: Item) -> Bool {
        do {
            _ = try Workflow.decide(.act(AppState.ref(item.number), request), by: actor, in: ledger, today: today)
        } catch {
            switch error {
            case .notPermitted, .notAllowedNow:
                message = Message(text: error.message, isError: true)
                return false
            default: return true
            }
        }
        return true
    }

    mutating func startAction(_ key: Key) -> [Effect] {
        guard case .char(let c) = key, let k = ItemKey(rawValue: c) else { return [] }
        guard let item = currentItem else {
            message = Message(text: "没有选中的事项", isError: true)
            return []
        }
        var undoTarget: Entry? = nil
        if k == .undo {
            do throws(CoreError) { undoTarget = try Workflow.undoTarget(on: item, by: actor, today: today) } catch {
                message = Message(text: error.message, isError: true)
                return []
            }
        }
        guard k == .undo || precheck(k.sample(item, calendar: calendar), item) else { return [] }
        let n = item.number
        let name = "\(n) \(item.title)"
        func text(_ title: String, _ prompt: String, _ purpose: Purpose, required: Bool = true) {
            modal = Modal(title: title, body: .text(prompt: prompt, editor: LineEditor(), required: required), purpose: purpose)
        }
        switch k {
        case .sign:
            modal = Modal(title: "签收", body: .confirm("签收 \(name)？"), purpose: .sign(n))
        case .decline:
            text("退办 \(n)", "退办理由（为何不属本单位职责）", .decline(n))
        case .feedback:
            if actor.role == .supervisor, !item.coUnits.isEmpty {
                let units = [item.leadUnit] + item.coUnits
                modal = Modal(
                    title: "反馈 \(n)", body: .choice(prompt: "代哪个单位录入？", options: units, selected: 0),
                    purpose: .feedbackUnit(n, units: units))
            } else {
                text("反馈 \(n)", actor.role == .supervisor ? "进展情况（代 \(item.leadUnit) 录入）" : "进展情况", .feedback(n, unit: nil))
            }
        case .extend:
            let form = Form(fields: [
                .init(
                    key: .date, label: "新的时限", kind: .text(LineEditor("", limit: 20)), required: true,
                    hint: "现时限 \(item.deadline)"),
                .init(key: .reason, label: "延期理由", kind: .text(LineEditor()), required: true),
            ])
            modal = Modal(title: "申请延期 \(n)", body: .form(form), purpose: .requestExtension(n))
        case .complete:
            text("申请办结 \(n)", "办结报告（Ctrl-E 用编辑器写）", .complete(n))
        case .review:
            var options: [ReviewOption] = []
            var labels: [String] = []
            if let p = item.pendingExtension {
                options = [.approveExtension, .denyExtension]
                labels = ["批准延期至 \(p.to)（理由：\(p.reason)）", "不批准延期"]
            } else {
                options = [.approve, .returnItem]
                labels = ["审核通过，办结销号", "退回，继续办理"]
            }
            modal = Modal(
                title: "审核 \(name)", body: .choice(prompt: "", options: labels, selected: 0),
                purpose: .review(n, options: options))
        case .remind:
            modal = Modal(
                title: "催办 \(n)", body: .choice(prompt: "催办方式", options: ReminderMethod.allCases.map(\.label), selected: 0),
                purpose: .remindMethod(n))
        case .comment:
            text("批注 \(n)", "批注内容", .comment(n))
        case .withdraw:
            text("撤销 \(n)", "撤销理由", .withdraw(n))
        case .suspend:
            if item.state == .suspended {
                text("恢复办理 \(n)", "说明（可不填）", .resume(n), required: false)
            } else {
                text("暂缓 \(n)", "暂缓理由", .suspend(n))
            }
        case .edit:
            modal = Modal(title: "修改 \(n)", body: .form(itemForm(item)), purpose: .edit(n))
        case .reopen:
            let form = Form(fields: [
                .init(key: .reason, label: "理由", kind: .text(LineEditor()), required: true, hint: "如回头看、新的批示"),
                .init(
                    key: .date, label: "新的时限", kind: .text(LineEditor("", limit: 20)), required: false,
                    hint: "日期或 +N；不填按默认时限"),
            ])
            modal = Modal(title: "重新办理 \(name)", body: .form(form), purpose: .reopen(n))
        case .undo:
            guard let target = undoTarget else { return [] }
            let what = HistoryText.what(target).sanitized()
            let short = what.count > 30 ? String(what.prefix(29)) + "…" : what
            modal = Modal(
                title: "撤回 \(n)", body: .confirm("撤回您 \(target.at.display) 的操作“\(short)”？（原记录保留，另记一条撤回记录）"),
                purpose: .undo(n))
        }
        return []
    }

    /// The register form, or the edit form filled with `item`.
    func itemForm(_ item: Item?) -> Form {
        // Units in use; an item being edited keeps the (retired) units it already has.
        var units = ledger.activeUnits.map(\.name)
        for u in item.map({ [$0.leadUnit] + $0.coUnits }) ?? [] where !units.contains(u) { units.append(u) }
        let sources = ledger.settings.sources
        let urgencies = [Urgency.normal, .urgent, .critical].map(\.label)
        var fields: [Form.Field] = [
            .init(
                key: .title, label: "事项", kind: .text(LineEditor(item?.title ?? "", limit: Validate.titleLimit)), required: true),
            .init(
                key: .lead, label: "牵头单位",
                kind: .choice(
                    // A new item's lead unit starts unchosen: the clerk picks it, never a default.
                    options: units, selected: item.flatMap { units.firstIndex(of: $0.leadUnit) } ?? -1,
                    filter: LineEditor("", limit: 20)),
                required: true, hint: "↑↓ 选择，输入文字可筛选"),
            .init(
                key: .coUnits, label: "配合单位",
                kind: .multi(
                    options: units, checked: units.map { item?.coUnits.contains($0) ?? false }, cursor: 0,
                    filter: LineEditor("", limit: 20)),
                required: false, hint: "空格 勾选"),
            .init(
                key: .deadline, label: "办理时限", kind: .text(LineEditor(item?.deadline.description ?? "", limit: 20)),
                required: true,
                hint: "日期，或 +N（N 个工作日后）"),
            .init(
                key: .source, label: "来源",
                kind: .choice(
                    options: sources, selected: item.flatMap { sources.firstIndex(of: $0.source) } ?? 0,
                    filter: LineEditor("", limit: 20)),
                required: true),
            .init(
                key: .leader, label: "批示领导", kind: .text(LineEditor(item?.leader ?? "", limit: Validate.nameLimit)),
                required: false),
            .init(
                key: .urgency, label: "紧急程度",
                kind: .choice(
                    options: urgencies, selected: item.flatMap { urgencies.firstIndex(of: $0.urgency.label) } ?? 0,
                    filter: LineEditor("", limit: 4)),
                required: true),
            .init(
                key: .instruction, label: "批示内容", kind: .text(LineEditor(item?.instruction ?? "")), required: false,
                hint: "Ctrl-E 用编辑器写"),
        ]
        if item != nil {
            fields.append(.init(key: .reason, label: "修改理由", kind: .text(LineEditor()), required: false, hint: "改时限须填"))
        }
        return Form(fields: fields)
    }

    mutating func startRegister() -> [Effect] {
        guard mayRegister else {
            message = Message(text: "\(actor.displayName) 无权立项交办：只有督查室可以立项交办", isError: true)
            return []
        }
        guard !ledger.activeUnits.isEmpty else {
            message = Message(text: "还没有登记承办单位：请先用 ducha unit add 登记", isError: true)
            return []
        }
        modal = Modal(title: "立项交办", body: .form(itemForm(nil)), purpose: .register)
        return []
    }

    /// The unit the 催办通知 option is about: the dashboard's selected unit, or the lead unit
    /// of the current item.
    var exportUnit: String? {
        if actor.role == .unit { return actor.unit }
        if page == .dashboard {
            return dashboard.units.indices.contains(unitSelection) ? dashboard.units[unitSelection].name : nil
        }
        return currentItem?.leadUnit
    }

    mutating func startExport() -> [Effect] {
        var kinds: [ExportKind] = [.notice(issue: false, dueSoon: false), .notice(issue: false, dueSoon: true)]
        if actor.role == .supervisor { kinds.append(.notice(issue: true, dueSoon: false)) }
        if actor.role != .unit { kinds.append(.reminders(unit: nil)) }
        if let u = exportUnit { kinds.append(.reminders(unit: u)) }
        kinds.append(.ledger)
        modal = Modal(
            title: "导出", body: .choice(prompt: "", options: kinds.map(label), selected: 0), purpose: .exportChoice(kinds))
        return []
    }

    func label(_ kind: ExportKind) -> String {
        switch kind {
        case .notice(false, false): return "逾期事项通报（预览稿）"
        case .notice(false, true): return "逾期事项通报（预览稿，附临期事项）"
        case .notice(true, _): return "正式印发第\(ledger.nextNoticeSerial)期逾期事项通报"
        case .reminders(nil): return "催办通知（每个需催办的单位一份，存入一个文件夹）"
        case .reminders(let u?): return "\(u)的催办通知"
        case .ledger: return "台账（CSV，可用 Excel 打开）"
        }
    }

    mutating func askExportPath(_ kind: ExportKind) {
        let base = workingDirectory + "/"
        let path: String
        let prompt: String
        switch kind {
        case .notice: (path, prompt) = (base + "逾期事项通报-\(today).txt", "保存为（Enter 确认）")
        case .reminders(nil): (path, prompt) = (workingDirectory, "存入文件夹（Enter 确认）")
        case .reminders(let u?): (path, prompt) = (base + "催办通知-\(u)-\(today).txt", "保存为（Enter 确认）")
        case .ledger: (path, prompt) = (base + "台账-\(today).csv", "保存为（Enter 确认）")
        }
        modal = Modal(
            title: label(kind), body: .text(prompt: prompt, editor: LineEditor(path, limit: 1000), required: true),
            purpose: .exportPath(kind))
    }

    // MARK: Dialogs

    mutating func handleModal(_ key: Key) -> [Effect] {
        guard var m = modal else { return [] }
        switch m.body {
        case .confirm:
            switch key {
            case .char("y"), .char("Y"), .enter: return submit(m, choice: 0, text: "")
            case .char("n"), .char("N"), .escape: cancel()
            default: break
            }
        case .text(let prompt, var editor, let required):
            switch key {
            case .escape: cancelAsking(m)
            case .enter:
                if required, editor.text.trimmingSpaces.isEmpty {
                    message = Message(text: "\(prompt.split(separator: "（").first ?? "")不能为空", isError: true)
                    return []
                }
                return submit(m, choice: 0, text: editor.text)
            case .ctrl("e"): return [.openEditor(editor.text)]
            default:
                editor.handle(key)
                m.body = .text(prompt: prompt, editor: editor, required: required)
                modal = m
            }
        case .choice(let prompt, let options, var selected):
            switch key {
            case .escape: cancel()
            case .enter: return submit(m, choice: selected, text: "")
            case .up, .char("k"): selected = max(0, selected - 1)
            case .down, .char("j"): selected = min(options.count - 1, selected + 1)
            case .home: selected = 0
            case .end: selected = options.count - 1
            case .pageUp: selected = max(0, selected - 10)
            case .pageDown: selected = min(options.count - 1, selected + 10)
            case .char(let c):
                if let d = c.wholeNumberValue, d >= 1, d <= options.count { selected = d - 1 }
            default: break
            }
            if case .choice = m.body, modal != nil {
                m.body = .choice(prompt: prompt, options: options, selected: selected)
                modal = m
            }
        case .picker(let options, var selected, var filter):
            let shown = Form.shown(options, filter)
            switch key {
            case .escape: cancel()
            case .enter:
                guard shown.contains(selected) else {
                    message = Message(text: "没有符合“\(filter.text)”的选项", isError: true)
                    return []
                }
                return submit(m, choice: selected, text: "")
            case .home: selected = shown.first ?? selected
            case .end: selected = shown.last ?? selected
            default: Form.choose(key, options, &selected, &filter)
            }
            if modal != nil {
                m.body = .picker(options: options, selected: selected, filter: filter)
                modal = m
            }
        case .form(var form):
            switch key {
            case .escape: cancelAsking(m)
            case .enter: return submitForm(m, form)
            case .ctrl("e"):
                if case .text(let e) = form.fields[form.focus].kind { return [.openEditor(e.text)] }
            default:
                form.handle(key)
                m.body = .form(form)
                modal = m
            }
        }
        return []
    }

    /// Esc in a dialog: closes it, but asks first when that would throw away typed text.
    mutating func cancelAsking(_ m: Modal) {
        if m.hasUnsavedInput {
            discarding = .closeDialog
        } else {
            cancel()
        }
    }

    mutating func cancel() {
        modal = nil
        message = Message(text: "已取消", isError: false)
    }

    func commit(_ n: ItemNumber, _ request: ItemRequest, forUnit: String? = nil, _ done: String) -> [Effect] {
        [.commit(.act(AppState.ref(n), request, forUnit: forUnit), success: "已\(done) \(n)")]
    }

    mutating func submit(_ m: Modal, choice: Int, text: String) -> [Effect] {
        let t = text.trimmingSpaces
        switch m.purpose {
        case .sign(let n): return commit(n, .action(.sign), "签收")
        case .decline(let n): return commit(n, .action(.decline(reason: t)), "退办")
        case .feedbackUnit(let n, let units):
            let unit = units[choice]
            modal = Modal(
                title: "反馈 \(n)", body: .text(prompt: "进展情况（代 \(unit) 录入）", editor: LineEditor(), required: true),
                purpose: .feedback(n, unit: unit))
            return []
        case .feedback(let n, let unit): return commit(n, .action(.feedback(text: t)), forUnit: unit, "报送反馈")
        case .complete(let n): return commit(n, .action(.requestCompletion(report: t)), "申请办结")
        case .review(let n, let options):
            switch options[choice] {
            case .approve:
                modal = Modal(
                    title: "审核通过 \(n)",
                    body: .choice(prompt: "办结质量评价", options: Grade.allCases.map(\.label) + ["不评价"], selected: 0),
                    purpose: .grade(n))
            case .returnItem:
                modal = Modal(
                    title: "退回 \(n)", body: .text(prompt: "退回理由", editor: LineEditor(), required: true), purpose: .returnItem(n))
            case .approveExtension:
                let to = ledger.item(n)?.pendingExtension?.to.description ?? ""
                modal = Modal(title: "批准延期 \(n)", body: .confirm("批准 \(n) 延期至 \(to)？"), purpose: .approveExtension(n))
            case .denyExtension:
                modal = Modal(
                    title: "不批准延期 \(n)", body: .text(prompt: "不批准的理由", editor: LineEditor(), required: true),
                    purpose: .denyExtension(n))
            }
            return []
        case .grade(let n):
            let grade = choice < Grade.allCases.count ? Grade.allCases[choice] : nil
            modal = Modal(
                title: "审核通过 \(n)", body: .confirm("审核通过 \(n) 并办结销号" + (grade.map { "（评价：\($0.label)）" } ?? "") + "？"),
                purpose: .approve(n, grade))
            return []
        case .approve(let n, let grade): return commit(n, .action(.approveCompletion(grade: grade, note: "")), "审核通过并办结")
        case .returnItem(let n): return commit(n, .action(.returnCompletion(reason: t)), "退回")
        case .approveExtension(let n): return commit(n, .approveExtension(to: nil, note: ""), "批准延期")
        case .denyExtension(let n): return commit(n, .action(.denyExtension(reason: t)), "不批准延期")
        case .remindMethod(let n):
            let method = ReminderMethod.allCases[choice]
            modal = Modal(
                title: "\(method.label)催办 \(n)", body: .text(prompt: "催办说明（可不填）", editor: LineEditor(), required: false),
                purpose: .remindNote(n, method))
            return []
        case .remindNote(let n, let method): return commit(n, .action(.remind(method: method, note: t)), "催办")
        case .comment(let n): return commit(n, .action(.comment(text: t)), "批注")
        case .withdraw(let n): return commit(n, .action(.withdraw(reason: t)), "撤销")
        case .suspend(let n): return commit(n, .action(.suspend(reason: t)), "暂缓")
        case .resume(let n): return commit(n, .resume(reason: t, calendar: calendar), "恢复办理")
        case .undo(let n): return commit(n, .undo, "撤回")
        case .exportChoice(let kinds):
            askExportPath(kinds[choice])
            return []
        case .exportPath(let kind):
            let path = UserPath.resolve(t, in: workingDirectory)
            switch kind {
            case .notice(let issue, let soon): return [.exportNotice(path: path, issue: issue, dueSoon: soon)]
            case .reminders(let unit): return [.exportReminders(path: path, unit: unit)]
            case .ledger: return [.exportLedger(path: path)]
            }
        case .exportOverwrite(let effect):
            return [.overwriting(effect)]
        case .filter(let kind):
            if case .picker(let options, _, _) = m.body { applyFilter(kind, choice, options) }
            return []
        case .units, .unitAction, .unitRetire:
            return submitUnits(m, choice: choice)
        case .requestExtension, .register, .edit, .unitEdit, .reopen:
            return []
        }
    }

    mutating func submitForm(_ m: Modal, _ form: Form) -> [Effect] {
        for f in form.fields where f.required && form.value(f.key).trimmingSpaces.isEmpty {
            message = Message(text: "请填写“\(f.label)”", isError: true)
            return []
        }
        do {
            switch m.purpose {
            case .reopen(let n):
                let typed = form.value(.date).trimmingSpaces
                let due = typed.isEmpty ? nil : try calendar.deadline(typed, from: today)
                return commit(
                    n, .reopen(reason: form.value(.reason).trimmingSpaces, deadline: due, calendar: calendar), "重新办理")
            case .requestExtension(let n):
                let to = try Day.parse(form.value(.date))
                return commit(n, .action(.requestExtension(to: to, reason: form.value(.reason).trimmingSpaces)), "申请延期")
            case .register:
                let assigned = today
                let urgency = Urgency(label: form.value(.urgency)) ?? .normal
                let typed = form.value(.deadline).trimmingSpaces
                let due =
                    typed.isEmpty
                    ? ledger.settings.limit(source: form.value(.source), urgency: urgency).deadline(
                        from: assigned, calendar: calendar)
                    : try deadline(typed, from: assigned)
                let cycleText = form.value(.cycle).trimmingSpaces
                let r = Registration(
                    title: form.value(.title), instruction: form.value(.instruction), source: form.value(.source),
                    leader: form.value(.leader), leadUnit: form.value(.lead), coUnits: Item.splitUnits(form.value(.coUnits)),
                    assignedOn: assigned, deadline: due, urgency: urgency,
                    feedbackCycle: cycleText.isEmpty || cycleText == "无" ? nil : try FeedbackCycle.parse(cycleText))
                return [.commit(.register(r), success: "已立项交办")]
            case .edit(let n):
                guard let item = ledger.item(n) else { return [] }
                var effects: [Effect] = []
                let reason = form.value(.reason).trimmingSpaces
                let lead = form.value(.lead)
                let co = Item.splitUnits(form.value(.coUnits))
                let deadlineText = form.value(.deadline).trimmingSpaces
                if lead != item.leadUnit {
                    guard !reason.isEmpty else {
                        message = Message(text: "更换牵头单位须填写修改理由", isError: true)
                        return []
                    }
                    // A new assignment as of today: the deadline typed, if changed, or the default.
                    let typed = deadlineText == item.deadline.description ? nil : try calendar.deadline(deadlineText, from: today)
                    effects.append(
                        .commit(
                            .act(
                                AppState.ref(n),
                                .reassign(
                                    lead: lead, coUnits: co.filter { $0 != lead }, reason: reason, deadline: typed,
                                    calendar: calendar)
                            ),
                            success: "已重新交办 \(n) 至 \(lead)"))
                }
                var values: [FieldValue] = []
                let newDeadline =
                    lead != item.leadUnit
                    ? item.deadline.description : try deadline(deadlineText, from: item.assignedOn).description
                for (key, field) in [
                    (Form.Key.title, ItemField.title), (.source, .source), (.leader, .leader), (.instruction, .instruction),
                ] {
                    if form.value(key) != item.value(of: field) { values.append(FieldValue(field, form.value(key))) }
                }
                if lead == item.leadUnit, co != item.coUnits { values.append(FieldValue(.coUnits, co.joined(separator: "、"))) }
                if newDeadline != item.deadline.description { values.append(FieldValue(.deadline, newDeadline)) }
                if form.value(.urgency) != item.urgency.label { values.append(FieldValue(.urgency, form.value(.urgency))) }
                if form.value(.cycle).trimmingSpaces != (item.feedbackCycle?.description ?? "") {
                    values.append(FieldValue(.cycle, form.value(.cycle).trimmingSpaces))
                }
                if !values.isEmpty {
                    effects.append(.commit(.act(AppState.ref(n), .edit(values, reason: reason)), success: "已修改 \(n)"))
                }
                if effects.isEmpty { message = Message(text: "没有改动", isError: false) }
                return effects
            case .unitEdit(let name):
                return submitUnitEdit(name, form)
            default:
                return []
            }
        } catch let e as CoreError {
            message = Message(text: e.message, isError: true)
        } catch {
            message = Message(text: "\(error)", isError: true)
        }
        return []
    }

    /// A typed deadline: a date, or +N working days after `from`.
    func deadline(_ text: String, from: Day) throws -> Day {
        let t = text.trimmingSpaces
        if t.hasPrefix("+") || t.hasPrefix("＋") {
            guard let n = Int(t.dropFirst()), (0...1000).contains(n) else {
                throw CoreError.invalidDate(t, "+N 中的 N 应为工作日数")
            }
            return calendar.adding(workdays: n, to: from)
        }
        return try Day.parse(t)
    }
}
