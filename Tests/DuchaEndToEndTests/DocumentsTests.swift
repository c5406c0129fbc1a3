import DuchaTestSupport
import Foundation
import Testing

/// Papers as offices exchange them: ledger sheets laid out as county offices publish them
/// (made by openpyxl from Tests/Fixtures/make_ledgers.py), imported; the .xlsx and .docx ducha
/// writes read back by openpyxl and python-docx and converted to PDF by LibreOffice.
@Suite(.serialized) struct DocumentsTests {
    let dir = TemporaryDirectory("ducha-documents")
    var repo: String { dir.sub("repo") }
    var fixtures: String { dir.sub("fixtures") }

    init() throws {
        try FileManager.default.createDirectory(atPath: fixtures, withIntermediateDirectories: true)
        let made = try DocumentsTests.tool("python3", [Fixtures.packageRoot + "/Tests/Fixtures/make_ledgers.py", fixtures])
        #expect(made.status == 0, "make_ledgers.py：\(made.stderr)")
    }

    func ducha(_ args: [String], today: String) throws -> Binary.Result {
        try Binary.run(["--repo", repo, "--today", today] + args)
    }

    @discardableResult
    func ok(_ args: String..., today: String = "2026-03-31") throws -> String {
        let r = try ducha(args, today: today)
        #expect(r.status == 0, "\(args) → \(r.status)：\(r.stderr)")
        return r.stdout + r.stderr
    }

