/// An item's state as the snapshot stores it beside its history (format 2): everything reports
/// and the workflow need, so that they can read states and skip histories. The state is always
/// the fold of the history; `ducha check` verifies that it is.
public enum ItemStateCodec {
    public static func encode(_ item: Item, into w: inout JSONWriter) {
        w.beginObject()
        let original = item.originalDeadline
        RegisteredField.encode(item.registration, into: &w) { key, w in
            if key == "deadline", original != item.deadline { w.field("original", original.description) }
        }
        w.field("state", item.state.rawValue)
        if let s = item.stateBeforeSuspension { w.field("resumeTo", s.rawValue) }
        w.field("registered", item.registeredAt.description)
        if let d = item.signedOn { w.field("signed", d.description) }
        if let d = item.pendingDecline { w.field("declined", d) }
        if let p = item.pendingExtension {
            w.key("extension")
            w.beginObject()
            w.field("to", p.to.description)
            w.field("reason", p.reason)
            w.field("on", p.requestedOn.description)
            w.endObject()
        }
        if item.extensionsApproved > 0 { w.field("extensions", item.extensionsApproved) }
        if let d = item.completionRequestedOn { w.field("reported", d.description) }
        if let d = item.completedOn { w.field("completed", d.description) }
        if let d = item.closedOn { w.field("closed", d.description) }
        if let g = item.grade { w.field("grade", g.rawValue) }
        if item.returns > 0 { w.field("returns", item.returns) }
        // Always written when known, 0 too: a state without it comes from a snapshot written
        // before the count was kept, and the reader counts it from the history.
        if let n = item.reminders { w.field("reminders", n) }
        if item.commendations > 0 { w.field("commends", item.commendations) }
        // A suspended item always says how late it was when suspended (0 too): one without it
        // comes from a snapshot written before this was kept.
        if item.state == .suspended, let n = item.lateAtSuspension { w.field("suspendedLate", n) }
        w.optionalField("reason", item.stateReason)
        if let p = item.latestProgress {
            w.key("progress")
            w.beginObject()
            w.field("day", p.day.description)
            w.field("text", p.text)
            if let u = p.unit { w.field("unit", u) }
            w.endObject()
        }
        if !item.feedbackDays.isEmpty { w.field("feedbackDays", item.feedbackDays.map(\.description)) }
        if item.suspendedWorkdays > 0 { w.field("pausedDays", item.suspendedWorkdays) }
        if !item.earlierAssignments.isEmpty {
            w.key("earlier")
            w.beginArray()
            for a in item.earlierAssignments {
                w.beginObject()
                w.field("lead", a.leadUnit)
                if !a.coUnits.isEmpty { w.field("co", a.coUnits) }
                w.field("assigned", a.assignedOn.description)
                w.field("deadline", a.deadline.description)
                if a.originalDeadline != a.deadline { w.field("original", a.originalDeadline.description) }
                if a.extensionsApproved > 0 { w.field("extensions", a.extensionsApproved) }
                if a.returns > 0 { w.field("returns", a.returns) }
                if a.reminders > 0 { w.field("reminders", a.reminders) }
                if a.commendations > 0 { w.field("commends", a.commendations) }
                w.field("ended", a.endedOn.description)
                if let d = a.completedOn { w.field("completed", d.description) }
                if let d = a.closedOn { w.field("closed", d.description) }
                if let g = a.grade { w.field("grade", g.rawValue) }
                if let d = a.declinedOn { w.field("declined", d.description) }
                w.endObject()
            }
            w.endArray()
        }
        w.field("events", item.eventCount)
        w.endObject()
    }

