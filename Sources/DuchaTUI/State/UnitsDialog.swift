import DuchaCore
import DuchaOps
import DuchaStore

/// 单位名册 (`D`, the office only): the units with their contacts and counts; Enter on one to
/// edit it (only the fields changed are sent) or retire it. Each answer goes to the core as
/// `ducha unit edit` / `unit retire` would send it.
extension AppState {
    /// One line per unit: name, kind, items led and co-handled, open, contact and phone.
    func unitLines() -> [String] {
        // Windowed, as the store counted them.
        let loads = unitLoads ?? UnitLoad.of(ledger.items)
        return ledger.units.map { u in
            let (lead, co, open) = loads[u.name].map { ($0.lead, $0.co, $0.open) } ?? (0, 0, 0)
            let name = u.name.sanitized() + (u.retired ? "（已停用）" : "")
            // The contact and phone (the 第一责任人 is in the edit form): what the clerk rings.
            let who = [u.contact, u.phone].filter { !$0.isEmpty }.joined(separator: " ").sanitized()
            // Counts right-aligned in their own width, so that the columns stay in line.
            func n(_ k: Int) -> String { String(k).padded(toWidth: 3, alignRight: true) }
            return name.padded(toWidth: 16) + " " + u.kind.label + "  " + "牵头\(n(lead)) 配合\(n(co)) 在办\(n(open))"
                + (who.isEmpty ? "" : "  " + who)
        }
    }

    mutating func startUnits() -> [Effect] {
        do throws(CoreError) { try Workflow.check(.manageUnits, by: actor) } catch {
            message = Message(text: error.message, isError: true)
            return []
        }
        guard !ledger.units.isEmpty else {
            message = Message(text: "还没有登记承办单位：请先用 ducha unit add 登记", isError: true)
            return []
        }
        if windowed, unitLoads == nil {
            pendingUnits = true
            return []
        }
        modal = Modal(
            title: "单位名册（Enter 修改或停用）", body: .choice(prompt: "", options: unitLines(), selected: 0), purpose: .units)
        return []
    }

    /// A choice in the units dialogs.
    mutating func submitUnits(_ m: Modal, choice: Int) -> [Effect] {
        switch m.purpose {
        case .units:
            guard ledger.units.indices.contains(choice) else { return [] }
            let u = ledger.units[choice]
            let options = u.retired ? ["修改单位信息"] : ["修改单位信息", "停用单位"]
            modal = Modal(
                title: "单位 \(u.name)", body: .choice(prompt: "", options: options, selected: 0), purpose: .unitAction(u.name))
        case .unitAction(let name):
            guard let u = ledger.unit(named: name) else { return [] }
            if choice == 0 {
                modal = Modal(title: "修改单位 \(name)", body: .form(unitForm(u)), purpose: .unitEdit(name))
            } else {
                modal = Modal(
                    title: "停用单位 \(name)",
                    body: .confirm("停用 \(name)？其事项和办理记录保留不变，但不能再向其交办事项、列为配合单位或登记用户。"),
                    purpose: .unitRetire(name))
            }
        case .unitRetire(let name):
            return [.perform(.retireUnit(name: name))]
        default: break
        }
        return []
    }

    func unitForm(_ u: Unit) -> Form {
        let kinds = UnitKind.allCases.map(\.label)
        return Form(fields: [
            .init(key: .name, label: "名称", kind: .text(LineEditor(u.name, limit: Validate.nameLimit)), required: true),
            .init(
                key: .kind, label: "类型",
                kind: .choice(
                    options: kinds, selected: kinds.firstIndex(of: u.kind.label) ?? 0, filter: LineEditor("", limit: 4)),
                required: true),
            .init(key: .owner, label: "第一责任人", kind: .text(LineEditor(u.owner, limit: Validate.nameLimit)), required: false),
            .init(key: .contact, label: "联系人", kind: .text(LineEditor(u.contact, limit: Validate.nameLimit)), required: false),
            .init(key: .phone, label: "联系电话", kind: .text(LineEditor(u.phone, limit: 40)), required: false),
        ])
    }

    /// The edit form's answer: only the fields changed.
    mutating func submitUnitEdit(_ name: String, _ form: Form) -> [Effect] {
        guard let u = ledger.unit(named: name) else { return [] }
        func changed(_ key: Form.Key, _ old: String) -> String? {
            let v = form.value(key).trimmingSpaces
            return v == old ? nil : v
        }
        let edit = UnitEdit(
            name: changed(.name, u.name), kind: UnitKind(label: form.value(.kind)).flatMap { $0 == u.kind ? nil : $0 },
            owner: changed(.owner, u.owner), contact: changed(.contact, u.contact), phone: changed(.phone, u.phone))
        guard edit != UnitEdit() else {
            message = Message(text: "没有改动", isError: false)
            return []
        }
        return [.perform(.editUnit(name: name, edit))]
    }
}
