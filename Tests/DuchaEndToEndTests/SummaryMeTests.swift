import DuchaTestSupport
import Foundation
import Testing

/// `ducha summary --me` as /etc/profile.d runs it at every login: the unit's lines, and nothing
/// at all (status 0) for someone not in the roster, without a repository or with nothing pending.
/// With DUCHA_TEST_BACKEND=postgresql the ledger is a database (without a repository: a database
/// that holds no ledger).
@Suite(.serialized) struct SummaryMeTests {
    @Test func withoutARepositoryNothingIsPrinted() throws {
        let dir = TemporaryDirectory("ducha-me")
        let none = TestBackend.postgres ? TestBackend.repository(dir, "none") : dir.sub("none")
        let r = try Binary.run(["summary", "--me"], environment: ["DUCHA_REPO": none])
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r.stdout)\(r.stderr)")
        // Without --me a missing repository is an error as usual.
        let plain = try Binary.run(["summary"], environment: ["DUCHA_REPO": none])
        #expect(plain.status == 1 && plain.stderr.hasPrefix("错误："))
    }

    @Test(.enabled(if: OSAccounts.canCreate, "需要 root 才能用 useradd 创建测试账号"))
    func aUnitUserSeesItsLinesAndAStrangerNothing() throws {
        for login in ["duchat_me_clerk", "duchat_me_unit", "duchat_me_out"] {
            try OSAccounts.ensure(login, group: "duchat")
        }
        let dir = TemporaryDirectory("ducha-me")
        let shared = TestBackend.Shared(dir)
        let binary = OSAccounts.install(into: dir.sub("prefix"))
        OSAccounts.share(dir.path, group: "duchat")
        func run(_ user: String, _ args: [String]) throws -> Binary.Result {
            try Binary.run(["--repo", shared.repo(for: user), "--today", "2026-11-02"] + args, runAs: user, binary: binary)
        }
        func run(_ user: String, _ args: String...) throws -> Binary.Result { try run(user, args) }
        #expect(try run("duchat_me_clerk", ["init", "--test-clock"] + TestBackend.createOptions).status == 0)
        #expect(try run("duchat_me_clerk", "unit", "add", "县交通局").status == 0)
        #expect(try run("duchat_me_clerk", "user", "add", "duchat_me_unit", "--role", "unit", "--unit", "县交通局").status == 0)
        let nothing = try run("duchat_me_unit", "summary", "--me")
        #expect(nothing.status == 0 && nothing.stdout.isEmpty && nothing.stderr.isEmpty)
        #expect(try run("duchat_me_clerk", "add", "--title", "修复城南道路", "--lead", "县交通局", "--deadline", "2026-11-04").status == 0)
        let unit = try run("duchat_me_unit", "summary", "--me")
        #expect(unit.status == 0)
        #expect(unit.stdout == "督查督办（县交通局）：待签收 1 件、临期 1 件。\n运行 ducha 查看和办理。\n")
        let stranger = try run("duchat_me_out", "summary", "--me")
        #expect(stranger.status == 0 && stranger.stdout.isEmpty && stranger.stderr.isEmpty)
    }
}
