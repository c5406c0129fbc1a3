import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// Where a PostgreSQL ledger is: a connection string as libpq writes it,
///
///     postgresql://ducha@/ducha?host=/run/postgresql                 (Unix socket folder)
///     postgresql://ducha@db.example:5432/ducha?passfile=/etc/ducha/pgpass
///
/// Credentials are never part of the string: a password written into it is refused. When the
/// server asks for a password it is read from `passfile` (libpq's .pgpass format:
/// `host:port:database:user:password`, `*` for any, `\:` and `\\` escaped), a file that only
/// the service account may read (like libpq, one readable by group or others is refused).
public struct PostgresLocation: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        /// A folder holding the server's socket (`.s.PGSQL.<port>`).
        case socket(folder: String, port: Int)
        case tcp(host: String, port: Int)
    }

    /// Whether and how a TCP connection is encrypted, as libpq's sslmode says it: `disable`;
    /// `prefer` (the default over TCP, as in libpq: encrypted when the server offers it);
    /// `require` (encrypted, the server not checked); `verify-ca` (its certificate signed by a
    /// trusted authority); `verify-full` (and issued for the host named). A Unix socket is
    /// never encrypted (it does not leave the machine).
    public enum Encryption: String, Sendable, Equatable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"

        /// Whether the server's certificate is checked against the trusted authorities.
        public var verifies: Bool { self == .verifyCA || self == .verifyFull }
    }

    public var endpoint: Endpoint
    public var user: String
    public var database: String
    public var passwordFile: String?
    public var encryption: Encryption
    /// Whether the server's certificate is checked: verify-ca and verify-full, and, as libpq
    /// does, require and prefer when an authority file is named.
    public var verifiesServer: Bool { encryption.verifies || (encryption != .disable && rootCertificates != nil) }

    /// The authorities trusted for `verify-ca` and `verify-full` (libpq's sslrootcert): a PEM
    /// file; nil for the system's (`sslrootcert=system`, or none written).
    public var rootCertificates: String?

    public init(
        endpoint: Endpoint, user: String, database: String, passwordFile: String? = nil, encryption: Encryption? = nil,
        rootCertificates: String? = nil
    ) {
        self.endpoint = endpoint
        self.user = user
        self.database = database
        self.passwordFile = passwordFile
        if case .tcp = endpoint { self.encryption = encryption ?? .prefer } else { self.encryption = .disable }
        self.rootCertificates = rootCertificates
    }

    /// Whether `text` names a PostgreSQL ledger rather than a folder.
    public static func isConnectionString(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The string again, as ducha shows it (never with a password).
    public var display: String {
        switch endpoint {
        case .socket(let folder, let port):
            return "postgresql://\(user)@/\(database)?host=\(folder)" + (port == 5432 ? "" : "&port=\(port)")
        case .tcp(let host, let port):
            let h = host.contains(":") ? "[\(host)]" : host
            var text = "postgresql://\(user)@\(h):\(port)/\(database)"
            if encryption != .prefer { text += "?sslmode=\(encryption.rawValue)" }
            return text
        }
    }

    /// The socket file for a Unix-socket endpoint.
    public var socketPath: String? {
        guard case .socket(let folder, let port) = endpoint else { return nil }
        return folder + "/.s.PGSQL.\(port)"
    }

    /// Parses a connection string; refuses, in Chinese, anything it cannot use safely.
    public static func parse(_ text: String) throws(StoreError) -> PostgresLocation {
        func bad(_ why: String) -> StoreError {
            .database(
                "连接串 \(PostgresLocation.redacted(text)) 有误：\(why)。应形如 postgresql://用户名@/数据库名?host=/套接字目录 或 postgresql://用户名@主机:端口/数据库名"
            )
        }
        guard isConnectionString(text) else { throw bad("应以 postgresql:// 开头") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == " " }) else {
            throw bad("含有空格或控制字符")
        }
        var rest = Substring(text.drop(while: { $0 != ":" }).dropFirst(3))
        var query = ""
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw bad("缺少数据库名") }
        let authority = rest[..<slash]
        let database = try decode(String(rest[rest.index(after: slash)...]), bad)
        guard !database.isEmpty else { throw bad("缺少数据库名") }
        guard !database.contains("/") else { throw bad("数据库名中不能有 /") }
        guard let at = authority.lastIndex(of: "@") else { throw bad("缺少用户名（写在 @ 之前）") }
        let userInfo = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        guard !userInfo.contains(":") else {
            throw bad("口令不能写在连接串里（会出现在命令行、进程列表和配置文件中）；请把口令写进只有服务账户能读的口令文件，用 passfile= 指明")
        }
        let user = try decode(String(userInfo), bad)
        guard !user.isEmpty else { throw bad("缺少用户名（写在 @ 之前）") }

        var host: String? = nil
        var port: Int? = nil
        if !hostPort.isEmpty {
            var h = hostPort
            var p: Substring? = nil
            if h.first == "[" {
                guard let close = h.firstIndex(of: "]") else { throw bad("IPv6 地址缺少 ]") }
                let after = h[h.index(after: close)...]
                if after.first == ":" { p = after.dropFirst() } else if !after.isEmpty { throw bad("主机名后有多余的字符") }
                h = h[h.index(after: h.startIndex)..<close]
            } else if let colon = h.lastIndex(of: ":") {
                p = h[h.index(after: colon)...]
                h = h[..<colon]
            }
            host = try decode(String(h), bad)
            if let p { port = try parsePort(String(p), bad) }
        }
        var passwordFile: String? = nil
        var encryption: Encryption? = nil
        var rootCertificates: String? = nil
        var seen = Set<String>()
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let eq = pair.firstIndex(of: "=") else { throw bad("参数 \(pair) 缺少 =") }
            let key = String(pair[..<eq])
            let value = try decode(String(pair[pair.index(after: eq)...]), bad)
            guard seen.insert(key).inserted else { throw bad("参数 \(key) 重复") }
            switch key {
            case "host":
                guard host == nil else { throw bad("主机既写在 @ 之后，又用 host= 给出") }
                host = value
            case "port": port = try parsePort(value, bad)
            case "dbname", "user": throw bad("\(key) 应写在连接串的路径中，不用参数")
            case "passfile":
                guard value.hasPrefix("/") else { throw bad("passfile 应为绝对路径") }
                passwordFile = value
            case "password": throw bad("口令不能写在连接串里；请把口令写进只有服务账户能读的口令文件，用 passfile= 指明")
            case "sslmode": encryption = try parseEncryption(value, bad)
            case "sslrootcert": rootCertificates = try parseRootCertificates(value, bad)
            case "application_name", "connect_timeout": break
            default: throw bad("不认识的参数 \(key)")
            }
        }
        guard let host, !host.isEmpty else { throw bad("缺少主机：写在 @ 之后，或用 host=/套接字目录 给出") }
        let endpoint: Endpoint
        if host.hasPrefix("/") {
            endpoint = .socket(folder: host, port: port ?? 5432)
            guard host.utf8.count + 20 < 108 else { throw bad("套接字目录的路径过长") }
        } else {
            endpoint = .tcp(host: host, port: port ?? 5432)
        }
        try checkEncryption(endpoint, encryption, rootCertificates, bad)
        return PostgresLocation(
            endpoint: endpoint, user: user, database: database, passwordFile: passwordFile, encryption: encryption,
            rootCertificates: rootCertificates)
    }

    static func parseEncryption(_ value: String, _ bad: (String) -> StoreError) throws(StoreError) -> Encryption {
        guard let mode = Encryption(rawValue: value) else {
            let known = Encryption.allCases.map(\.rawValue).joined(separator: "、")
            throw bad("sslmode=\(value) 不认识：可写 \(known)（allow 不加密时不检查服务器，不予支持）")
        }
        return mode
    }

    /// `sslrootcert`: an absolute path, or `system` for the system's authorities (nil).
    static func parseRootCertificates(_ value: String, _ bad: (String) -> StoreError) throws(StoreError) -> String? {
        if value == "system" { return nil }
        guard value.hasPrefix("/") else { throw bad("sslrootcert 应为绝对路径（或写 system，用系统信任的证书机构）") }
        return value
    }

    /// Encryption asked of a connection that cannot have it, or authorities named where none
    /// are checked, are refused rather than silently ignored.
    static func checkEncryption(
        _ endpoint: Endpoint, _ encryption: Encryption?, _ roots: String?, _ bad: (String) -> StoreError
    ) throws(StoreError) {
        if case .socket = endpoint, let encryption, encryption != .disable, encryption != .prefer {
            throw bad("经本机 Unix 套接字的连接不出本机，不加密：sslmode=\(encryption.rawValue) 只用于经网络（主机名或 IP 地址）的连接")
        }
        if roots != nil, encryption == .disable {
            throw bad("sslmode=disable 不加密，不核验服务器的证书：sslrootcert 无从使用")
        }
    }

    static func parsePort(_ text: String, _ bad: (String) -> StoreError) throws(StoreError) -> Int {
        guard let p = Int(text), (1...65535).contains(p), text.allSatisfy(\.isASCII) else {
            throw bad("端口 \(text) 不是 1–65535 的数")
        }
        return p
    }

    /// %XX decoding of one part of the string.
    static func decode(_ text: String, _ bad: (String) -> StoreError) throws(StoreError) -> String {
        guard text.contains("%") else { return text }
        var out: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        while let b = bytes.next() {
            if b == UInt8(ascii: "%") {
                guard let h = bytes.next(), let l = bytes.next(),
                    let v = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16)
                else { throw bad("% 后应有两位十六进制数") }
                out.append(v)
            } else {
                out.append(b)
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw bad("% 编码的不是 UTF-8 文字") }
        return s
    }

    /// The string with any password in it masked (for messages): after a `:` in the user part,
    /// and the value of a `password=` parameter.
    static func redacted(_ text: String) -> String {
        var text = text
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        {
            text = String(text[..<colon]) + ":***" + String(text[at...])
        }
        if let q = text.firstIndex(of: "?") {
            let params = text[text.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false).map {
                $0.hasPrefix("password=") ? "password=***" : String($0)
            }
            text = String(text[...q]) + params.joined(separator: "&")
        }
        return text
    }

    // MARK: The password file

    /// The password for this location from `passwordFile` (nil when none is named or no line
    /// matches). Refuses a file that others may read, a link, or something not a file.
    public func password() throws(StoreError) -> String? {
        guard let path = passwordFile else { return nil }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP { throw .symlink(path) }
            throw .database("无法读取数据库口令文件 \(path)：\(StoreError.reason(e))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .database("无法读取数据库口令文件 \(path)：\(StoreError.reason(errno))") }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .database("数据库口令文件 \(path) 不是普通文件，拒绝使用") }
        guard st.st_mode & 0o077 == 0 else {
            throw .database(
                "数据库口令文件 \(path) 的权限为 \(String(st.st_mode & 0o777, radix: 8))，组和其他用户也能读取：口令文件只能由服务账户读取，"
                    + "请执行 chmod 600 \(path)")
        }
        guard st.st_size <= 64 << 10 else { throw .database("数据库口令文件 \(path) 过大，不是口令文件") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        guard let text = String(validating: bytes.prefix(got), as: UTF8.self) else {
            throw .database("数据库口令文件 \(path) 不是 UTF-8 文本")
        }
        return PostgresLocation.matchPassword(in: text, location: self)
    }

    /// The first .pgpass line matching the location (host, port, database, user; `*` for any).
    static func matchPassword(in text: String, location: PostgresLocation) -> String? {
        let (host, port): (String, Int) =
            switch location.endpoint {
            case .socket(_, let p): ("localhost", p)
            case .tcp(let h, let p): (h, p)
            }
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = splitPgpass(String(line))
            guard fields.count == 5 else { continue }
            func fits(_ f: String, _ v: String) -> Bool { f == "*" || f == v }
            if fits(fields[0], host), fits(fields[1], String(port)), fits(fields[2], location.database),
                fits(fields[3], location.user)
            {
                return fields[4]
            }
        }
        return nil
    }

    /// Splits a .pgpass line at unescaped colons (the last field takes the rest of the line).
    static func splitPgpass(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
