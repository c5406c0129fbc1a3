/// Everything the core refuses, each with a message in Chinese that says what was refused and
/// why, in words a clerk can act on.
public enum CoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A date that is not a real date or not in a form ducha reads.
    case invalidDate(String, String)
    /// A field whose value is not acceptable: (field, what is wrong).
    case invalidField(String, String)
    /// No unit of that name in the roster.
    case unknownUnit(String)
    /// No item with that number (or a short form that does not resolve).
    case unknownItem(String)
    /// A login that the roster does not know while a roster is configured.
    case unknownUser(String)
    /// Something that already exists: (what, name).
    case duplicate(String, String)
    /// The actor may not do this: the full sentence.
    case notPermitted(String)
    /// The item is not in a state (or situation) that allows this: the full sentence.
    case notAllowedNow(String)
    /// A journal entry that cannot be applied to the state it follows (damaged repository).
    case inconsistent(String)
    /// Stored data that cannot be read: (where, what is wrong).
    case malformed(String, String)

    public var message: String {
        switch self {
        case .invalidDate(let input, let reason):
            return input.isEmpty ? "日期无效：\(reason)" : "日期无效 \(input.sanitized())：\(reason)"
        case .invalidField(let field, let reason): return "\(field)有误：\(reason)"
        case .unknownUnit(let name): return "没有名为“\(name.sanitized())”的单位（用 ducha unit list 查看已登记的单位）"
        case .unknownItem(let ref):
            // 「没有编号为 99（即 督〔2026〕第0099号）的督查事项」: no space after a closing bracket.
            let shown = ref.sanitized()
            return "没有编号为 \(shown)\(shown.hasSuffix("）") ? "" : " ")的督查事项"
        case .unknownUser(let login):
            return "用户 \(login.sanitized()) 不在本台账的名册中，无权使用；请督查室用 ducha user add 登记"
        case .duplicate(let what, let name): return "\(what)“\(name.sanitized())”已存在"
        case .notPermitted(let sentence), .notAllowedNow(let sentence): return sentence
        case .inconsistent(let what): return "台账数据不一致：\(what)"
        case .malformed(let place, let what): return "\(place)：\(what)"
        }
    }

    public var description: String { message }
}