    /// Reads a state object at the reader's position into an item without history.
    public static func decode(_ r: inout JSONReader, number: ItemNumber, pool: StringPool? = nil) throws(JSONError) -> Item {
        let pool = pool ?? StringPool()
        let start = r.position
        func fail(_ m: String) -> JSONError { JSONError(message: "\(number)：\(m)", offset: start) }
        var title: String?
        var instruction = ""
        var source: String?
        var leader = ""
        var lead: String?
        var co: [String] = []
        var owner = ""
        var contact = ""
        var phone = ""
        var assigned: Day?
        var deadline: Day?
        var original: Day?
        var urgency = Urgency.normal
        var cycle: FeedbackCycle?
        var basis = ""
        var basisNumber = ""
        var basisDate: Day?
        var state: ItemState?
        var resumeTo: ItemState?
        var registered: Timestamp?
        var signed: Day?
        var declined: String?
        var pendingExtension: Item.PendingExtension?
        var extensions = 0
        var reported: Day?
        var completed: Day?
        var closed: Day?
        var grade: Grade?
        var returns = 0
        var reminders: Int? = nil
        var commends = 0
        var suspendedLate: Int? = nil
        var reason = ""
        var progress: Item.Progress?
        var feedbackDays: [Day] = []
        var events: Int?
        var pausedDays = 0
        var earlier: [Item.Assignment] = []
        try r.beginObject()
        while let key = try r.nextKeyCode() {
            switch key {
            case StateKey.title: title = try r.readString()
            case StateKey.instruction: instruction = try r.readString()
            case StateKey.source: source = try r.readString(pool: pool)
            case StateKey.leader: leader = try r.readString(pool: pool)
            case StateKey.lead: lead = try r.readString(pool: pool)
            case StateKey.co:
                try r.beginArray()
                while try r.nextElement() { co.append(try r.readString(pool: pool)) }
            case StateKey.owner: owner = try r.readString()
            case StateKey.contact: contact = try r.readString()
            case StateKey.phone: phone = try r.readString()
            case StateKey.assigned: assigned = try r.readDay()
            case StateKey.deadline: deadline = try r.readDay()
            case StateKey.original: original = try r.readDay()
            case StateKey.urgency:
                guard let u = Urgency(rawValue: try r.readString()) else { throw fail("紧急程度无效") }
                urgency = u
            case StateKey.cycle:
                let text = try r.readString()
                do throws(CoreError) { cycle = try FeedbackCycle.parse(text) } catch { throw fail("反馈周期无效") }
            case StateKey.basis: basis = try r.readString(pool: pool)
            case StateKey.basisNo: basisNumber = try r.readString(pool: pool)
            case StateKey.basisDate: basisDate = try r.readDay()
            case StateKey.state: state = ItemState(rawValue: try r.readString())
            case StateKey.resumeTo: resumeTo = ItemState(rawValue: try r.readString())
            case StateKey.registered:
                registered = try r.readTimestamp()
            case StateKey.signed: signed = try r.readDay()
            case StateKey.declined: declined = try r.readString()
            case StateKey.`extension`:
                var to: Day?
                var why = ""
                var on: Day?
                try r.beginObject()
                while let k = try r.nextKeyCode() {
                    switch k {
                    case StateKey.to: to = try r.readDay()
                    case StateKey.reason: why = try r.readString()
                    case StateKey.on: on = try r.readDay()
                    default: try r.skipValue()
                    }
                }
                guard let to, let on else { throw fail("延期申请不完整") }
                pendingExtension = Item.PendingExtension(to: to, reason: why, requestedOn: on)
            case StateKey.extensions: extensions = try r.readInt()
            case StateKey.reported: reported = try r.readDay()
            case StateKey.completed: completed = try r.readDay()
            case StateKey.closed: closed = try r.readDay()
            case StateKey.grade: grade = Grade(rawValue: try r.readString())
            case StateKey.returns: returns = try r.readInt()
            case StateKey.reminders: reminders = try r.readInt()
            case StateKey.commends: commends = try r.readInt()
            case StateKey.suspendedLate: suspendedLate = try r.readInt()
            case StateKey.reason: reason = try r.readString()
            case StateKey.progress:
                var d: Day?
                var text = ""
                var unit: String?
                try r.beginObject()
                while let k = try r.nextKeyCode() {
                    switch k {
                    case StateKey.day: d = try r.readDay()
                    case StateKey.text: text = try r.readString()
                    case StateKey.unit: unit = try r.readString(pool: pool)
                    default: try r.skipValue()
                    }
                }
                guard let d else { throw fail("最新进展缺少日期") }
                progress = Item.Progress(day: d, text: text, unit: unit)
            case StateKey.feedbackDays:
                try r.beginArray()
                while try r.nextElement() { feedbackDays.append(try r.readDay()) }
            case StateKey.events: events = try r.readInt()
            case StateKey.pausedDays: pausedDays = try r.readInt()
            case StateKey.earlier:
                try r.beginArray()
                while try r.nextElement() { earlier.append(try decodeAssignment(&r, pool: pool, fail: fail)) }
            default: try r.skipValue()
            }
        }
        guard let title, let source, let lead, let assigned, let deadline, let state, let registered, let events, events > 0
        else {
            throw fail("状态不完整")
        }
        let registration = Registration(
            title: title, instruction: instruction, source: source, leader: leader, leadUnit: lead, coUnits: co, owner: owner,
            contact: contact, phone: phone, assignedOn: assigned, deadline: deadline, urgency: urgency, feedbackCycle: cycle,
            basis: basis, basisNumber: basisNumber, basisDate: basisDate)
        var item = Item(
            number: number, registration: registration, originalDeadline: original ?? deadline, registeredAt: registered,
            state: state,
            eventCount: events)
        item.stateBeforeSuspension = resumeTo
        item.signedOn = signed
        item.pendingDecline = declined
        item.pendingExtension = pendingExtension
        item.extensionsApproved = extensions
        item.completionRequestedOn = reported
        item.completedOn = completed
        item.closedOn = closed
        item.grade = grade
        item.returns = returns
        item.reminders = reminders
        item.commendations = commends
        item.lateAtSuspension = item.state == .suspended ? suspendedLate : 0
        item.stateReason = reason
        item.restore(latestProgress: progress, feedbackDays: feedbackDays)
        item.suspendedWorkdays = pausedDays
        item.earlierAssignments = earlier
        return item
    }

