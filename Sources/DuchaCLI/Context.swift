import ArgumentParser
import DuchaCore
import DuchaOps
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// The values of the options every command takes, as plain values or as parsed.
protocol RepositoryOptions {
    var repo: String? { get }
    var today: String? { get }
}

/// The options every command takes, as plain values (a command `FastParse` reads).
struct Globals: RepositoryOptions, Equatable {
    var repo: String?
    var today: String?
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments, RepositoryOptions {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "台账目录或数据库连接串（默认为 $DUCHA_REPO；多用户服务器上为系统台账；否则 $XDG_DATA_HOME/ducha）", valueName: "目录"))
    var repo: String?

    @Option(name: .long, help: ArgumentHelp("以此日期为今天（默认为北京时间的今天；也可用 $DUCHA_TODAY）", valueName: "YYYY-MM-DD"))
    var today: String?

    /// The same as plain values.
    var values: Globals { Globals(repo: repo, today: today) }
}

/// A refusal or failure of the command line itself, with its Chinese message. Exit status 1.
struct Failure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// What a command needs from the world: the repository path, today, the user, the data folder.
/// The core never reads any of these itself; they are gathered here and passed in.
struct Context {
    let repoPath: String
    let today: Day
    /// Now, in the office's time; on a day given with --today, that day at the current time.
    let now: Timestamp
    /// The OS login of the real user (who runs ducha), and its uid, by which the roster knows them.
    let login: String
    let uid: UInt32
    let data: DataDirectory
    /// The day given with --today or $DUCHA_TODAY, if any.
    let fixedToday: Day?
    /// Repositories opened by this process, kept to the end: a command runs once and exits,
    /// and freeing a ledger of a hundred thousand items piece by piece would only delay that.
    nonisolated(unsafe) static var opened: [LedgerStore] = []
    /// Large results (a notice) kept to the end the same way.
    nonisolated(unsafe) static var kept: [Any] = []

    init(_ options: any RepositoryOptions) throws {
        let env = Environment.self
        repoPath = try Context.repository(options)
        if UserRights.isPrivileged, !Backend.isDatabase(repoPath) { Context.checkSystemFolder(repoPath) }
        let clock = Timestamp(posixSeconds: Int(time(nil)))
        if let t = options.today ?? env.get("DUCHA_TODAY"), !t.isEmpty {
            do {
                today = try Day.parse(t)
            } catch {
                throw Failure("--today 的\(error.message)")
            }
            now = Timestamp(day: today, secondOfDay: clock.secondOfDay)
            fixedToday = today
        } else {
            today = clock.day
            now = clock
            fixedToday = nil
        }
        login = try Environment.login()
        uid = UserRights.realUID
        data = DataDirectory(path: try Environment.dataDirectory())
        try Context.configureLockWaiting()
        database = Backend.isDatabase(repoPath) ? try Backend.runDatabaseProgram() : nil
    }

    /// The backend when the repository is a database (PostgreSQL); nil for a folder.
    let database: DatabaseBackend?

    /// The file repository, for a command that only works on one; refused on a database.
    func folderOnly(_ what: String) throws {
        if database != nil { throw Backend.notOnDatabase(what) }
    }

    /// The repository the options name: --repo, $DUCHA_REPO, the system repository, or the
    /// user's own; a folder's path made absolute, a connection string as given.
    static func repository(_ options: any RepositoryOptions) throws -> String {
        let env = Environment.self
        let system = try SystemInstall.configuredRepository()
        if UserRights.isPrivileged {
            return try Context.systemRepository(system, asked: options.repo ?? env.get("DUCHA_REPO"))
        } else if let r = options.repo ?? env.get("DUCHA_REPO"), !r.isEmpty {
            return Backend.isDatabase(r) ? r : Environment.absolute(r).trimmingTrailingSlash
        } else if let system {
            return system
        } else if let x = env.get("XDG_DATA_HOME"), !x.isEmpty {
            return Environment.absolute(x) + "/ducha"
        } else {
            return Environment.home() + "/.local/share/ducha"
        }
    }

    /// How long to wait for another process's lock: $DUCHA_LOCK_TIMEOUT seconds (default 30),
    /// saying so on stderr once the wait passes a second.
    static func configureLockWaiting() throws {
        if let t = Environment.get("DUCHA_LOCK_TIMEOUT"), !t.isEmpty {
            guard let seconds = Double(t), seconds.isFinite, seconds >= 0, seconds <= 86400 else {
                throw Failure("环境变量 DUCHA_LOCK_TIMEOUT 应为等待台账锁的秒数（0 至 86400，如 30），而不是“\(t.sanitized())”")
            }
            Repository.defaultLockTimeout = seconds
        }
        let limit = StoreError.seconds(Repository.defaultLockTimeout)
        Repository.defaultOnLockWait = { Output.note("正在等待其他用户完成操作……（最多等 \(limit) 秒）") }
    }

