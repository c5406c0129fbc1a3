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
    /// were last looked at: once per item and light change, remembered in hooks-state in the
    /// repository (under its own lock: two ducha runs never notify the same change twice). Needs
    /// every item's state (a ledger read for one item is skipped). Returns the notes of failures.
    public func notifyLights() -> [String] {
        let settings = ledger.settings
        guard settings.hooks[.dueSoon] != nil || settings.hooks[.overdue] != nil, let directory = hooks.directory,
            let repository = store as? Repository
        else { return [] }
        if case .only = repository.mode { return [] }
        let path = directory + "/" + Hooks.stateName
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        // Another run is notifying right now: it will see the same lights.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return [] }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        let old = HookState.parse(bytes)
        var new: [String: String] = [:]
        var notes: [String] = []
        let evaluator = self.evaluator
        for item in ledger.items where item.state.isOpen {
            let number = item.number.description
            let status = evaluator.status(of: item)
            let light = status.light
            guard let event = HookEvent.of(light) else { continue }
            new[number] = light.rawValue
            guard old[number] != light.rawValue, settings.hooks[event] != nil else { continue }
            let payload = Hooks.payload(event, item: item, entry: nil, status: status, ledger: ledger)
            if let note = hooks.fire(event, settings: settings, item: number, payload: payload) { notes.append(note) }
        }
        if new != old {
            let text = Array(HookState.text(new).utf8)
            if ftruncate(fd, 0) == 0 {
                _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
                _ = fsync(fd)
            }
        }
        return notes
    }
}

/// hooks-state: one line per open item notified as yellow or red, "number<TAB>light".
enum HookState {
    static func parse(_ bytes: [UInt8]) -> [String: String] {
        var state: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { state[String(parts[0])] = String(parts[1]) }
        }
        return state
    }

    static func text(_ state: [String: String]) -> String {
        state.keys.sorted().map { "\($0)\t\(state[$0]!)\n" }.joined()
    }
}
