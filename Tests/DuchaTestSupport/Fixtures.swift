import DuchaCore
import DuchaStore
import Foundation

/// Shared fixtures for every test target: the real data folder and calendars, a fixed today,
/// ledgers built through the real workflow, temporary folders, and the built binary.
public enum Fixtures {
    /// The package's root folder.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// data/ of the source tree.
    public static let dataPath = packageRoot + "/data"

    /// The real work calendar from data/calendar (2025 and 2026 tables).
    public static let calendar: WorkCalendar = {
        try! DataDirectory(path: dataPath).calendar()
    }()

    public static func day(_ text: String) -> Day { Day.parseStored(text)! }

    public static func at(_ text: String, _ hour: Int = 10) -> Timestamp { Timestamp(day: day(text), hour: hour, minute: 0) }
}

/// Builds a ledger by sending commands through `Workflow`, as a repository would.
public struct LedgerBuilder {
    public var ledger = Ledger()
    public var today: Day
    public var clerk = "clerk"

    public init(today: String = "2026-11-02", settings: Settings = Settings(officeName: "青山县委督查室")) {
        self.today = Fixtures.day(today)
        try! record(.initialize(settings), actor: clerk)
    }

    /// Applies a raw change as `actor`.
    public mutating func record(_ change: Change, actor: String, unit: String? = nil, proxy: Bool = false) throws {
        try ledger.apply(
            Entry(
                seq: ledger.seq + 1, at: Timestamp(day: today, hour: 9, minute: 0), actor: actor, unit: unit, proxy: proxy,
                change: change))
    }

    /// Runs a command as `login` through the workflow and records what it decides.
    @discardableResult
    public mutating func run(_ command: Command, as login: String? = nil) throws -> [Entry] {
        let who = login ?? clerk
        let actor = try ledger.actor(login: who)
        let d = try Workflow.decide(command, by: actor, in: ledger, today: today)
        var out: [Entry] = []
        for c in d.changes {
            let e = Entry(
                seq: ledger.seq + 1, at: Timestamp(day: today, hour: 10, minute: 0), actor: who, unit: d.unit, proxy: d.proxy,
                change: c)
            try ledger.apply(e)
            out.append(e)
        }
        return out
    }

    public mutating func units(_ names: String...) throws {
        for n in names { try run(.addUnit(Unit(name: n, kind: .department))) }
    }

    /// Registers an item and returns its number.
    @discardableResult
    public mutating func register(
        _ title: String, lead: String, co: [String] = [], assigned: String? = nil, deadline: String, source: String = "领导批示",
        leader: String = "李明远"
    ) throws -> ItemNumber {
        let r = Registration(
            title: title, instruction: "请\(lead)牵头办理。", source: source, leader: leader, leadUnit: lead, coUnits: co,
            assignedOn: assigned.map(Fixtures.day) ?? today, deadline: Fixtures.day(deadline))
        let e = try run(.register(r))
        return e.last!.item!
    }

    /// Runs an item request as `login`.
    @discardableResult
    public mutating func act(
        _ number: ItemNumber, _ request: ItemRequest, as login: String? = nil, forUnit: String? = nil
    ) throws
        -> [Entry]
    {
        let ref = try ItemReference.parse(number.description)
        return try run(.act(ref, request, forUnit: forUnit), as: login)
    }

    public mutating func act(
        _ number: ItemNumber, _ action: ItemAction, as login: String? = nil, forUnit: String? = nil
    ) throws
        -> [Entry]
    {
        try act(number, .action(action), as: login, forUnit: forUnit)
    }

    public func item(_ n: ItemNumber) -> Item { ledger.item(n)! }
}

/// A folder under /tmp removed when the value goes away.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ name: String = "ducha-test") {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-XXXXXX").path
        var bytes = Array(template.utf8CString)
        let p = mkdtemp(&bytes)!
        path = String(cString: p)
        chmod(path, 0o755)
    }

    public func sub(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
