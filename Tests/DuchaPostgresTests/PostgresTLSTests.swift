import DuchaCore
import DuchaPostgres
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// A database on another host is reached encrypted: sslmode as libpq reads it, the server's
/// certificate checked against the authority sslrootcert names, and a server that takes only
/// encrypted clients refusing a plain connection — on a real server with TLS (a certificate of
/// its own authority, for the name localhost only).
@Suite(.serialized) struct PostgresTLSTests {
    /// One server for the suite: TCP on 127.0.0.1 at a port of its own, encrypted clients only.
    static let server: Result<LocalPostgres, Error> = {
        let port = 20_000 + Int(getpid() % 20_000)
        let r = Result { try LocalPostgres.start(addresses: ["127.0.0.1"], clients: "127.0.0.1/32", port: port, tls: true) }
        if case .success(let s) = r {
            running = s
            atexit { PostgresTLSTests.running?.stop() }
        }
        return r
    }()
    nonisolated(unsafe) static var running: LocalPostgres?

    let folder = TemporaryDirectory("ducha-pg-tls")

    /// A ledger made over the socket by the owner; the app role's password file; the string
    /// for the app role over TCP to `host` with `parameters`.
    func ledger() throws -> (server: LocalPostgres, database: String, tcp: (String, String) -> String) {
        let server = try Self.server.get()
        let database = try server.makeDatabase()
        let passfile = folder.sub("pgpass")
        try "*:*:\(database):\(LocalPostgres.appRole):\(LocalPostgres.appPassword)\n".write(
            toFile: passfile, atomically: false, encoding: .utf8)
        chmod(passfile, 0o600)
        var settings = Settings(officeName: "青山县委督查室")
        settings.testClock = true
        try PostgresStore.create(
            owner: PostgresLocation.parse(server.connectionString(database: database, role: LocalPostgres.superuser)),
            app: LocalPostgres.appRole, settings: settings, login: "clerk",
            clock: RecordClock(fixedToday: Fixtures.day("2026-11-02")))
        let port = server.port
        return (
            server, database,
            { host, parameters in
                "postgresql://\(LocalPostgres.appRole)@\(host):\(port)/\(database)?passfile=\(passfile)&\(parameters)"
            }
        )
    }

    /// Whether the app role's open connection to `database` is encrypted, as the server says.
    func encrypted(_ server: LocalPostgres, _ database: String) throws -> String {
        try server.psql(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                + "WHERE a.usename = '\(LocalPostgres.appRole)' AND a.datname = '\(database)'",
            database: "postgres")
    }

    @Test func theServersCertificateIsCheckedAndTheConnectionIsEncrypted() throws {
        let (server, database, tcp) = try ledger()
        let ca = server.authorityCertificate
        // verify-full by the name the certificate is for.
        let store = try PostgresStore.open(tcp("localhost", "sslmode=verify-full&sslrootcert=\(ca)"), mode: .only([]))
        #expect(store.ledger.settings.officeName == "青山县委督查室")
        let ssl = try encrypted(server, database)
        #expect(ssl.trimmingSpaces == "t", "\(ssl)")
        withExtendedLifetime(store) {}
        // verify-ca checks the authority only; require checks nothing but still encrypts.
        _ = try PostgresStore.open(tcp("127.0.0.1", "sslmode=verify-ca&sslrootcert=\(ca)"), mode: .only([]))
        _ = try PostgresStore.open(tcp("127.0.0.1", "sslmode=require"), mode: .only([]))
        // The default over TCP (prefer) encrypts when the server offers it, as libpq does.
        _ = try PostgresStore.open(tcp("127.0.0.1", "application_name=ducha"), mode: .only([]))
    }

