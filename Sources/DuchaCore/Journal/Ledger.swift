/// The whole repository in memory: settings, roster and items, as the fold of all entries.
public struct Ledger: Sendable {
    /// The sequence number of the last entry applied.
    public private(set) var seq: Int = 0
    public private(set) var settings = Settings()
    public private(set) var units: [Unit] = []
    public private(set) var users: [User] = []
    public private(set) var items: [Item] = []
    /// Entries that concern no single item (creation, settings, roster), oldest first.
    public private(set) var log: [Entry] = []
    /// The notices issued so far (第1期, 第2期 …).
    public private(set) var notices: [(serial: Int, day: Day, overdue: Int)] = []
    /// The 落实情况通报 issued so far, by basis label: each basis has its own serial.
    public private(set) var progressNotices: [String: [(serial: Int, day: Day, items: Int, closed: Int)]] = [:]
    /// The holiday tables the office recorded, by year, and the entries that recorded them.
    public private(set) var calendars: [Int: HolidayTable] = [:]
    public private(set) var calendarEntries: [Int: (actor: String, at: Timestamp, sha256: String)] = [:]
    /// When the repository was created.
    public private(set) var createdAt: Timestamp?
    var itemIndex: [ItemNumber: Int] = [:]
    var unitIndex: [String: Int] = [:]
    /// Names units had before they were renamed, each to the unit's current name: records keep
    /// the name they were made under, while items, users and statistics use the current one.
    public private(set) var formerNames: [String: String] = [:]
    /// The highest serial used per year, for allocating numbers.
    public private(set) var lastSerial: [Int: Int] = [:]
    /// True when only some items were read (a command about one item): entries about other
    /// items are passed over, except that registrations still advance the serials.
    public private(set) var partial = false
    /// The hash chain as far as this ledger goes (kept by the store, which computes the hashes):
    /// the sequence number of the first entry that carries one, and the hash of the last line.
    /// Notices print it as the 台账校验码.
    public var chainFrom: Int?
    public var chainHead: String?

    public init() {}

    /// A ledger that will hold only the items a command needs.
    public static func partial() -> Ledger {
        var l = Ledger()
        l.partial = true
        return l
    }

    public func item(_ number: ItemNumber) -> Item? { itemIndex[number].map { items[$0] } }
    /// Where item `number` is in `items`.
    public func itemIndex(of number: ItemNumber) -> Int? { itemIndex[number] }
    public func unit(named name: String) -> Unit? { unitIndex[name].map { units[$0] } }
    /// The current name of a unit named `name` in some record (itself when never renamed).
    public func currentName(of name: String) -> String { formerNames[name] ?? name }
    /// The units still in use (not retired), for forms, pickers and lists of choices.
    public var activeUnits: [Unit] { units.filter { !$0.retired } }
    public func user(login: String) -> User? { users.first { $0.login == login } }
    public func user(uid: UInt32) -> User? { users.first { $0.uid == uid } }

    /// The next number for an item registered in `year`.
    public func nextNumber(year: Int) -> ItemNumber {
        ItemNumber(prefix: settings.numberPrefix, year: year, serial: (lastSerial[year] ?? 0) + 1)
    }

    /// The number the next issued notice gets.
    public var nextNoticeSerial: Int { (notices.last?.serial ?? 0) + 1 }

    /// The serial the next 落实情况通报 of the basis labelled `basis` gets.
    public func nextProgressSerial(basis: String) -> Int { (progressNotices[basis]?.last?.serial ?? 0) + 1 }

    /// Finds the item a user refers to; the short form `3` means number 3 of `currentYear`.
    public func resolve(_ ref: ItemReference, currentYear: Int) throws(CoreError) -> Item {
        let key = ItemNumber(prefix: "", year: ref.year ?? currentYear, serial: ref.serial, sub: ref.sub)
        if let unit = ref.unit, let i = itemIndex[key], items[i].isSplit { return try part(of: items[i], unit: unit) }
        guard let i = itemIndex[key] else {
            throw .unknownItem(
                ref.year == nil
                    ? "\(ref.text)（即 \(ItemNumber(prefix: settings.numberPrefix, year: currentYear, serial: ref.serial, sub: ref.sub))）"
                    : ref.text)
        }
        if let unit = ref.unit { try checkUnitNamed(unit, on: items[i]) }
        return items[i]
    }

