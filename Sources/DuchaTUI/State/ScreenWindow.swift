import DuchaCore
import DuchaStore

/// What an interface on a database asks the runner to read before it draws (`AppState.needed`):
/// the ledger shown holds settings, roster and the items on screen only, never the whole ledger.
public struct ScreenRequest: Sendable, Equatable {
    /// Rows of the list (a window around the screen), with its counts when its query changed.
    public var list: ListModel.Request?
    /// The dashboard's figures.
    public var dashboard = false
    /// The statistics page's figures.
    public var stats: Statistics.Grouping?
    /// The item the open detail page shows, read anew.
    public var detail: ItemNumber?
    /// The bases the basis picker offers.
    public var bases = false
    /// The 单位名册's counts.
    public var units = false

    public init() {}
}

extension AppState {
    /// From now on the ledger is asked for what the pages show (a database): nothing of the
    /// items is kept but what is on screen.
    public mutating func useWindow() {
        windowed = true
        visible = []
        list.useWindow()
        dashboard = DashboardModel()
        recompute()
    }

    /// What must be read before the next frame is drawn (nil: nothing; always nil on files).
    public var needed: ScreenRequest? {
        guard windowed else { return nil }
        var r = ScreenRequest()
        if page == .list { r.list = list.request(height: listHeight) }
        if page == .dashboard, !dashboardCurrent { r.dashboard = true }
        if page == .stats, stats == nil { r.stats = statsGrouping }
        if page == .detail, let n = detailNumber, !detailCurrent || ledger.item(n) == nil { r.detail = n }
        if pendingFilter == .basis, bases == nil { r.bases = true }
        if pendingUnits, unitLoads == nil { r.units = true }
        return r == ScreenRequest() ? nil : r
    }

    /// The ledger now shown: the runner read items anew (`ledger` holds them, settings and
    /// roster). The list's rows, if not read with it, are read again before it is shown.
    mutating func showLedger(_ ledger: Ledger, withList: Bool) {
        if !withList { list.windowInvalid(self.ledger) }
        self.ledger = ledger
    }

    /// The runner read the list's rows for `request`: `items` with their statuses from
    /// `offset`, all of them in `ledger`.
    mutating func listLoaded(
        _ request: ListModel.Request, items: [ItemNumber], statuses: [ItemStatus], offset: Int, total: Int?,
        counts: ItemQuery.Counts?, visible: Int?, keptAt: Int?
    ) {
        var rows: [ListModel.Row] = []
        rows.reserveCapacity(items.count)
        for (n, s) in zip(items, statuses) {
            if let i = ledger.itemIndex(of: n) { rows.append(ListModel.Row(index: i, status: s)) }
        }
        list.windowLoaded(
            request, rows: rows, offset: offset, total: total, counts: counts, visible: visible, keptAt: keptAt,
            height: listHeight)
        if let note = pendingCount { announce(note) }
    }

    mutating func dashboardLoaded(_ model: DashboardModel) {
        dashboard = model
        dashboardCurrent = true
        unitSelection = min(unitSelection, max(0, dashboard.units.count - 1))
    }

    mutating func detailLoaded() {
        detailCurrent = true
        if let n = detailNumber, ledger.item(n) == nil { detailNumber = nil }
    }

    mutating func statsLoaded(_ figures: Statistics, for grouping: Statistics.Grouping) {
        if grouping == statsGrouping { stats = figures }
    }

    mutating func unitLoadsLoaded(_ loads: [String: UnitLoad]) {
        unitLoads = loads
        if pendingUnits {
            pendingUnits = false
            _ = startUnits()
        }
    }

    mutating func basesLoaded(_ list: [Basis]) {
        bases = list
        if pendingFilter == .basis {
            pendingFilter = nil
            openFilter(.basis)
        }
    }
}

