/// What a user asks for. The workflow checks it against the current ledger and turns it into the
/// changes to record; item references and defaults are resolved at that moment, under the
/// repository's lock, so a request typed against an older view is judged on the current one.
public enum Command: Sendable, Equatable {
    case setting(key: String, value: String)
    case addUnit(Unit)
    /// Edit unit `name`: the fields given (nil: unchanged), a new name among them.
    case editUnit(name: String, UnitEdit)
    case retireUnit(name: String)
    /// Mark that a whole exported ledger (`records` entries, file SHA-256) was read in.
    case importLedger(records: Int, sha256: String)
    case addUser(User)
    case removeUser(login: String)
    case register(Registration)
    /// Register an item from an imported ledger: with its number when the ledger had one, and
    /// the state it had there.
    case importItem(number: ItemNumber?, Registration, ImportedState?)
    /// Issue the overdue notice with the next serial number.
    case issueNotice(overdue: Int)
    /// Issue the 落实情况通报 of a basis (by its label) with that basis's next serial.
    case issueProgress(basis: String, items: Int, closed: Int)
    /// Add (or replace) a year's holiday table, read from a file with this SHA-256.
    case addCalendar(HolidayTable, sha256: String)
    /// An action on an item. `forUnit`: the unit in whose name the office records it (代录);
    /// a unit's own user may only name its own unit.
    case act(ItemReference, ItemRequest, forUnit: String? = nil)
}

/// An action on an item as requested; most are recorded as they are.
public enum ItemRequest: Sendable, Equatable {
    case action(ItemAction)
    /// Approve the pending extension, to its requested date unless another is given.
    case approveExtension(to: Day?, note: String)
    /// Edit fields to the values typed (dates and units as text, validated here).
    case edit([FieldValue], reason: String)
    /// Hand the item to `lead` as a new assignment as of today: the deadline given, or the
    /// default limit counted on `calendar`; co-units given, or the old ones but the new lead.
    case reassign(lead: String, coUnits: [String]?, reason: String, deadline: Day?, calendar: WorkCalendar)
    /// Resume a suspended item: its deadline moves by the working days (on `calendar`) it was
    /// suspended.
    case resume(reason: String, calendar: WorkCalendar)
    /// Return a closed item to 办理中 with the deadline given, or the default limit from today.
    case reopen(reason: String, deadline: Day?, calendar: WorkCalendar)
    /// Reverse the actor's own last action of the day on the item.
    case undo

    /// Whether the workflow judges it on the item's whole history (what an undo reverses, how
    /// long a suspension lasted, how many reminders an assignment received, which files were
    /// attached already): a store that holds items' states only reads the history first.
    public var needsHistory: Bool {
        switch self {
        case .undo, .reassign, .reopen, .resume: true
        case .action(.attach): true
        case .action, .approveExtension, .edit: false
        }
    }

    public var verb: String {
        switch self {
        case .action(let a): a.verb
        case .approveExtension: "批准延期"
        case .edit: "修改"
        case .reassign: "重新交办"
        case .resume: "恢复办理"
        case .reopen: "重新办理"
        case .undo: "撤回"
        }
    }
}

/// A field and the value typed for it.
public struct FieldValue: Sendable, Equatable {
    public var field: ItemField
    public var value: String

    public init(_ field: ItemField, _ value: String) {
        self.field = field
        self.value = value
    }
}

/// The new values typed for a unit's fields; nil leaves a field as it is.
public struct UnitEdit: Sendable, Equatable {
    public var name: String?
    public var kind: UnitKind?
    public var owner: String?
    public var contact: String?
    public var phone: String?

    public init(name: String? = nil, kind: UnitKind? = nil, owner: String? = nil, contact: String? = nil, phone: String? = nil) {
        self.name = name
        self.kind = kind
        self.owner = owner
        self.contact = contact
        self.phone = phone
    }
}

/// What the workflow decided to record.
public struct Decision: Sendable, Equatable {
    /// The unit in whose name the action is taken, if any.
    public var unit: String?
    /// True when the office records it on the unit's behalf.
    public var proxy: Bool
    public var changes: [Change]

    public init(unit: String? = nil, proxy: Bool = false, changes: [Change]) {
        self.unit = unit
        self.proxy = proxy
        self.changes = changes
    }
}
