import DuchaCore
import DuchaStore

/// The pages of the interface.
public enum Page: Equatable, Sendable {
    case dashboard, list, detail, stats
}

/// A line of feedback at the bottom of the screen.
public struct Message: Equatable, Sendable {
    public var text: String
    public var isError: Bool

    public init(text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }
}

/// What confirming the 放弃已输入的内容？ question does.
public enum Discard: Equatable, Sendable {
    /// Close the dialog (Esc).
    case closeDialog
    /// Quit the interface (Ctrl-C).
    case quit
}

/// The whole interface as a value: `handle(_:)` turns events into a new state and effects for
/// the runner; `Renderer.render(_:)` turns the state into a Screen. Nothing here touches the
/// terminal, the clock or the files.
public struct AppState: Sendable {
    public internal(set) var ledger: Ledger
    /// Whether the ledger's store keeps evidence files (a folder does; a database does not).
    public var keepsEvidence = true
    public let actor: Actor
    public internal(set) var today: Day
    public let calendar: WorkCalendar
    public internal(set) var rows: Int
    public internal(set) var cols: Int
    public internal(set) var page: Page = .dashboard
    public internal(set) var list = ListModel()
    public internal(set) var dashboard = DashboardModel()
    /// The selected row of the dashboard's unit table.
    public internal(set) var unitSelection = 0
    public internal(set) var detailNumber: ItemNumber?
    public internal(set) var detailScroll = 0
    /// The last line the detail page can start at (its end at the screen's bottom).
    var detailBottom: Int { max(0, DetailView.lines(self).count - detailHeight) }
    /// The statistics page: by unit or by source, and its scroll.
    public internal(set) var statsGrouping = Statistics.Grouping.unit
    public internal(set) var stats: Statistics?
    public internal(set) var statsScroll = 0
    /// The search line while it is being typed.
    public internal(set) var search: LineEditor?
    public internal(set) var modal: Modal?
    public internal(set) var message: Message?
    public internal(set) var showHelp = false
    /// How far the help overlay is scrolled.
    public internal(set) var helpScroll = 0
    /// Asked before text typed in a dialog is thrown away (by Esc, or Ctrl-C quitting).
    public internal(set) var discarding: Discard?
    public internal(set) var quit = false
    /// Rows marked with Space in the list: r, a and the export dialog act on them together.
    public internal(set) var marked: Set<ItemNumber> = []
    /// Items registered or changed since the user's last visit (the list marks them 新).
    public internal(set) var newItems: Set<ItemNumber> = []
    /// Where exports go by default.
    public let workingDirectory: String
    /// Indices of the items this user may see.
    var visible: [Int] = []
    /// Histories read on demand: the ledger holds items' states, and an item's history is read
    /// when its detail is opened (see `missingHistory`).
    public internal(set) var histories: [ItemNumber: [Entry]] = [:]
    /// On a database: the ledger holds settings, roster and only the items on screen; what the
    /// pages show is read by the runner when `needed` asks (`useWindow`).
    public internal(set) var windowed = false
    /// Whether the dashboard and the open detail were read since the ledger or the day changed
    /// (windowed).
    var dashboardCurrent = false
    var detailCurrent = false
    /// The bases the basis picker offers (windowed: read when it is first opened).
    var bases: [Basis]?
    /// A picker to open once what it offers is read (windowed).
    var pendingFilter: FilterKind?
    /// The 单位名册's counts (windowed: read when it is opened), and whether it waits for them.
    var unitLoads: [String: UnitLoad]?
    var pendingUnits = false
    /// What the status line says once the list is counted (windowed: after it is read).
    var pendingCount: CountNote?

    /// What the status line says of a list's count.
    enum CountNote: Equatable {
        /// After a filter: 显示 N 件.
        case shown
        /// After a search: 找到 N 件, or 没有符合的事项.
        case found
    }

    public static let minimumRows = 16
    public static let minimumCols = 60

    public init(ledger: Ledger, actor: Actor, today: Day, calendar: WorkCalendar, rows: Int, cols: Int, workingDirectory: String)
    {
        self.ledger = ledger
        self.actor = actor
        self.today = today
        self.calendar = calendar
        self.rows = rows
        self.cols = cols
        self.workingDirectory = workingDirectory
        recompute()
    }

    public var evaluator: StatusEvaluator { StatusEvaluator(today: today, calendar: calendar, settings: ledger.settings) }

    /// Rows of the list body on screen (title, filter line, header, message and key bar aside;
    /// a message of several lines takes the rows above the message line too).
    public var listHeight: Int { max(1, rows - 5 - max(0, messageLines.count - 1)) }

