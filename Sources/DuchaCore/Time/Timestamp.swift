/// A moment in the office's local time (Asia/Shanghai, UTC+8 all year: China has had no
/// daylight saving time since 1991). Stored as "2026-11-21T09:30:05+08:00".
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let day: Day
    /// Seconds since local midnight, 0..<86400.
    public let secondOfDay: Int

    public init(day: Day, secondOfDay: Int = 0) {
        self.day = day
        self.secondOfDay = max(0, min(86_399, secondOfDay))
    }

    public init(day: Day, hour: Int, minute: Int, second: Int = 0) {
        self.init(day: day, secondOfDay: hour * 3600 + minute * 60 + second)
    }

    /// The local time for a POSIX time (seconds since 1970-01-01 UTC).
    public init(posixSeconds: Int) {
        let local = posixSeconds + 8 * 3600
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        self.init(day: Day(serial: days), secondOfDay: local - days * 86_400)
    }

    public var hour: Int { secondOfDay / 3600 }
    public var minute: Int { secondOfDay / 60 % 60 }
    public var second: Int { secondOfDay % 60 }

    /// 2026-11-21T09:30:05+08:00
    public var description: String {
        "\(day)T\(Day.pad2(hour)):\(Day.pad2(minute)):\(Day.pad2(second))+08:00"
    }

    /// 2026-11-21 09:30
    public var display: String { "\(day) \(Day.pad2(hour)):\(Day.pad2(minute))" }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.day, a.secondOfDay) < (b.day, b.secondOfDay)
    }

    /// Parses the stored form; also accepts a missing offset or "Z"-less local time.
    public static func parse(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// The same, from UTF-8 bytes.
    public static func parse(utf8 u: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard u.count >= 19, u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "),
            u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":")
        else { return nil }
        guard let day = Day.parseStored(utf8: UnsafeBufferPointer(rebasing: u[0..<10])) else { return nil }
        func num(_ a: Int) -> Int? {
            let (h, l) = (u[a], u[a + 1])
            guard (0x30...0x39).contains(h), (0x30...0x39).contains(l) else { return nil }
            return Int(h - 0x30) * 10 + Int(l - 0x30)
        }
        guard let h = num(11), let m = num(14), let s = num(17), h < 24, m < 60, s < 60 else { return nil }
        let rest = u[19...]
        guard rest.isEmpty || rest.elementsEqual("+08:00".utf8) else { return nil }
        return Timestamp(day: day, hour: h, minute: m, second: s)
    }
}