    /// A unit written with the number of an item not handed out 分别办理 (“1（县财政局）”, or
    /// `--unit`/`--for`) must be one the item is handed to; it is never silently ignored.
    func checkUnitNamed(_ unit: String, on item: Item) throws(CoreError) {
        let current = currentName(of: unit)
        guard !item.involves(unit: current) else { return }
        if item.isPart {
            throw .notAllowedNow(
                "\(item.shownNumber) 是 \(item.leadUnit) 的分项，没有交给“\(unit.sanitized())”办理")
        }
        throw .notAllowedNow(
            "\(item.number) 不是分别办理的事项，没有交给“\(unit.sanitized())”办理（牵头单位：\(item.leadUnit)"
                + (item.coUnits.isEmpty ? "" : "，配合单位：\(item.coUnits.joined(separator: "、"))") + "）")
    }

    /// The item `ref` names as `actor` reads it: to a unit user, a 分别办理 item's number means
    /// the unit's own part (a number naming another unit's part stays that part, which the
    /// unit may not see).
    public func resolve(_ ref: ItemReference, currentYear: Int, for actor: Actor) throws(CoreError) -> Item {
        let item = try resolve(ref, currentYear: currentYear)
        guard actor.role == .unit, item.isSplit, let own = actor.unit else { return item }
        let current = currentName(of: own)
        return parts(of: item).first { $0.leadUnit == current } ?? item
    }

    /// Who `login` is: the roster's entry, or — when no user is registered at all — the
    /// office (the common case of one clerk keeping the ledger).
    public func actor(login: String) throws(CoreError) -> Actor {
        if users.isEmpty { return .supervisor(login) }
        guard let u = user(login: login) else { throw .unknownUser(login) }
        return Actor(login: u.login, role: u.role, unit: u.unit, uid: u.uid)
    }

    /// Who is acting: by `uid` when the caller knows it, else by `login`.
    public func actor(login: String, uid: UInt32?) throws(CoreError) -> Actor {
        if let uid { return try actor(uid: uid, login: login) }
        return try actor(login: login)
    }

    /// Who the OS account `uid` (whose login is `login`) is: the roster's entry bound to that
    /// uid; an entry without a uid (made before uids were recorded) is matched by its login,
    /// an entry bound to another uid never is. With an empty roster, the office.
    public func actor(uid: UInt32, login: String) throws(CoreError) -> Actor {
        if users.isEmpty { return .supervisor(login, uid: uid) }
        guard let u = user(uid: uid) ?? users.first(where: { $0.uid == nil && $0.login == login }) else {
            throw .unknownUser(login)
        }
        // A uid whose account now has another login: the registered account was deleted and the
        // number given to a new one, which must not inherit its role.
        guard u.login == login else {
            throw .notPermitted(
                "系统账号 \(login.sanitized())（uid \(uid)）在名册中登记的登录名是 \(u.login.sanitized())：原账号可能已删除、编号给了新账号；"
                    + "请督查室核实后删除旧登记（ducha user remove）再重新登记")
        }
        return Actor(login: u.login, role: u.role, unit: u.unit, uid: uid)
    }

    /// The items `actor` may see: all for the office and leaders; for a unit, those it leads or
    /// co-handles.
    public func visibleItems(to actor: Actor) -> [Item] {
        guard actor.role == .unit else { return items }
        guard let unit = actor.unit else { return [] }
        return items.filter { $0.involves(unit: unit) }
    }

    public func canSee(_ item: Item, _ actor: Actor) -> Bool {
        actor.role != .unit || (actor.unit.map { item.involves(unit: $0) } ?? false)
    }

