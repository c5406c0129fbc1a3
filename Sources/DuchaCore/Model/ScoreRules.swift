/// 考核计分规则: how a unit's score (得分) is made up, as county rules publish them — a base
/// score, bonuses per item and deductions per item or per event. Points are kept in tenths.
/// The defaults score lateness only (牵头 5, 配合 2.5, held in `Settings`), as ducha always did:
/// with them the statistics show the figures they showed before scoring was configurable.
public struct ScoreRules: Sendable, Equatable {
    /// 基础分.
    public var base = 0
    /// 按时办结: per item closed on time.
    public var onTime = 0
    /// 提前办结: per calendar day the completion was reported before the deadline …
    public var earlyPerDay = 0
    /// … at most this much per item (0: no cap).
    public var earlyCap = 0
    /// 肯定性批示: per leader's affirming instruction the office marked (`ducha commend`).
    public var commend = 0
    /// 退回: per completion report returned.
    public var returned = 0
    /// 退办: per decline.
    public var declined = 0
    /// 催办: per reminder beyond `remindFree` in one assignment.
    public var remind = 0
    /// How many reminders of one assignment cost nothing.
    public var remindFree = 2
    /// 反馈逾期: per item whose cyclical feedback is overdue.
    public var feedbackLate = 0

    public init() {}

    /// Whether anything beyond lateness is scored: then the statistics show the breakdown.
    public var isConfigured: Bool { self != ScoreRules() }

    /// One rule: its key after `score.`, a Chinese alias, its name, and where it is kept.
    public struct Key: Sendable {
        public var key: String
        public var alias: String
        public var name: String
        /// A count (not points).
        public var isCount: Bool
        let path: any WritableKeyPath<Settings, Int> & Sendable
    }

    /// The rules `ducha config score.…` accepts, in the order `ducha config` lists them.
    /// 逾期 and 配合逾期 are the settings penalty-lead and penalty-co.
    public static let keys: [Key] = [
        Key(key: "base", alias: "基础分", name: "基础分", isCount: false, path: \.score.base),
        Key(key: "ontime", alias: "按时办结", name: "按时办结每件加分", isCount: false, path: \.score.onTime),
        Key(key: "early", alias: "提前办结", name: "提前办结每天加分", isCount: false, path: \.score.earlyPerDay),
        Key(key: "early-cap", alias: "提前办结上限", name: "提前办结加分上限", isCount: false, path: \.score.earlyCap),
        Key(key: "commend", alias: "肯定性批示", name: "肯定性批示每次加分", isCount: false, path: \.score.commend),
        Key(key: "late", alias: "逾期", name: "牵头逾期每件扣分", isCount: false, path: \.leadPenaltyTenths),
        Key(key: "late-co", alias: "配合逾期", name: "配合逾期每件扣分", isCount: false, path: \.coPenaltyTenths),
        Key(key: "return", alias: "退回", name: "审核退回每次扣分", isCount: false, path: \.score.returned),
        Key(key: "decline", alias: "退办", name: "退办每次扣分", isCount: false, path: \.score.declined),
        Key(key: "remind", alias: "催办", name: "超次催办每次扣分", isCount: false, path: \.score.remind),
        Key(key: "remind-free", alias: "催办不扣分次数", name: "不扣分的催办次数", isCount: true, path: \.score.remindFree),
        Key(key: "feedback-late", alias: "反馈逾期", name: "反馈逾期每件扣分", isCount: false, path: \.score.feedbackLate),
    ]

    /// The rule `key` names: score.base or score.基础分.
    public static func rule(_ key: String) -> Key? {
        guard key.hasPrefix("score.") else { return nil }
        let name = key.dropFirst(6)
        return keys.first { $0.key == name || $0.alias == name }
    }

    /// Every key in full (score.base …), with its alias, for messages.
    public static var keyList: String { keys.map { "score.\($0.key)（\($0.alias)）" }.joined(separator: "、") }

    /// Points in tenths from text: 0 to 1000, at most one decimal.
    static func points(_ value: String, field: String) throws(CoreError) -> Int {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy({ $0.asciiDigitValue != nil }),
            let whole = Int(parts[0]), (0...1000).contains(whole),
            parts.count == 1 || (parts[1].count == 1 && parts[1].first!.asciiDigitValue != nil),
            whole < 1000 || parts.count == 1 || parts[1] == "0"
        else { throw .invalidField(field, "应为 0 到 1000 之间、最多一位小数的分数，而不是“\(value.sanitized())”") }
        return whole * 10 + (parts.count == 2 ? parts[1].first!.asciiDigitValue! : 0)
    }
}

extension Settings {
    /// The scoring keys as `ducha config` lists them.
    public var scoreKeys: [(key: String, name: String)] { ScoreRules.keys.map { ("score.\($0.key)", $0.name) } }

    /// The value of a scoring key, as text.
    func scoreValue(_ key: String) -> String? {
        guard let k = ScoreRules.rule(key) else { return nil }
        return k.isCount ? String(self[keyPath: k.path]) : Settings.tenths(self[keyPath: k.path])
    }

    /// Sets a scoring key; throws a Chinese message for an unknown rule or a bad value.
    mutating func setScore(_ key: String, to value: String) throws(CoreError) {
        guard let k = ScoreRules.rule(key) else {
            throw .invalidField("设置项", "没有“\(key.sanitized())”这一计分项；可设置：" + ScoreRules.keyList)
        }
        if k.key == "late" || k.key == "late-co" {
            // The same settings as penalty-lead and penalty-co, with their range.
            try set(k.key == "late" ? "penalty-lead" : "penalty-co", to: value)
        } else if k.isCount {
            guard let n = Int(value), (0...99).contains(n), value.allSatisfy({ $0.asciiDigitValue != nil }) else {
                throw .invalidField(k.name, "应为 0 到 99 之间的整数，而不是“\(value.sanitized())”")
            }
            self[keyPath: k.path] = n
        } else {
            self[keyPath: k.path] = try ScoreRules.points(value, field: k.name)
        }
    }

    /// The canonical form of a setting's key (score.基础分 → score.base), as it is recorded.
    public static func canonicalKey(_ key: String) -> String {
        if let k = ScoreRules.rule(key) { return "score." + k.key }
        return key
    }
}
