/// Entries to and from their JSON form: one compact object per journal line, the same objects
/// grouped by item in the snapshot. Keys are short and stable; unknown keys are ignored so that
/// a later version may add some, while an unknown action is refused.
///
///     {"seq":5,"at":"2026-11-21T09:30:05+08:00","by":"clerk","unit":"县财政局","proxy":true,
///      "do":"feedback","item":"督〔2026〕第0003号","text":"已完成初步设计"}
public enum EntryCodec {
    // MARK: Encoding

    /// Encodes an entry; `chained` for a journal line, which carries the hash of the line before
    /// it (`prev`) right after its sequence number.
    public static func encode(_ e: Entry, into w: inout JSONWriter, chained: Bool = false) {
        w.beginObject()
        w.field("seq", e.seq)
        if chained, let p = e.prev { w.field("prev", p) }
        w.field("at", e.at.description)
        w.field("by", e.actor)
        if let u = e.unit { w.field("unit", u) }
        if e.proxy { w.field("proxy", true) }
        if let d = e.on { w.field("on", d.description) }
        switch e.change {
        case .initialize(let s):
            w.field("do", "init")
            w.key("settings")
            encode(s, into: &w)
        case .setting(let key, let value):
            w.field("do", "setting")
            w.field("key", key)
            w.field("value", value)
        case .addUnit(let u):
            w.field("do", "unit.add")
            w.field("name", u.name)
            w.field("kind", u.kind.rawValue)
            w.optionalField("owner", u.owner)
            w.optionalField("contact", u.contact)
            w.optionalField("phone", u.phone)
        case .editUnit(let name, let changes):
            w.field("do", "unit.edit")
            w.field("name", name)
            // One pair of keys per changed field, in the fields' order (as the workflow lists them).
            for c in changes {
                w.field("old." + c.field.rawValue, c.old)
                w.field("new." + c.field.rawValue, c.new)
            }
        case .retireUnit(let name):
            w.field("do", "unit.retire")
            w.field("name", name)
        case .importLedger(let records, let sha256):
            w.field("do", "ledger.import")
            w.field("records", records)
            w.field("sha256", sha256)
        case .addUser(let u):
            w.field("do", "user.add")
            w.field("login", u.login)
            w.field("role", u.role.rawValue)
            w.optionalField("unitName", u.unit)
            w.optionalField("name", u.name)
            if let uid = u.uid { w.field("uid", Int(uid)) }
        case .removeUser(let login):
            w.field("do", "user.remove")
            w.field("login", login)
        case .addCalendar(let t, let sha256):
            w.field("do", "calendar.add")
            w.field("year", t.year)
            w.optionalField("source", t.source)
            w.key("holidays")
            w.beginArray()
            for h in t.holidays {
                w.beginObject()
                w.field("name", h.name)
                w.field("from", h.from.description)
                w.field("to", h.to.description)
                w.endObject()
            }
            w.endArray()
            w.field("workdays", t.workdays.map(\.description))
            w.field("sha256", sha256)
        case .issueNotice(let serial, let day, let overdue):
            w.field("do", "notice.issue")
            w.field("serial", serial)
            w.field("day", day.description)
            w.field("overdue", overdue)
        case .issueProgress(let basis, let serial, let day, let items, let closed):
            w.field("do", "progress.issue")
            w.field("basis", basis)
            w.field("serial", serial)
            w.field("day", day.description)
            w.field("items", items)
            w.field("closed", closed)
        case .item(let n, let action):
            w.field("do", action.code)
            w.field("item", n.description)
            encode(action, into: &w)
        }
        w.endObject()
    }

