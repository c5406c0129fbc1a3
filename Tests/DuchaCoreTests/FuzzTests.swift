import DuchaCore
import DuchaTestSupport
import Testing

/// Generated inputs: nothing crashes, and what parses means what it says.
@Suite struct FuzzTests {
    static let count = 100_000

    @Test func theJournalLineParserTakesAHundredThousandInputs() {
        var f = Fuzz(seed: 20_261_121)
        let seeds: [[UInt8]] = CodecTests.changes.enumerated().map { i, c in
            Array(
                EntryCodec.line(Entry(seq: i + 1, at: CodecTests.at, actor: "clerk", unit: "县财政局", proxy: true, change: c))
                    .dropLast())
        }
        var parsed = 0
        for i in 0..<FuzzTests.count {
            let input = i % 10 == 0 ? f.bytes(300) : f.mutate(f.pick(seeds))
            guard let e = try? EntryCodec.decodeLine(input) else { continue }
            parsed += 1
            // Whatever parses encodes and parses back to the same entry.
            let again = try? EntryCodec.decodeLine(EntryCodec.line(e).dropLast())
            #expect(again == e, "重新编码后不一致：\(String(decoding: input, as: UTF8.self))")
        }
        print("日志行解析：\(FuzzTests.count) 个生成的输入，无崩溃；其中 \(parsed) 个仍是合法记录并能原样往返")
        #expect(parsed > 0 && parsed < FuzzTests.count)
    }

    @Test func theDateParserTakesAHundredThousandInputs() {
        var f = Fuzz(seed: 7)
        let parts = [
            "2026", "2025", "1900", "2999", "3000", "0", "02", "2", "13", "30", "31", "29", "28", "-", "/", ".", "年", "月", "日",
            " ", "　", "二", "+",
        ]
        var valid = 0
        for i in 0..<FuzzTests.count {
            let text: String
            if i % 3 == 0 {
                text = String(decoding: f.mutate(Array("2026-09-30".utf8)), as: UTF8.self)
            } else {
                text = (0..<f.int(7)).map { _ in f.pick(parts) }.joined()
            }
            guard let d = try? Day.parse(text) else { continue }
            valid += 1
            #expect(Day(year: d.year, month: d.month, day: d.day) == d)
            #expect(Day.parseStored(d.description) == d)
            #expect((try? Day.parse(d.chinese)) == d)
        }
        print("日期解析：\(FuzzTests.count) 个生成的输入，无崩溃；其中 \(valid) 个是真实日期，且正反解析一致")
        #expect(valid > 100)
    }
}