    static func decodeAssignment(
        _ r: inout JSONReader, pool: StringPool, fail: (String) -> JSONError
    ) throws(JSONError)
        -> Item.Assignment
    {
        var lead: String?
        var co: [String] = []
        var assigned: Day?
        var deadline: Day?
        var original: Day?
        var extensions = 0
        var returns = 0
        var reminders = 0
        var commends = 0
        var ended: Day?
        var completed: Day?
        var closed: Day?
        var grade: Grade?
        var declined: Day?
        try r.beginObject()
        while let key = try r.nextKeyCode() {
            switch key {
            case StateKey.declined: declined = try r.readDay()
            case StateKey.lead: lead = try r.readString(pool: pool)
            case StateKey.co:
                try r.beginArray()
                while try r.nextElement() { co.append(try r.readString(pool: pool)) }
            case StateKey.assigned: assigned = try r.readDay()
            case StateKey.deadline: deadline = try r.readDay()
            case StateKey.original: original = try r.readDay()
            case StateKey.extensions: extensions = try r.readInt()
            case StateKey.returns: returns = try r.readInt()
            case StateKey.reminders: reminders = try r.readInt()
            case StateKey.commends: commends = try r.readInt()
            case StateKey.ended: ended = try r.readDay()
            case StateKey.completed: completed = try r.readDay()
            case StateKey.closed: closed = try r.readDay()
            case StateKey.grade: grade = Grade(rawValue: try r.readString())
            default: try r.skipValue()
            }
        }
        guard let lead, let assigned, let deadline, let ended else { throw fail("此前的交办记录不完整") }
        var a = Item.Assignment(
            leadUnit: lead, coUnits: co, assignedOn: assigned, deadline: deadline, originalDeadline: original ?? deadline,
            extensionsApproved: extensions, returns: returns, reminders: reminders, endedOn: ended, completedOn: completed,
            closedOn: closed, grade: grade, declinedOn: declined)
        a.commendations = commends
        return a
    }
}

