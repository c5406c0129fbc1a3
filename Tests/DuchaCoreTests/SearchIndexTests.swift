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
}
