/// One recorded action: a line of the journal and, once compacted, part of the snapshot. The
/// repository's whole state is the fold of its entries in `seq` order, so an item's history and
/// its state can never disagree.
public struct Entry: Sendable, Equatable {
    /// 1, 2, 3 … without gaps.
    public var seq: Int
    /// When, in the office's local time.
    public var at: Timestamp
    /// The OS login that typed it.
    public var actor: String
    /// The unit in whose name it was done (the unit's own user, or the office recording on its
    /// behalf); nil for the office's and leaders' own actions.
    public var unit: String?
    /// True when the office recorded a unit's action on the unit's behalf (代录).
    public var proxy: Bool
    /// The day the unit reported it, when the office records it later (补录): the action counts
    /// as of that day (an on-time completion report stays on time), while `at` keeps when it was
    /// recorded. Nil for an action recorded the day it was taken.
    public var on: Day?
    public var change: Change
    /// The SHA-256 (hex) of the journal line before this one, as read from or written to the
    /// journal: the hash chain that makes a rewritten history detectable. Not stored in the
    /// snapshot, where it is implied by the order of the entries (see `ducha check`).
    public var prev: String?

    public init(
        seq: Int, at: Timestamp, actor: String, unit: String? = nil, proxy: Bool = false, on: Day? = nil, change: Change,
        prev: String? = nil
    ) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.unit = unit
        self.proxy = proxy
        self.on = on
        self.change = change
        self.prev = prev
    }

    /// The day the action counts as taken: the reported day of a 补录, else the day recorded.
    public var day: Day { on ?? at.day }

    /// Entries are equal when they record the same thing; `prev` is how the journal line was
    /// chained, which a snapshot does not repeat.
    public static func == (a: Entry, b: Entry) -> Bool {
        a.seq == b.seq && a.at == b.at && a.actor == b.actor && a.unit == b.unit && a.proxy == b.proxy && a.on == b.on
            && a.change == b.change
    }

    /// The item action this entry records, if any.
    public var itemAction: ItemAction? {
        if case .item(_, let a) = change { return a }
        return nil
    }

    /// The item this entry concerns, if any.
    public var item: ItemNumber? {
        if case .item(let n, _) = change { return n }
        return nil
    }
}

/// What an entry changes.
public enum Change: Sendable, Equatable {
    /// The item action, if this is one.
    public var itemAction: ItemAction? {
        if case .item(_, let a) = self { return a }
        return nil
    }

    /// The repository's creation, with its initial settings.
    indirect case initialize(Settings)
    case setting(key: String, value: String)
    case addUnit(Unit)
    /// The office edits a unit (`name` as it was); a rename keeps the old name readable (see
    /// `Ledger.formerNames`).
    case editUnit(name: String, changes: [UnitFieldChange])
    /// 停用: the unit keeps its items and history but is given nothing new.
    case retireUnit(name: String)
    /// A whole ledger exported with `ducha export ledger --format json` was read into this
    /// repository: its `records` entries come before this one, as they were; `sha256` is the file's.
    case importLedger(records: Int, sha256: String)
    case addUser(User)
    case removeUser(login: String)
    /// 通报第N期 issued on a day, naming `overdue` items.
    case issueNotice(serial: Int, day: Day, overdue: Int)
    /// A basis's 落实情况通报 第N期 (its own serial, per basis label) issued on a day, of `items`
    /// items, `closed` of them closed.
    case issueProgress(basis: String, serial: Int, day: Day, items: Int, closed: Int)
    /// A year's holiday table (节假日安排) the office added, with the SHA-256 of the file it came
    /// from. Only recorded tables (and those shipped with ducha) are used.
    indirect case addCalendar(HolidayTable, sha256: String)
    case item(ItemNumber, ItemAction)
}

/// The fields given when an item is registered (立项).
public struct Registration: Sendable, Equatable {
    public var title: String
    public var instruction: String
    public var source: String
    /// 批示领导.
    public var leader: String
    public var leadUnit: String
    public var coUnits: [String]
    /// 第一责任人.
    public var owner: String
    /// 联系人 and phone.
    public var contact: String
    public var phone: String
    public var assignedOn: Day
    public var deadline: Day
    public var urgency: Urgency
    /// 定期反馈, if the item must report on a fixed cycle.
    public var feedbackCycle: FeedbackCycle?
    /// 交办依据: the meeting or document the item comes from (县政府第12次常务会议), its number
    /// (文号, 〔2026〕12号) and its date; empty when the item has none.
    public var basis: String
    public var basisNumber: String
    public var basisDate: Day?

