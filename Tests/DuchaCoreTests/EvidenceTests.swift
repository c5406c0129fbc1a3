import DuchaCore
import DuchaTestSupport
import Testing

/// 佐证材料 in the core: who may attach, in which states, what a record must hold, how a name
/// is cleaned and a type judged, how the record is written and replayed, and how it is shown.
@Suite struct EvidenceTests {
    static let hash = String(repeating: "3c", count: 32)
    static let photo = Evidence(sha256: hash, name: "现场照片.jpg", size: 52_000, type: .jpeg, note: "施工现场")
    /// Another photo (another content) numbered `i`.
    static func photo(_ i: Int) -> Evidence {
        Evidence(sha256: String(repeating: "4\(i)", count: 32), name: "现场照片\(i).jpg", size: 52_000, type: .jpeg, note: "")
    }

    /// One item led by 县财政局 with 县发改局 co-handling; users for every role.
    func ledger() throws -> (LedgerBuilder, ItemNumber) {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县财政局", "县发改局", "县教育局")
        try b.run(.addUser(User(login: "clerk", role: .supervisor)))
        try b.run(.addUser(User(login: "ld", role: .leader)))
        try b.run(.addUser(User(login: "cz", role: .unit, unit: "县财政局")))
        try b.run(.addUser(User(login: "fg", role: .unit, unit: "县发改局")))
        try b.run(.addUser(User(login: "jy", role: .unit, unit: "县教育局")))
        let n = try b.register("城区停车难治理", lead: "县财政局", co: ["县发改局"], deadline: "2026-11-30")
        return (b, n)
    }

    func refusal(_ b: LedgerBuilder, _ n: ItemNumber, _ a: Evidence, as login: String, forUnit: String? = nil) -> String? {
        var copy = b
        do {
            try copy.act(n, .attach(a), as: login, forUnit: forUnit)
            return nil
        } catch let e as CoreError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    @Test func theItemsUnitsAndTheOfficeMayAttachALeaderAndOthersMayNot() throws {
        var (b, n) = try ledger()
        let lead = try b.act(n, .attach(Self.photo), as: "cz")
        #expect(lead.last?.unit == "县财政局" && lead.last?.proxy == false)
        let co = try b.act(n, .attach(Self.photo(1)), as: "fg")
        #expect(co.last?.unit == "县发改局")
        let office = try b.act(n, .attach(Self.photo(2)), as: "clerk")
        #expect(office.last?.unit == nil && office.last?.proxy == false, "督查室以自己的名义上传")
        let proxy = try b.act(n, .attach(Self.photo(3)), as: "clerk", forUnit: "县发改局")
        #expect(proxy.last?.unit == "县发改局" && proxy.last?.proxy == true, "代配合单位上传，记录写明代录")
        #expect(b.item(n).attachments.count == 4)
        // The same content again, by anyone under any name: kept once, the refusal names the first.
        var renamed = Self.photo(2)
        renamed.name = "另存.jpg"
        #expect(refusal(b, n, renamed, as: "fg")?.contains("与本事项第 3 件佐证材料“现场照片2.jpg”（2026-11-02 上传）内容相同") == true)
        #expect(refusal(b, n, Self.photo, as: "clerk")?.contains("第 1 件") == true)
        #expect(refusal(b, n, Self.photo, as: "ld")?.contains("领导") == true)
        #expect(refusal(b, n, Self.photo, as: "jy")?.contains("不由本单位承办") == true)
        #expect(refusal(b, n, Self.photo, as: "clerk", forUnit: "县教育局")?.contains("牵头") == true)
        #expect(refusal(b, n, Self.photo, as: "fg", forUnit: "县财政局")?.contains("不能代其他单位") == true)
        // What the interface offers agrees.
        let item = b.item(n)
        for (login, may) in [("cz", true), ("fg", true), ("clerk", true), ("ld", false), ("jy", false)] {
            let actor = try b.ledger.actor(login: login)
            #expect(
                Workflow.available(on: item, by: actor, in: b.ledger, today: b.today).contains(.attach) == may, "\(login)")
        }
    }

