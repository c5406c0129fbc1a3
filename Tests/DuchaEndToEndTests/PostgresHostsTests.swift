import DuchaTestSupport
import Foundation
import Testing

/// Issue #16 point 6: one database, ducha on two hosts. PostgreSQL runs in one network
/// namespace, ducha in two others, each joined to it by a veth pair with private addresses
/// (10.77.1.0/24 for host A, 10.77.2.0/24 for host B): the hosts reach the database only over
/// TCP, with the password from their passfile. 8 processes (4 on each host) × 200 feedbacks at
/// once give exactly 1,600; an interface on host A shows host B's commit.
///
/// Takes minutes on a loaded machine: it runs only with DUCHA_TEST_HOSTS=1 (`make test-hosts`,
/// which .ci/run calls once), as root.
@Suite(
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["DUCHA_TEST_HOSTS"] == "1", "只在 make test-hosts 中运行"),
    .enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip"), "需要 root 和 ip 命令（网络命名空间）"))
struct PostgresHostsTests {
    static let today = "2026-11-02"

    /// The three namespaces and the two links, removed again when the value goes away.
    struct NetworkFailed: Error, CustomStringConvertible {
        var description: String { "无法建立网络命名空间和 veth 连接" }
    }

    final class Network: Sendable {
        let db: String
        let hosts: [String]
        let addresses = ["10.77.1.1", "10.77.2.1"]

        init() throws {
            let tag = String(getpid() % 100_000)
            db = "ducha-db-\(tag)"
            hosts = ["ducha-a-\(tag)", "ducha-b-\(tag)"]
            var script = "set -e; ip netns add \(db); ip -n \(db) link set lo up\n"
            for (i, host) in hosts.enumerated() {
                let n = i + 1
                script += """
                    ip netns add \(host); ip -n \(host) link set lo up
                    ip link add dv\(n)-\(tag) netns \(db) type veth peer name hv\(n)-\(tag) netns \(host)
                    ip -n \(db) addr add 10.77.\(n).1/24 dev dv\(n)-\(tag); ip -n \(db) link set dv\(n)-\(tag) up
                    ip -n \(host) addr add 10.77.\(n).2/24 dev hv\(n)-\(tag); ip -n \(host) link set hv\(n)-\(tag) up

                    """
            }
            guard OSAccounts.shell(script) == 0 else {
                remove()
                throw NetworkFailed()
            }
        }

        func remove() {
            for ns in [db] + hosts { OSAccounts.shell("ip netns del \(ns) 2>/dev/null") }
        }

        deinit { remove() }
    }

    /// ducha on `host` (nil: this machine, by the database's socket).
    static func ducha(_ host: String?, _ repo: String, _ args: [String], today: String = today) throws -> Binary.Result {
        guard let host else { return try Binary.run(["--repo", repo, "--today", today] + args) }
        return try Binary.run(
            ["netns", "exec", host, Binary.path, "--repo", repo, "--today", today] + args, binary: "/usr/sbin/ip")
    }

    @Test func twoHostsCommitAtOnceAndSeeEachOther() throws {
        let network = try Network()
        let server = try TestPostgres.start(addresses: network.addresses, clients: "10.77.0.0/16", namespace: network.db)
        defer { server.stop() }
        let dir = TemporaryDirectory("ducha-hosts")
        let database = try server.makeDatabase()
        let passfile = dir.sub("pgpass")
        try "*:*:\(database):\(TestPostgres.appRole):\(TestPostgres.appPassword)\n".write(
            toFile: passfile, atomically: false, encoding: .utf8)
        chmod(passfile, 0o600)
        let local = server.connectionString(database: database) + "&passfile=\(passfile)"
        // Each host reaches the server at its own end of its link, over TCP only.
        let remote = network.addresses.map { "postgresql://\(TestPostgres.appRole)@\($0):5432/\(database)?passfile=\(passfile)" }
        for args in [
            ["init", "--test-clock", "--owner", TestPostgres.superuser], ["unit", "add", "县财政局"],
            ["add", "--title", "两台服务器同时反馈", "--lead", "县财政局", "--deadline", "2026-12-31"], ["sign", "1"],
        ] {
            let r = try PostgresHostsTests.ducha(nil, local, args)
            #expect(r.status == 0, "\(args)：\(r.stderr)")
        }
        // Host A cannot reach host B's address: the links are separate.
        let across = try PostgresHostsTests.ducha(network.hosts[0], remote[1], ["list"])
        #expect(across.status == 1 && across.stderr.contains("无法连接数据库"), "\(across)")

        // An interface on host A.
        let t = try Tmux(
            "ip netns exec \(network.hosts[0]) env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen DUCHA_TODAY=\(PostgresHostsTests.today) "
                + "'\(Binary.path)' --repo '\(remote[0])'; echo \"退出码 $?\"; sleep 60")
        try t.waitFor("各单位办理情况")

        let writers = 8
        let each = 200
        let failures = Counter()
        let start = Date()
        let group = DispatchGroup()
        for w in 0..<writers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let host = w % 2
                for i in 0..<each {
                    let r = try? PostgresHostsTests.ducha(
                        network.hosts[host], remote[host], ["feedback", "1", "主机\(host == 0 ? "甲" : "乙")写者\(w)第\(i)条"])
                    if r?.status != 0 { failures.add() }
                }
            }
        }
        group.wait()
        let seconds = Date().timeIntervalSince(start)
        let log = try PostgresHostsTests.ducha(nil, local, ["log", "1"]).stdout
        let feedbacks = log.components(separatedBy: "反馈：").count - 1
        print(
            "两台主机：\(writers) 个进程（每台 \(writers / 2) 个）各提交 \(each) 条反馈，数据库中 \(feedbacks) 条，被拒 \(failures.value) 条；用时 \(Int(seconds)) 秒"
        )
        #expect(feedbacks == writers * each)
        #expect(failures.value == 0)
        for w in 0..<writers {
            #expect(log.components(separatedBy: "写者\(w)第").count - 1 == each, "写者\(w)的每条恰好一次")
        }
        #expect(try PostgresHostsTests.ducha(nil, local, ["check"]).stdout.contains("检查通过"))

        // Host B registers an item; the interface on host A shows it.
        let first = try t.waitFor("各单位办理情况").screen
        let open = try #require(first.firstMatch(of: /在办 (\d+)/).map { Int($0.1)! }, "\(first)")
        let add = try PostgresHostsTests.ducha(
            network.hosts[1], remote[1], ["add", "--title", "乙机登记的事项", "--lead", "县财政局", "--deadline", "2026-12-31"])
        #expect(add.status == 0, "\(add.stderr)")
        let (_, refresh) = try t.waitFor("在办 \(open + 1)", timeout: 5)
        print("乙机的提交在 \(String(format: "%.2f", refresh)) 秒内出现在甲机的界面上")
        try t.keys("q")
        try t.waitFor("退出码 0")
    }
}
