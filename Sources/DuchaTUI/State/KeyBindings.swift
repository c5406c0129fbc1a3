import DuchaCore

/// One key of a screen: the keys that run it, how the help overlay and the key bar show it,
/// for whom and when it applies, and what it does. The tables in `KeyTables` are the only
/// place a page's keys are listed: the page's key handler, the key bar and the help overlay are
/// all read from them, so the three cannot disagree.
struct KeyBinding: Sendable {
    /// Its entry in the key bar (short: the bar has one line).
    struct BarEntry: Sendable {
        let keys: String
        let label: @Sendable (AppState) -> String
        /// Shown only where this holds (besides the binding being available).
        let when: @Sendable (AppState) -> Bool

        init(_ keys: String, _ label: String, when: @escaping @Sendable (AppState) -> Bool = { _ in true }) {
            self.keys = keys
            self.label = { _ in label }
            self.when = when
        }

        init(_ keys: String, label: @escaping @Sendable (AppState) -> String) {
            self.keys = keys
            self.label = label
            self.when = { _ in true }
        }
    }

    /// The keys that run it, e.g. [.down, .char("j")].
    let keys: [Key]
    /// The keys as the help overlay shows them, e.g. "↑↓ k j". Bindings next to each other with
    /// the same keys text and help text share one line of the help (↑ and ↓, Home and End).
    let keyText: String
    /// What it does, in Chinese, for the help overlay.
    let help: @Sendable (AppState) -> String
    /// Whether the user's role may use it at all: the help lists it. Depends on who the user is
    /// and the page only, never on the selected row (the help does not change with the row).
    let offered: @Sendable (AppState) -> Bool
    /// Whether it may be used now (role, selection, the item's state): the handler runs it and
    /// the key bar shows it.
    let available: @Sendable (AppState) -> Bool
    /// What pressing it does when available.
    let action: @Sendable (inout AppState) -> [Effect]
    /// What pressing it does when not available: say why (nil: nothing, as for an unbound key).
    let refusal: (@Sendable (inout AppState) -> [Effect])?
    let bar: BarEntry?

    init(
        _ keys: [Key], _ keyText: String, _ help: String, bar: BarEntry? = nil,
        offered: @escaping @Sendable (AppState) -> Bool = { _ in true },
        available: (@Sendable (AppState) -> Bool)? = nil,
        refusal: (@Sendable (inout AppState) -> [Effect])? = nil,
        action: @escaping @Sendable (inout AppState) -> [Effect]
    ) {
        self.keys = keys
        self.keyText = keyText
        self.help = { _ in help }
        self.offered = offered
        self.available = available ?? offered
        self.action = action
        self.refusal = refusal
        self.bar = bar
    }

    /// An item key: offered per the role's item keys (`roleKeys`), available per the keys the
    /// current item accepts now (`availableKeys(for:)`); pressed when not available, the
    /// action's own check says why.
    init(item k: ItemKey) {
        let key = Key.char(k.rawValue)
        keys = [key]
        keyText = String(k.rawValue)
        help = { s in s.roleKeys.first { $0.key == k }?.text ?? k.label }
        offered = { s in s.roleKeys.contains { $0.key == k } }
        available = { s in s.currentItem.map { s.isAvailable(k, on: $0) } ?? false }
        action = { $0.startAction(key) }
        refusal = { $0.startAction(key) }
        bar = BarEntry(String(k.rawValue), k.label)
    }
}

/// The key tables: one per page, and the keys every page shares.
enum KeyTables {
    /// A binding that changes nothing but the state and asks the runner for nothing.
    private static func just(_ change: @escaping @Sendable (inout AppState) -> Void) -> @Sendable (inout AppState) -> [Effect] {
        { s in
            change(&s)
            return []
        }
    }

    static let dashboard: [KeyBinding] = [
        KeyBinding([.up, .char("k")], "↑↓ k j", "选择单位", bar: .init("↑↓", "选择单位"), action: just { $0.moveUnitSelection(-1) }),
        KeyBinding([.down, .char("j")], "↑↓ k j", "选择单位", bar: .init("↑↓", "选择单位"), action: just { $0.moveUnitSelection(1) }),
        KeyBinding([.home], "Home End", "第一个、最后一个单位", action: just { $0.unitSelection = 0 }),
        KeyBinding([.end], "Home End", "第一个、最后一个单位", action: just { $0.moveUnitSelection($0.dashboard.units.count) }),
        KeyBinding([.enter], "Enter", "查看该单位的事项", bar: .init("Enter", "查看单位事项"), action: just { $0.openSelectedUnit() }),
    ]

