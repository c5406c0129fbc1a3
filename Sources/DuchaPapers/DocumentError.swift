/// A problem reading or writing a document, said in Chinese.
public struct DocumentError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
