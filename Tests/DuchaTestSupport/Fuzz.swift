import DuchaCore

/// Deterministic generated inputs for property tests: a seeded generator and mutations of
/// valid inputs (bytes flipped, cut, repeated, spliced with characters that parsers trip on).
public struct Fuzz {
    /// The demo's generator: the same seed gives the same inputs on every run.
    var random: SplitMix

    public init(seed: UInt64) { random = SplitMix(seed: seed) }

    public mutating func next() -> UInt64 { random.next() }

    public mutating func int(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
    public mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    public mutating func pick<T>(_ list: [T]) -> T { list[int(list.count)] }

    /// Bytes that make parsers work: structure, escapes, digits, invalid and partial UTF-8.
    static let tricky: [[UInt8]] = [
        Array("\"".utf8), Array("\\".utf8), Array("{".utf8), Array("}".utf8), Array("[".utf8), Array("]".utf8), Array(",".utf8),
        Array(":".utf8), Array("\\u".utf8), Array("\\ud83d".utf8), Array("0".utf8), Array("-".utf8),
        Array("9999999999999999999999".utf8),
        Array("null".utf8), Array("true".utf8), [0xFF], [0xC3], [0xE4, 0xB8], [0x00], [0x1B], [0x0A], [0x0D], Array("中".utf8),
        Array("〔2026〕".utf8), Array("1e5".utf8), Array(" ".utf8),
    ]

    /// A mutation of `input`.
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var b = input
        for _ in 0...int(4) {
            switch int(6) {
            case 0 where !b.isEmpty: b[int(b.count)] = UInt8(truncatingIfNeeded: next())
            case 1 where !b.isEmpty:
                let i = int(b.count)
                b.removeSubrange(i..<min(b.count, i + 1 + int(8)))
            case 2:
                b.insert(contentsOf: pick(Fuzz.tricky), at: int(b.count + 1))
            case 3 where b.count > 2:
                let i = int(b.count - 1)
                let j = min(b.count, i + 1 + int(16))
                b.insert(contentsOf: Array(b[i..<j]), at: int(b.count + 1))
            case 4: b = Array(b.prefix(int(b.count + 1)))
            default:
                b.append(contentsOf: (0..<int(8)).map { _ in UInt8(truncatingIfNeeded: next()) })
            }
        }
        return b
    }

    /// Random bytes.
    public mutating func bytes(_ max: Int) -> [UInt8] { (0..<int(max)).map { _ in UInt8(truncatingIfNeeded: next()) } }
}