    static let list: [KeyBinding] =
        [
            KeyBinding([.up, .char("k")], "↑↓ k j", "上下移动", action: just { $0.list.move(-1, height: $0.listHeight) }),
            KeyBinding([.down, .char("j")], "↑↓ k j", "上下移动", action: just { $0.list.move(1, height: $0.listHeight) }),
            KeyBinding([.pageUp], "PgUp PgDn", "翻页", action: just { $0.list.move(-$0.listHeight, height: $0.listHeight) }),
            KeyBinding([.pageDown], "PgUp PgDn", "翻页", action: just { $0.list.move($0.listHeight, height: $0.listHeight) }),
            KeyBinding(
                [.home, .char("g")], "Home End", "第一件、最后一件",
                action: just { $0.list.move(-$0.list.count, height: $0.listHeight) }),
            KeyBinding(
                [.end, .char("G")], "Home End", "第一件、最后一件",
                action: just { $0.list.move($0.list.count, height: $0.listHeight) }),
            KeyBinding([.enter], "Enter", "查看详情", bar: .init("Enter", "详情"), action: just { $0.openDetail() }),
            KeyBinding(
                [.char("/")], "/", "搜索（Enter 保留，Esc 清除）", bar: .init("/", "搜索"),
                action: just { $0.search = LineEditor($0.list.query.search, limit: 50) }),
            KeyBinding(
                [.char("u")], "u", "按单位筛选", bar: .init("u t y i l", "筛选", when: unmarked), action: just { $0.openFilter(.unit) }),
            KeyBinding(
                [.char("t")], "t", "按状态筛选", bar: .init("u t y i l", "筛选", when: unmarked), action: just { $0.openFilter(.state) }),
            KeyBinding(
                [.char("y")], "y", "按来源筛选", bar: .init("u t y i l", "筛选", when: unmarked), action: just { $0.openFilter(.source) }
            ),
            KeyBinding(
                [.char("i")], "i", "按交办依据（会议、文件）筛选", bar: .init("u t y i l", "筛选", when: unmarked),
                action: just { $0.openFilter(.basis) }),
            KeyBinding(
                [.char("l")], "l", "按亮灯筛选", bar: .init("u t y i l", "筛选", when: unmarked), action: just { $0.openFilter(.light) }),
            KeyBinding(
                [.char("o")], "o", "切换排序：紧迫、时限、编号、单位", bar: .init("o", "排序", when: unmarked), action: just { $0.nextOrder() }),
            KeyBinding(marking: ()),
            KeyBinding(
                [.escape], "Esc", "取消标记；无标记时清除筛选；无筛选时回总览", bar: .init("Esc", "取消标记", when: { !$0.marked.isEmpty }),
                action: just { s in if s.marked.isEmpty { s.clearFilterOrLeave() } else { s.clearMarks() } }),
        ]
        // r and a first: with rows marked they act on all of them, and the key bar keeps them.
        + [KeyBinding(batch: .remind) { $0.startBatchRemind() }, KeyBinding(batch: .review) { $0.startBatchApprove() }]
        + ItemKey.allCases.filter { $0 != .remind && $0 != .review }.map { KeyBinding(item: $0) }

    /// With rows marked the key bar shows what acts on them instead of the filters and sorting.
    private static let unmarked: @Sendable (AppState) -> Bool = { $0.marked.isEmpty }

