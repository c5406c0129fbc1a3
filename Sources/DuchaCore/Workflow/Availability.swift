/// What a person can start on an item, as the interface's keys, key bar and help and the
/// command line's refusals name it. Whether it is available is judged here, once, on the role,
/// the item's state and situation and the day — never by trying a made-up request.
public enum ItemOperation: String, CaseIterable, Sendable {
    case undo, sign, decline, feedback, extend, complete, review, remind, comment, withdraw, suspend, edit, reopen, attach

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
        case .attach: "上传佐证材料"
        }
    }

    /// Who may do it.
    var who: Workflow.Who {
        switch self {
        case .sign, .decline, .extend, .complete: .leadUnit
        case .feedback: .involvedUnit
        case .comment: .officeOrLeader
        case .undo: .author
        case .attach: .unitsOrOffice
        case .review, .remind, .withdraw, .suspend, .edit, .reopen: .office
        }
    }

    /// The action it records on `item` as it stands (审核 decides a pending extension first;
    /// 暂缓/恢复 resumes a suspended item).
    func kind(on item: Item) -> ActionKind {
        switch self {
        case .sign: .sign
        case .decline: .decline
        case .feedback: .feedback
        case .extend: .requestExtension
        case .complete: .requestCompletion
        case .review: item.pendingExtension != nil ? .approveExtension : .approveCompletion
        case .remind: .remind
        case .comment: .comment
        case .withdraw: .withdraw
        case .suspend: item.state == .suspended ? .resume : .suspend
        case .edit: .edit
        case .reopen: .reopen
        case .undo: .undo
        case .attach: .attach
        }
    }

    /// The verb of the refusal message on `item` (无权签收, 不能恢复办理).
    func verb(on item: Item) -> String {
        switch self {
        case .review: item.pendingExtension != nil ? "批准延期" : "审核通过"
        case .suspend: item.state == .suspended ? "恢复办理" : "暂缓"
        default: label
        }
    }
}

extension Workflow {
    /// Whether `actor`'s role and unit allow `operation` on `item` at all, whatever its state:
    /// the interface offers it only then.
    public static func roleAllows(_ operation: ItemOperation, on item: Item, by actor: Actor, in ledger: Ledger) -> Bool {
        (try? authorize(operation.who, verb: operation.verb(on: item), on: item, forUnit: nil, by: actor, in: ledger)) != nil
    }

    /// What a role may do at all, whatever the item (the help lists it): nil when never;
    /// otherwise whether only on the items the unit leads (true) or also on those it co-handles.
    public static func roleMay(_ operation: ItemOperation, _ role: Role) -> Bool? {
        switch (operation.who, role) {
        case (_, .supervisor), (.officeOrLeader, .leader): return false
        case (.author, _): return false
        case (.leadUnit, .unit): return true
        case (.involvedUnit, .unit), (.unitsOrOffice, .unit): return false
        default: return nil
        }
    }

    /// Why `actor` cannot start `operation` on `item` today — the role, the state, the situation
    /// (a pending extension, a 退办 not yet handled, the deadline passed for an extension, nothing
    /// of theirs to undo) — or nil when they can. The values they will type are judged when the
    /// request comes.
    public static func refusal(
        _ operation: ItemOperation, on item: Item, by actor: Actor, in ledger: Ledger, today: Day
    ) -> CoreError? {
        do throws(CoreError) {
            let verb = operation.verb(on: item)
            guard !item.isSplit else {
                // The office may withdraw the whole item (every open part at once); the rest is
                // done on the parts.
                if operation == .withdraw, actor.role == .supervisor {
                    guard ledger.parts(of: item).contains(where: { $0.state.isOpen }) else {
                        throw .notAllowedNow("不能撤销 \(item.shownNumber)：分别办理的各单位分项都已办结或撤销，没有可撤销的分项")
                    }
                    return nil
                }
                // 催办 and 批注 go to every part that takes them.
                if operation == .remind || operation == .comment, actor.role != .unit {
                    _ = try wholeSplitParts(operation, of: item, by: actor, in: ledger, today: today)
                    return nil
                }
                throw .notAllowedNow("\(item.shownNumber) 由各单位分别办理：请选择单位的分项再\(verb)")
            }
            _ = try authorize(operation.who, verb: verb, on: item, forUnit: nil, by: actor, in: ledger)
            if operation == .undo {
                _ = try undoTarget(on: item, by: actor, today: today)
                return nil
            }
            let kind = operation.kind(on: item)
            try Transition.checkState(kind, verb: verb, of: item)
            try Transition.checkSituation(kind, verb: verb, of: item)
            if kind == .requestExtension { try checkExtensionWindow(item, today: today) }
            return nil
        } catch {
            return error
        }
    }

    /// The operations `actor` can start on `item` today.
    public static func available(on item: Item, by actor: Actor, in ledger: Ledger, today: Day) -> [ItemOperation] {
        ItemOperation.allCases.filter { refusal($0, on: item, by: actor, in: ledger, today: today) == nil }
    }
}

/// What a role may use beyond an item's operations: reports and transfers, registering items,
/// the unit roster. The front ends offer each only where `Workflow.may` says so.
public enum ReportRight: Sendable, Equatable {
    /// Registering items (立项交办).
    case register
    /// Editing and retiring units (the units dialog).
    case manageUnits
    /// The whole ledger with every record (the office's JSON export).
    case wholeLedger
    /// Issuing the overdue notice with a serial number.
    case issueNotice
    /// The 催办通知 of one unit, or of every unit (nil).
    case reminders(unit: String?)
    /// Recording a written reminder on the items of the notices exported.
    case recordReminders
    /// Reading a ledger in (a sheet, or a whole exported ledger).
    case importLedger
}

extension Workflow {
    /// Refuses `right` to `actor` with a sentence saying who may; the office may use them all, a
    /// unit only its own 催办通知, a leader every 催办通知 but nothing that writes.
    public static func check(_ right: ReportRight, by actor: Actor) throws(CoreError) {
        switch right {
        case .register: try requireOffice(actor, "立项交办")
        case .manageUnits:
            guard actor.role == .supervisor else {
                throw .notPermitted("\(actor.displayName) 无权管理单位：只有督查室可以修改或停用单位")
            }
        case .wholeLedger: try requireOffice(actor, "导出整个台账")
        case .issueNotice: try requireOffice(actor, "印发通报")
        case .recordReminders: try requireOffice(actor, "登记催办")
        case .importLedger: try requireOffice(actor, "导入台账")
        case .reminders(let unit?):
            if actor.role == .unit, unit != actor.unit {
                throw .notPermitted("\(actor.displayName) 无权导出 \(unit.sanitized()) 的催办通知：只能导出本单位的")
            }
        case .reminders(nil): break
        }
    }

    /// Whether `actor` may use `right`.
    public static func may(_ right: ReportRight, _ actor: Actor) -> Bool { (try? check(right, by: actor)) != nil }
}
