import DuchaTestSupport
import Foundation
import Testing

/// Batch actions and the 新 mark in a real terminal (tmux, 80×24): the operations run one by one
/// through the operations layer (hooks included), the status line says what was done and what
/// was refused; the user's last visit is kept outside the repository. With
/// DUCHA_TEST_BACKEND=postgresql the ledger is a database, whose marks are paged (`ChangeMarkBatches`).
@Suite(.serialized) struct BatchTerminalTests {
    @Test func markedRowsAreRemindedTogetherAndChangesSinceTheLastVisitMarkedNew() throws {
        let dir = TemporaryDirectory("ducha-batch")
        let repo = try TerminalTests.demo(dir)
        let hook = dir.sub("hook")
        try Script.write("#!/bin/sh\ncat >> \(dir.sub("reminded"))\n", to: hook)
        #expect(try Binary.run(["--repo", repo, "--today", TerminalTests.today, "config", "hook.催办", hook]).status == 0)
        let env = "XDG_STATE_HOME='\(dir.sub("state"))'"
        var t = try Tmux(TerminalTests.command(repo, env: env), width: 80, height: 24)
        try t.waitFor("各单位办理情况")
        // By number: 0001 is closed (refused), 0002 is being handled.
        try t.keys("2", "o", "o")
        try t.waitFor("排序：按编号")
        try t.keys("Home", "Space", "Space")
        try t.waitFor("已标记 2 件")
        try t.keys("r")
        try t.waitFor("催办已标记的 2 件")
        try t.keys("Enter")
        try t.waitFor("催办说明（可不填）")
        try t.keys("Enter")
        try t.waitFor("对已标记的 2 件事项电话催办？")
        try t.keys("y")
        let done = try t.waitFor("已催办 1 件；1 件未催办：2026-0001（").screen
        #expect(!done.contains("*"), "确认后标记清除：\(done)")
        let reminded = (try? String(contentsOfFile: dir.sub("reminded"), encoding: .utf8)) ?? ""
        #expect(reminded.split(separator: "\n").count == 1 && reminded.contains("\"number\":\"督〔2026〕第0002号\""))
        #expect(try Binary.run(["--repo", repo, "log", "2", "--last", "1"]).stdout.contains("催办（电话）"))
        try t.keys("q")
        try t.waitFor("退出码 0")
        t.kill()
        // Someone records feedback meanwhile: the next visit marks that item 新, and no other.
        #expect(
            try Binary.run(["--repo", repo, "--today", TerminalTests.today, "feedback", "3", "已完成方案编制", "--for", "县住建局"]).status
                == 0)
        t = try Tmux(TerminalTests.command(repo, env: env), width: 80, height: 24)
        defer { t.kill() }
        try t.waitFor("各单位办理情况")
        try t.keys("2", "o", "o")
        try t.waitFor("排序：按编号")
        // The screen as drawn once the keys typed ahead are handled (ncurses may leave a frame half
        // drawn while input waits): the marked row is there, and no other.
        let list = try t.waitFor("2026-0003 新 ").screen
        let lines = list.split(separator: "\n")
        #expect(lines.filter { $0.contains(" 新 ") }.count == 1, "\(list)")
        #expect(lines.contains { $0.contains("2026-0003 新 ") }, "\(list)")
        // Kept in the user's own folder, not in the repository.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.sub("state") + "/ducha").count == 1)
        if TestBackend.databaseName(repo) == nil {
            #expect(!(try FileManager.default.contentsOfDirectory(atPath: repo)).contains { $0.hasPrefix("seen") })
        }
    }
}
