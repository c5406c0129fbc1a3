/// Checks on text typed by users, applied before anything is recorded.
public enum Validate {
    /// Length limits in characters.
    public static let nameLimit = 40
    public static let titleLimit = 200
    /// A basis's name: a document's title can be long (关于印发《…》的通知).
    public static let basisLimit = 100
    public static let textLimit = 10_000

    /// A one-line value (unit name, leader, title): not empty, no control characters and none
    /// of the characters `Deceptive` names (bidi controls, zero-width characters).
    public static func name(_ value: String, field: String, maxLength: Int = nameLimit) throws(CoreError) {
        guard !value.trimmingSpaces.isEmpty else { throw .invalidField(field, "不能为空") }
        try noControls(value, field: field, allowNewlines: false)
        let n = value.count
        guard n <= maxLength else { throw .invalidField(field, "最多 \(maxLength) 个字，现有 \(n) 个") }
    }

    /// Free text (instruction, feedback, report, reason): not empty, line breaks allowed,
    /// no other control characters nor the characters `Deceptive` names, at most `textLimit`
    /// characters.
    public static func text(
        _ value: String, field: String, maxLength: Int = textLimit, required: Bool = true
    )
        throws(CoreError)
    {
        if required {
            guard !value.trimmingSpaces.isEmpty else { throw .invalidField(field, "不能为空") }
        }
        try noControls(value, field: field, allowNewlines: true)
        let n = value.count
        guard n <= maxLength else { throw .invalidField(field, "最多 \(maxLength) 个字，现有 \(n) 个；过长的材料请另附文件") }
    }

    /// An optional one-line value: empty is fine.
    public static func optionalName(_ value: String, field: String, maxLength: Int = nameLimit) throws(CoreError) {
        if value.isEmpty { return }
        try name(value, field: field, maxLength: maxLength)
    }

    /// A phone number: digits, spaces, +, - and parentheses.
    public static func phone(_ value: String) throws(CoreError) {
        if value.isEmpty { return }
        guard value.count <= 30, value.allSatisfy({ $0.asciiDigitValue != nil || " +-()（）".contains($0) }) else {
            throw .invalidField("联系电话", "只能含数字、空格、+、- 和括号")
        }
    }

    /// An OS login name as useradd accepts it.
    public static func login(_ value: String) throws(CoreError) {
        guard !value.isEmpty, value.count <= 32,
            value.unicodeScalars.allSatisfy({ s in
                (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "_" || s == "-" || s == "."
            }), value.first != "-"
        else {
            throw .invalidField("登录名", "“\(value.sanitized())”不是有效的系统用户名（字母、数字、_ - .，不超过 32 个字符）")
        }
    }

    static func noControls(_ value: String, field: String, allowNewlines: Bool) throws(CoreError) {
        for s in value.unicodeScalars {
            if allowNewlines, s == "\n" || s == "\r" || s == "\t" { continue }
            if s.value == 0 { throw .invalidField(field, "含有空字符（NUL）") }
            if s.value == 0x1B { throw .invalidField(field, "含有控制字符 ESC（终端控制序列）") }
            if s == "\n" || s == "\r" { throw .invalidField(field, "不能换行") }
            if s == "\t" { throw .invalidField(field, "含有制表符（Tab 键），请改为空格") }
            if s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) {
                throw .invalidField(field, "含有控制字符 U+\(String(s.value, radix: 16, uppercase: true))")
            }
        }
        if let v = Deceptive.first(in: value) {
            let why = Deceptive.kind(v) == .separator ? "各程序显示不一" : "会使显示的文字与实际内容不一致"
            throw .invalidField(field, "含有\(Deceptive.describe(v))，\(why)，请删除后重新输入")
        }
    }
}
