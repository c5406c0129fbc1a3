/// How entries read in a history: who did it and what, in Chinese. Shared by `show`, `log` and
/// the interface's detail screen.
public enum HistoryText {
    /// 城关镇 / 城关镇（督查室 clerk 代录） / 督查室（clerk） / 领导 赵丽华
    public static func who(_ e: Entry, ledger: Ledger) -> String {
        let person = ledger.user(login: e.actor).flatMap { $0.name.isEmpty ? nil : $0.name } ?? e.actor
        if let unit = e.unit {
            return e.proxy ? "\(unit)（督查室 \(e.actor) 代录）" : unit
        }
        switch ledger.user(login: e.actor)?.role {
        case .leader: return "领导 \(person)"
        case .unit: return "\(ledger.user(login: e.actor)?.unit ?? "") \(person)"
        case .supervisor, nil: return "督查室（\(e.actor)）"
        }
    }

    /// When: 2026-11-30 09:30, or for a report recorded later (补录) both dates,
    /// 2026-11-29 报送，2026-11-30 09:30 补录.
    public static func when(_ e: Entry) -> String {
        guard let on = e.on else { return e.at.display }
        return "\(on) 报送，\(e.at.display) 补录"
    }

    /// 反馈：已完成方案编制 / 申请延期至 2026-12-01：受降雨影响…
    public static func what(_ e: Entry) -> String {
        switch e.change {
        case .initialize(let s): return "创建台账（\(s.officeName)）"
        case .setting(let key, let value):
            let name =
                Settings.keys.first { $0.key == key }?.name ?? ScoreRules.rule(key).map { "计分：" + $0.name }
                ?? (key.hasPrefix("limit.")
                    ? "默认时限（\(key.dropFirst(6))）" : key.hasPrefix("hook.") ? "通知程序（\(key.dropFirst(5))）" : key)
            return "修改设置：\(name) = \(value)"
        case .addUnit(let u): return "登记单位：\(u.name)（\(u.kind.label)）"
        case .editUnit(let name, let changes):
            return "修改单位“\(name)”：" + changes.map(\.text).joined(separator: "，")
        case .retireUnit(let name): return "停用单位：\(name)（保留其事项和记录，不再交办新事项）"
        case .importLedger(let records, let sha256):
            return "导入整个台账：原台账的 \(records) 条记录按原时间、原操作人写入（文件校验码 \(sha256.prefix(16))…）"
        case .addUser(let u):
            return "登记用户：\(u.login)（\(u.role.label)\(u.unit.map { "，\($0)" } ?? "")）"
        case .removeUser(let login): return "删除用户：\(login)"
        case .issueNotice(let serial, _, let overdue): return "印发逾期事项通报第\(serial)期（逾期事项\(overdue)件）"
        case .issueProgress(let basis, let serial, _, let items, let closed):
            return "印发“\(basis)”落实情况通报第\(serial)期（共\(items)件，已办结\(closed)件）"
        case .addCalendar(let t, let sha256):
            return "添加\(t.year)年节假日安排（\(t.holidays.count)个节日、\(t.workdays.count)个调休上班日，文件校验码 \(sha256.prefix(16))…）"
        case .item(_, let action): return what(action)
        }
    }

