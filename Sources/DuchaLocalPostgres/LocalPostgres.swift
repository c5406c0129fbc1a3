#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL server of one's own: a cluster made with initdb in a temporary folder and started
/// with pg_ctl, listening only on a Unix socket in that folder (no TCP port unless asked). As root
/// it runs as the `postgres` account the Debian package creates (root cannot run initdb);
/// otherwise as the current user. The superuser `postgres` connects without a password; every
/// other role must give its password (SCRAM), so ducha's password file is exercised for real.
///
/// The tests (`TestPostgres`, the same class) and the benchmark (`ducha-bench`) start theirs with
/// it. No Foundation: the benchmark measures its own memory.
public final class LocalPostgres: @unchecked Sendable {
    /// The temporary folder: the cluster (data/), its log and the socket.
    public let folder: String
    /// Where initdb, pg_ctl and psql are.
    public let binaries: String
    /// The OS account the server runs as (nil: the current user).
    public let account: String?
    public static let superuser = "postgres"
    /// The role ducha connects as, and its password.
    public static let appRole = "ducha_app"
    public static let appPassword = "ducha-测试-口令"

    /// The server's port (its socket is `.s.PGSQL.<port>` in the folder).
    public private(set) var port = 5432
    /// With `tls`: the authority that signed the server's certificate (for sslrootcert).
    public var authorityCertificate: String { folder + "/ca.crt" }