    public init(
        title: String, instruction: String = "", source: String, leader: String = "", leadUnit: String,
        coUnits: [String] = [], owner: String = "", contact: String = "", phone: String = "", assignedOn: Day,
        deadline: Day, urgency: Urgency = .normal, feedbackCycle: FeedbackCycle? = nil, basis: String = "",
        basisNumber: String = "", basisDate: Day? = nil
    ) {
        self.basis = basis
        self.basisNumber = basisNumber
        self.basisDate = basisDate
        self.title = title
        self.instruction = instruction
        self.source = source
        self.leader = leader
        self.leadUnit = leadUnit
        self.coUnits = coUnits
        self.owner = owner
        self.contact = contact
        self.phone = phone
        self.assignedOn = assignedOn
        self.deadline = deadline
        self.urgency = urgency
        self.feedbackCycle = feedbackCycle
    }
}

/// A field the office may edit, by its stored key; its name and value are its `RegisteredField`'s.
public enum ItemField: String, Labelled {
    case title
    case instruction
    case source
    case leader
    case coUnits = "co"
    case owner
    case contact
    case phone
    case assignedOn = "assigned"
    case deadline
    case urgency
    case cycle
    case basis
    case basisNumber = "basisNo"
    case basisDate

    public var label: String { RegisteredField.of(self).label }
}

/// One edited field: its value before and after, as text (units joined by 、, dates as
/// YYYY-MM-DD, urgency by its label).
public struct FieldChange: Sendable, Equatable {
    public var field: ItemField
    public var old: String
    public var new: String

