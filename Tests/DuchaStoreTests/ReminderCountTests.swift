import DuchaCore
import DuchaTestSupport
import Foundation
import Testing

@testable import DuchaStore

/// An item's state keeps its current assignment's 催办 count (what scoring's reminder rule
/// needs without reading histories). A snapshot written before the count was kept has states
/// without it: every reading still finds the count, from the history, and `check` passes.
@Suite struct ReminderCountTests {
    @Test func aSnapshotWithoutTheCountIsReadFromTheHistory() throws {
        let dir = TemporaryDirectory()
        let modes = LoadModeTests()
        let repo = try modes.demo(dir)
        for _ in 0..<3 { try modes.act(repo, "3", .action(.remind(method: .phone, note: ""))) }
        try repo.compact()
        let reference = try Repository.open(at: repo.directory, mode: .full).ledger
        let counted = try #require(reference.item(modes.number(3))?.reminders)
        #expect(counted >= 3)
        // The snapshot as an earlier version wrote it: no count in any item's state (the first
        // "reminders" of a line is the state's own, before its earlier assignments).
        var text = String(decoding: try modes.snapshot(repo), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("{\"n\":"), let r = line.range(of: #""reminders":[0-9]+,"#, options: .regularExpression) else {
                return String(line)
            }
            return String(line[..<r.lowerBound] + line[r.upperBound...])
        }
        text = lines.joined(separator: "\n")
        #expect(!text.contains(#""reminders":\#(counted),"commends""#) && !text.contains(#""reminders":\#(counted),"reason""#))
        try Data(text.utf8).write(to: URL(fileURLWithPath: repo.snapshotPath))
        for mode in [Repository.LoadMode.summary, .full, .only([modes.number(3)])] {
            let ledger = try Repository.open(at: repo.directory, mode: mode).ledger
            #expect(ledger.item(modes.number(3))?.reminders == counted, "\(mode)")
            #expect(ledger.items.allSatisfy { $0.reminders == reference.item($0.number)?.reminders })
        }
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
        // A fourth reminder counts on; compaction writes the count again.
        let writer = try Repository.open(at: repo.directory, mode: .only([modes.number(3)]))
        try modes.act(writer, "3", .action(.remind(method: .phone, note: "")))
        try writer.compact()
        #expect(try Repository.open(at: repo.directory, mode: .summary).ledger.item(modes.number(3))?.reminders == counted + 1)
        #expect(RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
        // A stored count that is not the history's is found.
        var again = String(decoding: try modes.snapshot(writer), as: UTF8.self)
        again = again.replacingOccurrences(of: #""reminders":\#(counted + 1),"#, with: #""reminders":\#(counted + 5),"#)
        try Data(again.utf8).write(to: URL(fileURLWithPath: repo.snapshotPath))
        #expect(!RepositoryCheck.run(directory: repo.directory).problems.isEmpty)
    }
}
