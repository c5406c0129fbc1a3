import DuchaCore
import DuchaStore

/// What an operation did: the entries recorded and a sentence saying so, in Chinese.
public struct Outcome: Sendable {
    public var entries: [Entry]
    public var summary: String
    /// What the user should know besides: a notice program (hook) that failed, say.
    public var notes: [String] = []
    /// The item registered or acted on.
    public var item: ItemNumber? { entries.last?.item }
}

/// The one way in for both front ends: a person (login, uid) working on a store, with the
/// calendar and the day they see. Every action goes through `run`; every report the front ends
/// show or export comes from here, filtered by what the person's role may see.
public final class Operations {
    public let store: LedgerStore
    public let login: String
    public let uid: UInt32?
    public let clock: RecordClock
    public var calendar: WorkCalendar
    /// The day views and reports are judged on (fixed under --today).
    public var today: Day
    /// The programs run after a record (`hook.*` settings); see `Hooks`.
    public var hooks: Hooks

    public init(store: LedgerStore, login: String, uid: UInt32?, clock: RecordClock, calendar: WorkCalendar, today: Day) {
        self.store = store
        self.login = login
        self.uid = uid
        self.clock = clock
        self.calendar = calendar
        self.today = today
        self.hooks = Hooks(directory: (store as? Repository)?.directory)
    }

    public var ledger: Ledger { store.ledger }

    /// Who the person is by the roster.
    public func actor() throws(CoreError) -> Actor { try ledger.actor(login: login, uid: uid) }

    // MARK: Actions

    /// Plans `operation` against the current ledger and records it. `reportedOn`: the day a unit
    /// reported what the office records now (补录). Nothing is written when it is refused.
    public func run(_ operation: Operation, reportedOn: Day? = nil) throws(StoreError) -> Outcome {
        try checkHook(operation)
        if case .attach = operation {
            var outcome = try runAttach(operation, reportedOn: reportedOn)
            outcome.notes = notify(outcome.entries)
            return outcome
        }
        let commands: [Command]
        do throws(CoreError) {
            commands = try Plan.commands(operation, ledger: ledger, calendar: calendar, today: today, actor: try? actor())
        } catch {
            throw .refused(error)
        }
        guard !commands.isEmpty else { return Outcome(entries: [], summary: "没有改动") }
        if case .registerAll = operation {
            // A meeting's decisions: all of them recorded, or none.
            let entries = try store.commitAll(commands, login: login, uid: uid, clock: clock)
            let numbers = entries.compactMap(\.item)
            guard let first = numbers.first, let last = numbers.last else { return Outcome(entries: entries, summary: "没有改动") }
            return Outcome(
                entries: entries,
                summary: numbers.count == 1 ? "已立项交办 \(first)" : "已立项交办 \(numbers.count) 件事项：\(first) 至 \(last)")
        }
        if case .importRows = operation {
            // A sheet is read in all or nothing: each row judged on the state the ones before leave.
            let entries = try store.commitAll(commands, login: login, uid: uid, clock: clock)
            // A 分别办理 row is one item (its parts are its children).
            let items = entries.filter { if case .item(let n, .register) = $0.change { !n.isChild } else { false } }.count
            return Outcome(entries: entries, summary: "已导入 \(items) 件事项", notes: notify(entries))
        }
        var entries: [Entry] = []
        var sentences: [String] = []
        for command in commands {
            let written = try store.commit(command, login: login, uid: uid, clock: clock, on: reportedOn)
            entries += written
            sentences.append(Operations.summary(of: command, written, in: ledger))
        }
        return Outcome(entries: entries, summary: sentences.joined(by: "；"), notes: notify(entries))
    }