    /// Runs a tool from PATH; its output as text.
    struct ToolResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func tool(_ name: String, _ args: [String], environment: [String: String] = [:]) throws -> ToolResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [name] + args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return ToolResult(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// What read_papers.py (openpyxl or python-docx) reads in a written file.
    func read(_ kind: String, _ file: String) throws -> [String: Any] {
        let r = try DocumentsTests.tool("python3", [Fixtures.packageRoot + "/Tests/Fixtures/read_papers.py", kind, file])
        #expect(r.status == 0, "read_papers.py \(kind)：\(r.stderr)")
        return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    func setUpUnits() throws {
        try ok("init", "--test-clock", "--office", "青山县委督查室")
        for u in ["县住建局", "县财政局", "城关镇", "县交通运输局", "县教育局", "县发改局"] { try ok("unit", "add", u) }
    }

    @Test func aSheetWithATitleRowOfficeHeadingsDeadlinesInWordsAndATotalRow() throws {
        try setUpUnits()
        let file = fixtures + "/台账-标题行.xlsx"
        // Without 来源 and 交办日期 columns, the command line gives them.
        let missing = try ducha(["import", file], today: "2026-03-31")
        #expect(missing.status == 1 && missing.stderr.contains("缺少“来源”列") && missing.stderr.contains("缺少“交办日期”列"))
        let dry = try ok("import", "--dry-run", "--source", "领导批示", "--assigned", "2026-03-02", file)
        for expected in [
            "第1行：表头上方的标题，跳过（2026年县委督查事项台账）", "表头：第3行", "A 列 序号 → 不导入", "B 列 督办事项 → 事项",
            "C 列 责任单位 → 牵头单位", "E 列 完成时限 → 办理时限", "F 列 办理情况 → 最新进展", "G 列 责任领导 → 批示领导",
            "H 列 会议名称 → 交办依据", "I 列 备注 → 备注：内容记入导入记录的说明", "第12行“合计”：表格到此为止",
            "数据行：8 行", "配合单位：县财政局、城关镇（2个）", "办理时限“年底前”即 2026-12-31", "办理时限“6月底前”即 2026-06-30",
            "办理时限“二季度”即 2026-06-30", "可导入 8 件事项",
        ] {
            #expect(dry.contains(expected), "缺少：\(expected)\n\(dry)")
        }
        #expect(try ok("list").contains("还没有事项"), "--dry-run 不写入")
        #expect(try ok("import", "--source", "领导批示", "--assigned", "2026-03-02", file).contains("已导入 8 件事项"))
        let csv = try ok("export", "ledger")
        let rows = csv.split(separator: "\r\n").map(String.init)
        func row(_ title: String) -> String { rows.first { $0.contains(title) } ?? "" }
        // A date cell in a Chinese date format; units on separate lines of a cell; 年底前 and the rest.
        #expect(row("城区雨污分流改造").contains("县住建局,县财政局、城关镇"))
        #expect(row("城区雨污分流改造").contains("2026-03-02,2026-08-31"))
        #expect(row("农村公路提质改造").contains("县交通运输局,县财政局、县住建局"))
        #expect(row("农村公路提质改造").contains("2026-03-02,2026-12-31"))
        #expect(row("校园周边交通整治").contains("县教育局,县财政局、城关镇") && row("校园周边交通整治").contains("2026-06-30"))
        #expect(row("集贸市场升级").contains("2026-06-30"))
        #expect(row("老旧小区加装电梯").contains("2026-09-30"))
        #expect(row("背街小巷路灯整修").contains("2026-10-15"))
        #expect(row("河道清淤").contains("2026-11-20"))
        #expect(row("防汛物资储备").contains("2026-05-06"), "5月6日：交办日期的年份")
        #expect(!csv.contains("合计") && !csv.contains("填表人"))
        // 备注 is kept in the import record; the basis (会议名称) is the item's 交办依据.
        let log = try ok("log", "1")
        #expect(log.contains("备注：重点项目") && !log.contains("交办依据："), "\(log)")
        #expect(csv.contains(",第3次县政府常务会议,"), "\(csv)")
        #expect(try ok("check").contains("检查通过"))
    }

    @Test func aTwoRowHeaderSerialDatesDateTimesThe1904BaseAndGB18030() throws {
        try setUpUnits()
        let two = try ok("import", "--dry-run", "--source", "领导批示", fixtures + "/台账-两行表头.xlsx")
        for expected in [
            "表头：第2行、第3行（两行表头，已合并）", "C 列 责任单位/牵头单位 → 牵头单位", "D 列 责任单位/配合单位 → 配合单位",
            "E 列 交办时间 → 交办日期", "交办日期“2026-03-05 14:30”：日期时间取日期", "办理时限“上半年”即 2026-06-30",
            "办理时限“三季度”即 2026-09-30", "数据行：2 行", "状态未注明、已有办理情况：记为办理中",
        ] {
            #expect(two.contains(expected), "缺少：\(expected)\n\(two)")
        }
        try ok("import", "--source", "领导批示", fixtures + "/台账-两行表头.xlsx")
        // A row with 推进情况 is in hand (办理中, not late in signing); one without waits to be signed.
        let listed = try ok("list", "--format", "json")
        let states = ((try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]]) ?? []).map {
            "\($0["title"] ?? "")：\($0["state"] ?? "")"
        }
        #expect(states.contains("招商引资项目落地：办理中") && states.contains("营商环境评价整改：待签收"), "\(states)")
        // The second sheet, on the 1904 base: the dates as Excel shows them.
        let wrongSheet = try ducha(["import", "--sheet", "没有", fixtures + "/台账-1904.xlsx"], today: "2026-04-30")
        #expect(wrongSheet.status == 1 && wrongSheet.stderr.contains("没有名为“没有”的工作表；工作表有：说明、台账"))
        #expect(try ok("import", "--sheet", "台账", fixtures + "/台账-1904.xlsx", today: "2026-04-30").contains("已导入 1 件事项"))
        // GB18030, a title row above office headings, a 合计 row.
        let gb = try ok(
            "import", "--dry-run", "--source", "群众反映", "--assigned", "2026-03-02", fixtures + "/台账-GB18030.csv",
            today: "2026-04-30")
        #expect(gb.contains("CSV 文件，GB18030 编码") && gb.contains("B 列 交办事项 → 事项") && gb.contains("第5行“合计”"))
        try ok("import", "--source", "群众反映", "--assigned", "2026-03-02", fixtures + "/台账-GB18030.csv", today: "2026-04-30")
        let csv = try ok("export", "ledger", today: "2026-04-30")
        #expect(csv.contains("招商引资项目落地,领导批示,,,县发改局,县财政局,,,,2026-03-05,2026-06-30"), "\(csv)")
        #expect(csv.contains("营商环境评价整改,领导批示,,,县发改局,,,,,2026-03-06,2026-09-30"))
        #expect(csv.contains("政务服务大厅改造,上级交办,,,县财政局,,,,,2026-04-01,2026-07-15"))
        #expect(csv.contains("小区停车难,群众反映,,,县住建局,县交通运输局、城关镇,,,,2026-03-02,2026-12-31"))
        #expect(csv.contains("菜市场噪音扰民,群众反映,,,城关镇,,,,,2026-03-02,2026-05-06"))
    }