    static func encode(_ a: ItemAction, into w: inout JSONWriter) {
        switch a {
        case .register(let r):
            RegisteredField.encode(r, into: &w)
        case .sign: break
        case .decline(let reason), .denyExtension(let reason), .returnCompletion(let reason), .withdraw(let reason),
            .suspend(let reason):
            w.field("reason", reason)
        case .resume(let reason, let shift):
            w.field("reason", reason)
            if let shift {
                w.field("paused", shift.workdays)
                w.field("from", shift.from.description)
                w.field("to", shift.to.description)
            }
        case .reassign(let lead, let co, let reason, let assignment):
            w.field("lead", lead)
            w.field("co", co)
            w.field("reason", reason)
            if let a = assignment {
                w.field("assigned", a.assignedOn.description)
                w.field("deadline", a.deadline.description)
                w.optionalField("owner", a.owner)
                w.optionalField("contact", a.contact)
                w.optionalField("phone", a.phone)
                if let d = a.droppedExtension { w.field("dropped", d.description) }
                if a.reminders > 0 { w.field("reminded", a.reminders) }
                if let d = a.declinedOn { w.field("declined", d.description) }
            }
        case .withdrawExtension(let to, let reason):
            w.field("to", to.description)
            w.optionalField("reason", reason)
        case .reopen(let reason, let deadline, let reminders):
            w.field("reason", reason)
            w.field("deadline", deadline.description)
            if reminders > 0 { w.field("reminded", reminders) }
        case .undo(let u):
            w.field("undoes", u.seq)
            w.field("undone", u.code)
            if let p = u.progress {
                w.field("progressDay", p.day.description)
                w.field("progress", p.text)
                if let unit = p.unit { w.field("progressUnit", unit) }
            }
        case .feedback(let text), .comment(let text):
            w.field("text", text)
        case .requestExtension(let to, let reason):
            w.field("to", to.description)
            w.field("reason", reason)
        case .approveExtension(let to, let note):
            w.field("to", to.description)
            w.optionalField("note", note)
        case .requestCompletion(let report):
            w.field("report", report)
        case .approveCompletion(let grade, let note):
            if let g = grade { w.field("grade", g.rawValue) }
            w.optionalField("note", note)
        case .remind(let method, let note):
            w.field("method", method.rawValue)
            w.optionalField("note", note)
        case .commend(let note):
            w.field("note", note)
        case .edit(let changes, let reason):
            w.key("changes")
            w.beginArray()
            for c in changes {
                w.beginObject()
                w.field("field", c.field.rawValue)
                w.field("old", c.old)
                w.field("new", c.new)
                w.endObject()
            }
            w.endArray()
            w.optionalField("reason", reason)
        case .imported(let i):
            w.field("state", i.state.rawValue)
            if let o = i.originalDeadline { w.field("originalDeadline", o.description) }
            if let c = i.closedOn { w.field("closedOn", c.description) }
            if let g = i.grade { w.field("grade", g.rawValue) }
            if let d = i.progressDay { w.field("progressDay", d.description) }
            w.optionalField("progress", i.progress)
            w.optionalField("note", i.note)
        case .attach(let a):
            w.field("sha256", a.sha256)
            w.field("name", a.name)
            w.field("size", a.size)
            w.field("type", a.type.rawValue)
            w.optionalField("note", a.note)
        }
    }

    public static func encode(_ s: Settings, into w: inout JSONWriter) {
        w.beginObject()
        w.field("prefix", s.numberPrefix)
        w.field("office", s.officeName)
        w.field("noticeTitle", s.noticeTitle)
        w.field("dueSoon", s.dueSoonWorkdays)
        w.field("signWithin", s.signWithinWorkdays)
        w.field("sources", s.sources)
        w.field("noticeWidth", s.noticeWidth)
        w.key("limits")
        w.beginObject()
        for u in [Urgency.critical, .urgent, .normal] { if let l = s.urgencyLimits[u] { w.field(u.label, l.description) } }
        for src in s.sourceLimits.keys.sorted() { w.field(src, s.sourceLimits[src]!.description) }
        w.endObject()
        w.field("replyWithin", s.replyWithinWorkdays)
        w.field("penaltyLead", Settings.tenths(s.leadPenaltyTenths))
        w.field("penaltyCo", Settings.tenths(s.coPenaltyTenths))
        if s.testClock { w.field("clock", "test") }
        // Written only when set, so that snapshots without them read and write as before.
        if s.noticeTo != Settings.standardNoticeTo { w.field("noticeTo", s.noticeTo) }
        if !s.noticeCc.isEmpty { w.field("noticeCc", s.noticeCc) }
        if s.score.isConfigured {
            // Only the rules that differ from the defaults, by their keys.
            w.key("score")
            w.beginObject()
            let standard = Settings()
            for k in ScoreRules.keys where k.key != "late" && k.key != "late-co" {
                let key = "score." + k.key
                if let v = s.value(forKey: key), v != standard.value(forKey: key) { w.field(k.key, v) }
            }
            w.endObject()
        }
        w.endObject()
    }

