import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// Everything the repository refuses or fails at, with the file and the reason in Chinese.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder holds no repository.
    case notARepository(String)
    /// The folder (or the way to it) may not be read by this user: a repository of another
    /// account, such as the system repository, which only the service account can open.
    case noAccess(String)
    /// `init` or `demo` where a repository already is.
    case alreadyExists(String)
    /// A system call failed: (path, what was being done, errno).
    case io(String, String, Int32)
    /// The snapshot cannot be read: (path, reason).
    case badSnapshot(String, String)
    /// Written by a newer ducha: (path, found, supported).
    case unsupportedFormat(String, Int, Int)
    /// A damaged journal line: (path, line number, reason).
    case badJournal(String, Int, String)
    /// A file that must be a plain file is a symbolic link.
    case symlink(String)
    /// The workflow refused the action.
    case refused(CoreError)
    /// A data file shipped with ducha (calendar, settings, demo) is missing or wrong.
    case badDataFile(String, String)
    /// A file that must be a regular file is something else: (path, what it is).
    case notRegular(String, String)
    /// A file larger than anything ducha writes: (path, size, limit).
    case tooLarge(String, Int, Int)
    /// Another process held the lock longer than the wait allowed: (lock file, seconds).
    case lockTimeout(String, Double)
    /// The user gave up waiting for the lock (q or Ctrl-C in the interface): (lock file).
    case lockAbandoned(String)
    /// An export aimed inside the repository folder: (path, repository).
    case insideRepository(String, String)
    /// A PostgreSQL ledger could not be reached or refused a statement: the whole Chinese message.
    case database(String)
    /// The helper that reads and writes Excel and Word files failed: the whole Chinese message.
    case helper(String)

    public var message: String {
        switch self {
        case .notARepository(let p):
            return "\(p) 不是 ducha 台账（没有 ducha.json）；新建台账请用 ducha init，或用 --repo 指定台账目录"
        case .noAccess(let p):
            return "没有权限打开台账目录 \(p)：它属于其他系统账户，您的账户不能直接读写。"
                + "多用户服务器上请直接运行 ducha（不加 --repo），不要另建台账；如需使用请联系督查室或系统管理员"
        case .alreadyExists(let p): return "\(p) 已有台账，不会覆盖"
        case .io(let p, let what, let e): return "\(what)失败：\(p)：\(StoreError.reason(e))"
        case .badSnapshot(let p, let r): return "无法读取台账快照 \(p)：\(r)。文件未作任何改动"
        case .unsupportedFormat(let p, let found, let supported):
            return "\(p) 的格式版本为 \(found)，本程序只支持版本 \(supported)：它由更新版本的 ducha 写入，请升级 ducha。文件未作任何改动"
        case .badJournal(let p, let line, let r):
            return "台账日志 \(p) 第 \(line) 行已损坏：\(r)。文件未作任何改动。若是写入中断或磁盘故障所致，可用 ducha check --repair 修复"
                + "（该行及其后各行移出另存备份，其中的操作须重新录入）；若可能是记录被删除、调换或改动，请先用 ducha check 核查，不要修复"
        case .symlink(let p): return "\(StoreError.label(p))\(p) 是符号链接，出于安全考虑拒绝使用"
        case .notRegular(let p, let kind): return "\(StoreError.label(p))\(p) 不是普通文件（\(kind)），拒绝使用"
        case .tooLarge(let p, let size, let limit):
            return "\(StoreError.label(p))\(p) 过大（\(size) 字节，上限 \(limit) 字节），不是 ducha 写入的文件，拒绝读取"
        case .lockTimeout(let p, let seconds):
            return "等待其他用户完成操作已超过 \(StoreError.seconds(seconds)) 秒，已放弃，未作任何改动。锁文件 \(p) 一直被占用："
                + "可能有程序卡住，请稍后再试或请管理员查看；等待时间可用环境变量 DUCHA_LOCK_TIMEOUT（秒）调整"
        case .lockAbandoned: return "已放弃等待其他用户完成操作，未作任何改动"
        case .insideRepository(let p, let repo):
            return "不能导出到台账目录 \(repo) 之内（\(p)）：那里只放台账自己的文件，请另选位置"
        case .refused(let e): return e.message
        case .database(let m): return m
        case .helper(let m): return m
        case .badDataFile(let p, let r): return "数据文件 \(p) 有误：\(r)"
        }
    }

    public var description: String { message }

    /// Why `directory` holds no repository for this user: none there, or no right to look.
    public static func missing(_ directory: String) -> StoreError {
        var st = stat()
        if lstat(directory + "/ducha.json", &st) != 0, errno == EACCES || errno == EPERM { return .noAccess(directory) }
        return .notARepository(directory)
    }

    /// What a repository file is, from its name, followed by a space ("" for other files).
    static func label(_ path: String) -> String {
        let name = Posix.name(of: path)
        switch name {
        case "ducha.json": return "台账快照 "
        case "journal.jsonl": return "台账日志 "
        case "lock": return "锁文件 "
        case "repair": return "修复备份目录 "
        case "calendar": return "节假日表目录 "
        default: return name.hasPrefix("ducha.json.tmp") ? "临时快照 " : ""
        }
    }

    public static func seconds(_ s: Double) -> String { s == s.rounded() && s < 1e9 ? String(Int(s)) : String(s) }

    /// The Chinese reason for an errno value.
    public static func reason(_ e: Int32) -> String {
        switch e {
        case ENOENT: return "文件或目录不存在"
        case EACCES, EPERM: return "没有权限"
        case ENOSPC: return "磁盘空间已满"
        case EDQUOT: return "超出磁盘配额"
        case EROFS: return "文件系统为只读"
        case ELOOP: return "是符号链接"
        case EISDIR: return "是目录而不是文件"
        case ENOTDIR: return "路径中有一段不是目录"
        case EIO: return "读写错误（磁盘可能有故障）"
        case EEXIST: return "已存在"
        case EMFILE, ENFILE: return "打开的文件过多"
        case ENAMETOOLONG: return "路径过长"
        default: return "系统错误 \(e)"
        }
    }
}