    /// What was done, as the command line prints it and the interface's status line shows it.
    public static func summary(of command: Command, _ entries: [Entry], in ledger: Ledger) -> String {
        guard let e = entries.last else { return "没有改动" }
        switch command {
        case .editUnit(let name, let edit): return "已修改单位 \(edit.name ?? name)"
        case .retireUnit(let name): return "已停用单位 \(name)"
        case .act, .register, .registerChild, .registerSplit, .importItem: break
        default: return "已\(HistoryText.what(e))"
        }
        guard let n = e.item else { return "已记录" }
        if case .register = command { return "已立项交办 \(n)" }
        if case .registerChild = command { return "已分解立项 \(n)（\(n.family) 的子项）" }
        if case .registerSplit(_, let leads) = command {
            return "已立项交办 \(n.family)，由 \(leads.joined(separator: "、")) 分别办理（各单位分项 之1 至 之\(leads.count)）"
        }
        guard case .act(let ref, let request, _) = command else { return "已记录 \(n)" }
        // A 分别办理 item withdrawn whole (by its own number): one record for each part withdrawn.
        if case .action(.withdraw) = request, ref.sub == 0, ref.unit == nil, n.isChild, ledger.item(n.family)?.isSplit == true {
            let units = entries.compactMap { $0.item.flatMap { ledger.item($0)?.leadUnit } }
            return "已撤销 \(n.family)：\(units.joined(separator: "、")) 的分项（\(entries.count)个）已撤销"
        }
        // 催办 or 批注 of a whole 分别办理 item: one record on each unit's part.
        if ref.sub == 0, ref.unit == nil, n.isChild, ledger.item(n.family)?.isSplit == true,
            case .action(let a) = request, a.code == "remind" || a.code == "comment"
        {
            let units = entries.compactMap { $0.item.flatMap { ledger.item($0)?.leadUnit } }
            return "已\(request.verb) \(n.family)：记入 \(units.joined(separator: "、")) 的分项（\(entries.count)个）"
        }
        // A 分别办理 part reads as the item's number and its unit.
        var done = "已\(request.verb) \(ledger.item(n)?.shownNumber ?? n.description)"
        if e.proxy, let u = e.unit { done += "（代 \(u) 录入\(e.on.map { "，\($0) 报送" } ?? "")）" }
        switch e.change.itemAction {
        case .approveExtension(let to, _)?: done += "，新的办理时限为 \(to)"
        case .edit(let changes, _)?:
            done += "：" + changes.map { "\($0.field.label) → \($0.new.isEmpty ? "（空）" : $0.new)" }.joined(separator: "；")
        case .reassign(let lead, _, _, let a?)?:
            done += "，由 \(lead) 牵头，交办日期 \(a.assignedOn)，办理时限 \(a.deadline)\(parentsDeadline(n, a.deadline, in: ledger))"
        case .resume(_, let shift?)?:
            done += "，暂缓\(shift.workdays)个工作日，办理时限顺延至 \(shift.to)\(parentsDeadline(n, shift.to, in: ledger))"
        case .reopen(_, let deadline, _)?: done += "，新的办理时限为 \(deadline)\(parentsDeadline(n, deadline, in: ledger))"
        case .undo(let u)?: done += "：撤回了\(Undo.verb(of: u.code) ?? u.code)（第 \(u.seq) 条记录）"
        default: break
        }
        if entries.count > 1, case .withdrawExtension(let to, _)? = entries.first?.change.itemAction {
            done += "；待审批的延期申请（至 \(to)）已同时撤回"
        }
        if let item = ledger.item(n) { done += "，当前状态：\(item.state.label)" }
        return done
    }

    /// A sub-task's new deadline that is its parent's says so: ducha brings a worked-out date
    /// (default limit, suspension) back to the parent's deadline (`Workflow.withinParent`).
    static func parentsDeadline(_ n: ItemNumber, _ deadline: Day, in ledger: Ledger) -> String {
        guard let item = ledger.item(n), !item.isPart, let parent = ledger.parent(of: item), parent.deadline == deadline
        else { return "" }
        return "（即上级事项 \(parent.number) 的时限，子项不晚于上级事项）"
    }

    // MARK: What a person may do

    /// The operations the person can start on `item` today (role, state, situation).
    public func available(on item: Item) -> [ItemOperation] {
        guard let actor = try? actor() else { return [] }
        return Workflow.available(on: item, by: actor, in: ledger, today: today)
    }

