import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// ducha installed for a shared server: the binary setuid to the service account `ducha`, the
/// system repository (default /var/lib/ducha, 0700, the service account's), and the
/// configuration file that names it (/etc/ducha.conf, or PREFIX/etc/ducha.conf for a binary
/// installed elsewhere than /usr or /usr/local).
enum SystemInstall {
    static let serviceAccount = "ducha"
    static let defaultRepository = "/var/lib/ducha"

    /// PREFIX of the running binary (PREFIX/bin/ducha), when it can be told.
    static var prefix: String? {
        guard let exe = Environment.executablePath() else { return nil }
        return Environment.parent(Environment.parent(exe))
    }

    /// Where the configuration file is for this binary.
    static var configPath: String? {
        guard let prefix else { return nil }
        return prefix == "/usr" || prefix == "/usr/local" ? "/etc/ducha.conf" : prefix + "/etc/ducha.conf"
    }

    /// The data folder of an installed binary (PREFIX/share/ducha).
    static var dataPath: String? { prefix.map { $0 + "/share/ducha" } }

    /// The system repository named by the configuration file; nil when there is no file.
    /// In a privileged run the file must be a regular file owned by root or the service account
    /// and writable by no one else, or it is refused.
    static func configuredRepository() throws -> String? {
        // Read once a run (the database check and the command's context both ask).
        if let read = configured { return try read.get() }
        let read = Result { () throws -> String? in try readConfiguredRepository() }
        configured = read
        return try read.get()
    }

    nonisolated(unsafe) private static var configured: Result<String?, any Error>? = nil

    private static func readConfiguredRepository() throws -> String? {
        guard let path = configPath else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { return nil }
            throw Failure("无法读取配置文件 \(path)：\(StoreError.reason(e))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { throw Failure("配置文件 \(path) 不是普通文件，出于安全考虑拒绝使用") }
        if UserRights.isPrivileged {
            guard st.st_uid == 0 || st.st_uid == UserRights.serviceUID, st.st_mode & 0o022 == 0 else {
                throw Failure("配置文件 \(path) 应属于 root 或 ducha 系统账户，且不允许其他用户修改；出于安全考虑拒绝使用（请管理员检查其所有者和权限）")
            }
        }
        guard st.st_size <= 64 << 10 else { throw Failure("配置文件 \(path) 过大") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw Failure("无法读取配置文件 \(path)：\(StoreError.reason(errno))") }
            done += n
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Failure("配置文件 \(path) 不是有效的 UTF-8 文本") }
        var repo: String?
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else { throw Failure("配置文件 \(path) 第 \(n + 1) 行应为“键=值”") }
            let key = line[..<eq].trimmingSpaces
            let value = line[line.index(after: eq)...].trimmingSpaces
            switch key {
            case "repo":
                if Backend.isDatabase(value) {
                    repo = value
                    continue
                }
                guard value.hasPrefix("/") else {
                    throw Failure("配置文件 \(path) 第 \(n + 1) 行：repo 应为绝对路径，或 PostgreSQL 连接串（postgresql://…）")
                }
                repo = value.trimmingTrailingSlash
            default:
                throw Failure("配置文件 \(path) 第 \(n + 1) 行：未知的设置项“\(key.sanitized())”（可设置：repo）")
            }
        }
        guard let repo else { throw Failure("配置文件 \(path) 没有设置 repo（台账目录）") }
        return repo
    }

    /// Variables the C library, the Swift runtime or ncurses would take instructions from. The
    /// kernel's AT_SECURE already makes glibc drop the loader's and its own (LD_*, GCONV_PATH,
    /// LOCPATH, NLSPATH, TZDIR, MALLOC_TRACE, TMPDIR, …), the Swift runtime switch its
    /// backtracer off, and Debian's ncurses ignore TERMINFO and TERMCAP; these are cleared
    /// once more in case a library read later is less careful, with ducha's own data folder.
    static let untrustedVariables = [
        "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH", "NIS_PATH", "NLSPATH",
        "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR", "TERMINFO", "TERMINFO_DIRS", "TERMCAP", "TERMPATH",
        "DUCHA_DATA", "XDG_DATA_HOME", "PGSYSCONFDIR", "PGSERVICEFILE", "PGPASSFILE", "PGSERVICE",
    ]
    static let untrustedPrefixes = ["LD_", "MALLOC_", "SWIFT_"]

    /// Clears the untrusted variables in a privileged run (first thing in main).
    static func clearEnvironment() {
        guard UserRights.isPrivileged else { return }
        var names: [String] = []
        var p = environ
        while let entry = p.pointee {
            if let text = String(validatingCString: entry), let eq = text.firstIndex(of: "=") {
                let name = String(text[..<eq])
                if untrustedVariables.contains(name) || untrustedPrefixes.contains(where: { name.hasPrefix($0) }) {
                    names.append(name)
                }
            }
            p += 1
        }
        for name in names { unsetenv(name) }
    }
}
