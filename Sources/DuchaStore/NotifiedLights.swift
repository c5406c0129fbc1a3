#if canImport(Glibc)
    import Glibc
#endif

/// The lights the 临期 and 逾期 hooks were last run for (item number → light), kept with the
/// ledger so that each change of an item's light is notified once, whichever ducha run — on
/// whichever host — finds it: `hooks-state` in a repository folder, a table in a database.
public protocol NotifiedLights: AnyObject {
    /// Whether the ledger as read holds every item's state (lights can be compared only then).
    var readsEveryItem: Bool { get }
    /// Whether the store's `ItemQueries` ask the whole store whatever was read (a database):
    /// then the red and yellow items are found by query when the ledger was not read whole.
    var queriesSeeEveryItem: Bool { get }
    /// Calls `update` with the lights notified so far, holding the store's notice lock, and keeps
    /// what it returns. Returns false without calling `update` when another run holds the lock
    /// (it is looking at the same lights).
    @discardableResult
    func updateNotifiedLights(_ update: ([String: String]) -> [String: String]) throws(StoreError) -> Bool
}

extension Repository: NotifiedLights {
    /// The file in the repository folder: one line per open item notified as yellow or red,
    /// "number<TAB>light", under its own record lock.
    public static let notifiedLightsName = "hooks-state"

    public var readsEveryItem: Bool {
        if case .only = mode { return false }
        return true
    }

    /// The files answer queries from the ledger in memory, which may hold one item only.
    public var queriesSeeEveryItem: Bool { false }

    public func updateNotifiedLights(_ update: ([String: String]) -> [String: String]) throws(StoreError) -> Bool {
        let path = directory + "/" + Repository.notifiedLightsName
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path, "打开", errno) }
        defer { close(fd) }
        // Another run is notifying right now: it will see the same lights. A record lock, not
        // flock: it belongs to this process, so a child another thread forks meanwhile (a hook,
        // in a process running several things at once) does not go on holding it after this
        // run has closed the file.
        var lock = Glibc.flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        guard fcntl(fd, F_SETLK, &lock) == 0 else { return false }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = Glibc.read(fd, &buffer, buffer.count)
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        var old: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { old[String(parts[0])] = String(parts[1]) }
        }
        let new = update(old)
        guard new != old else { return true }
        let text = Array(new.keys.sorted().map { "\($0)\t\(new[$0]!)\n" }.joined().utf8)
        guard ftruncate(fd, 0) == 0, text.withUnsafeBytes({ pwrite(fd, $0.baseAddress, $0.count, 0) }) == text.count,
            fsync(fd) == 0
        else { throw .io(path, "写入", errno) }
        return true
    }
}
