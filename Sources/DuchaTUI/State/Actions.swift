import DuchaCore
import DuchaOps

/// The keys that act on an item: one per operation the workflow offers (`ItemOperation`).
public enum ItemKey: Character, CaseIterable, Sendable {
    /// First: offered only right after the user's own action, when it is the likeliest next key.
    case undo = "U"
    case sign = "s", decline = "d", feedback = "f", extend = "e", complete = "c", review = "a", remind = "r"
    case comment = "m", withdraw = "w", suspend = "p", edit = "E", reopen = "R"
    /// 佐证材料: a file named by its path.
    case attach = "A"

    public var operation: ItemOperation {
        switch self {
        case .undo: .undo
        case .sign: .sign
        case .decline: .decline
        case .feedback: .feedback
        case .extend: .extend
        case .complete: .complete
        case .review: .review
        case .remind: .remind
        case .comment: .comment
        case .withdraw: .withdraw
        case .suspend: .suspend
        case .edit: .edit
        case .reopen: .reopen
        case .attach: .attach
        }
    }

    public var label: String { operation.label }
}

extension AppState {
    static func ref(_ n: ItemNumber) -> ItemReference { ItemReference(n) }

    /// The item keys this user's role allows on `item` (whatever its state).
    public func offeredKeys(for item: Item) -> [ItemKey] {
        ItemKey.allCases.filter { storeAllows($0) && Workflow.roleAllows($0.operation, on: item, by: actor, in: ledger) }
    }

    /// Whether the ledger's store can do what `key` asks: a ledger in a database keeps no
    /// evidence files, so A is neither offered nor opens a dialog there.
    func storeAllows(_ key: ItemKey) -> Bool { key != .attach || keepsEvidence }

    /// What A says on a store that keeps no files.
    static let noEvidenceHere = "这个台账在数据库中，不能保存佐证材料（佐证材料只能存于台账目录）"

    /// The item keys this user's role may use at all, whatever row is selected (the help lists
    /// them), each with its label and, for a unit, on which of its items.
    public var roleKeys: [(key: ItemKey, text: String)] {
        ItemKey.allCases.compactMap { k in
            guard storeAllows(k), let leadOnly = Workflow.roleMay(k.operation, actor.role) else { return nil }
            guard actor.role == .unit, k != .undo else { return (k, k.label) }
            return (k, k.label + (leadOnly ? "（本单位牵头的事项）" : "（本单位牵头或配合的事项）"))
        }
    }

    /// The item keys that would be accepted on `item` right now (role, state and situation, as
    /// the workflow judges them).
    public func availableKeys(for item: Item) -> [ItemKey] {
        let ops = Set(Workflow.available(on: item, by: actor, in: ledger, today: today))
        return ItemKey.allCases.filter { storeAllows($0) && ops.contains($0.operation) }
    }

    /// Whether `key` would be accepted on `item` right now (one operation judged, for the key
    /// bar and the handler).
    func isAvailable(_ key: ItemKey, on item: Item) -> Bool {
        storeAllows(key) && Workflow.refusal(key.operation, on: item, by: actor, in: ledger, today: today) == nil
    }

    public var mayRegister: Bool { Workflow.may(.register, actor) }

    /// Asks the workflow whether `key`'s operation is refused for who the user is or for the
    /// item's state; if so, says why and returns false (no dialog is opened for nothing).
    mutating func precheck(_ key: ItemKey, _ item: Item) -> Bool {
        guard storeAllows(key) else {
            message = Message(text: AppState.noEvidenceHere, isError: true)
            return false
        }
        guard let refusal = Workflow.refusal(key.operation, on: item, by: actor, in: ledger, today: today) else { return true }
        message = Message(text: refusal.message, isError: true)
        return false
    }

