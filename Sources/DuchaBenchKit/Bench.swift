import DuchaCore
import DuchaStore
import DuchaTUI

#if canImport(Glibc)
    import Glibc
#endif

// What ducha-bench and ducha-bench-pg share: the clock, the figures' format, a process's peak
// memory, and the interface measured in-process on a ledger store (a folder or a database).
// Two programs, so that ducha-bench, which measures its own memory reading a folder, carries
// no database client (postgres-nio and Foundation) into those figures.

/// This process's peak resident memory so far, in MiB (VmHWM).
public func peakMiB() -> Double {
    let fd = open("/proc/self/status", O_RDONLY)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    let n = read(fd, &buf, buf.count)
    for line in String(decoding: buf.prefix(max(0, n)), as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return Double(kb) / 1024
    }
    return 0
}

/// The interface on `repo` as a supervisor sees it (120×40): first screen (from `t0`), search
/// p50/p99, move p50/p99, opening a detail (its history read from the store), peak memory. A
/// store opened `.queries` (a database) is asked for what the screen shows, as `ducha` does.
public func measureInterface(_ repo: LedgerStore, calendar: WorkCalendar, today: Day, since t0: Double) throws -> [Double] {
    var state = AppState(
        ledger: repo.ledger, actor: .supervisor("clerk"), today: today, calendar: calendar, rows: 40, cols: 120,
        workingDirectory: "/tmp")
    let reader = (repo as? ScreenQueries).flatMap { q in
        repo.ledger.partial
            ? ScreenReader(queries: q) { _, _, _ throws(StoreError) -> Statistics in throw .database("基准测试不读统计") } : nil
    }
    if reader != nil { state.useWindow() }
    // What the runner does before each frame.
    func frame(_ key: Key? = nil) throws {
        if let key { _ = state.handle(.key(key)) }
        try reader?.read(&state)
        _ = Renderer.render(state)
    }
    try frame()
    try frame(.char("2"))
    let first = milliseconds() - t0
    var moves: [Double] = []
    for i in 0..<200 {
        let t = milliseconds()
        try frame(i % 100 < 50 ? .down : .up)
        moves.append(milliseconds() - t)
    }
    var searches: [Double] = []
    for _ in 0..<20 {
        for key in [Key.char("/"), .char("交"), .char("通"), .char("路"), .backspace, .backspace, .char("青"), .char("石"), .escape] {
            let t = milliseconds()
            try frame(key)
            searches.append(milliseconds() - t)
        }
    }
    // Opening an item's detail reads its history from the snapshot.
    var details: [Double] = []
    for _ in 0..<10 {
        try frame(.down)
        let t = milliseconds()
        _ = state.handle(.key(.enter))
        try reader?.read(&state)
        if let n = state.missingHistory, let h = try repo.history(of: n) { state.historyLoaded(n, h) }
        _ = Renderer.render(state)
        details.append(milliseconds() - t)
        try frame(.escape)
    }
    return [
        first, percentile(searches, 0.5), percentile(searches, 0.99), percentile(moves, 0.5), percentile(moves, 0.99),
        median(details), peakMiB(),
    ]
}

public func milliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1_000_000
}

public func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

public func percentile(_ values: [Double], _ p: Double) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return 0 }
    return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
}

public func format1(_ v: Double) -> String {
    let t = Int((v * 10).rounded())
    return "\(t / 10).\(abs(t % 10))"
}

public func say(_ s: String) {
    let bytes = Array((s + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}
