import DuchaTestSupport
import Foundation
import Testing

/// The actor is the OS login: real accounts made with useradd, commands run with runuser.
@Suite(.serialized) struct IdentityTests {
    static let group = "duchat"

    @Test(.enabled(if: OSAccounts.canCreate, "需要 root 才能用 useradd 创建测试账号"))
    func unitUsersActOnlyForTheirOwnUnit() throws {
        for login in ["duchat_clerk", "duchat_cz", "duchat_fg", "duchat_ld"] {
            try OSAccounts.ensure(login, group: IdentityTests.group)
        }
        let dir = TemporaryDirectory("ducha-id")
        let repo = dir.sub("repo")
        let binary = OSAccounts.install(into: dir.sub("prefix"))
        OSAccounts.share(dir.path, group: IdentityTests.group)
        func run(_ user: String, _ args: String...) throws -> Binary.Result {
            try Binary.run(["--repo", repo, "--today", "2026-11-02"] + args, runAs: user, binary: binary)
        }
        #expect(try run("duchat_clerk", "init").status == 0)
        for u in ["县财政局", "县发改局"] { #expect(try run("duchat_clerk", "unit", "add", u).status == 0) }
        #expect(
            try run("duchat_clerk", "user", "add", "duchat_cz", "--role", "unit", "--unit", "县财政局").stdout.contains(
                "已同时将当前用户 duchat_clerk 登记为督查室"))
        #expect(try run("duchat_clerk", "user", "add", "duchat_fg", "--role", "unit", "--unit", "县发改局").status == 0)
        #expect(try run("duchat_clerk", "user", "add", "duchat_ld", "--role", "leader").status == 0)
        #expect(try run("duchat_clerk", "add", "--title", "财政事项", "--lead", "县财政局", "--deadline", "2026-11-30").status == 0)
        #expect(try run("duchat_clerk", "add", "--title", "发改事项", "--lead", "县发改局", "--deadline", "2026-11-30").status == 0)

        // The unit's liaison signs its own item; the record names the liaison and the unit.
        let sign = try run("duchat_cz", "sign", "1")
        #expect(sign.status == 0, "\(sign.stderr)")
        #expect(try run("duchat_clerk", "log", "1").stdout.contains("县财政局  签收"))
        // …but not another unit's, and not by naming another unit.
        let other = try run("duchat_cz", "sign", "2")
        #expect(other.status == 1 && other.stderr.contains("县财政局 无权签收 督〔2026〕第0002号：该事项不由本单位承办"))
        let pretend = try run("duchat_cz", "feedback", "1", "进展", "--for", "县发改局")
        #expect(pretend.status == 1 && pretend.stderr.contains("不能代其他单位"))
        // It sees only its own items.
        let list = try run("duchat_cz", "list")
        #expect(list.stdout.contains("财政事项") && !list.stdout.contains("发改事项"))
        #expect(try run("duchat_cz", "show", "2").stderr.contains("无权查看"))
        // A leader reads everything and changes nothing but comments.
        #expect(try run("duchat_ld", "list").stdout.contains("发改事项"))
        #expect(try run("duchat_ld", "feedback", "1", "x").status == 1)
        #expect(try run("duchat_ld", "comment", "1", "抓紧办理").status == 0)
        // Someone not in the roster is refused.
        let stranger = try Binary.run(["--repo", repo, "list"], runAs: "nobody", binary: binary)
        #expect(stranger.status == 1)
    }
}
