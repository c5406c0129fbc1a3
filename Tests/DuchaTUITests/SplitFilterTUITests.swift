import DuchaCore
import DuchaTUI
import DuchaTestSupport
import Testing

/// The interface's filters read the state a 分别办理 item shows (its parts'), and the list's
/// count takes the item and its parts for one item.
@Suite struct SplitFilterTUITests {
    typealias F = TUIFixtures

    func filterState(_ s: inout AppState, _ label: String) {
        F.type(&s, [.char("t")] + F.text(label) + [.enter])
    }

    @Test func theStateFilterReadsTheStateThePartsGiveTheItem() throws {
        // 城关镇 closed, 县财政局 办理中, 县教育局 待签收.
        let (ledger, n) = try ChildItemsTUITests.splitLedger()
        #expect(ledger.item(n)?.state != .active, "事项本身存储的状态不是它显示的“办理中”")
        var s = F.state(ledger: ledger)
        F.type(&s, [.char("2")])  // 台账
        #expect(s.list.rows.count == 4)
        #expect(Renderer.render(s).row(containing: "显示 1/1 件") != nil, "\(Renderer.render(s).text)")
        filterState(&s, "办理中")
        var frame = Renderer.render(s)
        #expect(frame.row(containing: "分别办理") != nil, "事项显示为办理中：\(frame.text)")
        #expect(frame.row(containing: "县财政局") != nil && frame.row(containing: "县教育局") == nil, "\(frame.text)")
        #expect(frame.row(containing: "显示 1/1 件") != nil, "事项和它的分项计为一件：\(frame.text)")
        filterState(&s, "待签收")
        frame = Renderer.render(s)
        #expect(frame.row(containing: "分别办理") == nil, "\(frame.text)")
        #expect(frame.row(containing: "县教育局") != nil && frame.row(containing: "显示 1/1 件") != nil, "\(frame.text)")
        filterState(&s, "已办结")
        frame = Renderer.render(s)
        #expect(frame.row(containing: "分别办理") == nil, "还有单位未办结：\(frame.text)")
        #expect(frame.row(containing: "城关镇") != nil, "\(frame.text)")
    }
}