    /// Applies the next entry. Its seq must follow the last one; the change must fit the state
    /// (an item exists, its state allows the action); otherwise the repository is damaged.
    public mutating func apply(_ entry: Entry) throws(CoreError) {
        guard entry.seq == seq + 1 else {
            throw .inconsistent("第 \(entry.seq) 条记录应为第 \(seq + 1) 条")
        }
        try applyUnordered(entry)
        seq = entry.seq
    }

    /// Applies an entry from a snapshot, where entries are grouped by item rather than in one
    /// sequence; `restoreFinished` then sets the sequence number.
    public mutating func applyUnordered(_ entry: Entry) throws(CoreError) {
        switch entry.change {
        case .initialize(let s):
            guard createdAt == nil else { throw .inconsistent("第 \(entry.seq) 条记录重复创建台账") }
            settings = s
            createdAt = entry.at
            log.append(entry)
        case .setting(let key, let value):
            try settings.set(key, to: value)
            log.append(entry)
        case .addUnit(let u):
            guard unitIndex[u.name] == nil else { throw .inconsistent("单位“\(u.name)”重复登记") }
            unitIndex[u.name] = units.count
            units.append(u)
            log.append(entry)
        case .editUnit(let name, let changes):
            guard let i = unitIndex[name] else { throw .inconsistent("修改的单位“\(name)”不存在") }
            for c in changes {
                switch c.field {
                case .name:
                    guard unitIndex[c.new] == nil, formerNames[c.new] == nil else {
                        throw .inconsistent("单位更名为“\(c.new)”，与已有的名称重复")
                    }
                    renameUnit(at: i, to: c.new)
                case .kind:
                    guard let k = UnitKind(rawValue: c.new) else { throw .inconsistent("单位类型“\(c.new)”无效") }
                    units[i].kind = k
                case .owner: units[i].owner = c.new
                case .contact: units[i].contact = c.new
                case .phone: units[i].phone = c.new
                }
            }
            log.append(entry)
        case .retireUnit(let name):
            guard let i = unitIndex[name] else { throw .inconsistent("停用的单位“\(name)”不存在") }
            units[i].retired = true
            log.append(entry)
        case .importLedger:
            log.append(entry)
        case .addUser(let u):
            guard user(login: u.login) == nil else { throw .inconsistent("用户 \(u.login) 重复登记") }
            users.append(u)
            log.append(entry)
        case .removeUser(let login):
            guard let i = users.firstIndex(where: { $0.login == login }) else {
                throw .inconsistent("删除的用户 \(login) 不存在")
            }
            users.remove(at: i)
            log.append(entry)
        case .addCalendar(let table, let sha256):
            calendars[table.year] = table
            calendarEntries[table.year] = (entry.actor, entry.at, sha256)
            log.append(entry)
        case .issueNotice(let serial, let day, let overdue):
            guard serial == nextNoticeSerial else { throw .inconsistent("通报期数应为第\(nextNoticeSerial)期，记录为第\(serial)期") }
            notices.append((serial, day, overdue))
            log.append(entry)
        case .issueProgress(let basis, let serial, let day, let items, let closed):
            let next = nextProgressSerial(basis: basis)
            guard serial == next else { throw .inconsistent("“\(basis)”落实情况通报期数应为第\(next)期，记录为第\(serial)期") }
            progressNotices[basis, default: []].append((serial, day, items, closed))
            log.append(entry)
        case .item(let number, let action):
            if case .register(let r) = action {
                lastSerial[number.year] = max(lastSerial[number.year] ?? 0, number.serial)
                if partial, !wants(number) { return }
                guard itemIndex[number] == nil else { throw .inconsistent("\(number) 重复立项") }
                var item = Item(registering: r, number: number, entry: entry)
                item.isPart = isPartNumber(number)
                itemIndex[number] = items.count
                items.append(item)
            } else {
                guard let i = itemIndex[number] else {
                    if partial { return }
                    throw .inconsistent("第 \(entry.seq) 条记录所指的 \(number) 不存在")
                }
                try items[i].apply(entry, action: action)
            }
        }
    }

