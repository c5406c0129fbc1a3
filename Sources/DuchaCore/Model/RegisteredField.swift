/// The fields an item is registered with (立项), listed once. The journal's registration record
/// and the snapshot's state write them from this list (in its order: the files' key order),
/// the journal reads them back from it, edits (`ItemField`: its labels, `Item.value(of:)`,
/// `Item.applyEdit`) and item equality (`Item.registration`) go through it.
///
/// A new registered field goes into `Registration`, `Item` (its stored property, the snapshot
/// initialiser and `Item.registration`), this list, the snapshot state reader
/// `ItemStateCodec.decode` (a switch on literal key codes: the hot loop of reading a ledger),
/// the ledger table (`LedgerTable.table`, `LedgerImport`), the front ends' options and forms,
/// and, if the office may edit it, `ItemField` and `Workflow.normalized`. `RegisteredFieldTests`
/// fails until the files and the table carry it.
public struct RegisteredField: Sendable {
    /// Its key in journal and snapshot records (for an editable field, `ItemField.rawValue`).
    public let key: String
    /// Its Chinese name: the ledger table's column, and what messages and forms call it.
    public let label: String
    /// How edits name it; nil for the lead unit, which changes only by 重新交办.
    public let editable: ItemField?
    let value: Value

    /// Where the value is in a `Registration`, and how it is written. (Plain functions rather
    /// than key paths: a key path is built at run time when first used, which cost every
    /// `ducha add` some 2 % of its time for the sixteen of them.)
    enum Value: Sendable {
        /// Text; a `required` one is always written, the others only when not empty.
        case text(Access<String>, required: Bool)
        /// Unit names: written as an array when not empty (the records' only array, "co").
        case units(Access<[String]>)
        /// A date, YYYY-MM-DD, always written.
        case day(Access<Day>)
        /// A date that may be missing: written only when there is one.
        case optionalDay(Access<Day?>)
        /// Written by its code, always.
        case urgency
        /// Written by its code when there is one.
        case cycle
    }

    /// Reads and writes one stored property of a `Registration`.
    struct Access<T>: Sendable {
        let get: @Sendable (Registration) -> T
        let set: @Sendable (inout Registration, T) -> Void

        init(
            _ get: @escaping @Sendable (Registration) -> T,
            _ set: @escaping @Sendable (inout Registration, T) -> Void
        ) {
            self.get = get
            self.set = set
        }
    }

    init(_ key: String, _ label: String, _ editable: ItemField?, _ value: Value) {
        self.key = key
        self.label = label
        self.editable = editable
        self.value = value
    }

    /// Every registered field, in the order records write them.
    public static let all: [RegisteredField] = [
        RegisteredField(
            "title", "事项", .title, .text(.init({ $0.title }, { $0.title = $1 }), required: true)),
        RegisteredField(
            "instruction", "批示内容", .instruction,
            .text(.init({ $0.instruction }, { $0.instruction = $1 }), required: false)),
        RegisteredField(
            "source", "来源", .source, .text(.init({ $0.source }, { $0.source = $1 }), required: true)),
        RegisteredField(
            "leader", "批示领导", .leader, .text(.init({ $0.leader }, { $0.leader = $1 }), required: false)),
        RegisteredField(
            "lead", "牵头单位", nil, .text(.init({ $0.leadUnit }, { $0.leadUnit = $1 }), required: true)),
        RegisteredField("co", "配合单位", .coUnits, .units(.init({ $0.coUnits }, { $0.coUnits = $1 }))),
        RegisteredField(
            "owner", "第一责任人", .owner, .text(.init({ $0.owner }, { $0.owner = $1 }), required: false)),
        RegisteredField(
            "contact", "联系人", .contact, .text(.init({ $0.contact }, { $0.contact = $1 }), required: false)
        ),
        RegisteredField(
            "phone", "联系电话", .phone, .text(.init({ $0.phone }, { $0.phone = $1 }), required: false)),
        RegisteredField(
            "assigned", "交办日期", .assignedOn, .day(.init({ $0.assignedOn }, { $0.assignedOn = $1 }))),
        RegisteredField(
            "deadline", "办理时限", .deadline, .day(.init({ $0.deadline }, { $0.deadline = $1 }))),
        RegisteredField("urgency", "紧急程度", .urgency, .urgency),
        RegisteredField("cycle", "反馈周期", .cycle, .cycle),
        RegisteredField(
            "basis", "交办依据", .basis, .text(.init({ $0.basis }, { $0.basis = $1 }), required: false)),
        RegisteredField(
            "basisNo", "依据文号", .basisNumber,
            .text(.init({ $0.basisNumber }, { $0.basisNumber = $1 }), required: false)),
        RegisteredField(
            "basisDate", "依据日期", .basisDate, .optionalDay(.init({ $0.basisDate }, { $0.basisDate = $1 }))),
    ]

