import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// What the user saw when they last left the interface, per repository: each item they could
/// see with its number of records. An item registered or changed since (more records, or not
/// there at all) is new to them. Kept in the user's own folder with the user's own rights
/// ($XDG_STATE_HOME/ducha, else ~/.local/state/ducha), never in the repository.
public struct LastVisit: Sendable, Equatable {
    /// Records per item number, as last seen.
    public var seen: [String: Int]

    public init(seen: [String: Int]) { self.seen = seen }

    /// What the user sees now: the items visible to them.
    public init(items: [Item]) {
        seen = Dictionary(items.map { ($0.number.description, $0.eventCount) }, uniquingKeysWith: { a, _ in a })
    }

    /// The items new or changed since this visit.
    public func changed(_ items: [Item]) -> Set<ItemNumber> {
        Set(items.filter { seen[$0.number.description] != $0.eventCount }.map(\.number))
    }

    /// The items new or changed between this visit and `now` (what the user sees now).
    public func changed(since now: LastVisit) -> Set<ItemNumber> {
        Set(now.seen.compactMap { key, count in seen[key] == count ? nil : ItemNumber.parseFull(key) })
    }

    /// The items new or changed, of some the user sees now (a batch of what a store lists).
    public func changed(_ now: [(number: String, mark: Int)]) -> [ItemNumber] {
        now.compactMap { seen[$0.number] == $0.mark ? nil : ItemNumber.parseFull($0.number) }
    }

    public var text: String { seen.keys.sorted().map { LastVisit.line($0, seen[$0]!) }.joined() }

    /// One item's line of the file.
    public static func line(_ number: String, _ mark: Int) -> String { "\(number)\t\(mark)\n" }

    public static func parse(_ bytes: [UInt8]) -> LastVisit {
        var seen: [String: Int] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2, let n = Int(parts[1]) { seen[String(parts[0])] = n }
        }
        return LastVisit(seen: seen)
    }

    /// The file of the repository at `directory`: one per repository, named by a hash of its path.
    public static func path(repository directory: String, stateHome: String?) -> String {
        let base = stateHome.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? (UserPath.home() + "/.local/state")
        return base + "/ducha/seen-" + String(Chain.hash(Array(directory.utf8)).prefix(16))
    }

    /// The last visit's record, with the user's rights; nil on the first visit (or unreadable).
    public static func load(_ path: String) -> LastVisit? {
        UserRights.perform { () -> LastVisit? in
            guard let bytes = try? DataDirectory.read(path, limit: 16 << 20) else { return nil }
            return parse(bytes)
        }
    }

    /// Writes it with the user's rights, making the folders (private to the user) as needed.
    public func save(_ path: String) { LastVisit.save(Array(text.utf8), to: path) }

    /// Writes the file's bytes (`line` for each item) with the user's rights.
    public static func save(_ bytes: [UInt8], to path: String) {
        UserRights.perform {
            var folder = ""
            for part in path.split(separator: "/").dropLast() {
                folder += "/" + part
                _ = mkdir(folder, 0o700)
            }
            try? AtomicFile.write(bytes, to: path)
        }
    }
}
