import DuchaCore

/// The 台账 list: which items pass the filters, in which order, and which one is selected.
/// Rows are recomputed only when the filters, the ledger or the day change; moving the
/// selection costs nothing, and a search that extends the previous one only narrows the rows
/// already found.
///
/// On a database (`window` set) the list holds only a window of its rows, read by the runner
/// from the store (`ScreenQueries`) when `request` asks: `selected` and `top` are positions in
/// the whole list, `rows` those from `window.start`.
public struct ListModel: Sendable {
    public struct Row: Sendable, Equatable {
        /// Index in `ledger.items`.
        public var index: Int
        public var status: ItemStatus
    }

    /// The part of a list read from a database.
    public struct Window: Sendable, Equatable {
        /// The position of `rows[0]` in the whole list.
        public var start = 0
        /// Rows in the whole list, and what the count line says of them.
        public var total = 0
        public var counts = ItemQuery.Counts()
        /// The query the rows were read for (nil: none yet, or the ledger changed since).
        var loaded: ItemQuery?
        /// The item to keep selected when the rows are read again.
        var keep: ItemNumber?
        /// Whether `visibleCount` was counted since the ledger last changed.
        var visibleCounted = false
    }

    /// What the runner reads for a windowed list: the rows `offset ..< offset + limit` of
    /// `query` (`whole`: with the counts, and the position of `keep`, which the window is then
    /// placed around).
    public struct Request: Sendable, Equatable {
        public var query: ItemQuery
        public var whole: Bool
        /// Whether the items the user may see at all are counted again (the ledger changed).
        public var recount = false
        public var keep: ItemNumber?
        public var offset: Int
        public var limit: Int
    }

    /// Rows read at once around the screen (a few screens' worth).
    public static let windowSize = 300

    public internal(set) var query = ItemQuery()
    /// Only items whose extension request awaits a decision (延期待批), besides the query.
    public var extensionPending: Bool {
        get { query.extensionPending }
        set { query.extensionPending = newValue }
    }
    public internal(set) var rows: [Row] = []
    public internal(set) var selected = 0
    public internal(set) var top = 0
    /// How many items the user may see at all (before filters), counted as `ItemQuery.counts`
    /// does: a 分别办理 item with its parts is one.
    public internal(set) var visibleCount = 0
    public internal(set) var window: Window?

    var index: SearchIndex?
    /// Rows passing every filter but the search, in order; searches narrow from here.
    var filtered: [Row] = []
    /// The searches typed so far in this search, each narrower than the one before, with
    /// their rows: typing narrows from the last, deleting goes back to an earlier one at once.
    var searches: [(text: String, rows: [Row])] = []

    /// Recomputes everything, keeping the selected item if it is still listed.
    mutating func rebuild(_ ledger: Ledger, visible: [Int], evaluator: StatusEvaluator) {
        if window != nil {
            windowInvalid(ledger)
            return
        }
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
                if query.matchesFilters(at: at, s, in: ledger) {
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
    /// parts is one). Counted when the rows change, not at every frame: at 100,000 items the
    /// count took 6 ms, most of what a keystroke cost.
    public var shownCount: Int { window?.counts.items ?? shownItems }

    /// The same, of the rows in memory (`applySearch` sets it).
    var shownItems = 0

    static func items(_ rows: [Row], _ ledger: Ledger) -> Int {
        ledger.items.withUnsafeBufferPointer { p in
            ItemQuery.counts(rows.map { (p[$0.index].number, p[$0.index].isPart, $0.status.light) }).items
        }
    }

    public var isFiltered: Bool { query.isFiltered }

    /// Rows in the whole list.
    public var count: Int { window?.total ?? rows.count }

    /// The row at position `i` of the whole list (nil: not read, or past the end).
    public func row(_ i: Int) -> Row? {
        let j = i - (window?.start ?? 0)
        return rows.indices.contains(j) ? rows[j] : nil
    }

    // MARK: A window of a database's list

    /// Lists from a database from now on: nothing is listed until the runner reads it.
    mutating func useWindow() {
        window = Window()
        rows = []
    }

    /// The list must be read again (filters, order, search, the ledger or the day changed),
    /// keeping the selected item.
    mutating func windowInvalid(_ ledger: Ledger) {
        guard window != nil else { return }
        if window!.loaded != nil { window!.keep = selectedNumber(ledger) }
        window!.loaded = nil
    }

    /// The ledger changed: the items the user may see are counted again with the rows.
    mutating func ledgerMoved() { window?.visibleCounted = false }

    /// What the runner must read before the list is drawn with `height` rows (nil: nothing).
    func request(height: Int) -> Request? {
        guard let window else { return nil }
        let size = ListModel.windowSize
        guard window.loaded == query else {
            return Request(
                query: query, whole: true, recount: !window.visibleCounted, keep: window.keep,
                offset: max(0, selected - size / 2),
                limit: size)
        }
        let end = window.start + rows.count
        let shownEnd = min(window.total, top + max(1, height))
        guard top < window.start || shownEnd > end else { return nil }
        return Request(query: query, whole: false, keep: nil, offset: max(0, top - (size - height) / 2), limit: size)
    }

    /// The runner read `request`: `rows` (indices in the ledger now shown) from `offset`;
    /// for a whole read, the list's `total` rows, its counts and where the kept item is.
    mutating func windowLoaded(
        _ request: Request, rows: [Row], offset: Int, total: Int?, counts: ItemQuery.Counts?, visible: Int?,
        keptAt: Int?, height: Int
    ) {
        guard var w = window else { return }
        w.start = offset
        if let total { w.total = total }
        if let counts { w.counts = counts }
        if let visible {
            visibleCount = visible
            w.visibleCounted = true
        }
        w.loaded = request.query
        if request.whole {
            if let keptAt { selected = keptAt }
            w.keep = nil
        }
        self.rows = rows
        window = w
        selected = max(0, min(selected, w.total - 1))
        scrollToSelection(height: height)
    }

    /// Where the window should start to hold position `at` and the rows around it.
    static func windowOffset(around at: Int, height: Int) -> Int { max(0, at - (windowSize - height) / 2) }

    /// The ledger changed (a commit, another process): the search index is rebuilt.
    mutating func invalidateIndex() { index = nil }

    /// Applies the current search text: narrowing from an earlier result when the text only
    /// grew from it (every item matching the longer text matches the shorter), reusing it when
    /// the text went back to it.
    mutating func applySearch(_ ledger: Ledger) {
        search(ledger)
        shownItems = ListModel.items(rows, ledger)
    }

    private mutating func search(_ ledger: Ledger) {
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
        if window != nil {
            windowInvalid(ledger)
            query.search = text
            return
        }
        query.search = text
        applySearch(ledger)
        reselect(keep, ledger)
    }

    func sort(_ rows: inout [Row], _ ledger: Ledger) {
        query.sort(&rows, in: ledger.items, index: \.index, status: \.status)
    }

    func selectedNumber(_ ledger: Ledger) -> ItemNumber? {
        guard let row = row(selected), row.index < ledger.items.count else { return window?.keep }
        return ledger.items[row.index].number
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
        guard count > 0 else {
            selected = 0
            top = 0
            return
        }
        selected = max(0, min(count - 1, selected + delta))
        scrollToSelection(height: height)
    }

    mutating func scrollToSelection(height: Int) {
        let h = max(1, height)
        if selected < top { top = selected }
        if selected >= top + h { top = selected - h + 1 }
        top = max(0, min(top, max(0, count - h)))
    }
}
