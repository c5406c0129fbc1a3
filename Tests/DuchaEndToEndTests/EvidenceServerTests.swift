import DuchaTestSupport
import Foundation
import Testing

extension SystemServerTests {
    /// On the shared server a unit's user attaches a file from their own folder: it is read with
    /// their rights (a file only the service account, or another user, can read is refused as
    /// not readable), kept by the service account privately, and written back as the user.
    @Test func evidenceIsReadAndWrittenWithTheUsersRightsAndKeptPrivately() throws {
        let server = try Server()
        try server.populate()
        let unit = SystemServerTests.finance
        let home = server.home(unit)
        let file = home + "/验收报告.pdf"
        try Data("%PDF-1.4 验收".utf8).write(to: URL(fileURLWithPath: file))
        #expect(OSAccounts.shell("chown \(unit) '\(file)' && chmod 600 '\(file)'") == 0)
        let r = try server.ducha(unit, ["attach", "1", file, "--note", "现场验收"])
        #expect(r.status == 0 && r.stdout.contains("上传佐证材料 1 件：验收报告.pdf"), "\(r.stderr)")
        let kept = try FileManager.default.subpathsOfDirectory(atPath: server.repo + "/attachments").filter {
            $0.hasSuffix(".bin")
        }
        #expect(kept.count == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: server.repo + "/attachments/" + kept[0])
        #expect(attributes[.ownerAccountName] as? String == "ducha")
        #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o777 == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: server.repo + "/attachments")
        #expect((folder[.posixPermissions] as? Int ?? 0) & 0o777 == 0o700)

        // What the user cannot read, ducha does not read for them: the repository's own files,
        // another user's private file.
        let other = server.home(SystemServerTests.planning) + "/内部.pdf"
        try Data("%PDF-1.4 内部".utf8).write(to: URL(fileURLWithPath: other))
        #expect(OSAccounts.shell("chown \(SystemServerTests.planning) '\(other)' && chmod 600 '\(other)'") == 0)
        let journal = try server.bytes("journal.jsonl")
        for path in [server.repo + "/ducha.json", server.repo + "/journal.jsonl", other] {
            let refused = try server.ducha(unit, ["attach", "1", path])
            #expect(refused.status == 1 && refused.stderr.contains("没有权限"), "\(path)：\(refused.stderr)")
        }
        // Another unit may not attach to an item it does not handle.
        let planning = try server.ducha(SystemServerTests.planning, ["attach", "1", "/etc/hostname"])
        #expect(planning.status == 1 && planning.stderr.contains("不由本单位承办"), "\(planning.stderr)")
        #expect(try server.bytes("journal.jsonl") == journal)

        // Written back as the user, into the user's folder only.
        let out = home + "/取回.pdf"
        let got = try server.ducha(unit, ["attachment", "get", "1", "1", "--output", out])
        #expect(got.status == 0, "\(got.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data("%PDF-1.4 验收".utf8))
        #expect(try FileManager.default.attributesOfItem(atPath: out)[.ownerAccountName] as? String == unit)
        let intoRepo = try server.ducha(unit, ["attachment", "get", "1", "1", "--output", server.repo + "/x.bin"])
        #expect(intoRepo.status == 1 && intoRepo.stderr.contains("不能导出到台账目录"))
        #expect(try server.ducha(SystemServerTests.supervisor, ["check"]).stdout.contains("检查通过"))
    }
}
