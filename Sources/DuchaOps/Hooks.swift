import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

// Not in the Glibc module: declared here, C's own functions.
@_silgen_name("setresuid") private func c_setresuid(_ r: uid_t, _ e: uid_t, _ s: uid_t) -> Int32
@_silgen_name("setresgid") private func c_setresgid(_ r: gid_t, _ e: gid_t, _ s: gid_t) -> Int32
@_silgen_name("close_range") private func c_close_range(_ first: UInt32, _ last: UInt32, _ flags: Int32) -> Int32

/// The programs a supervisor attaches to events (`ducha config hook.交办 /usr/local/lib/ducha/hooks/mail`).
/// They run after the record is durable, one at a time, with what happened as one line of JSON
/// on stdin, a clean environment, no terminal and a time limit; whatever goes wrong is written to
/// hooks.log in the repository and said in a note, and never changes the record or the exit status.
/// On a shared server (a setuid run) only programs owned by root or the service account that no
/// one else may change (the file and its folder) are run, with the service account's rights; in a
/// normal run, with the user's.
public struct Hooks {
    /// The repository folder: hooks.log and the lights already notified (hooks-state) are kept there.
    public var directory: String?
    /// Seconds a program may run before it is killed (with whatever it started).
    public var timeLimit: Double = 10
    /// Whether this is a shared server's run (setuid to the service account).
    public var system: Bool = UserRights.isPrivileged
    /// The service account (the effective uid at start).
    public var serviceUID: uid_t = UserRights.serviceUID

    public init(directory: String?) { self.directory = directory }

    public static let logName = "hooks.log"
    public static let stateName = Repository.notifiedLightsName

    // MARK: Which programs may run