    /// One journal line, newline included, with the entry's `prev` hash.
    public static func line(_ e: Entry) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        encode(e, into: &w, chained: true)
        var bytes = w.bytes
        bytes.append(0x0A)
        return bytes
    }

    // MARK: Decoding

    /// Decodes a journal line (without its newline).
    public static func decodeLine(_ bytes: some Collection<UInt8>) throws(JSONError) -> Entry {
        try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) -> Entry in
            let e = try decode(&r)
            try r.expectEnd()
            return e
        }
    }

    /// Decodes one entry object at the reader's position.
    public static func decode(_ r: inout JSONReader) throws(JSONError) -> Entry {
        let start = r.position
        var f = Fields()
        try r.beginObject()
        while let key = try r.nextKeyCode() {
            switch key {
            case EntryKey.seq: f.seq = try r.readInt()
            case EntryKey.at: f.at = try r.readTimestamp()
            case EntryKey.by: f.by = try r.readString()
            case EntryKey.unit: f.unit = try r.readString()
            case EntryKey.proxy: f.proxy = try r.readBool()
            case EntryKey.prev: f.prev = try r.readString()
            case EntryKey.on: f.on = try r.readDay()
            case EntryKey.do: f.action = try r.readString()
            case EntryKey.item: f.item = try r.readItemNumber()
            case EntryKey.settings: f.settings = try decodeSettings(&r)
            case EntryKey.co, EntryKey.sources: f.co = try r.readStringArray()
            case EntryKey.serial, EntryKey.overdue, EntryKey.year, EntryKey.uid, EntryKey.records, EntryKey.paused,
                EntryKey.undoes, EntryKey.reminded, EntryKey.size, EntryKey.items, EntryKey.closed:
                f.ints[key] = try r.readInt()
            case EntryKey.workdays: f.workdays = try r.readStringArray()
            case EntryKey.holidays: f.holidays = try HolidayTable.readHolidays(&r)
            case EntryKey.changes:
                try r.beginArray()
                while try r.nextElement() {
                    var c = (field: "", old: "", new: "")
                    try r.beginObject()
                    while let k = try r.nextKeyCode() {
                        switch k {
                        case EntryKey.field: c.field = try r.readString()
                        case EntryKey.old: c.old = try r.readString()
                        case EntryKey.new: c.new = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    guard let field = ItemField(rawValue: c.field) else {
                        throw JSONError(message: "未知的字段“\(c.field.sanitized())”", offset: start)
                    }
                    f.changes.append(FieldChange(field: field, old: c.old, new: c.new))
                }
            default:
                if r.peekKind() == .string { f.strings.values[key] = try r.readString() } else { try r.skipValue() }
            }
        }
        return try f.entry(at: start)
    }

    /// Reads a settings object (data/settings.json has the same form).
    public static func decodeSettings(_ r: inout JSONReader) throws(JSONError) -> Settings {
        var s = Settings()
        try r.beginObject()
        while let k = try r.nextKey() {
            switch k {
            case "prefix": s.numberPrefix = try r.readString()
            case "office": s.officeName = try r.readString()
            case "noticeTitle": s.noticeTitle = try r.readString()
            case "dueSoon": s.dueSoonWorkdays = try r.readInt()
            case "signWithin": s.signWithinWorkdays = try r.readInt()
            case "sources": s.sources = try r.readStringArray()
            case "noticeWidth": s.noticeWidth = try r.readInt()
            case "replyWithin": s.replyWithinWorkdays = try r.readInt()
            case "noticeTo": s.noticeTo = try r.readString()
            case "noticeCc": s.noticeCc = try r.readString()
            case "clock":
                let v = try r.readString()
                guard v == "test" else { throw r.error("时钟设置 \(v.sanitized()) 无效") }
                s.testClock = true
            case "penaltyLead", "penaltyCo":
                let v = try r.readString()
                do throws(CoreError) { try s.set(k == "penaltyLead" ? "penalty-lead" : "penalty-co", to: v) } catch {
                    throw r.error(error.message)
                }
            case "score":
                try r.beginObject()
                while let name = try r.nextKey() {
                    let v = try r.readString()
                    do throws(CoreError) { try s.set("score." + name, to: v) } catch { throw r.error(error.message) }
                }
            case "limits":
                // Only the limits listed apply: an office may drop the standard source limits.
                s.sourceLimits = [:]
                try r.beginObject()
                while let name = try r.nextKey() {
                    let text = try r.readString()
                    let limit: TimeLimit
                    do throws(CoreError) { limit = try TimeLimit.parse(text) } catch { throw r.error(error.message) }
                    if let u = Urgency(label: name) { s.urgencyLimits[u] = limit } else { s.sourceLimits[name] = limit }
                }
            default: try r.skipValue()
            }
        }
        return s
    }

    /// The raw members of an entry object, turned into an Entry once all are read.
    struct Fields {
        var seq: Int?
        var at: Timestamp?
        var by: String?
        var unit: String?
        var proxy = false
        var prev: String?
        var on: Day?
        var action: String?
        var item: ItemNumber?
        var settings: Settings?
        var co: [String]?
        var changes: [FieldChange] = []
        var holidays: [(name: String, from: String, to: String)] = []
        var workdays: [String] = []
        var strings = Strings()
        var ints = Coded<Int>()

        /// The other string members, by key code.
        struct Strings {
            var values = Coded<String>()
            subscript(_ key: String) -> String? { values[JSONReader.code(key)] }
        }

        /// A few values by key code, found in order: an entry has a handful, and a dictionary
        /// for each of the thousands of entries a ledger reads cost more than the lookups.
        struct Coded<Value> {
            var pairs: [(code: UInt64, value: Value)] = []

            subscript(_ code: UInt64) -> Value? {
                get {
                    for p in pairs where p.code == code { return p.value }
                    return nil
                }
                set {
                    // As a dictionary: a member given twice keeps its last value.
                    pairs.removeAll { $0.code == code }
                    if let v = newValue { pairs.append((code, v)) }
                }
            }
        }

        func fail(_ message: String, _ offset: Int) -> JSONError { JSONError(message: message, offset: offset) }

        func string(_ key: String, _ offset: Int) throws(JSONError) -> String {
            guard let v = strings[key] else { throw fail("缺少“\(key)”", offset) }
            return v
        }

        func day(_ key: String, _ offset: Int) throws(JSONError) -> Day {
            let v = try string(key, offset)
            guard let d = Day.parseStored(v) else { throw fail("“\(key)”的日期 \(v.sanitized()) 无效", offset) }
            return d
        }

        func int(_ key: String, _ offset: Int) throws(JSONError) -> Int {
            guard let v = ints[JSONReader.code(key)] else { throw fail("缺少“\(key)”", offset) }
            return v
        }

        /// A user's OS user id, when the entry records one.
        func uid(_ offset: Int) throws(JSONError) -> UInt32? {
            guard let v = ints[EntryKey.uid] else { return nil }
            guard let uid = UInt32(exactly: v) else { throw fail("“uid”的值 \(v) 无效", offset) }
            return uid
        }

        func cycle(_ offset: Int) throws(JSONError) -> FeedbackCycle? {
            guard let text = strings["cycle"], !text.isEmpty else { return nil }
            do throws(CoreError) { return try FeedbackCycle.parse(text) } catch {
                throw fail("反馈周期 \(text.sanitized()) 无效", offset)
            }
        }

        /// The registered fields, read by the list that writes them.
        func registration(_ offset: Int) throws(JSONError) -> Registration {
            var r = Registration.blank
            for f in RegisteredField.all {
                switch f.value {
                case .text(let k, let required): k.set(&r, try required ? string(f.key, offset) : (strings[f.key] ?? ""))
                case .units(let k):
                    precondition(f.key == "co", "记录中的单位列表只有“co”")
                    k.set(&r, co ?? [])
                case .day(let k): k.set(&r, try day(f.key, offset))
                case .optionalDay(let k): k.set(&r, strings[f.key] == nil ? nil : try day(f.key, offset))
                case .urgency: r.urgency = try labelled(f.key, offset, Urgency.self)
                case .cycle: r.feedbackCycle = try cycle(offset)
                }
            }
            return r
        }

        func labelled<T: Labelled>(_ key: String, _ offset: Int, _ type: T.Type) throws(JSONError) -> T {
            let v = try string(key, offset)
            guard let t = T(rawValue: v) else { throw fail("“\(key)”的值 \(v.sanitized()) 无效", offset) }
            return t
        }

        func entry(at offset: Int) throws(JSONError) -> Entry {
            guard let seq, seq > 0 else { throw fail("缺少有效的“seq”", offset) }
            guard let at else { throw fail("缺少有效的时间“at”", offset) }
            guard let by, !by.isEmpty else { throw fail("缺少操作人“by”", offset) }
            guard let action else { throw fail("缺少操作“do”", offset) }
            let s = strings
            let change: Change
            switch action {
            case "init":
                guard let settings else { throw fail("缺少“settings”", offset) }
                change = .initialize(settings)
            case "setting":
                change = .setting(key: try string("key", offset), value: try string("value", offset))
            case "unit.add":
                change = .addUnit(
                    Unit(
                        name: try string("name", offset), kind: try labelled("kind", offset, UnitKind.self),
                        owner: s["owner"] ?? "", contact: s["contact"] ?? "", phone: s["phone"] ?? ""))
            case "unit.edit":
                var changes: [UnitFieldChange] = []
                for field in UnitField.allCases {
                    guard let old = s["old." + field.rawValue], let new = s["new." + field.rawValue] else { continue }
                    changes.append(UnitFieldChange(field: field, old: old, new: new))
                }
                guard !changes.isEmpty else { throw fail("单位修改记录中没有修改的内容", offset) }
                change = .editUnit(name: try string("name", offset), changes: changes)
            case "unit.retire":
                change = .retireUnit(name: try string("name", offset))
            case "ledger.import":
                let sha = try string("sha256", offset)
                guard sha.utf8.count == 64 else { throw fail("“sha256”无效", offset) }
                change = .importLedger(records: try int("records", offset), sha256: sha)
            case "user.add":
                change = .addUser(
                    User(
                        login: try string("login", offset), role: try labelled("role", offset, Role.self),
                        unit: s["unitName"], name: s["name"] ?? "", uid: try uid(offset)))
            case "user.remove":
                change = .removeUser(login: try string("login", offset))
            case "calendar.add":
                var hs: [HolidayTable.Holiday] = []
                for h in holidays {
                    guard let from = Day.parseStored(h.from), let to = Day.parseStored(h.to) else {
                        throw fail("节假日“\(h.name.sanitized())”的日期无效", offset)
                    }
                    hs.append(HolidayTable.Holiday(name: h.name, from: from, to: to))
                }
                var ws: [Day] = []
                for w in workdays {
                    guard let d = Day.parseStored(w) else { throw fail("调休上班日 \(w.sanitized()) 无效", offset) }
                    ws.append(d)
                }
                let sha = try string("sha256", offset)
                guard sha.utf8.count == 64 else { throw fail("“sha256”无效", offset) }
                change = .addCalendar(
                    HolidayTable(year: try int("year", offset), source: s["source"] ?? "", holidays: hs, workdays: ws),
                    sha256: sha)
            case "notice.issue":
                change = .issueNotice(
                    serial: try int("serial", offset), day: try day("day", offset), overdue: try int("overdue", offset))
            case "progress.issue":
                change = .issueProgress(
                    basis: try string("basis", offset), serial: try int("serial", offset), day: try day("day", offset),
                    items: try int("items", offset), closed: try int("closed", offset))
            default:
                guard let number = item else { throw fail("缺少“item”", offset) }
                change = .item(number, try itemAction(action, offset))
            }
            if let prev,
                prev.utf8.count != 64 || !prev.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
            {
                throw fail("“prev”应为 64 位十六进制的 SHA-256", offset)
            }
            return Entry(seq: seq, at: at, actor: by, unit: unit, proxy: proxy, on: on, change: change, prev: prev)
        }

        func itemAction(_ action: String, _ offset: Int) throws(JSONError) -> ItemAction {
            let s = strings
            switch action {
            case "register": return .register(try registration(offset))
            case "sign": return .sign
            case "decline": return .decline(reason: try string("reason", offset))
            case "reassign":
                var assignment: NewAssignment? = nil
                if s["assigned"] != nil {
                    assignment = NewAssignment(
                        assignedOn: try day("assigned", offset), deadline: try day("deadline", offset), owner: s["owner"] ?? "",
                        contact: s["contact"] ?? "", phone: s["phone"] ?? "",
                        droppedExtension: s["dropped"] == nil ? nil : try day("dropped", offset),
                        reminders: ints[EntryKey.reminded] ?? 0,
                        declinedOn: s["declined"] == nil ? nil : try day("declined", offset))
                }
                return .reassign(
                    lead: try string("lead", offset), coUnits: co ?? [], reason: try string("reason", offset),
                    assignment: assignment)
            case "extension.withdraw": return .withdrawExtension(to: try day("to", offset), reason: s["reason"] ?? "")
            case "reopen":
                return .reopen(
                    reason: try string("reason", offset), deadline: try day("deadline", offset),
                    reminders: ints[EntryKey.reminded] ?? 0)
            case "undo":
                var progress: Item.Progress? = nil
                if s["progressDay"] != nil {
                    progress = Item.Progress(
                        day: try day("progressDay", offset), text: try string("progress", offset), unit: s["progressUnit"])
                }
                let code = try string("undone", offset)
                guard Undo.verb(of: code) != nil else { throw fail("撤回记录所指的操作“\(code.sanitized())”不能撤回", offset) }
                return .undo(Undo(seq: try int("undoes", offset), code: code, progress: progress))
            case "feedback": return .feedback(text: try string("text", offset))
            case "extension.request":
                return .requestExtension(to: try day("to", offset), reason: try string("reason", offset))
            case "extension.approve": return .approveExtension(to: try day("to", offset), note: s["note"] ?? "")
            case "extension.deny": return .denyExtension(reason: try string("reason", offset))
            case "completion.request": return .requestCompletion(report: try string("report", offset))
            case "review.approve":
                let grade: Grade? = s["grade"] == nil ? nil : try labelled("grade", offset, Grade.self)
                return .approveCompletion(grade: grade, note: s["note"] ?? "")
            case "review.return": return .returnCompletion(reason: try string("reason", offset))
            case "remind":
                return .remind(method: try labelled("method", offset, ReminderMethod.self), note: s["note"] ?? "")
            case "comment": return .comment(text: try string("text", offset))
            case "commend": return .commend(note: try string("note", offset))
            case "withdraw": return .withdraw(reason: try string("reason", offset))
            case "suspend": return .suspend(reason: try string("reason", offset))
            case "resume":
                var shift: DeadlineShift? = nil
                if ints[EntryKey.paused] != nil {
                    shift = DeadlineShift(
                        workdays: try int("paused", offset), from: try day("from", offset), to: try day("to", offset))
                }
                return .resume(reason: s["reason"] ?? "", shift: shift)
            case "edit":
                guard !changes.isEmpty else { throw fail("修改记录缺少“changes”", offset) }
                return .edit(changes: changes, reason: s["reason"] ?? "")
            case "import":
                func optionalDay(_ key: String) throws(JSONError) -> Day? { s[key] == nil ? nil : try day(key, offset) }
                return .imported(
                    ImportedState(
                        state: try labelled("state", offset, ItemState.self),
                        originalDeadline: try optionalDay("originalDeadline"),
                        closedOn: try optionalDay("closedOn"),
                        grade: s["grade"] == nil ? nil : try labelled("grade", offset, Grade.self),
                        progressDay: try optionalDay("progressDay"), progress: s["progress"] ?? "", note: s["note"] ?? ""))
            case "attach":
                let sha = try string("sha256", offset)
                guard Evidence.isHash(sha) else { throw fail("佐证材料的“sha256”无效", offset) }
                return .attach(
                    Evidence(
                        sha256: sha, name: try string("name", offset), size: try int("size", offset),
                        type: try labelled("type", offset, EvidenceType.self), note: s["note"] ?? ""))
            default:
                throw fail("未知的操作“\(action.sanitized())”（可能由更新版本的 ducha 写入）", offset)
            }
        }
    }
}

/// Entry keys, as the JSON reader's codes (literals; CodecTests checks them).
enum EntryKey {
    static let seq: UInt64 = 0x823b_8a19_5ce2_133c  // "seq"
    static let at: UInt64 = 0x089c_4e07_b545_a968  // "at"
    static let by: UInt64 = 0x08a6_4b07_b54d_f8d4  // "by"
    static let unit: UInt64 = 0x6498_dfe4_855b_b3a7  // "unit"
    static let proxy: UInt64 = 0xf91e_9124_6d67_f11b  // "proxy"
    static let prev: UInt64 = 0x855e_7e0e_3526_e210  // "prev"
    static let year: UInt64 = 0x7c64_6349_7742_5edc  // "year"
    static let holidays: UInt64 = 0xd9f6_4634_59f0_e0d8  // "holidays"
    static let workdays: UInt64 = 0x5360_e9be_d107_843b  // "workdays"
    static let on: UInt64 = 0x08b0_5807_b556_6370  // "on"
    static let `do`: UInt64 = 0x0891_5907_b53b_b494  // "do"
    static let item: UInt64 = 0x2841_a0c5_96d6_f426  // "item"
    static let settings: UInt64 = 0xee5f_6d7b_48b4_4de8  // "settings"
    static let co: UInt64 = 0x08a2_5907_b54a_27c7  // "co"
    static let sources: UInt64 = 0x6fc4_d9b9_c935_cff1  // "sources"
    static let serial: UInt64 = 0x4b1a_d07e_2c23_8dd9  // "serial"
    static let overdue: UInt64 = 0xa0fc_b612_3176_4b6b  // "overdue"
    static let changes: UInt64 = 0xdf38_7c9a_f614_5dca  // "changes"
    static let field: UInt64 = 0x2c5d_047f_f4e6_ffc7  // "field"
    static let old: UInt64 = 0x1a0f_ad19_21d0_8076  // "old"
    static let new: UInt64 = 0x2138_d519_2571_b731  // "new"
    static let uid: UInt64 = 0x4c9c_b519_3e0b_272d  // "uid"
    static let records = JSONReader.code("records")
    static let paused: UInt64 = 0x5a34_b413_c316_fdab  // "paused"
    static let undoes: UInt64 = 0xec8b_84eb_1340_7a57  // "undoes"
    static let reminded: UInt64 = 0xe70a_f1a5_f3a6_bbd9  // "reminded"
    static let size = JSONReader.code("size")
    static let items: UInt64 = 0x3e78_84bf_4f41_2c6f  // "items"
    static let closed: UInt64 = 0x8553_0f50_90e8_36c5  // "closed"
}
