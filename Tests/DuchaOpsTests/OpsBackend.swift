import DuchaCore
import DuchaPostgres
import DuchaStore
import DuchaTestSupport

/// The store an operations test runs on: the folder it built, or with DUCHA_TEST_BACKEND=postgresql
/// (`make test`'s second pass) the same ledger migrated into a fresh database of the test server
/// and opened as ducha's role. A database's records take the server's clock, so there the
/// ledger is a test-clock one and the operations run on the test's day (`clock`).
enum OpsBackend {
    /// The settings a test's ledger starts with: a test-clock ledger on a database.
    static func settings(officeName: String) -> Settings {
        var s = Settings(officeName: officeName)
        s.testClock = TestBackend.postgres
        return s
    }

    /// `repo`, or its ledger copied into a database.
    static func store(_ repo: Repository, _ dir: TemporaryDirectory) throws -> LedgerStore {
        guard TestBackend.postgres else { return repo }
        let app = try PostgresLocation.parse(try TestBackend.database(dir, "ops"))
        var owner = app
        owner.user = TestPostgres.superuser
        try PostgresStore.migrate(try Repository.open(at: repo.directory), owner: owner, app: app.user)
        return try PostgresStore.open(app)
    }

    /// The clock of the operations: `now` on a folder; the test's day on a database.
    static func clock(today: Day, now: Timestamp) -> RecordClock {
        TestBackend.postgres ? RecordClock(fixedToday: today) : RecordClock(now: { now })
    }
}
