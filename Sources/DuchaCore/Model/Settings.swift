/// Repository settings. Defaults come from data/settings.json when a repository is created;
/// afterwards they live in the repository and change only through logged entries.
public struct Settings: Sendable, Equatable {
    /// The number prefix: 督 gives 督〔2026〕第0001号.
    public var numberPrefix: String
    /// The issuing office printed on notices, e.g. 青山县委督查室.
    public var officeName: String
    /// The title of the overdue notice.
    public var noticeTitle: String
    /// 临期: at most this many working days left.
    public var dueSoonWorkdays: Int
    /// 签收超时: not signed within this many working days of assignment.
    public var signWithinWorkdays: Int
    /// The sources (来源) an item may have, in display order.
    public var sources: [String]
    /// Width in cells of printed notices.
    public var noticeWidth: Int
    /// Default time limits by urgency (DOMAIN.md: 特急 1, 急 3, 一般 15 working days).
    public var urgencyLimits: [Urgency: TimeLimit] = Settings.standardUrgencyLimits
    /// Default time limits by source, taking precedence (人大建议、政协提案: 3 months).
    public var sourceLimits: [String: TimeLimit] = Settings.standardSourceLimits
    /// Working days a unit has to reply in writing to a notice or a 催办通知.
    public var replyWithinWorkdays = 3
    /// Points taken off a unit per late item it leads / co-handles, in tenths (5 and 2.5).
    public var leadPenaltyTenths = 50
    public var coPenaltyTenths = 25
    /// The rest of the scoring rules (基础分, 加分, 扣分): `ScoreRules`, `ducha config score.…`.
    public var score = ScoreRules()
    /// A demo or test repository (`ducha demo`, `ducha init --test-clock`): commands may write
    /// with a `--today` other than the real date. Fixed at creation; shown on screen as
    /// 演示/测试台账. In any other repository a record's time is the server's clock.
    public var testClock = false
    /// 主送机关 of the overdue notice as a document (.docx).
    public var noticeTo = Settings.standardNoticeTo
    /// 抄送机关 in the 版记 of notices (.docx); none when empty.
    public var noticeCc = ""
    /// The programs run after a record of each event (`hook.交办` …), see `HookEvent`.
    public var hooks: [HookEvent: String] = [:]
    public static let standardNoticeTo = "各承办单位"

    public static let standardUrgencyLimits: [Urgency: TimeLimit] = [
        .critical: TimeLimit(1, .workdays), .urgent: TimeLimit(3, .workdays), .normal: TimeLimit(15, .workdays),
    ]
    public static let standardSourceLimits: [String: TimeLimit] = [
        "人大代表建议": TimeLimit(3, .months), "政协委员提案": TimeLimit(3, .months),
    ]

    /// The default time limit of an item of this source and urgency.
    public func limit(source: String, urgency: Urgency) -> TimeLimit {
        sourceLimits[source] ?? urgencyLimits[urgency] ?? TimeLimit(15, .workdays)
    }

    public init(
        numberPrefix: String = "督", officeName: String = "督查室", noticeTitle: String = "逾期事项通报",
        dueSoonWorkdays: Int = 3, signWithinWorkdays: Int = 1, sources: [String] = Settings.standardSources,
        noticeWidth: Int = 100
    ) {
        self.numberPrefix = numberPrefix
        self.officeName = officeName
        self.noticeTitle = noticeTitle
        self.dueSoonWorkdays = dueSoonWorkdays
        self.signWithinWorkdays = signWithinWorkdays
        self.sources = sources
        self.noticeWidth = noticeWidth
    }

    /// The sources of DOMAIN.md; data/settings.json is where a deployment changes them.
    public static let standardSources = [
        "领导批示", "常委会决定事项", "政府常务会决定事项", "专题会议纪要", "上级交办", "人大代表建议", "政协委员提案",
        "群众反映", "重点工作任务",
    ]

    /// The keys `ducha config` accepts, with their Chinese names.
    public static let keys: [(key: String, name: String)] = [
        ("prefix", "编号前缀"), ("office", "发文单位"), ("notice-title", "通报标题"), ("due-soon", "临期工作日数"),
        ("sign-within", "签收时限（工作日）"), ("reply-within", "书面回复时限（工作日）"), ("sources", "来源列表"), ("notice-width", "通报宽度"),
        ("penalty-lead", "牵头单位逾期扣分"), ("penalty-co", "配合单位逾期扣分"), ("notice-to", "通报主送机关"),
        ("notice-cc", "通报和催办通知抄送机关"),
    ]

    /// The time-limit keys in force: limit.特急 … and limit.<来源> for each source override.
    public var limitKeys: [(key: String, name: String)] {
        [Urgency.critical, .urgent, .normal].map { ("limit.\($0.label)", "默认时限（\($0.label)）") }
            + sources.filter { sourceLimits[$0] != nil }.map { ("limit.\($0)", "默认时限（\($0)）") }
    }

    static func tenths(_ n: Int) -> String { n % 10 == 0 ? String(n / 10) : "\(n / 10).\(n % 10)" }

