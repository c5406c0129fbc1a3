import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// The data shipped with ducha (data/ in the source tree, share/ducha when installed): work
/// calendars (calendar/YYYY.json), default settings (settings.json) and the demo (demo.json).
/// A repository adds tables of its own with `calendar add`, recorded in its history, which take
/// precedence — so an office can enter next year's table as soon as the State Council
/// publishes it. Only recorded tables count: a file dropped into a folder changes nothing.
public struct DataDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The calendar from the shipped tables and the tables a repository recorded.
    public func calendar(recorded: [HolidayTable] = []) throws(StoreError) -> WorkCalendar {
        var tables: [Int: HolidayTable] = [:]
        for folder in [path + "/calendar"] {
            for name in DataDirectory.list(folder) where name.hasSuffix(".json") {
                let file = folder + "/" + name
                let bytes = try DataDirectory.read(file, limit: DataDirectory.maxCalendarSize)
                let table: HolidayTable
                do throws(CoreError) {
                    table = try HolidayTable.decode(bytes, file: file)
                } catch {
                    throw .badDataFile(file, error.message)
                }
                guard name == "\(table.year).json" else { throw .badDataFile(file, "文件名应为 \(table.year).json") }
                tables[table.year] = table
            }
        }
        for t in recorded { tables[t.year] = t }
        return WorkCalendar(tables: Array(tables.values))
    }

    /// Default settings for a new repository.
    public func settings() throws(StoreError) -> Settings {
        let file = path + "/settings.json"
        let bytes = try DataDirectory.read(file)
        do throws(JSONError) {
            var s = try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) -> Settings in
                let s = try EntryCodec.decodeSettings(&r)
                try r.expectEnd()
                return s
            }
            // Check every value the way a user's change would be checked.
            for (key, _) in Settings.keys {
                if let v = s.value(forKey: key) {
                    do throws(CoreError) { try s.set(key, to: v) } catch { throw JSONError(message: error.message, offset: 0) }
                }
            }
            return s
        } catch {
            throw .badDataFile(file, error.message)
        }
    }

    public func demo() throws(StoreError) -> DemoScenario {
        let file = path + "/demo.json"
        let bytes = try DataDirectory.read(file)
        do throws(CoreError) {
            return try DemoScenario.decode(bytes, file: file)
        } catch {
            throw .badDataFile(file, error.message)
        }
    }

    /// The largest calendar file read (a year's table is a few kilobytes).
    public static let maxCalendarSize = 1 << 20

    /// Reads a whole file.
    public static func read(_ file: String) throws(StoreError) -> [UInt8] {
        let fd = Glibc.open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(file, "读取", errno) }
        defer { close(fd) }
        return try Posix.readAll(fd, path: file)
    }

    /// The largest file a person may give to read (a ledger sheet, a mapping, a holiday table).
    public static let maxGivenSize = 256 << 20

    /// Reads a file a person names (a sheet to import, a mapping, a holiday table, the editor's
    /// text): never through a symbolic link, never waiting on a named pipe or a device (regular
    /// files only, refused in Chinese), never more than `limit` bytes.
    public static func readGiven(_ path: String, limit: Int = maxGivenSize) throws(StoreError) -> [UInt8] {
        let fd = try Posix.open(path, O_RDONLY, what: "读取")
        defer { close(fd) }
        return try Posix.readAll(fd, path: path, limit: limit)
    }

    /// Reads a whole file of at most `limit` bytes.
    public static func read(_ file: String, limit: Int) throws(StoreError) -> [UInt8] {
        let fd = Glibc.open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .io(file, "读取", errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(file, "读取", errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .notRegular(file, Posix.kind(st.st_mode)) }
        return try Posix.readAll(fd, path: file, limit: limit)
    }

    /// Names in a folder (empty when it does not exist).
    public static func list(_ folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Installs a calendar file into a repository's calendar folder after checking it.
    /// Reads a holiday table file given to `calendar add`, with the SHA-256 of its bytes.
    public static func readCalendar(_ file: String) throws(StoreError) -> (HolidayTable, String) {
        try readCalendar(try read(file), file: file)
    }

    /// A holiday table from bytes the caller read from `file` (with the user's own rights), with
    /// the SHA-256 of those bytes.
    public static func readCalendar(_ bytes: [UInt8], file: String) throws(StoreError) -> (HolidayTable, String) {
        guard bytes.count <= 1 << 20 else { throw .badDataFile(file, "文件过大（超过 1 MiB），不是节假日安排") }
        let table: HolidayTable
        do throws(CoreError) { table = try HolidayTable.decode(bytes, file: file) } catch {
            throw .badDataFile(file, error.message)
        }
        return (table, Chain.hash(bytes))
    }
}

/// Writes a whole file atomically: a temporary file in the same folder, with a name nobody
/// can predict and created exclusively (never through a planted link), fsync, rename.
public enum AtomicFile {
    /// Replaces only a regular file: a named pipe, a link or a device at `path` is refused and
    /// left as it is. A folder that is not there is named, not the temporary file.
    public static func write(_ bytes: [UInt8], to path: String) throws(StoreError) {
        if let kind = Posix.kind(of: (AT_FDCWD, path)) { throw .notRegular(path, kind) }
        let tmp = path + ".tmp." + Posix.randomSuffix()
        let fd: Int32
        do throws(StoreError) { fd = try Posix.open(tmp, O_WRONLY, exclusive: true, what: "写入") } catch {
            if case .io(_, let what, let e) = error { throw .io(e == ENOENT ? Posix.parent(of: path) : path, what, e) }
            throw error
        }
        do throws(StoreError) {
            try Posix.writeAll(fd, bytes, path: path)
            try Posix.sync(fd, path: path)
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        close(fd)
        guard rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            throw .io(path, "写入", e)
        }
        try? Posix.syncDirectory(Posix.parent(of: path))
    }

    /// The same inside a folder opened without following links (a repository's).
    static func write(_ bytes: [UInt8], in folder: Folder, name: String, mode: mode_t) throws(StoreError) {
        let tmp = name + ".tmp." + Posix.randomSuffix()
        let fd = try Posix.open(folder.path(tmp), O_WRONLY, exclusive: true, in: folder, mode: mode, what: "写入")
        var done = false
        defer {
            if !done { folder.remove(tmp) }
        }
        do throws(StoreError) {
            try Posix.writeAll(fd, bytes, path: folder.path(name))
            try Posix.sync(fd, path: folder.path(name))
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        try folder.rename(tmp, to: name, what: "写入")
        done = true
        try? folder.sync()
    }

    /// Refuses an export into the repository folder (or a folder inside it, or one that
    /// leads there through a link): it could replace the repository's own files. Compares
    /// the real path of the output's folder with the repository's.
    public static func checkOutside(_ path: String, repository: String) throws(StoreError) {
        guard let repo = realPath(repository) else { return }
        // The output's folder, or the output itself when it is a folder (reminders).
        var folder = Posix.isDirectory(path) ? path : Posix.parent(of: path)
        // A folder still to be made: judge by the nearest one that exists.
        while realPath(folder) == nil, Posix.parent(of: folder) != folder { folder = Posix.parent(of: folder) }
        guard let real = realPath(folder) else { return }
        if real == repo || real.hasPrefix(repo == "/" ? "/" : repo + "/") { throw .insideRepository(path, repository) }
    }

    static func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    /// Refuses, before anything is recorded, a path `write` could not write: a directory, or
    /// one whose folder is missing or not writable (a notice is issued only when it is saved).
    public static func checkWritable(_ path: String) throws(StoreError) {
        if Posix.isDirectory(path) { throw .io(path, "写入", EISDIR) }
        let folder = Posix.parent(of: path)
        guard Posix.isDirectory(folder) else { throw .io(path, "写入", ENOENT) }
        guard access(folder, W_OK) == 0 else { throw .io(path, "写入", errno) }
    }

    /// The folder exported papers go into, made when it is not there yet (its parent must be);
    /// true when it was made.
    @discardableResult
    public static func makeOutputDirectory(_ path: String) throws(StoreError) -> Bool {
        if Posix.isDirectory(path) { return false }
        guard mkdir(path, 0o777) == 0 else { throw .io(path, "创建目录", errno) }
        return true
    }
}
