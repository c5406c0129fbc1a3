/// A unit that carries out items (承办单位).
public struct Unit: Sendable, Equatable {
    public var name: String
    public var kind: UnitKind
    /// 第一责任人 (the unit's accountable head), used as an item's owner when none is given.
    public var owner: String
    /// 联系人 and phone, used as an item's contact when none is given.
    public var contact: String
    public var phone: String

    public init(name: String, kind: UnitKind, owner: String = "", contact: String = "", phone: String = "") {
        self.name = name
        self.kind = kind
        self.owner = owner
        self.contact = contact
        self.phone = phone
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