    /// Why the program at `path` may not be a hook, or nil when it may: an existing regular,
    /// executable file; in a system run owned by root or the service account and writable by
    /// no one else, in a folder that no one else may change either.
    public func refusal(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "通知程序应写绝对路径：\(path.sanitized())" }
        var st = stat()
        guard stat(path, &st) == 0 else { return "找不到通知程序 \(path.sanitized())" }
        guard st.st_mode & S_IFMT == S_IFREG else { return "通知程序 \(path.sanitized()) 不是普通文件" }
        guard st.st_mode & 0o111 != 0 else { return "通知程序 \(path.sanitized()) 没有执行权限" }
        guard system else { return nil }
        guard let real = realpath(path, nil) else { return "找不到通知程序 \(path.sanitized())" }
        let resolved = String(cString: real)
        free(real)
        guard stat(resolved, &st) == 0 else { return "找不到通知程序 \(path.sanitized())" }
        if let why = Hooks.unsafeOwner(st, serviceUID: serviceUID) {
            return "共享服务器上不运行通知程序 \(path.sanitized())：该文件\(why)"
        }
        let folder = resolved.lastIndex(of: "/").map { i in i == resolved.startIndex ? "/" : String(resolved[..<i]) } ?? "/"
        guard stat(folder, &st) == 0 else { return "找不到通知程序所在的目录 \(folder.sanitized())" }
        if let why = Hooks.unsafeOwner(st, serviceUID: serviceUID) {
            return "共享服务器上不运行通知程序 \(path.sanitized())：其所在目录 \(folder.sanitized()) \(why)"
        }
        return nil
    }

    /// What makes a file or folder unsafe to trust on a shared server, or nil.
    static func unsafeOwner(_ st: stat, serviceUID: uid_t) -> String? {
        if st.st_uid != 0 && st.st_uid != serviceUID { return "的所有者既不是 root 也不是 ducha 系统账户" }
        if st.st_mode & 0o022 != 0 { return "可由其他用户修改（组或其他人有写权限）" }
        return nil
    }

    // MARK: Running

    /// What became of one program's run.
    public enum Result: Equatable, Sendable {
        case done
        case failed(status: Int32, output: String)
        case killed(signal: Int32, output: String)
        case timedOut
        case refused(String)
        case notStarted(String)
    }

    /// Runs the hook of `event` (if one is configured) with `payload` on stdin; nil when none is
    /// configured or it succeeded, else a note for the user (the failure is logged).
    public func fire(_ event: HookEvent, settings: Settings, item: String, payload: String) -> String? {
        guard let program = settings.hooks[event] else { return nil }
        let result = run(program, payload: payload, event: event)
        guard result != .done else { return nil }
        let why: String
        switch result {
        case .done: return nil
        case .failed(let status, _): why = "以状态 \(status) 退出"
        case .killed(let signal, _): why = "被信号 \(signal) 终止"
        case .timedOut: why = "超过 \(Hooks.seconds(timeLimit)) 秒未结束，已终止"
        case .refused(let m), .notStarted(let m): why = m
        }
        var line = "\(Hooks.now()) \(event.rawValue) \(item) \(program)：\(why)"
        switch result {
        case .failed(_, let out), .killed(_, let out):
            if !out.isEmpty { line += "；输出：" + out }
        default: break
        }
        log(line)
        return "通知程序（\(event.rawValue)，\(item)）\(why)\(directory == nil ? "" : "，详见 \(Hooks.logName)")；记录不受影响"
    }

    /// Runs `program` once with `payload` on stdin, in its own session (no terminal), killed with
    /// everything it started when the time limit passes.
    public func run(_ program: String, payload: String, event: HookEvent) -> Result {
        if let why = refusal(program) { return .refused(why) }
        var input: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &input) == 0 else {
            return .notStarted("无法建立管道")
        }
        var output: [Int32] = [-1, -1]
        guard pipe(&output) == 0, fcntl(output[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(output[1], F_SETFD, FD_CLOEXEC) == 0 else {
            close(input[0])
            close(input[1])
            return .notStarted("无法建立管道")
        }
        // Everything the child needs is made before fork: after it, only system calls.
        let env = [
            "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "HOME=/",
            "DUCHA_EVENT=\(event.rawValue)", "DUCHA_REPOSITORY=\(directory ?? "")",
        ]
        var cargs: [UnsafeMutablePointer<CChar>?] = [strdup(program), nil]
        var cenv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer {
            for p in cargs { free(p) }
            for p in cenv { free(p) }
        }
        let system = self.system
        let service = serviceUID
        let group = getegid()
        let childIn = input[1]
        let childOut = output[1]
        let pid = fork()
        if pid == 0 {
            _ = setsid()
            _ = chdir("/")
            if dup2(childIn, 0) < 0 || dup2(childOut, 1) < 0 || dup2(childOut, 2) < 0 { _exit(125) }
            if c_close_range(3, UInt32.max, 0) != 0 { for fd in 3..<1024 { close(Int32(fd)) } }
            if system {
                // The service account's rights for good: real, effective and saved ids alike.
                if c_setresgid(group, group, group) != 0 || c_setresuid(service, service, service) != 0 { _exit(125) }
            }
            if let p = cargs[0] { execve(p, &cargs, &cenv) }
            _exit(126)
        }
        close(input[1])
        close(output[1])
        defer {
            close(input[0])
            close(output[0])
        }
        guard pid > 0 else { return .notStarted("无法启动：\(String(cString: strerror(errno)))") }
        // The payload is small: one send, without SIGPIPE if the program does not read it.
        let bytes = Array((payload + "\n").utf8)
        _ = bytes.withUnsafeBytes { send(input[0], $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
        shutdown(input[0], Int32(SHUT_WR))
        var captured: [UInt8] = []
        let deadline = Hooks.clock() + timeLimit
        var status: Int32 = 0
        var exited = false
        var open = true
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                exited = true
                break
            }
            let left = deadline - Hooks.clock()
            if left <= 0 { break }
            if open {
                var p = pollfd(fd: output[0], events: Int16(POLLIN), revents: 0)
                if poll(&p, 1, Int32(min(left, 0.05) * 1000) + 1) > 0 {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let n = read(output[0], &buffer, buffer.count)
                    if n > 0 {
                        if captured.count < 2000 { captured += buffer[0..<n] }
                    } else {
                        open = false
                    }
                }
            } else {
                usleep(20000)
            }
        }
        guard exited else {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            return .timedOut
        }
        // What the program wrote just before it ended, without waiting for anything it left behind.
        _ = fcntl(output[0], F_SETFL, O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while captured.count < 2000 {
            let n = read(output[0], &buffer, buffer.count)
            guard n > 0 else { break }
            captured += buffer[0..<n]
        }
        let text = Hooks.oneLine(captured)
        let signal = status & 0x7f
        if signal != 0 { return .killed(signal: signal, output: text) }
        let code = (status >> 8) & 0xff
        switch code {
        case 0: return .done
        case 125: return .notStarted("无法以 ducha 系统账户的身份启动")
        case 126 where captured.isEmpty: return .notStarted("无法执行（不是可执行程序，或脚本的解释器不存在）")
        default: return .failed(status: code, output: text)
        }
    }

    /// Appends one line to hooks.log in the repository (made readable by its owner only).
    public func log(_ line: String) {
        guard let directory else { return }
        let fd = open(directory + "/" + Hooks.logName, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array((line.sanitized() + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    // MARK: Payload

    /// What the program is told, as one line of JSON: the event, the item (number, title, units,
    /// deadline, state), who recorded it, when, and what was recorded.
    public static func payload(
        _ event: HookEvent, item: Item, entry: Entry?, status: ItemStatus? = nil, ledger: Ledger
    ) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("event", event.rawValue)
        w.field("number", item.number.description)
        // A unit's part of a 分别办理 item, as notices write it: 督〔2026〕第0003号（城关镇）.
        if item.isPart { w.field("shownNumber", item.shownNumber) }
        w.field("title", item.title)
        w.field("lead", item.leadUnit)
        w.field("co", item.coUnits)
        w.field("deadline", item.deadline.description)
        // The state people see (a 分别办理 item's is its parts').
        w.field("state", ledger.shownState(item).label)
        if let status {
            w.field("light", status.light.label)
            w.field("remaining", status.remainingText)
        }
        // The roster's accounts of the units concerned: a hook may write to their mailboxes.
        w.field("lead_users", ledger.users.filter { $0.unit == item.leadUnit }.map(\.login))
        w.field("co_users", ledger.users.filter { u in u.unit.map(item.coUnits.contains) ?? false }.map(\.login))
        if let entry {
            w.field("seq", entry.seq)
            w.field("at", entry.at.display)
            w.field("actor", entry.actor)
            if let u = entry.unit { w.field("unit", u) }
            w.field("what", HistoryText.what(entry))
        }
        w.endObject()
        return w.string
    }

    // MARK: Helpers

    static func clock() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }

    static func now() -> String {
        var t = time(nil)
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// A program's output as one line for the log: lines joined, at most 300 characters.
    static func oneLine(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " / ")
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
