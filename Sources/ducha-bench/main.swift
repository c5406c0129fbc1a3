import DuchaCore
import DuchaStore
import DuchaTUI

#if canImport(Glibc)
    import Glibc
#endif

// ducha's benchmarks (make bench). Nothing here is a test: figures are printed, medians of
// several runs, ducha and Taskwarrior measured in the same run on the same items.
//
//   ducha-bench run [--data=DIR] [SIZE…]     the whole table (default 1000 10000 100000)
//   ducha-bench generate SIZE DIR            a ducha repository and the same tasks for Taskwarrior
//   ducha-bench load REPO                    load time (printed, in ms)
//   ducha-bench commit REPO                  in-process commit times (median, ms)
//   ducha-bench tui REPO                     first screen, search keystroke p50 and p99 (ms)

var args = Array(CommandLine.arguments.dropFirst())
let dataPath = args.first { $0.hasPrefix("--data=") }.map { String($0.dropFirst(7)) } ?? "data"
args.removeAll { $0.hasPrefix("--data=") }
let calendar = try DataDirectory(path: dataPath).calendar()
let today = Timestamp(posixSeconds: Int(time(nil))).day
let mode = args.first ?? "run"

func ledger(at repo: String) throws -> Repository { try Repository.open(at: repo) }

switch mode {
case "generate":
    guard args.count == 3, let n = Int(args[1]) else { fatalError("用法：ducha-bench generate 数量 目录") }
    try generate(n, into: args[2])
case "load":
    // load REPO [full|summary]: the time to open the repository that way.
    let mode: Repository.LoadMode = args.count > 2 && args[2] == "summary" ? .summary : .full
    let t = milliseconds()
    let repo = try Repository.open(at: args[1], mode: mode)
    say(format1(milliseconds() - t) + " \(repo.ledger.items.count)")
    if args.count > 3 {
        let fd = open("/proc/self/status", O_RDONLY)
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        let n = read(fd, &buf, buf.count)
        close(fd)
        for line in String(decoding: buf.prefix(max(0, n)), as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("Rss") || line.hasPrefix("VmHWM") {
            note(String(line))
        }
    }
    exit(0)
case "notice":
    // notice REPO: the overdue notice's parts, in-process (ms): status and grouping, text.
    let repo = try Repository.open(at: args[1], mode: .summary)
    let evaluator = StatusEvaluator(today: today, calendar: calendar, settings: repo.ledger.settings)
    let t0 = milliseconds()
    let notice = OverdueNotice(items: repo.ledger.items, evaluator: evaluator, serial: 1, preview: true)
    let t1 = milliseconds()
    let text = notice.text(width: 100)
    let t2 = milliseconds()
    let safe = text.inert
    let t3 = milliseconds()
    say(
        "init \(format1(t1 - t0)) text \(format1(t2 - t1)) inert \(format1(t3 - t2)) rows \(notice.overdueCount) bytes \(safe.utf8.count)"
    )
    exit(0)
case "commit":
    let repo = try Repository.open(at: args[1])
    let open = repo.ledger.items.last { $0.state == .active }!
    let ref = try ItemReference.parse(open.number.description)
    var times: [Double] = []
    for i in 0..<40 {
        let t = milliseconds()
        try repo.commit(
            .act(ref, .action(.feedback(text: "基准测试进展\(i)"))), login: "clerk", at: Timestamp(day: today, hour: 10, minute: 0),
            today: today)
        times.append(milliseconds() - t)
    }
    say(format1(median(times)))
case "tui":
    let repo = try Repository.open(at: args[1])
    let t0 = milliseconds()
    var state = AppState(
        ledger: repo.ledger, actor: .supervisor("clerk"), today: today, calendar: calendar, rows: 40, cols: 120,
        workingDirectory: "/tmp")
    _ = Renderer.render(state)
    _ = state.handle(.key(.char("2")))
    _ = Renderer.render(state)
    let first = milliseconds() - t0
    var moves: [Double] = []
    for i in 0..<200 {
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
    say(
        "\(format1(first)) \(format1(percentile(searches, 0.5))) \(format1(percentile(searches, 0.99))) \(format1(percentile(moves, 0.5))) \(format1(percentile(moves, 0.99)))"
    )
default:
    let sizes = args.dropFirst(mode == "run" ? 1 : 0).compactMap { Int($0) }
    try runAll(sizes.isEmpty ? [1_000, 10_000, 100_000] : sizes)
}

func generate(_ n: Int, into dir: String) throws {
    var g = Generator(today: today, calendar: calendar)
    let ledger = try g.ledger(items: n)
    _ = Spawn.run(["rm", "-rf", dir])
    _ = Spawn.run(["mkdir", "-p", dir + "/taskdata"])
    _ = try Repository.create(at: dir + "/ducha", ledger: ledger)
    try AtomicFile.write(Array(Generator.taskwarrior(ledger).utf8), to: dir + "/tasks.json")
    try AtomicFile.write(
        Array("data.location=\(dir)/taskdata\nconfirmation=no\nverbose=nothing\nhooks=off\n".utf8), to: dir + "/taskrc")
    let r = Spawn.run(["task", "import", dir + "/tasks.json"], environment: ["TASKRC=\(dir)/taskrc"])
    guard r.status == 0 else { fatalError("task import 失败") }
}

/// One benchmark table for all sizes.
func runAll(_ sizes: [Int]) throws {
    let root = (getenv("DUCHA_BENCH_DIR").map { String(cString: $0) }) ?? ".bench"
    let exe = CommandLine.arguments[0]
    let binDir = exe.contains("/") ? String(exe[..<exe.lastIndex(of: "/")!]) : "."
    let ducha = binDir + "/ducha"
    let day = today.description
    guard Spawn.run(["task", "--version"], capture: true).status == 0 else {
        note("找不到 Taskwarrior（task）：请先安装 Debian 包 taskwarrior（make bench 会自动安装）")
        exit(1)
    }
    say(
        "ducha 与 Taskwarrior \(Spawn.run(["task", "--version"], capture: true).output.trimmingSpaces) 对比（同一台机器、同一次运行、同样的事项；今天 = \(day)）"
    )
    say("")
    var rows: [[String]] = []
    var commitByN: [Int: Double] = [:]
    for n in sizes {
        let dir = root + "/\(n)"
        let t = milliseconds()
        try generate(n, into: dir)
        note("已生成 \(n) 件事项及对应的 Taskwarrior 任务（\(fmt(milliseconds() - t))）")
        let repo = dir + "/ducha"
        let taskEnv = ["TASKRC=\(dir)/taskrc"]
        let runs = n >= 100_000 ? 3 : 5
        func measure(_ argv: [String], env: [String] = []) -> (ms: Double, mib: Double) {
            var times: [Double] = []
            var peak = 0.0
            for _ in 0..<runs {
                let r = Spawn.run(argv, environment: env)
                if r.status != 0 { note("失败（\(r.status)）：\(argv.joined(separator: " "))") }
                times.append(r.milliseconds)
                peak = max(peak, r.peakMiB)
            }
            return (median(times), peak)
        }
        let snapshotMiB = Double((Posix_fileSize(repo + "/ducha.json"))) / 1_048_576
        let openItem = try Repository.open(at: repo).ledger.items.last { $0.state == .active }!.number.description
        let base = [ducha, "--repo", repo, "--today", day]
        let export = measure(base + ["export", "overdue"])
        let taskOverdue = measure(["task", "overdue"], env: taskEnv)
        let feedback = measure(base + ["feedback", openItem, "基准测试：已完成阶段性工作"])
        let annotate = measure(["task", "1", "annotate", "基准测试：已完成阶段性工作"], env: taskEnv)
        let add = measure(base + ["add", "--title", "基准测试新增事项", "--lead", "县发改局", "--deadline", "+15"])
        let taskAdd = measure(["task", "add", "基准测试新增事项", "project:县发改局", "due:\(today.adding(days: 21))"], env: taskEnv)
        // Loading: the same snapshot read and parsed by ducha and by Python's orjson.
        var loads: [Double] = []
        var loadPeak = 0.0
        for _ in 0..<runs {
            let r = Spawn.run([exe, "--data=" + dataPath, "load", repo], capture: true)
            loads.append(Double(r.output.split(separator: " ").first ?? "0") ?? 0)
            loadPeak = max(loadPeak, r.peakMiB)
        }
        var orjson: [Double] = []
        var orjsonPeak = 0.0
        let py =
            "import orjson,time,sys\nt=time.perf_counter()\nd=orjson.loads(open(sys.argv[1],'rb').read())\nprint((time.perf_counter()-t)*1000)"
        for _ in 0..<runs {
            let r = Spawn.run(["python3", "-c", py, repo + "/ducha.json"], capture: true)
            orjson.append(Double(r.output.trimmingSpaces) ?? 0)
            orjsonPeak = max(orjsonPeak, r.peakMiB)
        }
        let commit = Spawn.run([exe, "--data=" + dataPath, "commit", repo], capture: true)
        let commitMs = Double(commit.output.trimmingSpaces) ?? 0
        commitByN[n] = commitMs
        let tui = Spawn.run([exe, "--data=" + dataPath, "tui", repo], capture: true)
        let tv = tui.output.split(separator: " ").compactMap { Double($0.trimmingSpaces) }
        func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? format1(a / b * 100) + "%" : "—" }
        let size = "\(n)"
        rows.append([
            size, "导出逾期通报：export overdue / task overdue", fmt(export.ms), fmt(taskOverdue.ms), ratio(export.ms, taskOverdue.ms),
        ])
        rows.append([
            size, "记录一次进展：feedback / task N annotate", fmt(feedback.ms), fmt(annotate.ms), ratio(feedback.ms, annotate.ms),
        ])
        rows.append([size, "新增一件：add / task add", fmt(add.ms), fmt(taskAdd.ms), ratio(add.ms, taskAdd.ms)])
        rows.append([
            size, "读入台账快照（\(fmtMiB(snapshotMiB))）：ducha / orjson", fmt(median(loads)), fmt(median(orjson)),
            ratio(median(loads), median(orjson)),
        ])
        rows.append([size, "提交（已打开的台账，进程内）", fmt(commitMs), "", ""])
        if tv.count == 5 {
            rows.append([size, "界面：首屏", fmt(tv[0]), "", ""])
            rows.append([size, "界面：搜索每键 p50 / p99", fmt(tv[1]) + " / " + fmt(tv[2]), "", ""])
        }
        rows.append([
            size, "峰值内存：export overdue / task overdue", fmtMiB(export.mib), fmtMiB(taskOverdue.mib),
            ratio(export.mib, taskOverdue.mib),
        ])
        rows.append([
            size, "峰值内存：读入快照 ducha / orjson", fmtMiB(loadPeak), fmtMiB(orjsonPeak),
            "快照的 " + format1(loadPeak / max(snapshotMiB, 0.001)) + " 倍",
        ])
        rows.append([size, "峰值内存：界面", fmtMiB(tui.peakMiB), "", ""])
    }
    var table = TextTable(columns: [
        .init("事项数", alignRight: true), .init("测量"), .init("ducha", alignRight: true), .init("对照", alignRight: true),
        .init("ducha/对照", alignRight: true),
    ])
    for r in rows { table.append(r) }
    for line in table.render() { say(line) }
    if let small = commitByN[sizes.min()!], let big = commitByN[sizes.max()!], small > 0 {
        say("")
        say("提交耗时：\(sizes.max()!) 件时为 \(sizes.min()!) 件时的 \(format1(big / small)) 倍")
    }
}

func Posix_fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : 0
}
