import DuchaCore
import Testing

@Suite struct DisplayWidthTests {
    @Test func chineseIsTwoCells() {
        #expect("督〔2026〕第0003号".displayWidth == 18)
        #expect("县财政局".displayWidth == 8)
        #expect("a中b".displayWidth == 4)
        #expect("é".displayWidth == 1)  // e + combining acute
        #expect("…".displayWidth == 1)
        #expect("😀".displayWidth == 2)
    }

    @Test func truncationNeverSplitsAWideCharacter() {
        #expect("县交通运输局".truncated(toWidth: 7) == "县交通…")
        #expect("县交通运输局".truncated(toWidth: 8) == "县交通… ")
        #expect("县交通运输局".truncated(toWidth: 12) == "县交通运输局")
        #expect("县交通运输局".clipped(toWidth: 5) == "县交 ")
        for w in 1...16 {
            #expect("督查a督查b督查".truncated(toWidth: w).displayWidth == min(w, 14))
            #expect("督查a督查b督查".fitted(toWidth: w).displayWidth == w)
        }
    }

    @Test func wrappingByCellsKeepsPunctuationOffTheLineStart() {
        #expect("城区背街小巷路灯不亮问题整改".wrapped(toWidth: 10) == ["城区背街小", "巷路灯不亮", "问题整改"])
        // "，" may not start a line: the character before it moves down with it.
        #expect("一二三四，五六".wrapped(toWidth: 8) == ["一二三", "四，五六"])
        // Latin words and numbers are kept whole when they fit.
        #expect("完成2.5万亩 abc".wrapped(toWidth: 8) == ["完成2.5", "万亩 abc"])
        for line in String(repeating: "督查事项跟踪问效ABCDEFGHIJ，", count: 20).wrapped(toWidth: 13) {
            #expect(line.displayWidth <= 13)
        }
    }

    @Test func controlCharactersNeverReachTheScreen() {
        let hostile = "标题\u{1B}[2J\u{07}\u{9B}31m\u{0}尾"
        let safe = hostile.sanitized()
        #expect(!safe.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) })
        #expect(safe == "标题\u{FFFD}[2J\u{FFFD}\u{FFFD}31m\u{FFFD}尾")
        #expect("一\r\n二".sanitized(keepingNewlines: true) == "一\n二")
        #expect("一\n二\t三".sanitized() == "一 二 三")
    }

    @Test func tablesLineUpInCells() {
        var t = TextTable(columns: [.init("单位"), .init("件数", alignRight: true)])
        t.append(["县交通运输局", "12"])
        t.append(["城关镇", "3"])
        #expect(t.render() == ["单位          件数", "------------  ----", "县交通运输局    12", "城关镇           3"])
    }

    @Test func chineseNumeralsAndPercentages() {
        #expect(
            [1, 9, 10, 11, 20, 21, 99, 100, 105, 110].map(ChineseText.numeral) == [
                "一", "九", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十",
            ])
        #expect(ChineseText.percent(1, of: 3) == "33.3%")
        #expect(ChineseText.percent(2, of: 3) == "66.7%")
        #expect(ChineseText.percent(0, of: 0) == "—")
    }
}
