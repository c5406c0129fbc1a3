import Testing

@testable import DuchaCore

/// Long tables are laid out on every core; the result must be the one a single pass gives,
/// line for line, and fit the width.
@Suite struct TextLayoutTests {
    @Test func aLongTableIsLaidOutTheSameOnEveryCore() {
        var random = SystemRandomNumberGenerator()
        let words = [
            "县交通运输局", "城区停车难专项治理", "已召开专题会议，", "研究部署。", "PPP", "2026-11-30", "（第3次）", "“两违”整治", " ", "ABCDEFGHIJKLMNOPQRSTUV",
        ]
        func text(_ n: Int) -> String { (0..<n).map { _ in words.randomElement(using: &random)! }.joined() }
        var table = TextTable(
            columns: [
                .init("序号", alignRight: true), .init("事项", weight: 3, minWidth: 6),
                .init("牵头单位", weight: 1, minWidth: 8, maxWidth: 12),
                .init("最新进展", weight: 4, minWidth: 6),
            ], gap: 1)
        for i in 0..<3_000 {
            table.append([
                String(i + 1), text(Int.random(in: 1...4, using: &random)), text(1) + "\n" + text(1),
                text(Int.random(in: 0...6, using: &random)),
            ])
        }
        let widths = table.widths(fitting: 100)
        let before = TextTable.parallelRows
        defer { TextTable.parallelRows = before }
        TextTable.parallelRows = Int.max
        let one = table.render(widths: widths, rows: table.rows)
        TextTable.parallelRows = 0
        let many = table.render(widths: widths, rows: table.rows)
        #expect(one.count > 3_000)
        #expect(one == many)
        #expect(one.allSatisfy { $0.displayWidth <= 100 })
    }
}
