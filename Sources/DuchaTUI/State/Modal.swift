import DuchaCore
import DuchaOps

/// A dialog over the current page: a confirmation, a line of text, a choice, or a form. It
/// stays open — with everything typed in it — until its command succeeds or the user cancels,
/// so a refusal loses nothing.
public struct Modal: Equatable, Sendable {
    public enum Body: Equatable, Sendable {
        /// y or Enter confirms, n or Esc cancels.
        case confirm(String)
        case text(prompt: String, editor: LineEditor, required: Bool)
        case choice(prompt: String, options: [String], selected: Int)
        /// A choice from a list narrowed by typing (Chinese included), as the form's unit
        /// picker: `selected` indexes `options`, whatever the filter shows.
        case picker(options: [String], selected: Int, filter: LineEditor)
        case form(Form)
    }

    public var title: String
    public var body: Body
    public var purpose: Purpose
    /// The body as the dialog opened, to tell what the user has typed since.
    public let opened: Body

    public init(title: String, body: Body, purpose: Purpose) {
        self.title = title
        self.body = body
        self.purpose = purpose
        opened = body
    }

    /// Whether closing the dialog would throw away something the user typed or chose: text
    /// in a box, any field of a form changed from what it showed on opening.
    public var hasUnsavedInput: Bool {
        // Items filled in for a batch are lost with the dialog.
        if case .registerBatch(let pending) = purpose, !pending.isEmpty { return true }
        switch (body, opened) {
        case (.text(_, let now, _), .text(_, let then, _)):
            return now.text.trimmingSpaces != then.text.trimmingSpaces
        case (.form(let now), .form(let then)):
            return now.fields.contains { now.value($0.key).trimmingSpaces != then.value($0.key).trimmingSpaces }
        default:
            return false
        }
    }
}

/// What a dialog is for, and so what its answer turns into.
public enum Purpose: Equatable, Sendable {
    case sign(ItemNumber)
    case decline(ItemNumber)
    /// The office chooses in whose name it records feedback (代录).
    case feedbackUnit(ItemNumber, units: [String])
    case feedback(ItemNumber, unit: String?)
    case complete(ItemNumber)
    case requestExtension(ItemNumber)
    case review(ItemNumber, options: [ReviewOption])
    case grade(ItemNumber)
    case approve(ItemNumber, Grade?)
    case returnItem(ItemNumber)
    case approveExtension(ItemNumber)
    case denyExtension(ItemNumber)
    case remindMethod(ItemNumber)
    case remindNote(ItemNumber, ReminderMethod)
    case comment(ItemNumber)
    case withdraw(ItemNumber)
    case suspend(ItemNumber)
    case resume(ItemNumber)
    case reopen(ItemNumber)
    case undo(ItemNumber)
    case register
    /// 立项 of several items in a row (a meeting's decisions): those already filled in, kept
    /// until the form is submitted, and then registered together with the one in the form.
    case registerBatch([ItemInput])
    case edit(ItemNumber)
    case exportChoice([ExportKind])
    case exportPath(ExportKind)
    /// 文件已存在，覆盖吗？ — yes runs the export, replacing the file.
    case exportOverwrite(Effect)
    case filter(FilterKind)
    /// 单位名册, then what to do with one unit, its edit form, its retirement.
    case units
    case unitAction(String)
    case unitEdit(String)
    case unitRetire(String)
    /// 佐证材料: the file's path and a note.
    case attach(ItemNumber)
    /// Batch actions on the marked rows: how to remind, the note, then one confirmation.
    case batchRemindMethod([ItemNumber])
    /// 审核通过 of the marked items awaiting review: one 办结质量评价 for all (others: how many marked are not).
    case batchGrade([ItemNumber], others: Int)
    case batchRemindNote([ItemNumber], ReminderMethod)
    case batchConfirm([Operation], verb: String)
}

/// What `x` can export.
public enum ExportKind: Equatable, Sendable {
    case notice(issue: Bool, dueSoon: Bool)
    case reminders(unit: String?)
    case ledger
    /// The marked rows only, as the ledger's CSV.
    case markedLedger([ItemNumber])
    /// The 落实情况通报 of a meeting or document (the selected item's basis), a preview.
    case progress(basis: String)
}

public enum ReviewOption: Equatable, Sendable {
    case approve, returnItem, approveExtension, denyExtension
}

public enum FilterKind: Equatable, Sendable {
    case unit, state, source, light, basis
}

/// A form of several fields. Tab and Shift-Tab move between fields (↑↓ too, except in a list
/// field where they choose); typing in a list field narrows its choices; Space ticks a choice
/// in a multiple-choice field; Enter submits.
public struct Form: Equatable, Sendable {
    public enum Key: String, Equatable, Sendable {
        case title, lead, coUnits, deadline, source, leader, urgency, cycle, instruction, owner, contact, phone, reason, date
        case basis, basisNumber, basisDate
        case name, kind
        /// A file's path (佐证材料).
        case path
    }

