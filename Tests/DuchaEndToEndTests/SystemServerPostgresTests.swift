import DuchaTestSupport
import Foundation
import Testing

extension SystemServerTests {
    /// The shared server with its ledger moved into PostgreSQL, as the README says: the
    /// supervisor migrates the system repository, the administrator names the database in the
    /// configuration file. The setuid ducha runs the setuid ducha-pg installed beside it, which
    /// reads the password file only the service account can read; the people never see it.
    @Test func theLedgerMovedToADatabaseWhosePasswordOnlyTheServiceAccountReads() throws {
        let server = try Server()
        try server.populate()
        let prefix = server.dir.sub("prefix")
        let installed = try FileManager.default.attributesOfItem(atPath: prefix + "/bin/ducha-pg")
        #expect(installed[.ownerAccountName] as? String == "ducha")
        #expect((installed[.posixPermissions] as? Int ?? 0) & 0o7777 == 0o4755)

        let pg = try TestPostgres.shared()
        // The service account reaches the server's socket (the folder is otherwise the server's alone).
        chmod(pg.socketFolder, 0o711)
        let database = try pg.makeDatabase()
        let passfile = server.dir.sub("pgpass")
        try "*:*:\(database):\(TestPostgres.appRole):\(TestPostgres.appPassword)\n".write(
            toFile: passfile, atomically: false, encoding: .utf8)
        #expect(OSAccounts.shell("chown ducha:ducha '\(passfile)' && chmod 600 '\(passfile)'") == 0)
        let connection = pg.connectionString(database: database) + "&passfile=\(passfile)"

        let s = SystemServerTests.supervisor
        let f = SystemServerTests.finance
        let migrated = try server.ducha(s, ["migrate", "--to", connection, "--owner", TestPostgres.superuser])
        #expect(migrated.status == 0 && migrated.stdout.contains("已把台账"), "\(migrated.stderr)")
        try "# ducha 的系统台账\nrepo=\(connection)\n".write(toFile: prefix + "/etc/ducha.conf", atomically: false, encoding: .utf8)

        // A unit's user: its own item only, from the database; the password file stays closed to it.
        let list = try server.ducha(f, ["list"])
        #expect(list.status == 0 && list.stdout.contains("财政资金直达基层") && !list.stdout.contains("工业园区用电报装提速"), "\(list)")
        #expect(server.shell(f, "cat '\(passfile)'") != 0)
        #expect(server.shell(s, "cat '\(passfile)'") != 0)
        let feedback = try server.ducha(f, ["feedback", "1", "经数据库报送的进展"])
        #expect(feedback.status == 0, "\(feedback.stderr)")
        #expect(try server.ducha(s, ["log", "1"]).stdout.contains("经数据库报送的进展"))
        #expect(try pg.psql("SELECT count(*) FROM records WHERE line LIKE '%经数据库报送的进展%'", database: database) == "1\n")
        // --repo may name the configured database only.
        let elsewhere = try server.ducha(f, ["--repo", pg.connectionString(database: "postgres"), "list"])
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("只能使用系统台账"), "\(elsewhere)")
        #expect(try server.ducha(s, ["check"]).stdout.contains("检查通过"))
    }
}
