import Crypto
import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// The hash chain of the history: every journal line carries (as `prev`) the SHA-256 of the line
/// before it, so a record altered, removed, reordered or inserted later breaks the chain at that
/// line. The snapshot does not repeat each entry's `prev` (it is implied by the order of the
/// entries); its header records where the chain starts and its head, the hash of the last line
/// it includes. `ducha check` rebuilds every line from the entries and verifies the whole chain;
/// notices print the head (台账校验码), so a printed paper anchors the history.
public enum Chain {
    /// The `prev` of the first entry of a chain: nothing before it.
    public static let start = String(repeating: "0", count: 64)

    /// The SHA-256 of a line (without its newline), in lower-case hex.
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        hex(SHA256.hash(data: UnsafeRawBufferPointer(bytes)))
    }

    public static func hash(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { hash($0) }
    }

    /// The hash of an entry's journal line (as `EntryCodec.line` writes it, newline excluded).
    public static func hash(_ entry: Entry) -> String {
        var line = EntryCodec.line(entry)
        line.removeLast()
        return hash(line)
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Gives every entry of a new repository its `prev` (in sequence order, the first one
    /// `start`) and returns the head: used when a repository is written whole (`ducha demo`).
    public static func seal(_ entries: inout [Entry]) -> String? {
        var head: String? = nil
        for i in entries.indices {
            entries[i].prev = head ?? start
            head = hash(entries[i])
        }
        return head
    }

    /// Whether `s` has the form of a hash (64 lower-case hex digits).
    public static func isHash(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// The head of a ledger's chain computed from its entries, every one of them chained from
    /// the first (a repository written whole: `ducha demo`, an import of a whole ledger).
    public static func head(of ledger: Ledger) -> String? {
        var entries = ledger.log
        for item in ledger.items { entries.append(contentsOf: item.history) }
        entries.sort { $0.seq < $1.seq }
        return seal(&entries)
    }

    /// Where the chain of a snapshot starts and its head.
    public struct Mark: Sendable, Equatable {
        /// The sequence number of the first entry that carries a `prev` (earlier entries were
        /// written before ducha kept a chain).
        public var from: Int
        /// The hash of the last line the snapshot includes.
        public var head: String
    }
}

extension Ledger {
    /// The chain as the snapshot header records it.
    var chainMark: Chain.Mark? {
        guard let chainFrom, let chainHead else { return nil }
        return Chain.Mark(from: chainFrom, head: chainHead)
    }
}

/// What time it is for a record: the server's clock, read once the repository's lock is held.
/// A day given with --today (`fixedToday`) changes what today is for views, lights and reports;
/// a write under it is refused unless the repository is a demo or test one, where the record
/// takes that day at the current time of day.
public struct RecordClock: Sendable {
    public var fixedToday: Day?
    let now: @Sendable () -> Timestamp

    public init(fixedToday: Day? = nil) {
        self.fixedToday = fixedToday
        now = { Timestamp(posixSeconds: Int(time(nil))) }
    }

    /// A clock reading `now` instead of the system clock (tests).
    public init(fixedToday: Day? = nil, now: @escaping @Sendable () -> Timestamp) {
        self.fixedToday = fixedToday
        self.now = now
    }

    /// The record's time and the day the request is judged on.
    func read(for ledger: Ledger) throws(StoreError) -> (Timestamp, Day) { try read(for: ledger.settings) }

    /// The same for a repository with these settings (one being created).
    public func read(for settings: Settings) throws(StoreError) -> (Timestamp, Day) {
        let real = now()
        guard let fixed = fixedToday, fixed != real.day else { return (real, real.day) }
        guard settings.testClock else {
            throw .refused(
                .notAllowedNow(
                    "今天被设为 \(fixed)，而服务器的日期是 \(real.day)：记录的时间以服务器时钟为准，不能按设定的日期写入"
                        + "（只有演示台账和测试台账可以）；如是督查室补录单位早先报来的情况，可写明报送日期"))
        }
        return (Timestamp(day: fixed, secondOfDay: real.secondOfDay), fixed)
    }
}