    /// Renames unit `i`: the old name (and any it had before) now leads to the new one; its
    /// users and the items it leads or co-handles carry the new name.
    mutating func renameUnit(at i: Int, to new: String) {
        let old = units[i].name
        unitIndex[old] = nil
        unitIndex[new] = i
        units[i].name = new
        for (k, v) in formerNames where v == old { formerNames[k] = new }
        formerNames[old] = new
        for j in users.indices where users[j].unit == old { users[j].unit = new }
        for j in items.indices
        where items[j].involves(unit: old)
            || items[j].earlierAssignments.contains(where: { $0.leadUnit == old || $0.coUnits.contains(old) })
        {
            items[j].renameUnits([old: new])
        }
    }

    /// Attaches the complete history of an item held without it (read from the snapshot).
    public mutating func attachHistory(_ entries: [Entry], to number: ItemNumber) throws(CoreError) {
        guard let i = itemIndex[number] else { throw .inconsistent("\(number) 不存在") }
        try items[i].attachHistory(entries)
    }

    /// Ends a snapshot restore: everything up to `seq` has been applied.
    public mutating func restoreFinished(seq: Int) {
        self.seq = seq
    }

    /// The items a partial ledger holds, or will hold when the journal registers them (the
    /// number a new item was just given, say).
    public private(set) var wanted: Set<ItemNumber> = []

    public mutating func want(_ number: ItemNumber) { wanted.insert(number) }

    /// Whether a partial ledger holds item `number`: wanted itself, or a child (之N) of a
    /// wanted item (a command about an item reads its children too).
    public func wants(_ number: ItemNumber) -> Bool {
        wanted.contains(number) || (number.isChild && wanted.contains(number.family))
    }

    /// The children (之N) of item `number`, in order of their numbers.
    public func children(of number: ItemNumber) -> [Item] {
        guard !number.isChild else { return [] }
        var out: [Item] = []
        var k = 1
        while let i = itemIndex[number.child(k)] {
            out.append(items[i])
            k += 1
        }
        return out
    }

    /// Whether `number` is a child of a 分别办理 item held here: a unit's part of it.
    func isPartNumber(_ number: ItemNumber) -> Bool {
        guard number.isChild, let p = itemIndex[number.family] else { return false }
        return items[p].isSplit
    }

    /// The units' parts of a 分别办理 item (none for any other item).
    public func parts(of item: Item) -> [Item] { item.isSplit ? children(of: item.number) : [] }

    /// The part of 分别办理 item `item` handed to `unit`; without a unit, or with one it was not
    /// handed to, a refusal that names the units.
    /// `option`: the option of the command at hand that names a unit (--for, --unit), if any.
    public func part(of item: Item, unit: String?, option: String? = nil) throws(CoreError) -> Item {
        let parts = parts(of: item)
        let names = parts.map(\.leadUnit).joined(separator: "、")
        guard let unit else {
            let first = parts.first?.leadUnit ?? "单位"
            let number = parts.first?.shownNumber ?? item.number.description
            throw .notAllowedNow(
                "\(item.number) 由 \(names) 分别办理：请指明是哪个单位的"
                    + (option.map { "（如 \($0) \(first)），或写该单位的编号（如 \(number)）" }
                        ?? "，写该单位的编号（如 \(number) 或 \(parts.first?.number.description ?? number)）"))
        }
        let current = currentName(of: unit)
        guard let part = parts.first(where: { $0.leadUnit == current }) else {
            throw .notAllowedNow("\(item.number) 没有交给“\(unit.sanitized())”办理；分别办理的单位是 \(names)")
        }
        return part
    }

    /// An item's records as `show` and `log` list them, in the order recorded: a 分别办理
    /// item's own and its parts' (each part's record names its unit: `partUnit(of:)`).
    public func records(of item: Item, histories: [ItemNumber: [Entry]] = [:]) -> [Entry] {
        guard item.isSplit else { return item.history }
        // A part whose whole history was read beside the ledger (`histories`) gives that.
        let parts = parts(of: item).flatMap { p in
            p.hasFullHistory ? p.history : histories[p.number].flatMap { $0.count == p.eventCount ? $0 : nil } ?? p.history
        }
        return (item.history + parts).sorted { $0.seq < $1.seq }
    }