    @Test func aCertificateNotForTheHostOrNotFromTheAuthorityIsRefused() throws {
        let (server, _, tcp) = try ledger()
        // The certificate is for localhost, not for the address.
        let byAddress = #expect(throws: StoreError.self) {
            try PostgresStore.open(tcp("127.0.0.1", "sslmode=verify-full&sslrootcert=\(server.authorityCertificate)"))
        }
        #expect(byAddress?.message.contains("服务器的证书不是为所连的主机 127.0.0.1 签发的") == true, "\(byAddress?.message ?? "")")
        // Another authority: a certificate of its own, not the one that signed the server's.
        let other = folder.sub("other-ca.crt")
        let made = try Binary.run(
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                "/CN=another", "-keyout", folder.sub("other-ca.key"), "-out", other,
            ], binary: "/usr/bin/openssl")
        #expect(made.status == 0, "\(made.stderr)")
        let stranger = #expect(throws: StoreError.self) {
            try PostgresStore.open(tcp("localhost", "sslmode=verify-ca&sslrootcert=\(other)"))
        }
        #expect(stranger?.message.contains("不是由证书机构文件 \(other)（sslrootcert）中的机构签发的") == true, "\(stranger?.message ?? "")")
        // As libpq: require with an authority file named checks the certificate too.
        let required = #expect(throws: StoreError.self) {
            try PostgresStore.open(tcp("localhost", "sslmode=require&sslrootcert=\(other)"))
        }
        #expect(required?.message.contains("没有通过核验") == true, "\(required?.message ?? "")")
        _ = try PostgresStore.open(
            tcp("127.0.0.1", "sslmode=require&sslrootcert=\(server.authorityCertificate)"), mode: .only([]))
        // No English, no build path in what the user reads.
        for m in [byAddress?.message, stranger?.message, required?.message] {
            #expect(m.map { !$0.contains("SSL") && !$0.contains("/.build/") && !$0.contains("Error") } == true, "\(m ?? "")")
        }
        // An authority file that is not there is named as such.
        let missing = #expect(throws: StoreError.self) {
            try PostgresStore.open(tcp("localhost", "sslmode=verify-full&sslrootcert=\(folder.sub("none.crt"))"))
        }
        #expect(missing?.message.contains("（sslrootcert）无法读取") == true, "\(missing?.message ?? "")")
        // Not a certificate at all.
        let junk = folder.sub("junk.pem")
        try "不是证书\n".write(toFile: junk, atomically: false, encoding: .utf8)
        let bad = #expect(throws: StoreError.self) {
            try PostgresStore.open(tcp("localhost", "sslmode=verify-full&sslrootcert=\(junk)"))
        }
        #expect(bad?.message.contains("应为 PEM 格式的证书") == true, "\(bad?.message ?? "")")
    }

    @Test func aServerThatTakesOnlyEncryptedClientsRefusesAPlainConnectionSayingSo() throws {
        let (_, _, tcp) = try ledger()
        let plain = #expect(throws: StoreError.self) { try PostgresStore.open(tcp("127.0.0.1", "sslmode=disable")) }
        #expect(plain?.message.contains("只接受加密连接") == true, "\(plain?.message ?? "")")
        #expect(plain?.message.contains("口令不对") == false)
    }
}

extension PostgresLocationTests {
    @Test func encryptionIsReadAsLibpqWritesIt() throws {
        let full = try PostgresLocation.parse(
            "postgresql://ducha@db.county.local/ducha?sslmode=verify-full&sslrootcert=/etc/ducha/ca.crt")
        #expect(full.encryption == .verifyFull && full.rootCertificates == "/etc/ducha/ca.crt")
        #expect(full.display == "postgresql://ducha@db.county.local:5432/ducha?sslmode=verify-full")
        #expect(try PostgresLocation.parse("postgresql://ducha@db/ducha").encryption == .prefer)
        #expect(
            try PostgresLocation.parse("postgresql://ducha@db/ducha?sslmode=verify-ca&sslrootcert=system").rootCertificates == nil
        )
        // A socket does not leave the machine: never encrypted.
        #expect(try PostgresLocation.parse("postgresql://ducha@/ducha?host=/run/postgresql").encryption == .disable)
    }

    @Test(arguments: [
        ("postgresql://ducha@db/ducha?sslmode=allow", "sslmode=allow 不认识"),
        ("postgresql://ducha@db/ducha?sslmode=verify-full&sslrootcert=ca.crt", "sslrootcert 应为绝对路径"),
        ("postgresql://ducha@db/ducha?sslmode=disable&sslrootcert=/etc/ca.crt", "sslrootcert 无从使用"),
        ("postgresql://ducha@/ducha?host=/run/postgresql&sslmode=require", "经本机 Unix 套接字的连接不出本机"),
    ])
    func encryptionThatCannotBeHadIsRefusedInChinese(_ text: String, _ why: String) {
        let error = #expect(throws: StoreError.self) { try PostgresLocation.parse(text) }
        #expect(error?.message.contains(why) == true, "\(error?.message ?? "")")
    }

    @Test func aServiceFileNamesTheEncryptionToo() throws {
        let dir = TemporaryDirectory()
        let file = dir.sub("pg_service.conf")
        try "[ducha]\nhost=db.county.local\ndbname=ducha\nuser=ducha\nsslmode=verify-full\nsslrootcert=/etc/ducha/ca.crt\n".write(
            toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o644)
        let s = try PostgresLocation.service("service=ducha", file: file)
        #expect(s.encryption == .verifyFull && s.rootCertificates == "/etc/ducha/ca.crt")
    }
}
