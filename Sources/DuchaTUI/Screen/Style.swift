/// How a cell looks, by meaning rather than by terminal capability: the ncurses adapter maps
/// each colour to a colour pair, or — on a terminal without colour, or with NO_COLOR set — to
/// bold, underline and dim.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public enum Color: String, Hashable, Sendable, CaseIterable {
        case normal, red, yellow, green, dim, accent, title
    }

    public var color: Color
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ color: Color = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.color = color
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let normal = Style()
    public static let bold = Style(.normal, bold: true)
    public static let title = Style(.title, bold: true, reverse: true)
    public static let header = Style(.accent, bold: true)
    public static let red = Style(.red)
    public static let yellow = Style(.yellow)
    public static let green = Style(.green)
    public static let dim = Style(.dim)
    public static let accent = Style(.accent)
    public static let error = Style(.red, bold: true)
    public static let keyHint = Style(.accent, bold: true)

    public var reversed: Style {
        var s = self
        s.reverse.toggle()
        return s
    }

    public var description: String {
        color.rawValue + (bold ? "+bold" : "") + (reverse ? "+reverse" : "") + (underline ? "+underline" : "")
    }
}
