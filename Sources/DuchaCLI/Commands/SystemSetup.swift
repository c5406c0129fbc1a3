import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// `sudo ducha init --system --supervisor LOGIN`: the system repository, owned by the service
/// account and private to it (0700), with LOGIN recorded (by uid) as the office, and the
/// configuration file that makes every user's `ducha` open it.
struct SystemSetup {
    var office: String?
    var prefix: String?
    var supervisor: String
    var repo: String?

    func run() throws {
        guard UserRights.realUID == 0 else { throw Failure("新建系统台账需要管理员权限：请用 sudo ducha init --system --supervisor 登录名") }
        guard let service = getpwnam(SystemInstall.serviceAccount) else {
            throw Failure("系统账户 ducha 不存在：请先运行 sudo make install（它会建立该账户）")
        }
        let serviceUID = service.pointee.pw_uid
        let serviceGID = service.pointee.pw_gid
        guard serviceUID != 0 else { throw Failure("系统账户 ducha 的 uid 为 0（root）：它应是一个普通的系统账户") }
        guard let pw = getpwnam(supervisor) else {
            throw Failure("系统中没有登录名为 \(supervisor.sanitized()) 的账户：督查室用户须是已有的系统账户")
        }
        let supervisorUID = pw.pointee.pw_uid
        guard let configPath = SystemInstall.configPath else { throw Failure("无法确定 ducha 的安装位置（/proc/self/exe）") }
        let path = Environment.absolute(repo ?? SystemInstall.defaultRepository).trimmingTrailingSlash
        guard path != "/" else { throw Failure("台账目录不能是 /") }

        let data = DataDirectory(path: try Environment.dataDirectory())
        var settings = try data.settings()
        if let office { try settings.set("office", to: office) }
        if let prefix { try settings.set("prefix", to: prefix) }
        let now = Timestamp(posixSeconds: Int(time(nil)))
        var ledger = Ledger()
        let actor = Actor.supervisor(supervisor, uid: supervisorUID)
        do throws(CoreError) {
            try ledger.apply(Entry(seq: 1, at: now, actor: supervisor, change: .initialize(settings)))
            let decision = try Workflow.decide(
                .addUser(User(login: supervisor, role: .supervisor, uid: supervisorUID)), by: actor, in: ledger, today: now.day)
            for c in decision.changes { try ledger.apply(Entry(seq: ledger.seq + 1, at: now, actor: supervisor, change: c)) }
        } catch {
            throw Failure(error.message)
        }

        // Root's rights (a setuid run started by root has them as its real uid) for the folder and
        // the configuration file; the service account's for the repository's own files.
        guard seteuid(0) == 0 else { throw Failure("无法取得 root 权限（seteuid）") }
        try makeFolder(path, owner: serviceUID, group: serviceGID)
        guard setegid(serviceGID) == 0, seteuid(serviceUID) == 0 else { throw Failure("无法切换为 ducha 系统账户（seteuid）") }
        var failed: StoreError?
        do throws(StoreError) { _ = try Repository.create(at: path, ledger: ledger) } catch { failed = error }
        guard seteuid(0) == 0, setegid(0) == 0 else { throw Failure("无法切换回 root 权限（seteuid）") }
        if let failed { throw failed }
        try writeConfig(configPath, repo: path)
        Output.line("已在 \(path) 新建系统台账（\(settings.officeName)），属于 ducha 系统账户，只有它能读写（目录 700、文件 600）。")
        Output.line("已将 \(supervisor)（uid \(supervisorUID)）登记为督查室；配置文件 \(configPath) 指向该台账。")
        Output.line("下一步：\(supervisor) 用 ducha unit add 登记承办单位，用 ducha user add 登录名 --role unit --unit 单位 登记各单位的账户。")
    }

    /// The repository folder: made when missing (0700), and given to the service account. A
    /// symbolic link, or anything but a folder, is refused.
    func makeFolder(_ path: String, owner: uid_t, group: gid_t) throws {
        var st = stat()
        // Whoever can write the folder above could swap the repository for one of their own.
        let parent = Environment.parent(path)
        guard stat(parent, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
            throw Failure("\(parent) 不存在：请先建立它，或用 --repo 指定其他目录")
        }
        guard st.st_uid == 0, st.st_mode & 0o022 == 0 else {
            throw Failure("\(parent) 应属于 root 且其他用户不可写（否则他人可以替换台账目录）：请改用 --repo 指定其他位置")
        }
        if lstat(path, &st) != 0 {
            guard mkdir(path, 0o700) == 0 else { throw Failure("无法创建目录 \(path)：\(StoreError.reason(errno))") }
        } else if st.st_mode & S_IFMT != S_IFDIR {
            throw Failure("\(path) 不是目录（或是符号链接），出于安全考虑拒绝使用")
        }
        guard Repository.exists(at: path) == false else { throw Failure("\(path) 已有台账，不会覆盖") }
        guard chown(path, owner, group) == 0, chmod(path, 0o700) == 0 else {
            throw Failure("无法把 \(path) 交给 ducha 系统账户：\(StoreError.reason(errno))")
        }
    }

    /// repo=PATH in the configuration file, owned by root and readable by all (0644).
    func writeConfig(_ configPath: String, repo: String) throws {
        let folder = Environment.parent(configPath)
        var st = stat()
        if stat(folder, &st) != 0, mkdir(folder, 0o755) != 0 {
            throw Failure("无法创建目录 \(folder)：\(StoreError.reason(errno))")
        }
        let text = "# ducha 的系统台账（由 ducha init --system 写入）\nrepo=\(repo)\n"
        do throws(StoreError) { try AtomicFile.write(Array(text.utf8), to: configPath) } catch { throw Failure(error.message) }
        guard chown(configPath, 0, 0) == 0, chmod(configPath, 0o644) == 0 else {
            throw Failure("无法设置配置文件 \(configPath) 的权限：\(StoreError.reason(errno))")
        }
    }
}
