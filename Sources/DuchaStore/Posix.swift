#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over the system calls the repository needs, each failing with a StoreError
/// that names the file and the reason.
enum Posix {
    /// A file's mode follows its folder's: 0600 in a private folder (the system repository,
    /// 0700, owned by the service account; a single user's), 0660 in a group-shared one.
    static func fileMode(inFolderOf path: String) -> mode_t {
        var st = stat()
        guard stat(parent(of: path), &st) == 0, st.st_mode & 0o070 == 0o070 else { return 0o600 }
        return 0o660
    }

    /// Opens a file that must be a regular file: never through a symbolic link (O_NOFOLLOW),
    /// never waiting on a named pipe or a device (O_NONBLOCK), and refused unless fstat says
    /// it is a regular file. `folder` opens it relative to a folder already opened (a
    /// repository's, see `Folder`); `exclusive` creates it and fails if the name exists.
    static func open(
        _ path: String, _ flags: Int32, create: Bool = false, exclusive: Bool = false, in folder: Folder? = nil,
        mode: mode_t? = nil, what: String
    ) throws(StoreError) -> Int32 {
        var f = flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK
        if create || exclusive { f |= O_CREAT }
        if exclusive { f |= O_EXCL }
        // Unless told otherwise, a file takes its folder's access (see fileMode(inFolderOf:)).
        let mode = mode ?? folder?.privateFileMode ?? fileMode(inFolderOf: path)
        let fd: Int32
        if let folder {
            fd = openat(folder.fd, Posix.name(of: path), f, mode)
        } else {
            fd = Glibc.open(path, f, mode)
        }
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP { throw .symlink(path) }
            // A named pipe opened for writing with no reader, or a folder opened for writing.
            if e == ENXIO || e == EISDIR || e == ENODEV || e == EOPNOTSUPP,
                let kind = Posix.kind(of: folder.map { ($0.fd, Posix.name(of: path)) } ?? (AT_FDCWD, path))
            {
                throw .notRegular(path, kind)
            }
            throw .io(path, what, e)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw .io(path, what, e)
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .notRegular(path, Posix.kind(st.st_mode))
        }
        if create || exclusive, st.st_mode & 0o777 != mode, st.st_uid == geteuid() {
            // The mode asked for whatever the umask (group read/write, so the office and the
            // units can share the repository).
            _ = fchmod(fd, mode)
        }
        return fd
    }

    /// What a file that is not a regular file is, in words (nil when it is one, or is not there).
    static func kind(of at: (Int32, String)) -> String? {
        var st = stat()
        guard fstatat(at.0, at.1, &st, AT_SYMLINK_NOFOLLOW) == 0, st.st_mode & S_IFMT != S_IFREG else { return nil }
        return kind(st.st_mode)
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "普通文件"
        case S_IFDIR: return "目录"
        case S_IFLNK: return "符号链接"
        case S_IFIFO: return "命名管道"
        case S_IFSOCK: return "套接字"
        case S_IFCHR: return "字符设备"
        case S_IFBLK: return "块设备"
        default: return "未知类型"
        }
    }

    /// The last component of a path.
    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `count` characters from [A-Za-z0-9] drawn from the kernel's random source (the
    /// standard library's system generator, which reads getrandom(2) on Linux), for names
    /// nobody can predict.
    static func randomSuffix(_ count: Int = 8) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var g = SystemRandomNumberGenerator()
        return String(decoding: (0..<count).map { _ in alphabet.randomElement(using: &g)! }, as: UTF8.self)
    }

    /// Reads a whole file, refusing one larger than `limit` bytes before reading it.
    static func readAll(_ fd: Int32, path: String, limit: Int) throws(StoreError) -> [UInt8] {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path, "读取", errno) }
        guard Int(st.st_size) <= limit else { throw .tooLarge(path, Int(st.st_size), limit) }
        let bytes = try readAll(fd, path: path)
        guard bytes.count <= limit else { throw .tooLarge(path, bytes.count, limit) }
        return bytes
    }

    static func readAll(_ fd: Int32, path: String, from offset: Int = 0) throws(StoreError) -> [UInt8] {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path, "读取", errno) }
        let size = Int(st.st_size)
        var out: [UInt8] = []
        guard size > offset else { return out }
        out.reserveCapacity(size - offset)
        var chunk = [UInt8](repeating: 0, count: min(1 << 20, max(4096, size - offset)))
        var pos = offset
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(pos)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path, "读取", errno)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            pos += n
        }
        return out
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StoreError) {
        try bytes.withUnsafeBufferPointer { (b) throws(StoreError) in try writeAll(fd, b, path: path) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path, "写入", errno)
            }
            done += n
        }
    }

    static func sync(_ fd: Int32, path: String) throws(StoreError) {
        guard fsync(fd) == 0 else { throw .io(path, "写入磁盘（fsync）", errno) }
    }

    static func syncDirectory(_ path: String) throws(StoreError) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path, "打开目录", errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(path, "写入磁盘（fsync）", errno) }
    }

    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int
        var modified: Int
        var modifiedNanos: Int
    }

    static func identity(_ fd: Int32) -> Identity? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return Identity(
            device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int(st.st_size), modified: Int(st.st_mtim.tv_sec),
            modifiedNanos: Int(st.st_mtim.tv_nsec))
    }

    static func identity(path: String) -> Identity? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return Identity(
            device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int(st.st_size), modified: Int(st.st_mtim.tv_sec),
            modifiedNanos: Int(st.st_mtim.tv_nsec))
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates the folder (and missing parents), private to its owner (0700) — or, inside a
    /// group-shared folder (setgid, group rwx), shared the same way (2770).
    static func makeDirectory(_ path: String) throws(StoreError) {
        if isDirectory(path) { return }
        let parent = Posix.parent(of: path)
        if parent != path, !parent.isEmpty, !isDirectory(parent) { try makeDirectory(parent) }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw .io(path, "创建目录", errno) }
        var st = stat()
        if stat(parent, &st) == 0, st.st_mode & 0o2070 == 0o2070 { _ = chmod(path, 0o2770) }
    }

    static func parent(of path: String) -> String {
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        guard let slash = p.lastIndex(of: "/") else { return "." }
        return slash == p.startIndex ? "/" : String(p[..<slash])
    }

    /// Seconds on the monotonic clock.
    static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A folder opened once without following a symbolic link (O_DIRECTORY | O_NOFOLLOW). A
