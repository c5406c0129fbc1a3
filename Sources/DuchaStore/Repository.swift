import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// A ducha repository on disk: a snapshot (ducha.json), an append-only journal (journal.jsonl)
/// and a lock file. Several processes (the office and the units, over SSH on one server) may
/// use one repository at once:
///
/// - reading takes a shared lock; committing takes the exclusive lock, catches up with lines
///   other processes appended, judges the request against that current state, appends one line,
///   fsyncs, and only then applies it;
/// - a commit costs the size of the action; past a threshold the journal is folded into a new
///   snapshot written to a temporary file, fsynced and renamed over the old one;
/// - a crash at any point leaves a repository that loads to the last acknowledged state: a torn
///   last journal line was never acknowledged and is ignored (and cut on the next commit).
public final class Repository {
    public let directory: String
    /// How much of the repository `ledger` holds.
    public let mode: LoadMode
    public private(set) var ledger: Ledger
    /// With `.openItems`: what the overview counts of the closed and withdrawn items not read.
    public private(set) var closedFacts: [ClosedFacts] = []
    /// Notices for the user about the repository's condition (e.g. a torn line that was cut).
    public private(set) var warnings: [String] = []
    /// Journal bytes above which a commit also compacts; by default half the snapshot's size,
    /// at least 256 KiB and at most 8 MiB, so that compaction stays a small share of the work
    /// at every size and a command about one item never reads much journal.
    public var compactionThreshold: Int?
    /// Called at each step of compaction; tests throw from it to simulate a crash there.
    public var compactionProbe: ((CompactionStep) throws -> Void)?
    /// Called once when a command has waited a second for another process's lock.
    public var onLockWait: (() -> Void)? = Repository.defaultOnLockWait
    /// Seconds to wait for another process's lock before giving up with nothing done.
    public var lockTimeout: Double = Repository.defaultLockTimeout
    /// Asked every few milliseconds while waiting for the lock; true gives the wait up (the
    /// interface reads keys here, so q and Ctrl-C work while another process holds the lock).
    public var shouldGiveUpWaiting: (() -> Bool)?
    /// What new repositories start with (the command line sets them from $DUCHA_LOCK_TIMEOUT).
    nonisolated(unsafe) public static var defaultLockTimeout: Double = 30
    nonisolated(unsafe) public static var defaultOnLockWait: (() -> Void)?
    /// Compactions this process has done (for tests and benchmarks).
    public private(set) var compactions = 0

    var snapshotIdentity: Posix.Identity?
    var journalIdentity: Posix.Identity?
    /// Journal bytes already applied (up to the last complete line).
    var journalOffset = 0
    /// Journal lines already applied, for line numbers in messages.
    var journalLines = 0
    var snapshotSize = 0
    /// The snapshot's own sequence number and chain, as loaded (for `check`).
    var snapshotSeq = 0
    var snapshotChain: Chain.Mark?

    public enum CompactionStep: String, CaseIterable, Sendable {
        case beforeTemporaryWrite, temporaryHalfWritten, temporaryWritten, temporarySynced, renamed, directorySynced,
            journalTruncated
    }

    public var snapshotPath: String { directory + "/ducha.json" }
    public var journalPath: String { directory + "/journal.jsonl" }
    public var lockPath: String { directory + "/lock" }
    /// Temporary snapshots are named this and a random suffix (`ducha.json.tmp.k3Zq9aW2`),
    /// created exclusively: nobody can plant a file or a link where one will be written.
    static let temporaryPrefix = "ducha.json.tmp"

