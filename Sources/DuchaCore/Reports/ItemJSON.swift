/// The JSON form of items for `list --format json` and `show --format json`.
public enum ItemJSON {
    public static func write(_ item: Item, _ s: ItemStatus, ledger: Ledger, history: Bool, into w: inout JSONWriter) {
        w.beginObject()
        w.field("number", item.number.description)
        // A child: its parent's number; a unit's part of a 分别办理 item: also how it reads.
        if item.number.isChild { w.field("parent", item.number.family.description) }
        if item.isPart { w.field("shownNumber", item.shownNumber) }
        if item.isSplit { w.field("split", ledger.parts(of: item).map(\.leadUnit)) }
        let children = item.isSplit ? [] : ledger.children(of: item.number)
        if !children.isEmpty { w.field("children", children.map(\.number.description)) }
        w.field("title", item.title)
        w.field("source", item.source)
        if let b = item.basisInfo {
            w.key("basis")
            w.beginObject()
            w.field("name", b.name)
            w.optionalField("number", b.number)
            if let d = b.date { w.field("date", d.description) }
            w.endObject()
        }
        w.field("leader", item.leader)
        w.field("urgency", item.urgency.label)
        w.field("leadUnit", item.leadUnit)
        w.field("coUnits", item.coUnits)
        w.field("owner", item.owner)
        w.field("contact", item.contact)
        w.field("phone", item.phone)
        w.field("assignedOn", item.assignedOn.description)
        w.field("deadline", item.deadline.description)
        w.field("originalDeadline", item.originalDeadline.description)
        w.field("state", ledger.shownState(item).label)
        w.field("light", s.light.label)
        w.field("remaining", s.remainingText)
        if let d = s.overdueDays { w.field("overdueDays", d) }
        if let d = s.workdaysLeft { w.field("workdaysLeft", d) }
        w.field("signOverdue", s.signOverdue)
        if let c = item.feedbackCycle { w.field("feedbackCycle", c.description) }
        if let n = s.nextFeedback { w.field("nextFeedback", n.description) }
        w.field("feedbackOverdue", s.feedbackOverdue)
        w.field("extensions", item.extensionsApproved)
        w.field("returns", item.returns)
        if let c = item.closedOn { w.field("closedOn", c.description) }
        if let g = item.grade { w.field("grade", g.label) }
        if let p = item.pendingExtension {
            w.key("pendingExtension")
            w.beginObject()
            w.field("to", p.to.description)
            w.field("reason", p.reason)
            w.field("requestedOn", p.requestedOn.description)
            w.endObject()
        }
        if let d = item.pendingDecline { w.field("pendingDecline", d) }
        if item.suspendedWorkdays > 0 { w.field("suspendedWorkdays", item.suspendedWorkdays) }
        // Read from the history: given only where the whole history is held (show), so that
        // a list says the same whatever the store and however long since its last compaction.
        if item.hasFullHistory, let d = item.suspendedSince { w.field("suspendedOn", d.description) }
        if !item.earlierAssignments.isEmpty {
            w.key("earlierAssignments")
            w.beginArray()
            for a in item.earlierAssignments {
                w.beginObject()
                w.field("leadUnit", a.leadUnit)
                w.field("coUnits", a.coUnits)
                w.field("assignedOn", a.assignedOn.description)
                w.field("deadline", a.deadline.description)
                w.field("endedOn", a.endedOn.description)
                w.field("ended", a.handedOver ? "重新交办" : "办结后重新办理")
                w.field("daysLate", a.daysLate)
                w.field("returns", a.returns)
                w.field("reminders", a.reminders)
                if let c = a.closedOn { w.field("closedOn", c.description) }
                if let g = a.grade { w.field("grade", g.label) }
                w.endObject()
            }
            w.endArray()
        }
        if !item.stateReason.isEmpty { w.field("stateReason", item.stateReason) }
        if let p = item.latestProgress {
            w.key("latestFeedback")
            w.beginObject()
            w.field("day", p.day.description)
            w.field("unit", p.unit ?? "")
            w.field("text", p.text)
            w.endObject()
        }
        if history {
            w.field("instruction", item.instruction)
            w.key("history")
            w.beginArray()
            for e in item.history { entry(e, ledger: ledger, into: &w) }
            w.endArray()
            let attachments = item.attachments
            if !attachments.isEmpty {
                w.key("attachments")
                w.beginArray()
                for (e, a) in attachments {
                    w.beginObject()
                    w.field("seq", e.seq)
                    w.field("sha256", a.sha256)
                    w.field("name", a.name)
                    w.field("size", a.size)
                    w.field("type", a.type.label)
                    if !a.note.isEmpty { w.field("note", a.note) }
                    w.endObject()
                }
                w.endArray()
            }
        }
        w.endObject()
    }

    /// One history entry: sequence, time, who, the action's code and its description.
    public static func entry(_ e: Entry, ledger: Ledger, into w: inout JSONWriter) {
        w.beginObject()
        w.field("seq", e.seq)
        w.field("at", e.at.description)
        if let d = e.on { w.field("reportedOn", d.description) }
        w.field("actor", e.actor)
        if let u = e.unit { w.field("unit", u) }
        if e.proxy { w.field("proxy", true) }
        if let n = e.item { w.field("item", n.description) }
        switch e.change {
        case .item(_, let a): w.field("action", a.code)
        default: w.field("action", "repository")
        }
        w.field("who", HistoryText.who(e, ledger: ledger))
        w.field("text", HistoryText.what(e))
        w.endObject()
    }
}