    // MARK: Reports

    /// The items the person's role may see: the office and leaders all, a unit those it leads
    /// or co-handles.
    public func visibleItems() throws(CoreError) -> [Item] { ledger.visibleItems(to: try actor()) }

    public var evaluator: StatusEvaluator { StatusEvaluator(today: today, calendar: calendar, settings: ledger.settings) }

    /// The overdue notice of what the person sees; `issue` records it with the next serial (the
    /// office only, judged by the workflow), a preview keeps the serial.
    public func overdueNotice(issue: Bool, dueSoon: Bool) throws(StoreError) -> OverdueNotice {
        var items: [Item]
        var overview: Overview? = nil
        let evaluator = self.evaluator
        if ledger.partial, let queries = store as? ItemQueries {
            // A store that answers lists (a database): its overdue and due-soon items, and its counts.
            let actor: Actor
            do throws(CoreError) { actor = try self.actor() } catch { throw .refused(error) }
            items = try queries.all(ItemQuery(scope: .overdue), for: actor, evaluator).items
            if dueSoon { items += try queries.all(ItemQuery(scope: .dueSoon), for: actor, evaluator).items }
            overview = try queries.overview(for: actor, evaluator)
        } else {
            do throws(CoreError) { items = try visibleItems() } catch { throw .refused(error) }
        }
        var serial = ledger.nextNoticeSerial
        if issue {
            do throws(CoreError) { try Workflow.check(.issueNotice, by: try actor()) } catch { throw .refused(error) }
            let count = items.filter { evaluator.isOverdue($0) }.count
            let entries = try store.commit(.issueNotice(overdue: count), login: login, uid: uid, clock: clock, on: nil)
            if case .issueNotice(let s, _, _) = entries.last?.change { serial = s }
        }
        var notice = OverdueNotice(
            items: items, evaluator: evaluator, serial: serial, preview: !issue, includeDueSoon: dueSoon, overview: overview)
        notice.ledgerCode = ledger.ledgerCode
        return notice
    }

    /// The bases of the items the person sees, oldest first (for pickers and `Basis.find`).
    public func bases() throws(CoreError) -> [Basis] { Set(try visibleItems().compactMap(\.basisInfo)).sorted() }

    /// The 落实情况通报 of the basis `query` names (`Basis.find`: its name, 文号, or a part that
    /// names only one), of the items the person sees; `issue` records it with that basis's next
    /// serial (the office only), a preview keeps the serial.
    public func progressNotice(basis query: String, issue: Bool) throws(StoreError) -> ProgressNotice {
        let actor: Actor
        do throws(CoreError) { actor = try self.actor() } catch { throw .refused(error) }
        // Of a batch (a database is read a batch at a time), every basis and the items of those
        // the query names are kept: the one it finds is among them.
        let q = query.trimmingSpaces
        var bases = Set<Basis>()
        var named: [Item] = []
        try store.forEachVisibleBatch(actor) { batch in
            for i in batch.indices {
                guard let b = batch[i].basisInfo else { continue }
                bases.insert(b)
                if b.isExactly(q) || b.matches(q) { named.append(batch[i]) }
            }
        }
        let basis: Basis
        do throws(CoreError) {
            basis = try Basis.find(query, among: Array(bases))
            if issue { try Workflow.check(.issueNotice, by: actor) }
        } catch { throw .refused(error) }
        let items = named.filter { $0.basisInfo == basis }
        // The completion reports of its items closed or awaiting review (read from their histories).
        var reports: [ItemNumber: Item.Progress] = [:]
        for item in items where item.basisInfo == basis && (item.state == .closed || item.state == .review) {
            guard let history = item.hasFullHistory ? item.history : try store.history(of: item.number) else { continue }
            for e in history.reversed() {
                guard case .requestCompletion(let report)? = e.itemAction else { continue }
                reports[item.number] = Item.Progress(day: e.day, text: report, unit: e.unit)
                break
            }
        }
        var notice = ProgressNotice(
            basis: basis, items: items, evaluator: evaluator, serial: ledger.nextProgressSerial(basis: basis.label),
            preview: !issue, reports: reports)
        if issue {
            let entries = try store.commit(
                .issueProgress(basis: basis.label, items: notice.overview.total, closed: notice.overview.closed), login: login,
                uid: uid, clock: clock, on: nil)
            if case .issueProgress(_, let s, _, _, _) = entries.last?.change { notice.serial = s }
        }
        notice.ledgerCode = ledger.ledgerCode
        return notice
    }

