import DuchaCore
import DuchaOps
import DuchaStore
import DuchaTUI
import DuchaTestSupport

/// The demo ledger on a fixed day, and states built on it.
enum TUIFixtures {
    static let today = Fixtures.day("2026-11-21")
    static let demo: Ledger = try! DemoBuilder.build(
        DataDirectory(path: Fixtures.dataPath).demo(), settings: DataDirectory(path: Fixtures.dataPath).settings(), today: today,
        calendar: Fixtures.calendar, supervisor: "clerk")

    /// The core commands the operations an interaction asked for become (planned on `ledger` as
    /// the operations layer plans them before recording).
    static func commands(_ effects: [Effect], ledger: Ledger = demo) -> [Command] {
        effects.flatMap { e -> [Command] in
            guard case .perform(let op) = e else { return [] }
            return (try? Plan.commands(op, ledger: ledger, calendar: Fixtures.calendar, today: today)) ?? []
        }
    }

    static func state(_ login: String = "clerk", rows: Int = 24, cols: Int = 80, ledger: Ledger = demo) -> AppState {
        AppState(
            ledger: ledger, actor: try! ledger.actor(login: login), today: today, calendar: Fixtures.calendar, rows: rows,
            cols: cols,
            workingDirectory: "/tmp/导出")
    }

    /// Sends keys; printable text is typed character by character.
    @discardableResult
    static func type(_ s: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += s.handle(.key(k)) }
        return effects
    }

    static func text(_ t: String) -> [Key] { t.map { .char($0) } }
}

extension TUIFixtures {
    /// The number of the demo item with this title.
    static func number(_ title: String, in ledger: Ledger = demo) -> ItemNumber {
        ledger.items.first { $0.title == title }!.number
    }

    /// Opens the list filtered to one item (by searching its serial) so it is selected.
    static func select(_ s: inout AppState, _ title: String) {
        let n = number(title, in: s.ledger)
        type(&s, [.char("2"), .char("/"), .ctrl("u")] + text(String(format4(n.serial))) + [.enter])
        precondition(s.currentItem?.number == n, "未能选中 \(title)")
    }

    static func format4(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    static func ref(_ title: String) -> ItemReference { try! ItemReference.parse(number(title).description) }
}