/// The state object's keys, as the JSON reader's codes (literals, so that reading them costs
/// nothing; CodecTests checks each against `JSONReader.code`).
enum StateKey {
    static let assigned: UInt64 = 0x5b3e_a42e_632d_da5d  // "assigned"
    static let closed: UInt64 = 0x8553_0f50_90e8_36c5  // "closed"
    static let co: UInt64 = 0x08a2_5907_b54a_27c7  // "co"
    static let completed: UInt64 = 0xfdde_30c2_4ce3_8292  // "completed"
    static let contact: UInt64 = 0x6236_17b5_3836_0a63  // "contact"
    static let cycle: UInt64 = 0x46e6_70f9_3e61_5b51  // "cycle"
    static let day: UInt64 = 0xca8d_3918_f457_8f1d  // "day"
    static let deadline: UInt64 = 0x4abb_aca4_0bb6_fe75  // "deadline"
    static let declined: UInt64 = 0xec3b_e484_d6dd_1ec7  // "declined"
    static let events: UInt64 = 0xdd63_d0ce_c6bb_7d04  // "events"
    static let `extension`: UInt64 = 0x1f82_d98c_5190_e81a  // "extension"
    static let extensions: UInt64 = 0x1c40_126e_993a_ea6b  // "extensions"
    static let feedbackDays: UInt64 = 0x9bb1_1e9f_2d9f_d179  // "feedbackDays"
    static let grade: UInt64 = 0x32a8_9b29_77c4_8ad4  // "grade"
    static let instruction: UInt64 = 0xa296_d212_94ca_905f  // "instruction"
    static let lead: UInt64 = 0x24ad_82ad_a202_056f  // "lead"
    static let leader: UInt64 = 0x9d24_b27a_c6dd_eae4  // "leader"
    static let on: UInt64 = 0x08b0_5807_b556_6370  // "on"
    static let original: UInt64 = 0xfbf0_b22d_501f_c972  // "original"
    static let owner: UInt64 = 0xa692_f75a_b08b_8cf4  // "owner"
    static let phone: UInt64 = 0x31fc_9c6b_de86_5d6f  // "phone"
    static let progress: UInt64 = 0xf990_9144_8622_49c6  // "progress"
    static let reason: UInt64 = 0x65e8_d7f3_474f_2639  // "reason"
    static let registered: UInt64 = 0x32ce_8575_4714_1c21  // "registered"
    static let reported: UInt64 = 0x1cd3_f446_2020_234a  // "reported"
    static let resumeTo: UInt64 = 0x1ec4_16d9_447d_d78f  // "resumeTo"
    static let returns: UInt64 = 0x8f0d_65f7_48da_41c4  // "returns"
    static let signed: UInt64 = 0x5055_c58f_7a75_3b55  // "signed"
    static let source: UInt64 = 0x76db_dc22_8f78_2db8  // "source"
    static let state: UInt64 = 0xee63_aaad_45b1_b116  // "state"
    static let text: UInt64 = 0xfa04_f4ef_1995_407e  // "text"
    static let title: UInt64 = 0xda31_296c_0c1b_6029  // "title"
    static let to: UInt64 = 0x08c8_3907_b56a_c0a4  // "to"
    static let unit: UInt64 = 0x6498_dfe4_855b_b3a7  // "unit"
    static let urgency: UInt64 = 0x1e52_08cf_5eb1_abd4  // "urgency"
    static let reminders: UInt64 = 0x3e91_4efd_0484_9d94  // "reminders"
    static let pausedDays: UInt64 = 0xe6ad_8b01_115b_b22c  // "pausedDays"
    static let earlier: UInt64 = 0xdf04_0ecd_a350_ea5b  // "earlier"
    static let ended: UInt64 = 0x34bb_12be_fe88_eb1b  // "ended"
    static let commends: UInt64 = 0x2d1b_b7ab_e8fc_5647  // "commends"
    static let suspendedLate = JSONReader.code("suspendedLate")
    static let basis: UInt64 = 0xd6e8_6e82_6dfb_3bed  // "basis"
    static let basisNo: UInt64 = 0x2ee7_c55f_da63_6de2  // "basisNo"
    static let basisDate: UInt64 = 0x9f69_befb_8354_94a1  // "basisDate"
}
