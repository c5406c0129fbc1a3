import DuchaTestSupport
import Foundation
import Testing

/// Paths as people type them (`~`), exports that never replace a file unasked, and an editor
/// that fails saying so.
@Suite struct FilesTests {
    let dir = TemporaryDirectory("ducha-files")
    var repo: String { dir.sub("repo") }

    func ducha(_ args: [String]) throws -> Binary.Result {
        try Binary.run(["--repo", repo, "--today", "2026-11-21"] + args)
    }

    func demo() throws {
        let r = try ducha(["demo"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func anExistingFileIsReplacedOnlyWithForce() throws {
        try demo()
        for args in [
            ["export", "overdue", "--output"], ["export", "overdue", "--issue", "--output"], ["export", "ledger", "--output"],
            ["export", "reminders", "--unit", "青石镇", "--output"], ["stats", "--output"],
        ] {
            let journal = try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl"))
            let path = dir.sub("已有.txt")
            try "原有内容\n".write(toFile: path, atomically: true, encoding: .utf8)
            let refused = try ducha(args + [path])
            #expect(refused.status == 1, "\(args)")
            #expect(refused.stderr.hasSuffix("错误：文件 \(path) 已存在，未作改动；要覆盖请加 --force\n"), "\(args)：\(refused.stderr)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "原有内容\n")
            #expect(try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl")) == journal, "被拒绝时不登记任何记录")
            let forced = try ducha(args + [path, "--force"])
            #expect(forced.status == 0, "\(args)：\(forced.stderr)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) != "原有内容\n")
            try FileManager.default.removeItem(atPath: path)
        }
        // Into a folder: any notice already there stops the whole export, before a reminder is recorded.
        let folder = dir.sub("催办")
        #expect(try ducha(["export", "reminders", "--output", folder]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!files.isEmpty)
        let before = try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl"))
        let again = try ducha(["export", "reminders", "--record", "--output", folder])
        #expect(again.status == 1 && again.stderr.contains("已存在，未作改动；要覆盖请加 --force"), "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl")) == before)
        #expect(try ducha(["export", "reminders", "--output", folder, "--force"]).status == 0)
    }

    @Test func aTildeIsTheHomeFolder() throws {
        try demo()
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let name = "ducha-tilde-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: home + "/" + name) }
        try FileManager.default.createDirectory(atPath: home + "/" + name, withIntermediateDirectories: true)
        // Written by the program, not by a shell: --output=~/… reaches ducha unexpanded.
        for (i, args) in [
            ["export", "ledger", "--output=~/\(name)/台账.csv"], ["export", "overdue", "--output", "~/\(name)/通报.txt"],
            ["stats", "--output", "~/\(name)/统计.txt"], ["export", "reminders", "--output", "~/\(name)/催办"],
        ].enumerated() {
            let r = try ducha(args)
            #expect(r.status == 0, "\(i)：\(r.stderr)")
        }
        for f in ["台账.csv", "通报.txt", "统计.txt", "催办"] {
            #expect(FileManager.default.fileExists(atPath: "\(home)/\(name)/\(f)"), "\(f)")
        }
        // Read back from ~ too: the ledger imported into a new repository, a calendar added.
        #expect(
            try Binary.run(["--repo", "~/\(name)/../\(name)/new", "--today", "2026-11-21", "init", "--test-clock"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: "\(home)/\(name)/new/ducha.json"))
        let imported = try Binary.run([
            "--repo", "~/\(name)/new", "--today", "2026-11-21", "import", "~/\(name)/台账.csv", "--create-units",
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        try FileManager.default.copyItem(atPath: Fixtures.dataPath + "/calendar/2026.json", toPath: "\(home)/\(name)/2026.json")
        let calendar = try Binary.run(["--repo", "~/\(name)/new", "calendar", "add", "~/\(name)/2026.json"])
        #expect(calendar.status == 0 && calendar.stdout.contains("已添加2026年节假日安排"), "\(calendar.stderr)")
    }
}

/// The interface's export dialog and editor, in a real terminal.
@Suite(.serialized, .enabled(if: Tmux.available, "需要 tmux（make test 会自动安装）"))
struct TerminalFilesTests {
    @Test func theExportDialogAsksBeforeReplacingAFile() throws {
        let dir = TemporaryDirectory("ducha-tmux-files")
        let repo = try TerminalTests.demo(dir)
        let out = dir.sub("导出")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = out + "/逾期事项通报-2026-11-21.txt"
        try "原有内容\n".write(toFile: path, atomically: true, encoding: .utf8)
        let t = try Tmux("cd '\(out)' && " + TerminalTests.command(repo))
        try t.waitFor("各单位办理情况")
        try t.keys("x")
        try t.waitFor("逾期事项通报（预览稿）")
        try t.keys("Enter")
        try t.waitFor(path)
        try t.keys("Enter")
        try t.waitFor("文件已存在，覆盖吗？")
        try t.keys("n")
        try t.waitFor("各单位办理情况")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "原有内容\n")
        // Yes replaces the file.
        try t.keys("x")
        try t.waitFor("逾期事项通报（预览稿）")
        try t.keys("Enter")
        try t.waitFor(path)
        try t.keys("Enter")
        try t.waitFor("文件已存在，覆盖吗？")
        try t.keys("y")
        try t.waitFor("已将逾期事项通报")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("逾期事项通报"))
    }

    @Test func aFailingEditorSaysWhatFailed() throws {
        let dir = TemporaryDirectory("ducha-tmux-files")
        let repo = try TerminalTests.demo(dir)
        let failing = dir.sub("editor.sh")
        try Script.write("#!/bin/sh\nexit 3\n", to: failing)
        let notRunnable = dir.sub("editor.txt")
        try "#!/bin/sh\n".write(toFile: notRunnable, atomically: true, encoding: .utf8)
        chmod(notRunnable, 0o644)
        for (editor, message) in [
            (dir.sub("no-such-editor"), "找不到编辑器"), (failing, "以状态 3 退出，文字未改动"), (notRunnable, "无法执行（没有执行权限？）"),
        ] {
            let t = try Tmux(TerminalTests.command(repo, env: "EDITOR='\(editor)'"))
            try t.waitFor("各单位办理情况")
            try t.keys("2", "/")
            try t.type("0028")
            try t.keys("Enter", "c")
            try t.waitFor("办结报告")
            try t.type("已全部整改到位")
            try t.keys("C-e")
            try t.waitFor(message)
            #expect(try t.waitFor("已全部整改到位").screen.contains("办结报告"), "对话框和已输入的文字都还在")
        }
    }
}
