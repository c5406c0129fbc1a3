import DuchaCore
import DuchaTestSupport
import Testing

/// What a tester found using ducha as the office would: each rule here holds for the CLI and
/// the interface alike, since both come through the workflow.
@Suite struct TesterFixesTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return (error as? CoreError)?.message ?? "\(error)" }
        return ""
    }

    /// A unit written with the number of an item led by one unit is that unit or refused.
    @Test func aUnitWrittenWithAnOrdinaryItemsNumberIsNeverIgnored() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("县教育局", "县财政局", "城关镇")
        let n = try b.register("校舍维修", lead: "县教育局", co: ["城关镇"], deadline: "2026-11-20")
        let seq = b.ledger.seq
        let sign = message { try b.run(.act(try ItemReference.parse("1（县财政局）"), .action(.sign))) }
        #expect(sign.contains("督〔2026〕第0001号 不是分别办理的事项，没有交给“县财政局”办理"), "\(sign)")
        let remind = message {
            try b.run(.act(try ItemReference.parse("1").part("县财政局"), .action(.remind(method: .phone, note: ""))))
        }
        #expect(remind.contains("不是分别办理的事项"), "\(remind)")
        // A co-unit named in the number is not acted for silently either: --for says so.
        let co = message { try b.run(.act(try ItemReference.parse("1（城关镇）"), .action(.sign))) }
        #expect(co.contains("代配合单位 城关镇 录入请用 --for 城关镇"), "\(co)")
        #expect(throws: CoreError.self) { try b.ledger.resolve(try ItemReference.parse("1（县财政局）"), currentYear: 2026) }
        #expect(b.ledger.seq == seq && b.item(n).state == .pending)
        // The lead unit itself, and a co-unit acted for with --for, stay as they were.
        try b.run(.act(try ItemReference.parse("1（县教育局）"), .action(.sign)))
        #expect(b.item(n).state == .active)
        try b.run(.act(try ItemReference.parse("1").part("城关镇"), .action(.feedback(text: "已摸底")), forUnit: "城关镇"))
        #expect(b.item(n).latestProgress?.unit == "城关镇")
    }

    /// A 分别办理 item has one part per unit: reassigning a part to a unit that has one is refused.
    @Test func aPartIsNotReassignedToAUnitThatHasOne() throws {
        var b = LedgerBuilder(today: "2026-11-02")
        try b.units("城关镇", "县财政局", "县教育局")
        let r = Registration(
            title: "背街小巷整治", source: "领导批示", leadUnit: "", assignedOn: b.today, deadline: Fixtures.day("2026-11-20"))
        let n = try #require(try b.run(.registerSplit(r, leads: ["城关镇", "县财政局"])).first?.item)
        let seq = b.ledger.seq
        let refused = message {
            try b.run(
                .act(
                    ItemReference(n.child(2)),
                    .reassign(lead: "城关镇", coUnits: nil, reason: "调整", deadline: nil, calendar: WorkCalendar(tables: []))))
        }
        #expect(refused.contains("分别办理的牵头单位有重复：城关镇 已有 督〔2026〕第0001号 的分项（督〔2026〕第0001号（城关镇）"), "\(refused)")
        #expect(b.ledger.seq == seq)
        try b.run(
            .act(
                ItemReference(n.child(2)),
                .reassign(lead: "县教育局", coUnits: nil, reason: "调整", deadline: nil, calendar: WorkCalendar(tables: []))))
        #expect(b.item(n.child(2)).leadUnit == "县教育局")
    }
}