    /// The status message as shown: wrapped to the screen's width after a one-cell margin, up
    /// to four lines (fewer on a very low screen), the last cut with … when there is more.
    public var messageLines: [String] {
        guard let m = message, discarding == nil else { return [] }
        var lines = m.text.wrapped(toWidth: max(1, cols - 2))
        let room = min(4, max(1, rows - 4))
        if lines.count > room {
            lines = Array(lines.prefix(room))
            lines[room - 1] = lines[room - 1].truncated(toWidth: max(1, cols - 3), ellipsis: "") + "…"
        }
        return lines
    }

    /// Rows of the detail body on screen.
    public var detailHeight: Int { max(1, rows - 3) }

    public var tooSmall: Bool { rows < AppState.minimumRows || cols < AppState.minimumCols }

    /// The item the action keys apply to: the open detail, or the list's selection.
    public var currentItem: Item? {
        switch page {
        case .detail:
            guard let n = detailNumber, var item = ledger.item(n) else { return nil }
            if !item.hasFullHistory, let h = histories[n], h.count == item.eventCount { try? item.attachHistory(h) }
            return item
        case .list:
            guard let row = list.row(list.selected) else { return nil }
            return ledger.items[row.index]
        case .dashboard, .stats: return nil
        }
    }

    /// The statistics page's figures, for the items this user may see.
    mutating func computeStats() {
        // On a database the runner reads them (`needed`).
        if windowed {
            stats = nil
            return
        }
        stats = Statistics.seen(
            by: actor, items: visible.map { ledger.items[$0] }, ledger: ledger, evaluator: evaluator, by: statsGrouping)
    }

    /// The item whose history the open detail page needs and the ledger does not hold; the
    /// runner reads it and hands it over with `historyLoaded` before drawing.
    public var missingHistory: ItemNumber? {
        guard page == .detail, let n = detailNumber, let item = ledger.item(n) else { return nil }
        // A 分别办理 item lists its parts' records too: theirs are read as well.
        for i in [item] + (item.isSplit ? ledger.parts(of: item) : [])
        where !i.hasFullHistory && histories[i.number]?.count != i.eventCount {
            return i.number
        }
        return nil
    }

    public mutating func historyLoaded(_ number: ItemNumber, _ entries: [Entry]) {
        // Kept for the open item and its parts only.
        let family = detailNumber.flatMap { ledger.item($0) }.map { [$0.number] + ledger.parts(of: $0).map(\.number) } ?? []
        histories = histories.filter { family.contains($0.key) }
        histories[number] = entries
    }

    // MARK: Outside changes

    /// Another process committed, or the day changed: show it, keeping the page, the selection
    /// and anything half typed.
    public mutating func ledgerChanged(_ ledger: Ledger, today: Day) {
        // Windowed, the ledger shown is replaced when what changed is read (`screenLoaded`).
        if !windowed { self.ledger = ledger }
        self.today = today
        list.ledgerMoved()
        list.invalidateIndex()
        recompute()
    }

    mutating func recompute() {
        if windowed {
            list.windowInvalid(ledger)
            dashboardCurrent = false
            detailCurrent = false
            bases = nil
            unitLoads = nil
            if page == .stats { computeStats() } else { stats = nil }
            return
        }
        visible =
            actor.role == .unit
            ? ledger.items.indices.filter { ledger.items[$0].involves(unit: actor.unit ?? "") } : Array(ledger.items.indices)
        list.rebuild(ledger, visible: visible, evaluator: evaluator)
        list.scrollToSelection(height: listHeight)
        dashboard = DashboardModel(ledger, visible: visible, evaluator: evaluator, actor: actor, calendar: calendar)
        if page == .stats { computeStats() } else { stats = nil }
        unitSelection = min(unitSelection, max(0, dashboard.units.count - 1))
        if let n = detailNumber, ledger.item(n) == nil { detailNumber = nil }
    }

    /// The runner recorded the command the last dialog asked for.
    public mutating func commitSucceeded(_ message: String, ledger: Ledger) {
        modal = nil
        self.message = Message(text: message, isError: false)
        ledgerChanged(ledger, today: today)
    }

    /// The core or the repository refused: say why, keep the dialog and its text.
    public mutating func commitFailed(_ reason: String) {
        message = Message(text: reason, isError: true)
    }

    /// The runner wrote `what` to `path`.
    public mutating func exportFinished(_ what: String, path: String, ledger: Ledger) {
        modal = nil
        message = Message(text: "已将\(what)导出到 \(path)", isError: false)
        ledgerChanged(ledger, today: today)
    }

    /// The export's file is there already: ask before replacing it.
    public mutating func exportWouldOverwrite(_ effect: Effect, path: String) {
        modal = Modal(title: "导出到 \(path)", body: .confirm("文件已存在，覆盖吗？"), purpose: .exportOverwrite(effect))
    }

    public mutating func exportFailed(_ reason: String) {
        message = Message(text: reason, isError: true)
    }