    public static func what(_ action: ItemAction) -> String {
        switch action {
        case .register(let r) where r.leadUnit.isEmpty:
            return "立项交办：由各单位分别办理，时限 \(r.deadline)"
        case .register(let r):
            var s = "立项交办：牵头 \(r.leadUnit)"
            if !r.coUnits.isEmpty { s += "，配合 \(r.coUnits.joined(separator: "、"))" }
            return s + "，时限 \(r.deadline)"
        case .sign: return "签收"
        case .decline(let reason): return "退办：\(reason)"
        case .reassign(let lead, let co, let reason, let a):
            var s = "重新交办：牵头 \(lead)" + (co.isEmpty ? "" : "，配合 \(co.joined(separator: "、"))")
            if let a {
                s += "，\(a.assignedOn) 起重新计时，时限 \(a.deadline)"
                if let d = a.droppedExtension { s += "；原牵头单位待审批的延期申请（至 \(d)）随之撤回" }
            }
            return s + "。理由：\(reason)"
        case .feedback(let text): return "反馈：\(text)"
        case .requestExtension(let to, let reason): return "申请延期至 \(to)：\(reason)"
        case .approveExtension(let to, let note): return "批准延期至 \(to)" + (note.isEmpty ? "" : "：\(note)")
        case .denyExtension(let reason): return "不批准延期：\(reason)"
        case .withdrawExtension(let to, let reason): return "撤回延期申请（至 \(to)）" + (reason.isEmpty ? "" : "：\(reason)")
        case .requestCompletion(let report): return "申请办结：\(report)"
        case .approveCompletion(let grade, let note):
            return "审核通过，办结" + (grade.map { "（评价：\($0.label)）" } ?? "") + (note.isEmpty ? "" : "：\(note)")
        case .returnCompletion(let reason): return "审核退回：\(reason)"
        case .remind(let method, let note): return "催办（\(method.label)）" + (note.isEmpty ? "" : "：\(note)")
        case .commend(let note): return "记录肯定性批示：\(note)"
        case .comment(let text): return "批注：\(text)"
        case .attach(let a): return "上传佐证材料：\(a.summary)" + (a.note.isEmpty ? "" : "，说明：\(a.note)")
        case .withdraw(let reason): return "撤销：\(reason)"
        case .suspend(let reason): return "暂缓：\(reason)"
        case .resume(let reason, let shift):
            var s = "恢复办理"
            if let shift { s += "，暂缓\(shift.workdays)个工作日，办理时限由 \(shift.from) 顺延至 \(shift.to)" }
            return s + (reason.isEmpty ? "" : "：\(reason)")
        case .reopen(let reason, let deadline, _): return "重新办理（原办结记录保留），时限 \(deadline)：\(reason)"
        case .undo(let u):
            var s = "撤回本人当天的\(Undo.verb(of: u.code) ?? u.code)（第 \(u.seq) 条记录）"
            if u.code == "feedback" {
                s += u.progress.map { "，最新进展恢复为 \($0.day) 的反馈" } ?? "，恢复为未反馈"
            }
            return s
        case .edit(let changes, let reason):
            let parts = changes.map { c -> String in
                let old = c.old.isEmpty ? "（空）" : shorten(c.old)
                let new = c.new.isEmpty ? "（空）" : shorten(c.new)
                return "\(c.field.label) \(old) → \(new)"
            }
            return "修改：" + parts.joined(separator: "；") + (reason.isEmpty ? "" : "。理由：\(reason)")
        case .imported(let i):
            var s = "从原台账导入：状态为“\(i.state.label)”"
            if let c = i.closedOn { s += "，\(c)办结" + (i.grade.map { "（评价：\($0.label)）" } ?? "") }
            if let o = i.originalDeadline { s += "，原定时限 \(o)" }
            if let d = i.progressDay, !i.progress.isEmpty { s += "；原台账最新进展（\(d)）：\(i.progress)" }
            if !i.note.isEmpty { s += "；说明：\(i.note)" }
            return s
        }
    }

    static func shorten(_ s: String) -> String {
        let flat = s.sanitized()
        return flat.count > 30 ? String(flat.prefix(29)) + "…" : flat
    }
}

