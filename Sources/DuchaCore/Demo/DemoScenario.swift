/// The content of the demo repository (data/demo.json): units, leaders, item templates and the
/// phrases used for feedback, reports and reasons. The plot — which items end up overdue,
/// closed late, returned — is decided by `DemoBuilder`.
public struct DemoScenario: Sendable {
    public struct UnitTemplate: Sendable {
        public var unit: Unit
        /// The liaison's OS login when the unit has its own account in the demo roster.
        public var login: String?
    }

    public struct ItemTemplate: Sendable {
        public var title: String
        public var instruction: String
        public var source: String
        public var leader: String
        public var lead: String
        public var co: [String]
        public var urgency: Urgency
        public var cycle: FeedbackCycle?
    }

    public var office = ""
    public var units: [UnitTemplate] = []
    public var leaders: [User] = []
    public var items: [ItemTemplate] = []
    public var feedback: [String] = []
    public var reports: [String] = []
    public var extensionReasons: [String] = []
    public var returnReasons: [String] = []
    public var declineReasons: [String] = []
    public var reminderNotes: [String] = []
    public var comments: [String] = []
    public var withdrawReason = ""
    public var suspendReason = ""

    public init() {}

    public static func decode(_ bytes: [UInt8], file: String) throws(CoreError) -> DemoScenario {
        var s = DemoScenario()
        do throws(JSONError) {
            try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) in
                try r.beginObject()
                while let key = try r.nextKey() {
                    switch key {
                    case "office": s.office = try r.readString()
                    case "units":
                        try r.beginArray()
                        while try r.nextElement() {
                            var f: [String: String] = [:]
                            try r.beginObject()
                            while let k = try r.nextKey() { f[k] = try r.readString() }
                            guard let kind = UnitKind(label: f["kind"] ?? "") else { throw r.error("单位类型无效") }
                            s.units.append(
                                UnitTemplate(
                                    unit: Unit(
                                        name: f["name"] ?? "", kind: kind, owner: f["owner"] ?? "", contact: f["contact"] ?? "",
                                        phone: f["phone"] ?? ""), login: f["login"]))
                        }
                    case "leaderUsers":
                        try r.beginArray()
                        while try r.nextElement() {
                            var f: [String: String] = [:]
                            try r.beginObject()
                            while let k = try r.nextKey() { f[k] = try r.readString() }
                            s.leaders.append(User(login: f["login"] ?? "", role: .leader, name: f["name"] ?? ""))
                        }
                    case "items":
                        try r.beginArray()
                        while try r.nextElement() {
                            var t = ItemTemplate(
                                title: "", instruction: "", source: "", leader: "", lead: "", co: [], urgency: .normal)
                            try r.beginObject()
                            while let k = try r.nextKey() {
                                switch k {
                                case "title": t.title = try r.readString()
                                case "instruction": t.instruction = try r.readString()
                                case "source": t.source = try r.readString()
                                case "leader": t.leader = try r.readString()
                                case "lead": t.lead = try r.readString()
                                case "co": t.co = try r.readStringArray()
                                case "cycle":
                                    let text = try r.readString()
                                    do throws(CoreError) { t.cycle = try FeedbackCycle.parse(text) } catch {
                                        throw r.error(error.message)
                                    }
                                case "urgency":
                                    guard let u = Urgency(label: try r.readString()) else { throw r.error("紧急程度无效") }
                                    t.urgency = u
                                default: try r.skipValue()
                                }
                            }
                            s.items.append(t)
                        }
                    case "feedback": s.feedback = try r.readStringArray()
                    case "reports": s.reports = try r.readStringArray()
                    case "extensionReasons": s.extensionReasons = try r.readStringArray()
                    case "returnReasons": s.returnReasons = try r.readStringArray()
                    case "declineReasons": s.declineReasons = try r.readStringArray()
                    case "reminderNotes": s.reminderNotes = try r.readStringArray()
                    case "comments": s.comments = try r.readStringArray()
                    case "withdrawReason": s.withdrawReason = try r.readString()
                    case "suspendReason": s.suspendReason = try r.readString()
                    default: try r.skipValue()
                    }
                }
                try r.expectEnd()
            }
        } catch {
            throw .malformed(file, "\(error)")
        }
        guard !s.units.isEmpty, !s.items.isEmpty, !s.feedback.isEmpty, !s.reports.isEmpty, !s.extensionReasons.isEmpty,
            !s.returnReasons.isEmpty, !s.declineReasons.isEmpty, !s.reminderNotes.isEmpty, !s.comments.isEmpty
        else { throw .malformed(file, "缺少单位、事项或办理用语") }
        return s
    }
}
