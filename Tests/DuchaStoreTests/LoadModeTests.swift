import DuchaCore
import DuchaTestSupport
import Foundation
import Testing

@testable import DuchaStore

/// The three ways of opening a repository see the same ledger, and compaction — a merge of
/// the old snapshot with the journal — writes exactly the snapshot of the whole ledger,
/// whichever way the committing process opened it.
@Suite struct LoadModeTests {
    static let today = Fixtures.day("2026-11-21")
    static let now = Timestamp(day: today, hour: 10, minute: 0)

    func demo(_ dir: TemporaryDirectory) throws -> Repository {
        let data = DataDirectory(path: Fixtures.dataPath)
        let ledger = try DemoBuilder.build(
            data.demo(), settings: data.settings(), today: LoadModeTests.today, calendar: Fixtures.calendar, supervisor: "clerk")
        return try Repository.create(at: dir.sub("repo"), ledger: ledger)
    }

    func number(_ serial: Int, _ year: Int = 2026) -> ItemNumber { ItemNumber(prefix: "", year: year, serial: serial) }

    func act(_ repo: Repository, _ ref: String, _ request: ItemRequest, login: String = "clerk") throws {
        try repo.commit(
            .act(try ItemReference.parse(ref), request), login: login, at: LoadModeTests.now, today: LoadModeTests.today)
    }

    func register(_ repo: Repository, _ title: String, assigned: String) throws -> ItemNumber {
        let r = Registration(
            title: title, source: "领导批示", leadUnit: "县财政局", assignedOn: Fixtures.day(assigned),
            deadline: Fixtures.day("2026-12-30"))
        let entries = try repo.commit(.register(r), login: "clerk", at: LoadModeTests.now, today: LoadModeTests.today)
        return entries[0].item!
    }