/// The full description of one item, as lines of at most `width` cells: every field, the
/// instruction wrapped by display width, and the history newest first.
public enum ItemDetailText {
    /// `statusOf` judges the item's children (任务分解) for the lines that list them; without it
    /// they are not listed. `histories`: the whole histories read of a 分别办理 item's parts
    /// where the ledger holds only their states (the interface reads them when it opens the item).
    public static func lines(
        _ item: Item, status: ItemStatus, ledger: Ledger, width: Int, statusOf: ((Item) -> ItemStatus)? = nil,
        histories: [ItemNumber: [Entry]] = [:]
    ) -> [String] {
        var out: [String] = []
        let w = max(20, width)
        func field(_ label: String, _ value: String) {
            let prefix = label + "："
            let body = value.isEmpty ? "—" : value.sanitized()
            let wrapped = body.wrapped(toWidth: max(10, w - prefix.displayWidth))
            for (i, line) in wrapped.enumerated() {
                out.append((i == 0 ? prefix : String(repeating: " ", count: prefix.displayWidth)) + line)
            }
        }
        out.append(contentsOf: "\(item.shownNumber)  \(item.title.sanitized())".wrapped(toWidth: w))
        var state = ledger.shownState(item).label
        let marks =
            status.marks + (item.pendingDecline != nil ? ["已退办待重新交办"] : [])
            + (item.pendingExtension.map { ["延期申请待审批（至 \($0.to)）"] } ?? [])
        if !marks.isEmpty { state += "（" + marks.joined(separator: "，") + "）" }
        field("状态", state)
        switch (status.light, item.state) {
        case _ where item.isSplit: break  // its parts have the lights
        case (.none, .suspended): field("亮灯", "不亮灯（暂缓期间停止计时，恢复办理时时限顺延）")
        case (.none, .withdrawn): field("亮灯", "不亮灯（已撤销）")
        default: field("亮灯", "\(status.light.symbol) \(status.remainingText)")
        }
        field("来源", item.source)
        if let b = item.basisInfo { field("交办依据", b.label + (b.date.map { "，\($0.chinese)" } ?? "")) }
        field("批示领导", item.leader)
        field("紧急程度", item.urgency.label)
        if item.isSplit {
            field("分别办理", ledger.parts(of: item).map(\.leadUnit).joined(separator: "、"))
        } else {
            field("牵头单位", item.leadUnit)
            field("配合单位", item.coUnits.joined(separator: "、"))
            field("第一责任人", item.owner)
            field("联系人", item.contact + (item.phone.isEmpty ? "" : "（\(item.phone)）"))
        }
        field("交办日期", item.assignedOn.description)
        var deadline = item.deadline.description
        if item.deadline != item.originalDeadline {
            var notes = ["原定 \(item.originalDeadline)"]
            if item.extensionsApproved > 0 { notes.append("已延期\(item.extensionsApproved)次") }
            if item.suspendedWorkdays > 0 { notes.append("暂缓顺延\(item.suspendedWorkdays)个工作日") }
            deadline += "（" + notes.joined(separator: "，") + "）"
        }
        field("办理时限", deadline)
        if let d = item.suspendedSince { field("暂缓日期", "\(d) 起暂缓，恢复办理时时限按暂缓的工作日顺延") }
        if let cycle = item.feedbackCycle {
            var text = cycle.description
            if let next = status.nextFeedback {
                text += "（下次反馈 \(next) \(next.chineseWeekday)" + (status.feedbackOverdue ? "，已逾期）" : "）")
            }
            field("定期反馈", text)
        }
        if let c = item.closedOn {
            field("办结日期", c.description + (item.grade.map { "（评价：\($0.label)）" } ?? ""))
        }
        if item.returns > 0 { field("退回次数", "\(item.returns)") }
        if let parent = ledger.parent(of: item) {
            field(item.isPart ? "分别办理" : "上级事项", "\(parent.number)  \(parent.title)")
        }
        for a in item.earlierAssignments { field(a.handedOver ? "此前承办" : "此前办结", ItemDetailText.earlier(a)) }
        if !item.stateReason.isEmpty { field(item.state == .withdrawn ? "撤销理由" : "暂缓理由", item.stateReason) }
        if let statusOf, item.isSplit {
            let parts = ledger.parts(of: item)
            out.append("各单位办理情况（\(partsSummary(parts))）：")
            for line in partLines(parts, statusOf: statusOf) {
                let wrapped = line.sanitized().wrapped(toWidth: max(10, w - 2))
                for (j, l) in wrapped.enumerated() { out.append((j == 0 ? "  " : "      ") + l) }
            }
        } else if let statusOf {
            let children = ledger.children(of: item.number)
            if !children.isEmpty {
                out.append(childrenSummary(children) + "：")
                for line in childLines(children, statusOf: statusOf) {
                    out.append(contentsOf: line.sanitized().wrapped(toWidth: max(10, w - 2)).map { "  " + $0 })
                }
            }
        }
        out.append("批示内容：")
        let instruction = item.instruction.isEmpty ? "（无）" : item.instruction.sanitized(keepingNewlines: true)
        for line in instruction.wrapped(toWidth: w - 2) { out.append("  " + line) }
        let attachments = item.attachments
        if !attachments.isEmpty {
            out.append("佐证材料（\(attachments.count) 件；ducha attachment get 编号 序号 --output 文件 取回）：")
            for (i, (e, a)) in attachments.enumerated() {
                var line = "\(i + 1). \(a.name)  \(a.type.label)  \(Evidence.sizeText(a.size))  "
                line += "\(HistoryText.who(e, ledger: ledger))  \(HistoryText.when(e))"
                if !a.note.isEmpty { line += "  说明：\(a.note)" }
                let wrapped = line.sanitized().wrapped(toWidth: max(10, w - 2))
                for (j, l) in wrapped.enumerated() { out.append((j == 0 ? "  " : "     ") + l) }
            }
        }
        out.append("办理记录（新→旧）：")
        for e in ledger.records(of: item, histories: histories).reversed() {
            let head = "  \(HistoryText.when(e))  \(HistoryText.who(e, ledger: ledger).sanitized())  "
            // A 分别办理 item lists its parts' records too, each naming its unit.
            let part = item.isSplit ? ledger.partUnit(of: e).map { "［\($0)的分项］" } ?? "" : ""
            let body = (part + HistoryText.what(e)).sanitized(keepingNewlines: true)
            let indent = 6
            let first = body.wrapped(toWidth: max(10, w - indent))
            out.append(head.trailingSpacesRemoved)
            for line in first { out.append(String(repeating: " ", count: indent) + line) }
        }
        return out
    }