    /// Whether `name` is a temporary snapshot's (this version's, or the fixed name of older ones).
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix(temporaryPrefix) else { return false }
        let rest = name.utf8.dropFirst(temporaryPrefix.utf8.count)
        if rest.isEmpty { return true }
        return rest.first == UInt8(ascii: ".") && rest.count == 9
            && rest.dropFirst().allSatisfy { ($0 | 0x20) &- 0x61 < 26 || $0 &- 0x30 < 10 }
    }

    /// The repository folder, opened once without following a symbolic link; every file of
    /// the repository is opened relative to it.
    func folder() throws(StoreError) -> Folder {
        if let openedFolder { return openedFolder }
        let f = try Folder(directory)
        openedFolder = f
        return f
    }
    private var openedFolder: Folder?

    /// Takes the repository's lock, waiting as `lockTimeout`, `onLockWait` and
    /// `shouldGiveUpWaiting` say.
    func takeLock(exclusive: Bool) throws(StoreError) -> FileLock {
        try FileLock(
            in: folder(), exclusive: exclusive,
            waiting: FileLock.Waiting(timeout: lockTimeout, onWait: onLockWait, shouldGiveUp: shouldGiveUpWaiting))
    }

    /// How much of the repository to read.
    public enum LoadMode: Sendable, Equatable {
        /// Every item with its whole history (`check`, `log` of everything).
        case full
        /// Every item's state; histories are not read, only the entries applied since (lists,
        /// reports, the interface, which reads one item's history when it is opened).
        case summary
        /// Only these items, with their histories, besides settings and roster: a command
        /// about one item, or one that registers a new one.
        case only([ItemNumber])
        /// Settings, units and roster, for a command that asks its items of the store
        /// (`ItemQueries`): a database answers them itself; the files read every item's state,
        /// as for `.summary`.
        case queries
        /// The open items' states, and of the closed and withdrawn ones only what the overview
        /// counts (`closedFacts`): the overdue notice. Its `ItemQueries` answer only queries of
        /// open items; nothing is committed through it.
        case openItems
    }

    init(directory: String, mode: LoadMode) {
        self.directory = directory
        self.mode = mode
        ledger = mode.isPartial ? Ledger.partial() : Ledger()
    }

    var defaultThreshold: Int { max(256 << 10, min(snapshotSize / 2, 8 << 20)) }

    // MARK: Creating and opening

    /// Whether `directory` holds a repository.
    public static func exists(at directory: String) -> Bool { Posix.exists(directory + "/ducha.json") }

    /// Creates a repository with its first entry (the settings). Refuses to touch an existing one.
    public static func create(
        at directory: String, settings: Settings, login: String, at time: Timestamp
    )
        throws(StoreError) -> Repository
    {
        var first = Ledger()
        do throws(CoreError) {
            try first.apply(Entry(seq: 1, at: time, actor: login, change: .initialize(settings)))
        } catch {
            throw .refused(error)
        }
        return try create(at: directory, ledger: first)
    }

    /// Creates a repository holding `ledger` (used by `demo` to write many entries at once).
    public static func create(at directory: String, ledger: Ledger) throws(StoreError) -> Repository {
        let repo = Repository(directory: directory, mode: .full)
        try Posix.makeDirectory(directory)
        let lock = try repo.takeLock(exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        guard !exists(at: directory) else { throw .alreadyExists(directory) }
        let journal = try Posix.open(repo.journalPath, O_WRONLY | O_TRUNC, create: true, in: repo.folder(), what: "创建日志")
        close(journal)
        var ledger = ledger
        if ledger.chainHead == nil, ledger.seq > 0 {
            // A new repository is chained from its first entry.
            ledger.chainFrom = 1
            ledger.chainHead = Chain.head(of: ledger)
        }
        repo.ledger = ledger
        let bytes = SnapshotCodec.encode(ledger)
        try repo.writeSnapshot { (w: inout ChunkWriter) throws(StoreError) in
            try w.append(Array(bytes.prefix(bytes.count / 2)))
            try repo.probe(.temporaryHalfWritten)
            try w.append(Array(bytes.dropFirst(bytes.count / 2)))
        }
        try repo.readIdentities()
        return repo
    }

    /// Opens and loads a repository, all of it or as much as `mode` says.
    public static func open(at directory: String, mode: LoadMode = .full) throws(StoreError) -> Repository {
        guard exists(at: directory) else {
            if Posix.exists(directory), !Posix.isDirectory(directory) { throw .io(directory, "打开台账", ENOTDIR) }
            throw StoreError.missing(directory)
        }
        let repo = Repository(directory: directory, mode: mode)
        let lock = try repo.takeLock(exclusive: false)
        try repo.loadAll()
        withExtendedLifetime(lock) {}
        return repo
    }

    /// The settings and roster as the snapshot's header records them, without the journal: who
    /// may repair a repository whose journal cannot be read. Nil when the header cannot be read.
    public static func rosterFromSnapshot(at directory: String) -> Ledger? {
        let repo = Repository(directory: directory, mode: .only([]))
        guard let fd = try? Posix.open(repo.snapshotPath, O_RDONLY, what: "读取台账快照") else { return nil }
        defer { close(fd) }
        guard let map = try? MappedFile(fd: fd, path: repo.snapshotPath, what: "读取台账快照", sequential: false) else {
            return nil
        }
        return try? SnapshotCodec.decode(map.bytes, path: repo.snapshotPath, only: [])
    }

    /// Reads the snapshot and the journal as the mode says (the caller holds a lock).
    func loadAll() throws(StoreError) {
        let fd = try Posix.open(snapshotPath, O_RDONLY, in: folder(), what: "读取台账快照")
        defer { close(fd) }
        var loaded: Ledger
        let identity: Posix.Identity?
        switch mode {
        case .full, .summary, .queries:
            let map = try MappedFile(fd: fd, path: snapshotPath, what: "读取台账快照", sequential: true)
            loaded = try SnapshotCodec.decode(map.bytes, path: snapshotPath, mode: mode == .full ? .full : .summary, mapped: true)
            identity = map.identity
        case .only(let numbers):
            let map = try MappedFile(fd: fd, path: snapshotPath, what: "读取台账快照", sequential: false)
            loaded = try SnapshotCodec.decode(map.bytes, path: snapshotPath, only: numbers + Array(ledger.wanted))
            identity = map.identity
        case .openItems:
            return try loadOpen(fd)
        }
        snapshotSeq = loaded.seq
        snapshotChain = loaded.chainMark
        let (scan, journalID) = try readJournal(from: 0, firstLine: 1, keep: loaded.partial ? loaded.wanted : nil)
        try apply(scan, to: &loaded, firstLine: 1)
        finishLoading(loaded, identity: identity, scan: scan, journalID: journalID)
    }

    /// `.openItems`: the journal first, for the items it changes are read whole (and if it
    /// renames a unit, whose name the closed facts hold, every item is).
    func loadOpen(_ fd: Int32) throws(StoreError) {
        let (scan, journalID) = try readJournal(from: 0, firstLine: 1, keep: nil)
        var whole = Set<ItemNumber>()
        var renames = false
        for record in scan.records {
            guard case .entry(let e) = record else { continue }
            // (With its parent: lists show families together.)
            if case .item(let n, _) = e.change { whole.formUnion(n.isChild ? [n, n.family] : [n]) }
            if case .editUnit(_, let changes) = e.change, changes.contains(where: { $0.field == .name }) { renames = true }
        }
        let map = try MappedFile(fd: fd, path: snapshotPath, what: "读取台账快照", sequential: true)
        var loaded: Ledger
        if renames {
            loaded = try SnapshotCodec.decode(map.bytes, path: snapshotPath, mode: .summary, mapped: true)
            closedFacts = []
        } else {
            (loaded, closedFacts) = try SnapshotCodec.decodeOpen(map.bytes, path: snapshotPath, whole: whole, mapped: true)
            for n in whole { loaded.want(n) }
        }
        snapshotSeq = loaded.seq
        snapshotChain = loaded.chainMark
        try apply(scan, to: &loaded, firstLine: 1)
        finishLoading(loaded, identity: map.identity, scan: scan, journalID: journalID)
    }

    /// Keeps a ledger read with the journal applied, and where the files were read to.
    func finishLoading(_ loaded: consuming Ledger, identity: Posix.Identity?, scan: JournalCodec.Scan, journalID: Posix.Identity?)
    {
        ledger = loaded
        snapshotIdentity = identity
        snapshotSize = identity?.size ?? 0
        journalIdentity = journalID
        journalOffset = scan.consumed
        journalLines = scan.lines
        warnings.removeAll()
        if scan.tornBytes > 0 { warnings.append(Repository.tornWarning(scan.tornBytes, cut: false)) }
    }

    static func tornWarning(_ bytes: Int, cut: Bool) -> String {
        "台账日志末尾有一条未写完的记录（\(bytes) 字节，写入时中断，从未确认）"
            + (cut ? "，已在本次提交前截去" : "，已忽略；下次提交时将截去")
    }

    func readJournal(
        from offset: Int, firstLine: Int, keep: Set<ItemNumber>?
    ) throws(StoreError) -> (
        JournalCodec.Scan, Posix.Identity?
    ) {
        let fd: Int32
        do throws(StoreError) {
            fd = try Posix.open(journalPath, O_RDONLY, in: folder(), what: "读取台账日志")
        } catch {
            // A journal that does not exist yet (a crash right after creation) is an empty one.
            if case .io(_, _, let e) = error, e == ENOENT { return (JournalCodec.Scan(), nil) }
            throw error
        }
        defer { close(fd) }
        let bytes = try Posix.readAll(fd, path: journalPath, from: offset)
        return (try JournalCodec.scan(bytes, firstLine: firstLine, path: journalPath, keep: keep), Posix.identity(fd))
    }

    /// Applies journal entries not yet in `ledger` (a crash between renaming a new snapshot and
    /// truncating the journal leaves lines the snapshot already holds: they are skipped).
    func apply(_ scan: JournalCodec.Scan, to ledger: inout Ledger, firstLine: Int) throws(StoreError) {
        var line = firstLine
        for record in scan.records {
            defer { line += 1 }
            if record.seq <= ledger.seq { continue }
            do throws(CoreError) {
                switch record {
                case .entry(let e): try ledger.apply(e)
                case .passed(let seq, let registered): try ledger.skip(seq: seq, registering: registered)
                }
            } catch {
                throw .badJournal(journalPath, line, error.message)
            }
        }
        if let h = scan.head {
            ledger.chainHead = h
        } else if scan.lastUnchained {
            ledger.chainHead = nil
        }
        if ledger.chainFrom == nil, let f = scan.firstChained { ledger.chainFrom = f }
    }

    func readIdentities() throws(StoreError) {
        snapshotIdentity = Posix.identity(path: snapshotPath)
        journalIdentity = Posix.identity(path: journalPath)
        snapshotSize = snapshotIdentity?.size ?? 0
        journalOffset = journalIdentity?.size ?? 0
    }

    // MARK: Refreshing

    /// Picks up what other processes committed since this one last looked. Returns true when
    /// the ledger changed. Cheap when nothing changed: two stat calls. Never waits: while
    /// another process holds the lock, it returns false and the next call looks again.
    @discardableResult
    public func refresh() throws(StoreError) -> Bool {
        let snap = Posix.identity(path: snapshotPath)
        let journal = Posix.identity(path: journalPath)
        if snap == snapshotIdentity, journal?.device == journalIdentity?.device, journal?.inode == journalIdentity?.inode,
            (journal?.size ?? 0) == journalOffset || (journal?.size ?? 0) == journalOffset + tornTail
        {
            return false
        }
        guard let lock = try FileLock.attempt(in: folder(), exclusive: false) else { return false }
        defer { withExtendedLifetime(lock) {} }
        return try catchUp()
    }

    /// Bytes of a torn line after `journalOffset`, already reported.
    var tornTail = 0

    /// Brings the ledger up to date with the files (the caller holds a lock).
    func catchUp() throws(StoreError) -> Bool {
        let snap = Posix.identity(path: snapshotPath)
        let journal = Posix.identity(path: journalPath)
        let sameJournal = journal?.device == journalIdentity?.device && journal?.inode == journalIdentity?.inode
        // Open items read apart from closed facts: anything new is read afresh (it may reopen one).
        let reread = mode == .openItems && (journal?.size ?? 0) != journalOffset
        if snap != snapshotIdentity || !sameJournal || (journal?.size ?? 0) < journalOffset || reread {
            try loadAll()
            tornTail = 0
            return true
        }
        let before = ledger.seq
        let (scan, id) = try readJournal(
            from: journalOffset, firstLine: journalLines + 1, keep: ledger.partial ? ledger.wanted : nil)
        try apply(scan, to: &ledger, firstLine: journalLines + 1)
        journalOffset += scan.consumed
        journalLines += scan.lines
        journalIdentity = id
        tornTail = scan.tornBytes
        return ledger.seq != before
    }

    // MARK: Committing

    /// Judges `command` from `login` against the current state and records it, at the time the
    /// clock gives once the lock is held (the server's, never the caller's). `on`: the day a unit
    /// reported what the office records now (补录). `uid`, when given, is the caller's OS user
    /// id: the roster recognises the actor by it. Waits for other writers. Returns the entries
    /// written. Nothing is written when the request is refused.
    @discardableResult
    public func commit(
        _ command: Command, login: String, uid: UInt32? = nil, clock: RecordClock, on: Day? = nil
    ) throws(StoreError) -> [Entry] {
        try commitOne(command, login: login, uid: uid, on: on) { (ledger) throws(StoreError) in try clock.read(for: ledger) }
    }

    /// Records `command` at a time the caller gives: for tests, benchmarks and tools that build
    /// a history on purpose. Commands and the interface use `commit(_:login:uid:clock:on:)`.
    @discardableResult
    public func commit(
        _ command: Command, login: String, uid: UInt32? = nil, at time: Timestamp, today: Day
    ) throws(StoreError) -> [Entry] {
        try commitOne(command, login: login, uid: uid, on: nil) { _ in (time, today) }
    }

    func commitOne(
        _ command: Command, login: String, uid: UInt32?, on: Day?, time: (Ledger) throws(StoreError) -> (Timestamp, Day)
    ) throws(StoreError) -> [Entry] {
        precondition(mode != .openItems, "不读已办结事项状态的台账不能提交")
        let lock = try takeLock(exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        _ = try catchUp()
        let (at, today) = try time(ledger)
        // Reported today is recorded today: not a 补录.
        let on = on == today ? nil : on
        try readHistoryIfNeeded(command, today: today)
        let decision: Decision
        let by: String
        do throws(CoreError) {
            let actor = try ledger.actor(login: login, uid: uid)
            by = actor.login
            decision = try Workflow.decide(command, by: actor, in: ledger, today: today, reportedOn: on)
        } catch {
            throw .refused(error)
        }
        var entries: [Entry] = []
        var bytes: [UInt8] = []
        var head = ledger.chainHead
        for (i, change) in decision.changes.enumerated() {
            let e = Entry(
                seq: ledger.seq + 1 + i, at: at, actor: by, unit: decision.unit, proxy: decision.proxy, on: on,
                change: change, prev: head ?? Chain.start)
            let line = EntryCodec.line(e)
            head = line.withUnsafeBufferPointer { Chain.hash(UnsafeBufferPointer(rebasing: $0.dropLast())) }
            entries.append(e)
            bytes.append(contentsOf: line)
        }
        try append(bytes)
        for e in entries {
            if ledger.partial, case .item(let n, .register) = e.change { ledger.want(n) }
            do throws(CoreError) { try ledger.apply(e) } catch {
                // Cannot happen for a decision the workflow accepted; reload rather than diverge.
                try loadAll()
                break
            }
        }
        if ledger.chainFrom == nil { ledger.chainFrom = entries.first?.seq }
        ledger.chainHead = head
        journalLines += entries.count
        compactIfDue()
        return entries
    }

    /// Records several commands at once, all or nothing: each is judged against the state the
    /// ones before it leave (units created before the items that name them), and the lines are
    /// appended with one write and one fsync. Used by `import`.
    @discardableResult
    public func commitAll(
        _ commands: [Command], login: String, uid: UInt32? = nil, clock: RecordClock
    ) throws(StoreError) -> [Entry] {
        try commitMany(commands, login: login, uid: uid) { (ledger) throws(StoreError) in try clock.read(for: ledger) }
    }

    /// The same at a time the caller gives (tests and tools).
    @discardableResult
    public func commitAll(
        _ commands: [Command], login: String, uid: UInt32? = nil, at time: Timestamp, today: Day
    ) throws(StoreError) -> [Entry] {
        try commitMany(commands, login: login, uid: uid) { _ in (time, today) }
    }

    /// Some requests are judged on the item's whole history (which entry an undo reverses, when a
    /// suspension began, which files were already attached): read it when this ledger holds the
    /// item's state only.
    /// (Reads and then changes `ledger`: never while an access to it is open.)
    func readHistoryIfNeeded(_ command: Command, today: Day) throws(StoreError) {
        guard case .act(let ref, let request, _) = command, request.needsHistory,
            let item = try? ledger.resolve(ref, currentYear: today.year),
            !item.hasFullHistory, let h = try readHistory(of: item.number)
        else { return }
        do throws(CoreError) { try ledger.attachHistory(h, to: item.number) } catch { throw .refused(error) }
    }

    func commitMany(
        _ commands: [Command], login: String, uid: UInt32?, time: (Ledger) throws(StoreError) -> (Timestamp, Day)
    ) throws(StoreError) -> [Entry] {
        precondition(mode != .openItems, "不读已办结事项状态的台账不能提交")
        let lock = try takeLock(exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        _ = try catchUp()
        let (at, today) = try time(ledger)
        for command in commands { try readHistoryIfNeeded(command, today: today) }
        var scratch = ledger
        var entries: [Entry] = []
        var bytes: [UInt8] = []
        var head = ledger.chainHead
        do throws(CoreError) {
            for command in commands {
                let actor = try scratch.actor(login: login, uid: uid)
                let d = try Workflow.decide(command, by: actor, in: scratch, today: today)
                for change in d.changes {
                    let e = Entry(
                        seq: scratch.seq + 1, at: at, actor: actor.login, unit: d.unit, proxy: d.proxy, change: change,
                        prev: head ?? Chain.start)
                    if scratch.partial, case .item(let n, .register) = change { scratch.want(n) }
                    try scratch.apply(e)
                    let line = EntryCodec.line(e)
                    head = line.withUnsafeBufferPointer { Chain.hash(UnsafeBufferPointer(rebasing: $0.dropLast())) }
                    entries.append(e)
                    bytes.append(contentsOf: line)
                }
            }
        } catch {
            throw .refused(error)
        }
        try append(bytes)
        ledger = scratch
        if ledger.chainFrom == nil { ledger.chainFrom = entries.first?.seq }
        ledger.chainHead = head
        journalLines += entries.count
        compactIfDue()
        return entries
    }

    /// Appends bytes to the journal and fsyncs. A torn line left by an earlier crash is cut
    /// first. On failure (disk full, read-only) the journal is cut back so that no partial line
    /// stays behind, and the error is thrown with nothing applied.
    func append(_ bytes: [UInt8]) throws(StoreError) {
        let fd = try Posix.open(journalPath, O_WRONLY, create: true, in: folder(), what: "写入台账日志")
        defer { close(fd) }
        let size = Posix.identity(fd)?.size ?? 0
        if size > journalOffset {
            guard ftruncate(fd, off_t(journalOffset)) == 0 else { throw .io(journalPath, "截去未写完的记录", errno) }
            warnings.append(Repository.tornWarning(size - journalOffset, cut: true))
            tornTail = 0
        }
        guard lseek(fd, off_t(journalOffset), SEEK_SET) >= 0 else { throw .io(journalPath, "写入台账日志", errno) }
        do throws(StoreError) {
            try Posix.writeAll(fd, bytes, path: journalPath)
            try Posix.sync(fd, path: journalPath)
        } catch {
            _ = ftruncate(fd, off_t(journalOffset))
            _ = fsync(fd)
            throw error
        }
        journalOffset += bytes.count
        journalIdentity = Posix.identity(fd)
    }

    // MARK: Compaction

    /// Folds the journal into the snapshot once it has grown past the threshold. The commit's
    /// record is already written and fsynced, so it stands whatever happens here: a failure
    /// (a full disk, say) becomes a warning, and the next commit tries again.
    func compactIfDue() {
        guard journalOffset > (compactionThreshold ?? defaultThreshold) else { return }
        do throws(StoreError) {
            try compact()
        } catch {
            warnings.append("记录已保存；但整理台账快照未能完成（\(error.message)），不影响已保存的记录，下次提交时将再次整理")
        }
    }

    /// Folds the journal into a new snapshot. The caller holds the exclusive lock. The new
    /// snapshot is merged from the old one and the journal, whatever this process loaded:
    /// lines of items the journal does not touch are copied as they are.
    public func compact() throws(StoreError) {
        let (scan, _) = try readJournal(from: 0, firstLine: 1, keep: nil)
        // The head of the new snapshot is the hash of the journal's last line, when it carries one.
        let mark: Chain.Mark? =
            scan.head.flatMap { h in (ledger.chainFrom ?? scan.firstChained).map { Chain.Mark(from: $0, head: h) } }
        let fd = try Posix.open(snapshotPath, O_RDONLY, in: folder(), what: "读取台账快照")
        defer { close(fd) }
        let old = try MappedFile(fd: fd, path: snapshotPath, what: "读取台账快照", sequential: true)
        try writeSnapshot { (w: inout ChunkWriter) throws(StoreError) in
            try SnapshotCodec.merge(
                old.bytes, path: snapshotPath, journal: scan.entries, journalPath: journalPath, head: mark, into: &w
            ) { () throws(StoreError) in try self.probe(.temporaryHalfWritten) }
        }
        try probe(.directorySynced)
        let jfd = try Posix.open(journalPath, O_WRONLY, create: true, in: folder(), what: "清理台账日志")
        defer { close(jfd) }
        guard ftruncate(jfd, 0) == 0 else { throw .io(journalPath, "清理台账日志", errno) }
        try Posix.sync(jfd, path: journalPath)
        try probe(.journalTruncated)
        compactions += 1
        journalOffset = 0
        journalLines = 0
        tornTail = 0
        journalIdentity = Posix.identity(jfd)
    }

    /// Writes a new snapshot: a temporary file with a name nobody can predict, created
    /// exclusively; fsync, rename, fsync the folder. Temporary snapshots left by a crash are
    /// removed first (the caller holds the exclusive lock, so none is in use); a failure
    /// removes the one it made.
    func writeSnapshot(_ produce: (inout ChunkWriter) throws(StoreError) -> Void) throws(StoreError) {
        try probe(.beforeTemporaryWrite)
        let folder = try folder()
        removeStaleTemporaries(folder)
        let name = Repository.temporaryPrefix + "." + Posix.randomSuffix()
        let path = folder.path(name)
        let fd = try Posix.open(path, O_WRONLY, exclusive: true, in: folder, what: "写入台账快照")
        var closed = false
        var renamed = false
        defer {
            if !closed { close(fd) }
            if !renamed { folder.remove(name) }
        }
        // Keep the group of the snapshot it replaces, so every unit keeps access.
        if let st = folder.status("ducha.json") { _ = fchown(fd, uid_t.max, st.st_gid) }
        var writer = ChunkWriter(fd: fd, path: path)
        try produce(&writer)
        try writer.flush()
        try probe(.temporaryWritten)
        try Posix.sync(fd, path: path)
        try probe(.temporarySynced)
        close(fd)
        closed = true
        try folder.rename(name, to: "ducha.json", what: "替换台账快照")
        renamed = true
        try probe(.renamed)
        try folder.sync()
        snapshotIdentity = Posix.identity(path: snapshotPath)
        snapshotSize = writer.written
    }

    /// Removes temporary snapshots an interrupted compaction left (names of the pattern
    /// only; a link is removed, never followed; a folder is left alone).
    func removeStaleTemporaries(_ folder: Folder) {
        for name in folder.names() where Repository.isTemporaryName(name) { folder.remove(name) }
    }

    /// Temporary snapshots present in the folder (for `check`).
    func staleTemporaries() -> [String] {
        guard let folder = try? folder() else { return [] }
        return folder.names().filter(Repository.isTemporaryName)
    }

    // MARK: Histories

    /// The whole history of an item, for a ledger loaded without histories (`.summary`): the
    /// entries the snapshot holds, then those applied since. Nil when the item is unknown.
    public func history(of number: ItemNumber) throws(StoreError) -> [Entry]? {
        guard let item = ledger.item(number) else { return nil }
        if item.hasFullHistory { return item.history }
        let lock = try takeLock(exclusive: false)
        defer { withExtendedLifetime(lock) {} }
        _ = try catchUp()
        return try readHistory(of: number)
    }

    /// The same, under a lock the caller holds.
    func readHistory(of number: ItemNumber) throws(StoreError) -> [Entry]? {
        guard let current = ledger.item(number) else { return nil }
        if current.hasFullHistory { return current.history }
        let fd = try Posix.open(snapshotPath, O_RDONLY, in: folder(), what: "读取台账快照")
        defer { close(fd) }
        let map = try MappedFile(fd: fd, path: snapshotPath, what: "读取台账快照", sequential: false)
        let stored = try SnapshotCodec.decode(map.bytes, path: snapshotPath, only: [number]).item(number)?.history ?? []
        let last = stored.last?.seq ?? 0
        let history = stored + current.history.filter { $0.seq > last }
        guard history.count == current.eventCount else {
            throw .badSnapshot(snapshotPath, "\(number) 的办理记录有 \(history.count) 条，状态中记为 \(current.eventCount) 条")
        }
        return history
    }

    func probe(_ step: CompactionStep) throws(StoreError) {
        guard let compactionProbe else { return }
        do { try compactionProbe(step) } catch { throw .io(directory, "模拟崩溃（\(step.rawValue)）", EIO) }
    }
}

extension Repository.LoadMode {
    var isPartial: Bool {
        switch self {
        case .only, .openItems: true
        case .full, .summary, .queries: false
        }
    }
}

/// Writes a file in large pieces (a snapshot can be many megabytes; it is never held whole).
struct ChunkWriter {
    let fd: Int32
    let path: String
    private var buffer: [UInt8] = []
    private(set) var written = 0
    static let size = 1 << 20

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(ChunkWriter.size)
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) throws(StoreError) {
        if buffer.count + bytes.count > ChunkWriter.size { try flush() }
        if bytes.count >= ChunkWriter.size {
            try Posix.writeAll(fd, bytes, path: path)
        } else {
            buffer.append(contentsOf: bytes)
        }
        written += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) throws(StoreError) {
        try bytes.withUnsafeBufferPointer { (b) throws(StoreError) in try append(b) }
    }

    mutating func flush() throws(StoreError) {
        guard !buffer.isEmpty else { return }
        try Posix.writeAll(fd, buffer, path: path)
        buffer.removeAll(keepingCapacity: true)
    }
}
