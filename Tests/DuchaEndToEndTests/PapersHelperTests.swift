import DuchaTestSupport
import Foundation
import Testing

/// Foundation (ZIPFoundation, FoundationXML, CSV.swift and ICU's data) lives in the helper
/// `ducha-papers`, which `ducha` runs only to write or read Excel, Word and CSV files: the
/// commands people run all day start without it.
@Suite struct PapersHelperTests {
    let dir = TemporaryDirectory("ducha-helper")

    func libraries(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        p.arguments = [path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func duchaItselfLoadsNoFoundationTheHelperDoes() throws {
        let main = try libraries(Binary.path)
        for lib in ["libFoundation.so", "lib_FoundationICU.so", "libFoundationXML.so", "libFoundationInternationalization.so"] {
            #expect(!main.contains(lib), "ducha 不应载入 \(lib)：\n\(main)")
        }
        let helper = try libraries(Binary.path + "-papers")
        #expect(helper.contains("libFoundation.so") && helper.contains("libFoundationXML.so"), "\(helper)")
    }

    @Test func theHelperRefusesBadInputInChinese() throws {
        let helper = Binary.path + "-papers"
        for (args, stdin, message) in [
            ([String](), "", "由 ducha 调用"),
            (["write-xlsx"], "{\"name\":", "表格数据有误"),
            (["write-docx"], "[1,2]", "文档数据有误"),
            (["read-xlsx"], "PK\u{3}\u{4}不是真的工作簿", "不是有效的 .xlsx 文件"),
            (["read-csv"], "", ""),
            (["frobnicate"], "", "未知的用法"),
        ] {
            let r = try Binary.run(args, stdin: stdin, binary: helper)
            if args == ["read-csv"] {
                #expect(r.status == 0 && r.stdout.contains("\"rows\":[]"), "\(r.stdout)\(r.stderr)")
                continue
            }
            #expect(r.status == 1, "\(args) → \(r.status)")
            #expect(r.stderr.hasPrefix("错误：") && r.stderr.contains(message), "\(args)：\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    /// Without its helper beside it, ducha says what is missing, writes nothing and still works
    /// for everything else.
    @Test func aMissingHelperIsNamedAndNothingIsWritten() throws {
        let lonely = dir.sub("bin/ducha")
        // Copied by cp, not by this process: a child another test forks meanwhile would inherit
        // the copy's open file and running it would fail with "Text file busy".
        #expect(OSAccounts.shell("mkdir -p '\(dir.sub("bin"))' && cp '\(Binary.path)' '\(lonely)'") == 0)
        let repo = dir.sub("repo")
        #expect(try Binary.run(["--repo", repo, "demo", "--today", "2026-11-21"], binary: lonely).status == 0)
        let out = dir.sub("台账.xlsx")
        let r = try Binary.run(["--repo", repo, "export", "ledger", "--format", "xlsx", "--output", out], binary: lonely)
        #expect(r.status == 1 && r.stderr.contains("找不到处理 Excel、Word 文件的辅助程序"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try Binary.run(["--repo", repo, "list", "--overdue"], binary: lonely).stdout.contains("逾期"))
    }
}
