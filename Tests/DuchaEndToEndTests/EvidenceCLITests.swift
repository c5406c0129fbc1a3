import DuchaTestSupport
import Foundation
import Testing

/// 佐证材料 from the command line on a fresh repository: attach, show, get back, with a
/// feedback or a completion report, in the whole-ledger export, and checked by `ducha check`.
/// A database ledger (DUCHA_TEST_BACKEND=postgresql) keeps no files: every way in is refused in
/// Chinese and nothing is written.
@Suite struct EvidenceCLITests {
    let dir = TemporaryDirectory("ducha-evidence")
    let repo: String

    init() { repo = TestBackend.repository(dir) }

    @discardableResult
    func ducha(_ args: String..., today: String = "2026-11-02") throws -> Binary.Result {
        try Binary.run(["--repo", repo, "--today", today] + args)
    }

    func ok(_ args: String..., today: String = "2026-11-02") throws -> String {
        let r = try Binary.run(["--repo", repo, "--today", today] + args)
        #expect(r.status == 0, "\(args) → \(r.status)：\(r.stderr)")
        return r.stdout
    }

    func refused(_ args: String..., saying: String) throws {
        let r = try Binary.run(["--repo", repo, "--today", "2026-11-02"] + args)
        #expect(r.status == 1 && r.stderr.contains(saying), "\(args) → \(r.status)：\(r.stderr)")
    }

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir.sub(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func journal() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: repo + "/journal.jsonl")) }

    func setUp() throws {
        let created = try Binary.run(
            ["--repo", repo, "--today", "2026-11-02", "init", "--test-clock", "--office", "青山县委督查室"] + TestBackend.createOptions)
        #expect(created.status == 0, "\(created.stderr)")
        _ = try ok("unit", "add", "城关镇", "--kind", "乡镇")
        _ = try ok("unit", "add", "县财政局")
        _ = try ok("add", "--title", "城区背街小巷路灯整改", "--lead", "城关镇", "--co", "县财政局", "--deadline", "2026-11-20")
    }

    @Test(.disabled(if: TestBackend.postgres, "数据库台账不保存佐证材料，见 aDatabaseRefusesEvidenceAndWritesNothing"))
    func attachShowGetAndCheck() throws {
        try setUp()
        let pdf = Array("%PDF-1.4\n路灯整改方案\n".utf8)
        let scan = try file("整改方案.pdf", pdf)
        let said = try ok("attach", "1", scan, "--note", "经镇党委会审定")
        #expect(said.contains("已为 督〔2026〕第0001号 上传佐证材料 1 件：整改方案.pdf"), "\(said)")
        let photo = try file("现场照片.jpg", [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 3000))
        _ = try ok("attach", "1", photo, "--for", "县财政局")
        let show = try ok("show", "1")
        #expect(show.contains("佐证材料（2 件"), "\(show)")
        #expect(show.contains("1. 整改方案.pdf  PDF  28 字节  督查室（") && show.contains("说明：经镇党委会审定"), "\(show)")
        #expect(show.contains("2. 现场照片.jpg  JPEG 图片  3 KB  县财政局（督查室"), "\(show)")
        #expect(show.contains("上传佐证材料：整改方案.pdf（PDF，28 字节），说明：经镇党委会审定"))
        let json = try JSONSerialization.jsonObject(with: Data(try ok("show", "1", "--format", "json").utf8)) as! [String: Any]
        let listed = json["attachments"] as? [[String: Any]] ?? []
        #expect(listed.map { $0["name"] as? String } == ["整改方案.pdf", "现场照片.jpg"])
        // Get it back: the same bytes, outside the repository only, never over a file unless --force.
        let out = dir.sub("取回.pdf")
        _ = try ok("attachment", "get", "1", "1", "--output", out)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(pdf))
        try refused("attachment", "get", "1", "1", "--output", out, saying: "已存在")
        _ = try ok("attachment", "get", "1", "2", "--output", out, "--force")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)).count == 3004)
        try refused("attachment", "get", "1", "1", "--output", repo + "/x.pdf", saying: "不能导出到台账目录")
        try refused("attachment", "get", "1", "3", "--output", dir.sub("y"), saying: "序号应为 1 至 2")
        #expect(try ok("attachment", "get", "1", "1").utf8.elementsEqual(pdf), "不在终端时写到标准输出")
        #expect(try ok("check").contains("检查通过"))
        // An altered file: check reports it, get refuses to hand it out.
        let kept = try FileManager.default.subpathsOfDirectory(atPath: repo + "/attachments").filter { $0.hasSuffix(".bin") }
        #expect(kept.count == 2)
        let sha = try #require(LedgerCodeFooter.sha256(String(decoding: pdf, as: UTF8.self)))
        let target = try #require(kept.first { $0 == "\(sha.prefix(2))/\(sha).bin" }, "按 SHA-256 命名：\(kept)")
        chmod(repo + "/attachments/" + target, 0o600)
        try Data("%PDF-1.4\n已被替换\n".utf8).write(to: URL(fileURLWithPath: repo + "/attachments/" + target))
        let check = try ducha("check")
        #expect(check.status == 1 && (check.stdout + check.stderr).contains("整改方案.pdf"), "\(check.stdout)\(check.stderr)")
        try refused("attachment", "get", "1", "1", "--output", dir.sub("z.pdf"), saying: "校验码不符")
        #expect(!FileManager.default.fileExists(atPath: dir.sub("z.pdf")))
    }

    @Test(.disabled(if: TestBackend.postgres, "数据库台账不保存佐证材料，见 aDatabaseRefusesEvidenceAndWritesNothing"))
    func feedbackAndCompletionCarryTheirFilesInOneCommit() throws {
        try setUp()
        let a = try file("排查表.xlsx", [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 1, count: 100))
        let b = try file("照片.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])
        _ = try ok("sign", "1")
        let said = try ok("feedback", "1", "已完成排查，共42处。", "--attach", a, "--attach", b)
        #expect(said.contains("已反馈 督〔2026〕第0001号（代 城关镇 录入）") && said.contains("附佐证材料 2 件：排查表.xlsx、照片.png"), "\(said)")
        let lines = String(decoding: try journal(), as: UTF8.self).split(separator: "\n").suffix(3)
        #expect(lines.map { $0.contains("\"do\":\"feedback\"") } == [true, false, false])
        #expect(lines.dropFirst().allSatisfy { $0.contains("\"do\":\"attach\"") && $0.contains("\"unit\":\"城关镇\"") })
        let report = try file("验收报告.pdf", Array("%PDF-1.7 验收".utf8))
        #expect(try ok("complete", "1", "已全部修复并验收。", "--attach", report).contains("附佐证材料 1 件：验收报告.pdf"))
        let show = try ok("show", "1")
        #expect(show.contains("1. 排查表.xlsx  Excel 表格") && show.contains("2. 照片.png  PNG 图片") && show.contains("3. 验收报告.pdf  PDF"))
        // Refused as a whole: a missing file, a pipe, a link, a file over 20 MB; nothing written.
        let before = try journal()
        let pipe = dir.sub("pipe")
        #expect(mkfifo(pipe, 0o600) == 0)
        let link = dir.sub("link.pdf")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: report)
        let big = dir.sub("big.pdf")
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        try FileHandle(forWritingTo: URL(fileURLWithPath: big)).truncate(atOffset: 20 * 1024 * 1024 + 1)
        try refused("feedback", "1", "补充", "--attach", a, "--attach", dir.sub("没有.pdf"), saying: "不存在")
        try refused("attach", "1", pipe, saying: "命名管道")
        try refused("attach", "1", link, saying: "符号链接")
        try refused("attach", "1", big, saying: "过大")
        try refused("attach", "1", "/dev/zero", saying: "字符设备")
        // The same content again, under any name, alone or twice in one command: refused, naming the first.
        let again = try file("排查表（再次）.xlsx", [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 1, count: 100))
        try refused("attach", "1", again, saying: "与本事项第 1 件佐证材料“排查表.xlsx”（2026-11-02 上传）内容相同")
        let fresh = try file("新照片.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1])
        try refused("attach", "1", fresh, fresh, saying: "文件“新照片.png”重复指定")
        try refused("attach", "1", a, "--for", "县教育局", saying: "牵头")
        try refused("feedback", "1", "补录", "--attach", a, "--on", "2026-11-01", saying: "补录")
        #expect(try journal() == before)
        // The whole-ledger export lists them; the records carry the hashes.
        let export =
            try JSONSerialization.jsonObject(with: Data(try ok("export", "ledger", "--format", "json").utf8)) as! [String: Any]
        let listed = export["attachments"] as? [[String: Any]] ?? []
        #expect(listed.map { $0["name"] as? String } == ["排查表.xlsx", "照片.png", "验收报告.pdf"])
        #expect(listed.allSatisfy { ($0["sha256"] as? String)?.count == 64 && $0["size"] is Int && $0["type"] is String })
        #expect(try ok("check").contains("检查通过"))
    }

    @Test(.enabled(if: TestBackend.postgres, "台账目录见上面两项"))
    func aDatabaseRefusesEvidenceAndWritesNothing() throws {
        try setUp()
        _ = try ok("sign", "1")
        let pdf = try file("整改方案.pdf", Array("%PDF-1.4\n路灯整改方案\n".utf8))
        let before = try TestBackend.written(repo)
        let refusal = "这种台账存储不能保存佐证材料"
        try refused("attach", "1", pdf, "--note", "经镇党委会审定", saying: refusal)
        // With a feedback or a completion report: the whole request is refused, the text too.
        try refused("feedback", "1", "已完成排查。", "--attach", pdf, saying: refusal)
        try refused("complete", "1", "已全部修复。", "--attach", pdf, saying: refusal)
        try refused("attachment", "get", "1", "1", "--output", dir.sub("取回.pdf"), saying: "导出佐证材料暂不支持 PostgreSQL 数据库中的台账")
        #expect(try TestBackend.written(repo) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.sub("取回.pdf")))
        let show = try ok("show", "1")
        #expect(!show.contains("佐证材料（") && !show.contains("已完成排查"), "\(show)")
        #expect(try ok("check").contains("检查通过"))
    }
}
