#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain string operations the core needs without Foundation, written over UTF-8 bytes.
extension String {
    /// Replaces every occurrence of `target` (no Foundation needed in the core). Matched as
    /// UTF-8 bytes, which for valid text is matching by Unicode scalars; the generic string
    /// searching of the standard library would look its types up at run time, a cost every
    /// command paid at start.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        var text = self
        var target = target
        return text.withUTF8 { s in
            target.withUTF8 { t in
                guard let first = t.first, s.count >= t.count else { return self }
                var out: [UInt8] = []
                var copied = 0
                var i = 0
                while i + t.count <= s.count {
                    if s[i] == first, memcmp(s.baseAddress! + i, t.baseAddress!, t.count) == 0 {
                        if out.isEmpty { out.reserveCapacity(s.count + replacement.utf8.count) }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: s[copied..<i]))
                        out.append(contentsOf: replacement.utf8)
                        i += t.count
                        copied = i
                    } else {
                        i += 1
                    }
                }
                guard copied > 0 else { return self }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: s[copied...]))
                return String(decoding: out, as: UTF8.self)
            }
        }
    }
}

extension Array where Element == String {
    /// The strings with `separator` between them, as `joined(separator:)` gives, without the
    /// standard library's generic version (its types are looked up at run time, at every
    /// command's start).
    public func joined(by separator: String) -> String {
        guard count > 1 else { return first ?? "" }
        var out = ""
        for (i, s) in enumerated() {
            if i > 0 { out += separator }
            out += s
        }
        return out
    }
}
