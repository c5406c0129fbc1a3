/// The closed vocabularies of the domain. Each stores a short English code in the repository and
/// shows its Chinese label; `init?(label:)` reads what a user types (label or code).
public protocol Labelled: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    var label: String { get }
}

extension Labelled {
    public init?(label: String) {
        let t = label.trimmingSpaces
        if let match = Self.allCases.first(where: { $0.label == t || $0.rawValue == t }) {
            self = match
        } else {
            return nil
        }
    }

    /// 特急、急、一般 — for messages that list the choices.
    public static var labels: String { allCases.map(\.label).joined(separator: "、") }
}

/// 待签收 → 办理中 → 待审核 → 已办结, plus 已撤销 and 暂缓.
public enum ItemState: String, Labelled {
    case pending
    case active
    case review
    case closed
    case withdrawn
    case suspended

    public var label: String {
        switch self {
        case .pending: "待签收"
        case .active: "办理中"
        case .review: "待审核"
        case .closed: "已办结"
        case .withdrawn: "已撤销"
        case .suspended: "暂缓"
        }
    }

    /// Still being handled: counts toward 在办 and may be overdue.
    public var isOpen: Bool { self != .closed && self != .withdrawn }
}

/// 紧急程度.
public enum Urgency: String, Labelled {
    case critical
    case urgent
    case normal

    public var label: String {
        switch self {
        case .critical: "特急"
        case .urgent: "急"
        case .normal: "一般"
        }
    }
}

/// 办结质量评价.
public enum Grade: String, Labelled {
    case excellent
    case good
    case pass
    case fail

    public var label: String {
        switch self {
        case .excellent: "优秀"
        case .good: "良好"
        case .pass: "合格"
        case .fail: "不合格"
        }
    }
}

/// How a 催办 was made.
public enum ReminderMethod: String, Labelled {
    case phone
    case letter
    case visit
    case meeting

    public var label: String {
        switch self {
        case .phone: "电话"
        case .letter: "书面"
        case .visit: "当面"
        case .meeting: "会议"
        }
    }
}

/// What a user of the repository may do.
public enum Role: String, Labelled {
    /// 督查室: full rights.
    case supervisor
    /// 领导: reads everything, may comment.
    case leader
    /// 承办单位: sees and acts on its unit's items only.
    case unit

    public var label: String {
        switch self {
        case .supervisor: "督查室"
        case .leader: "领导"
        case .unit: "承办单位"
        }
    }
}

/// 乡镇、街道 or 部门.
public enum UnitKind: String, Labelled {
    case township
    case subdistrict
    case department

    public var label: String {
        switch self {
        case .township: "乡镇"
        case .subdistrict: "街道"
        case .department: "部门"
        }
    }
}
