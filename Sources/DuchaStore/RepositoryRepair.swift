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
        let folder: Folder
        do { folder = try repo.folder() } catch {
            report.unfixable.append(error.message)
            return report
        }
        for name in ["lock", "journal.jsonl", "ducha.json"] {
            guard let st = folder.status(name) else { continue }
            let kind = st.st_mode & S_IFMT
            guard kind != S_IFREG else { continue }
            let problem =
                kind == S_IFLNK ? StoreError.symlink(folder.path(name)) : .notRegular(folder.path(name), Posix.kind(st.st_mode))
            report.unfixable.append(problem.message + "：出于安全考虑不作处理，请管理员核实后删除，再运行 ducha check --repair")
        }
        if !report.unfixable.isEmpty { return report }
        let lock: FileLock
        do { lock = try repo.takeLock(exclusive: true) } catch {
            report.unfixable.append(error.message)
            return report
        }
        defer { withExtendedLifetime(lock) {} }
        let stamp = "\(time.day)-\(Day.pad2(time.hour))\(Day.pad2(time.minute))\(Day.pad2(time.second))"
        // Copies go into repair/, made without following a link and private to the
        // repository's owner (and its group when the repository is shared), each created
        // exclusively: nothing planted there is written through or over.
        func keep(_ bytes: [UInt8], as name: String) throws(StoreError) -> String {
            let kept = try folder.subfolder("repair", create: true, mode: folder.privateFolderMode)!
            var candidate = name
            while true {
                let path = kept.path(candidate)
                do throws(StoreError) {
                    let fd = try Posix.open(
                        path, O_WRONLY, exclusive: true, in: kept, mode: folder.privateFileMode, what: "保存修复备份")
                    defer { close(fd) }
                    try Posix.writeAll(fd, bytes, path: path)
                    try Posix.sync(fd, path: path)
                    try kept.sync()
                    return path
                } catch {
                    guard case .io(_, _, let e) = error, e == EEXIST else { throw error }
                    candidate = name + "." + Posix.randomSuffix(4)
                }
            }
        }
        // The snapshot must be readable: nothing else can be judged without it.
        let snapshot: Ledger
        do throws(StoreError) {
            let fd = try Posix.open(repo.snapshotPath, O_RDONLY, in: folder, what: "读取台账快照")
            defer { close(fd) }
            let bytes = try Posix.readAll(fd, path: repo.snapshotPath)
            snapshot = try SnapshotCodec.decode(bytes, path: repo.snapshotPath, mode: .full)
        } catch {
            report.unfixable.append(error.message + "。快照无法自动修复，请从备份恢复")
            return report
        }
        // Temporary snapshots left by an interrupted compaction. Only a regular file with no
        // other name is read and kept; anything else under such a name (a link, a pipe) is
        // removed unread; a folder is left for the administrator.
        for name in folder.names() where Repository.isTemporaryName(name) {
            let path = folder.path(name)
            guard let st = folder.status(name) else { continue }
            if st.st_mode & S_IFMT == S_IFDIR {
                report.unfixable.append("\(path) 是目录，不是 ducha 留下的临时快照：请管理员核实后删除")
                continue
            }
            do throws(StoreError) {
                if st.st_mode & S_IFMT == S_IFREG, st.st_nlink == 1 {
                    let fd = try Posix.open(path, O_RDONLY, in: folder, what: "读取临时快照")
                    defer { close(fd) }
                    let copy = try keep(try Posix.readAll(fd, path: path), as: "\(name)-\(stamp)")
                    folder.remove(name)
                    report.fixed.append("移走了上次整理中断留下的临时快照（另存为 \(copy)）")
                } else {
                    guard folder.remove(name) else { throw StoreError.io(path, "删除", errno) }
                    report.fixed.append(
                        "删除了 \(path)：它是\(st.st_nlink > 1 && st.st_mode & S_IFMT == S_IFREG ? "另有链接的文件" : Posix.kind(st.st_mode))，不是 ducha 留下的临时快照，未读取其内容"
                    )
                }
            } catch {
                report.unfixable.append(error.message)
            }
        }
        // The journal: keep the longest prefix of complete lines that read and apply.
        do {
            var bytes: [UInt8] = []
            do throws(StoreError) {
                let fd = try Posix.open(repo.journalPath, O_RDONLY, in: folder, what: "读取台账日志")
                defer { close(fd) }
                bytes = try Posix.readAll(fd, path: repo.journalPath)
            } catch {
                guard case .io(_, _, let e) = error, e == ENOENT else { throw error }
            }
            var ledger = snapshot
            var good = 0
            var line = 1
            var start = 0
            var badReason: String? = nil
            while start < bytes.count {
                guard let nl = bytes[start...].firstIndex(of: 0x0A) else { break }
                do throws(StoreError) {
                    guard nl - start <= JournalCodec.maxLine else {
                        throw .badJournal(
                            repo.journalPath, line, "这一行长 \(nl - start) 字节，超过上限 \(JournalCodec.maxLine) 字节，不是 ducha 写入的记录")
                    }
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
                let fd = try Posix.open(repo.journalPath, O_WRONLY, in: folder, what: "修复台账日志")
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
        for name in ["ducha.json", "journal.jsonl", "lock"] {
            let path = folder.path(name)
            let mode = Posix.fileMode(inFolderOf: path)
            guard let st = folder.status(name), st.st_mode & S_IFMT == S_IFREG, st.st_mode & 0o777 != mode else { continue }
            // Changed through a descriptor opened without following a link.
            guard let fd = try? Posix.open(path, O_RDONLY, in: folder, what: "修改权限") else {
                report.unfixable.append("\(path) 的权限无法修改：\(StoreError.reason(EACCES))")
                continue
            }
            defer { close(fd) }
            if fchmod(fd, mode) == 0 {
                report.fixed.append("\(path) 的权限改为 \(String(mode, radix: 8))（\(mode == 0o600 ? "仅台账所有者可读写" : "同组可读写")）")
            } else {
                report.unfixable.append("\(path) 的权限无法修改：\(StoreError.reason(errno))")
            }
        }
        return report
    }
}
