/// A supervision item (督查事项): the registered fields as they now stand, the state, and the
/// full history of entries that produced them.
public struct Item: Sendable, Equatable {
    public let number: ItemNumber
    public var title: String
    /// 批示内容: the leader's instruction or the decision as assigned.
    public var instruction: String
    public var source: String
    /// 批示领导.
    public var leader: String
    public var leadUnit: String
    public var coUnits: [String]
    public var owner: String
    public var contact: String
    public var phone: String
    public var assignedOn: Day
    /// The deadline in force (after approved extensions and edits).
    public var deadline: Day
    /// The deadline first assigned; stays visible after extensions.
    public private(set) var originalDeadline: Day
    public var urgency: Urgency
    /// 定期反馈.
    public var feedbackCycle: FeedbackCycle?
    /// 交办依据: the meeting or document, its 文号 and date (see `Registration`).
    public var basis: String
    public var basisNumber: String
    public var basisDate: Day?
    public var state: ItemState
    /// The state to return to on resume.
    public var stateBeforeSuspension: ItemState?
    public let registeredAt: Timestamp
    public var signedOn: Day?
    /// The lead unit's 退办 reason while the office has not yet reassigned the item.
    public var pendingDecline: String?
    public var pendingExtension: PendingExtension?
    public var extensionsApproved: Int
    /// The day of the completion request awaiting review.
    public var completionRequestedOn: Day?
    /// The day of the completion request that was approved: on-time is judged by it.
    public var completedOn: Day?
    /// The day the office approved the closure.
    public var closedOn: Day?
    public var grade: Grade?
    /// 审核退回 count.
    public var returns: Int
    /// 催办 of the current assignment, undone ones excepted. Nil when not known: a snapshot
    /// written before the count was kept, until the history is read (`attachHistory`,
    /// `countReminders`).
    public var reminders: Int? = 0
    /// 肯定性批示 the office marked on the current assignment (`ItemAction.commend`).
    public var commendations = 0
    /// Calendar days the item was already late when it was suspended: 暂缓 stops the clock, it
    /// does not forgive what was earned before (0 when it was not late, or not suspended; nil for
    /// a suspended item read from a snapshot written before this was kept).
    public var lateAtSuspension: Int? = 0
    /// The reason given for withdrawal or suspension.
    public var stateReason: String
    /// 最新进展: the latest feedback (or the progress an imported ledger showed).
    public private(set) var latestProgress: Progress?
    /// The days of every feedback, oldest first: what a feedback cycle is judged by.
    public private(set) var feedbackDays: [Day]
    /// Working days the deadline of the current assignment was moved by suspensions.
    public var suspendedWorkdays: Int
    /// The earlier assignments, oldest first: handed to another unit (重新交办) or closed and
    /// reopened (重新办理). What happened under each stays its unit's.
    public var earlierAssignments: [Assignment]
    /// How many entries the item's history has in all.
    public private(set) var eventCount: Int
    /// The entries loaded: all of them, or — when a ledger was read for its states only — the
    /// most recent ones applied since (see `hasFullHistory`).
    public private(set) var history: [Entry]

    /// Whether `history` holds every entry of the item.
    public var hasFullHistory: Bool { history.count == eventCount }

    /// One unit's part of a 分别办理 item (a child of one, see `isSplit`): set by the ledger
    /// that holds it, from its parent; not recorded.
    public internal(set) var isPart = false

    /// Says the item is (or is not) a unit's part of a 分别办理 item, for a store that reads
    /// states apart from their families and knows it otherwise (a database's `is_part`).
    public mutating func markPart(_ part: Bool) { isPart = part }

    /// A 分别办理 item: handed to several units each on its own, it has no lead unit of its own;
    /// each unit's part is its child (之N), an item of that unit. Its state is its parts'
    /// (`Ledger.shownState`); it has no light and no place in statistics.
    public var isSplit: Bool { leadUnit.isEmpty && !number.isChild }

    /// Its number as people read it: a unit's part of a 分别办理 item is the parent's number
    /// followed by the unit, 督〔2026〕第0003号（城关镇）; any other item its own number.
    public var shownNumber: String { isPart ? "\(number.family)（\(leadUnit)）" : number.description }

    /// The latest progress and who reported it.
    public struct Progress: Sendable, Equatable {
        public var day: Day
        public var text: String
        public var unit: String?