/// Reads what an interface on a database needs (`AppState.needed`) from the store's queries and
/// hands it to the state: a window of the list's rows, counts, the dashboard's figures, the
/// open item; the statistics from `statistics` (which may read every item's state, then free it).
public struct ScreenReader {
    let queries: ScreenQueries
    let statistics: (Statistics.Grouping, StatusEvaluator, Actor) throws(StoreError) -> Statistics

    public init(
        queries: ScreenQueries,
        statistics: @escaping (Statistics.Grouping, StatusEvaluator, Actor) throws(StoreError) -> Statistics
    ) {
        self.queries = queries
        self.statistics = statistics
    }

    public func read(_ state: inout AppState) throws(StoreError) {
        guard let need = state.needed else { return }
        let actor = state.actor
        let evaluator = state.evaluator
        if let r = need.list {
            var offset = r.offset
            var total: Int?
            var counts: ItemQuery.Counts?
            var visible: Int?
            var keptAt: Int?
            let height = state.listHeight
            var page: QueryPage
            if r.whole {
                let (all, counted) = try queries.listCounts(r.query, for: actor, evaluator)
                (total, counts) = (all, counted)
                if !r.query.isFiltered {
                    visible = counted.items
                } else if r.recount {
                    visible = try queries.counts(ItemQuery(), for: actor, evaluator).items
                }
                if offset >= all { offset = ListModel.windowOffset(around: max(0, all - 1), height: height) }
                page = try queries.page(r.query, for: actor, evaluator, offset: offset, limit: r.limit)
                // The kept item: in the rows read, or asked where it is (unless the rows are all of them).
                if let keep = r.keep {
                    if let i = page.items.firstIndex(where: { $0.number == keep }) {
                        keptAt = offset + i
                    } else if offset > 0 || all > page.items.count,
                        let at = try queries.position(of: keep, r.query, for: actor, evaluator)
                    {
                        keptAt = at
                        offset = ListModel.windowOffset(around: at, height: height)
                        page = try queries.page(r.query, for: actor, evaluator, offset: offset, limit: r.limit)
                    }
                }
            } else {
                page = try queries.page(r.query, for: actor, evaluator, offset: offset, limit: r.limit)
            }
            state.showLedger(page.ledger, withList: true)
            state.listLoaded(
                r, items: page.items.map(\.number), statuses: page.statuses, offset: offset, total: total, counts: counts,
                visible: visible, keptAt: keptAt)
        }
        if let n = need.detail {
            let read = try queries.items([n], for: actor)
            if need.list != nil {
                // Beside the list's rows just read: added to them.
                var shown = state.ledger
                do throws(CoreError) {
                    try shown.restore(items: read.items.filter { shown.item($0.number) == nil })
                } catch { throw .database(error.message) }
                state.showLedger(shown, withList: true)
            } else {
                state.showLedger(read, withList: false)
            }
            state.detailLoaded()
        }
        if need.dashboard {
            let figures = try queries.leadFigures(for: actor, evaluator)
            // 分别办理 items are listed through their parts.
            let most = try queries.page(
                ItemQuery(scope: .overdue), for: actor, evaluator, offset: 0, limit: 2 * DashboardModel.overdueShown)
            let overdue = zip(most.items, most.statuses).filter { !$0.0.isSplit }.prefix(DashboardModel.overdueShown)
            let years = try queries.openDeadlineYears(for: actor, evaluator)
            let model = DashboardModel(
                most.ledger, figures: figures, overdue: overdue.map { (item: $0.0, status: $0.1) }, openYears: years,
                evaluator: evaluator, actor: actor, calendar: state.calendar)
            // Settings and roster as they are now (the title, the units).
            if need.list == nil, need.detail == nil { state.showLedger(try queries.items([], for: actor), withList: false) }
            state.dashboardLoaded(model)
        }
        if let grouping = need.stats {
            state.statsLoaded(try statistics(grouping, evaluator, actor), for: grouping)
        }
        if need.bases { state.basesLoaded(try queries.bases(for: actor)) }
        if need.units { state.unitLoadsLoaded(try queries.unitLoads()) }
    }
}
