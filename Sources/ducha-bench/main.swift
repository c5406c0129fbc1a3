import DuchaCore
import DuchaStore
import DuchaTUI

#if canImport(Glibc)
    import Glibc
#endif

/// ducha's benchmarks (make bench). Figures are medians and percentiles of repeated runs in one
/// process; nothing here is a test.
enum FileHandle {
    static func note(_ s: String) {
        let bytes = Array((s + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}

func milliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1_000_000
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return 0 }
    return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
}

func fmt(_ ms: Double) -> String {
    let tenths = Int((ms * 100).rounded())
    return "\(tenths / 100).\(String(repeating: "0", count: tenths % 100 < 10 ? 1 : 0))\(tenths % 100) ms"
}

let dataPath = CommandLine.arguments.dropFirst().first { $0.hasPrefix("--data=") }.map { String($0.dropFirst(7)) } ?? "data"
let counts = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let calendar = try DataDirectory(path: dataPath).calendar()
let today = Day(year: 2026, month: 11, day: 21)!

print("界面基准（120×40，每次按键 = handle + render）")
print("事项数      首屏          移动 p50      移动 p99      搜索 p50      搜索 p99")
for count in counts.isEmpty ? [1_000, 10_000] : counts {
    var g = Generator(today: today, calendar: calendar)
    let ledger = try g.ledger(items: count)
    let overview = Overview(ledger.items, StatusEvaluator(today: today, calendar: calendar, settings: ledger.settings))
    let share = ChineseText.percent(overview.overdue, of: ledger.items.count)
    FileHandle.note("生成 \(ledger.items.count) 件：逾期 \(share)，已办结 \(ChineseText.percent(overview.closed, of: ledger.items.count))")
    let t0 = milliseconds()
    var state = AppState(
        ledger: ledger, actor: .supervisor("clerk"), today: today, calendar: calendar, rows: 40, cols: 120,
        workingDirectory: "/tmp")
    _ = state.handle(.key(.char("2")))
    _ = Renderer.render(state)
    let first = milliseconds() - t0
    var moves: [Double] = []
    for i in 0..<400 {
        let t = milliseconds()
        _ = state.handle(.key(i % 100 < 50 ? .down : .up))
        _ = Renderer.render(state)
        moves.append(milliseconds() - t)
    }
    var searches: [Double] = []
    for _ in 0..<20 {
        for key in [Key.char("/"), .char("交"), .char("通"), .char("路"), .backspace, .backspace, .char("青"), .char("石"), .escape] {
            let t = milliseconds()
            _ = state.handle(.key(key))
            _ = Renderer.render(state)
            searches.append(milliseconds() - t)
        }
    }
    print(
        "\(String(ledger.items.count).padded(toWidth: 10))  \(fmt(first).padded(toWidth: 12))  \(fmt(percentile(moves, 0.5)).padded(toWidth: 12))  "
            + "\(fmt(percentile(moves, 0.99)).padded(toWidth: 12))  \(fmt(percentile(searches, 0.5)).padded(toWidth: 12))  \(fmt(percentile(searches, 0.99)))"
    )
}