    public enum Kind: Equatable, Sendable {
        case text(LineEditor)
        /// One of `options`; `filter` narrows what is shown.
        case choice(options: [String], selected: Int, filter: LineEditor)
        /// Any of `options`.
        case multi(options: [String], checked: [Bool], cursor: Int, filter: LineEditor)
    }

    public struct Field: Equatable, Sendable {
        public var key: Key
        public var label: String
        public var kind: Kind
        public var required: Bool
        /// A note shown after the field (e.g. 日期或 +N 个工作日).
        public var hint: String = ""
    }

    public var fields: [Field]
    public var focus = 0

    public func field(_ key: Key) -> Field? { fields.first { $0.key == key } }

    /// The text of a text field, the selected option of a choice, the ticked options of a
    /// multiple choice joined by 、.
    public func value(_ key: Key) -> String {
        guard let f = field(key) else { return "" }
        switch f.kind {
        case .text(let e): return e.text
        case .choice(let options, let selected, _): return options.indices.contains(selected) ? options[selected] : ""
        case .multi(let options, let checked, _, _):
            return options.indices.filter { checked[$0] }.map { options[$0] }.joined(separator: "、")
        }
    }

    /// Indices of the options a choice field shows under its current filter.
    public static func shown(_ options: [String], _ filter: LineEditor) -> [Int] {
        let f = filter.text.trimmingSpaces
        return options.indices.filter { f.isEmpty || options[$0].contains(f) }
    }

    mutating func handle(_ key: DuchaTUI.Key) {
        guard fields.indices.contains(focus) else { return }
        switch key {
        case .tab:
            focus = (focus + 1) % fields.count
            return
        case .backTab:
            focus = (focus + fields.count - 1) % fields.count
            return
        default: break
        }
        switch fields[focus].kind {
        case .text(var e):
            switch key {
            case .down: focus = min(fields.count - 1, focus + 1)
            case .up: focus = max(0, focus - 1)
            default:
                e.handle(key)
                fields[focus].kind = .text(e)
            }
        case .choice(let options, var selected, var filter):
            Form.choose(key, options, &selected, &filter)
            fields[focus].kind = .choice(options: options, selected: selected, filter: filter)
        case .multi(let options, var checked, var cursor, var filter):
            let shown = Form.shown(options, filter)
            switch key {
            case .down, .right:
                if let i = shown.firstIndex(of: cursor) {
                    cursor = shown[min(shown.count - 1, i + 1)]
                } else if let f = shown.first {
                    cursor = f
                }
            case .up, .left:
                if let i = shown.firstIndex(of: cursor) {
                    cursor = shown[max(0, i - 1)]
                } else if let f = shown.first {
                    cursor = f
                }
            case .char(" "), .char("\u{3000}"):
                if shown.contains(cursor) { checked[cursor].toggle() }
            default:
                if filter.handle(key) {
                    let now = Form.shown(options, filter)
                    if !now.contains(cursor), let first = now.first { cursor = first }
                }
            }
            fields[focus].kind = .multi(options: options, checked: checked, cursor: cursor, filter: filter)
        }
    }

    /// A key in a list narrowed by typing: arrows move among the options shown, PgUp PgDn by
    /// ten, Home End to the first and last; anything else edits the filter, and the selection
    /// moves to the first option shown when the one selected no longer is — and to none (-1)
    /// when the filter matches no option, so that a name matching nothing never leaves an
    /// earlier match chosen. Returns false for keys it does not use.
    @discardableResult
    static func choose(_ key: DuchaTUI.Key, _ options: [String], _ selected: inout Int, _ filter: inout LineEditor) -> Bool {
        let shown = Form.shown(options, filter)
        func move(_ by: Int) {
            if let i = shown.firstIndex(of: selected) {
                selected = shown[max(0, min(shown.count - 1, i + by))]
            } else if let f = shown.first {
                selected = f
            }
        }
        switch key {
        case .down, .right: move(1)
        case .up, .left: move(-1)
        case .pageDown: move(10)
        case .pageUp: move(-10)
        default:
            guard filter.handle(key) else { return false }
            let now = Form.shown(options, filter)
            if !now.contains(selected) { selected = now.first ?? -1 }
        }
        return true
    }

    /// Replaces the text of a text field (after $EDITOR).
    mutating func setText(_ key: Key, _ text: String) {
        guard let i = fields.firstIndex(where: { $0.key == key }), case .text(var e) = fields[i].kind else { return }
        e.set(text)
        fields[i].kind = .text(e)
    }
}