    public init(field: ItemField, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// How an item stood in the ledger it was imported from (an Excel 台账): recorded right after
/// its registration, and shown in its history as imported, never as actions nobody took.
public struct ImportedState: Sendable, Equatable {
    public var state: ItemState
    /// The deadline first assigned, when the ledger shows it was extended.
    public var originalDeadline: Day?
    public var closedOn: Day?
    public var grade: Grade?
    /// The ledger's latest progress and its date.
    public var progressDay: Day?
    public var progress: String
    /// Why it was withdrawn or suspended, or any remark.
    public var note: String

    public init(
        state: ItemState, originalDeadline: Day? = nil, closedOn: Day? = nil, grade: Grade? = nil, progressDay: Day? = nil,
        progress: String = "", note: String = ""
    ) {
        self.state = state
        self.originalDeadline = originalDeadline
        self.closedOn = closedOn
        self.grade = grade
        self.progressDay = progressDay
        self.progress = progress
        self.note = note
    }
}

/// What happens to an item.
public enum ItemAction: Sendable, Equatable {
    /// 立项/交办 by the office.
    indirect case register(Registration)
    /// 签收 by the lead unit.
    case sign
    /// 退办 by the lead unit, back to the office to reassign.
    case decline(reason: String)
    /// The office hands the item to another (or the same) lead unit after a 退办 or a correction:
    /// a new assignment as of the day recorded (`assignment`; nil in records written before
    /// reassignment was one, which kept the old dates and people).
    case reassign(lead: String, coUnits: [String], reason: String, assignment: NewAssignment? = nil)
    /// 反馈 by the lead or a co-unit (`Entry.unit`).
    case feedback(text: String)
    /// 延期申请 by the lead unit.
    case requestExtension(to: Day, reason: String)
    case approveExtension(to: Day, note: String)
    case denyExtension(reason: String)
    /// The lead unit withdraws its pending extension request (recorded, for one, when it asks
    /// to close the item while the request waits: see `Workflow`).
    case withdrawExtension(to: Day, reason: String)
    /// 申请办结 with the 办结报告.
    case requestCompletion(report: String)
    /// 审核通过 (办结), optionally graded.
    case approveCompletion(grade: Grade?, note: String)
    /// 审核退回, with the reason. Never erased: repeated returns expose paper closures.
    case returnCompletion(reason: String)
    /// 催办.
    case remind(method: ReminderMethod, note: String)
    /// A leader's or the office's comment (批注).
    case comment(text: String)
    /// 肯定性批示: the office marks a leader's affirming instruction on the item's work (a
    /// bonus in the scoring of the unit then leading it).
    case commend(note: String)
    case withdraw(reason: String)
    case suspend(reason: String)
    /// 恢复办理; `shift`: the deadline moved by the working days suspended (nil in records
    /// written before suspension stopped the clock, and when no working day passed).
    case resume(reason: String, shift: DeadlineShift? = nil)
    /// The office returns a closed item to 办理中 (回头看, a new 批示) with a new deadline: the
    /// closure stays in the history and in the statistics of its period.
    case reopen(reason: String, deadline: Day, reminders: Int = 0)
    /// Reverses the actor's own last action of the day on the item (a compensating record).
    case undo(Undo)
    /// Field edits by the office; the reason may be empty except for deadline changes.
    case edit(changes: [FieldChange], reason: String)
    /// The state the item had in the ledger it was imported from.
    indirect case imported(ImportedState)
    /// 佐证材料: a file kept in the repository under its SHA-256, by the item's units or the office.
    case attach(Evidence)

    /// The stored action name.
    public var code: String {
        switch self {
        case .register: "register"
        case .sign: "sign"
        case .decline: "decline"
        case .reassign: "reassign"
        case .feedback: "feedback"
        case .requestExtension: "extension.request"
        case .approveExtension: "extension.approve"
        case .denyExtension: "extension.deny"
        case .withdrawExtension: "extension.withdraw"
        case .requestCompletion: "completion.request"
        case .approveCompletion: "review.approve"
        case .returnCompletion: "review.return"
        case .remind: "remind"
        case .commend: "commend"
        case .comment: "comment"
        case .withdraw: "withdraw"
        case .suspend: "suspend"
        case .resume: "resume"
        case .reopen: "reopen"
        case .undo: "undo"
        case .edit: "edit"
        case .imported: "import"
        case .attach: "attach"
        }
    }

    /// The verb in Chinese, as used in refusals (无权签收) and history (签收).
    public var verb: String {
        switch self {
        case .register: "立项"
        case .sign: "签收"
        case .decline: "退办"
        case .reassign: "重新交办"
        case .feedback: "反馈"
        case .requestExtension: "申请延期"
        case .approveExtension: "批准延期"
        case .denyExtension: "不批准延期"
        case .withdrawExtension: "撤回延期申请"
        case .requestCompletion: "申请办结"
        case .approveCompletion: "审核通过"
        case .returnCompletion: "审核退回"
        case .remind: "催办"
        case .comment: "批注"
        case .commend: "记录肯定性批示"
        case .withdraw: "撤销"
        case .suspend: "暂缓"
        case .resume: "恢复办理"
        case .reopen: "重新办理"
        case .undo: "撤回"
        case .edit: "修改"
        case .imported: "导入"
        case .attach: "上传佐证材料"
        }
    }
}

/// What a reassignment gives the new lead unit: its own 交办日期 and deadline, its people, and
/// the old unit's extension request it lets lapse, if any.
public struct NewAssignment: Sendable, Equatable {
    public var assignedOn: Day
    public var deadline: Day
    public var owner: String
    public var contact: String
    public var phone: String
    /// The date the old lead unit's pending extension request asked for; the request lapses.
    public var droppedExtension: Day?
    /// The 催办 the old lead unit received during its assignment (counted from the history
    /// when the office decided; kept as the old unit's).
    public var reminders: Int
    /// The day the old lead unit declined (退办), when it did: its clock stopped then, however
    /// long the office took to reassign.
    public var declinedOn: Day?

    public init(
        assignedOn: Day, deadline: Day, owner: String = "", contact: String = "", phone: String = "",
        droppedExtension: Day? = nil, reminders: Int = 0, declinedOn: Day? = nil
    ) {
        self.declinedOn = declinedOn
        self.assignedOn = assignedOn
        self.deadline = deadline
        self.owner = owner
        self.contact = contact
        self.phone = phone
        self.droppedExtension = droppedExtension
        self.reminders = reminders
    }
}

/// How a resumption moves the deadline: by the working days the item was suspended.
public struct DeadlineShift: Sendable, Equatable {
    public var workdays: Int
    public var from: Day
    public var to: Day

    public init(workdays: Int, from: Day, to: Day) {
        self.workdays = workdays
        self.from = from
        self.to = to
    }
}

/// A compensating record: which entry it reverses, and what that needs restored.
public struct Undo: Sendable, Equatable {
    /// The sequence number of the entry reversed.
    public var seq: Int
    /// Its action's stored code (`ItemAction.code`).
    public var code: String
    /// For a feedback reversed: the progress shown before it (nil when there was none).
    public var progress: Item.Progress?

    public init(seq: Int, code: String, progress: Item.Progress? = nil) {
        self.seq = seq
        self.code = code
        self.progress = progress
    }

    /// The actions that may be reversed, by code, with their verbs: none of them moves a
    /// deadline, erases a return or hands the item to someone else.
    public static let undoable: [(code: String, verb: String)] = [
        ("sign", "签收"), ("decline", "退办"), ("feedback", "反馈"), ("extension.request", "申请延期"),
        ("completion.request", "申请办结"), ("remind", "催办"), ("comment", "批注"), ("suspend", "暂缓"),
        ("review.approve", "审核通过"), ("attach", "上传佐证材料"),
    ]

    public static func verb(of code: String) -> String? { undoable.first { $0.code == code }?.verb }

    /// 签收、退办、反馈…: for help texts and refusals.
    public static var undoableList: String { undoable.map(\.verb).joined(separator: "、") }
}