    mutating func startAction(_ key: Key) -> [Effect] {
        guard case .char(let c) = key, let k = ItemKey(rawValue: c) else { return [] }
        guard let item = currentItem else {
            message = Message(text: "没有选中的事项", isError: true)
            return []
        }
        guard precheck(k, item) else { return [] }
        let undoTarget = k == .undo ? try? Workflow.undoTarget(on: item, by: actor, today: today) : nil
        let n = item.number
        let name = "\(item.shownNumber) \(item.title)"
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
                    title: "反馈 \(shown(n))", body: .choice(prompt: "代哪个单位录入？", options: units, selected: 0),
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
            modal = Modal(title: "申请延期 \(shown(n))", body: .form(form), purpose: .requestExtension(n))
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
                title: "催办 \(shown(n))",
                body: .choice(prompt: "催办方式", options: ReminderMethod.allCases.map(\.label), selected: 0),
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
            modal = Modal(title: "修改 \(shown(n))", body: .form(itemForm(item)), purpose: .edit(n))
        case .reopen:
            let form = Form(fields: [
                .init(key: .reason, label: "理由", kind: .text(LineEditor()), required: true, hint: "如回头看、新的批示"),
                .init(
                    key: .date, label: "新的时限", kind: .text(LineEditor("", limit: 20)), required: false,
                    hint: "日期或 +N；不填按默认时限"),
            ])
            modal = Modal(title: "重新办理 \(name)", body: .form(form), purpose: .reopen(n))
        case .attach:
            let form = Form(fields: [
                .init(
                    key: .path, label: "文件", kind: .text(LineEditor(workingDirectory + "/", limit: 1000)), required: true,
                    hint: "路径；~ 为主目录；最大 20 MB"),
                .init(key: .reason, label: "说明", kind: .text(LineEditor()), required: false),
            ])
            modal = Modal(title: "上传佐证材料 \(name)", body: .form(form), purpose: .attach(n))
        case .undo:
            guard let target = undoTarget else { return [] }
            let what = HistoryText.what(target).sanitized()
            let short = what.count > 30 ? String(what.prefix(29)) + "…" : what
            modal = Modal(
                title: "撤回 \(shown(n))", body: .confirm("撤回您 \(target.at.display) 的操作“\(short)”？（原记录保留，另记一条撤回记录）"),
                purpose: .undo(n))
        }
        return []
    }

    /// The register form, or the edit form filled with `item`; `carry`: the item registered
    /// before it in a batch, whose basis, source, deadline, leader and urgency it starts with.
    /// `split`: a new item's form offers further lead units (分别办理); a child's does not.
    func itemForm(_ item: Item?, carry: ItemInput? = nil, split: Bool = true) -> Form {
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
                key: .deadline, label: "办理时限",
                kind: .text(LineEditor(item?.deadline.description ?? carry?[.deadline] ?? "", limit: 20)),
                required: true,
                hint: "日期，或 +N（N 个工作日后）"),
            .init(
                key: .source, label: "来源",
                kind: .choice(
                    options: sources,
                    selected: (item?.source ?? carry?[.source]).flatMap { sources.firstIndex(of: $0) } ?? 0,
                    filter: LineEditor("", limit: 20)),
                required: true),
            .init(
                key: .leader, label: "批示领导",
                kind: .text(LineEditor(item?.leader ?? carry?[.leader] ?? "", limit: Validate.nameLimit)),
                required: false),
            .init(
                key: .urgency, label: "紧急程度",
                kind: .choice(
                    options: urgencies,
                    selected: (item?.urgency.label ?? carry?[.urgency]).flatMap { urgencies.firstIndex(of: $0) } ?? 0,
                    filter: LineEditor("", limit: 4)),
                required: true),
            .init(
                key: .basis, label: "交办依据",
                kind: .text(LineEditor(item?.basis ?? carry?[.basis] ?? "", limit: Validate.basisLimit)), required: false,
                hint: "会议或文件名称，如 县政府第12次常务会议"),
            .init(
                key: .basisNumber, label: "依据文号",
                kind: .text(LineEditor(item?.basisNumber ?? carry?[.basisNumber] ?? "", limit: Validate.nameLimit)),
                required: false, hint: "如 〔2026〕12号；可不填"),
            .init(
                key: .basisDate, label: "依据日期",
                kind: .text(LineEditor(item?.basisDate?.description ?? carry?[.basisDate] ?? "", limit: 20)),
                required: false, hint: "会议或发文日期；可不填"),
            .init(
                key: .instruction, label: "批示内容", kind: .text(LineEditor(item?.instruction ?? "")), required: false,
                hint: "Ctrl-E 用编辑器写"),
        ]
        if item != nil {
            fields.append(.init(key: .reason, label: "修改理由", kind: .text(LineEditor()), required: false, hint: "改时限须填"))
        } else if split {
            fields.append(
                .init(
                    key: .alsoLead, label: "分别办理",
                    kind: .multi(options: units, checked: units.map { _ in false }, cursor: 0, filter: LineEditor("", limit: 20)),
                    required: false, hint: "空格 勾选：与牵头单位各自签收、办结"))
        }
        return Form(fields: fields)
    }

    /// Ctrl-N in the 立项 form: keeps the item filled in (checked as registering it would be)
    /// and opens the form for the next one of the same basis; Enter registers them all together.
    mutating func nextInBatch(_ m: Modal, _ form: Form, pending: [ItemInput]) -> [Effect] {
        for f in form.fields where f.required && form.value(f.key).trimmingSpaces.isEmpty {
            message = Message(text: "请填写“\(f.label)”", isError: true)
            return []
        }
        let input = itemInput(form)
        do throws(CoreError) {
            // Judged as registering it would be (the store judges all of them again together).
            for case .register(let r) in try Plan.commands(
                .register(input), ledger: ledger, calendar: calendar, today: today, actor: actor)
            {
                _ = try Workflow.validate(r, ledger: ledger, today: today)
            }
        } catch {
            message = Message(text: "第\(pending.count + 1)件未暂存：\(error.message)", isError: true)
            return []
        }
        let kept = pending + [input]
        modal = Modal(
            title: "连续立项（已填\(kept.count)件，Enter 一并立项）", body: .form(itemForm(nil, carry: input)),
            purpose: .registerBatch(kept))
        message = Message(text: "第\(kept.count)件已暂存：请填写第\(kept.count + 1)件；填完按 Enter 一并立项，Esc 放弃全部", isError: false)
        return []
    }

    mutating func startRegister() -> [Effect] {
        do throws(CoreError) { try Workflow.check(.register, by: actor) } catch {
            message = Message(text: error.message, isError: true)
            return []
        }
        guard !ledger.activeUnits.isEmpty else {
            message = Message(text: "还没有登记承办单位：请先用 ducha unit add 登记", isError: true)
            return []
        }
        modal = Modal(title: "立项交办", body: .form(itemForm(nil)), purpose: .register)
        return []
    }

    /// Why the current item cannot be broken down now (N 分解), or nil when it can.
    var breakDownRefusal: String? {
        guard let item = currentItem else { return "请先选择事项" }
        do throws(CoreError) { try Workflow.checkBreakDown(item, by: actor) } catch { return error.message }
        return nil
    }

    /// N in the detail page: the item form for a child of the current item (任务分解), filled
    /// with the parent's source, leader, basis and deadline.
    mutating func startBreakDown() -> [Effect] {
        if let refusal = breakDownRefusal {
            message = Message(text: refusal, isError: true)
            return []
        }
        guard let parent = currentItem else { return [] }
        var carry = ItemInput()
        for f in [ItemField.source, .leader, .basis, .basisNumber, .basisDate, .deadline] { carry[f] = parent.value(of: f) }
        modal = Modal(
            title: "分解 \(parent.number)：登记子项", body: .form(itemForm(nil, carry: carry, split: false)),
            purpose: .registerChild(parent.number))
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
        var kinds: [ExportKind] = marked.isEmpty ? [] : [.markedLedger(markedNumbers)]
        kinds += [.notice(issue: false, dueSoon: false), .notice(issue: false, dueSoon: true)]
        if Workflow.may(.issueNotice, actor) { kinds.append(.notice(issue: true, dueSoon: false)) }
        if actor.role != .unit { kinds.append(.reminders(unit: nil)) }
        if let u = exportUnit { kinds.append(.reminders(unit: u)) }
        // The meeting or document of the selected item: its 落实情况通报.
        if page != .dashboard, let basis = currentItem?.basisInfo { kinds.append(.progress(basis: basis.label)) }
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
        case .ledger: return "台账（CSV 或 Excel 工作簿）"
        case .markedLedger(let numbers): return "已标记的 \(numbers.count) 件事项（台账 CSV）"
        case .progress(let basis): return "\(basis.truncated(toWidth: 36))落实情况通报（预览稿）"
        }
    }

    mutating func askExportPath(_ kind: ExportKind) {
        let base = workingDirectory + "/"
        let path: String
        let prompt: String
        let notice = "保存为（Enter 确认；扩展名 .docx 存为 Word 公文，.xlsx 存为 Excel）"
        let sheet = "保存为（Enter 确认；扩展名 .xlsx 存为 Excel 工作簿）"
        switch kind {
        case .notice: (path, prompt) = (base + "逾期事项通报-\(today).txt", notice)
        case .reminders(nil): (path, prompt) = (base + "催办通知-\(today)", "存入文件夹（Enter 确认；没有则新建）")
        case .reminders(let u?):
            (path, prompt) = (base + "催办通知-\(u)-\(today).txt", "保存为（Enter 确认；扩展名 .docx 存为 Word 公文）")
        case .ledger: (path, prompt) = (base + "台账-\(today).csv", sheet)
        case .markedLedger: (path, prompt) = (base + "台账-已标记-\(today).csv", sheet)
        case .progress: (path, prompt) = (base + "落实情况通报-\(today).txt", notice)
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
            case .ctrl("n"):
                if case .register = m.purpose { return nextInBatch(m, form, pending: []) }
                if case .registerBatch(let pending) = m.purpose { return nextInBatch(m, form, pending: pending) }
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

    /// An item's number as people read it (a 分别办理 part: 编号（单位）), for dialog titles.
    func shown(_ n: ItemNumber) -> String { ledger.item(n)?.shownNumber ?? n.description }

    func commit(_ n: ItemNumber, _ request: ItemRequest, forUnit: String? = nil) -> [Effect] {
        [.perform(.act(AppState.ref(n), request, forUnit: forUnit))]
    }

    /// Asks the operations layer to plan `operation` on the ledger shown: what was typed wrong
    /// (a date, a unit, an unchanged edit) is said at once and the dialog kept; otherwise the
    /// runner records it, judged again on the current ledger under the lock.
    mutating func perform(_ operation: Operation) -> [Effect] {
        do throws(CoreError) {
            _ = try Plan.commands(operation, ledger: ledger, calendar: calendar, today: today, actor: actor)
        } catch {
            message = Message(text: error.message, isError: true)
            return []
        }
        return [.perform(operation)]
    }

    mutating func submit(_ m: Modal, choice: Int, text: String) -> [Effect] {
        let t = text.trimmingSpaces
        switch m.purpose {
        case .sign(let n): return commit(n, .action(.sign))
        case .decline(let n): return commit(n, .action(.decline(reason: t)))
        case .feedbackUnit(let n, let units):
            let unit = units[choice]
            modal = Modal(
                title: "反馈 \(shown(n))", body: .text(prompt: "进展情况（代 \(unit) 录入）", editor: LineEditor(), required: true),
                purpose: .feedback(n, unit: unit))
            return []
        case .feedback(let n, let unit): return commit(n, .action(.feedback(text: t)), forUnit: unit)
        case .complete(let n): return commit(n, .action(.requestCompletion(report: t)))
        case .review(let n, let options):
            switch options[choice] {
            case .approve:
                modal = Modal(
                    title: "审核通过 \(shown(n))",
                    body: .choice(prompt: "办结质量评价", options: Grade.allCases.map(\.label) + ["不评价"], selected: 0),
                    purpose: .grade(n))
            case .returnItem:
                modal = Modal(
                    title: "退回 \(shown(n))", body: .text(prompt: "退回理由", editor: LineEditor(), required: true),
                    purpose: .returnItem(n))
            case .approveExtension:
                let to = ledger.item(n)?.pendingExtension?.to.description ?? ""
                modal = Modal(
                    title: "批准延期 \(shown(n))", body: .confirm("批准 \(shown(n)) 延期至 \(to)？"), purpose: .approveExtension(n))
            case .denyExtension:
                modal = Modal(
                    title: "不批准延期 \(shown(n))", body: .text(prompt: "不批准的理由", editor: LineEditor(), required: true),
                    purpose: .denyExtension(n))
            }
            return []
        case .grade(let n):
            let grade = choice < Grade.allCases.count ? Grade.allCases[choice] : nil
            modal = Modal(
                title: "审核通过 \(shown(n))",
                body: .confirm("审核通过 \(shown(n)) 并办结销号" + (grade.map { "（评价：\($0.label)）" } ?? "") + "？"),
                purpose: .approve(n, grade))
            return []
        case .approve(let n, let grade): return commit(n, .action(.approveCompletion(grade: grade, note: "")))
        case .returnItem(let n): return commit(n, .action(.returnCompletion(reason: t)))
        case .approveExtension(let n): return [.perform(.approveExtension(AppState.ref(n), to: nil, note: ""))]
        case .denyExtension(let n): return commit(n, .action(.denyExtension(reason: t)))
        case .remindMethod(let n):
            let method = ReminderMethod.allCases[choice]
            modal = Modal(
                title: "\(method.label)催办 \(shown(n))", body: .text(prompt: "催办说明（可不填）", editor: LineEditor(), required: false),
                purpose: .remindNote(n, method))
            return []
        case .remindNote(let n, let method): return commit(n, .action(.remind(method: method, note: t)))
        case .comment(let n): return commit(n, .action(.comment(text: t)))
        case .withdraw(let n): return commit(n, .action(.withdraw(reason: t)))
        case .suspend(let n): return commit(n, .action(.suspend(reason: t)))
        case .resume(let n): return [.perform(.resume(AppState.ref(n), reason: t))]
        case .undo(let n): return commit(n, .undo)
        case .exportChoice(let kinds):
            askExportPath(kinds[choice])
            return []
        case .exportPath(let kind):
            let path = UserPath.resolve(t, in: workingDirectory)
            switch kind {
            case .notice(true, let soon):
                let effect = Effect.exportNotice(path: path, issue: true, dueSoon: soon)
                modal = Modal(
                    title: label(kind),
                    body: .confirm("正式印发第\(ledger.nextNoticeSerial)期逾期事项通报？期数记入台账，印发后不能撤回。"),
                    purpose: .confirmIssue(effect))
                return []
            case .notice(let issue, let soon): return [.exportNotice(path: path, issue: issue, dueSoon: soon)]
            case .reminders(let unit): return [.exportReminders(path: path, unit: unit)]
            case .ledger: return [.exportLedger(path: path)]
            case .markedLedger(let numbers):
                marked = []
                return [.exportMarked(path: path, numbers: numbers)]
            case .progress(let basis): return [.exportProgress(path: path, basis: basis)]
            }
        case .exportOverwrite(let effect):
            return [.overwriting(effect)]
        case .confirmIssue(let effect):
            return [effect]
        case .filter(let kind):
            if case .picker(let options, _, _) = m.body { applyFilter(kind, choice, options) }
            return []
        case .units, .unitAction, .unitRetire:
            return submitUnits(m, choice: choice)
        case .batchRemindMethod, .batchRemindNote, .batchGrade, .batchConfirm:
            return submitBatch(m, choice: choice, text: t)
        case .requestExtension, .register, .registerBatch, .registerChild, .edit, .unitEdit, .reopen, .attach:
            return []
        }
    }

    mutating func submitForm(_ m: Modal, _ form: Form) -> [Effect] {
        // A batch may be submitted with the form left empty after the last item.
        let batchDone: Bool
        if case .registerBatch(let pending) = m.purpose, !pending.isEmpty, form.value(.title).trimmingSpaces.isEmpty {
            batchDone = true
        } else {
            batchDone = false
        }
        for f in form.fields where !batchDone && f.required && form.value(f.key).trimmingSpaces.isEmpty {
            message = Message(text: "请填写“\(f.label)”", isError: true)
            return []
        }
        switch m.purpose {
        case .reopen(let n):
            return perform(.reopen(AppState.ref(n), reason: form.value(.reason).trimmingSpaces, deadline: form.value(.date)))
        case .requestExtension(let n):
            return perform(.extend(AppState.ref(n), to: form.value(.date), reason: form.value(.reason).trimmingSpaces))
        case .register:
            return perform(.register(itemInput(form)))
        case .registerChild(let n):
            var input = itemInput(form)
            input.parent = AppState.ref(n)
            return perform(.register(input))
        case .registerBatch(let pending):
            // The form's own item too, when one is filled in.
            let current = form.value(.title).trimmingSpaces.isEmpty ? [] : [itemInput(form)]
            return perform(.registerAll(pending + current))
        case .edit(let n):
            return perform(.edit(AppState.ref(n), itemInput(form), reason: form.value(.reason).trimmingSpaces))
        case .unitEdit(let name):
            return submitUnitEdit(name, form)
        case .attach(let n):
            let path = UserPath.resolve(form.value(.path).trimmingSpaces, in: workingDirectory)
            return [.attachFile(n, path: path, note: form.value(.reason).trimmingSpaces)]
        default:
            return []
        }
    }

    /// The fields the item form shows, as typed: the operations layer reads dates and units and
    /// records only what differs from the item.
    func itemInput(_ form: Form) -> ItemInput {
        // Lead units ticked under 分别办理 besides the lead: each handles the item separately.
        // The lead ticked again is kept, so that the workflow refuses it as the CLI's duplicate --lead.
        let also = form.value(.alsoLead).split(separator: "、").map(String.init)
        var input = ItemInput(lead: ([form.value(.lead)] + also).joined(separator: "、"))
        let fields: [(Form.Key, ItemField)] = [
            (.title, .title), (.coUnits, .coUnits), (.deadline, .deadline), (.source, .source), (.leader, .leader),
            (.urgency, .urgency), (.instruction, .instruction), (.cycle, .cycle), (.basis, .basis),
            (.basisNumber, .basisNumber), (.basisDate, .basisDate),
        ]
        for (key, field) in fields where form.field(key) != nil { input[field] = form.value(key) }
        return input
    }
}