    /// 3个单位，已办结1个
    public static func partsSummary(_ parts: [Item]) -> String {
        "\(parts.count)个单位，已办结\(parts.filter { $0.state == .closed }.count)个"
    }

    /// One line per unit of a 分别办理 item: 城关镇  办理中  红 逾期3天  最新进展：2026-11-20 已完成摸底
    public static func partLines(_ parts: [Item], statusOf: (Item) -> ItemStatus) -> [String] {
        parts.map { p in
            let s = statusOf(p)
            var parts = [p.leadUnit, p.state.label]
            if s.light != .none { parts.append("\(s.light.symbol) \(s.remainingText)") }
            if let progress = p.latestProgress { parts.append("最新进展：\(progress.day) \(progress.text)") }
            return parts.joined(separator: "  ")
        }
    }

    /// 分解为3项，已办结1项
    public static func childrenSummary(_ children: [Item]) -> String {
        "分解为\(children.count)项，已办结\(children.filter { $0.state == .closed }.count)项"
    }

    /// One line per child: 之1  城关镇  已办结  按时办结  时限 2026-12-31  一季度完成征地
    public static func childLines(_ children: [Item], statusOf: (Item) -> ItemStatus) -> [String] {
        children.map { c in
            let s = statusOf(c)
            var parts = ["之\(c.number.sub)", c.leadUnit, c.state.label]
            if s.light != .none { parts.append(s.remainingText) }
            parts.append("时限 \(c.deadline)")
            parts.append(c.title)
            return parts.joined(separator: "  ")
        }
    }

    /// 青石镇：2026-10-09 交办，时限 2026-10-20；2026-11-25 重新交办时逾期36天；退回2次，催办1次
    public static func earlier(_ a: Item.Assignment) -> String {
        var s = "\(a.leadUnit)：\(a.assignedOn) 交办，时限 \(a.deadline)"
        if a.extensionsApproved > 0 { s += "（已延期\(a.extensionsApproved)次）" }
        if let c = a.closedOn {
            s += "；\(c) 办结（" + (a.daysLate > 0 ? "逾期\(a.daysLate)天" : "按时") + (a.grade.map { "，评价：\($0.label)" } ?? "") + "）"
            s += "，\(a.endedOn) 重新办理"
        } else {
            if let d = a.declinedOn {
                s += "；\(d) 退办" + (a.daysLate > 0 ? "时已逾期\(a.daysLate)天" : "") + "，\(a.endedOn) 重新交办"
            } else {
                s += "；\(a.endedOn) 重新交办" + (a.daysLate > 0 ? "时已逾期\(a.daysLate)天" : "")
            }
        }
        var counts: [String] = []
        if a.returns > 0 { counts.append("退回\(a.returns)次") }
        if a.reminders > 0 { counts.append("催办\(a.reminders)次") }
        if !counts.isEmpty { s += "；" + counts.joined(separator: "，") }
        return s
    }
}