    /// The unit whose 分别办理 part entry `e` concerns; nil for a record of any other item.
    public func partUnit(of e: Entry) -> String? {
        guard let n = e.item, isPartNumber(n) else { return nil }
        return item(n)?.leadUnit
    }

    /// The state an item shows: a 分别办理 item's is its parts' — 已办结 when every part is
    /// closed (or withdrawn, at least one closed), 已撤销 when all are withdrawn, 待签收 while
    /// no unit has signed; with no unit at work, 待审核 when a part awaits review, 暂缓 when
    /// all are suspended; else 办理中.
    public func shownState(_ item: Item) -> ItemState {
        guard item.isSplit else { return item.state }
        let parts = parts(of: item)
        if parts.isEmpty { return item.state }
        if parts.allSatisfy({ $0.state == .withdrawn }) { return .withdrawn }
        let open = parts.filter { $0.state != .closed && $0.state != .withdrawn }
        if open.isEmpty { return .closed }
        if parts.allSatisfy({ $0.state == .pending || $0.state == .withdrawn }) { return .pending }
        // No unit at work: the office's review is what the item waits for, if any part does.
        if open.allSatisfy({ $0.state == .review || $0.state == .suspended }) {
            return open.contains { $0.state == .review } ? .review : .suspended
        }
        return .active
    }

    /// The parent of a child (之N); nil for an item of its own.
    public func parent(of item: Item) -> Item? { item.number.isChild ? self.item(item.number.family) : nil }

    /// Adds an item read from a snapshot (its state, and its history if it was read too).
    public mutating func restore(_ item: consuming Item) throws(CoreError) {
        let number = item.number
        guard itemIndex[number] == nil else { throw .inconsistent("\(number) 在快照中出现了两次") }
        var item = item
        item.isPart = isPartNumber(number)
        itemIndex[number] = items.count
        items.append(item)
        lastSerial[number.year] = max(lastSerial[number.year] ?? 0, number.serial)
    }

    /// Adds the items read from a snapshot, in number order, all at once (the array is taken
    /// as it is, then indexed).
    public mutating func restore(items new: consuming [Item]) throws(CoreError) {
        if items.isEmpty {
            items = new
        } else {
            items.append(contentsOf: new)
        }
        itemIndex.reserveCapacity(items.count)
        // Numbers read in place (see `Item.statusFacts(at:)`): no item copied.
        let numbers = items.withUnsafeBufferPointer { p in p.indices.map { p.baseAddress![$0].number } }
        for (i, n) in numbers.enumerated() {
            guard itemIndex.updateValue(i, forKey: n) == nil else { throw .inconsistent("\(n) 在快照中出现了两次") }
            lastSerial[n.year] = max(lastSerial[n.year] ?? 0, n.serial)
        }
        for (i, n) in numbers.enumerated() where n.isChild && isPartNumber(n) { items[i].isPart = true }
    }

    /// The highest serials per year as a snapshot records them (for partial ledgers, which do
    /// not hold every item).
    public mutating func restoreSerials(_ serials: [Int: Int]) {
        for (y, s) in serials { lastSerial[y] = max(lastSerial[y] ?? 0, s) }
    }

    /// Makes room for `count` items (a snapshot says how many it holds).
    public mutating func reserveItems(_ count: Int) {
        items.reserveCapacity(count)
        itemIndex.reserveCapacity(count)
    }

    /// Passes over an entry about an item a partial ledger does not hold: its sequence number
    /// is used up, and a registration still advances the serials.
    public mutating func skip(seq: Int, registering number: ItemNumber?) throws(CoreError) {
        guard partial else { throw .inconsistent("第 \(seq) 条记录被跳过") }
        guard seq == self.seq + 1 else { throw .inconsistent("第 \(seq) 条记录应为第 \(self.seq + 1) 条") }
        if let n = number {
            guard !wants(n) else { throw .inconsistent("第 \(seq) 条记录被跳过") }
            lastSerial[n.year] = max(lastSerial[n.year] ?? 0, n.serial)
        }
        self.seq = seq
    }
}
