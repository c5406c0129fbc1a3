/// Writes compact JSON into a byte buffer: UTF-8 as is (Chinese stays readable in the files),
/// control characters escaped, keys in the order written so output is deterministic.
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

    mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                bytes.append(contentsOf: [
                    0x5C, UInt8(ascii: "u"), 0x30, 0x30, JSONWriter.hex[Int(b >> 4)], JSONWriter.hex[Int(b & 0xF)],
                ])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