    static let detail: [KeyBinding] =
        [
            KeyBinding([.escape, .left], "Esc", "返回台账", bar: .init("Esc", "返回"), action: just { $0.page = .list }),
            KeyBinding(
                [.up, .char("k")], "↑↓ PgUp PgDn", "滚动", bar: .init("↑↓", "滚动"),
                action: just { $0.detailScroll = max(0, min($0.detailScroll, $0.detailBottom) - 1) }),
            KeyBinding(
                [.down, .char("j")], "↑↓ PgUp PgDn", "滚动", bar: .init("↑↓", "滚动"),
                action: just { $0.detailScroll = min($0.detailScroll + 1, $0.detailBottom) }),
            KeyBinding(
                [.pageUp], "↑↓ PgUp PgDn", "滚动",
                action: just { $0.detailScroll = max(0, min($0.detailScroll, $0.detailBottom) - $0.detailHeight) }),
            KeyBinding(
                [.pageDown, .char(" ")], "↑↓ PgUp PgDn", "滚动",
                action: just { $0.detailScroll = min($0.detailScroll + $0.detailHeight, $0.detailBottom) }),
            KeyBinding([.home, .char("g")], "Home End", "回到开头、到末尾", action: just { $0.detailScroll = 0 }),
            KeyBinding([.end, .char("G")], "Home End", "回到开头、到末尾", action: just { $0.detailScroll = $0.detailBottom }),
            KeyBinding(
                [.char("N")], "N", "分解：在本事项下登记子项（分项任务、阶段节点，时限不晚于本事项）", bar: .init("N", "分解"),
                offered: { $0.mayRegister }, available: { $0.breakDownRefusal == nil }, refusal: { $0.startBreakDown() },
                action: { $0.startBreakDown() }),
        ] + itemKeys

    static let stats: [KeyBinding] = [
        KeyBinding(
            [.char("b")], "b", "按单位 / 按来源 / 按交办依据切换",
            bar: .init("b") { "按\($0.statsGrouping.next.label)统计" }, action: just { $0.switchStatsGrouping() }),
        KeyBinding(
            [.up, .char("k")], "↑↓ PgUp PgDn", "滚动（设有计分规则时为选择单位）", bar: .init("↑↓") { $0.statsBarLabel },
            action: just { $0.statsScroll = max(0, min($0.statsScroll, $0.statsLastSelectable) - 1) }),
        KeyBinding(
            [.down, .char("j")], "↑↓ PgUp PgDn", "滚动（设有计分规则时为选择单位）", bar: .init("↑↓") { $0.statsBarLabel },
            action: just { $0.statsScroll = min($0.statsScroll + 1, $0.statsLastSelectable) }),
        KeyBinding(
            [.pageUp], "↑↓ PgUp PgDn", "滚动（设有计分规则时为选择单位）",
            action: just { $0.statsScroll = max(0, min($0.statsScroll, $0.statsLastSelectable) - ($0.rows - 8)) }),
        KeyBinding(
            [.pageDown], "↑↓ PgUp PgDn", "滚动（设有计分规则时为选择单位）",
            action: just { $0.statsScroll = min($0.statsScroll + $0.rows - 8, $0.statsLastSelectable) }),
        KeyBinding([.escape], "Esc", "返回总览", action: just { $0.page = .dashboard }),
    ]

    /// The item keys, in `ItemKey` order, for the pages that have a current item.
    static let itemKeys: [KeyBinding] = ItemKey.allCases.map { KeyBinding(item: $0) }

    /// The keys of every page (after the page's own in the help and the key bar).
    static let global: [KeyBinding] = [
        KeyBinding([.char("1")], "1", "总览", bar: .init("1", "总览") { $0.page == .stats }, action: just { $0.page = .dashboard }),
        KeyBinding([.char("2")], "2", "台账", action: just { $0.page = .list }),
        KeyBinding([.char("3")], "3", "统计", action: just { $0.showPage(.stats) }),
        KeyBinding(
            [.tab], "Tab", "在总览、统计、台账间切换",
            action: just { $0.showPage($0.page == .dashboard ? .list : $0.page == .stats ? .dashboard : .stats) }),
        KeyBinding(
            [.backTab], "Tab", "在总览、统计、台账间切换",
            action: just { $0.showPage($0.page == .dashboard ? .stats : $0.page == .stats ? .list : .dashboard) }),
        KeyBinding(
            [.char("D")], "D", "单位名册：查看联系方式和事项数，修改或停用单位", bar: .init("D", "单位名册") { $0.page == .dashboard },
            offered: { Workflow.may(.manageUnits, $0.actor) }, refusal: { $0.startUnits() }, action: { $0.startUnits() }),
        KeyBinding(
            [.char("n")], "n", "立项交办新事项", bar: .init("n", "新建"), offered: { $0.mayRegister }, refusal: { $0.startRegister() },
            action: { $0.startRegister() }),
        KeyBinding([.char("x")], "x", "导出：逾期事项通报（可附临期事项、正式印发）、催办通知、台账 CSV", bar: .init("x", "导出"), action: { $0.startExport() }),
        KeyBinding(
            [.char("?"), .function(1)], "? F1", "本帮助", bar: .init("?", "帮助"),
            action: just {
                $0.showHelp = true
                $0.helpScroll = 0
            }),
        KeyBinding(
            [.char("q")], "q", "退出", bar: .init("q", "退出"),
            action: { s in
                s.quit = true
                return [.quit]
            }),
    ]

