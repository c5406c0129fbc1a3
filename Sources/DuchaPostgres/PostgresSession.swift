import DuchaCore
import DuchaStore
import NIOSSL
import PostgresNIO

/// One connection to the server, used synchronously: ducha's stores are synchronous, so every
/// request is sent on postgres-nio's event loop and the calling thread blocks on its future
/// (`wait()` parks the thread on a condition; nothing spins). The event loop group is private
/// to ducha and shared by the connections of the process.
final class PostgresSession: @unchecked Sendable {
    let connection: PostgresConnection
    let location: PostgresLocation
    let logger: Logger

    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private init(connection: PostgresConnection, location: PostgresLocation, logger: Logger) {
        self.connection = connection
        self.location = location
        self.logger = logger
    }

    /// Connects to `location`, with the password from its password file when one is named.
    static func connect(_ location: PostgresLocation) throws(StoreError) -> PostgresSession {
        var logger = Logger(label: "ducha.postgres")
        logger.logLevel = .critical
        let password = try location.password()
        var configuration: PostgresConnection.Configuration
        switch location.endpoint {
        case .socket:
            configuration = .init(
                unixSocketPath: location.socketPath!, username: location.user, password: password, database: location.database)
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: location.user, password: password, database: location.database,
                tls: try PostgresSession.tls(location))
        }
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try PostgresConnection.connect(
                on: group.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
            return PostgresSession(connection: connection, location: location, logger: logger)
        } catch {
            throw PostgresSession.translate(error, doing: "连接数据库 \(location.display)", location: location)
        }
    }

    /// The encryption `location` asks for (`PostgresLocation.Encryption`): the server's
    /// certificate checked against the authorities in the `sslrootcert` file (or the system's),
    /// and, for verify-full, against the host named (its name, or its IP address).
    static func tls(_ location: PostgresLocation) throws(StoreError) -> PostgresConnection.Configuration.TLS {
        guard location.encryption != .disable else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.encryption {
        case .disable, .prefer, .require:
            // As libpq: with an authority file named, require (and prefer) check the server's
            // certificate against it, as verify-ca does.
            tls.certificateVerification = location.rootCertificates != nil ? .noHostnameVerification : .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if location.verifiesServer, let file = location.rootCertificates {
            let bytes: [UInt8]
            do throws(StoreError) { bytes = try DataDirectory.read(file, limit: 1 << 20) } catch {
                throw .database("证书机构文件 \(file)（sslrootcert）无法读取：\(error.message)")
            }
            do {
                let certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
                guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.trustRoots = .certificates(certificates)
            } catch {
                throw .database("证书机构文件 \(file)（sslrootcert）无法读取：应为 PEM 格式的证书")
            }
        }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: tls) } catch {
            throw .database("无法准备加密连接：\(String(describing: error).sanitized())")
        }
        return location.encryption == .prefer ? .prefer(context) : .require(context)
    }

    /// Runs one statement and returns its rows.
    @discardableResult
    func query(_ query: PostgresQuery, _ what: String) throws(StoreError) -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw PostgresSession.translate(error, doing: what, location: location)
        }
    }

    /// Runs a statement without parameters (DDL, BEGIN, COMMIT …).
    func execute(_ sql: String, _ what: String) throws(StoreError) {
        try query(PostgresQuery(unsafeSQL: sql), what)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(
        _ what: String, begin: String = "BEGIN", _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        try execute(begin, what)
        let result: T
        do {
            result = try body()
        } catch {
            try? execute("ROLLBACK", what)
            throw error
        }
        try execute("COMMIT", what)
        return result
    }

    func close() {
        try? connection.close().wait()
    }

    /// A Chinese message for what the driver or the server reported.
    static func translate(_ error: any Error, doing what: String, location: PostgresLocation) -> StoreError {
        if let e = error as? StoreError { return e }
        guard let e = error as? PSQLError else { return .database("\(what)失败：\(error)") }
        if let info = e.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = info[.message] ?? ""
            switch state {
            case "P0001":
                // ducha's own triggers speak Chinese.
                return .database("\(what)被数据库拒绝：\(message)")
            case "55P03":
                return .lockTimeout("数据库 \(location.display) 的台账锁", 0)
            case "42501":
                // Making the tables needs a role that may create them; ducha's own may not.
                let hint = what.hasPrefix("创建") ? "；建台账时用 --owner 指明能在该数据库建表的用户（如 ducha init --owner ducha_owner）" : ""
                return .database("\(what)被数据库拒绝：数据库用户 \(location.user) 没有这项权限（\(message)）\(hint)")
            case "28000" where message.contains("no encryption"):
                return .database(
                    "无法连接数据库 \(location.display)：服务器只接受加密连接；请在连接串中写 sslmode=verify-full 和 sslrootcert=证书机构文件"
                        + "（或 sslmode=require）")
            case "28P01", "28000":
                return .database(
                    "无法登录数据库 \(location.display)：用户名或口令不对"
                        + (location.passwordFile == nil ? "（连接串没有用 passfile= 指明口令文件）" : "（口令取自 \(location.passwordFile!)）"))
            case "3D000": return .database("数据库 \(location.display) 不存在：请先由数据库管理员创建")
            case "42P01" where !message.contains("ducha_meta"):
                return .database(
                    "数据库 \(location.display) 中没有 ducha 台账的表：台账尚未创建（用 ducha init --owner 能建表的数据库用户 创建）")
            case "42703", "42P01":
                // A table of an earlier schema (before items and records carried the sub-number,
                // before items carried the columns lists select by).
                return .database(
                    "\(what)失败：数据库 \(location.display) 中的台账表是旧版本的（\(message)），"
                        + "须由数据库所有者升级表结构后再用")
            case "42P07": return .database("数据库 \(location.display) 中已有 ducha 台账，不会覆盖")
            case "23505": return .database("\(what)失败：与数据库中已有的记录冲突（\(message)），未作任何改动")
            case "40001", "40P01": return .database("\(what)失败：与其他用户的操作冲突，未作任何改动，请重试")
            case "53300": return .database("无法连接数据库 \(location.display)：连接数已满")
            case "57P01", "57P02", "57P03": return .database("\(what)失败：数据库服务器正在关闭或启动，请稍后再试")
            default:
                return .database("\(what)失败：数据库报告错误（SQLSTATE \(state)）：\(message)")
            }
        }
        switch e.code {
        case .sslUnsupported:
            return .database(
                "无法连接数据库 \(location.display)：连接要求加密（sslmode=\(location.encryption.rawValue)），而服务器不接受加密连接"
                    + "（请数据库管理员在服务器上开启 ssl）")
        case .connectionError
        where e.underlying is NIOSSLError || e.underlying is BoringSSLError || e.underlying is NIOSSLExtraError:
            let authority =
                location.rootCertificates.map { "证书机构文件 \($0)（sslrootcert）中的机构" } ?? "本机系统信任的证书机构（未写 sslrootcert）"
            let host: String = if case .tcp(let h, _) = location.endpoint { h } else { "" }
            let why: String
            if let extra = e.underlying as? NIOSSLExtraError, extra == .failedToValidateHostname {
                why = "服务器的证书不是为所连的主机 \(host) 签发的（sslmode=verify-full 核验主机名；请用证书上的主机名连接）"
            } else if location.verifiesServer, String(describing: e.underlying!).contains("CERTIFICATE_VERIFY_FAILED") {
                why = "服务器的证书不是由\(authority)签发的，没有通过核验"
            } else {
                why = "加密握手失败（服务器的加密设置与 sslmode=\(location.encryption.rawValue) 不相容）"
            }
            return .database("无法与数据库 \(location.display) 建立加密连接：\(why)")
        case .connectionError:
            return .database("无法连接数据库 \(location.display)：服务器没有运行，或地址、套接字目录不对")
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return .database("\(what)失败：与数据库的连接已断开；操作是否已保存，请重新打开台账查看")
        case .authMechanismRequiresPassword:
            if let file = location.passwordFile {
                return .database(
                    "数据库 \(location.display) 要求口令，而口令文件 \(file) 中没有与之相符的一行"
                        + "（格式：主机:端口:数据库:用户名:口令，* 表示任意；经 Unix 套接字连接时主机写 localhost）")
            }
            return .database("数据库 \(location.display) 要求口令：请把口令写进只有服务账户能读的口令文件，在连接串中用 passfile= 指明")
        case .saslError, .unsupportedAuthMechanism:
            return .database("无法登录数据库 \(location.display)：认证失败（\(e.code)）")
        default:
            return .database("\(what)失败：数据库连接出错（\(e.code)）")
        }
    }
}