    /// Text back from $EDITOR for the focused field of the open dialog (nil: unchanged).
    public mutating func editorFinished(_ text: String?) {
        guard let text, var m = modal else { return }
        let clean = text.hasSuffix("\n") ? String(text.dropLast()) : text
        switch m.body {
        case .text(let prompt, var e, let required):
            e.set(clean)
            m.body = .text(prompt: prompt, editor: e, required: required)
        case .form(var f):
            f.setText(f.fields[f.focus].key, clean)
            m.body = .form(f)
        default: return
        }
        modal = m
    }

    // MARK: Events

    public mutating func handle(_ event: Event) -> [Effect] {
        switch event {
        case .resize(let r, let c):
            rows = r
            cols = c
            list.scrollToSelection(height: listHeight)
            return []
        case .paste(let text):
            return paste(text)
        case .key(let key):
            if key == .ctrl("z") { return [.suspend] }
            if let d = discarding { return answerDiscard(key, d) }
            if key == .ctrl("c") {
                if modal?.hasUnsavedInput == true {
                    discarding = .quit
                    return []
                }
                quit = true
                return [.quit]
            }
            if showHelp { return handleHelp(key) }
            if modal != nil { return handleModal(key) }
            if search != nil { return handleSearch(key) }
            return handlePage(key)
        }
    }

    /// A paste goes into the box or field being typed in — a line break in it as a space, so
    /// it never submits the box — and nowhere else: pasted text is never taken as keys (a q in
    /// it would quit, a w withdraw).
    mutating func paste(_ text: String) -> [Effect] {
        guard let target = pasteTarget else {
            message = Message(text: "粘贴的内容只能放进输入框，这里没有输入框，未作处理", isError: true)
            return []
        }
        var effects: [Effect] = []
        for c in text {
            let typed: Character = c == "\n" || c == "\r" || c == "\r\n" || c == "\t" ? " " : c
            // In a list narrowed by typing, a line break is not typed (a space there may tick).
            if target == .filter, typed == " ", c != " " { continue }
            effects += handle(.key(.char(typed)))
            guard pasteTarget == target else { break }
        }
        return effects
    }

    enum PasteTarget { case text, filter }

    /// What is being typed in now: a line of text (a box, a form's text field, the search
    /// line), a list's filter, or nothing (a page, a confirmation, a choice).
    var pasteTarget: PasteTarget? {
        if discarding != nil || showHelp { return nil }
        guard let modal else { return search != nil ? .text : nil }
        switch modal.body {
        case .text: return .text
        case .picker: return .filter
        case .form(let form):
            guard form.fields.indices.contains(form.focus) else { return nil }
            if case .text = form.fields[form.focus].kind { return .text }
            return .filter
        case .confirm, .choice: return nil
        }
    }

    /// The help overlay: ↑↓ PgUp PgDn Home End scroll it when it is longer than the screen;
    /// any other key closes it.
    mutating func handleHelp(_ key: Key) -> [Effect] {
        let most = HelpView.maxScroll(self)
        let page = HelpView.bodyRows(self)
        guard most > 0 else {
            showHelp = false
            return []
        }
        switch key {
        case .up, .char("k"): helpScroll = max(0, helpScroll - 1)
        case .down, .char("j"): helpScroll = min(most, helpScroll + 1)
        case .pageUp: helpScroll = max(0, helpScroll - page)
        case .pageDown: helpScroll = min(most, helpScroll + page)
        case .home: helpScroll = 0
        case .end: helpScroll = most
        default: showHelp = false
        }
        return []
    }

    /// The answer to 放弃已输入的内容？: y throws the text away, n or Esc goes back to it.
    mutating func answerDiscard(_ key: Key, _ d: Discard) -> [Effect] {
        switch key {
        case .char("y"), .char("Y"):
            discarding = nil
            if d == .quit {
                quit = true
                return [.quit]
            }
            cancel()
        case .char("n"), .char("N"), .escape:
            discarding = nil
            message = nil
        default: break
        }
        return []
    }

    // MARK: What the page keys do (the bindings are in KeyTables)

    mutating func moveUnitSelection(_ by: Int) {
        unitSelection = min(max(0, dashboard.units.count - 1), max(0, unitSelection + by))
    }

    /// The dashboard's Enter: the list of the selected unit's items.
    mutating func openSelectedUnit() {
        guard unitSelection < dashboard.units.count else { return }
        list.query = ItemQuery(unit: dashboard.units[unitSelection].name)
        list.extensionPending = false
        list.top = 0
        list.selected = 0
        recompute()
        page = .list
    }

    /// The list's Enter: the selected item's detail.
    mutating func openDetail() {
        guard let item = currentItem else { return }
        detailNumber = item.number
        detailScroll = 0
        page = .detail
        // Windowed: the row was just read with the list.
        detailCurrent = true
    }