    func snapshot(_ repo: Repository) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: repo.snapshotPath))) }

    /// What a snapshot of the whole ledger, as a full reading sees it, looks like.
    func expectedSnapshot(_ directory: String) throws -> [UInt8] {
        SnapshotCodec.encode(try Repository.open(at: directory, mode: .full).ledger)
    }

    @Test func summaryAndTargetedReadingsAgreeWithTheFullOne() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        try act(repo, "3", .action(.feedback(text: "日志中的进展")))
        _ = try register(repo, "日志中新立的事项", assigned: "2026-11-20")
        let full = try Repository.open(at: repo.directory, mode: .full).ledger
        let summary = try Repository.open(at: repo.directory, mode: .summary).ledger
        #expect(summary.seq == full.seq)
        #expect(summary.items.count == full.items.count)
        for item in full.items {
            let s = summary.item(item.number)
            #expect(s?.sameState(as: item) == true, "\(item.number)")
        }
        #expect(summary.units.map(\.name) == full.units.map(\.name))
        #expect(summary.users.map(\.login) == full.users.map(\.login))
        #expect(summary.settings == full.settings)
        #expect(summary.nextNumber(year: 2026) == full.nextNumber(year: 2026))
        for n in [number(1), number(3), full.items.last!.number] {
            let only = try Repository.open(at: repo.directory, mode: .only([n])).ledger
            #expect(only.items.count == 1)
            #expect(only.item(n) == full.item(n))
            #expect(only.item(n)?.history == full.item(n)?.history)
            #expect(only.seq == full.seq)
            #expect(only.nextNumber(year: 2026) == full.nextNumber(year: 2026))
            #expect(only.settings == full.settings && only.users.map(\.login) == full.users.map(\.login))
        }
        // An unknown number is refused as unknown, not as damage.
        let none = try Repository.open(at: repo.directory, mode: .only([number(999)]))
        #expect(throws: CoreError.self) { try none.ledger.resolve(try ItemReference.parse("999"), currentYear: 2026) }
    }

    @Test func aTargetedReadingCommitsAndNumbersLikeAFullOne() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        // Another process registers items; a targeted reader still allocates the next number.
        let other = try Repository.open(at: repo.directory, mode: .summary)
        let a = try register(other, "另一进程立项一", assigned: "2026-11-20")
        let targeted = try Repository.open(at: repo.directory, mode: .only([number(5)]))
        let b = try register(targeted, "定向读取时立项", assigned: "2026-11-21")
        #expect(b.serial == a.serial + 1)
        #expect(targeted.ledger.item(b)?.title == "定向读取时立项")
        try act(targeted, "5", .action(.feedback(text: "定向读取时的进展")))
        #expect(targeted.ledger.item(number(5))?.latestProgress?.text == "定向读取时的进展")
        // Items it did not read are still refused as unknown only when they do not exist.
        #expect(throws: StoreError.self) { try act(targeted, "999", .action(.feedback(text: "x"))) }
        let full = try Repository.open(at: repo.directory, mode: .full).ledger
        #expect(full.item(number(5)) == targeted.ledger.item(number(5)))
        #expect(full.item(b) == targeted.ledger.item(b))
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
    }

    @Test(arguments: ["full", "summary", "only"])
    func compactionWritesTheWholeLedgersSnapshotWhateverWasRead(_ modeName: String) throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        let mode: Repository.LoadMode =
            switch modeName {
            case "full": .full
            case "summary": .summary
            default: .only([number(5), number(2)])
            }
        let writer = try Repository.open(at: repo.directory, mode: mode)
        try act(writer, "5", .action(.feedback(text: "整理前的进展")))
        try act(writer, "2", .action(.feedback(text: "另一事项的进展")))
        // One registered in 2025 sorts before every 2026 item; one in 2026 after them.
        let early = try register(writer, "补录的去年事项", assigned: "2025-12-30")
        let late = try register(writer, "新立事项", assigned: "2026-11-21")
        try writer.commit(
            .addUnit(Unit(name: "县审计局", kind: .department)), login: "clerk", at: LoadModeTests.now, today: LoadModeTests.today)
        try writer.compact()
        #expect(try snapshot(writer) == (try expectedSnapshot(repo.directory)))
        let reread = try Repository.open(at: repo.directory, mode: .full).ledger
        #expect(reread.item(early)?.title == "补录的去年事项" && reread.item(late)?.title == "新立事项")
        #expect(reread.unit(named: "县审计局") != nil)
        #expect(reread.items.map(\.number) == reread.items.map(\.number).sorted())
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
        // And again on top of the merged snapshot.
        try act(writer, "5", .action(.feedback(text: "整理后的进展")))
        try writer.compact()
        #expect(try snapshot(writer) == (try expectedSnapshot(repo.directory)))
    }

    @Test func aSummaryReadingFetchesOneItemsHistoryOnDemand() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        let summary = try Repository.open(at: repo.directory, mode: .summary)
        let n = number(3)
        #expect(summary.ledger.item(n)?.hasFullHistory == false)
        try act(summary, "3", .action(.feedback(text: "摘要读取后的进展")))
        var full = try Repository.open(at: repo.directory, mode: .full).ledger
        #expect(try summary.history(of: n) == full.item(n)?.history)
        // After its own compaction (the entries it holds are now in the snapshot too) …
        try summary.compact()
        #expect(try summary.history(of: n) == full.item(n)?.history)
        // … and after another process's commit and compaction.
        let other = try Repository.open(at: repo.directory)
        try act(other, "3", .action(.feedback(text: "另一进程的进展")))
        try other.compact()
        full = try Repository.open(at: repo.directory, mode: .full).ledger
        #expect(try summary.history(of: n) == full.item(n)?.history)
        #expect(try summary.history(of: number(999)) == nil)
    }

    @Test func checkFindsAStoredStateThatIsNotTheFoldOfItsHistory() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        var text = String(decoding: try snapshot(repo), as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("{\"n\":\"督〔2026〕第0003号\"") }!
        // Move the stored deadline (the first one on the line) to 2099: the entries still say otherwise.
        let key = line.range(of: "\"deadline\":\"")!
        let edited = String(line[..<key.upperBound]) + "2099" + String(line[key.upperBound...].dropFirst(4))
        #expect(edited != String(line))
        text = text.replacingOccurrences(of: String(line), with: edited)
        try Data(text.utf8).write(to: URL(fileURLWithPath: repo.snapshotPath))
        let report = RepositoryCheck.run(directory: repo.directory)
        #expect(report.problems.contains { $0.contains("督〔2026〕第0003号 快照中记载的状态与其办理记录不符") }, "\(report.problems)")
    }

    @Test func aFormatOneSnapshotIsReadAndRewrittenAsFormatTwo() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        try act(repo, "3", .action(.feedback(text: "旧格式时期的进展")))
        let reference = try Repository.open(at: repo.directory, mode: .full).ledger
        // The snapshot as ducha 0.1 wrote it: entries grouped by item, no stored state.
        var w = JSONWriter(capacity: 1 << 16)
        w.raw("{\"format\":1,\"seq\":\(reference.seq),\n\"log\":[")
        for (i, e) in reference.log.enumerated() {
            w.raw(i == 0 ? "\n" : ",\n")
            EntryCodec.encode(e, into: &w)
        }
        w.raw("],\n\"items\":[")
        for (i, item) in reference.items.enumerated() {
            w.raw(i == 0 ? "\n" : ",\n")
            w.raw("{\"number\":")
            w.value(item.number.description)
            w.raw(",\"events\":[")
            for (j, e) in item.history.enumerated() {
                if j > 0 { w.raw(",") }
                EntryCodec.encode(e, into: &w)
            }
            w.raw("]}")
        }
        w.raw("]}\n")
        try Data(w.bytes).write(to: URL(fileURLWithPath: repo.snapshotPath))
        try Data().write(to: URL(fileURLWithPath: repo.journalPath))
        #expect(try Repository.open(at: repo.directory, mode: .full).ledger.items == reference.items)
        let summary = try Repository.open(at: repo.directory, mode: .summary).ledger
        #expect(reference.items.allSatisfy { summary.item($0.number)?.sameState(as: $0) == true })
        #expect(
            try Repository.open(at: repo.directory, mode: .only([number(3)])).ledger.item(number(3)) == reference.item(number(3)))
        let writer = try Repository.open(at: repo.directory, mode: .only([number(3)]))
        try act(writer, "3", .action(.feedback(text: "新格式的进展")))
        try writer.compact()
        #expect(String(decoding: try snapshot(writer).prefix(11), as: UTF8.self) == "{\"format\":2")
        #expect(try snapshot(writer) == (try expectedSnapshot(repo.directory)))
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
    }

    @Test func readingOnEveryCoreGivesTheSameLedgerAndTheSameComplaints() throws {
        let dir = TemporaryDirectory()
        let repo = try demo(dir)
        try repo.compact()
        let before = SnapshotCodec.parallelThreshold
        defer { SnapshotCodec.parallelThreshold = before }
        SnapshotCodec.parallelThreshold = Int.max
        let one = try Repository.open(at: repo.directory, mode: .full).ledger
        let oneSummary = try Repository.open(at: repo.directory, mode: .summary).ledger
        SnapshotCodec.parallelThreshold = 0
        let many = try Repository.open(at: repo.directory, mode: .full).ledger
        let manySummary = try Repository.open(at: repo.directory, mode: .summary).ledger
        #expect(many.items == one.items && many.items.map(\.history) == one.items.map(\.history))
        #expect(manySummary.items.count == oneSummary.items.count)
        #expect(zip(manySummary.items, oneSummary.items).allSatisfy { $0.sameState(as: $1) })
        // A damaged line near the end, and two lines swapped across the middle, are found
        // and named by line as in a single pass.
        let original = try snapshot(repo)
        var lines = String(decoding: original, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        let first = lines.firstIndex { $0.hasPrefix("{\"n\":") }!
        let last = lines.lastIndex { $0.hasPrefix("{\"n\":") }!
        var damaged = lines
        damaged[last - 1] = String(damaged[last - 1].prefix(60)) + "损坏\"},"
        for threshold in [Int.max, 0] {
            SnapshotCodec.parallelThreshold = threshold
            try Data(damaged.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: repo.snapshotPath))
            let e = #expect(throws: StoreError.self) { try Repository.open(at: repo.directory, mode: .summary) }
            #expect(e?.message.contains("第 \(last) 行") == true, "\(String(describing: e))")
        }
        let middle = (first + last) / 2
        lines.swapAt(middle, middle + 1)
        for threshold in [Int.max, 0] {
            SnapshotCodec.parallelThreshold = threshold
            try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: repo.snapshotPath))
            let e = #expect(throws: StoreError.self) { try Repository.open(at: repo.directory, mode: .full) }
            #expect(e?.message.contains("事项未按编号排列") == true, "\(String(describing: e))")
        }
        try Data(original).write(to: URL(fileURLWithPath: repo.snapshotPath))
    }
}