    public var socketFolder: String { folder }
    /// The network namespace the next server program runs in (`ip netns exec`), when one is set.
    var namespace: String?
    public var dataFolder: String { folder + "/data" }
    private let lock = ProcessLock()
    private var databases = 0
    private var stopped = false

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The server binaries: $DUCHA_PG_BIN, else the newest /usr/lib/postgresql/N/bin.
    public static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        var candidates: [String] = []
        if let b = getenv("DUCHA_PG_BIN").map({ String(cString: $0) }), !b.isEmpty {
            candidates = [b]
        } else {
            candidates = entries(of: root).compactMap(Int.init).sorted().reversed().map { "\(root)/\($0)/bin" }
        }
        for bin in candidates where ["initdb", "pg_ctl", "psql"].allSatisfy({ access(bin + "/" + $0, X_OK) == 0 }) {
            return bin
        }
        throw SetupError(
            description: "需要 PostgreSQL 服务器程序（initdb、pg_ctl），本机没有找到：请安装 Debian 的 postgresql 包"
                + "（sudo apt-get install postgresql，或运行 make test-deps），或用环境变量 DUCHA_PG_BIN 指明其 bin 目录")
    }

    /// initdb's a new cluster into a temporary folder and starts it: on its Unix socket only, or
    /// also on TCP at `addresses` (password login from `clients`, a CIDR range) inside the
    /// network namespace `namespace` (the several-hosts test). `durable` keeps fsync on (the
    /// benchmark measures commits as a server would make them); the tests turn it off. With
    /// `tls` the server has a certificate for localhost (not for its address: verify-full by address fails) signed by an authority of
    /// its own (`authorityCertificate`), and takes TCP clients only encrypted.
    public static func start(
        addresses: [String] = [], clients: String? = nil, namespace: String? = nil, durable: Bool = false, port: Int = 5432,
        tls: Bool = false
    ) throws -> LocalPostgres {
        let binaries = try findBinaries()
        let account: String? = geteuid() == 0 ? "postgres" : nil
        if let account, getpwnam(account) == nil {
            throw SetupError(description: "以 root 运行时需要系统账户 \(account)（安装 postgresql 包时创建）来运行 PostgreSQL 服务器，本机没有")
        }
        var template = Array("/tmp/ducha-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SetupError(description: "无法创建临时目录：\(String(cString: strerror(errno)))") }
        let folder = String(cString: made)
        if let account, let pw = getpwnam(account) { chown(folder, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        let server = LocalPostgres(folder: folder, binaries: binaries, account: account)
        server.port = port
        do {
            try server.run(
                "initdb", ["-D", server.dataFolder, "-U", superuser, "-E", "UTF8", "--locale=C", "-A", "trust", "--no-sync"])
            // The superuser by its socket without a password; everyone else with one.
            var hba = "local all \(superuser) trust\nlocal all all scram-sha-256\n"
            if let clients {
                hba +=
                    tls
                    ? "hostssl all all \(clients) scram-sha-256\nhostnossl all all \(clients) reject\n"
                    : "host all all \(clients) scram-sha-256\n"
            }
            var options = ""
            if tls {
                try server.makeCertificates()
                options = " -c ssl=on -c ssl_cert_file=\(folder)/server.crt -c ssl_key_file=\(folder)/server.key"
            }
            try server.run(
                "sh", ["-c", "printf '%s' \"$1\" > \"$2\"", "sh", hba, server.dataFolder + "/pg_hba.conf"], inBin: false)
            server.namespace = namespace
            try server.run(
                "pg_ctl",
                [
                    "-D", server.dataFolder, "-l", folder + "/server.log", "-w", "-t", "120", "-o",
                    "-k \(folder) -c listen_addresses='\(addresses.joined(separator: ","))' -c fsync=\(durable ? "on" : "off")"
                        + " -c max_connections=100 -c port=\(port)" + options,
                    "start",
                ])
            server.namespace = nil
            _ = try server.psql(
                "CREATE ROLE \(appRole) LOGIN PASSWORD '\(appPassword)' NOSUPERUSER NOCREATEDB NOCREATEROLE", database: "postgres"
            )
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    init(folder: String, binaries: String, account: String?) {
        self.folder = folder
        self.binaries = binaries
        self.account = account
    }

    /// An authority and a server certificate it signed, for the name localhost, made with
    /// openssl in the folder as the server's account (the key readable by it only).
    func makeCertificates() throws {
        let script = """
            set -e
            cd "$1"
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \\
                -subj /CN=ducha-test-authority -keyout ca.key -out ca.crt 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \\
                -keyout server.key -out server.csr 2>/dev/null
            printf 'subjectAltName=DNS:localhost\\n' > san.ext
            openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext \\
                -out server.crt 2>/dev/null
            chmod 600 server.key ca.key
            chmod 644 ca.crt
            """
        try run("sh", ["-c", script, "sh", folder], inBin: false)
    }

    /// A new, empty database (owned by the superuser); returns its name.
    public func makeDatabase() throws -> String {
        lock.lock()
        databases += 1
        let name = "t\(databases)"
        lock.unlock()
        _ = try psql("CREATE DATABASE \(name)", database: "postgres")
        return name
    }

    /// Runs SQL with psql as `user` (the superuser unless told) and returns what it prints
    /// (unaligned, tuples only). Throws with psql's message when the statement fails.
    @discardableResult
    public func psql(
        _ sql: String, database: String, user: String = LocalPostgres.superuser, password: String? = nil
    )
        throws -> String
    {
        var env: [String: String] = [:]
        if let password { env["PGPASSWORD"] = password }
        return try run(
            "psql",
            [
                "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", folder, "-p", String(port), "-U", user, "-d", database,
                "-c", sql,
            ],
            environment: env)
    }

    /// A connection string for `role` to `database` over the socket.
    public func connectionString(database: String, role: String = LocalPostgres.appRole) -> String {
        "postgresql://\(role)@/\(database)?host=\(folder)" + (port == 5432 ? "" : "&port=\(port)")
    }

    /// A password file for the app role and `database` at `path` (only its owner may read it),
    /// and the connection string ducha works with through it.
    public func appConnection(database: String, passfile path: String) throws -> String {
        let text = Array("*:*:\(database):\(LocalPostgres.appRole):\(LocalPostgres.appPassword)\n".utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SetupError(description: "无法写入口令文件 \(path)：\(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == text.count, fchmod(fd, 0o600) == 0 else {
            throw SetupError(description: "无法写入口令文件 \(path)：\(String(cString: strerror(errno)))")
        }
        return connectionString(database: database) + "&passfile=\(path)"
    }

    /// Stops the server and removes the folder.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if access(dataFolder + "/postmaster.pid", F_OK) == 0 {
            _ = try? run("pg_ctl", ["-D", dataFolder, "-m", "immediate", "-w", "stop"])
        }
        _ = try? run("rm", ["-rf", "--", folder], inBin: false)
    }

    /// The names in a folder (none when it cannot be read).
    static func entries(of folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Runs a server program (as the server's account when root), returning its output and
    /// error output (`Spawning.run`, every other descriptor closed in the child: the server
    /// pg_ctl starts must not keep a pipe of this process open).
    @discardableResult
    public func run(
        _ program: String, _ arguments: [String], inBin: Bool = true, environment: [String: String] = [:]
    ) throws
        -> String
    {
        let path = inBin ? binaries + "/" + program : "/bin/" + program
        var env = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "PGCONNECT_TIMEOUT=30"]
        for (k, v) in environment { env.append("\(k)=\(v)") }
        var executable: String
        var argv: [String]
        if let account {
            executable = "/usr/sbin/runuser"
            // In / : the server's account may not enter the caller's working folder.
            argv = ["-u", account, "--", "/usr/bin/env", "-C", "/"] + env + [path] + arguments
        } else {
            executable = path
            argv = arguments
        }
        if let namespace {
            argv = ["netns", "exec", namespace, executable] + argv
            executable = "/usr/sbin/ip"
        }
        let cEnv = account == nil ? env : ["PATH=/usr/sbin:/usr/bin:/bin"]
        // Nothing else of this process reaches the child: the server pg_ctl leaves running would
        // otherwise keep pipes that other threads are reading open, and those reads would never end.
        let status: Int32
        let text: String
        do throws(Spawning.Failure) {
            (status, text) = try Spawning.run(executable, [executable] + argv, environment: cEnv, errors: true, closeOthers: true)
        } catch {
            throw SetupError(description: "无法启动 \(executable)：\(error.what)")
        }
        guard status == 0 else {
            throw SetupError(description: "\(program) 失败（状态 \(status)）：\(text)")
        }
        return text
    }
}

/// Runs a program with posix_spawn and reads its output to the end: stdin /dev/null, stdout
/// (and stderr, with `errors`; else /dev/null) a pipe made close-on-exec under `lock`, signals
/// unblocked and at their defaults in the child. Unlike Foundation's Process it copes with
/// children that leave daemons behind (a tmux server, the PostgreSQL server pg_ctl starts):
/// with `closeOthers` nothing else of this process reaches the child.
public enum Spawning {
    public struct Failure: Error {
        public var what: String
    }

    /// Held while a pipe is made and a child spawned: a server or a tmux that another thread
    /// starts at that moment must not inherit the pipe (its reader would wait for ever).
    public static let lock = ProcessLock()

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later; not in Swift's Glibc module).
    static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let handle = dlopen(nil, RTLD_NOW), let f = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(
            f, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// `argv` includes the program's name; returns the exit status (waitpid's) and the output.
    public static func run(
        _ path: String, _ argv: [String], environment: [String], errors: Bool = false, closeOthers: Bool = false
    ) throws(Failure) -> (status: Int32, output: String) {
        var fds: [Int32] = [0, 0]
        lock.lock()
        guard pipe(&fds) == 0 else {
            lock.unlock()
            throw Failure(what: "无法创建管道")
        }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        if errors {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        if closeOthers {
            if let closeFrom {
                _ = closeFrom(&actions, 3)
            } else {
                // An older C library: close what is open now.
                for fd in LocalPostgres.entries(of: "/proc/self/fd").compactMap(Int32.init)
                where fd > 2 && fd != fds[0] && fd != fds[1] {
                    posix_spawn_file_actions_addclose(&actions, fd)
                }
            }
        }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup($0) } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
        // Threads may run with most signals blocked; the child must not inherit that (tmux and
        // the program in it would never see SIGWINCH).
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, cArgs, cEnv)
        close(fds[1])
        lock.unlock()
        guard rc == 0 else {
            close(fds[0])
            throw Failure(what: String(cString: strerror(rc)))
        }
        var output: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fds[0], &buf, buf.count)
            if n > 0 {
                output.append(contentsOf: buf[0..<n])
            } else if n == 0 || errno != EINTR {
                break
            }
        }
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status, String(decoding: output, as: UTF8.self))
    }
}

/// A mutex (pthread), for code that does without Foundation's NSLock.
public final class ProcessLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }
}