    @Test func aClosedOrWithdrawnItemTakesNoMoreEvidence() throws {
        var (b, n) = try ledger()
        try b.act(n, .sign, as: "cz")
        try b.act(n, .requestCompletion(report: "已办结"), as: "cz")
        try b.act(n, .attach(Self.photo), as: "cz")  // under review: still accepted
        try b.act(n, .approveCompletion(grade: nil, note: ""), as: "clerk")
        #expect(refusal(b, n, Self.photo, as: "cz")?.contains("已办结") == true)
        var (w, m) = try ledger()
        try w.act(m, .withdraw(reason: "不再实施"), as: "clerk")
        #expect(refusal(w, m, Self.photo, as: "clerk")?.contains("撤销") == true)
    }

    @Test func aRecordMustHoldAHashASizeWithinTheLimitAndACleanName() throws {
        let (b, n) = try ledger()
        var a = Self.photo
        a.sha256 = "abc"
        #expect(refusal(b, n, a, as: "cz")?.contains("SHA-256") == true)
        a = Self.photo
        a.size = Evidence.maxSize + 1
        #expect(refusal(b, n, a, as: "cz")?.contains("过大") == true)
        a.size = Evidence.maxSize
        #expect(refusal(b, n, a, as: "cz") == nil, "恰好 20 MB 可以")
        a.size = 0
        #expect(refusal(b, n, a, as: "cz")?.contains("空文件") == true)
        a = Self.photo
        a.name = "../etc/passwd"
        #expect(refusal(b, n, a, as: "cz")?.contains("路径") == true)
        a = Self.photo
        a.note = "说明\u{202E}gpj.exe"
        #expect(refusal(b, n, a, as: "cz")?.contains("文字方向") == true)
    }

    @Test func namesLoseTheirPathAndInvisibleCharacters() {
        #expect(Evidence.cleanName("/home/cz/材料/实施方案.pdf") == "实施方案.pdf")
        #expect(Evidence.cleanName("../../etc/passwd") == "passwd")
        #expect(Evidence.cleanName(#"C:\Users\cz\报告.docx"#) == "报告.docx")
        #expect(Evidence.cleanName("invoice\u{202E}fdp.exe") == "invoicefdp.exe")
        #expect(Evidence.cleanName("a\u{1B}[31mb\u{7}.txt") == "a[31mb.txt")
        #expect(Evidence.cleanName("零\u{200B}宽.png") == "零宽.png")
        #expect(Evidence.cleanName("") == "未命名文件")
        #expect(Evidence.cleanName("dir/..") == "未命名文件")
        let long = String(repeating: "长", count: 150) + ".xlsx"
        let cut = Evidence.cleanName(long)
        #expect(cut.count == Evidence.nameLimit && cut.hasSuffix(".xlsx"))
    }