    /// Keys the help lists on every page that are not a page's: Ctrl-C and Ctrl-Z act anywhere
    /// (`AppState.handle` takes them first), Ctrl-U and Ctrl-E in input boxes (the dialogs).
    static let anywhere: [(keys: [Key], keyText: String, help: String)] = [
        ([.ctrl("u")], "Ctrl-U", "输入时清空"), ([.ctrl("e")], "Ctrl-E", "输入时用 $EDITOR 编辑长文字"),
        ([.ctrl("c")], "Ctrl-C", "退出（有未保存的输入时先问）"), ([.ctrl("z")], "Ctrl-Z", "暂时回到 shell，fg 返回"),
    ]

    static func table(_ page: Page) -> [KeyBinding] {
        switch page {
        case .dashboard: dashboard
        case .list: list
        case .detail: detail
        case .stats: stats
        }
    }

    /// The page's table, then the global one: the order the handler searches, the key bar
    /// shows and the help lists.
    static func bindings(_ page: Page) -> [KeyBinding] { table(page) + global }

    /// The help overlay's lines for the page: every binding the user's role may use (whatever
    /// row is selected), then the keys that act anywhere.
    static func help(_ s: AppState) -> [(key: String, text: String)] {
        var out: [(key: String, text: String)] = []
        for b in bindings(s.page) where b.offered(s) {
            let line = (key: b.keyText, text: b.help(s))
            if let last = out.last, last == line { continue }
            out.append(line)
        }
        return out + anywhere.map { (key: $0.keyText, text: $0.help) }
    }

    /// The key bar of the page: the bindings with a bar entry that may be used now.
    static func bar(_ s: AppState) -> [(key: String, label: String)] {
        var out: [(key: String, label: String)] = []
        for b in bindings(s.page) {
            guard let e = b.bar, e.when(s), b.available(s) else { continue }
            let entry = (key: e.keys, label: e.label(s))
            if let last = out.last, last == entry { continue }
            out.append(entry)
        }
        return out
    }
}

/// What a key means on the current page.
enum KeyMatch {
    /// The first binding for it that may be used now.
    case run(KeyBinding)
    /// A binding for it that may not be used now (its refusal says why).
    case refuse(KeyBinding)
    /// Nothing on this page: the key is ignored.
    case unbound
}

extension AppState {
    /// The page's table first, then the global table: the first binding for the key that is
    /// available runs; if none is, the first binding for it refuses.
    func match(_ key: Key) -> KeyMatch {
        var refused: KeyBinding?
        for b in KeyTables.bindings(page) where b.keys.contains(key) {
            if b.available(self) { return .run(b) }
            if refused == nil { refused = b }
        }
        return refused.map(KeyMatch.refuse) ?? .unbound
    }

    mutating func handlePage(_ key: Key) -> [Effect] {
        message = nil
        switch match(key) {
        case .run(let b): return b.action(&self)
        case .refuse(let b): return b.refusal?(&self) ?? []
        case .unbound: return []
        }
    }
}

extension AppState {
    /// With scoring rules set, ↑↓ select a unit (its breakdown is shown); otherwise they scroll.
    var statsSelects: Bool { stats.map { !$0.scoredKinds.isEmpty && !$0.rows.isEmpty } ?? false }

    var statsBarLabel: String { statsSelects ? "选择单位" : "滚动" }

    /// The furthest ↓ goes: the last unit when selecting, unbounded (the drawing clamps) when scrolling.
    var statsLastSelectable: Int { statsSelects ? (stats?.rows.count ?? 1) - 1 : Int.max / 2 }
}
