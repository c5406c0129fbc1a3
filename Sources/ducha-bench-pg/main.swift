import DuchaBenchKit
import DuchaCore
import DuchaPostgres
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

// ducha-bench's in-process measurements on a database, in a program of their own (the
// PostgreSQL client stays out of ducha-bench's memory figures):
//
//   ducha-bench-pg [--data=DIR] commit CONNECTION   in-process commit: median ms, then 0 (nothing to compact)
//   ducha-bench-pg [--data=DIR] tui CONNECTION      as ducha-bench tui

var args = Array(CommandLine.arguments.dropFirst())
let dataPath = args.first { $0.hasPrefix("--data=") }.map { String($0.dropFirst(7)) } ?? "data"
args.removeAll { $0.hasPrefix("--data=") }
guard args.count == 2, ["commit", "tui"].contains(args[0]) else {
    say("用法：ducha-bench-pg [--data=目录] commit|tui 连接串")
    exit(2)
}
let calendar = try DataDirectory(path: dataPath).calendar()
let today = Timestamp(posixSeconds: Int(time(nil))).day

if args[0] == "commit" {
    // As the command line does it on a database: the item's state read, a feedback recorded in
    // one transaction. A database keeps no snapshot to compact (0).
    let store = try PostgresStore.open(args[1], mode: .summary)
    let pick = store.ledger.items.last { $0.state == .active }!.number
    let ref = try ItemReference.parse(pick.description)
    var times: [Double] = []
    for i in 0..<40 {
        let t = milliseconds()
        try store.commit(
            .act(ref, .action(.feedback(text: "基准测试进展\(i)"))), login: "clerk", uid: nil,
            clock: RecordClock(fixedToday: today), on: nil)
        times.append(milliseconds() - t)
    }
    say("\(format1(median(times))) 0")
} else {
    // As the interface opens a database: settings and roster (the screen asks for the rest),
    // and LISTEN for others' commits.
    let t0 = milliseconds()
    let store = try PostgresStore.open(args[1], mode: .queries)
    store.calendar = calendar
    try store.listen()
    say(try measureInterface(store, calendar: calendar, today: today, since: t0).map(format1).joined(separator: " "))
}
