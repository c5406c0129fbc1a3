#if canImport(Glibc)
    import Glibc
#endif

/// A pull parser over UTF-8 JSON bytes. It allocates nothing but the strings it returns, so the
/// repository's snapshot and journal load at close to the speed of reading the bytes.
///
/// Use it inside `JSONReader.read(_:_:)`, which keeps the bytes alive while the reader runs.
public struct JSONReader: ~Copyable {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let end: Int
    public private(set) var position: Int
    /// How deep the reader is inside arrays and objects; bounded so hostile input cannot
    /// exhaust the stack through `skipValue`.
    var depth = 0
    static let maxDepth = 200

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = buffer.count
        position = 0
    }

    /// Runs `body` with a reader over `bytes`, handing back what it returns without a copy
    /// (a snapshot line's item is read this way).
    public static func read<T>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (inout JSONReader) throws(JSONError) -> T
    ) throws(JSONError) -> T {
        var reader = JSONReader(bytes)
        return try body(&reader)
    }

    /// Runs `body` with a reader over `bytes`.
    public static func read<T, C: Collection<UInt8>>(
        _ bytes: C, _ body: (inout JSONReader) throws(JSONError) -> T
    ) throws(JSONError) -> T {
        let result: Result<T, JSONError>? = bytes.withContiguousStorageIfAvailable { buf in
            var reader = JSONReader(buf)
            do throws(JSONError) { return .success(try body(&reader)) } catch { return .failure(error) }
        }
        if let result { return try result.get() }
        return try read(Array(bytes), body)
    }

    // MARK: Structure

    public enum Kind: Sendable { case object, array, string, number, bool, null, end }

    public mutating func peekKind() -> Kind {
        skipWhitespace()
        guard position < end else { return .end }
        switch base[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return .number
        }
    }

    public mutating func beginObject() throws(JSONError) {
        try expect(UInt8(ascii: "{"), "应为对象 {")
        try enter()
        firstMember = true
    }

    var firstMember = false

    /// The next key of the current object, or nil at its closing brace.
    public mutating func nextKey() throws(JSONError) -> String? {
        skipWhitespace()
        guard position < end else { throw error("对象未结束") }
        if base[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            firstMember = false
            return nil
        }
        if !firstMember {
            guard base[position] == UInt8(ascii: ",") else { throw error("对象成员之间应为逗号") }
            position += 1
            skipWhitespace()
        }
        firstMember = false
        let key = try readString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "键后应为冒号")
        return key
    }

    /// The next key as its code (`JSONReader.code`), or nil at the closing brace: decoders
    /// switch on codes, so reading a key makes no String.
    public mutating func nextKeyCode() throws(JSONError) -> UInt64? {
        skipWhitespace()
        guard position < end else { throw error("对象未结束") }
        if base[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            firstMember = false
            return nil
        }
        if !firstMember {
            guard base[position] == UInt8(ascii: ",") else { throw error("对象成员之间应为逗号") }
            position += 1
            skipWhitespace()
        }
        firstMember = false
        let start = position
        try expect(UInt8(ascii: "\""), "应为字符串")
        var h = JSONReader.codeSeed
        var high: UInt8 = 0
        while position < end {
            let c = base[position]
            high |= c
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                // Keys ducha writes have no escapes; read such a key the slow way.
                position = start
                let key = try readString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "键后应为冒号")
                return JSONReader.code(key)
            }
            if c < 0x20 { throw error("字符串中有未转义的控制字符") }
            h = (h ^ UInt64(c)) &* JSONReader.codePrime
            position += 1
        }
        guard position < end else { throw JSONError(message: "字符串未结束", offset: start) }
        guard high < 0x80 || UTF8Check.isValid(UnsafeBufferPointer(start: base + start + 1, count: position - start - 1)) else {
            throw JSONError(message: "字符串不是有效的 UTF-8", offset: start)
        }
        position += 1
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "键后应为冒号")
        return h
    }

    static let codeSeed: UInt64 = 0xcbf2_9ce4_8422_2325
    static let codePrime: UInt64 = 0x100_0000_01b3

    /// A key's code: FNV-1a of its UTF-8 bytes.
    public static func code(_ key: String) -> UInt64 {
        var h = codeSeed
        for b in key.utf8 { h = (h ^ UInt64(b)) &* codePrime }
        return h
    }

    /// A string holding a date in the stored form YYYY-MM-DD.
    public mutating func readDay() throws(JSONError) -> Day {
        skipWhitespace()
        let start = position
        if position + 12 <= end, base[position] == UInt8(ascii: "\""), base[position + 11] == UInt8(ascii: "\""),
            let d = Day.parseStored(utf8: UnsafeBufferPointer(start: base + position + 1, count: 10))
        {
            position += 12
            return d
        }
        let text = try readString()
        guard let d = Day.parseStored(text) else { throw JSONError(message: "日期 \(text.sanitized()) 无效", offset: start) }
        return d
    }

    /// A string holding a time in the stored form 2026-11-21T09:30:05+08:00.
    public mutating func readTimestamp() throws(JSONError) -> Timestamp {
        skipWhitespace()
        let start = position
        if position + 27 <= end, base[position] == UInt8(ascii: "\""), base[position + 26] == UInt8(ascii: "\""),
            let t = Timestamp.parse(utf8: UnsafeBufferPointer(start: base + position + 1, count: 25))
        {
            position += 27
            return t
        }
        let text = try readString()
        guard let t = Timestamp.parse(text) else { throw JSONError(message: "时间 \(text.sanitized()) 无效", offset: start) }
        return t
    }

    public mutating func beginArray() throws(JSONError) {
        try expect(UInt8(ascii: "["), "应为数组 [")
        try enter()
        firstMember = true
    }

    /// True when another element follows; false (consuming the bracket) at the array's end.
    public mutating func nextElement() throws(JSONError) -> Bool {
        skipWhitespace()
        guard position < end else { throw error("数组未结束") }
        if base[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            firstMember = false
            return false
        }
        if !firstMember {
            guard base[position] == UInt8(ascii: ",") else { throw error("数组元素之间应为逗号") }
            position += 1
        }
        firstMember = false
        return true
    }

    /// Requires that nothing but white space follows.
    public mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        guard position == end else { throw error("数据后有多余内容") }
    }

    // MARK: Values

    public mutating func readString() throws(JSONError) -> String {
        skipWhitespace()
        try expect(UInt8(ascii: "\""), "应为字符串")
        let start = position
        var hasEscape = false
        while true {
            position = specialByte(from: position)
            guard position < end else { break }
            let c = base[position]
            if c == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(start: base + start, count: position - start)
                position += 1
                if !hasEscape {
                    guard let s = UTF8Check.string(slice) else { throw JSONError(message: "字符串不是有效的 UTF-8", offset: start) }
                    return s
                }
                return try unescape(slice, offset: start)
            }
            if c == UInt8(ascii: "\\") {
                hasEscape = true
                position += 2
                continue
            }
            throw error("字符串中有未转义的控制字符")
        }
        position = end
        throw JSONError(message: "字符串未结束", offset: start)
    }

    /// The first position from `i` holding a quote, a backslash or a control character (or
    /// `end`): what ends the plain run of a string, found sixteen bytes at a time.
    @inline(__always)
    func specialByte(from i: Int) -> Int {
        var i = i
        let raw = UnsafeRawPointer(base)
        let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
        let backslash = SIMD16<UInt8>(repeating: UInt8(ascii: "\\"))
        let space = SIMD16<UInt8>(repeating: 0x20)
        while i + 16 <= end {
            let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let hits = (v .== quote) .| (v .== backslash) .| (v .< space)
            if any(hits) { break }
            i += 16
        }
        while i < end {
            let c = base[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { return i }
            i += 1
        }
        return end
    }

    /// Reads a string that repeats across a file (unit names, sources, leaders), sharing one
    /// copy of each: less to allocate and to keep, and equal names compare at once.
    public mutating func readString(pool: StringPool) throws(JSONError) -> String {
        skipWhitespace()
        let start = position
        try expect(UInt8(ascii: "\""), "应为字符串")
        let i = specialByte(from: position)
        guard i < end, base[i] == UInt8(ascii: "\"") else {
            position = start
            return try readString()
        }
        let slice = UnsafeBufferPointer(start: base + position, count: i - position)
        guard let s = pool.string(slice) else { throw JSONError(message: "字符串不是有效的 UTF-8", offset: start) }
        position = i + 1
        return s
    }

    /// Reads an item number written as ducha writes it (督〔2026〕第0003号) without making a
    /// String of it first.
    public mutating func readItemNumber() throws(JSONError) -> ItemNumber {
        skipWhitespace()
        let start = position
        try expect(UInt8(ascii: "\""), "应为事项编号")
        var i = position
        while i < end, base[i] != UInt8(ascii: "\""), base[i] != UInt8(ascii: "\\"), base[i] >= 0x20 { i += 1 }
        if i < end, base[i] == UInt8(ascii: "\"") {
            let slice = UnsafeBufferPointer(start: base + position, count: i - position)
            guard UTF8Check.isValid(slice), let n = ItemNumber.parseStored(slice) else {
                throw JSONError(message: "事项编号 \(String(decoding: slice, as: UTF8.self).sanitized()) 无效", offset: start)
            }
            position = i + 1
            return n
        }
        position = start
        let text = try readString()
        guard let n = ItemNumber.parseFull(text) else { throw JSONError(message: "事项编号 \(text.sanitized()) 无效", offset: start) }
        return n
    }

    public mutating func readInt() throws(JSONError) -> Int {
        skipWhitespace()
        let start = position
        var negative = false
        if position < end, base[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        // RFC 8259: no leading zeros, no plus sign; `-0` is zero.
        if position + 1 < end, base[position] == UInt8(ascii: "0"), base[position + 1] >= 0x30, base[position + 1] <= 0x39 {
            throw JSONError(message: "数字不能以 0 开头", offset: start)
        }
        var value = 0
        var digits = 0
        while position < end, base[position] >= 0x30, base[position] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(base[position] - 0x30))
            guard !o1, !o2 else { throw JSONError(message: "整数过大", offset: start) }
            value = a
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw JSONError(message: "应为整数", offset: start) }
        if position < end, base[position] == UInt8(ascii: ".") || base[position] | 0x20 == UInt8(ascii: "e") {
            throw JSONError(message: "应为整数", offset: start)
        }
        return negative ? -value : value
    }

    public mutating func readBool() throws(JSONError) -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw error("应为 true 或 false")
    }

    /// Consumes `null` and returns true, or returns false leaving the value in place.
    public mutating func readNull() -> Bool {
        skipWhitespace()
        return matchLiteral("null")
    }

    public mutating func readStringArray() throws(JSONError) -> [String] {
        var out: [String] = []
        try beginArray()
        while try nextElement() { out.append(try readString()) }
        return out
    }

    /// Skips one value of any kind.
    public mutating func skipValue() throws(JSONError) {
        switch peekKind() {
        case .object:
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case .array:
            try beginArray()
            while try nextElement() { try skipValue() }
        case .string: _ = try readString()
        case .bool: _ = try readBool()
        case .null: if !readNull() { throw error("应为 null") }
        case .number: try skipNumber()
        case .end: throw error("数据意外结束")
        }
    }

    // MARK: Helpers

    public func error(_ message: String) -> JSONError { JSONError(message: message, offset: position) }

    mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= JSONReader.maxDepth else { throw error("嵌套层数过多") }
    }

    @inline(__always) mutating func skipWhitespace() {
        while position < end {
            let c = base[position]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            position += 1
        }
    }

    mutating func expect(_ byte: UInt8, _ message: String) throws(JSONError) {
        skipWhitespace()
        guard position < end, base[position] == byte else { throw error(message) }
        position += 1
    }

    mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard position + n <= end else { return false }
        let p = literal.utf8Start
        for i in 0..<n where base[position + i] != p[i] { return false }
        position += n
        return true
    }

    /// Skips a number as RFC 8259 writes it: `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)?
    /// ([eE] [+-]? [0-9]+)?, and nothing that could continue it (`01`, `1.`, `.5`, `+1`, `1e`,
    /// `0.1.2`, NaN and Infinity are refused).
    mutating func skipNumber() throws(JSONError) {
        let start = position
        @inline(__always) func isDigit(_ i: Int) -> Bool { i < end && base[i] >= 0x30 && base[i] <= 0x39 }
        @inline(__always) func digits() -> Bool {
            guard isDigit(position) else { return false }
            while isDigit(position) { position += 1 }
            return true
        }
        if position < end, base[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else {
            throw JSONError(message: position == start ? "无法识别的值" : "数字格式无效", offset: start)
        }
        if base[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(position) { throw JSONError(message: "数字不能以 0 开头", offset: start) }
        } else {
            _ = digits()
        }
        if position < end, base[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() else { throw JSONError(message: "数字格式无效：小数点后应有数字", offset: start) }
        }
        if position < end, base[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < end, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() else { throw JSONError(message: "数字格式无效：指数应有数字", offset: start) }
        }
        if position < end {
            let c = base[position]
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c | 0x20 == UInt8(ascii: "e") {
                throw JSONError(message: "数字格式无效", offset: start)
            }
        }
    }

    func unescape(_ slice: UnsafeBufferPointer<UInt8>, offset: Int) throws(JSONError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = 0
        func hex4(_ at: Int) throws(JSONError) -> UInt32 {
            guard at + 4 <= slice.count else { throw JSONError(message: "\\u 转义不完整", offset: offset + at) }
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = slice[at + k]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw JSONError(message: "\\u 转义中有非十六进制字符", offset: offset + at)
                }
                v = v << 4 | d
            }
            return v
        }
        while i < slice.count {
            let c = slice[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < slice.count else { throw JSONError(message: "转义不完整", offset: offset + i) }
            let e = slice[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 6 <= slice.count, slice[i] == UInt8(ascii: "\\"), slice[i + 1] == UInt8(ascii: "u") else {
                        throw JSONError(message: "代理对不完整", offset: offset + i)
                    }
                    let low = try hex4(i + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw JSONError(message: "代理对无效", offset: offset + i) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw JSONError(message: "代理对无效", offset: offset + i)
                }
                guard let u = Unicode.Scalar(scalar) else { throw JSONError(message: "无效的字符", offset: offset + i) }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw JSONError(message: "无效的转义符", offset: offset + i - 1)
            }
        }
        return try out.withUnsafeBufferPointer { (b) throws(JSONError) -> String in
            guard UTF8Check.isValid(b) else { throw JSONError(message: "字符串不是有效的 UTF-8", offset: offset) }
            return String(decoding: b, as: UTF8.self)
        }
    }
}