/// repository's files are opened, created, renamed and removed relative to it, so a link or
/// a pipe planted in it is never followed or waited on, and the folder cannot be swapped for
/// another under a running command.
final class Folder {
    let fd: Int32
    let path: String
    /// The folder's permission bits when it was opened.
    let mode: mode_t

    init(_ path: String) throws(StoreError) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            var st = stat()
            if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK { throw .symlink(path) }
            throw .io(path, "打开目录", e)
        }
        var st = stat()
        fstat(fd, &st)
        self.fd = fd
        self.path = path
        mode = st.st_mode & 0o7777
    }

    private init(fd: Int32, path: String, mode: mode_t) {
        self.fd = fd
        self.path = path
        self.mode = mode
    }

    deinit { close(fd) }

    /// The path of `name` in this folder (for messages).
    func path(_ name: String) -> String { path + "/" + name }

    /// Whether the repository is shared with its group: the folder gives the group access.
    var groupShared: Bool { mode & 0o070 != 0 }

    /// The mode for a private folder made in it: the owner's, and the group's when shared.
    var privateFolderMode: mode_t { 0o700 | (groupShared ? (mode & 0o070) | (mode & S_ISGID) : 0) }

    /// The mode for a private file made in it: the owner's, and the group's when shared.
    var privateFileMode: mode_t { 0o600 | (groupShared ? mode & 0o060 : 0) }

    /// A subfolder, opened without following a link; made with `mode` when missing and
    /// `create`, nil when missing otherwise.
    func subfolder(_ name: String, create: Bool, mode: mode_t) throws(StoreError) -> Folder? {
        if create {
            if mkdirat(fd, name, mode) == 0 {
                // The mode asked for, whatever the umask.
                let made = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if made >= 0 {
                    _ = fchmod(made, mode)
                    return Folder(fd: made, path: path(name), mode: mode)
                }
            } else if errno != EEXIST {
                throw .io(path(name), "创建目录", errno)
            }
        }
        let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard sub >= 0 else {
            let e = errno
            if e == ENOENT, !create { return nil }
            if let kind = Posix.kind(of: (fd, name)), kind != "目录" {
                if kind == "符号链接" { throw .symlink(path(name)) }
                throw .notRegular(path(name), kind)
            }
            throw .io(path(name), "打开目录", e)
        }
        var st = stat()
        fstat(sub, &st)
        return Folder(fd: sub, path: path(name), mode: st.st_mode & 0o7777)
    }

    /// The names in the folder (without . and ..), sorted.
    func names() -> [String] {
        let copy = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard copy >= 0, let dir = fdopendir(copy) else { return [] }
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

    /// lstat of a name in the folder.
    func status(_ name: String) -> stat? {
        var st = stat()
        return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? st : nil
    }

    func rename(_ from: String, to: String, what: String) throws(StoreError) {
        guard renameat(fd, from, fd, to) == 0 else { throw .io(path(to), what, errno) }
    }

    /// Removes a name that is not a folder; a link is removed, never followed.
    @discardableResult
    func remove(_ name: String) -> Bool { unlinkat(fd, name, 0) == 0 }

    func sync() throws(StoreError) {
        guard fsync(fd) == 0 else { throw .io(path, "写入磁盘（fsync）", errno) }
    }
}