        public init(day: Day, text: String, unit: String?) {
            self.day = day
            self.text = text
            self.unit = unit
        }
    }

    /// One earlier assignment of the item, as it ended.
    public struct Assignment: Sendable, Equatable {
        public var leadUnit: String
        public var coUnits: [String]
        public var assignedOn: Day
        public var deadline: Day
        public var originalDeadline: Day
        public var extensionsApproved: Int
        public var returns: Int
        public var reminders: Int
        /// 肯定性批示 marked while it ran.
        public var commendations = 0
        /// The day it ended: handed to another unit, or reopened after its closure.
        public var endedOn: Day
        /// For a closed assignment: the day completion was reported, the day the office
        /// approved it, and the grade. Nil for one handed to another unit.
        public var completedOn: Day?
        public var closedOn: Day?
        public var grade: Grade?
        /// For one handed over after its unit declined (退办): the day it declined.
        public var declinedOn: Day?

        public init(
            leadUnit: String, coUnits: [String], assignedOn: Day, deadline: Day, originalDeadline: Day,
            extensionsApproved: Int, returns: Int, reminders: Int, endedOn: Day, completedOn: Day? = nil,
            closedOn: Day? = nil, grade: Grade? = nil, declinedOn: Day? = nil
        ) {
            self.declinedOn = declinedOn
            self.leadUnit = leadUnit
            self.coUnits = coUnits
            self.assignedOn = assignedOn
            self.deadline = deadline
            self.originalDeadline = originalDeadline
            self.extensionsApproved = extensionsApproved
            self.returns = returns
            self.reminders = reminders
            self.endedOn = endedOn
            self.completedOn = completedOn
            self.closedOn = closedOn
            self.grade = grade
        }

        /// True when the item was handed to another unit rather than closed.
        public var handedOver: Bool { completedOn == nil }

        /// Calendar days late: past the deadline when completion was reported (closed), when
        /// the unit declined, or else when it was handed over; 0 when in time.
        public var daysLate: Int {
            let end = completedOn ?? declinedOn ?? endedOn
            return end > deadline ? deadline.days(to: end) : 0
        }
    }

    public struct PendingExtension: Sendable, Equatable {
        public var to: Day
        public var reason: String
        public var requestedOn: Day
    }

    /// Creates the item from its registration entry.
    public init(registering r: Registration, number: ItemNumber, entry: Entry) {
        self.init(
            number: number, registration: r, originalDeadline: r.deadline, registeredAt: entry.at, state: .pending, eventCount: 1)
        history = [entry]
    }

    /// The item its entries describe, folded from the registration on.
    public static func folding(_ entries: [Entry]) throws(CoreError) -> Item {
        guard let first = entries.first, case .item(let number, .register(let r)) = first.change else {
            throw .inconsistent("事项的第一条记录应为立项")
        }
        var item = Item(registering: r, number: number, entry: first)
        for e in entries.dropFirst() {
            guard case .item(let n, let action) = e.change, n == number else {
                throw .inconsistent("第 \(e.seq) 条记录不属于 \(number)")
            }
            try item.apply(e, action: action)
        }
        return item
    }

    /// An item as a snapshot stores its state, without its history (attach it with
    /// `attachHistory` when it is read too).
    public init(
        number: ItemNumber, registration r: Registration, originalDeadline: Day, registeredAt: Timestamp, state: ItemState,
        eventCount: Int
    ) {
        self.number = number
        title = r.title
        instruction = r.instruction
        source = r.source
        leader = r.leader
        leadUnit = r.leadUnit
        coUnits = r.coUnits
        owner = r.owner
        contact = r.contact
        phone = r.phone
        assignedOn = r.assignedOn
        deadline = r.deadline
        self.originalDeadline = originalDeadline
        urgency = r.urgency
        feedbackCycle = r.feedbackCycle
        basis = r.basis
        basisNumber = r.basisNumber
        basisDate = r.basisDate
        self.state = state
        self.registeredAt = registeredAt
        extensionsApproved = 0
        returns = 0
        stateReason = ""
        feedbackDays = []
        suspendedWorkdays = 0
        earlierAssignments = []
        self.eventCount = eventCount
        history = []
    }

