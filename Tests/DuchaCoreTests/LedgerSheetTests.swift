import DuchaCore
import Testing

/// Reading ledger sheets as offices keep them: dates as typed, deadlines in words, the header
/// found under a title, merged from two rows, and the table's end.
@Suite struct LedgerSheetTests {
    let assigned = Day(year: 2026, month: 3, day: 2)!

    func day(_ text: String, assigned: Day? = nil) -> Day? {
        if case .day(let d, _) = LedgerDates.deadline(text, assigned: assigned ?? self.assigned) { return d }
        return nil
    }

    @Test func datesAsPeopleTypeThem() {
        let may6 = Day(year: 2024, month: 5, day: 6)
        for text in ["2024.5.6", "2024/05/06", "20240506", "2024年5月6日", "2024-05-06 00:00:00", "2024/5/6 0:00", "２０２４－０５－０６"] {
            #expect(day(text) == may6, "\(text)")
        }
        // 5月6日 takes the year of the assignment; one already past on that day, the next year.
        #expect(day("5月6日") == Day(year: 2026, month: 5, day: 6))
        #expect(day("2月6日") == Day(year: 2027, month: 2, day: 6))
        // An Excel serial number (1900 base), as a CSV saved from a raw cell shows it.
        #expect(day("46083") == Day(year: 2026, month: 3, day: 2))
        if case .invalid(let why) = LedgerDates.deadline("2026-02-30", assigned: assigned) {
            #expect(why.contains("2026年2月只有28天"))
        } else {
            Issue.record("2026-02-30 应无效")
        }
    }

    @Test func deadlinesInWords() {
        #expect(day("年底前") == Day(year: 2026, month: 12, day: 31))
        #expect(day("2027年底前") == Day(year: 2027, month: 12, day: 31))
        #expect(day("6月底前") == Day(year: 2026, month: 6, day: 30))
        #expect(day("2月底前") == Day(year: 2027, month: 2, day: 28), "已过的月份：次年")
        #expect(day("9月末") == Day(year: 2026, month: 9, day: 30))
        #expect(day("十二月底") == Day(year: 2026, month: 12, day: 31))
        #expect(day("上半年") == Day(year: 2026, month: 6, day: 30))
        #expect(day("下半年") == Day(year: 2026, month: 12, day: 31))
        #expect(day("一季度") == Day(year: 2026, month: 3, day: 31), "交办于3月2日：一季度末未过，仍是当年")
        #expect(day("二季度") == Day(year: 2026, month: 6, day: 30))
        #expect(day("第三季度末") == Day(year: 2026, month: 9, day: 30))
        #expect(day("四季度") == Day(year: 2026, month: 12, day: 31))
        #expect(LedgerDates.deadline("长期", assigned: assigned) == .longTerm)
        #expect(LedgerDates.deadline("持续推进", assigned: assigned) == .longTerm)
        if case .invalid(let why) = LedgerDates.deadline("尽快", assigned: assigned) {
            #expect(why.contains("年底前"))
        } else {
            Issue.record("“尽快”应无效")
        }
    }

    func rows(_ cells: [[String]]) -> [LedgerImport.Row] {
        cells.enumerated().map { LedgerImport.Row(line: $0.offset + 1, cells: $0.element) }
    }

    @Test func theHeaderUnderATitleWithOfficeHeadingsAndATotalRow() throws {
        let t = try #require(
            LedgerSheet.recognise(
                rows([
                    ["2026年督查事项台账", "", "", ""],
                    ["序号", "督办事项", "责任单位", "完成时限（年月日）"],
                    ["1", "路灯整修", "城关镇", "年底前"],
                    ["", "", "", ""],
                    ["2", "", "", ""],
                    ["3", "河道清淤", "县住建局", "6月底前"],
                    ["合计", "2项", "", ""],
                    ["4", "不读", "县住建局", ""],
                ])))
        #expect(t.header == ["", "事项", "牵头单位", "办理时限"])
        #expect(t.headerLines == [2] && t.titleRows.map(\.line) == [1])
        #expect(t.rows.map(\.line) == [3, 6], "空行和只有序号的行不算数据")
        #expect(t.stoppedAt?.line == 7)
    }

    @Test func aTwoRowHeaderIsMerged() throws {
        // As a CSV shows a merged 责任单位: written once, blank to its right and below the others.
        let t = try #require(
            LedgerSheet.recognise(
                rows([
                    ["序号", "工作任务", "责任单位", "", "时间要求"],
                    ["", "", "牵头单位", "配合单位", ""],
                    ["1", "招商引资", "县发改局", "县财政局", "上半年"],
                ])))
        #expect(t.header == ["", "事项", "牵头单位", "配合单位", "办理时限"])
        #expect(t.headerLines == [1, 2])
        #expect(t.columns.map(\.heading) == ["序号", "工作任务", "责任单位/牵头单位", "责任单位/配合单位", "时间要求"])
    }

    @Test func aMapNamesHeadingsItCannotGuess() throws {
        #expect(LedgerSheet.recognise(rows([["任务名称", "牵头处室"], ["x", "y"]])) == nil)
        let map = try LedgerSheet.parseMap("# 列对应\n任务名称=事项\n牵头处室 = 牵头单位\n备用列=忽略\n")
        let t = try #require(LedgerSheet.recognise(rows([["任务名称", "牵头处室", "备用列"], ["x", "y", "z"]]), map: map))
        #expect(t.header == ["事项", "牵头单位", ""])
        #expect(throws: CoreError.self) { try LedgerSheet.parseMap("任务名称 事项") }
    }

    @Test func unitsInOneCell() {
        #expect(LedgerImport.splitUnits("县财政局、县住建局") == ["县财政局", "县住建局"])
        #expect(LedgerImport.splitUnits("县财政局 县住建局") == ["县财政局", "县住建局"])
        #expect(LedgerImport.splitUnits("县财政局\n城关镇；县教育局,县发改局，东城街道") == ["县财政局", "城关镇", "县教育局", "县发改局", "东城街道"])
    }
}
