/// The state machine: in which states each action may happen. Used both when an action is
/// requested (to refuse it with a message) and when entries are replayed (to detect damage).
public enum Transition {
    /// The states in which `action` is allowed.
    public static func allowedStates(for action: ItemAction) -> Set<ItemState> { allowedStates(for: action.kind) }

    /// The states in which an action of `kind` is allowed.
    public static func allowedStates(for kind: ActionKind) -> Set<ItemState> {
        switch kind {
        case .register: []
        case .sign, .decline: [.pending]
        case .reassign: [.pending, .active]
        case .feedback: [.pending, .active, .review, .suspended]
        case .requestExtension: [.active]
        case .approveExtension, .denyExtension: [.active, .suspended]
        case .withdrawExtension: [.active]
        case .requestCompletion: [.active]
        case .approveCompletion, .returnCompletion: [.review]
        case .remind: [.pending, .active, .review]
        case .comment: Set(ItemState.allCases)
        case .commend: [.pending, .active, .review, .suspended, .closed]
        case .withdraw: [.pending, .active, .review, .suspended]
        case .suspend: [.pending, .active, .review]
        case .resume: [.suspended]
        case .reopen: [.closed]
        case .undo: Set(ItemState.allCases)
        case .edit: [.pending, .active, .review, .suspended]
        case .imported: [.pending]
        case .attach: [.pending, .active, .review, .suspended]
        }
    }

    /// Throws `notAllowedNow` with a sentence naming the state when `action` is not allowed.
    public static func checkState(_ action: ItemAction, of item: Item) throws(CoreError) {
        try checkState(action.kind, verb: action.verb, of: item)
    }

    /// The same for an action of `kind`, named `verb` in the message.
    public static func checkState(_ kind: ActionKind, verb: String, of item: Item) throws(CoreError) {
        let allowed = allowedStates(for: kind)
        guard !allowed.contains(item.state) else { return }
        let names = ItemState.allCases.filter { allowed.contains($0) }.map { "“\($0.label)”" }.joined(separator: "、")
        let hint: String
        switch (kind, item.state) {
        case (_, .closed): hint = "该事项已办结归档；如需回头看或有新的批示，督查室可重新办理"
        case (_, .withdrawn): hint = "该事项已撤销"
        case (.requestExtension, .pending), (.requestCompletion, .pending): hint = "该事项尚未签收，请先签收"
        case (.sign, _): hint = "该事项已签收，当前为“\(item.state.label)”"
        case (.reopen, _): hint = "只有已办结的事项可以重新办理，该事项当前为“\(item.state.label)”"
        default: hint = "该事项当前为“\(item.state.label)”，只有\(names)的事项可以\(verb)"
        }
        throw .notAllowedNow("不能\(verb) \(item.shownNumber)：\(hint)")
    }

    /// Conditions beyond the state: an extension decision needs a pending request, a second
    /// 退办 needs the first to have been handled.
    public static func checkSituation(_ action: ItemAction, of item: Item) throws(CoreError) {
        try checkSituation(action.kind, verb: action.verb, of: item)
    }

    /// The same for an action of `kind`, named `verb` in the message.
    public static func checkSituation(_ kind: ActionKind, verb: String, of item: Item) throws(CoreError) {
        switch kind {
        case .approveExtension, .denyExtension, .withdrawExtension:
            guard item.pendingExtension != nil else {
                throw .notAllowedNow("不能\(verb) \(item.shownNumber)：没有待审批的延期申请")
            }
        case .requestExtension:
            guard item.pendingExtension == nil else {
                throw .notAllowedNow("不能申请延期 \(item.shownNumber)：已有一份延期申请等待督查室审批")
            }
        case .decline:
            guard item.pendingDecline == nil else {
                throw .notAllowedNow("不能退办 \(item.shownNumber)：已退办，等待督查室重新交办")
            }
        default: break
        }
    }
}