    /// Sets the original deadline a snapshot stores (used only when reading one).
    public mutating func restore(originalDeadline: Day) { self.originalDeadline = originalDeadline }

    /// Sets the derived fields a snapshot stores (used only when reading one).
    public mutating func restore(latestProgress: Progress?, feedbackDays: [Day]) {
        self.latestProgress = latestProgress
        self.feedbackDays = feedbackDays
    }

    /// Attaches the complete history read from a snapshot.
    public mutating func attachHistory(_ entries: [Entry]) throws(CoreError) {
        guard entries.count == eventCount else {
            throw .inconsistent("\(number) 的办理记录有 \(entries.count) 条，状态中记为 \(eventCount) 条")
        }
        history = entries
        if reminders == nil { reminders = remindersSinceAssigned }
    }

    /// Sets the reminder count a snapshot written before it was kept lacks, from the history
    /// read but not kept (a ledger loaded for states only).
    public mutating func countReminders(in entries: [Entry]) {
        guard reminders == nil else { return }
        let kept = history
        history = entries
        reminders = remindersSinceAssigned
        history = kept
    }

    /// The registered fields as they now stand (after edits and reassignments).
    public var registration: Registration {
        get {
            Registration(
                title: title, instruction: instruction, source: source, leader: leader, leadUnit: leadUnit, coUnits: coUnits,
                owner: owner, contact: contact, phone: phone, assignedOn: assignedOn, deadline: deadline, urgency: urgency,
                feedbackCycle: feedbackCycle, basis: basis, basisNumber: basisNumber, basisDate: basisDate)
        }
        set {
            title = newValue.title
            instruction = newValue.instruction
            source = newValue.source
            leader = newValue.leader
            leadUnit = newValue.leadUnit
            coUnits = newValue.coUnits
            owner = newValue.owner
            contact = newValue.contact
            phone = newValue.phone
            assignedOn = newValue.assignedOn
            deadline = newValue.deadline
            urgency = newValue.urgency
            feedbackCycle = newValue.feedbackCycle
            basis = newValue.basis
            basisNumber = newValue.basisNumber
            basisDate = newValue.basisDate
        }
    }

    /// Everything but the history (two readings of one item agree on this).
    public func sameState(as o: Item) -> Bool {
        number == o.number && registration == o.registration && originalDeadline == o.originalDeadline && state == o.state
            && stateBeforeSuspension == o.stateBeforeSuspension
            && registeredAt == o.registeredAt && signedOn == o.signedOn && pendingDecline == o.pendingDecline
            && pendingExtension == o.pendingExtension && extensionsApproved == o.extensionsApproved
            && completionRequestedOn == o.completionRequestedOn && completedOn == o.completedOn && closedOn == o.closedOn
            && grade == o.grade && returns == o.returns
            && (reminders == nil || o.reminders == nil || reminders == o.reminders) && commendations == o.commendations
            && (lateAtSuspension == nil || o.lateAtSuspension == nil || lateAtSuspension == o.lateAtSuspension)
            && stateReason == o.stateReason && latestProgress == o.latestProgress
            && feedbackDays == o.feedbackDays && suspendedWorkdays == o.suspendedWorkdays
            && earlierAssignments == o.earlierAssignments
            && eventCount == o.eventCount
    }

    public static func == (a: Item, b: Item) -> Bool {
        a.sameState(as: b) && (!a.hasFullHistory || !b.hasFullHistory || a.history == b.history)
    }

    /// Gives units their current names (`Ledger.formerNames`): the state follows a rename, the
    /// history keeps the names it was recorded with.
    public mutating func renameUnits(_ names: [String: String]) {
        guard !names.isEmpty else { return }
        if let n = names[leadUnit] { leadUnit = n }
        coUnits = coUnits.map { names[$0] ?? $0 }
        if let u = latestProgress?.unit, let n = names[u] { latestProgress?.unit = n }
        // What happened under an earlier assignment stays its unit's, under the unit's name now.
        for i in earlierAssignments.indices {
            if let n = names[earlierAssignments[i].leadUnit] { earlierAssignments[i].leadUnit = n }
            earlierAssignments[i].coUnits = earlierAssignments[i].coUnits.map { names[$0] ?? $0 }
        }
    }

    /// Whether `unit` leads or co-handles the item.
    public func involves(unit: String) -> Bool { leadUnit == unit || coUnits.contains(unit) }

