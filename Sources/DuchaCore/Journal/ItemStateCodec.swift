/// An item's state as the snapshot stores it beside its history (format 2): everything reports
/// and the workflow need, so that they can read states and skip histories. The state is always
/// the fold of the history; `ducha check` verifies that it is.
public enum ItemStateCodec {
    public static func encode(_ item: Item, into w: inout JSONWriter) {
        w.beginObject()
        w.field("title", item.title)
        w.optionalField("instruction", item.instruction)
        w.field("source", item.source)
        w.optionalField("leader", item.leader)
        w.field("lead", item.leadUnit)
        if !item.coUnits.isEmpty { w.field("co", item.coUnits) }
        w.optionalField("owner", item.owner)
        w.optionalField("contact", item.contact)
        w.optionalField("phone", item.phone)
        w.field("assigned", item.assignedOn.description)
        w.field("deadline", item.deadline.description)
        if item.originalDeadline != item.deadline { w.field("original", item.originalDeadline.description) }
        w.field("urgency", item.urgency.rawValue)
        if let c = item.feedbackCycle { w.field("cycle", c.code) }
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
        w.field("events", item.eventCount)
        w.endObject()
    }

    /// Reads a state object at the reader's position into an item without history.
    public static func decode(_ r: inout JSONReader, number: ItemNumber) throws(JSONError) -> Item {
        let start = r.position
        func fail(_ m: String) -> JSONError { JSONError(message: "\(number)：\(m)", offset: start) }
        func day(_ text: String) throws(JSONError) -> Day {
            guard let d = Day.parseStored(text) else { throw fail("日期 \(text.sanitized()) 无效") }
            return d
        }
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
        var reason = ""
        var progress: Item.Progress?
        var feedbackDays: [Day] = []
        var events: Int?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "title": title = try r.readString()
            case "instruction": instruction = try r.readString()
            case "source": source = try r.readString()
            case "leader": leader = try r.readString()
            case "lead": lead = try r.readString()
            case "co": co = try r.readStringArray()
            case "owner": owner = try r.readString()
            case "contact": contact = try r.readString()
            case "phone": phone = try r.readString()
            case "assigned": assigned = try day(try r.readString())
            case "deadline": deadline = try day(try r.readString())
            case "original": original = try day(try r.readString())
            case "urgency":
                guard let u = Urgency(rawValue: try r.readString()) else { throw fail("紧急程度无效") }
                urgency = u
            case "cycle":
                let text = try r.readString()
                do throws(CoreError) { cycle = try FeedbackCycle.parse(text) } catch { throw fail("反馈周期无效") }
            case "state": state = ItemState(rawValue: try r.readString())
            case "resumeTo": resumeTo = ItemState(rawValue: try r.readString())
            case "registered":
                let text = try r.readString()
                guard let t = Timestamp.parse(text) else { throw fail("立项时间无效") }
                registered = t
            case "signed": signed = try day(try r.readString())
            case "declined": declined = try r.readString()
            case "extension":
                var to: Day?
                var why = ""
                var on: Day?
                try r.beginObject()
                while let k = try r.nextKey() {
                    switch k {
                    case "to": to = try day(try r.readString())
                    case "reason": why = try r.readString()
                    case "on": on = try day(try r.readString())
                    default: try r.skipValue()
                    }
                }
                guard let to, let on else { throw fail("延期申请不完整") }
                pendingExtension = Item.PendingExtension(to: to, reason: why, requestedOn: on)
            case "extensions": extensions = try r.readInt()
            case "reported": reported = try day(try r.readString())
            case "completed": completed = try day(try r.readString())
            case "closed": closed = try day(try r.readString())
            case "grade": grade = Grade(rawValue: try r.readString())
            case "returns": returns = try r.readInt()
            case "reason": reason = try r.readString()
            case "progress":
                var d: Day?
                var text = ""
                var unit: String?
                try r.beginObject()
                while let k = try r.nextKey() {
                    switch k {
                    case "day": d = try day(try r.readString())
                    case "text": text = try r.readString()
                    case "unit": unit = try r.readString()
                    default: try r.skipValue()
                    }
                }
                guard let d else { throw fail("最新进展缺少日期") }
                progress = Item.Progress(day: d, text: text, unit: unit)
            case "feedbackDays":
                try r.beginArray()
                while try r.nextElement() { feedbackDays.append(try day(try r.readString())) }
            case "events": events = try r.readInt()
            default: try r.skipValue()
            }
        }
        guard let title, let source, let lead, let assigned, let deadline, let state, let registered, let events, events > 0
        else {
            throw fail("状态不完整")
        }
        let registration = Registration(
            title: title, instruction: instruction, source: source, leader: leader, leadUnit: lead, coUnits: co, owner: owner,
            contact: contact, phone: phone, assignedOn: assigned, deadline: deadline, urgency: urgency, feedbackCycle: cycle)
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
        item.stateReason = reason
        item.restore(latestProgress: progress, feedbackDays: feedbackDays)
        return item
    }
}