    /// Says so when the system repository's folder is open to others than the service account.
    static func checkSystemFolder(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0, st.st_uid != UserRights.serviceUID || st.st_mode & 0o077 != 0 else { return }
        Output.note(
            "注意：系统台账目录 \(path) 应属于 ducha 系统账户、权限为 700（现为 \(String(st.st_mode & 0o7777, radix: 8))），"
                + "否则其他用户可能直接读写台账；请管理员运行 chown -R ducha: \(path) && chmod 700 \(path)")
    }

    /// In a privileged run the service account's rights reach the configured system
    /// repository and nothing else: --repo and $DUCHA_REPO may only name it.
    static func systemRepository(_ system: String?, asked: String?) throws -> String {
        guard let system else {
            throw Failure(
                "本机尚未建立系统台账（找不到配置文件 \(SystemInstall.configPath ?? "/etc/ducha.conf")）：请管理员运行 sudo ducha init --system --supervisor 登录名"
            )
        }
        if let asked, !asked.isEmpty,
            (Backend.isDatabase(asked) ? asked : Environment.absolute(asked).trimmingTrailingSlash) != system
        {
            throw Failure("在多用户服务器上只能使用系统台账 \(system)：--repo 或 $DUCHA_REPO 不能指向其他目录")
        }
        return system
    }

    /// Opens the file repository, for what only a folder has (attachments, repair); refused on a database.
    func openFolder(_ mode: Repository.LoadMode, _ what: String) throws -> Repository {
        try folderOnly(what)
        return try open(mode) as! Repository
    }

    /// Opens the repository, reading as much as the command needs (`.only` for a command
    /// about one item, `.summary` for lists and reports), and reports its warnings (a torn
    /// journal line, say) on stderr.
    func open(_ mode: Repository.LoadMode, live: Bool = false) throws -> LedgerStore {
        let repo: LedgerStore =
            if let database { try database.open(repoPath, mode: mode, live: live) } else {
                try Repository.open(at: repoPath, mode: mode)
            }
        Context.opened.append(repo)
        // A database counts the days lights change with this calendar (`ItemQueries`).
        if database != nil, let queries = repo as? ItemQueries { queries.calendar = try calendar(repo) }
        for w in repo.warnings { Output.note("注意：\(w)") }
        // The 临期/逾期 notice programs, for lights that changed since ducha last looked.
        let hooks = repo.ledger.settings.hooks
        if hooks[.dueSoon] != nil || hooks[.overdue] != nil, let ops = try? operations(repo) {
            for n in ops.notifyLights() { Output.note("注意：\(n)") }
        }
        return repo
    }

    /// Opens a database's ledger again for an interface's action or report (`App.reopen`),
    /// not kept to the end as `open` keeps it: it is freed once the action is done.
    func reopen(_ mode: Repository.LoadMode, calendar: WorkCalendar) throws(StoreError) -> LedgerStore {
        guard let database else { throw .database("台账不在数据库中") }
        let repo = try database.open(repoPath, mode: mode, live: false)
        (repo as? ItemQueries)?.calendar = calendar
        return repo
    }

    /// The item a reference means (the short form `3` is number 3 of this year).
    func number(_ ref: ItemReference) -> ItemNumber { ItemNumber(prefix: "", year: ref.year ?? today.year, serial: ref.serial) }

    /// The shipped holiday tables and those the repository recorded (`calendar add`); a file
    /// dropped into a folder changes nothing.
    func calendar(_ repo: LedgerStore?) throws -> WorkCalendar {
        try data.calendar(recorded: repo.map { Array($0.ledger.calendars.values) } ?? [])
    }

    func evaluator(_ repo: LedgerStore, calendar: WorkCalendar) -> StatusEvaluator {
        StatusEvaluator(today: today, calendar: calendar, settings: repo.ledger.settings)
    }

    func actor(_ repo: LedgerStore) throws -> Actor { try repo.ledger.actor(uid: uid, login: login) }

    /// Says on stderr when working days are counted without a holiday table.
    func warnAboutCalendar(_ calendar: WorkCalendar, items: [Item]) {
        var years = Set<Int>()
        for i in items.indices where items[i].state.isOpen { years.insert(items[i].deadline.year) }
        warnAboutCalendar(calendar, years: years)
    }

    /// The same for the items `actor` sees: a database says which years their deadlines fall in.
    func warnAboutCalendar(_ calendar: WorkCalendar, _ repo: LedgerStore, _ actor: Actor) throws {
        if database != nil, let queries = repo as? ItemQueries {
            warnAboutCalendar(
                calendar, years: try queries.openDeadlineYears(for: actor, evaluator(repo, calendar: calendar)))
        } else {
            warnAboutCalendar(calendar, items: repo.ledger.visibleItems(to: actor))
        }
    }