    @Test func rowsThatCannotBeImportedAreNamed() throws {
        try setUpUnits()
        let file = fixtures + "/台账-有问题.xlsx"
        let r = try ducha(["import", "--source", "领导批示", "--assigned", "2026-03-02", file], today: "2026-03-31")
        #expect(r.status == 1)
        // Two lead units in one cell are no longer refused: the row is handed to each (分别办理).
        #expect(!r.stderr.contains("第2行"), "\(r.stderr)")
        #expect(r.stderr.contains("第3行：办理时限“长期”：长期事项没有期限"))
        #expect(r.stderr.contains("第4行：没有名为“县住建厅”的单位，是否指 县住建局？"))
        #expect(r.stderr.contains("第5行：“城关镇/县住建局”含有分隔符号"))
        // --create-units registers neither a likely typo nor a name holding a separator.
        let created = try ducha(
            ["import", "--create-units", "--source", "领导批示", "--assigned", "2026-03-02", file], today: "2026-03-31")
        #expect(created.status == 1)
        #expect(created.stderr.contains("第4行：没有名为“县住建厅”的单位，是否指 县住建局？"))
        #expect(created.stderr.contains("第5行：“城关镇/县住建局”含有分隔符号"))
        let units = try ok("unit", "list")
        #expect(!units.contains("县住建厅"))
        #expect(try ok("list").contains("还没有事项"))
        // A sheet whose header cannot be found, and a --map that names its columns.
        let odd = dir.sub("处室台账.csv")
        try "任务名称,牵头处室,截止日期\r\n城区绿化,县住建局,2026-06-30\r\n".write(toFile: odd, atomically: true, encoding: .utf8)
        let unknown = try ducha(["import", "--source", "领导批示", "--assigned", "2026-03-02", odd], today: "2026-03-31")
        #expect(unknown.status == 1 && unknown.stderr.contains("找不到表头") && unknown.stderr.contains("--map"))
        let map = dir.sub("列对应.txt")
        try "任务名称=事项\n牵头处室=牵头单位\n截止日期=办理时限\n".write(toFile: map, atomically: true, encoding: .utf8)
        #expect(try ok("import", "--map", map, "--source", "领导批示", "--assigned", "2026-03-02", odd).contains("已导入 1 件事项"))
        try "任务名称=不存在的列\n".write(toFile: map, atomically: true, encoding: .utf8)
        let badMap = try ducha(["import", "--map", map, odd], today: "2026-03-31")
        #expect(badMap.status == 1 && badMap.stderr.contains("第1行的“不存在的列”不是可导入的列"))
        // An old .xls, a .docx and a cut-off .xlsx are each refused with what they are.
        let xls = dir.sub("旧台账.xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512)).write(
            to: URL(fileURLWithPath: xls))
        let old = try ducha(["import", xls], today: "2026-03-31")
        #expect(old.status == 1 && old.stderr.contains("Excel 97-2003 的 .xls 文件"))
        let cut = dir.sub("不完整.xlsx")
        let whole = try Data(contentsOf: URL(fileURLWithPath: file))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        let broken = try ducha(["import", cut], today: "2026-03-31")
        #expect(broken.status == 1 && broken.stderr.contains("不是有效的 .xlsx 文件"))
        // Text named .xlsx: said to be no workbook, not searched for a header.
        let renamed = dir.sub("改了扩展名.xlsx")
        try "事项,牵头单位\n".write(toFile: renamed, atomically: false, encoding: .utf8)
        let text = try ducha(["import", renamed], today: "2026-03-31")
        #expect(text.status == 1 && text.stderr.contains("不是有效的 Excel 工作簿") && !text.stderr.contains("表头"), "\(text.stderr)")
    }

