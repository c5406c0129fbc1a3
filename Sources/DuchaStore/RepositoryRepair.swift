import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// `ducha check --repair`: fixes what can be fixed without guessing, and keeps a copy of
/// everything it removes in the repository's repair/ folder.
///
/// - a torn last journal line (never acknowledged) is cut;
/// - a journal line that cannot be read, or does not fit the entries before it, is cut with
///   every line after it (they may build on it): the cut lines are saved to be re-entered;
/// - a temporary snapshot left by an interrupted compaction is moved away;
/// - files that the group cannot read and write get mode 660.
/// A damaged snapshot, a newer format or a symbolic link is explained and left alone.
public enum RepositoryRepair {
    public struct Report: Sendable {
        public var fixed: [String] = []
        public var unfixable: [String] = []
    }

    public static func run(directory: String, at time: Timestamp) -> Report {
        var report = Report()
        let repo = Repository(directory: directory, mode: .full)
        guard Repository.exists(at: directory) else {
            report.unfixable.append(StoreError.missing(directory).message)
            return report
        }
        for path in [repo.lockPath, repo.journalPath, repo.snapshotPath] {
            var st = stat()
            if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK {
                report.unfixable.append("\(path) 是符号链接：出于安全考虑不作处理，请管理员核实后删除，再运行 ducha check --repair")
            }
        }
        if !report.unfixable.isEmpty { return report }
        let lock: FileLock
        do { lock = try FileLock(path: repo.lockPath, exclusive: true) } catch {
            report.unfixable.append(error.message)
            return report
        }
        defer { withExtendedLifetime(lock) {} }
        let stamp = "\(time.day)-\(Day.pad2(time.hour))\(Day.pad2(time.minute))\(Day.pad2(time.second))"
        func keep(_ bytes: [UInt8], as name: String) throws(StoreError) -> String {
            let folder = directory + "/repair"
            try Posix.makeDirectory(folder)
            let path = folder + "/" + name
            try AtomicFile.write(bytes, to: path)
            return path
        }
        // The snapshot must be readable: nothing else can be judged without it.
        let snapshot: Ledger
        do throws(StoreError) {
            let bytes = try DataDirectory.read(repo.snapshotPath)
            snapshot = try SnapshotCodec.decode(bytes, path: repo.snapshotPath, mode: .full)
        } catch {
            report.unfixable.append(error.message + "。快照无法自动修复，请从备份恢复")
            return report
        }
        // A stale temporary snapshot.
        if Posix.exists(repo.temporaryPath) {
            do throws(StoreError) {
                let path = try keep(try DataDirectory.read(repo.temporaryPath), as: "ducha.json.tmp-\(stamp)")
                unlink(repo.temporaryPath)
                report.fixed.append("移走了上次整理中断留下的临时快照（另存为 \(path)）")
            } catch {
                report.unfixable.append(error.message)
            }
        }
        // The journal: keep the longest prefix of complete lines that read and apply.
        do {
            let bytes = (try? DataDirectory.read(repo.journalPath)) ?? []
            var ledger = snapshot
            var good = 0
            var line = 1
            var start = 0
            var badReason: String? = nil
            while start < bytes.count {
                guard let nl = bytes[start...].firstIndex(of: 0x0A) else { break }
                do throws(StoreError) {
                    let e: Entry
                    do throws(JSONError) { e = try EntryCodec.decodeLine(bytes[start..<nl]) } catch {
                        throw .badJournal(repo.journalPath, line, error.message)
                    }
                    if e.seq > ledger.seq {
                        do throws(CoreError) { try ledger.apply(e) } catch {
                            throw .badJournal(repo.journalPath, line, error.message)
                        }
                    }
                } catch {
                    if case .badJournal(_, _, let r) = error { badReason = r }
                    break
                }
                start = nl + 1
                good = start
                line += 1
            }
            if good < bytes.count {
                let removed = Array(bytes[good...])
                let lines =
                    removed.split(separator: 0x0A, omittingEmptySubsequences: false).count - (removed.last == 0x0A ? 1 : 0)
                let path = try keep(removed, as: "journal-\(stamp).jsonl")
                let fd = try Posix.open(repo.journalPath, O_WRONLY, what: "修复台账日志")
                defer { close(fd) }
                guard ftruncate(fd, off_t(good)) == 0 else { throw StoreError.io(repo.journalPath, "修复台账日志", errno) }
                try Posix.sync(fd, path: repo.journalPath)
                if let badReason {
                    report.fixed.append(
                        "日志第 \(line) 行无法使用（\(badReason)）：已将该行及其后共 \(lines) 行移出，另存为 \(path)；其中记载的操作需要重新录入")
                } else {
                    report.fixed.append("截去了日志末尾未写完的记录（\(removed.count) 字节，从未确认），另存为 \(path)")
                }
            }
        } catch let e as StoreError {
            report.unfixable.append(e.message)
        } catch {
            report.unfixable.append("\(error)")
        }
        // The folder's access: 600 in a private folder (a system repository), 660 in a group-shared one.
        for path in [repo.snapshotPath, repo.journalPath, repo.lockPath] {
            let mode = Posix.fileMode(inFolderOf: path)
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_mode & 0o777 != mode else { continue }
            if chmod(path, mode) == 0 {
                report.fixed.append("\(path) 的权限改为 \(String(mode, radix: 8))（\(mode == 0o600 ? "仅台账所有者可读写" : "同组可读写")）")
            } else {
                report.unfixable.append("\(path) 的权限无法修改：\(StoreError.reason(errno))")
            }
        }
        return report
    }
}
