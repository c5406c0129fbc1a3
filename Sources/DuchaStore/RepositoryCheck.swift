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
                    report.problems.append(StoreError.notARepository(directory).message)
                    return report
                }
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFLNK {
                report.problems.append(StoreError.symlink(path).message)
            } else if (st.st_mode & S_IFMT) != S_IFREG {
                report.problems.append(StoreError.notRegular(path, Posix.kind(st.st_mode)).message)
            } else if st.st_mode & 0o060 != 0o060 {
                report.notes.append("\(path) 的权限为 \(String(st.st_mode & 0o777, radix: 8))，同组用户不能读写（应为 660）")
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
                if try !Item.folding(item.history).sameState(as: item) {
                    report.problems.append("\(item.number) 快照中记载的状态与其办理记录不符")
                }
            } catch {
                report.problems.append("\(item.number) 的办理记录无法复核：\(error.message)")
            }
            if item.state == .pending || item.state == .active {
                for u in [item.leadUnit] + item.coUnits where ledger.unit(named: u) == nil {
                    report.problems.append("\(item.number) 的承办单位“\(u)”不在单位名册中")
                }
            }
        }
        let missing = (1...max(1, ledger.seq)).filter { $0 <= ledger.seq && !seen[$0] }
        if !missing.isEmpty {
            report.problems.append(
                "缺少序号为 \(missing.prefix(10).map(String.init).joined(separator: "、"))\(missing.count > 10 ? " 等" : "") 的记录")
        }
        for u in ledger.users where u.role == .unit {
            if ledger.unit(named: u.unit ?? "") == nil { report.problems.append("用户 \(u.login) 所属单位“\(u.unit ?? "")”不存在") }
        }
        report.summary =
            "\(ledger.items.count)件事项，\(ledger.units.count)个单位，\(entries)条记录（至第 \(ledger.seq) 条），日志中未整理的记录 \(repo.journalLines) 条"
        return report
    }
}
