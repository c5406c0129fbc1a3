import DuchaTestSupport
import Foundation
import Testing

/// What a tester found using the command line as the office does.
@Suite struct TesterFixesCLITests {
    let cli = TestLedgerCLI("ducha-tester-fixes", today: "2026-11-02")

    @Test func aUnitWrittenWithAnOrdinaryItemsNumberIsRefused() throws {
        try cli.create(units: ["县教育局", "县财政局"])
        _ = try cli.ok("add", "--title", "校舍维修", "--lead", "县教育局", "--deadline", "2026-11-20")
        let sign = try cli.refused("sign", "1（县财政局）")
        #expect(sign.contains("督〔2026〕第0001号 不是分别办理的事项，没有交给“县财政局”办理"), "\(sign)")
        #expect(try cli.refused("remind", "1（县财政局）").contains("不是分别办理的事项"))
        #expect(try cli.refused("review", "1", "--approve", "--unit", "县财政局").contains("不是分别办理的事项"))
        #expect(try cli.refused("show", "1（县财政局）").contains("不是分别办理的事项"))
        #expect(try cli.ok("show", "1").contains("待签收"))
        _ = try cli.ok("sign", "1（县教育局）")
    }
}
