/// What the overview counts of an item that is done with (closed or withdrawn), and who may
/// see it: the snapshot writes it at the head of such an item's line, so that a report about
/// open items (the overdue notice) counts the others without reading their states. A closed
/// item's light does not depend on the day or the calendar (finished by the deadline or not),
/// so these facts stay true until the item is reopened — which rewrites its line.
///
/// Only items that stand alone have them: a 分别办理 item and its parts, and any item numbered
/// as a child (之N), are always read whole, for lists show families together.
public struct ClosedFacts: Sendable, Equatable {
    public var number: ItemNumber
    public var state: ItemState
    public var deadline: Day
    public var completedOn: Day?
    public var closedOn: Day?
    public var leadUnit: String
    public var coUnits: [String]

    public init(
        number: ItemNumber, state: ItemState, deadline: Day, completedOn: Day?, closedOn: Day?, leadUnit: String,
        coUnits: [String]
    ) {
        self.number = number
        self.state = state
        self.deadline = deadline
        self.completedOn = completedOn
        self.closedOn = closedOn
        self.leadUnit = leadUnit
        self.coUnits = coUnits
    }

    /// The facts of `item`, or nil when it is open or part of a family.
    public init?(_ item: borrowing Item) {
        guard item.state == .closed || item.state == .withdrawn, !item.number.isChild, !item.leadUnit.isEmpty else {
            return nil
        }
        self.init(
            number: item.number, state: item.state, deadline: item.deadline, completedOn: item.completedOn,
            closedOn: item.closedOn, leadUnit: item.leadUnit, coUnits: item.coUnits)
    }

    public func involves(unit: String) -> Bool { leadUnit == unit || coUnits.contains(unit) }

    /// Whether `actor` sees the item (as `Ledger.canSee`).
    public func isVisible(to actor: Actor) -> Bool {
        actor.role != .unit || (actor.unit.map { involves(unit: $0) } ?? false)
    }

    /// What its status depends on. (A closed item's light compares its completion with its
    /// deadline only; the facts of open items — assignment, feedback, pending requests — play
    /// no part, so they are left empty.)
    public var statusFacts: StatusEvaluator.Facts {
        StatusEvaluator.Facts(
            state: state, deadline: deadline, assignedOn: deadline, completedOn: completedOn, closedOn: closedOn,
            completionRequestedOn: nil, declinePending: false, extensionsApproved: 0, feedbackCycle: nil, feedbackDays: [])
    }
}

extension Overview {
    /// Counts an item known by its closed facts alone.
    public mutating func add(_ closed: ClosedFacts, _ evaluator: StatusEvaluator) {
        let facts = closed.statusFacts
        add(facts, evaluator.status(facts), today: evaluator.today)
    }
}

extension ItemStateCodec {
    /// `{"state":"closed","deadline":"…","completed":"…","closed":"…","lead":"…","co":[…]}`
    public static func encode(_ facts: ClosedFacts, into w: inout JSONWriter) {
        w.beginObject()
        w.field("state", facts.state.rawValue)
        w.field("deadline", facts.deadline.description)
        if let d = facts.completedOn { w.field("completed", d.description) }
        if let d = facts.closedOn { w.field("closed", d.description) }
        w.field("lead", facts.leadUnit)
        if !facts.coUnits.isEmpty { w.field("co", facts.coUnits) }
        w.endObject()
    }

    /// Reads closed facts at the reader's position.
    public static func decodeClosedFacts(
        _ r: inout JSONReader, number: ItemNumber, pool: StringPool
    ) throws(JSONError) -> ClosedFacts {
        let start = r.position
        var state: ItemState?
        var deadline: Day?
        var completed: Day?
        var closed: Day?
        var lead: String?
        var co: [String] = []
        try r.beginObject()
        while let key = try r.nextKeyCode() {
            switch key {
            case StateKey.state: state = ItemState(rawValue: try r.readString())
            case StateKey.deadline: deadline = try r.readDay()
            case StateKey.completed: completed = try r.readDay()
            case StateKey.closed: closed = try r.readDay()
            case StateKey.lead: lead = try r.readString(pool: pool)
            case StateKey.co:
                try r.beginArray()
                while try r.nextElement() { co.append(try r.readString(pool: pool)) }
            default: try r.skipValue()
            }
        }
        guard let state, state == .closed || state == .withdrawn, let deadline, let lead, !lead.isEmpty, !number.isChild else {
            throw JSONError(message: "\(number)：办结概要不完整", offset: start)
        }
        return ClosedFacts(
            number: number, state: state, deadline: deadline, completedOn: completed, closedOn: closed, leadUnit: lead,
            coUnits: co)
    }
}
