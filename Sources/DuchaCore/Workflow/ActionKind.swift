/// What kind of action an entry records, without its values: the state machine and the
/// operations a person is offered are judged on the kind alone.
public enum ActionKind: Sendable, Hashable, CaseIterable {
    case register, sign, decline, reassign, feedback
    case requestExtension, approveExtension, denyExtension, withdrawExtension
    case requestCompletion, approveCompletion, returnCompletion
    case remind, comment, commend, withdraw, suspend, resume, reopen, undo, edit, imported, attach
}

extension ItemAction {
    public var kind: ActionKind {
        switch self {
        case .register: .register
        case .sign: .sign
        case .decline: .decline
        case .reassign: .reassign
        case .feedback: .feedback
        case .requestExtension: .requestExtension
        case .approveExtension: .approveExtension
        case .denyExtension: .denyExtension
        case .withdrawExtension: .withdrawExtension
        case .requestCompletion: .requestCompletion
        case .approveCompletion: .approveCompletion
        case .returnCompletion: .returnCompletion
        case .remind: .remind
        case .comment: .comment
        case .commend: .commend
        case .withdraw: .withdraw
        case .suspend: .suspend
        case .resume: .resume
        case .reopen: .reopen
        case .undo: .undo
        case .edit: .edit
        case .imported: .imported
        case .attach: .attach
        }
    }
}
