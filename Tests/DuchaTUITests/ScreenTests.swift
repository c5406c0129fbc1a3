import DuchaCore
import DuchaTUI
import Testing

@Suite struct ScreenTests {
    @Test func wideCharactersTakeTwoCellsAndNeverHalfFit() {
        var s = Screen(rows: 2, cols: 7)
        #expect(s.put("督查a室", row: 0, col: 0) == 7)
        #expect(s.line(0) == "督查a室")
        #expect(s[0, 1].isContinuation && s[0, 5].text == "室")
        // Only 3 cells: 督 fits, 查 would half fit and becomes a space.
        var t = Screen(rows: 1, cols: 10)
        #expect(t.put("督查", row: 0, col: 0, width: 3) == 3)
        #expect(t.line(0) == "督")
        #expect(t[0, 2].text == " ")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var s = Screen(rows: 1, cols: 6)
        s.put("督查室", row: 0, col: 0)
        s.put("a", row: 0, col: 1)
        #expect(s.line(0) == " a查室")
        s.put("b", row: 0, col: 2)
        #expect(s.line(0) == " ab 室")
    }

    /// The visible window of a long text, cursor anywhere and any field width, is what measuring
    /// the whole text gives (the editor measures only near the cursor): the first character
    /// shown is the earliest that lets the text before the cursor fit, one cell kept for the
    /// caret, and then as much as fits.
    @Test func aLongTextsWindowIsTheSameAsMeasuringItAll() {
        func reference(_ characters: [Character], _ cursor: Int, _ width: Int) -> (String, Int) {
            let widths = characters.map { DisplayWidth.of($0) }
            var start = 0
            var offset = widths[0..<cursor].reduce(0, +)
            while offset > width - 1, start < cursor {
                offset -= widths[start]
                start += 1
            }
            var shown = ""
            var used = 0
            var i = start
            while i < characters.count, used + widths[i] <= width {
                shown.append(characters[i])
                used += widths[i]
                i += 1
            }
            return (shown, offset)
        }
        let text = String(repeating: "督查a室，b办理中。", count: 40)
        var e = LineEditor(text)
        e.handle(.home)
        for position in 0...text.count {
            for width in [2, 3, 7, 20, 77] {
                let (shown, cell) = e.view(width: width)
                let (expected, expectedCell) = reference(Array(text), position, width)
                #expect(shown == expected && cell == expectedCell, "宽 \(width)，光标 \(position)")
            }
            e.handle(.right)
        }
    }

    @Test func lineEditorBackspaceRemovesAWholeCharacterAndTheCursorCountsCells() {
        var e = LineEditor("县财政局")
        #expect(e.view(width: 20).cursorCell == 8)
        e.handle(.backspace)
        #expect(e.text == "县财政")
        e.handle(.left)
        e.handle(.char("A"))
        #expect(e.text == "县财A政")
        #expect(e.view(width: 20).cursorCell == 5)
        e.handle(.ctrl("u"))
        #expect(e.text == "政" && e.cursor == 0)
        e.handle(.char("\u{1B}"))
        #expect(e.text == "政", "控制字符不进入文字")
        // Long text scrolls so the cursor stays inside the field.
        var long = LineEditor(String(repeating: "督查", count: 30))
        let v = long.view(width: 20)
        #expect(v.cursorCell <= 19 && v.text.displayWidth <= 20)
        long.handle(.home)
        #expect(long.view(width: 20).cursorCell == 0)
        // Text beyond the limit is not taken, and the editor knows it was cut.
        var full = LineEditor("督查", limit: 3)
        full.handle(.char("室"))
        #expect(!full.overflowed)
        full.handle(.char("办"))
        #expect(full.text == "督查室" && full.overflowed)
    }
}
