import Foundation

/// Where an end-to-end test keeps its ledger: a folder, or — with DUCHA_TEST_BACKEND=postgresql
/// (`make test` runs the CLI suites both ways) — a fresh database on the test server
/// (`TestPostgres.shared()`), which the test reaches by a connection string through `ducha`
/// as a user would: ducha runs ducha-pg for it.
public enum TestBackend {
    /// Whether this test run keeps its ledgers in PostgreSQL.
    public static var postgres: Bool { ProcessInfo.processInfo.environment["DUCHA_TEST_BACKEND"] == "postgresql" }

    /// A new place for a ledger: `dir/name`, or a new database whose password file is in `dir`.
    public static func repository(_ dir: TemporaryDirectory, _ name: String = "repo") -> String {
        guard postgres else { return dir.sub(name) }
        do {
            return try database(dir, name)
        } catch {
            fatalError("无法在测试用的 PostgreSQL 服务器上建立数据库：\(error)")
        }
    }

    /// A new, empty database and the connection string ducha works with (as the app role, its
    /// password in a passfile only the owner may read).
    public static func database(_ dir: TemporaryDirectory, _ name: String = "repo") throws -> String {
        let server = try TestPostgres.shared()
        let database = try server.makeDatabase()
        let passfile = dir.sub("\(name).pgpass")
        try "*:*:\(database):\(TestPostgres.appRole):\(TestPostgres.appPassword)\n".write(
            toFile: passfile, atomically: false, encoding: .utf8)
        chmod(passfile, 0o600)
        return server.connectionString(database: database) + "&passfile=\(passfile)"
    }

    /// What `init` and `demo` add on a database: the role that creates the tables.
    public static var createOptions: [String] { postgres ? ["--owner", TestPostgres.superuser] : [] }
}
