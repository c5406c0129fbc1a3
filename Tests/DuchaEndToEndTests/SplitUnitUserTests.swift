import DuchaTestSupport
import Foundation
import Testing

/// 分别办理 as a unit's liaison sees it, with real OS accounts: the parent's number is the
/// unit's own part; the other units' parts are neither shown nor reachable by any number.
@Suite(.serialized) struct SplitUnitUserTests {
    @Test(.enabled(if: OSAccounts.canCreate, "需要 root 才能用 useradd 创建测试账号"))
    func aUnitUserActsOnItsOwnPartOnly() throws {
        for login in ["duchat_sp_clerk", "duchat_sp_cz", "duchat_sp_cj"] { try OSAccounts.ensure(login, group: "duchat") }
        let dir = TemporaryDirectory("ducha-split-user")
        let repo = dir.sub("repo")
        let binary = OSAccounts.install(into: dir.sub("prefix"))
        OSAccounts.share(dir.path, group: "duchat")
        func run(_ user: String, _ args: String..., today: String = "2026-11-02") throws -> Binary.Result {
            try Binary.run(["--repo", repo, "--today", today] + args, runAs: user, binary: binary)
        }
        func ok(_ user: String, _ args: String..., today: String = "2026-11-02") throws -> String {
            let r = try Binary.run(["--repo", repo, "--today", today] + args, runAs: user, binary: binary)
            #expect(r.status == 0, "\(user) \(args)：\(r.stderr)")
            return r.stdout
        }
        let clerk = "duchat_sp_clerk"
        _ = try ok(clerk, "init", "--test-clock")
        for u in ["城关镇", "县财政局", "县教育局"] { _ = try ok(clerk, "unit", "add", u) }
        _ = try ok(clerk, "user", "add", "duchat_sp_cz", "--role", "unit", "--unit", "城关镇")
        _ = try ok(clerk, "user", "add", "duchat_sp_cj", "--role", "unit", "--unit", "县财政局")
        #expect(
            try ok(
                clerk, "add", "--title", "背街小巷整治", "--lead", "城关镇", "--lead", "县财政局", "--lead", "县教育局",
                "--deadline", "2026-11-20") == "督〔2026〕第0001号\n")

        // By the parent's number, the liaison acts on its own part, without --for.
        #expect(try ok("duchat_sp_cz", "sign", "1").contains("已签收 督〔2026〕第0001号（城关镇）"))
        _ = try ok("duchat_sp_cz", "feedback", "1", "城关镇已清理三条小巷")
        _ = try ok("duchat_sp_cj", "sign", "1")
        let log = try ok(clerk, "log", "1之1")
        #expect(log.contains("城关镇  签收") && log.contains("城关镇已清理三条小巷"), "\(log)")
        #expect(!(try ok(clerk, "log", "1之2")).contains("城关镇已清理三条小巷"))
        #expect(try ok(clerk, "show", "1之2").contains("状态：办理中"))

        // Another unit's part is refused by every number that names it; nothing is written.
        let journal = try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl"))
        for args in [
            ["feedback", "1之2", "x"], ["feedback", "1（县财政局）", "x"], ["feedback", "督〔2026〕第0001号（县财政局）", "x"],
            ["sign", "1之3"], ["feedback", "1", "x", "--for", "县财政局"], ["show", "1之2"], ["show", "1（县财政局）"],
            ["log", "1之2"],
        ] {
            let r = try Binary.run(["--repo", repo, "--today", "2026-11-03"] + args, runAs: "duchat_sp_cz", binary: binary)
            #expect(r.status == 1, "\(args) 应被拒绝：\(r.stdout)")
            #expect(r.stderr.hasPrefix("错误：") && (r.stderr.contains("无权") || r.stderr.contains("不能代")), "\(args)：\(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl")) == journal, "被拒绝的操作不写入任何记录")

        // What it reads shows its own part only.
        let shown = try ok("duchat_sp_cz", "show", "1")
        #expect(shown.contains("城关镇已清理三条小巷"), "\(shown)")
        for other in ["县财政局", "县教育局"] {
            #expect(!shown.contains(other), "show 泄露了 \(other) 的分项：\(shown)")
        }
        for args in [
            ["list"], ["list", "--format", "json"], ["export", "ledger"], ["export", "ledger", "--format", "json"],
            ["export", "overdue"], ["stats"], ["log"],
        ] {
            let r = try Binary.run(["--repo", repo, "--today", "2026-11-24"] + args, runAs: "duchat_sp_cz", binary: binary)
            #expect(r.status == 0, "\(args)：\(r.stderr)")
            #expect(!r.stdout.contains("县财政局") && !r.stdout.contains("县教育局"), "\(args) 泄露了其他单位的分项：\(r.stdout)")
        }
        let listed = try ok("duchat_sp_cz", "list", today: "2026-11-10")
        #expect(listed.contains("背街小巷整治"), "\(listed)")
        // The office still sees every unit.
        let all = try ok(clerk, "show", "1")
        #expect(all.contains("各单位办理情况（3个单位，已办结0个）"), "\(all)")
        #expect(try ok(clerk, "check").contains("检查通过"))
    }
}
