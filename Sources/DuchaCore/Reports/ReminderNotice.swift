/// 催办通知: a notice to one unit about its items that are late, due soon, unsigned past the
/// time allowed or behind on their feedback cycle — each with the assignment as it was made,
/// the deadline, how late it is — and the date by which to reply in writing.
public struct ReminderNotice: Sendable {
    public struct Entry: Sendable {
        public var item: Item
        public var status: ItemStatus
    }

    public var unit: String
    public var office: String
    public var date: Day
    public var replyBy: Day
    /// The 台账校验码 printed at the foot.
    public var ledgerCode: LedgerCode? = nil
    public var entries: [Entry]

    /// The reminder for `unit`, from the items it leads; nil when none needs one.
    public init?(unit: String, items: [Item], evaluator: StatusEvaluator) {
        var list: [Entry] = []
        for item in items where item.leadUnit == unit && item.state.isOpen && item.state != .suspended {
            let s = evaluator.status(of: item)
            if ReminderNotice.chases(s) { list.append(Entry(item: item, status: s)) }
        }
        guard !list.isEmpty else { return nil }
        list.sort { a, b in
            if a.status.light.severity != b.status.light.severity { return a.status.light.severity < b.status.light.severity }
            let (ao, bo) = (a.status.overdueDays ?? 0, b.status.overdueDays ?? 0)
            if ao != bo { return ao > bo }
            return (a.item.deadline, a.item.number) < (b.item.deadline, b.item.number)
        }
        self.unit = unit
        office = evaluator.settings.officeName
        date = evaluator.today
        replyBy = evaluator.calendar.adding(workdays: evaluator.settings.replyWithinWorkdays, to: evaluator.today)
        entries = list
    }

    /// Whether a reminder lists an open item (not suspended) of this status.
    static func chases(_ s: ItemStatus) -> Bool { s.light == .red || s.light == .yellow || s.signOverdue || s.feedbackOverdue }

    /// Whether some unit's reminder lists `item` (`init`): what a reader keeps of a batch.
    public static func lists(_ item: Item, _ evaluator: StatusEvaluator) -> Bool {
        item.state.isOpen && item.state != .suspended && chases(evaluator.status(of: item))
    }

    /// Every unit that needs a reminder, in roster order.
    public static func all(units: [String], items: [Item], evaluator: StatusEvaluator) -> [ReminderNotice] {
        units.compactMap { ReminderNotice(unit: $0, items: items, evaluator: evaluator) }
    }

    /// 已逾期36天 / 剩余2个工作日，今天到期 / 尚未签收 / 未按期反馈…
    public static func situation(_ e: Entry) -> String {
        var parts: [String] = []
        switch e.status.light {
        case .red: parts.append("已逾期\(e.status.overdueDays ?? 0)天")
        case .yellow: parts.append(e.status.workdaysLeft == 0 ? "今天到期" : "剩余\(e.status.workdaysLeft ?? 0)个工作日")
        default: break
        }
        if e.status.signOverdue { parts.append("交办后尚未签收") }
        if e.status.feedbackOverdue, let due = e.status.nextFeedback {
            parts.append("未按\(e.item.feedbackCycle?.description ?? "规定周期")反馈进展（应于\(due.chinese)前反馈）")
        }
        if e.item.state == .review { parts.append("已报办结，待审核") }
        return parts.joined(separator: "；")
    }

    /// The notice as printed, every line at most `width` cells.
    public func text(width: Int) -> String {
        var lines: [String] = []
        let officeText = office.sanitized()
        lines.append("督查事项催办通知".centered(inWidth: width))
        lines.append("")
        lines.append("\(unit.sanitized())：")
        lines.append("")
        let overdue = entries.filter { $0.status.light == .red }.count
        var intro = "　　你单位牵头承办的下列\(entries.count)件督查事项"
        intro += overdue > 0 ? "中，有\(overdue)件已超过办理时限" : "即将到期或未按要求签收、反馈"
        intro += "，现予催办。请高度重视，逐项抓紧办理，并于\(replyBy.chinese)前将办理进展"
        intro += overdue > 0 ? "和逾期原因书面报送\(officeText)。" : "书面报送\(officeText)。"
        lines.append(contentsOf: intro.wrapped(toWidth: width))
        let indent = "　　"
        func field(_ label: String, _ value: String) {
            let text = indent + label + "：" + value.sanitized(keepingNewlines: true)
            let wrapped = text.wrapped(toWidth: width)
            lines.append(contentsOf: wrapped)
        }
        for (i, e) in entries.enumerated() {
            let item = e.item
            lines.append("")
            lines.append(
                contentsOf: "\(ChineseText.numeral(i + 1))、\(item.shownNumber)　\(item.title.sanitized())".wrapped(toWidth: width))
            var assigned = "\(item.assignedOn.chinese)交办，来源：\(item.source)"
            if let before = item.earlierAssignments.last {
                // The unit is judged from its own assignment; say where the item came from.
                assigned +=
                    before.handedOver
                    ? "（原由\(before.leadUnit.sanitized())承办，\(before.endedOn.chinese)重新交办你单位）"
                    : "（曾于\(before.closedOn?.chinese ?? before.endedOn.chinese)办结，\(before.endedOn.chinese)重新办理）"
            }
            if !item.leader.isEmpty { assigned += "，批示领导：\(item.leader)" }
            field("交办情况", assigned + "。")
            if !item.instruction.isEmpty { field("交办要求", item.instruction) }
            var deadline = item.deadline.chinese
            if item.deadline != item.originalDeadline {
                deadline +=
                    "（原定\(item.originalDeadline.chinese)" + (item.extensionsApproved > 0 ? "，已延期\(item.extensionsApproved)次" : "")
                    + (item.suspendedWorkdays > 0 ? "，暂缓顺延\(item.suspendedWorkdays)个工作日" : "") + "）"
            }
            field("办理时限", deadline)
            field("目前情况", ReminderNotice.situation(e))
            field("最新进展", OverdueNotice.progress(of: item))
            if !item.coUnits.isEmpty { field("配合单位", item.coUnits.joined(separator: "、")) }
        }
        lines.append("")
        let sign = [officeText, date.chinese]
        let signWidth = sign.map(\.displayWidth).max() ?? 0
        for s in sign { lines.append(String(repeating: " ", count: max(0, width - signWidth - 4)) + s) }
        if let code = ledgerCode {
            lines.append("")
            lines.append(contentsOf: code.lines)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The file name a notice is saved under: 催办通知-县财政局-2026-11-21.txt
    public var fileName: String {
        let safe = unit.map { "/\\:*?\"<>|".contains($0) ? "_" : $0 }
        return "催办通知-\(String(safe))-\(date).txt"
    }
}
