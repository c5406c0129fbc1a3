/// A unit that carries out items (承办单位).
public struct Unit: Sendable, Equatable {
    public var name: String
    public var kind: UnitKind
    /// 第一责任人 (the unit's accountable head), used as an item's owner when none is given.
    public var owner: String
    /// 联系人 and phone, used as an item's contact when none is given.
    public var contact: String
    public var phone: String
    /// 已停用 (`ducha unit retire`): kept with its items and history, offered for nothing new.
    public var retired: Bool

    public init(
        name: String, kind: UnitKind, owner: String = "", contact: String = "", phone: String = "", retired: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.owner = owner
        self.contact = contact
        self.phone = phone
        self.retired = retired
    }

    /// The value of one of the fields `ducha unit edit` changes, as recorded (kind by its code).
    public func value(_ field: UnitField) -> String {
        switch field {
        case .name: name
        case .kind: kind.rawValue
        case .owner: owner
        case .contact: contact
        case .phone: phone
        }
    }
}

/// A unit's field the office may edit, with its stored key and Chinese name.
public enum UnitField: String, Labelled {
    case name
    case kind
    case owner
    case contact
    case phone

    public var label: String {
        switch self {
        case .name: "名称"
        case .kind: "类型"
        case .owner: "第一责任人"
        case .contact: "联系人"
        case .phone: "联系电话"
        }
    }
}

/// One edited field of a unit: its value before and after (the kind by its code).
public struct UnitFieldChange: Sendable, Equatable {
    public var field: UnitField
    public var old: String
    public var new: String

    public init(field: UnitField, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// 联系人 张三→李四, with the kind by its label.
    public var text: String {
        func shown(_ v: String) -> String {
            if field == .kind { return UnitKind(rawValue: v)?.label ?? v }
            return v.isEmpty ? "（空）" : v
        }
        return "\(field.label) \(shown(old))→\(shown(new))"
    }
}

/// An OS account known to the repository.
public struct User: Sendable, Equatable {
    public var login: String
    public var role: Role
    /// The unit a `unit` user belongs to; nil for the office and leaders.
    public var unit: String?
    /// The person's name, for display.
    public var name: String
    /// The OS account's user id, by which the user is recognised (the login is kept for
    /// display); nil in repositories made before identities were bound to uids.
    public var uid: UInt32?

    public init(login: String, role: Role, unit: String? = nil, name: String = "", uid: UInt32? = nil) {
        self.login = login
        self.role = role
        self.unit = unit
        self.name = name
        self.uid = uid
    }
}

/// Who is acting: resolved from the OS login through the roster by the caller.
public struct Actor: Sendable, Equatable {
    public var login: String
    public var role: Role
    public var unit: String?
    /// The OS user id the actor was recognised by, when known.
    public var uid: UInt32?

    public init(login: String, role: Role, unit: String? = nil, uid: UInt32? = nil) {
        self.login = login
        self.role = role
        self.unit = unit
        self.uid = uid
    }

    public static func supervisor(_ login: String, uid: UInt32? = nil) -> Actor {
        Actor(login: login, role: .supervisor, uid: uid)
    }

    /// How refusals name the actor: the unit's name, 领导 zhang, or 督查室.
    public var displayName: String {
        switch role {
        case .unit: unit ?? login
        case .leader: "领导 \(login)"
        case .supervisor: "督查室"
        }
    }
}
