import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// A libpq service name (`service=ducha`): the connection's parts kept in a service file
/// (pg_service.conf: `[ducha]` then `host=…`, `port=…`, `dbname=…`, `user=…`, `passfile=…`
/// lines), so that the configuration file and the command line name the service only.
extension PostgresLocation {
    /// Whether `text` names a service rather than a folder.
    public static func isServiceName(_ text: String) -> Bool { text.hasPrefix("service=") }

    /// The location the service `text` (`service=NAME`) names in the service file at `file`.
    /// The file must be a regular file no one but its owner may change; a password in it is
    /// refused like one in a connection string.
    public static func service(_ text: String, file: String) throws(StoreError) -> PostgresLocation {
        let name = String(text.dropFirst("service=".count))
        func bad(_ why: String) -> StoreError { .database("数据库服务 \(name.sanitized())（服务文件 \(file)）有误：\(why)") }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
            throw .database("数据库服务名“\(name.sanitized())”不合要求：只能由英文字母、数字、下划线、连字符和点组成")
        }
        var st = stat()
        guard lstat(file, &st) == 0 else { throw .database("无法读取数据库服务文件 \(file)：\(StoreError.reason(errno))") }
        guard st.st_mode & S_IFMT == S_IFREG, st.st_mode & 0o022 == 0 else {
            throw .database("数据库服务文件 \(file) 不是普通文件，或组和其他用户可以修改；出于安全考虑拒绝使用")
        }
        guard let text = String(validating: try DataDirectory.read(file, limit: 64 << 10), as: UTF8.self) else {
            throw .database("数据库服务文件 \(file) 不是 UTF-8 文本")
        }
        var inSection = false
        var found = false
        var values: [String: String] = [:]
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                inSection = line.dropFirst().dropLast() == name
                found = found || inSection
                continue
            }
            guard inSection else { continue }
            guard let eq = line.firstIndex(of: "=") else { throw bad("“\(line.sanitized())”应为“键=值”") }
            values[line[..<eq].trimmingSpaces] = line[line.index(after: eq)...].trimmingSpaces
        }
        guard found else { throw .database("服务文件 \(file) 中没有数据库服务 \(name.sanitized())") }
        guard let user = values.removeValue(forKey: "user"), !user.isEmpty else { throw bad("缺少 user") }
        guard let database = values.removeValue(forKey: "dbname"), !database.isEmpty else { throw bad("缺少 dbname") }
        guard let host = values.removeValue(forKey: "host"), !host.isEmpty else { throw bad("缺少 host") }
        var port = 5432
        if let p = values.removeValue(forKey: "port") { port = try parsePort(p, bad) }
        let passwordFile = values.removeValue(forKey: "passfile")
        if let passwordFile, !passwordFile.hasPrefix("/") { throw bad("passfile 应为绝对路径") }
        if values["password"] != nil { throw bad("口令不能写在服务文件里；请把口令写进只有服务账户能读的口令文件，用 passfile= 指明") }
        let encryption = try values.removeValue(forKey: "sslmode").map { (v) throws(StoreError) in try parseEncryption(v, bad) }
        let roots = try values.removeValue(forKey: "sslrootcert").flatMap { (v) throws(StoreError) in
            try parseRootCertificates(v, bad)
        }
        for key in values.keys where !["application_name", "connect_timeout"].contains(key) { throw bad("不认识的设置 \(key)") }
        let endpoint: Endpoint = host.hasPrefix("/") ? .socket(folder: host, port: port) : .tcp(host: host, port: port)
        try checkEncryption(endpoint, encryption, roots, bad)
        return PostgresLocation(
            endpoint: endpoint, user: user, database: database, passwordFile: passwordFile, encryption: encryption,
            rootCertificates: roots)
    }
}