    /// Applies an entry that concerns this item. The state precondition is checked (a journal
    /// that breaks it is damaged); permissions and date rules were checked when it was recorded.
    public mutating func apply(_ entry: Entry, action: ItemAction) throws(CoreError) {
        try Transition.checkState(action, of: self)
        try Transition.checkSituation(action, of: self)
        let day = entry.day
        switch action {
        case .register:
            throw .inconsistent("\(number) 重复立项")
        case .sign:
            state = .active
            signedOn = day
            pendingDecline = nil
        case .decline(let reason):
            pendingDecline = reason
        case .reassign(let lead, let co, _, let assignment):
            if let a = assignment {
                // A new assignment: what happened under the old unit is kept as its own.
                endAssignment(on: day, reminders: a.reminders, declinedOn: a.declinedOn)
                assignedOn = a.assignedOn
                deadline = a.deadline
                originalDeadline = a.deadline
                owner = a.owner
                contact = a.contact
                phone = a.phone
                extensionsApproved = 0
                returns = 0
                reminders = 0
                commendations = 0
                suspendedWorkdays = 0
                feedbackDays = []
            }
            leadUnit = lead
            coUnits = co
            pendingDecline = nil
            signedOn = nil
            state = .pending
            pendingExtension = nil
        case .feedback(let text):
            latestProgress = Progress(day: day, text: text, unit: entry.unit)
            feedbackDays.append(day)
        case .requestExtension(let to, let reason):
            pendingExtension = PendingExtension(to: to, reason: reason, requestedOn: day)
        case .approveExtension(let to, _):
            deadline = to
            extensionsApproved += 1
            pendingExtension = nil
        case .denyExtension, .withdrawExtension:
            pendingExtension = nil
        case .requestCompletion:
            state = .review
            completionRequestedOn = day
            // Records written before the withdrawal was recorded on its own withdrew a pending
            // extension here; the workflow now records `withdrawExtension` first.
            pendingExtension = nil
        case .approveCompletion(let grade, _):
            state = .closed
            completedOn = completionRequestedOn ?? day
            closedOn = day
            self.grade = grade
        case .returnCompletion:
            state = .active
            completionRequestedOn = nil
            returns += 1
        case .remind:
            reminders = reminders.map { $0 + 1 }
        case .commend:
            commendations += 1
        case .comment, .attach:
            break
        case .withdraw(let reason):
            state = .withdrawn
            stateReason = reason
            pendingExtension = nil
        case .suspend(let reason):
            stateBeforeSuspension = state
            state = .suspended
            stateReason = reason
            lateAtSuspension = max(0, deadline.days(to: day))
        case .resume(_, let shift):
            state = stateBeforeSuspension ?? .active
            stateBeforeSuspension = nil
            stateReason = ""
            lateAtSuspension = 0
            if let shift {
                deadline = shift.to
                suspendedWorkdays += shift.workdays
            }
        case .reopen(_, let due, let reminders):
            endAssignment(on: day, reminders: reminders)
            state = .active
            assignedOn = day
            signedOn = day
            deadline = due
            originalDeadline = due
            completionRequestedOn = nil
            completedOn = nil
            closedOn = nil
            grade = nil
            extensionsApproved = 0
            returns = 0
            self.reminders = 0
            commendations = 0
            suspendedWorkdays = 0
            feedbackDays = []
        case .undo(let u):
            try reverse(u)
        case .edit(let changes, _):
            for c in changes { try applyEdit(c) }
        case .imported(let i):
            guard eventCount == 1 else { throw .inconsistent("\(number) 的导入记录须紧随立项") }
            state = i.state
            if let o = i.originalDeadline { originalDeadline = o }
            if i.state != .pending { signedOn = assignedOn }
            if i.state == .closed {
                closedOn = i.closedOn
                completedOn = i.closedOn
                grade = i.grade
            }
            if i.state == .review { completionRequestedOn = i.closedOn ?? i.progressDay ?? day }
            if i.state == .suspended { stateBeforeSuspension = .active }
            if i.state == .withdrawn || i.state == .suspended { stateReason = i.note }
            if let d = i.progressDay, !i.progress.isEmpty {
                latestProgress = Progress(day: d, text: i.progress, unit: nil)
                feedbackDays.insert(d, at: 0)
            }
        }
        history.append(entry)
        eventCount += 1
    }