/// An advisory lock on the repository's lock file (flock(2)): shared for reading, exclusive
/// for committing. Released when the value's file descriptor is closed. Waiting for another
/// process never blocks for good: the lock is tried every few milliseconds (at most 50 ms
/// apart), `onWait` is called once after a second, `shouldGiveUp` is asked at every try (the
/// interface reads keys there), and after `timeout` seconds the wait is given up.
final class FileLock {
    let fd: Int32

    struct Waiting {
        var timeout: Double = 30
        var onWait: (() -> Void)? = nil
        var shouldGiveUp: (() -> Bool)? = nil
    }

    init(in folder: Folder, name: String = "lock", exclusive: Bool, waiting: Waiting = Waiting()) throws(StoreError) {
        let path = folder.path(name)
        let fd = try FileLock.openFile(folder, path, exclusive: exclusive)
        do throws(StoreError) {
            if try !FileLock.take(fd, path, exclusive: exclusive) {
                try FileLock.wait(fd, path, exclusive: exclusive, waiting)
            }
        } catch {
            close(fd)
            throw error
        }
        self.fd = fd
    }

    private init(fd: Int32) { self.fd = fd }

    /// The lock if no other process holds it, nil at once otherwise (the interface's
    /// periodic refresh never waits).
    static func attempt(in folder: Folder, name: String = "lock", exclusive: Bool) throws(StoreError) -> FileLock? {
        let path = folder.path(name)
        let fd = try openFile(folder, path, exclusive: exclusive)
        do throws(StoreError) {
            guard try take(fd, path, exclusive: exclusive) else {
                close(fd)
                return nil
            }
        } catch {
            close(fd)
            throw error
        }
        return FileLock(fd: fd)
    }

    static func openFile(_ folder: Folder, _ path: String, exclusive: Bool) throws(StoreError) -> Int32 {
        do throws(StoreError) {
            return try Posix.open(path, O_RDWR, create: true, in: folder, what: "打开锁文件")
        } catch {
            // A user with read-only access can still take a shared lock on an existing file.
            guard !exclusive, case .io(_, _, let e) = error, e == EACCES || e == EROFS else { throw error }
            return try Posix.open(path, O_RDONLY, in: folder, what: "打开锁文件")
        }
    }

    /// Takes the lock without waiting; false when another process holds it.
    static func take(_ fd: Int32, _ path: String, exclusive: Bool) throws(StoreError) -> Bool {
        while flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return false }
            throw .io(path, "加锁", errno)
        }
        return true
    }

    static func wait(_ fd: Int32, _ path: String, exclusive: Bool, _ waiting: Waiting) throws(StoreError) {
        let start = Posix.seconds()
        var announced = false
        var pause: UInt32 = 1000
        while true {
            if waiting.shouldGiveUp?() == true { throw .lockAbandoned(path) }
            let waited = Posix.seconds() - start
            if !announced, waited >= 1 {
                announced = true
                waiting.onWait?()
            }
            if waited >= waiting.timeout { throw .lockTimeout(path, waiting.timeout) }
            usleep(pause)
            pause = min(pause * 2, 50_000)
            if try take(fd, path, exclusive: exclusive) { return }
        }
    }

    deinit { close(fd) }
}

/// A file mapped read-only into memory. The repository replaces its snapshot by renaming a new
/// file over it and never changes one in place, so a mapping stays valid while it is read.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    let identity: Posix.Identity?
    private let base: UnsafeMutableRawPointer?
    private let length: Int

    /// Maps the file open on `fd`; `sequential` asks the kernel to read ahead (whole-file reads).
    init(fd: Int32, path: String, what: String, sequential: Bool) throws(StoreError) {
        identity = Posix.identity(fd)
        length = identity?.size ?? 0
        guard length > 0 else {
            base = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        // Whole-file reads map every page at once (MAP_POPULATE) rather than fault them in.
        guard let p = mmap(nil, length, PROT_READ, MAP_PRIVATE | (sequential ? MAP_POPULATE : 0), fd, 0), p != MAP_FAILED else {
            throw .io(path, what, errno)
        }
        base = p
        bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: length)
    }

    deinit { if let base { munmap(base, length) } }
}