    @Test func theTypeIsJudgedByTheContentsFirst() {
        let pdf: [UInt8] = Array("%PDF-1.7\n".utf8)
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0]
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        #expect(EvidenceType.detect(name: "扫描件", head: pdf) == .pdf)
        #expect(EvidenceType.detect(name: "照片.png", head: jpeg) == .jpeg, "内容是 JPEG 就是 JPEG")
        #expect(EvidenceType.detect(name: "图.png", head: png) == .png)
        #expect(EvidenceType.detect(name: "报告.docx", head: zip) == .word)
        #expect(EvidenceType.detect(name: "台账.xlsx", head: zip) == .excel)
        #expect(EvidenceType.detect(name: "包.zip", head: zip) == .file)
        #expect(EvidenceType.detect(name: "旧台账.xls", head: ole) == .excel)
        #expect(EvidenceType.detect(name: "旧报告.doc", head: ole) == .word)
        #expect(EvidenceType.detect(name: "假的.pdf", head: Array("MZ\u{90}".utf8)) == .file, "扩展名不能冒充类型")
        #expect(EvidenceType.detect(name: "说明.txt", head: Array("进展".utf8)) == .text)
        #expect(EvidenceType.excel.label == "Excel 表格" && EvidenceType.file.label == "文件")
    }

    @Test func theRecordIsReplayedAndAForgedUnitMarkIsCaught() throws {
        var (b, n) = try ledger()
        let entries = try b.act(n, .attach(Self.photo), as: "fg")
        // The replay accepts the record as written, on the ledger as it stood before it.
        var (replay, _) = try ledger()
        try Workflow.audit(entries[0], in: replay.ledger)
        var forged = entries[0]
        forged.unit = "县财政局"
        #expect(throws: CoreError.self) { try Workflow.audit(forged, in: replay.ledger) }
        forged.unit = nil
        forged.actor = "ld"
        #expect(throws: CoreError.self) { try Workflow.audit(forged, in: replay.ledger) }
        try replay.ledger.apply(entries[0])
        #expect(replay.item(n).attachments.map(\.attachment) == [Self.photo])
    }

    @Test func aMistakenAttachmentCanBeUndoneTheSameDay() throws {
        var (b, n) = try ledger()
        try b.act(n, .attach(Self.photo), as: "fg")
        var wrong = Self.photo
        wrong.sha256 = String(repeating: "9d", count: 32)
        wrong.name = "错传的文件.pdf"
        try b.act(n, .attach(wrong), as: "fg")
        let undo = try b.act(n, .undo, as: "fg")
        #expect(undo.last?.unit == "县发改局")
        #expect(b.item(n).attachments.map(\.attachment.name) == ["现场照片.jpg"], "撤回的材料不再列出")
        #expect(b.item(n).history.count == 4, "原记录保留")
        // Only the author may, and nothing is reversed twice.
        #expect(throws: CoreError.self) { try b.act(n, .undo, as: "fg") }
        var c = b
        try c.act(n, .attach(wrong), as: "fg")
        #expect(throws: CoreError.self) { try c.act(n, .undo, as: "cz") }
    }

    @Test func aDamagedRecordIsRefused() {
        let head = #"{"seq":9,"at":"2026-11-02T09:30:05+08:00","by":"cz","unit":"县财政局","do":"attach","item":"督〔2026〕第0003号","#
        let good = head + #""sha256":"\#(Self.hash)","name":"a.pdf","size":3,"type":"pdf"}"#
        #expect((try? EntryCodec.decodeLine(Array(good.utf8))) != nil)
        for bad in [
            head + #""sha256":"xyz","name":"a.pdf","size":3,"type":"pdf"}"#,
            head + #""sha256":"\#(Self.hash)","name":"a.pdf","type":"pdf"}"#,
            head + #""sha256":"\#(Self.hash)","name":"a.pdf","size":3,"type":"exe"}"#,
        ] {
            #expect(throws: JSONError.self, "\(bad)") { try EntryCodec.decodeLine(Array(bad.utf8)) }
        }
    }

    @Test func theDetailListsTheEvidence() throws {
        var (b, n) = try ledger()
        try b.act(n, .attach(Self.photo), as: "fg")
        let item = b.item(n)
        let status = StatusEvaluator(today: b.today, calendar: .weekendsOnly, settings: b.ledger.settings).status(of: item)
        let lines = ItemDetailText.lines(item, status: status, ledger: b.ledger, width: 100)
        #expect(lines.contains { $0.hasPrefix("佐证材料（1 件") })
        #expect(lines.contains { $0.contains("1. 现场照片.jpg  JPEG 图片  51 KB  县发改局") && $0.contains("说明：施工现场") })
        #expect(lines.contains { $0.contains("上传佐证材料：现场照片.jpg（JPEG 图片，51 KB），说明：施工现场") })
    }
}
