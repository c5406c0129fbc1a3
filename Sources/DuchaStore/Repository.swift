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
    public private(set) var ledger: Ledger
    /// Notices for the user about the repository's condition (e.g. a torn line that was cut).
    public private(set) var warnings: [String] = []
    /// Journal bytes above which a commit also compacts; by default half the snapshot's size,
    /// at least 256 KiB, so compaction stays a small share of the work at every size.
    public var compactionThreshold: Int?
    /// Called at each step of compaction; tests throw from it to simulate a crash there.
    public var compactionProbe: ((CompactionStep) throws -> Void)?
    /// Called once when a commit has to wait for another process's lock.
    public var onLockWait: (() -> Void)?
    /// Compactions this process has done (for tests and benchmarks).
    public private(set) var compactions = 0

    var snapshotIdentity: Posix.Identity?
    var journalIdentity: Posix.Identity?
    /// Journal bytes already applied (up to the last complete line).
    var journalOffset = 0
    /// Journal lines already applied, for line numbers in messages.
    var journalLines = 0
    var snapshotSize = 0

    public enum CompactionStep: String, CaseIterable, Sendable {
        case beforeTemporaryWrite, temporaryHalfWritten, temporaryWritten, temporarySynced, renamed, directorySynced,
            journalTruncated
    }

    public var snapshotPath: String { directory + "/ducha.json" }
    public var journalPath: String { directory + "/journal.jsonl" }
    public var lockPath: String { directory + "/lock" }
    var temporaryPath: String { directory + "/ducha.json.tmp" }

    init(directory: String) {
        self.directory = directory
        ledger = Ledger()
    }

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
        let repo = Repository(directory: directory)
        try Posix.makeDirectory(directory)
        let lock = try FileLock(path: repo.lockPath, exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        guard !exists(at: directory) else { throw .alreadyExists(directory) }
        let journal = try Posix.open(repo.journalPath, O_WRONLY | O_TRUNC, create: true, what: "创建日志")
        close(journal)
        repo.ledger = ledger
        try repo.writeSnapshot()
        try repo.readIdentities()
        return repo
    }

    /// Opens and loads a repository.
    public static func open(at directory: String) throws(StoreError) -> Repository {
        guard exists(at: directory) else {
            if Posix.exists(directory), !Posix.isDirectory(directory) { throw .io(directory, "打开台账", ENOTDIR) }
            throw .notARepository(directory)
        }
        let repo = Repository(directory: directory)
        let lock = try FileLock(path: repo.lockPath, exclusive: false)
        try repo.loadAll()
        withExtendedLifetime(lock) {}
        return repo
    }

    /// Reads the snapshot and the whole journal (the caller holds a lock).
    func loadAll() throws(StoreError) {
        let fd = try Posix.open(snapshotPath, O_RDONLY, what: "读取台账快照")
        defer { close(fd) }
        let bytes = try Posix.readAll(fd, path: snapshotPath)
        let identity = Posix.identity(fd)
        var loaded = try SnapshotCodec.decode(bytes, path: snapshotPath)
        let (scan, journalID) = try readJournal(from: 0, firstLine: 1)
        try apply(scan, to: &loaded, firstLine: 1)
        ledger = loaded
        snapshotIdentity = identity
        snapshotSize = bytes.count
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

    func readJournal(from offset: Int, firstLine: Int) throws(StoreError) -> (JournalCodec.Scan, Posix.Identity?) {
        let fd: Int32
        do throws(StoreError) {
            fd = try Posix.open(journalPath, O_RDONLY, what: "读取台账日志")
        } catch {
            // A journal that does not exist yet (a crash right after creation) is an empty one.
            if case .io(_, _, let e) = error, e == ENOENT { return (JournalCodec.Scan(), nil) }
            throw error
        }
        defer { close(fd) }
        let bytes = try Posix.readAll(fd, path: journalPath, from: offset)
        return (try JournalCodec.scan(bytes, firstLine: firstLine, path: journalPath), Posix.identity(fd))
    }

    /// Applies journal entries not yet in `ledger` (a crash between renaming a new snapshot and
    /// truncating the journal leaves lines the snapshot already holds: they are skipped).
    func apply(_ scan: JournalCodec.Scan, to ledger: inout Ledger, firstLine: Int) throws(StoreError) {
        var line = firstLine
        for e in scan.entries {
            defer { line += 1 }
            if e.seq <= ledger.seq { continue }
            do throws(CoreError) { try ledger.apply(e) } catch {
                throw .badJournal(journalPath, line, error.message)
            }
        }
    }

    func readIdentities() throws(StoreError) {
        snapshotIdentity = Posix.identity(path: snapshotPath)
        journalIdentity = Posix.identity(path: journalPath)
        snapshotSize = snapshotIdentity?.size ?? 0
        journalOffset = journalIdentity?.size ?? 0
    }

    // MARK: Refreshing

    /// Picks up what other processes committed since this one last looked. Returns true when
    /// the ledger changed. Cheap when nothing changed: two stat calls.
    @discardableResult
    public func refresh() throws(StoreError) -> Bool {
        let snap = Posix.identity(path: snapshotPath)
        let journal = Posix.identity(path: journalPath)
        if snap == snapshotIdentity, journal?.device == journalIdentity?.device, journal?.inode == journalIdentity?.inode,
            (journal?.size ?? 0) == journalOffset || (journal?.size ?? 0) == journalOffset + tornTail
        {
            return false
        }
        let lock = try FileLock(path: lockPath, exclusive: false)
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
        if snap != snapshotIdentity || !sameJournal || (journal?.size ?? 0) < journalOffset {
            try loadAll()
            tornTail = 0
            return true
        }
        let before = ledger.seq
        let (scan, id) = try readJournal(from: journalOffset, firstLine: journalLines + 1)
        try apply(scan, to: &ledger, firstLine: journalLines + 1)
        journalOffset += scan.consumed
        journalLines += scan.lines
        journalIdentity = id
        tornTail = scan.tornBytes
        return ledger.seq != before
    }

    // MARK: Committing

    /// Judges `command` from `login` against the current state and records it. Waits for other
    /// writers. Returns the entries written. Nothing is written when the request is refused.
    @discardableResult
    public func commit(_ command: Command, login: String, at time: Timestamp, today: Day) throws(StoreError) -> [Entry] {
        let lock = try FileLock(path: lockPath, exclusive: true, onWait: onLockWait)
        defer { withExtendedLifetime(lock) {} }
        _ = try catchUp()
        let decision: Decision
        do throws(CoreError) {
            let actor = try ledger.actor(login: login)
            decision = try Workflow.decide(command, by: actor, in: ledger, today: today)
        } catch {
            throw .refused(error)
        }
        var entries: [Entry] = []
        var bytes: [UInt8] = []
        for (i, change) in decision.changes.enumerated() {
            let e = Entry(
                seq: ledger.seq + 1 + i, at: time, actor: login, unit: decision.unit, proxy: decision.proxy, change: change)
            entries.append(e)
            bytes.append(contentsOf: EntryCodec.line(e))
        }
        try append(bytes)
        for e in entries {
            do throws(CoreError) { try ledger.apply(e) } catch {
                // Cannot happen for a decision the workflow accepted; reload rather than diverge.
                try loadAll()
                break
            }
        }
        journalLines += entries.count
        if journalOffset > (compactionThreshold ?? max(256 << 10, snapshotSize / 2)) {
            try compact()
        }
        return entries
    }

    /// Records several commands at once, all or nothing: each is judged against the state the
    /// ones before it leave (units created before the items that name them), and the lines are
    /// appended with one write and one fsync. Used by `import`.
    @discardableResult
    public func commitAll(_ commands: [Command], login: String, at time: Timestamp, today: Day) throws(StoreError) -> [Entry] {
        let lock = try FileLock(path: lockPath, exclusive: true, onWait: onLockWait)
        defer { withExtendedLifetime(lock) {} }
        _ = try catchUp()
        var scratch = ledger
        var entries: [Entry] = []
        var bytes: [UInt8] = []
        do throws(CoreError) {
            for command in commands {
                let actor = try scratch.actor(login: login)
                let d = try Workflow.decide(command, by: actor, in: scratch, today: today)
                for change in d.changes {
                    let e = Entry(seq: scratch.seq + 1, at: time, actor: login, unit: d.unit, proxy: d.proxy, change: change)
                    try scratch.apply(e)
                    entries.append(e)
                    bytes.append(contentsOf: EntryCodec.line(e))
                }
            }
        } catch {
            throw .refused(error)
        }
        try append(bytes)
        ledger = scratch
        journalLines += entries.count
        if journalOffset > (compactionThreshold ?? max(256 << 10, snapshotSize / 2)) { try compact() }
        return entries
    }

    /// Appends bytes to the journal and fsyncs. A torn line left by an earlier crash is cut
    /// first. On failure (disk full, read-only) the journal is cut back so that no partial line
    /// stays behind, and the error is thrown with nothing applied.
    func append(_ bytes: [UInt8]) throws(StoreError) {
        let fd = try Posix.open(journalPath, O_WRONLY, create: true, what: "写入台账日志")
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

    /// Folds the journal into a new snapshot. The caller holds the exclusive lock.
    public func compact() throws(StoreError) {
        try writeSnapshot()
        try probe(.directorySynced)
        let fd = try Posix.open(journalPath, O_WRONLY, create: true, what: "清理台账日志")
        defer { close(fd) }
        guard ftruncate(fd, 0) == 0 else { throw .io(journalPath, "清理台账日志", errno) }
        try Posix.sync(fd, path: journalPath)
        try probe(.journalTruncated)
        compactions += 1
        journalOffset = 0
        journalLines = 0
        journalIdentity = Posix.identity(fd)
    }

    /// Writes the ledger as the new snapshot: temporary file, fsync, rename, fsync the folder.
    func writeSnapshot() throws(StoreError) {
        let bytes = SnapshotCodec.encode(ledger)
        try probe(.beforeTemporaryWrite)
        unlink(temporaryPath)  // left by an earlier crash; we hold the lock, so it is stale
        let fd = try Posix.open(temporaryPath, O_WRONLY | O_TRUNC | O_EXCL, create: true, what: "写入台账快照")
        var closed = false
        defer { if !closed { close(fd) } }
        // Keep the group of the snapshot it replaces, so every unit keeps access.
        if let old = Posix.identity(path: snapshotPath) {
            var st = stat()
            if stat(snapshotPath, &st) == 0, old.inode == UInt64(st.st_ino) { _ = fchown(fd, uid_t.max, st.st_gid) }
        }
        if compactionProbe != nil {
            try Posix.writeAll(fd, Array(bytes.prefix(bytes.count / 2)), path: temporaryPath)
            try probe(.temporaryHalfWritten)
            try Posix.writeAll(fd, Array(bytes.dropFirst(bytes.count / 2)), path: temporaryPath)
        } else {
            try Posix.writeAll(fd, bytes, path: temporaryPath)
        }
        try probe(.temporaryWritten)
        try Posix.sync(fd, path: temporaryPath)
        try probe(.temporarySynced)
        close(fd)
        closed = true
        guard rename(temporaryPath, snapshotPath) == 0 else { throw .io(snapshotPath, "替换台账快照", errno) }
        try probe(.renamed)
        try Posix.syncDirectory(directory)
        snapshotIdentity = Posix.identity(path: snapshotPath)
        snapshotSize = bytes.count
    }

    func probe(_ step: CompactionStep) throws(StoreError) {
        guard let compactionProbe else { return }
        do { try compactionProbe(step) } catch { throw .io(directory, "模拟崩溃（\(step.rawValue)）", EIO) }
    }
}
