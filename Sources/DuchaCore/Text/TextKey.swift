#if canImport(Glibc)
    import Glibc
#endif

/// A string as a dictionary key, hashed and compared by its UTF-8 bytes. Reports group tens of
/// thousands of items by unit or source, and String's own hashing normalizes Chinese text
/// every time. (Two canonically equivalent but differently encoded spellings of a name count
/// as two names here; ducha stores names as typed and compares them as stored.)
public struct TextKey: Hashable, Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public static func == (a: TextKey, b: TextKey) -> Bool {
        var (x, y) = (a.text, b.text)
        return x.withUTF8 { p in
            y.withUTF8 { q in p.count == q.count && (p.isEmpty || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
        }
    }
}
