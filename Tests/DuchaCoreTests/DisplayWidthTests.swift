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

    @Test func replacingAndJoiningWithoutTheGenericLibrary() {
        #expect("督〔2026〕第0003号".replacingAll("〕", with: "〕\n") == "督〔2026〕\n第0003号")
        #expect("a*b**c".replacingAll("*", with: "") == "abc")
        #expect("aaaa".replacingAll("aa", with: "b") == "bb")
        #expect("aaa".replacingAll("aa", with: "b") == "ba")
        #expect("县财政局".replacingAll("", with: "x") == "县财政局")
        #expect("县财政局".replacingAll("财政局财政局", with: "x") == "县财政局")
        #expect("一，二，三".replacingAll("，", with: "、") == "一、二、三")
        #expect("\u{FEFF}编号".replacingAll("\u{FEFF}", with: "") == "编号")
        #expect("See 'x' help".replacingAll("See '", with: "用 ") == "用 x' help")
        #expect(["城关镇", "县财政局", "县教育局"].joined(by: "、") == "城关镇、县财政局、县教育局")
        #expect(["城关镇"].joined(by: "、") == "城关镇")
        #expect([String]().joined(by: "、") == "")
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
        // Opening punctuation goes down with what it opens, a number included.
        #expect("公安局供热管网改造（39）".wrapped(toWidth: 11) == ["公安局供热", "管网改造", "（39）"])
        #expect("供热改造（39）".wrapped(toWidth: 10) == ["供热改造", "（39）"])
        #expect("落实《实施方案》".wrapped(toWidth: 6) == ["落实", "《实施", "方案》"])
        // Latin words and numbers are kept whole when they fit.
        #expect("完成2.5万亩 abc".wrapped(toWidth: 8) == ["完成2.5", "万亩 abc"])
        // A closing quote and the comma after it are carried down together with the word they close.
        let note = "另：暂缓前已逾期的事项1件（青石镇1件），暂缓期间停止计时，不计入“逾期未办结”，暂缓前的逾期照扣。"
        for width in 20...90 {
            for line in note.wrapped(toWidth: width).dropFirst() {
                #expect(!(line.unicodeScalars.first?.isClosingMark ?? false), "宽 \(width)：\(line)")
            }
        }
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

    /// Every character that makes text look other than it is: bidi controls, zero-width
    /// characters, the line and paragraph separators.
    static let deceptive: [UInt32] = [
        0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060,
        0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF,
    ]

    /// Joined emoji sequences: their zero-width joiners are what they are made of.
    static let emojiSequences = ["👨‍👩‍👧", "👩🏽‍💻", "🏳️‍🌈", "🏃‍♂️", "❤️‍🔥", "🧑‍🤝‍🧑"]

    @Test(arguments: deceptive) func bidiAndZeroWidthCharactersNeverReachTheScreenOrAFile(_ v: UInt32) throws {
        let c = Character(Unicode.Scalar(v)!)
        let text = "付款\(c)单位abc"
        let shown = "付款\u{FFFD}单位abc"
        #expect(Deceptive.kind(v) != nil)
        #expect(text.sanitized() == shown)
        #expect(text.sanitized(keepingNewlines: true) == shown)
        #expect(text.inert == shown)
        var lines = TextLines()
        lines.append(text)
        #expect(lines.inertBytes == Array((shown + "\n").utf8))
        // What is measured is what is drawn.
        #expect(text.displayWidth == shown.displayWidth)
        #expect(DisplayWidth.of(Substring(text)) == shown.displayWidth)
        #expect(text.map { DisplayWidth.of($0) }.reduce(0, +) == shown.displayWidth)
        #expect(text.truncated(toWidth: 6).displayWidth == 6 && text.fitted(toWidth: 12).displayWidth == 12)
        // At every offset, across the sixteen-byte steps of the fast path, and twice over.
        for k in 0..<40 {
            let long = String(repeating: "a", count: k) + String(c) + String(repeating: "中", count: 20) + String(c) + "z"
            let expected = String(repeating: "a", count: k) + "\u{FFFD}" + String(repeating: "中", count: 20) + "\u{FFFD}z"
            #expect(long.inert == expected, "offset \(k)")
            #expect(long.sanitized() == expected, "offset \(k)")
            #expect(long.displayWidth == expected.displayWidth)
        }
        // JSON escapes it: the file shows no such character, and reads back the same text.
        var w = JSONWriter()
        w.value(text)
        let hex = String(format4: v)
        #expect(w.string == "\"付款\\u\(hex)单位abc\"")
        let back = try JSONReader.read(w.bytes) { (r: inout JSONReader) throws(JSONError) -> String in try r.readString() }
        #expect(back == text)
    }

    @Test func emojiSequencesKeepTheirJoinerAndOtherTextIsUntouched() {
        for e in DisplayWidthTests.emojiSequences {
            #expect(e.unicodeScalars.contains("\u{200D}"))
            let text = "进展\(e)完成"
            #expect(text.sanitized() == text && text.inert == text, "\(e)")
            #expect(text.displayWidth == text.map { DisplayWidth.of($0) }.reduce(0, +))
            #expect(Deceptive.first(in: text) == nil)
        }
        // A joiner that joins no pictographs is shown as U+FFFD and counted as one cell.
        for (text, shown) in [
            ("中\u{200D}文", "中\u{FFFD}文"), ("a\u{200D}b", "a\u{FFFD}b"), ("\u{200D}", "\u{FFFD}"), ("😀\u{200D}", "😀\u{FFFD}"),
            ("\u{200D}😀", "\u{FFFD}😀"), ("1\u{200D}😀", "1\u{FFFD}😀"), ("😀\u{200D}中", "😀\u{FFFD}中"),
            ("🇨\u{200D}🇳", "🇨\u{FFFD}🇳"),
        ] {
            #expect(text.sanitized() == shown && text.inert == shown, "\(text.debugDescription)")
            #expect(text.displayWidth == shown.displayWidth, "\(text.debugDescription)")
            #expect(text.map { DisplayWidth.of($0) }.reduce(0, +) == shown.displayWidth, "\(text.debugDescription)")
            #expect(Deceptive.first(in: text) == 0x200D)
        }
        // Characters that share the lead bytes stay as they are: quotes, dashes, the ellipsis,
        // full-width punctuation, Arabic letters, the replacement character itself.
        let plain = "“引号”‘单’—…‧‰※，：（）！？～ب،؛\u{FFFD}\u{2027}\u{2030}\u{2070}\u{FF01}"
        #expect(plain.sanitized() == plain && plain.inert == plain)
        #expect(plain.utf8.withContiguousStorageIfAvailable(String.isInert) == true)
        #expect(Deceptive.first(in: plain) == nil)
        var w = JSONWriter()
        w.value(plain)
        #expect(w.string == "\"" + plain + "\"")
    }

    /// Text made of every kind of piece: what is measured is what is drawn, and nothing
    /// deceptive is left, whether measured as a whole, by characters or sanitized first.
    @Test func widthsAgreeWithWhatIsDrawnForAnyMixture() {
        let pieces =
            ["中", "a", " ", "，", "“", "…", "😀", "👨‍👩‍👧", "👩🏽‍💻", "🏳️‍🌈", "é", "\u{FE0F}", "🏽", "🇨🇳", "ب", "\u{FFFD}"]
            + DisplayWidthTests.deceptive.map { String(Character(Unicode.Scalar($0)!)) }
        var random = SplitMix(seed: 11)
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<random.next(12) { text += pieces[random.next(pieces.count)] }
            let shown = text.sanitized()
            #expect(text.inert == shown, "\(text.debugDescription)")
            #expect(Deceptive.first(in: shown) == nil, "\(text.debugDescription) → \(shown.debugDescription)")
            #expect(text.displayWidth == shown.displayWidth, "\(text.debugDescription) → \(shown.debugDescription)")
            #expect(text.map { DisplayWidth.of($0) }.reduce(0, +) == text.displayWidth, "\(text.debugDescription)")
            #expect(shown.map { DisplayWidth.of($0) }.reduce(0, +) == shown.displayWidth, "\(shown.debugDescription)")
            #expect(shown.sanitized() == shown)
        }
    }

    @Test func aFileKeepsTheByteOrderMarkItOpensWith() {
        // CSV exports open with one, for Excel; one anywhere else is data's, and replaced.
        #expect("\u{FEFF}事项,来源\r\n标题\u{FEFF},x\r\n".inertFile == "\u{FEFF}事项,来源\r\n标题\u{FFFD},x\r\n")
        #expect("\u{FEFF}\u{FEFF}a".inertFile == "\u{FEFF}\u{FFFD}a")
        #expect("\u{FEFF}a".inert == "\u{FFFD}a")
        #expect("a\u{1B}b".inertFile == "a\u{FFFD}b")
    }

    @Test func deceptiveCharactersAreRefusedOnInputNamingTheFieldAndTheCharacter() {
        #expect(throws: CoreError.invalidField("批示内容", "含有不可见的文字方向控制字符（U+202E），会使显示的文字与实际内容不一致，请删除后重新输入")) {
            try Validate.text("请于\u{202E}日前完成", field: "批示内容")
        }
        #expect(throws: CoreError.invalidField("单位名称", "含有不可见的零宽字符（U+200B），会使显示的文字与实际内容不一致，请删除后重新输入")) {
            try Validate.name("县财\u{200B}政局", field: "单位名称")
        }
        #expect(throws: CoreError.invalidField("批示领导", "含有不可见的文字方向控制字符（U+061C），会使显示的文字与实际内容不一致，请删除后重新输入")) {
            try Validate.optionalName("李\u{061C}明", field: "批示领导")
        }
        #expect(throws: CoreError.invalidField("反馈内容", "含有特殊的分行字符（U+2028），各程序显示不一，请删除后重新输入")) {
            try Validate.text("第一行\u{2028}第二行", field: "反馈内容")
        }
        for v in DisplayWidthTests.deceptive {
            let c = Character(Unicode.Scalar(v)!)
            #expect(throws: CoreError.self, "U+\(String(v, radix: 16))") { try Validate.text("进展\(c)", field: "反馈内容") }
            #expect(throws: CoreError.self, "U+\(String(v, radix: 16))") { try Validate.name("\(c)县财政局", field: "单位名称") }
        }
        for e in DisplayWidthTests.emojiSequences {
            #expect(throws: Never.self) { try Validate.text("进展\(e)", field: "反馈内容") }
        }
        #expect(throws: CoreError.self) { try Validate.text("中\u{200D}文", field: "反馈内容") }
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

extension String {
    /// Four upper-case hex digits, lower-cased as JSON escapes are written.
    fileprivate init(format4 v: UInt32) {
        var hex = String(v, radix: 16)
        while hex.count < 4 { hex = "0" + hex }
        self = hex
    }
}

extension Unicode.Scalar {
    /// Marks that may not begin a line (避头).
    fileprivate var isClosingMark: Bool { "，。、；：？！）》」』〕】”’".unicodeScalars.contains(self) }
}
