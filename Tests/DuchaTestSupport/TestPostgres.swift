import Foundation

/// A real PostgreSQL server for the tests: a cluster made with initdb in a temporary folder and
/// started with pg_ctl, listening only on a Unix socket in that folder (no TCP port). As root it
/// runs as the `postgres` account the Debian package creates (root cannot run initdb); otherwise
/// as the current user. The superuser `postgres` connects without a password; every other role
/// must give its password (SCRAM), so the store's password file is exercised for real.
///
/// Each test takes a fresh database from the shared server (`TestPostgres.shared()`), which is
/// stopped and removed when the test process exits.
public final class TestPostgres: @unchecked Sendable {
    /// The temporary folder: the cluster (data/), its log and the socket.
    public let folder: String
    /// Where initdb, pg_ctl and psql are.
    public let binaries: String
    /// The OS account the server runs as (nil: the current user).
    public let account: String?
    public static let superuser = "postgres"
    /// The role ducha connects as in the tests, and its password.
    public static let appRole = "ducha_app"
    public static let appPassword = "ducha-测试-口令"

    public var socketFolder: String { folder }
    /// The network namespace the next server program runs in (`ip netns exec`), when one is set.
    var namespace: String?
    public var dataFolder: String { folder + "/data" }
    private let lock = NSLock()
    private var databases = 0
    private var stopped = false

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The server binaries: $DUCHA_PG_BIN, else the newest /usr/lib/postgresql/N/bin.
    public static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        var candidates: [String] = []
        if let b = ProcessInfo.processInfo.environment["DUCHA_PG_BIN"], !b.isEmpty {
            candidates = [b]
        } else {
            let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
            candidates = versions.reversed().map { "\(root)/\($0)/bin" }
        }
        for bin in candidates
        where ["initdb", "pg_ctl", "psql"].allSatisfy({ FileManager.default.isExecutableFile(atPath: bin + "/" + $0) }) {
            return bin
        }
        throw SetupError(
            description: "PostgreSQL 存储的测试需要 PostgreSQL 服务器程序（initdb、pg_ctl），本机没有找到：请安装 Debian 的 postgresql 包"
                + "（sudo apt-get install postgresql，或运行 make test-deps），或用环境变量 DUCHA_PG_BIN 指明其 bin 目录")
    }

    /// initdb's a new cluster into a temporary folder and starts it: on its Unix socket only, or
    /// also on TCP at `addresses` (password login from `clients`, a CIDR range) inside the
    /// network namespace `namespace` (the several-hosts test).
    public static func start(addresses: [String] = [], clients: String? = nil, namespace: String? = nil) throws -> TestPostgres {
        let binaries = try findBinaries()
        let account: String? = geteuid() == 0 ? "postgres" : nil
        if let account, getpwnam(account) == nil {
            throw SetupError(description: "以 root 运行测试时需要系统账户 \(account)（安装 postgresql 包时创建）来运行 PostgreSQL 服务器，本机没有")
        }
        var template = Array("/tmp/ducha-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SetupError(description: "无法创建临时目录：\(String(cString: strerror(errno)))") }
        let folder = String(cString: made)
        if let account, let pw = getpwnam(account) { chown(folder, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        let server = TestPostgres(folder: folder, binaries: binaries, account: account)
        do {
            try server.run(
                "initdb", ["-D", server.dataFolder, "-U", superuser, "-E", "UTF8", "--locale=C", "-A", "trust", "--no-sync"])
            // The superuser by its socket without a password; everyone else with one.
            var hba = "local all \(superuser) trust\nlocal all all scram-sha-256\n"
            if let clients { hba += "host all all \(clients) scram-sha-256\n" }
            try server.run(
                "sh", ["-c", "printf '%s' \"$1\" > \"$2\"", "sh", hba, server.dataFolder + "/pg_hba.conf"], inBin: false)
            server.namespace = namespace
            try server.run(
                "pg_ctl",
                [
                    "-D", server.dataFolder, "-l", folder + "/server.log", "-w", "-t", "120", "-o",
                    "-k \(folder) -c listen_addresses='\(addresses.joined(separator: ","))' -c fsync=off -c max_connections=100",
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

    /// The server the tests of this process share, started on first use, stopped at exit.
    public static func shared() throws -> TestPostgres {
        try sharedServer.get()
    }

    private static let sharedServer: Result<TestPostgres, Error> = {
        let r = Result { try TestPostgres.start() }
        if case .success(let s) = r {
            sharedForExit = s
            atexit { TestPostgres.sharedForExit?.stop() }
        }
        return r
    }()
    nonisolated(unsafe) private static var sharedForExit: TestPostgres?

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
        _ sql: String, database: String, user: String = TestPostgres.superuser, password: String? = nil
    )
        throws -> String
    {
        var env: [String: String] = [:]
        if let password { env["PGPASSWORD"] = password }
        return try run(
            "psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", folder, "-U", user, "-d", database, "-c", sql],
            environment: env)
    }

    /// A connection string for `role` to `database` over the socket.
    public func connectionString(database: String, role: String = TestPostgres.appRole) -> String {
        "postgresql://\(role)@/\(database)?host=\(folder)"
    }

    /// Stops the server and removes the folder.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if FileManager.default.fileExists(atPath: dataFolder + "/postmaster.pid") {
            _ = try? run("pg_ctl", ["-D", dataFolder, "-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later; not in Swift's Glibc module).
    static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let handle = dlopen(nil, RTLD_NOW), let f = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(
            f, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Runs a server program (as the server's account when root), returning its output and
    /// error output. Spawned like `Spawn.run` (posix_spawn, close-on-exec pipe made under its
    /// lock), and with every other descriptor closed in the child: the server pg_ctl starts must
    /// not keep a pipe of this process open.
    @discardableResult
    func run(
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
            // In / : the server's account may not enter the test's working folder.
            argv = ["-u", account, "--", "/usr/bin/env", "-C", "/"] + env + [path] + arguments
        } else {
            executable = path
            argv = arguments
        }
        if let namespace {
            argv = ["netns", "exec", namespace, executable] + argv
            executable = "/usr/sbin/ip"
        }
        var fds: [Int32] = [0, 0]
        Spawn.spawning.lock()
        guard pipe(&fds) == 0 else {
            Spawn.spawning.unlock()
            throw SetupError(description: "无法创建管道")
        }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        // Nothing else of this process reaches the child: the server pg_ctl leaves running would
        // otherwise keep pipes that other tests (Foundation's Process) are reading open, and
        // those reads would never end.
        if let closeFrom = TestPostgres.closeFrom {
            _ = closeFrom(&actions, 3)
        } else {
            // An older C library: close what is open now.
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for fd in open.compactMap(Int32.init) where fd > 2 && fd != fds[0] && fd != fds[1] {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }
        let cArgs = ([executable] + argv).map { strdup($0) } + [nil]
        let cEnv = (account == nil ? env : ["PATH=/usr/sbin:/usr/bin:/bin"]).map { strdup($0) } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
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
        let rc = posix_spawn(&pid, executable, &actions, &attr, cArgs, cEnv)
        close(fds[1])
        Spawn.spawning.unlock()
        guard rc == 0 else {
            close(fds[0])
            throw SetupError(description: "无法启动 \(executable)：\(String(cString: strerror(rc)))")
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
        let text = String(decoding: output, as: UTF8.self)
        guard status == 0 else {
            throw SetupError(description: "\(program) 失败（状态 \(status)）：\(text)")
        }
        return text
    }
}