    public func value(forKey key: String) -> String? {
        switch key {
        case "prefix": numberPrefix
        case "office": officeName
        case "notice-title": noticeTitle
        case "due-soon": String(dueSoonWorkdays)
        case "sign-within": String(signWithinWorkdays)
        case "sources": sources.joined(separator: "、")
        case "notice-width": String(noticeWidth)
        case "reply-within": String(replyWithinWorkdays)
        case "penalty-lead": Settings.tenths(leadPenaltyTenths)
        case "penalty-co": Settings.tenths(coPenaltyTenths)
        case "notice-to": noticeTo
        case "notice-cc": noticeCc
        default:
            if key.hasPrefix("hook.") {
                HookEvent(rawValue: String(key.dropFirst(5))).map { hooks[$0] ?? "" }
            } else if key.hasPrefix("limit.") {
                limitValue(String(key.dropFirst(6)))
            } else if key.hasPrefix("score.") {
                scoreValue(key)
            } else {
                nil
            }
        }
    }

    func limitValue(_ name: String) -> String? {
        if let u = Urgency(label: name) { return urgencyLimits[u]?.description }
        return sourceLimits[name]?.description ?? (sources.contains(name) ? "（按紧急程度）" : nil)
    }

    /// Sets one key from text, validating it. Used both when a user changes a setting and when
    /// the logged change is replayed.
    public mutating func set(_ key: String, to raw: String) throws(CoreError) {
        let value = raw.trimmingSpaces
        func number(_ name: String, _ range: ClosedRange<Int>) throws(CoreError) -> Int {
            guard let n = Int(value), range.contains(n) else {
                throw .invalidField(name, "应为 \(range.lowerBound) 到 \(range.upperBound) 之间的整数，而不是“\(value.sanitized())”")
            }
            return n
        }
        switch key {
        case "prefix":
            try Validate.name(value, field: "编号前缀", maxLength: 10)
            guard !value.contains(where: { "〔〕[]［］0123456789".contains($0) }) else {
                throw .invalidField("编号前缀", "不能含有括号或数字")
            }
            numberPrefix = value
        case "office":
            try Validate.name(value, field: "发文单位", maxLength: 40)
            officeName = value
        case "notice-title":
            try Validate.name(value, field: "通报标题", maxLength: 40)
            noticeTitle = value
        case "notice-to":
            try Validate.name(value, field: "主送机关", maxLength: 200)
            noticeTo = value
        case "notice-cc":
            if value.isEmpty || value == "无" || value == "-" {
                noticeCc = ""
            } else {
                try Validate.name(value, field: "抄送机关", maxLength: 200)
                noticeCc = value
            }
        case "due-soon": dueSoonWorkdays = try number("临期工作日数", 0...30)
        case "sign-within": signWithinWorkdays = try number("签收时限", 1...30)
        case "notice-width": noticeWidth = try number("通报宽度", 80...240)
        case "reply-within": replyWithinWorkdays = try number("书面回复时限", 1...30)
        case "penalty-lead", "penalty-co":
            let parts = value.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let whole = Int(parts[0]), (0...100).contains(whole),
                parts.count == 1 || (parts[1].count == 1 && parts[1].first!.asciiDigitValue != nil)
            else { throw .invalidField("扣分", "应为 0 到 100 之间、最多一位小数的数，而不是“\(value.sanitized())”") }
            let t = whole * 10 + (parts.count == 2 ? parts[1].first!.asciiDigitValue! : 0)
            if key == "penalty-lead" { leadPenaltyTenths = t } else { coPenaltyTenths = t }
        case "sources":
            let list = value.split(whereSeparator: { "、,，;；".contains($0) }).map { String($0).trimmingSpaces }
                .filter { !$0.isEmpty }
            guard !list.isEmpty else { throw .invalidField("来源列表", "至少要有一个来源") }
            for s in list { try Validate.name(s, field: "来源", maxLength: 20) }
            guard Set(list).count == list.count else { throw .invalidField("来源列表", "有重复的来源") }
            sources = list
        case _ where key.hasPrefix("score."):
            try setScore(key, to: value)
        case _ where key.hasPrefix("hook."): try setHook(key, to: value)
        case _ where key.hasPrefix("limit."):
            let name = String(key.dropFirst(6))
            if let u = Urgency(label: name) {
                urgencyLimits[u] = try TimeLimit.parse(value)
            } else if sources.contains(name) {
                if value == "-" || value == "无" || value.isEmpty {
                    sourceLimits[name] = nil
                } else {
                    sourceLimits[name] = try TimeLimit.parse(value)
                }
            } else {
                throw .invalidField("设置项", "“\(name.sanitized())”既不是紧急程度（\(Urgency.labels)）也不是来源列表中的来源")
            }
        default:
            throw .invalidField(
                "设置项",
                "没有“\(key.sanitized())”这一项；可设置：" + Settings.keys.map { "\($0.key)（\($0.name)）" }.joined(separator: "、")
                    + "、limit.紧急程度或来源（默认办理时限）、score.计分项（考核计分：" + ScoreRules.keyList + "）、hook.事件（通知程序）")
        }
    }
}