    func warnAboutCalendar(_ calendar: WorkCalendar, years open: Set<Int>) {
        var years = open
        years.insert(today.year)
        let missing = calendar.missingYears(years.filter { $0 >= today.year })
        if !missing.isEmpty {
            Output.note(
                "注意：\(missing.map { "\($0)年" }.joined(separator: "、"))的节假日安排尚未录入，工作日暂按周一至周五计算；"
                    + "国务院公布后可用 ducha calendar add 文件 添加")
        }
    }

    /// The clock records are written with: the server's; --today only where the repository allows.
    var clock: RecordClock { RecordClock(fixedToday: fixedToday) }

    /// Commits a command as the current user and says what happened. `on`: the day a unit
    /// reported what the office records now (补录).
    @discardableResult
    /// The operations layer for the user on `repo`, on the day the command judges.
    func operations(_ repo: LedgerStore) throws -> Operations {
        Operations(store: repo, login: login, uid: uid, clock: clock, calendar: try calendar(repo), today: today)
    }

    /// Runs `operation`, saying on stderr what the repository reported meanwhile.
    func run(_ ops: Operations, _ operation: Operation, on: Day? = nil) throws -> Outcome {
        let known = ops.store.warnings.count
        let outcome = try ops.run(operation, reportedOn: on)
        for w in ops.store.warnings.dropFirst(known) { Output.note("注意：\(w)") }
        for n in outcome.notes { Output.note("注意：\(n)") }
        return outcome
    }
}

/// Reading the process environment, the OS account and the install layout.
enum Environment {
    static func get(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(validatingCString: v)
    }

    /// The OS login of the real user (getpwuid(getuid())), never $USER, which anyone can set;
    /// in a setuid run the effective user is the service account, not the person.
    static func login() throws -> String {
        guard let pw = getpwuid(getuid()), let name = String(validatingCString: pw.pointee.pw_name) else {
            throw Failure("无法确定当前系统用户（getpwuid 失败）")
        }
        return name
    }

    static func home() -> String {
        if let pw = getpwuid(getuid()), let dir = String(validatingCString: pw.pointee.pw_dir), !dir.isEmpty {
            return dir
        }
        return get("HOME") ?? "/tmp"
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/") { return home() + path.dropFirst() }
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return path }
        let cwd = String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if path == "." || path == "./" { return cwd }
        let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return cwd == "/" ? "/" + relative : cwd + "/" + relative
    }

    /// This program's path (read once: the configuration file and the data folder are found from it).
    static func executablePath() -> String? { executable }

    private static let executable: String? = {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buf.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Where calendars, settings and the demo are: $DUCHA_DATA, share/ducha beside an installed
    /// binary, or data/ of the source tree this binary was built from.
    static func dataDirectory() throws -> String {
        if UserRights.isPrivileged {
            // Only the installed data, and only when no one but root or the service account can change it.
            guard let d = SystemInstall.dataPath else { throw Failure("找不到 ducha 的数据目录") }
            var st = stat()
            guard stat(d, &st) == 0, st.st_uid == 0 || st.st_uid == UserRights.serviceUID, st.st_mode & 0o022 == 0,
                access(d + "/settings.json", R_OK) == 0
            else {
                throw Failure("ducha 的数据目录 \(d) 不存在，或不属于 root 或 ducha 系统账户，或其他用户可以修改；请管理员重新安装（sudo make install）")
            }
            return d
        }
        var candidates: [String] = []
        if let d = get("DUCHA_DATA"), !d.isEmpty { candidates.append(absolute(d)) }
        if let exe = executablePath() {
            let bin = parent(exe)
            candidates.append(parent(bin) + "/share/ducha")
        }
        candidates.append(parent(parent(parent(#filePath))) + "/data")
        for c in candidates where access(c + "/settings.json", R_OK) == 0 { return c }
        throw Failure("找不到 ducha 的数据目录（节假日表、默认设置）；已查找：" + candidates.joined(separator: "、") + "。可用 $DUCHA_DATA 指定")
    }

    static func parent(_ path: String) -> String {
        guard let i = path.lastIndex(of: "/") else { return "." }
        return i == path.startIndex ? "/" : String(path[..<i])
    }

    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// The terminal's width in cells, when stdout is one.
    static func terminalWidth() -> Int? {
        guard stdoutIsTerminal else { return nil }
        var ws = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        if let c = get("COLUMNS"), let n = Int(c), n > 0 { return n }
        return 80
    }
}

/// Writing to stdout and stderr.
enum Output {
    /// A line on stdout; nothing from the data can put a control sequence on the terminal.
    static func line(_ s: String = "") { print(s.inert) }

    /// A message on stderr (notes, warnings, errors).
    static func note(_ s: String) {
        var text = s.inert
        if !text.hasSuffix("\n") { text += "\n" }
        write(Array(text.utf8), to: 2)
    }

    /// Bytes on stdout (1) or stderr (2), after whatever print() has buffered.
    static func write(_ bytes: [UInt8], to fd: Int32) {
        fflush(nil)  // keep stdout and stderr in order when both go to one terminal
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
    }
}

extension String {
    var trimmingTrailingSlash: String {
        var s = self
        while s.count > 1, s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
