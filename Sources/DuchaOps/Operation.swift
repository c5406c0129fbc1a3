import DuchaCore

/// An item's fields as a person typed them, in a form or as options: only the fields given
/// (a form's fields, the options used). Dates may be a date or +N working days.
public struct ItemInput: Sendable, Equatable {
    /// The lead unit typed, if given.
    public var lead: String?
    public var values: [ItemField: String]
    /// The item it is a child of (任务分解), when registered under one.
    public var parent: ItemReference?

    public init(lead: String? = nil, _ values: [ItemField: String] = [:], parent: ItemReference? = nil) {
        self.lead = lead
        self.values = values
        self.parent = parent
    }

    public subscript(_ field: ItemField) -> String? {
        get { values[field] }
        set { values[field] = newValue }
    }
}

/// What a person asks ducha to do, from the command line or the interface, as typed. The
/// operations layer turns it into the core's commands (`Plan`) and records them (`Operations`);
/// neither front end builds a core command itself.
public enum Operation: Sendable, Equatable {
    /// Register an item; an empty or missing deadline takes the default limit of its source and
    /// urgency, counted from its 交办日期. With a parent, a child of it (任务分解).
    case register(ItemInput)
    /// Register several items (a meeting's decisions) in one commit: all of them or none; a
    /// refusal names the item (第N件).
    case registerAll([ItemInput])
    /// An action whose values are as given (sign, feedback text, a review's grade …); `forUnit`
    /// names the unit the office records it for (代录).
    case act(ItemReference, ItemRequest, forUnit: String? = nil)
    /// Ask for an extension to the day typed.
    case extend(ItemReference, to: String, reason: String, forUnit: String? = nil)
    /// Approve the pending extension, to the day typed or the one asked for.
    case approveExtension(ItemReference, to: String?, note: String)
    /// Edit the fields typed: only those that differ from the item are recorded; a different
    /// lead unit makes it a reassignment (a new assignment as of today).
    case edit(ItemReference, ItemInput, reason: String)
    /// Hand the item to another lead unit as a new assignment as of today.
    case reassign(ItemReference, lead: String, coUnits: [String]?, reason: String, deadline: String?)
    /// Return a closed item to 办理中 (回头看, a new 批示).
    case reopen(ItemReference, reason: String, deadline: String?)
    /// Resume a suspended item; its deadline moves by the working days it was suspended.
    case resume(ItemReference, reason: String)
    /// Reverse the actor's own last action of the day on the item, or anywhere in the ledger.
    case undo(ItemReference?)
    /// Change a unit's fields (a new name among them); past records keep reading.
    case editUnit(name: String, UnitEdit)
    /// Stop offering a unit for new items; its history stays.
    case retireUnit(name: String)
    /// Register a unit.
    case addUnit(Unit)
    /// Add a user to the roster, or take one off.
    case addUser(User)
    case removeUser(login: String)
    /// Change a setting, the value as typed.
    case setting(key: String, value: String)
    /// Record a year's holiday table read from a file with this SHA-256.
    case addCalendar(HolidayTable, sha256: String)
    /// Rows read from a sheet (units first, then items), recorded all or nothing.
    case importRows([Command])
    /// 佐证材料: files kept in the repository under their SHA-256, each recorded with `note`;
    /// `with`, a request they come with (a feedback, a completion report), recorded first, all
    /// in one commit. `forUnit` as for `act`.
    case attach(ItemReference, [AttachedFile], note: String, forUnit: String? = nil, with: ItemRequest? = nil)

    /// The item it is about, if one is named.
    public var item: ItemReference? {
        switch self {
        case .register, .registerAll, .undo(nil), .editUnit, .retireUnit, .addUnit, .addUser, .removeUser, .setting, .addCalendar,
            .importRows:
            nil
        case .act(let r, _, _), .extend(let r, _, _, _), .approveExtension(let r, _, _), .edit(let r, _, _),
            .reassign(let r, _, _, _, _), .reopen(let r, _, _), .resume(let r, _), .undo(let r?), .attach(let r, _, _, _, _):
            r
        }
    }

    /// Whether the item's whole history is needed to plan it (an undo without a number looks
    /// through the whole ledger).
    public var needsWholeLedger: Bool { self == .undo(nil) }
}