    /// The 催办通知 of `unit` (or of every unit with something to chase, among those the person
    /// may see), each stamped with the 台账校验码. A unit may have only its own.
    public func reminderNotices(unit: String?) throws(StoreError) -> [ReminderNotice] {
        let actor: Actor
        do throws(CoreError) {
            actor = try self.actor()
            if let unit, ledger.unit(named: unit) == nil { throw .unknownUnit(unit) }
            try Workflow.check(.reminders(unit: unit), by: actor)
        } catch { throw .refused(error) }
        let units = unit.map { [$0] } ?? (actor.role == .unit ? [actor.unit ?? ""] : ledger.units.map(\.name))
        // Only the items a reminder lists are kept of each batch (a database is read a batch at a time).
        let evaluator = self.evaluator
        var listed: [Item] = []
        try store.forEachVisibleBatch(actor) { batch in
            for i in batch.indices where ReminderNotice.lists(batch[i], evaluator) { listed.append(batch[i]) }
        }
        var notices = ReminderNotice.all(units: units, items: listed, evaluator: evaluator)
        for i in notices.indices { notices[i].ledgerCode = ledger.ledgerCode }
        return notices
    }

    /// Records a written reminder (书面催办) on every item of `notices` (the office only).
    public func recordReminders(_ notices: [ReminderNotice]) throws(StoreError) {
        do throws(CoreError) { try Workflow.check(.recordReminders, by: try actor()) } catch { throw .refused(error) }
        for n in notices {
            for e in n.entries {
                let ref: ItemReference
                do throws(CoreError) { ref = try ItemReference.parse(e.item.number.description) } catch { throw .refused(error) }
                _ = try run(.act(ref, .action(.remind(method: .letter, note: "印发催办通知，要求于\(n.replyBy.chinese)前书面报送"))))
            }
        }
    }

    /// The ledger's items the person may see, by number: the table view of the ledger (CSV,
    /// JSON table, Excel).
    public func ledgerItems() throws(CoreError) -> [Item] { try visibleItems().sorted { $0.number < $1.number } }

    /// The whole ledger with every record (settings, units, roster, history), the office only:
    /// `export ledger --format json`, restorable by `import`.
    public func wholeLedger() throws(CoreError) -> (ledger: Ledger, entries: [Entry]) {
        try Workflow.check(.wholeLedger, by: try actor())
        guard let entries = LedgerExport.entries(of: ledger) else {
            throw .inconsistent("台账的记录不完整，无法导出整个台账；请先运行 ducha check")
        }
        return (ledger, entries)
    }

    /// The statistics of the items the person may see, by unit (a unit: its own figures, 牵头
    /// and 配合 apart) or by source, for items assigned between `from` and `to`: folded batch
    /// by batch where the store does not hold every item (a database).
    public func statistics(by grouping: Statistics.Grouping, from: Day? = nil, to: Day? = nil) throws(StoreError) -> Statistics {
        let actor: Actor
        do throws(CoreError) { actor = try self.actor() } catch { throw .refused(error) }
        var fold = Statistics.Accumulator(
            seenBy: actor, ledger: ledger, evaluator: evaluator, by: grouping, from: from, to: to)
        try store.forEachVisibleBatch(actor) { fold.add($0) }
        return fold.statistics()
    }

    /// The dashboard's figures for the person: counts by light and state, units ranked.
    public func overview() throws(CoreError) -> Overview {
        let actor = try actor()
        return Overview(ledger.visibleItems(to: actor), evaluator)
    }
}
