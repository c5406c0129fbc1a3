/// An item's basis (交办依据) as reports name it: the meeting or document, with its 文号 when it
/// has one. Items of one meeting share it; `list --basis`, `stats --by basis` and the 落实情况通报
/// (`export progress`) go by it.
public struct Basis: Sendable, Hashable, Comparable {
    public var name: String
    public var number: String
    public var date: Day?

    public init(name: String, number: String = "", date: Day? = nil) {
        self.name = name
        self.number = number
        self.date = date
    }

    /// How reports name it: 县政府第12次常务会议, or 县政府办公室关于…的通知（县政办发〔2026〕12号）.
    public var label: String { number.isEmpty ? name : "\(name)（\(number)）" }

    /// The items of one basis share name and number; the date is the basis's own (the first
    /// item's, if items disagree).
    public static func == (a: Basis, b: Basis) -> Bool { a.name == b.name && a.number == b.number }
    public func hash(into h: inout Hasher) {
        h.combine(name)
        h.combine(number)
    }

    /// Oldest first (a basis without a date after those with one), then by name.
    public static func < (a: Basis, b: Basis) -> Bool {
        switch (a.date, b.date) {
        case (let x?, let y?) where x != y: return x < y
        case (_?, nil): return true
        case (nil, _?): return false
        default: return (a.name, a.number) < (b.name, b.number)
        }
    }

    /// Whether `query` (as typed after --basis) names this basis: its name, its 文号 or its
    /// label exactly, or a part of its name or 文号.
    public func matches(_ query: String) -> Bool {
        let q = query.trimmingSpaces
        guard !q.isEmpty else { return false }
        return isExactly(q) || name.contains(q) || number.contains(q)
    }

    /// Whether `query` is its name, its 文号 or its label as a whole.
    public func isExactly(_ query: String) -> Bool {
        let q = query.trimmingSpaces
        return q == name || (!number.isEmpty && q == number) || q == label
    }

    /// The one basis among `bases` that `query` names: the one it names exactly, or the only
    /// one it names in part. Refused, with the candidates, when it names several or none.
    public static func find(_ query: String, among bases: [Basis]) throws(CoreError) -> Basis {
        let q = query.trimmingSpaces
        guard !q.isEmpty else { throw .invalidField("交办依据", "不能为空") }
        let unique = Array(Set(bases)).sorted()
        let exact = unique.filter { $0.isExactly(q) }
        if exact.count == 1 { return exact[0] }
        let partial = exact.isEmpty ? unique.filter { $0.matches(q) } : exact
        if partial.count == 1 { return partial[0] }
        if partial.isEmpty {
            throw .invalidField("交办依据", "没有依据为“\(q.sanitized())”的事项（可用 ducha stats --by basis 查看各依据）")
        }
        throw .invalidField(
            "交办依据",
            "“\(q.sanitized())”对应\(partial.count)个依据：\(partial.map { $0.label.sanitized() }.joined(separator: "；"))；请写全名称或文号")
    }
}

extension Item {
    /// The item's basis, nil when it has none.
    public var basisInfo: Basis? { basis.isEmpty ? nil : Basis(name: basis, number: basisNumber, date: basisDate) }
}
