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

    /// What the ledger at `repo` holds of its history, to compare before and after a refusal:
    /// the journal's bytes, or the database's last sequence number and its record count.
    public static func written(_ repo: String) throws -> String {
        guard let database = databaseName(repo) else {
            return try String(contentsOfFile: repo + "/journal.jsonl", encoding: .utf8)
        }
        return try TestPostgres.shared().psql("SELECT coalesce(max(seq), 0) || ' ' || count(*) FROM records", database: database)
    }

    /// The database a test's connection string names (nil: a folder).
    public static func databaseName(_ repo: String) -> String? {
        guard repo.hasPrefix("postgresql://"), let slash = repo.dropFirst("postgresql://".count).firstIndex(of: "/") else {
            return nil
        }
        return String(repo[repo.index(after: slash)...].prefix { $0 != "?" })
    }

    /// A ledger that several OS accounts use (the role tests'): a folder the test shares with a
    /// group, or a database each account reaches through a password file of its own (ducha
    /// refuses a password file that others may read), over the server's socket, opened to them.
    public struct Shared: Sendable {
        let dir: TemporaryDirectory
        /// The folder, or the connection string without a password file.
        let place: String

        public init(_ dir: TemporaryDirectory, _ name: String = "repo") {
            self.dir = dir
            guard TestBackend.postgres else {
                place = dir.sub(name)
                return
            }
            do {
                let server = try TestPostgres.shared()
                chmod(server.socketFolder, 0o711)
                place = server.connectionString(database: try server.makeDatabase())
            } catch {
                fatalError("无法在测试用的 PostgreSQL 服务器上建立数据库：\(error)")
            }
        }

        /// The repository as `login` names it (its own password file, made on first use).
        public func repo(for login: String) -> String {
            guard let database = TestBackend.databaseName(place) else { return place }
            let passfile = dir.sub("\(login).pgpass")
            if !FileManager.default.fileExists(atPath: passfile) {
                try? "*:*:\(database):\(TestPostgres.appRole):\(TestPostgres.appPassword)\n".write(
                    toFile: passfile, atomically: false, encoding: .utf8)
                if let pw = getpwnam(login) { chown(passfile, pw.pointee.pw_uid, pw.pointee.pw_gid) }
                chmod(passfile, 0o600)
            }
            return place + "&passfile=\(passfile)"
        }
    }
}