/// UTF-8 validation as the standard library does it (no overlong forms, no surrogates, nothing
/// above U+10FFFF), without its generic entry points: strings are most of what a snapshot is.
public enum UTF8Check {
    /// The string the bytes spell, or nil when they are not valid UTF-8. `String(decoding:)`
    /// validates as it copies but repairs rather than refuses; a repair shows as a difference
    /// between what went in and what came out.
    @inline(__always)
    public static func string(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var s = String(decoding: b, as: UTF8.self)
        let same = s.withUTF8 { out in
            out.count == b.count && (b.count == 0 || memcmp(out.baseAddress!, b.baseAddress!, b.count) == 0)
        }
        return same ? s : nil
    }

    public static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = b.baseAddress else { return true }
        let n = b.count
        var i = 0
        while i < n {
            while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { return true }
            let c = p[i]
            if c < 0x80 {
                i += 1
            } else if c < 0xC2 {
                return false
            } else if c < 0xE0 {
                guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
            } else if c < 0xF0 {
                guard i + 2 < n else { return false }
                let c1 = p[i + 1]
                guard c1 & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80 else { return false }
                if c == 0xE0, c1 < 0xA0 { return false }
                if c == 0xED, c1 >= 0xA0 { return false }
                i += 3
            } else if c < 0xF5 {
                guard i + 3 < n else { return false }
                let c1 = p[i + 1]
                guard c1 & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else { return false }
                if c == 0xF0, c1 < 0x90 { return false }
                if c == 0xF4, c1 >= 0x90 { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }
}

/// A JSON syntax problem at a byte offset.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
    public var description: String { "\(message)（第 \(offset + 1) 字节处）" }
}

/// Strings read once and shared: see `JSONReader.readString(pool:)`.
public final class StringPool {
    var table: [UInt64: String] = [:]

    public init() {}

    /// The string the bytes spell (validated), the pooled copy when there is one.
    public func string(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var h = JSONReader.codeSeed
        for c in b { h = (h ^ UInt64(c)) &* JSONReader.codePrime }
        if var s = table[h] {
            let same = s.withUTF8 { p in p.count == b.count && (b.isEmpty || memcmp(p.baseAddress!, b.baseAddress!, b.count) == 0)
            }
            if same { return s }
            return UTF8Check.string(b)
        }
        guard let s = UTF8Check.string(b) else { return nil }
        table[h] = s
        return s
    }
}