    /// The registered field an edit names.
    public static func of(_ field: ItemField) -> RegisteredField {
        guard let f = all.first(where: { $0.editable == field }) else {
            preconditionFailure("\(field) 不在登记字段表中")
        }
        return f
    }

    /// The field's value as text, as `FieldChange` stores it and the ledger table shows it:
    /// units joined by 、, dates as YYYY-MM-DD, urgency by its label, no cycle as "".
    public func text(of r: Registration) -> String {
        switch value {
        case .text(let k, _): k.get(r)
        case .units(let k): k.get(r).joined(by: "、")
        case .day(let k): k.get(r).description
        case .optionalDay(let k): k.get(r)?.description ?? ""
        case .urgency: r.urgency.label
        case .cycle: r.feedbackCycle?.description ?? ""
        }
    }

    /// Sets the field from text in that form; false, and nothing set, when it is not a valid value.
    public func set(_ text: String, in r: inout Registration) -> Bool {
        switch value {
        case .text(let k, _): k.set(&r, text)
        case .units(let k): k.set(&r, Item.splitUnits(text))
        case .day(let k):
            guard let d = Day.parseStored(text) else { return false }
            k.set(&r, d)
        case .optionalDay(let k):
            if text.isEmpty {
                k.set(&r, nil)
            } else {
                guard let d = Day.parseStored(text) else { return false }
                k.set(&r, d)
            }
        case .urgency:
            guard let u = Urgency(label: text) else { return false }
            r.urgency = u
        case .cycle:
            if text.isEmpty {
                r.feedbackCycle = nil
            } else {
                do throws(CoreError) { r.feedbackCycle = try FeedbackCycle.parse(text) } catch {
                    return false
                }
            }
        }
        return true
    }

    /// Writes the field as journal and snapshot records store it.
    func encode(_ r: Registration, into w: inout JSONWriter) {
        switch value {
        case .text(let k, let required):
            if required { w.field(key, k.get(r)) } else { w.optionalField(key, k.get(r)) }
        case .units(let k):
            if !k.get(r).isEmpty { w.field(key, k.get(r)) }
        case .day(let k): w.field(key, k.get(r).description)
        case .optionalDay(let k): if let d = k.get(r) { w.field(key, d.description) }
        case .urgency: w.field(key, r.urgency.rawValue)
        case .cycle: if let c = r.feedbackCycle { w.field(key, c.code) }
        }
    }

    /// Writes every registered field, in order; `after` is called after each (the snapshot
    /// state writes the original deadline after the deadline).
    static func encode(
        _ r: Registration, into w: inout JSONWriter,
        after: (String, inout JSONWriter) -> Void = { _, _ in }
    ) {
        for f in all {
            f.encode(r, into: &w)
            after(f.key, &w)
        }
    }
}

extension Registration {
    /// A registration with nothing filled in, for readers that fill in every field.
    static let blank = Registration(
        title: "", source: "", leadUnit: "", assignedOn: Day(serial: 0), deadline: Day(serial: 0))
}
