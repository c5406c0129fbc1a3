import DuchaBenchKit

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program, discarding its output, and reports wall time and peak memory (wait4).
enum Spawn {
    struct Result {
        var status: Int32
        var milliseconds: Double
        /// Peak resident set size, in MiB.
        var peakMiB: Double
        var output: String
    }

    static func run(_ argv: [String], environment: [String] = [], capture: Bool = false) -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var fds: [Int32] = [0, 0]
        if capture {
            _ = pipe(&fds)
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let env = environment + ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "HOME=/tmp"]
        let cargv = argv.map { strdup($0) } + [nil]
        let cenv = env.map { strdup($0) } + [nil]
        defer {
            for p in cargv { free(p) }
            for p in cenv { free(p) }
        }
        var pid: pid_t = 0
        let start = milliseconds()
        guard posix_spawnp(&pid, argv[0], &actions, nil, cargv, cenv) == 0 else {
            return Result(status: -1, milliseconds: 0, peakMiB: 0, output: "")
        }
        var output: [UInt8] = []
        if capture {
            close(fds[1])
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &buf, buf.count)
                if n <= 0 { break }
                output.append(contentsOf: buf[0..<n])
            }
            close(fds[0])
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        let elapsed = milliseconds() - start
        return Result(
            status: status, milliseconds: elapsed, peakMiB: Double(usage.ru_maxrss) / 1024,
            output: String(decoding: output, as: UTF8.self))
    }
}

/// 12.3 ms / 1.23 s
func fmt(_ ms: Double) -> String {
    if ms >= 1000 { return String(format1(ms / 1000)) + " s" }
    if ms >= 100 { return String(Int(ms.rounded())) + " ms" }
    return format1(ms) + " ms"
}

func fmtMiB(_ m: Double) -> String { m >= 100 ? "\(Int(m.rounded())) MiB" : format1(m) + " MiB" }

func note(_ s: String) {
    let bytes = Array((s + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
