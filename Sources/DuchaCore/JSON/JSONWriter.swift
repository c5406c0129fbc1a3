/// Writes compact JSON into a byte buffer: UTF-8 as is (Chinese stays readable in the files),
/// control characters and the characters `Deceptive` names escaped, keys in the order written
/// so output is deterministic.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// One flag per open container: whether the next member needs a comma first.
    var needsComma: [Bool] = []
    var afterKey = false

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma.removeLast()
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma.removeLast()
    }

    public mutating func key(_ k: String) {
        separate()
        appendQuoted(k)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func value(_ s: String) {
        separate()
        appendQuoted(s)
    }

    public mutating func value(_ n: Int) {
        separate()
        bytes.append(contentsOf: Array(String(n).utf8))
    }

    public mutating func value(_ b: Bool) {
        separate()
        bytes.append(contentsOf: Array((b ? "true" : "false").utf8))
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: Array("null".utf8))
    }

    public mutating func value(_ list: [String]) {
        beginArray()
        for s in list { value(s) }
        endArray()
    }

    // Convenience for object members.
    public mutating func field(_ k: String, _ v: String) {
        key(k)
        value(v)
    }
    public mutating func field(_ k: String, _ v: Int) {
        key(k)
        value(v)
    }
    public mutating func field(_ k: String, _ v: Bool) {
        key(k)
        value(v)
    }
    public mutating func field(_ k: String, _ v: [String]) {
        key(k)
        value(v)
    }
    /// Writes the member only when the value is present and not empty.
    public mutating func optionalField(_ k: String, _ v: String?) {
        if let v, !v.isEmpty { field(k, v) }
    }

    /// Raw bytes, e.g. a newline between snapshot records. No comma handling.
    public mutating func raw(_ s: String) { bytes.append(contentsOf: Array(s.utf8)) }

    mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        if let last = needsComma.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            needsComma[needsComma.count - 1] = true
        }
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A string in quotes. Control characters are escaped, and so are the characters
    /// `Deceptive` names (\u202e): the file reads the same in any viewer, and decodes to the
    /// same text.
    mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { b in
            var run = 0
            var i = 0
            while i < b.count {
                let c = b[i]
                let escape: UInt8
                switch c {
                case UInt8(ascii: "\""): escape = c
                case UInt8(ascii: "\\"): escape = c
                case 0x0A: escape = UInt8(ascii: "n")
                case 0x0D: escape = UInt8(ascii: "r")
                case 0x09: escape = UInt8(ascii: "t")
                case 0..<0x20, 0x7F: escape = UInt8(ascii: "u")
                case 0xD8, 0xE2, 0xEF:
                    // Always escaped, the joiner of an emoji sequence too: the escape is neutral.
                    let n = c == 0xE2 && b[i + 1] == 0x80 && b[i + 2] == 0x8D ? 3 : Deceptive.length(b, at: i)
                    guard n > 0 else {
                        i += 1
                        continue
                    }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
                    var at = i
                    appendEscape(DisplayWidth.scalar(b, at: &at))
                    i += n
                    run = i
                    continue
                default:
                    i += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
                if escape == UInt8(ascii: "u") {
                    appendEscape(UInt32(c))
                } else {
                    bytes.append(contentsOf: [0x5C, escape])
                }
                i += 1
                run = i
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<b.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// \u and four hex digits.
    mutating func appendEscape(_ v: UInt32) {
        let h = JSONWriter.hex
        bytes.append(contentsOf: [
            0x5C, UInt8(ascii: "u"), h[Int(v >> 12 & 0xF)], h[Int(v >> 8 & 0xF)], h[Int(v >> 4 & 0xF)], h[Int(v & 0xF)],
        ])
    }
}