    /// Keeps the current assignment, as it ends on `day`, among the earlier ones.
    mutating func endAssignment(on day: Day, reminders: Int, declinedOn: Day? = nil) {
        earlierAssignments.append(
            Assignment(
                leadUnit: leadUnit, coUnits: coUnits, assignedOn: assignedOn, deadline: deadline,
                originalDeadline: originalDeadline, extensionsApproved: extensionsApproved, returns: returns,
                reminders: reminders, endedOn: day, completedOn: state == .closed ? completedOn : nil,
                closedOn: state == .closed ? closedOn : nil, grade: state == .closed ? grade : nil, declinedOn: declinedOn))
        earlierAssignments[earlierAssignments.count - 1].commendations = commendations
    }

    /// Reverses the entry an undo names (the workflow allowed it: the item's last entry, one of
    /// `Undo.undoable`); the state it needs is checked, as a damaged journal could break it.
    mutating func reverse(_ u: Undo) throws(CoreError) {
        if hasFullHistory, let last = history.last, last.seq != u.seq || last.change.itemAction?.code != u.code {
            throw .inconsistent("\(number) 的撤回记录所指的第 \(u.seq) 条记录不是该事项的最后一条记录")
        }
        func need(_ s: ItemState) throws(CoreError) {
            guard state == s else { throw .inconsistent("\(number) 当前为“\(state.label)”，不能撤回\(Undo.verb(of: u.code) ?? u.code)") }
        }
        switch u.code {
        case "sign":
            try need(.active)
            state = .pending
            signedOn = nil
        case "decline":
            pendingDecline = nil
        case "feedback":
            guard !feedbackDays.isEmpty else { throw .inconsistent("\(number) 没有可撤回的反馈") }
            feedbackDays.removeLast()
            latestProgress = u.progress
        case "extension.request":
            pendingExtension = nil
        case "completion.request":
            try need(.review)
            state = .active
            completionRequestedOn = nil
        case "remind":
            reminders = reminders.map { max(0, $0 - 1) }
        case "comment", "attach":
            break
        case "suspend":
            try need(.suspended)
            state = stateBeforeSuspension ?? .active
            stateBeforeSuspension = nil
            stateReason = ""
            lateAtSuspension = 0
        case "review.approve":
            try need(.closed)
            state = .review
            completedOn = nil
            closedOn = nil
            grade = nil
        default:
            throw .inconsistent("\(number) 的撤回记录所指的操作“\(u.code)”不能撤回")
        }
    }

    mutating func applyEdit(_ c: FieldChange) throws(CoreError) {
        let f = RegisteredField.of(c.field)
        var r = registration
        guard f.set(c.new, in: &r) else { throw .inconsistent("\(number) \(f.label) \(c.new) 无效") }
        registration = r
    }

    /// The current text of an editable field, in the form FieldChange stores.
    public func value(of field: ItemField) -> String { RegisteredField.of(field).text(of: registration) }

    /// The day the current suspension began, read from the history (nil when the item is not
    /// suspended or its history is not held).
    public var suspendedSince: Day? {
        guard state == .suspended else { return nil }
        return history.last { if case .suspend = $0.itemAction { true } else { false } }?.day
    }

    /// The 催办 of the current assignment not undone since, counted in the history.
    public var remindersSinceAssigned: Int {
        var undone = Set<Int>()
        var count = 0
        for e in history.reversed() {
            switch e.itemAction {
            case .undo(let u)?: undone.insert(u.seq)
            case .remind?: if !undone.contains(e.seq) { count += 1 }
            case .register?, .reopen?, .reassign(_, _, _, _?)?: return count
            default: break
            }
        }
        return count
    }

    /// The day the item was first assigned (to its first lead unit).
    public var firstAssignedOn: Day { earlierAssignments.first?.assignedOn ?? assignedOn }

    /// The day of the latest feedback, if any (imported progress counts).
    public var lastFeedbackDay: Day? { latestProgress?.day }

    /// Splits a list of units typed as 甲、乙 or 甲;乙 or 甲,乙.
    public static func splitUnits(_ text: String) -> [String] {
        text.split(whereSeparator: { "、;；,，".contains($0) }).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }
}
