import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

extension Repository {
    /// Whether the repository holds nothing yet but its creation (and, on a server, its office
    /// users): what a whole exported ledger may be imported into.
    public var isFresh: Bool {
        ledger.units.isEmpty && ledger.items.isEmpty && ledger.notices.isEmpty
            && ledger.log.allSatisfy { e in
                switch e.change {
                case .initialize: true
                case .addUser(let u): u.role == .supervisor
                default: false
                }
            }
    }

    /// Replaces a fresh repository's contents with the ledger a whole export's `entries` make:
    /// every record as it was (time, actor, unit, sequence number), judged as `ducha check` judges
    /// it and chained anew from the first, then one record of the import itself, made by `login`
    /// — who must be the office in the imported roster — at the clock's time. Written as a new
    /// snapshot (temporary file, fsync, rename), so that a crash leaves the repository either as
    /// it was or imported. Returns that last record.
    public func restore(
        entries: [Entry], sha256: String, login: String, uid: UInt32?, clock: RecordClock
    ) throws(StoreError) -> Entry {
        let lock = try takeLock(exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        _ = try catchUp()
        guard isFresh else {
            throw .refused(
                .notAllowedNow("整个台账只能导入到刚用 ducha init 新建的空台账中：本台账已有 \(ledger.seq) 条记录（单位、事项或其他设置）"))
        }
        var restored: Ledger
        let marker: Entry
        do throws(CoreError) {
            restored = try LedgerExport.fold(entries)
        } catch {
            throw .refused(error)
        }
        let (at, today) = try clock.read(for: restored)
        do throws(CoreError) {
            let actor = try restored.actor(login: login, uid: uid)
            let d = try Workflow.decide(
                .importLedger(records: entries.count, sha256: sha256), by: actor, in: restored, today: today)
            marker = Entry(seq: restored.seq + 1, at: at, actor: actor.login, change: d.changes[0])
            try restored.apply(marker)
        } catch {
            throw .refused(error)
        }
        restored.chainFrom = 1
        restored.chainHead = Chain.head(of: restored)
        let bytes = SnapshotCodec.encode(restored)
        try writeSnapshot { (w: inout ChunkWriter) throws(StoreError) in
            try w.append(Array(bytes.prefix(bytes.count / 2)))
            try probe(.temporaryHalfWritten)
            try w.append(Array(bytes.dropFirst(bytes.count / 2)))
        }
        let fd = try Posix.open(journalPath, O_WRONLY, create: true, what: "清理台账日志")
        defer { close(fd) }
        guard ftruncate(fd, 0) == 0 else { throw .io(journalPath, "清理台账日志", errno) }
        try Posix.sync(fd, path: journalPath)
        try loadAll()
        return marker
    }
}