    @Test func theLedgerAsXlsxImportsBackToTheSameItems() throws {
        let source = dir.sub("source")
        #expect(try Binary.run(["--repo", source, "--today", "2026-11-21", "demo"]).status == 0)
        let xlsx = dir.sub("台账.xlsx")
        #expect(
            try Binary.run(["--repo", source, "--today", "2026-11-21", "export", "ledger", "--format", "xlsx", "--output", xlsx])
                .status
                == 0)
        let book = try read("xlsx", xlsx)
        #expect(book["freeze"] as? String == "A2")
        #expect(book["filter"] as? String == "A1:Z43")  // the three columns of the basis (交办依据、依据文号、依据日期) added
        let rows = book["rows"] as? [[Any]] ?? []
        #expect(rows.count == 43)
        #expect(rows.first?.first as? String == "编号")
        // Dates as dates; fills by light (red for overdue, yellow for due soon).
        #expect((rows[1][10] as? [String: Any])?["date"] as? String == "2026-06-30")
        let fills = book["fills"] as? [Any] ?? []
        #expect(fills.contains { ($0 as? String) == "FFFFC7CE" } && fills.contains { ($0 as? String) == "FFFFEB9C" })
        let widths = book["widths"] as? [String: Double] ?? [:]
        #expect((widths["B"] ?? 0) > (widths["A"] ?? 0) && (widths["B"] ?? 0) <= 51.5)
        try ok("init", "--test-clock", "--office", "青山县委督查室", today: "2026-11-21")
        #expect(try ok("import", "--create-units", xlsx, today: "2026-11-21").contains("已导入 42 件事项"))
        let again = dir.sub("again.csv")
        let first = dir.sub("first.csv")
        try ok("export", "ledger", "--output", again, today: "2026-11-21")
        #expect(try Binary.run(["--repo", source, "--today", "2026-11-21", "export", "ledger", "--output", first]).status == 0)
        #expect(try String(contentsOfFile: again, encoding: .utf8) == String(contentsOfFile: first, encoding: .utf8))
    }

    @Test func statisticsAndTheOverdueNoticeAsXlsxHaveNumbers() throws {
        try ok("demo", today: "2026-11-21")
        let stats = dir.sub("统计.xlsx")
        try ok("stats", "--format", "xlsx", "--output", stats, today: "2026-11-21")
        let rows = try read("xlsx", stats)["rows"] as? [[Any]] ?? []
        #expect(rows.first?.last as? String == "扣分")
        // 扣分 numeric in every row (0, -5, -2.5…), 合计 included; counts numeric.
        let table = rows.dropFirst().prefix {
            !(($0.first as? String)?.hasPrefix("另：") ?? false) && !$0.allSatisfy { $0 is NSNull }
        }
        #expect(table.last.map { $0.contains { ($0 as? String) == "合计" } } == true, "\(rows)")
        for r in table {
            #expect((r.last as? [String: Any])?["number"] != nil, "\(r)")
            #expect((r[2] as? [String: Any])?["number"] != nil, "\(r)")
        }
        #expect(table.contains { (($0.last as? [String: Any])?["number"] as? Double) == -2.5 })
        // An item suspended when already late still costs its unit: the sheet says why, under the table.
        try ok("suspend", "12", "--reason", "等待上级资金", today: "2026-11-21")
        let stats2 = dir.sub("统计2.xlsx")
        try ok("stats", "--format", "xlsx", "--output", stats2, today: "2026-11-22")
        let noted = try read("xlsx", stats2)["rows"] as? [[Any]] ?? []
        #expect((noted.last?.first as? String)?.hasPrefix("另：暂缓前已逾期的事项") == true, "\(noted.suffix(2))")
        // The CSV too: never '-2.5.
        let csv = try ok("stats", "--format", "csv", today: "2026-11-21")
        #expect(!csv.contains("'-") && csv.contains(",-2.5"))
        let overdue = dir.sub("逾期.xlsx")
        try ok("export", "overdue", "--format", "xlsx", "--output", overdue, today: "2026-11-21")
        let book = try read("xlsx", overdue)
        let o = book["rows"] as? [[Any]] ?? []
        #expect(o.first as? [String] == ["序号", "编号", "事项", "来源", "批示领导", "牵头单位", "配合单位", "时限", "逾期天数", "最新进展"])
        #expect(o.count > 1 && (o[1][8] as? [String: Any])?["number"] != nil && (o[1][7] as? [String: Any])?["date"] != nil)
        #expect((book["fills"] as? [Any] ?? []).allSatisfy { ($0 as? String) == "FFFFC7CE" })
        // Office files are not written to a terminal; an unknown format is refused.
        let bad = try ducha(["export", "ledger", "--format", "pdf"], today: "2026-11-21")
        #expect(bad.status == 1 && bad.stderr.contains("格式应为 csv、json 或 xlsx"))
    }

    /// The interface writes what the file name asks for: a Word 公文 for .docx, an Excel workbook
    /// for .xlsx, made by the same helper as the command line's.
    @Test func theInterfaceWritesWordAndExcelByTheNameTyped() throws {
        let tdir = TemporaryDirectory("ducha-tmux")
        let repo = try TerminalTests.demo(tdir)
        let out = tdir.sub("导出")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let t = try Tmux("cd '\(out)' && " + TerminalTests.command(repo), width: 80, height: 24)
        try t.waitFor("各单位办理情况")
        /// Picks an export (the keys to reach it), and saves it under the name offered with `ext`.
        func export(_ choice: String, keys: [String], prompt: String, ext: String, done: String) throws {
            try t.keys("x")
            try t.waitFor(choice)
            for k in keys { try t.keys(k) }
            try t.keys("Enter")
            try t.waitFor(prompt)
            try t.keys("BSpace", "BSpace", "BSpace")
            try t.type(ext)
            try t.keys("Enter")
            try t.waitFor(done)
        }
        try export("逾期事项通报（预览稿）", keys: [], prompt: ".docx 存为 Word 公文", ext: "docx", done: "已将逾期事项通报")
        let doc = try read("docx", out + "/逾期事项通报-2026-11-21.docx")
        let texts = (doc["paragraphs"] as? [[String: Any]] ?? []).map { $0["text"] as? String ?? "" }
        #expect(texts.contains("逾期事项通报") && texts.contains("第1期（预览）"), "\(texts)")
        #expect((doc["tables"] as? [[[String]]])?.first?.first?.first == "序号")
        // The ledger, as a workbook.
        try export("台账（CSV 或 Excel 工作簿）", keys: ["End"], prompt: ".xlsx 存为 Excel 工作簿", ext: "xlsx", done: "已将台账")
        let book = try read("xlsx", out + "/台账-2026-11-21.xlsx")
        let rows = book["rows"] as? [[Any]] ?? []
        #expect(rows.count > 5 && "\(rows.first ?? [])".contains("编号"), "\(rows.prefix(2))")
    }

    @Test func noticesAsWordDocumentsInTheOfficialFormat() throws {
        try ok("demo", today: "2026-11-21")
        try ok("config", "notice-to", "各乡镇（街道），县直各单位", today: "2026-11-21")
        try ok("config", "notice-cc", "县委办公室，县政府办公室", today: "2026-11-21")
        let file = dir.sub("通报.docx")
        try ok("export", "overdue", "--format", "docx", "--output", file, today: "2026-11-21")
        let doc = try read("docx", file)
        #expect(doc["page"] as? [Double] == [210.0, 297.0])
        #expect(doc["margins"] as? [Double] == [37.0, 35.0, 28.0, 26.0], "版心 156×225 mm")
        // The document grid: 22 lines of 28 characters of 3号 (16 pt) in the 156 × 225 mm 版心, as
        // Word counts them (whole lines and characters).
        let grid = doc["grid"] as? [String: String] ?? [:]
        let linePitch = Double(grid["linePitch"] ?? "") ?? 0
        let charPitch = 16 + (Double(grid["charSpace"] ?? "") ?? 0) / 4096
        let points = { (mm: Double) in mm / 25.4 * 72 }
        #expect(grid["type"] == "linesAndChars", "\(grid)")
        #expect(Int(points(225) / (linePitch / 20)) == 22 && Int(points(156) / charPitch) == 28, "\(grid)")
        let paragraphs = doc["paragraphs"] as? [[String: Any]] ?? []
        let texts = paragraphs.map { $0["text"] as? String ?? "" }
        #expect(texts.contains("逾期事项通报") && texts.contains("第1期（预览）") && texts.contains("各乡镇（街道），县直各单位："))
        let title = paragraphs.first { $0["text"] as? String == "逾期事项通报" }
        let titleFont = (title?["fonts"] as? [[String: Any]])?.first
        #expect(titleFont?["eastAsia"] as? String == "方正小标宋简体" && titleFont?["size"] as? Double == 22.0)
        #expect(title?["align"] as? String == "CENTER (1)")
        let body = paragraphs.first { ($0["text"] as? String ?? "").hasPrefix("截至2026年11月21日") }
        let bodyFont = (body?["fonts"] as? [[String: Any]])?.first
        #expect(bodyFont?["eastAsia"] as? String == "仿宋_GB2312" && bodyFont?["size"] as? Double == 16.0)
        #expect(texts.contains { $0.hasPrefix("台账校验码：第") && $0.contains("SHA-256 ") })
        let tables = doc["tables"] as? [[[String]]] ?? []
        #expect(!tables.isEmpty)
        #expect(tables.first?.first == ["序号", "编号", "事项", "来源", "批示领导", "配合单位", "时限", "逾期天数", "最新进展"])
        let imprint = doc["imprint"] as? String ?? ""
        #expect(imprint.contains("抄送：县委办公室，县政府办公室。") && imprint.contains("青山县委督查室") && imprint.contains("2026年11月21日印发"))
        #expect(doc["footers"] as? [String] == ["—  PAGE 1 —", "—  PAGE 1 —"] && doc["evenAndOdd"] as? Bool == true)
        // A reminder to one unit, as a document.
        let reminder = dir.sub("催办.docx")
        try ok("export", "reminders", "--unit", "县教育局", "--format", "docx", "--output", reminder, today: "2026-11-21")
        let r = try read("docx", reminder)
        let rt = (r["paragraphs"] as? [[String: Any]] ?? []).map { $0["text"] as? String ?? "" }
        #expect(rt.contains("督查事项催办通知") && rt.contains("县教育局："))
        #expect((r["tables"] as? [[[String]]])?.first?.first?.first == "序号")

        // LibreOffice renders both on A4, with the fonts the document names (a CJK serif for the
        // title), the page numbers 「— N —」 and the 版记 on the last page.
        let pdfDir = dir.sub("pdf")
        let converted = try DocumentsTests.tool(
            "soffice", ["--headless", "--convert-to", "pdf", "--outdir", pdfDir, file, reminder],
            environment: ["FONTCONFIG_FILE": Fixtures.packageRoot + "/Tests/Fixtures/fonts.conf", "HOME": dir.path])
        #expect(converted.status == 0, "\(converted.stderr)")
        let pdf = pdfDir + "/通报.pdf"
        let info = try DocumentsTests.tool("pdfinfo", [pdf]).stdout
        #expect(info.contains("A4"))
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        #expect(pages >= 2)
        let fonts = try DocumentsTests.tool("pdffonts", [pdf]).stdout
        #expect(fonts.contains("NotoSerifCJK"), "标题用 CJK 衬线字体：\(fonts)")
        let text = try DocumentsTests.tool("pdftotext", ["-layout", pdf, "-"]).stdout
        // pdftotext leaves out the narrow spaces around the number.
        let flat = text.replacingOccurrences(of: " ", with: "")
        #expect(flat.contains("—1—") && flat.contains("—\(pages)—"))
        let lastPage =
            text.split(separator: "\u{0C}").last(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) ?? ""
        #expect(lastPage.contains("抄送：县委办公室，县政府办公室。") && lastPage.contains("印发"))
        #expect(FileManager.default.fileExists(atPath: pdfDir + "/催办.pdf"))
    }
}
