import DuchaStore
import DuchaTestSupport
import Testing

@testable import DuchaCore

/// The search index finds exactly what a plain substring search finds: the block scan and the
/// character signatures only skip work, never matches.
@Suite struct SearchIndexTests {
    static let ledger = try! DemoBuilder.build(
        DataDirectory(path: Fixtures.dataPath).demo(), settings: DataDirectory(path: Fixtures.dataPath).settings(),
        today: Fixtures.day("2026-11-21"), calendar: Fixtures.calendar, supervisor: "clerk")

    static func naive(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i..<i + needle.count].elementsEqual(needle) { return true }
        return false
    }

    @Test func theBlockScanFindsWhatAPlainScanFinds() {
        var random = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("ab交通".utf8)
        for _ in 0..<20_000 {
            let h = (0..<Int.random(in: 0...70, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            let n: [UInt8]
            if !h.isEmpty, Bool.random(using: &random) {
                let a = Int.random(in: 0..<h.count, using: &random)
                n = Array(h[a..<min(h.count, a + Int.random(in: 1...20, using: &random))])
            } else {
                n = (0..<Int.random(in: 1...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            }
            let found = h.withUnsafeBufferPointer { hb in n.withUnsafeBufferPointer { SearchIndex.find($0, in: hb) } }
            #expect(found == SearchIndexTests.naive(h, n), "\(h) \(n)")
        }
    }

    @Test func everyPieceOfEveryItemsTextIsFound() {
        let items = SearchIndexTests.ledger.items
        let index = SearchIndex(items: items)
        var random = SystemRandomNumberGenerator()
        for (i, item) in items.enumerated() {
            for field in [item.title.lowercased(), item.instruction, item.leadUnit] {
                let text = Array(field)
                for _ in 0..<8 where text.count > 1 {
                    let a = Int.random(in: 0..<text.count - 1, using: &random)
                    let word = String(text[a..<min(text.count, a + Int.random(in: 1...4, using: &random))])
                    guard !word.contains(" ") else { continue }
                    let q = SearchIndex.query(SearchIndex.words(word))
                    let expected = (0..<items.count).filter {
                        SearchIndexTests.naive(SearchIndex.haystack(items[$0]), q.words[0])
                    }
                    let found = index.matches(i, q)
                    let all = (0..<items.count).filter { index.matches($0, q) }
                    #expect(found, "\(item.number) 应能搜到“\(word)”")
                    #expect(all == expected, "“\(word)”")
                }
            }
        }
        // Several words: all must appear, anywhere.
        let q = SearchIndex.query(SearchIndex.words("青石 饮水"))
        let hits = (0..<items.count).filter { index.matches($0, q) }
        #expect(!hits.isEmpty)
        #expect(hits.allSatisfy { items[$0].title.contains("饮水") || items[$0].instruction.contains("饮水") })
    }

    /// A text's grams (what a database's search index holds) are its characters and pairs of
    /// adjacent characters as Unicode scalars, each once, none holding the field separator; a
    /// word found in the text has all of its grams there, and a word of pairs that occur only
    /// apart has them too (the index narrows, the scan decides).
    @Test func gramsAreTheCharactersAndPairsOfTheText() {
        func scalars(_ grams: [String]) -> [[UInt32]] { grams.map { $0.unicodeScalars.map(\.value) } }
        var random = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = ["a", "b", "1", "交", "通", "\u{1}", "e", "\u{301}", "é", "、", "😀"]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...30, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            var want = Set<[UInt32]>()
            for (i, c) in text.enumerated() where c != "\u{1}" {
                want.insert([c.value])
                if i > 0, text[i - 1] != "\u{1}" { want.insert([text[i - 1].value, c.value]) }
            }
            var string = ""
            string.unicodeScalars.append(contentsOf: text)
            let grams = scalars(SearchIndex.grams(of: string))
            #expect(grams.count == want.count && Set(grams) == want, "\(text)")
            #expect(grams == grams.sorted { $0.lexicographicallyPrecedes($1) })
            // Every piece of the text: its grams are among the text's.
            guard !text.isEmpty else { continue }
            let a = Int.random(in: 0..<text.count, using: &random)
            let piece = Array(text[a..<min(text.count, a + Int.random(in: 1...5, using: &random))])
            var word = ""
            word.unicodeScalars.append(contentsOf: piece)
            let wanted = scalars(SearchIndex.grams(ofWord: Array(word.utf8)))
            #expect(wanted.allSatisfy(want.contains), "\(piece) in \(text)")
            #expect(wanted.allSatisfy { $0.count == min(2, piece.count) && !$0.contains(1) })
        }
        #expect(SearchIndex.grams(ofWord: Array("城".utf8)) == ["城"])
        #expect(
            SearchIndex.grams(ofWord: Array("城区段".utf8))
                == ["区段", "城区"].sorted {
                    Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value))
                })
        #expect(SearchIndex.grams(ofWord: [0x01]).isEmpty)
        // 城区 and 区段 both occur, 城区段 does not: the grams cannot tell, the scan does.
        let r = Registration(
            title: "老城区路面修缮及区段管护", source: "领导批示", leadUnit: "青石镇", assignedOn: Fixtures.day("2026-11-01"),
            deadline: Fixtures.day("2026-12-01"))
        let number = ItemNumber(prefix: "督", year: 2026, serial: 1)
        let at = Timestamp(day: Fixtures.day("2026-11-01"), hour: 9, minute: 0)
        let item = Item(
            registering: r, number: number,
            entry: Entry(seq: 2, at: at, actor: "clerk", change: .item(number, .register(r)), prev: Chain.start))
        let text = SearchIndex.text(of: item)
        let grams = Set(SearchIndex.grams(of: text))
        #expect(SearchIndex.grams(ofWord: Array("城区段".utf8)).allSatisfy(grams.contains))
        #expect(!SearchIndex(items: [item]).matches(0, SearchIndex.query(SearchIndex.words("城区段"))))
        // Nothing across two fields (the title's end, the lead unit's start).
        #expect(!grams.contains("护青") && grams.contains("管护") && grams.contains("青石"))
    }
}
