import ArgumentParser
import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// A ledger kept in a database rather than in a folder (issue #16): what the command line needs
/// of it. `ducha-pg` provides the PostgreSQL one; `ducha`, which has none (the database client
/// needs Foundation, kept out of ducha), runs `ducha-pg` for such a repository.
public protocol DatabaseBackend: Sendable {
    /// Opens the ledger `connection` names; `live`: told by the server when others commit.
    func open(_ connection: String, mode: Repository.LoadMode, live: Bool) throws(StoreError) -> LedgerStore
    /// `ducha check` on the database.
    func check(_ connection: String) throws(StoreError) -> RepositoryCheck.Report
    /// Copies a whole ledger (every item with its history, and its chain) into an empty
    /// database; `name` says where it comes from; `owner` is the role that creates the tables
    /// (nil: the role of `connection`, which is the one ducha works as afterwards). Returns the
    /// records and items copied and the head of the chain (台账校验码).
    func copy(
        _ ledger: Ledger, from name: String, to connection: String, owner: String?
    ) throws(StoreError) -> (
        records: Int, items: Int, head: String?
    )
}

public enum Backend {
    /// The database backend of this program (set by ducha-pg before anything else).
    public nonisolated(unsafe) static var database: DatabaseBackend?

    /// The program that has the PostgreSQL store, beside this one.
    static let databaseProgram = "ducha-pg"

    /// Whether a repository names a database (a postgresql:// connection string, or a libpq
    /// service name written service=NAME) rather than a folder.
    static func isDatabase(_ repo: String) -> Bool {
        repo.hasPrefix("postgresql://") || repo.hasPrefix("postgres://") || repo.hasPrefix("service=")
    }

    /// The backend for a database repository: this program's, or ducha-pg run in place of this
    /// process with the same arguments and environment (nothing has been read or written yet).
    static func runDatabaseProgram() throws -> DatabaseBackend {
        if let database { return database }
        guard let exe = Environment.executablePath() else { throw Failure("无法确定 ducha 程序的位置，无法打开数据库台账") }
        let program = Environment.parent(exe) + "/" + databaseProgram
        var st = stat()
        guard stat(program, &st) == 0, st.st_mode & S_IFMT == S_IFREG, access(program, X_OK) == 0 else {
            throw Failure("台账在 PostgreSQL 数据库中，需要与 ducha 安装在同一目录的 \(program)，但没有找到（请重新 make install）")
        }
        if UserRights.isPrivileged {
            // The service account's rights pass to it: only a program no one else can change.
            guard st.st_uid == 0 || st.st_uid == UserRights.serviceUID, st.st_mode & 0o022 == 0 else {
                throw Failure("\(program) 应属于 root 或 ducha 系统账户，且不允许其他用户修改；出于安全考虑拒绝运行（请管理员重新 sudo make install）")
            }
        }
        fflush(nil)
        let argv = ([program] + CommandLine.arguments.dropFirst()).map { strdup($0) } + [nil]
        execv(program, argv)
        throw Failure("无法运行 \(program)：\(StoreError.reason(errno))")
    }

    /// Runs ducha-pg in place of this program, before the command reads anything (its standard
    /// input above all), when the command works on a database: its repository is one, or it
    /// migrates to one. A repository that cannot be told yet is left to the command to report.
    static func runDatabaseProgramIfNeeded(for command: ParsableCommand) throws {
        guard database == nil else { return }
        var needs = false
        if let migrate = command as? Migrate { needs = isDatabase(migrate.to) }
        for child in Mirror(reflecting: command).children {
            if let options = child.value as? OptionGroup<GlobalOptions>, let repo = try? Context.repository(options.wrappedValue)
            {
                needs = needs || isDatabase(repo)
            }
        }
        if needs { _ = try runDatabaseProgram() }
    }

    /// The same for a command whose global options are known (parsed by `FastParse`).
    static func runDatabaseProgramIfNeeded(global: Globals) throws {
        guard database == nil, let repo = try? Context.repository(global), isDatabase(repo) else { return }
        _ = try runDatabaseProgram()
    }

    /// What a command that only works on a folder says on a database repository.
    static func notOnDatabase(_ what: String) -> Failure {
        Failure("\(what)暂不支持 PostgreSQL 数据库中的台账（只支持台账目录）")
    }
}

extension DatabaseBackend {
    /// A new ledger made in memory (`init`, `demo`) written into an empty database, chained from
    /// its first entry as a new repository's files are.
    func create(_ ledger: Ledger, at connection: String, owner: String?) throws(StoreError) {
        var ledger = ledger
        ledger.chainFrom = 1
        ledger.chainHead = Chain.head(of: ledger)
        _ = try copy(ledger, from: "新台账", to: connection, owner: owner)
    }
}

/// The database role that creates the tables when a ledger is made in a database.
struct OwnerOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "在数据库中建表的数据库用户（默认为连接串中的用户；此后 ducha 以连接串中的用户工作，只能追加和读取记录）", valueName: "数据库用户"))
    var owner: String?

    /// Refuses --owner for a folder.
    func check(_ ctx: Context) throws {
        if owner != nil, ctx.database == nil { throw Failure("--owner 只用于 PostgreSQL 数据库中的台账") }
    }
}
