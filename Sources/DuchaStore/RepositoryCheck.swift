import DuchaCore

#if canImport(Glibc)
    import Glibc
#endif

/// `ducha check`: loads the repository strictly and verifies what loading alone does not —
/// that every sequence number appears exactly once, that each item's history is in order and
/// belongs to it, and that the files are what they should be.
public enum RepositoryCheck {
    public struct Report: Sendable {
        /// Damage: the repository is not as it should be.
        public var problems: [String] = []
        /// Conditions worth knowing that harm nothing.
        public var notes: [String] = []
        public var summary = ""

        public init() {}
    }

    public static func run(directory: String) -> Report {
        var report = Report()
        // The files are looked at without following anything: a link, a pipe or a folder
        // where a file should be is named, and nothing is opened through it.
        let folder: Folder
        do { folder = try Folder(directory) } catch {
            if case .io(_, _, let e) = error, e == ENOENT {
                report.problems.append(StoreError.notARepository(directory).message)
            } else {
                report.problems.append(error.message)
            }
            return report
        }
        for name in ["ducha.json", "journal.jsonl", "lock"] {
            let path = folder.path(name)
            guard let st = folder.status(name) else {
                if name == "ducha.json" {
                    report.problems.append(StoreError.missing(directory).message)
                    return report
                }
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFLNK {
                report.problems.append(StoreError.symlink(path).message)
            } else if (st.st_mode & S_IFMT) != S_IFREG {
                report.problems.append(StoreError.notRegular(path, Posix.kind(st.st_mode)).message)
            } else if st.st_mode & 0o777 != Posix.fileMode(inFolderOf: path) {
                let want = String(Posix.fileMode(inFolderOf: path), radix: 8)
                report.notes.append("\(path) 的权限为 \(String(st.st_mode & 0o777, radix: 8))，应与所在目录一致，为 \(want)")
            }
        }
        if !report.problems.isEmpty { return report }
        let repo: Repository
        do {
            repo = try Repository.open(at: directory)
        } catch {
            report.problems.append(error.message)
            return report
        }
        report.notes.append(contentsOf: repo.warnings)
        for name in repo.staleTemporaries() {
            report.notes.append("有上次整理快照时中断留下的临时文件 \(folder.path(name))（不影响数据，下次整理时自动清理）")
        }
        let ledger = repo.ledger
        var seen = [Bool](repeating: false, count: ledger.seq + 1)
        var entries = 0
        func mark(_ e: Entry, _ place: String) {
            entries += 1
            guard e.seq >= 1, e.seq <= ledger.seq else {
                report.problems.append("\(place) 的记录序号 \(e.seq) 超出范围 1–\(ledger.seq)")
                return
            }
            if seen[e.seq] { report.problems.append("记录序号 \(e.seq) 重复（\(place)）") }
            seen[e.seq] = true
        }
        for e in ledger.log { mark(e, "全局记录") }
        for item in ledger.items {
            var previous: Timestamp? = nil
            for e in item.history {
                mark(e, item.number.description)
                if e.item != item.number { report.problems.append("\(item.number) 的办理记录中混有 \(e.item?.description ?? "全局") 的记录") }
                if let p = previous, e.at < p { report.notes.append("\(item.number) 第 \(e.seq) 条记录的时间早于前一条") }
                previous = e.at
            }
            // The state the snapshot stores beside the history must be the history's fold.
            do throws(CoreError) {
                var folded = try Item.folding(item.history)
                folded.renameUnits(ledger.formerNames)  // a renamed unit: the state carries its current name
                if !folded.sameState(as: item) {
                    report.problems.append("\(item.number) 快照中记载的状态与其办理记录不符")
                }
            } catch {
                report.problems.append("\(item.number) 的办理记录无法复核：\(error.message)")
            }
            if item.state == .pending || item.state == .active {
                // A 分别办理 item has no lead of its own: its parts have theirs.
                for u in (item.isSplit ? [] : [item.leadUnit]) + item.coUnits where ledger.unit(named: u) == nil {
                    report.problems.append("\(item.number) 的承办单位“\(u)”不在单位名册中")
                }
            }
        }
        let missing = (1...max(1, ledger.seq)).filter { $0 <= ledger.seq && !seen[$0] }
        if !missing.isEmpty {
            report.problems.append(
                "缺少序号为 \(missing.prefix(10).map(String.init).joined(separator: "、"))\(missing.count > 10 ? " 等" : "") 的记录")
        }
        verifyChain(repo, &report)
        report.problems.append(contentsOf: repo.attachmentProblems())
        for u in ledger.users where u.role == .unit {
            if ledger.unit(named: u.unit ?? "") == nil { report.problems.append("用户 \(u.login) 所属单位“\(u.unit ?? "")”不存在") }
        }
        report.summary =
            "\(ledger.items.count)件事项，\(ledger.units.count)个单位，\(entries)条记录（至第 \(ledger.seq) 条），日志中未整理的记录 \(repo.journalLines) 条"
        return report
    }

    /// Verifies the hash chain — the snapshot's entries rebuilt into their journal lines and
    /// hashed up to the head its header records, then every journal line against the one before
    /// it — and replays every record through the workflow's permission rules, in order, on the
    /// ledger as it stood before it.
    static func verifyChain(_ repo: Repository, _ report: inout Report) {
        let ledger = repo.ledger
        var all = ledger.log
        for item in ledger.items { all.append(contentsOf: item.history) }
        all.sort { $0.seq < $1.seq }
        let snapshotSeq = repo.snapshotSeq
        let mark = repo.snapshotChain
        let snapshotName = "快照 ducha.json"

        // The snapshot: its entries rebuilt and hashed in order.
        var head: String? = nil
        if let mark {
            for e in all where e.seq <= snapshotSeq && e.seq >= mark.from {
                var line = e
                line.prev = e.seq == mark.from ? Chain.start : (head ?? Chain.start)
                head = Chain.hash(line)
            }
            if head != mark.head {
                report.problems.append(
                    "\(snapshotName)：按其中第 \(mark.from)–\(snapshotSeq) 条记录重算的台账校验码为 \(short(head))，"
                        + "而快照记载的是 \(short(mark.head))：快照中的记录被改动、删除、调换或插入过")
            }
            if mark.from > 1 { report.notes.append("第 1–\(mark.from - 1) 条记录写于启用台账校验链之前，不受校验链保护") }
        } else if snapshotSeq > 0 {
            report.notes.append("快照中的第 1–\(snapshotSeq) 条记录写于启用台账校验链之前，不受校验链保护")
        }
        head = mark?.head

        // The journal: each line exactly as ducha writes it, and linked to the one before.
        var place: [Int: String] = [:]
        var raw: [UInt8] = []
        do throws(StoreError) {
            let fd = try Posix.open(repo.journalPath, O_RDONLY, what: "读取台账日志")
            defer { close(fd) }
            raw = try Posix.readAll(fd, path: repo.journalPath)
        } catch {
            if case .io(_, _, let e) = error, e == ENOENT {} else { report.problems.append(error.message) }
        }
        var started = mark != nil
        var legacy = 0
        var start = 0
        var lineNumber = 0
        raw.withUnsafeBufferPointer { bytes in
            while start < bytes.count, let nl = SnapshotCodec.newline(in: bytes, from: start, to: bytes.count) {
                lineNumber += 1
                defer { start = nl + 1 }
                let text = UnsafeBufferPointer(rebasing: bytes[start..<nl])
                let here = "台账日志 journal.jsonl 第 \(lineNumber) 行"
                guard let e = try? EntryCodec.decodeLine(text) else { continue }  // loading already refused it
                if e.seq <= snapshotSeq { continue }  // already in the snapshot (a compaction cut short)
                place[e.seq] = here
                var canonical = EntryCodec.line(e)
                canonical.removeLast()
                if !canonical.elementsEqual(text) {
                    report.problems.append("\(here)（第 \(e.seq) 条记录）：不是 ducha 写入的格式，记录被改动过")
                }
                if let prev = e.prev {
                    let expected = head ?? Chain.start
                    if prev != expected {
                        let before = lineNumber > 1 ? "第 \(lineNumber - 1) 行" : "快照所含的最后一条记录"
                        report.problems.append(
                            "\(here)（第 \(e.seq) 条记录）：所记的前一条记录的校验码与\(before)不符"
                                + (prev == Chain.start ? "（校验链在此重新开始）" : "")
                                + "：\(before)被改动过，或其间有记录被删除、调换，或此行是后来插入的")
                    }
                    started = true
                    head = Chain.hash(text)
                } else if started {
                    report.problems.append("\(here)（第 \(e.seq) 条记录）：缺少前一条记录的校验码：此行是后来改动或插入的")
                    head = nil
                } else {
                    legacy += 1
                    head = nil
                }
            }
        }
        if legacy > 0 { report.notes.append("台账日志中有 \(legacy) 条记录写于启用台账校验链之前，不受校验链保护") }

        // Every record replayed through the workflow's rules, as of the ledger before it.
        var replay = Ledger()
        var latest: Timestamp? = nil
        let skew = 300
        for e in all {
            let here = place[e.seq] ?? (e.item.map { "\(snapshotName) 中 \($0) 的办理记录" } ?? "\(snapshotName) 的全局记录")
            do throws(CoreError) {
                try Workflow.audit(e, in: replay)
            } catch {
                report.problems.append(
                    "\(here)（第 \(e.seq) 条记录，\(e.actor) \(HistoryText.what(e).prefix(20))）：操作人不可能做出此记录：\(error.message)")
            }
            if !replay.settings.testClock, let l = latest, seconds(e.at) < seconds(l) - skew {
                report.problems.append("\(here)（第 \(e.seq) 条记录）：时间 \(e.at.display) 早于之前记录的 \(l.display)：记录的时间倒退")
            }
            if latest == nil || latest! < e.at { latest = e.at }
            do throws(CoreError) { try replay.apply(e) } catch {
                report.problems.append("\(here)（第 \(e.seq) 条记录）：无法按顺序重放：\(error.message)")
                break
            }
        }
    }

    static func seconds(_ t: Timestamp) -> Int { t.day.serial * 86_400 + t.secondOfDay }

    static func short(_ hash: String?) -> String { hash.map { String($0.prefix(16)) + "…" } ?? "（无）" }
}