    mutating func nextOrder() {
        let all = ItemQuery.Order.allCases
        list.query.order = all[(all.firstIndex(of: list.query.order)! + 1) % all.count]
        recompute()
        message = Message(text: "排序：\(list.query.order.label)", isError: false)
    }

    /// The list's Esc: clears the filters, or goes back to the dashboard when there are none.
    mutating func clearFilterOrLeave() {
        guard list.isFiltered else {
            page = .dashboard
            return
        }
        let order = list.query.order
        list.query = ItemQuery(order: order)
        list.extensionPending = false
        recompute()
        message = Message(text: "已清除筛选", isError: false)
    }

    mutating func switchStatsGrouping() {
        statsGrouping = statsGrouping.next
        statsScroll = 0
        computeStats()
    }

    mutating func showPage(_ p: Page) {
        page = p
        if p == .stats { computeStats() }
    }

    mutating func handleSearch(_ key: Key) -> [Effect] {
        guard var editor = search else { return [] }
        switch key {
        case .enter:
            search = nil
            announce(.found)
        case .escape:
            search = nil
            list.setSearch("", ledger)
            list.scrollToSelection(height: listHeight)
        case .up, .down, .pageUp, .pageDown:
            // The list moves under the search line.
            if case .run(let b) = match(key) { _ = b.action(&self) }
        default:
            if editor.handle(key) {
                search = editor
                list.setSearch(editor.text, ledger)
                list.scrollToSelection(height: listHeight)
            }
        }
        return []
    }

    // MARK: Filters

    mutating func openFilter(_ kind: FilterKind) {
        var options: [String]
        var current: Int
        switch kind {
        case .unit:
            options = ["全部单位"] + ledger.units.map(\.name).filter { actor.role != .unit || $0 == actor.unit }
            current = list.query.unit.flatMap { options.firstIndex(of: $0) } ?? 0
        case .state:
            options = ["全部状态"] + ItemState.allCases.map(\.label)
            current = list.query.state.flatMap { s in options.firstIndex(of: s.label) } ?? 0
        case .source:
            options = ["全部来源"] + ledger.settings.sources
            current = list.query.source.flatMap { options.firstIndex(of: $0) } ?? 0
        case .basis:
            // The bases of the items this user sees, oldest first (windowed: read first).
            if windowed, bases == nil {
                pendingFilter = .basis
                return
            }
            options = ["全部依据"] + (bases ?? Set(visible.compactMap { ledger.items[$0].basisInfo }).sorted()).map(\.label)
            current = list.query.basis.flatMap { options.firstIndex(of: $0) } ?? 0
        case .light:
            options = ["全部", "红 逾期", "黄 临期", "绿 正常", "结 已办结", "签收超时", "反馈逾期", "延期待批"]
            current =
                list.extensionPending
                ? 7
                : list.query.mark.map { $0 == .signOverdue ? 5 : 6 }
                    ?? [nil, Light.red, .yellow, .green, .closedOnTime].firstIndex(of: list.query.light) ?? 0
        }
        let title = ["筛选单位", "筛选状态", "筛选来源", "筛选亮灯", "筛选交办依据"][
            [FilterKind.unit, .state, .source, .light, .basis].firstIndex(of: kind)!]
        modal = Modal(
            title: title, body: .picker(options: options, selected: current, filter: LineEditor("", limit: 20)),
            purpose: .filter(kind))
    }

    mutating func applyFilter(_ kind: FilterKind, _ choice: Int, _ options: [String]) {
        let value = choice == 0 ? nil : options[choice]
        switch kind {
        case .unit: list.query.unit = value
        case .state: list.query.state = value.flatMap { ItemState(label: $0) }
        case .source: list.query.source = value
        case .basis:
            list.query.basis = value
            list.query.basisExact = value != nil
        case .light:
            list.query.light = (1...4).contains(choice) ? [Light.red, .yellow, .green, .closedOnTime][choice - 1] : nil
            list.query.mark = choice == 5 ? .signOverdue : choice == 6 ? .feedbackOverdue : nil
            list.extensionPending = choice == 7
        }
        list.top = 0
        recompute()
        modal = nil
        announce(.shown)
    }

    /// Says how many items the list shows, once it is counted.
    mutating func announce(_ note: CountNote) {
        if windowed, list.window?.loaded != list.query {
            pendingCount = note
            return
        }
        pendingCount = nil
        switch note {
        case .shown: message = Message(text: "显示 \(list.shownCount) 件", isError: false)
        case .found: message = Message(text: list.count == 0 ? "没有符合的事项" : "找到 \(list.shownCount) 件", isError: false)
        }
    }
}

extension Statistics.Grouping {
    /// The grouping `b` switches to on the statistics page: 单位 → 来源 → 依据 → 单位.
    var next: Statistics.Grouping {
        switch self {
        case .unit: .source
        case .source: .basis
        case .basis: .unit
        }
    }
}
