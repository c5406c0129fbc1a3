/// How a unit's name a user typed or a file gives is matched to the roster when it matches no
/// unit exactly: the likely intended unit (a typo of one character, or a few in a long name),
/// so that a typo is questioned rather than registered as a new unit.
extension Ledger {
    /// The unit still in use whose name is nearest to `name`, if it is near enough: at most one
    /// character added, dropped or changed (two in names of six characters or more).
    public func similarUnit(to name: String) -> String? {
        let typed = Array(name)
        guard typed.count >= 2 else { return nil }
        let limit = typed.count >= 6 ? 2 : 1
        var best: (name: String, distance: Int)? = nil
        for u in activeUnits where u.name != name {
            let d = Ledger.editDistance(typed, Array(u.name), limit: limit)
            if d <= limit, d < (best?.distance ?? Int.max) { best = (u.name, d) }
        }
        return best?.name
    }

    /// Levenshtein distance over characters, stopping early above `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var row = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            if row.min()! > limit { return limit + 1 }
            previous = row
        }
        return previous[b.count]
    }

    /// The refusal for a unit name in an imported row that matches no unit but is near one.
    public func unitTypo(_ name: String) -> String? {
        similarUnit(to: name).map { "没有名为“\(name.sanitized())”的单位，是否指 \($0.sanitized())？" }
    }
}
