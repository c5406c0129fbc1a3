import DuchaCore
import DuchaOps

/// Batch actions in the list: Space marks rows; r (催办), a (审核通过) and the export dialog then
/// act on the marked rows together, after one confirmation, each operation judged on its own by
/// the operations layer.
extension AppState {
    /// The marked items in list order (those still listed first, then any filtered away), by number.
    var markedNumbers: [ItemNumber] {
        let listed = list.rows.map { ledger.items[$0.index].number }.filter { marked.contains($0) }
        let rest = marked.subtracting(listed).sorted()
        return listed + rest
    }

    /// Space: marks or unmarks the selected row and moves to the next.
    mutating func toggleMark() {
        guard let row = list.row(list.selected) else { return }
        let n = ledger.items[row.index].number
        if marked.contains(n) { marked.remove(n) } else { marked.insert(n) }
        list.move(1, height: listHeight)
        message = Message(text: marked.isEmpty ? "已取消全部标记" : "已标记 \(marked.count) 件（r 催办、a 审核通过、x 导出，Esc 取消标记）", isError: false)
    }

    mutating func clearMarks() {
        marked = []
        message = Message(text: "已取消全部标记", isError: false)
    }

    /// Whether the role may use a batch key at all (the office reminds and reviews).
    func mayBatch(_ operation: ItemOperation) -> Bool { Workflow.roleMay(operation, actor.role) != nil }

    /// r with marked rows: how to remind, a note, then one confirmation for all of them.
    mutating func startBatchRemind() -> [Effect] {
        let numbers = markedNumbers
        modal = Modal(
            title: "催办已标记的 \(numbers.count) 件",
            body: .choice(prompt: "催办方式", options: ReminderMethod.allCases.map(\.label), selected: 0),
            purpose: .batchRemindMethod(numbers))
        return []
    }

    /// a with marked rows: approve (审核通过) those of them awaiting review, with one 办结质量评价
    /// (or none) for all; the rest are named in the confirmation and left alone.
    mutating func startBatchApprove() -> [Effect] {
        let numbers = markedNumbers
        let waiting = numbers.filter { ledger.item($0)?.state == .review }
        guard !waiting.isEmpty else {
            message = Message(text: "已标记的 \(numbers.count) 件中没有待审核的事项", isError: true)
            return []
        }
        modal = Modal(
            title: "审核通过已标记的 \(waiting.count) 件",
            body: .choice(
                prompt: "办结质量评价（同一评价用于这 \(waiting.count) 件）", options: Grade.allCases.map(\.label) + ["不评价"],
                selected: 0),
            purpose: .batchGrade(waiting, others: numbers.count - waiting.count))
        return []
    }

    /// The answers of the batch dialogs.
    mutating func submitBatch(_ m: Modal, choice: Int, text: String) -> [Effect] {
        switch m.purpose {
        case .batchRemindMethod(let numbers):
            let method = ReminderMethod.allCases[choice]
            modal = Modal(
                title: "\(method.label)催办已标记的 \(numbers.count) 件",
                body: .text(prompt: "催办说明（可不填）", editor: LineEditor(), required: false),
                purpose: .batchRemindNote(numbers, method))
            return []
        case .batchRemindNote(let numbers, let method):
            let note = text.trimmingSpaces
            let operations = numbers.map { Operation.act(AppState.ref($0), .action(.remind(method: method, note: note))) }
            modal = Modal(
                title: "\(method.label)催办已标记的 \(numbers.count) 件",
                body: .confirm("对已标记的 \(numbers.count) 件事项\(method.label)催办\(note.isEmpty ? "" : "（\(note)）")？"),
                purpose: .batchConfirm(operations, verb: "催办"))
            return []
        case .batchGrade(let waiting, let others):
            let grade = choice < Grade.allCases.count ? Grade.allCases[choice] : nil
            let operations = waiting.map { Operation.act(AppState.ref($0), .action(.approveCompletion(grade: grade, note: ""))) }
            let graded = grade.map { "（评价：\($0.label)）" } ?? "（不评价）"
            modal = Modal(
                title: "审核通过已标记的事项",
                body: .confirm(
                    "审核通过待审核的 \(waiting.count) 件并办结销号\(graded)？" + (others > 0 ? "其余 \(others) 件不在待审核状态，不处理。" : "")),
                purpose: .batchConfirm(operations, verb: "审核通过"))
            return []
        case .batchConfirm(let operations, let verb):
            modal = nil
            marked = []
            return [.performBatch(operations, verb: verb)]
        default:
            return []
        }
    }

    /// The runner ran a batch: `done` of them recorded, `refused` with the reason of each.
    public mutating func batchFinished(verb: String, done: [String], refused: [(number: String, reason: String)], ledger: Ledger)
    {
        modal = nil
        var text = "已\(verb) \(done.count) 件"
        if !refused.isEmpty {
            // Items refused for the same reason are named together, the reason said once.
            var reasons: [String] = []
            var numbers: [String: [String]] = [:]
            for r in refused {
                if numbers[r.reason] == nil { reasons.append(r.reason) }
                numbers[r.reason, default: []].append(r.number)
            }
            text +=
                "；\(refused.count) 件未\(verb)："
                + reasons.map { "\(numbers[$0]!.joined(by: "、"))（\($0)）" }.joined(by: "；")
        }
        message = Message(text: text, isError: !refused.isEmpty)
        ledgerChanged(ledger, today: today)
    }

    /// The user's last visit: the items changed since then are marked 新 in the list.
    public mutating func markNew(_ numbers: Set<ItemNumber>) { newItems = numbers }
}

extension KeyBinding {
    /// Space in the list: marks the row; the help says what acts on the marked rows for the role.
    init(marking: Void) {
        keys = [.char(" ")]
        keyText = "空格"
        help = { s in
            var keys: [String] = []
            if s.mayBatch(.remind) { keys.append("r 催办") }
            if s.mayBatch(.review) { keys.append("a 审核通过（待审核的）") }
            keys.append("x 导出")
            return "标记或取消标记；有标记时 \(keys.joined(separator: "、"))作用于全部已标记的事项，一次确认"
        }
        offered = { _ in true }
        available = { _ in true }
        action = { s in
            s.toggleMark()
            return []
        }
        refusal = nil
        bar = BarEntry("空格", "标记")
    }

    /// The list's r and a: with rows marked, the batch (`start`); otherwise the selected item's
    /// key, as on every page. The help says so on Space's line.
    init(batch k: ItemKey, start: @escaping @Sendable (inout AppState) -> [Effect]) {
        let single = KeyBinding(item: k)
        let operation = k.operation
        let batching: @Sendable (AppState) -> Bool = { s in !s.marked.isEmpty && s.mayBatch(operation) }
        keys = single.keys
        keyText = single.keyText
        help = single.help
        offered = single.offered
        available = { s in batching(s) || single.available(s) }
        action = { s in batching(s) ? start(&s) : single.action(&s) }
        refusal = single.refusal
        bar = single.bar
    }
}
