import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

// A writer for the crash tests: commits feedback to item 1 in a loop, compacting often, and
// acknowledges each commit on stdout only after commit() returned — the test kills it with
// SIGKILL at random moments and then checks that every acknowledged commit is present.
//
//     ducha-torture REPO TAG COUNT COMPACTION-BYTES
/// Writes a line straight to the file descriptor, unbuffered, so nothing acknowledged is lost
/// in a buffer when the process is killed.
func say(_ s: String, fd: Int32 = 1) {
    let bytes = Array((s + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

let args = CommandLine.arguments
guard args.count == 5, let count = Int(args[3]), let threshold = Int(args[4]) else {
    say("用法：ducha-torture 台账目录 标记 次数 整理阈值字节", fd: 2)
    exit(2)
}
let repo: Repository
do {
    repo = try Repository.open(at: args[1])
} catch {
    say("open-failed \(error)")
    exit(1)
}
repo.compactionThreshold = threshold
let day = Day(year: 2026, month: 11, day: 2)!
let ref = try! ItemReference.parse("2026-1")
for i in 0..<count {
    let text = "\(args[2])-\(i)"
    do {
        try repo.commit(
            .act(ref, .action(.feedback(text: text))), login: "clerk", at: Timestamp(day: day, hour: 10, minute: 0), today: day)
        say("ok \(text) \(repo.compactions)")
    } catch {
        say("failed \(text) \(error)")
        exit(1)
    }
}
