import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// The notices that reach people: hooks run after the records they are about are durable, and
/// the 临期/逾期 lights found when ducha runs.
extension Operations {
    /// A hook setting names a program that exists and may be run here; refused before anything
    /// is written.
    func checkHook(_ operation: Operation) throws(StoreError) {
        guard case .setting(let key, let raw) = operation, key.hasPrefix("hook.") else { return }
        let value = raw.trimmingSpaces
        guard !value.isEmpty, value != "无", value != "-", value.hasPrefix("/") else { return }
        if let why = hooks.refusal(value) { throw .refused(.invalidField("通知程序", why)) }
    }

    /// Runs the hooks of what `entries` recorded, after the commit; the notes of those that failed.
    func notify(_ entries: [Entry]) -> [String] {
        let settings = ledger.settings
        guard !settings.hooks.isEmpty else { return [] }
        var notes: [String] = []
        for e in entries {
            guard let action = e.change.itemAction, let event = HookEvent.of(action), settings.hooks[event] != nil,
                let n = e.item, let item = ledger.item(n)
            else { continue }
            // A 分别办理 item's own record has no recipient: each unit's part is handed out (交办) on its own.
            if item.isSplit { continue }
            let payload = Hooks.payload(event, item: item, entry: e, ledger: ledger)
            if let note = hooks.fire(event, settings: settings, item: n.description, payload: payload) { notes.append(note) }
        }
        return notes
    }

    /// Runs the 临期 and 逾期 hooks for open items whose light turned yellow or red since they
    /// were last looked at: once per item and light change, remembered with the ledger
    /// (`NotifiedLights`: hooks-state in a folder, a table in a database, under a lock of its
    /// own: two ducha runs never notify the same change twice). Needs every item's state, or a
    /// store that finds the red and yellow ones by query (a database); a folder read for one
    /// item is skipped. Returns the notes of failures.
    public func notifyLights() -> [String] {
        let settings = ledger.settings
        guard settings.hooks[.dueSoon] != nil || settings.hooks[.overdue] != nil, let lights = store as? NotifiedLights
        else { return [] }
        var notes: [String] = []
        let evaluator = self.evaluator
        let ledger = self.ledger
        var candidates: [Item]
        do {
            if lights.readsEveryItem {
                candidates = ledger.items
            } else if lights.queriesSeeEveryItem, let queries = store as? ItemQueries {
                // Every red and yellow item, as the office sees them.
                let office = Actor(login: login, role: .supervisor)
                candidates = try queries.all(ItemQuery(scope: .overdue), for: office, evaluator).items
                candidates += try queries.all(ItemQuery(scope: .dueSoon), for: office, evaluator).items
            } else {
                return []
            }
            try lights.updateNotifiedLights { old in
                var new: [String: String] = [:]
                for item in candidates where item.state.isOpen {
                    let number = item.number.description
                    let status = evaluator.status(of: item)
                    let light = status.light
                    guard let event = HookEvent.of(light) else { continue }
                    new[number] = light.rawValue
                    guard old[number] != light.rawValue, settings.hooks[event] != nil else { continue }
                    let payload = Hooks.payload(event, item: item, entry: nil, status: status, ledger: ledger)
                    if let note = hooks.fire(event, settings: settings, item: number, payload: payload) { notes.append(note) }
                }
                return new
            }
        } catch {
            notes.append("临期、逾期通知未能进行：\(error.message)")
        }
        return notes
    }
}
