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

    /// Opens a file that must not be a symbolic link.
    static func open(_ path: String, _ flags: Int32, create: Bool = false, what: String) throws(StoreError) -> Int32 {
        var f = flags | O_CLOEXEC | O_NOFOLLOW
        if create { f |= O_CREAT }
        let fd = Glibc.open(path, f, 0o600)
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP { throw .symlink(path) }
            throw .io(path, what, e)
        }
        if create {
            // The folder's access whatever the umask (see fileMode).
            let mode = fileMode(inFolderOf: path)
            var st = stat()
            if fstat(fd, &st) == 0, st.st_mode & 0o777 != mode, st.st_uid == geteuid() {
                _ = fchmod(fd, mode)
            }
        }
        return fd
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

    static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An advisory lock on the repository's lock file (flock(2)): shared for reading, exclusive
/// for committing. Released when the value's file descriptor is closed.
final class FileLock {
    let fd: Int32

    /// Takes the lock, waiting for other processes; `onWait` is called once if it has to wait.
    init(path: String, exclusive: Bool, onWait: (() -> Void)? = nil) throws(StoreError) {
        var fd: Int32
        do throws(StoreError) {
            fd = try Posix.open(path, O_RDWR, create: true, what: "打开锁文件")
        } catch {
            // A user with read-only access can still take a shared lock on an existing file.
            guard !exclusive, case .io(_, _, let e) = error, e == EACCES || e == EROFS else { throw error }
            fd = try Posix.open(path, O_RDONLY, what: "打开锁文件")
        }
        let op = exclusive ? LOCK_EX : LOCK_SH
        if flock(fd, op | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let e = errno
                close(fd)
                throw .io(path, "加锁", e)
            }
            onWait?()
            while flock(fd, op) != 0 {
                guard errno == EINTR else {
                    let e = errno
                    close(fd)
                    throw .io(path, "加锁", e)
                }
            }
        }
        self.fd = fd
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
