import DuchaCore

/// The 台账 list: which items pass the filters, in which order, and which one is selected.
/// Rows are recomputed only when the filters, the ledger or the day change; moving the
/// selection costs nothing, and a search that extends the previous one only narrows the rows
/// already found.
public struct ListModel: Sendable {
    public struct Row: Sendable, Equatable {
        /// Index in `ledger.items`.
        public var index: Int
        public var status: ItemStatus
    }

    public internal(set) var query = ItemQuery()
    /// Only items whose extension request awaits a decision (延期待批), besides the query.
    public internal(set) var extensionPending = false
    public internal(set) var rows: [Row] = []
    public internal(set) var selected = 0
    public internal(set) var top = 0
    /// How many items the user may see at all (before filters), counted as `ItemQuery.counts`
    /// does: a 分别办理 item with its parts is one.
    public internal(set) var visibleCount = 0

    var index: SearchIndex?
    /// Rows passing every filter but the search, in order; searches narrow from here.
    var filtered: [Row] = []
    /// The searches typed so far in this search, each narrower than the one before, with
    /// their rows: typing narrows from the last, deleting goes back to an earlier one at once.
    var searches: [(text: String, rows: [Row])] = []

    /// Recomputes everything, keeping the selected item if it is still listed.
    mutating func rebuild(_ ledger: Ledger, visible: [Int], evaluator: StatusEvaluator) {
        let keep = selectedNumber(ledger)
        if index == nil || index!.count != ledger.items.count { index = SearchIndex(items: ledger.items) }
        visibleCount = ledger.items.withUnsafeBufferPointer { p in
            ItemQuery.counts(visible.map { (p[$0].number, p[$0].isPart, Light.none) }).items
        }
        var out: [Row] = []
        out.reserveCapacity(visible.count)
        ledger.items.withUnsafeBufferPointer { p in
            for i in visible {
                let at = p.baseAddress! + i
                let s = evaluator.status(Item.statusFacts(at: at))
                if query.matchesFilters(at: at, s, in: ledger), !extensionPending || at.pointee.pendingExtension != nil {
                    out.append(Row(index: i, status: s))
                }
            }
        }
        sort(&out, ledger)
        filtered = out
        searches = []
        applySearch(ledger)
        reselect(keep, ledger)
    }

    /// How many items the rows stand for (`ItemQuery.counts`: a 分别办理 item listed with its
    /// parts is one).
    public func shownCount(_ ledger: Ledger) -> Int {
        ledger.items.withUnsafeBufferPointer { p in
            ItemQuery.counts(rows.map { (p[$0.index].number, p[$0.index].isPart, $0.status.light) }).items
        }
    }

    public var isFiltered: Bool { query.isFiltered || extensionPending }

    /// The ledger changed (a commit, another process): the search index is rebuilt.
    mutating func invalidateIndex() { index = nil }

    /// Applies the current search text: narrowing from an earlier result when the text only
    /// grew from it (every item matching the longer text matches the shorter), reusing it when
    /// the text went back to it.
    mutating func applySearch(_ ledger: Ledger) {
        let text = query.search
        let words = SearchIndex.words(text)
        guard let index else { return }
        if words.isEmpty {
            rows = filtered
            searches = []
            return
        }
        while let last = searches.last, !text.hasPrefix(last.text) { searches.removeLast() }
        if let last = searches.last, last.text == text {
            rows = last.rows
            return
        }
        let from = searches.last?.rows ?? filtered
        rows = ListModel.matching(from, words, index)
        searches.append((text, rows))
    }

    /// The rows whose items contain every word; long lists are searched on every core.
    static func matching(_ rows: [Row], _ words: [[UInt8]], _ index: SearchIndex) -> [Row] {
        let words = SearchIndex.query(words)
        let kept = Parallel.runs(rows.count, minimum: 20_000) { range in
            rows[range].filter { index.matches($0.index, words) }
        }
        return kept.count == 1 ? kept[0] : Array(kept.joined())
    }

    mutating func setSearch(_ text: String, _ ledger: Ledger) {
        let keep = selectedNumber(ledger)
        query.search = text
        applySearch(ledger)
        reselect(keep, ledger)
    }

    func sort(_ rows: inout [Row], _ ledger: Ledger) {
        query.sort(&rows, in: ledger.items, index: \.index, status: \.status)
    }

    func selectedNumber(_ ledger: Ledger) -> ItemNumber? {
        guard selected < rows.count, rows[selected].index < ledger.items.count else { return nil }
        return ledger.items[rows[selected].index].number
    }

    mutating func reselect(_ number: ItemNumber?, _ ledger: Ledger) {
        // By position in the ledger: comparing numbers would read every listed item.
        if let number, let at = ledger.itemIndex(of: number), let i = rows.firstIndex(where: { $0.index == at }) {
            selected = i
        } else {
            selected = min(selected, max(0, rows.count - 1))
        }
    }

    /// Moves the selection by `delta` rows and keeps it within a window of `height` rows.
    mutating func move(_ delta: Int, height: Int) {
        guard !rows.isEmpty else {
            selected = 0
            top = 0
            return
        }
        selected = max(0, min(rows.count - 1, selected + delta))
        scrollToSelection(height: height)
    }

    mutating func scrollToSelection(height: Int) {
        let h = max(1, height)
        if selected < top { top = selected }
        if selected >= top + h { top = selected - h + 1 }
        top = max(0, min(top, max(0, rows.count - h)))
    }
}
