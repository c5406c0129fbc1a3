import DuchaCore
import DuchaPapers
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `ducha-papers`, the helper beside this program that writes .xlsx/.docx and reads
/// workbooks and CSV: what needs Foundation stays out of the commands people run all day. The
/// helper runs with the user's own rights for good (a setuid run drops the service account in
/// the child before exec), with an empty environment and no terminal; it gets the input on stdin
/// and gives the result on stdout, its Chinese complaint on stderr.
public enum PapersHelper {
    /// The helper's path: next to the running program (installed and built alike).
    public static var path: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "/usr/local/bin/ducha-papers" }
        let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let dir = exe.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return dir + "/ducha-papers"
    }

    public static func xlsx(_ sheet: XLSXSheet) throws(StoreError) -> [UInt8] {
        try run(["write-xlsx"], PaperCodec.encode(sheet))
    }
    public static func docx(_ document: OfficialDocument) throws(StoreError) -> [UInt8] {
        try run(["write-docx"], PaperCodec.encode(document))
    }

    public static func readXLSX(_ bytes: [UInt8], sheet: String?) throws(StoreError) -> PaperCodec.Rows {
        let out = try run(["read-xlsx"] + (sheet.map { [$0] } ?? []), bytes)
        do { return try PaperCodec.decodeRows(out) } catch { throw .helper("读取工作簿的结果有误：\(error)") }
    }

    public static func readCSV(_ text: String) throws(StoreError) -> [LedgerImport.Row] {
        let out = try run(["read-csv"], Array(text.utf8))
        do { return try PaperCodec.decodeRows(out).rows } catch { throw .helper("读取 CSV 的结果有误：\(error)") }
    }

    /// Runs the helper with `arguments`, `input` on its stdin; its stdout, or its complaint.
    static func run(_ arguments: [String], _ input: [UInt8]) throws(StoreError) -> [UInt8] {
        let helper = path
        guard access(helper, X_OK) == 0 else {
            throw .helper("找不到处理 Excel、Word 文件的辅助程序 \(helper)（应与 ducha 安装在同一目录；请重新 make install）")
        }
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        var errChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0, pipe(&errChild) == 0 else {
            throw .helper("无法启动辅助程序：\(String(cString: strerror(errno)))")
        }
        // Everything the child needs is made before fork: after it, only system calls.
        var argv = ([helper] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var envp: [UnsafeMutablePointer<CChar>?] = [strdup("LANG=C.UTF-8"), strdup("PATH=/usr/bin:/bin"), nil]
        defer { for p in envp { free(p) } }
        let pid = fork()
        if pid == 0 {
            if !UserRights.dropForGood() { _exit(125) }
            dup2(toChild[0], 0)
            dup2(fromChild[1], 1)
            dup2(errChild[1], 2)
            for fd in toChild + fromChild + errChild { close(fd) }
            execve(helper, &argv, &envp)
            _exit(124)
        }
        close(toChild[0])
        close(fromChild[1])
        close(errChild[1])
        guard pid > 0 else {
            for fd in [toChild[1], fromChild[0], errChild[0]] { close(fd) }
            throw .helper("无法启动辅助程序：\(String(cString: strerror(errno)))")
        }
        let (out, err) = exchange(input, write: toChild[1], read: fromChild[0], errors: errChild[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let signal = status & 0x7f
        let code = (status >> 8) & 0xff
        if signal == 0, code == 0 { return out }
        var said = String(decoding: err, as: UTF8.self).trimmingSpaces
        if said.hasPrefix("错误：") { said = String(said.dropFirst(3)) }
        switch (signal, code) {
        case (0, 125): throw .helper("无法以您自己的身份启动辅助程序 \(helper)")
        case (0, 124): throw .helper("无法执行辅助程序 \(helper)")
        case (0, _): throw .helper(said.isEmpty ? "辅助程序 \(helper) 以状态 \(code) 退出" : said.sanitized())
        default: throw .helper("辅助程序 \(helper) 被信号 \(signal) 终止")
        }
    }

    /// Writes `input` and reads stdout and stderr at once (poll), so that neither side waits
    /// on a full pipe; the write end is closed when the input is written.
    static func exchange(_ input: [UInt8], write w: Int32, read r: Int32, errors e: Int32) -> ([UInt8], [UInt8]) {
        let old = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, old) }
        var out: [UInt8] = []
        var err: [UInt8] = []
        var written = 0
        var writeFD: Int32 = input.isEmpty ? -1 : w
        if input.isEmpty { close(w) } else { _ = fcntl(w, F_SETFL, fcntl(w, F_GETFL) | O_NONBLOCK) }
        var open = (out: true, err: true)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while open.out || open.err || writeFD >= 0 {
            var fds = [
                pollfd(fd: open.out ? r : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open.err ? e : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0),
            ]
            if poll(&fds, 3, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[2].revents != 0, writeFD >= 0 {
                let n = input.withUnsafeBytes {
                    Glibc.write(writeFD, $0.baseAddress! + written, min(1 << 16, $0.count - written))
                }
                if n > 0 { written += n }
                if n < 0, errno != EINTR, errno != EAGAIN { written = input.count }
                if written >= input.count {
                    close(writeFD)
                    writeFD = -1
                }
            }
            for (i, fd) in [(0, r), (1, e)] where fds[i].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if i == 0 { out.append(contentsOf: buffer[0..<n]) } else { err.append(contentsOf: buffer[0..<n]) }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(fd)
                    if i == 0 { open.out = false } else { open.err = false }
                }
            }
        }
        return (out, err)
    }
}
