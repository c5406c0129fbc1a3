/// The events a supervisor may attach a hook to (`ducha config hook.交办 /path/to/program`):
/// an executable run after the record is durable, told what happened as JSON on stdin.
public enum HookEvent: String, Sendable, CaseIterable, Hashable {
    /// 立项交办, 改派 and 重新交办 (reopen): a unit has a new item to sign.
    case assign = "交办"
    case sign = "签收"
    case decline = "退办"
    case feedback = "反馈"
    /// A unit asks for more time.
    case extensionRequest = "延期申请"
    /// A unit reports the item done and asks for review.
    case completion = "办结申请"
    /// The office's decisions: a completion approved or returned, an extension granted or denied.
    case review = "审核"
    case remind = "催办"
    /// Found when ducha runs: an open item's light turned yellow (临期) or red (逾期).
    case dueSoon = "临期"
    case overdue = "逾期"

    /// The setting's key, e.g. hook.交办.
    public var key: String { "hook.\(rawValue)" }

    public static var names: String { allCases.map(\.rawValue).joined(separator: "、") }

    /// The event a recorded action raises, if any.
    public static func of(_ action: ItemAction) -> HookEvent? {
        switch action {
        case .register, .reassign, .reopen: .assign
        case .sign: .sign
        case .decline: .decline
        case .feedback: .feedback
        case .requestExtension: .extensionRequest
        case .requestCompletion: .completion
        case .approveCompletion, .returnCompletion, .approveExtension, .denyExtension: .review
        case .remind: .remind
        case .withdrawExtension, .comment, .commend, .attach, .withdraw, .suspend, .resume, .undo, .edit, .imported: nil
        }
    }

    /// The event of an open item's light, found when ducha runs.
    public static func of(_ light: Light) -> HookEvent? {
        switch light {
        case .yellow: .dueSoon
        case .red: .overdue
        default: nil
        }
    }
}

extension Settings {
    /// The hook keys in force (hook.交办 …), for `ducha config`'s listing.
    public var hookKeys: [(key: String, name: String)] {
        HookEvent.allCases.filter { hooks[$0] != nil }.map { ($0.key, "通知程序（\($0.rawValue)）") }
    }

    /// Sets or clears (empty, 无 or -) the program of a hook key. Only the form of the path is
    /// judged here (absolute, printable); whether it is an executable the service may run is
    /// the operations layer's check, which reads the file system.
    mutating func setHook(_ key: String, to value: String) throws(CoreError) {
        let name = String(key.dropFirst(5))
        guard let event = HookEvent(rawValue: name) else {
            throw .invalidField("设置项", "没有“\(name.sanitized())”这一通知事件；可设置：\(HookEvent.names)")
        }
        if value.isEmpty || value == "无" || value == "-" {
            hooks[event] = nil
            return
        }
        guard value.hasPrefix("/"), !value.contains("/../"), !value.hasSuffix("/..") else {
            throw .invalidField("通知程序", "应写绝对路径（以 / 开头），而不是“\(value.sanitized())”")
        }
        guard value.utf8.count <= 1024, !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw .invalidField("通知程序", "路径过长或含有控制字符")
        }
        hooks[event] = value
    }
}
