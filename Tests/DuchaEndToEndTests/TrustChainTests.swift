import DuchaCore
import DuchaStore
import DuchaTestSupport
import Foundation
import Testing

/// The history as evidence: records carry the server's clock, the journal is hash-chained, and
/// `ducha check` names any line rewritten, removed, reordered or forged.
@Suite struct TrustChainTests {
    let dir = TemporaryDirectory("ducha-trust")

    func ducha(_ repo: String, _ args: [String], today: String? = nil, env: [String: String] = [:]) throws -> Binary.Result {
        try Binary.run(["--repo", repo] + (today.map { ["--today", $0] } ?? []) + args, environment: env)
    }

    @discardableResult
    func ok(_ repo: String, _ args: String..., today: String? = nil) throws -> String {
        let r = try ducha(repo, args, today: today)
        #expect(r.status == 0, "\(args) → \(r.status)：\(r.stderr)")
        return r.stdout
    }

    func journal(_ repo: String) throws -> [String] {
        try String(contentsOfFile: repo + "/journal.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func writeJournal(_ repo: String, _ lines: [String]) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: repo + "/journal.jsonl", atomically: false, encoding: .utf8)
    }

    func copy(_ from: String, _ name: String) throws -> String {
        let to = dir.sub(name)
        try FileManager.default.copyItem(atPath: from, toPath: to)
        return to
    }

    /// A test-clock ledger with a few records in its journal: 县财政局's item signed, reported on,
    /// asked to close.
    func ledgerWithHistory() throws -> String {
        let repo = dir.sub("base")
        try ok(repo, "init", "--test-clock", "--office", "青山县委督查室", today: "2026-11-02")
        try ok(repo, "unit", "add", "县财政局", today: "2026-11-02")
        if OSAccounts.canCreate { try OSAccounts.ensure("duchat_fin", group: "duchat") }
        try ok(repo, "user", "add", "duchat_fin", "--role", "unit", "--unit", "县财政局", today: "2026-11-02")
        try ok(repo, "add", "--title", "政府债务风险化解方案", "--lead", "县财政局", "--deadline", "2026-11-10", today: "2026-11-02")
        try ok(repo, "sign", "1", today: "2026-11-03")
        try ok(repo, "feedback", "1", "已完成方案初稿。", today: "2026-11-05")
        try ok(repo, "feedback", "1", "已征求各乡镇意见。", today: "2026-11-12")
        try ok(repo, "complete", "1", "方案已经县政府常务会审议通过。", today: "2026-11-20")
        #expect(try ok(repo, "check", today: "2026-11-20").contains("检查通过"))
        return repo
    }

    @Test func everyJournalLineCarriesTheHashOfTheLineBefore() throws {
        let repo = try ledgerWithHistory()
        let lines = try journal(repo)
        #expect(lines.count >= 7)
        for (i, line) in lines.enumerated() {
            #expect(line.hasPrefix("{\"seq\":\(i + 2),\"prev\":\""), "\(line)")
            if i > 0 {
                let prev = line.dropFirst("{\"seq\":\(i + 2),\"prev\":\"".count).prefix(64)
                #expect(String(prev) == Self.sha256(lines[i - 1]))
            }
        }
    }

    @Test func checkNamesEveryRewrite() throws {
        let base = try ledgerWithHistory()
        let lines = try journal(base)

        // A line altered in the middle: the next line's link no longer holds.
        let altered = try copy(base, "altered")
        var a = lines
        let k = try #require(a.firstIndex { $0.contains("已完成方案初稿。") })
        a[k] = a[k].replacingOccurrences(of: "已完成方案初稿。", with: "已全部完成。")
        try writeJournal(altered, a)
        var r = try ducha(altered, ["check"])
        #expect(
            r.status == 1 && r.stdout.contains("journal.jsonl 第 \(k + 2) 行") && r.stdout.contains("校验码与第 \(k + 1) 行不符"),
            "\(r.stdout)")

        // A line removed: the sequence breaks where it was.
        let removed = try copy(base, "removed")
        var b = lines
        b.remove(at: 2)
        try writeJournal(removed, b)
        r = try ducha(removed, ["check"])
        #expect(r.status == 1 && r.stdout.contains("journal.jsonl 第 3 行"), "\(r.stdout)")

        // Two lines swapped.
        let reordered = try copy(base, "reordered")
        var c = lines
        c.swapAt(3, 4)
        try writeJournal(reordered, c)
        r = try ducha(reordered, ["check"])
        #expect(r.status == 1 && r.stdout.contains("journal.jsonl 第 4 行"), "\(r.stdout)")

        // A line in a form ducha never writes (an extra key), even with the link right.
        let reformatted = try copy(base, "reformatted")
        var d = lines
        d[d.count - 1] = String(d[d.count - 1].dropLast()) + ",\"grade\":\"excellent\"}"
        try writeJournal(reformatted, d)
        r = try ducha(reformatted, ["check"])
        #expect(r.status == 1 && r.stdout.contains("不是 ducha 写入的格式"), "\(r.stdout)")

        // A record appended with a correct link, in which the unit approves its own item: the
        // replay through the workflow's rules names it.
        let forged = try copy(base, "forged")
        var e = lines
        let line =
            "{\"seq\":\(lines.count + 2),\"prev\":\"\(Self.sha256(lines[lines.count - 1]))\",\"at\":\"2026-11-20T18:00:00+08:00\","
            + "\"by\":\"duchat_fin\",\"unit\":\"县财政局\",\"do\":\"review.approve\",\"item\":\"督〔2026〕第0001号\",\"grade\":\"excellent\"}"
        e.append(line)
        try writeJournal(forged, e)
        r = try ducha(forged, ["check"])
        #expect(r.status == 1 && r.stdout.contains("操作人不可能做出此记录") && r.stdout.contains("无权审核通过"), "\(r.stdout)")

        // Roster lines appended by the unit to make itself the office, linked correctly.
        let roster = try copy(base, "roster")
        var h = lines
        let removal =
            "{\"seq\":\(lines.count + 2),\"prev\":\"\(Self.sha256(lines[lines.count - 1]))\",\"at\":\"2026-11-20T18:00:00+08:00\","
            + "\"by\":\"duchat_fin\",\"do\":\"user.remove\",\"login\":\"duchat_fin\"}"
        h.append(removal)
        h.append(
            "{\"seq\":\(lines.count + 3),\"prev\":\"\(Self.sha256(removal))\",\"at\":\"2026-11-20T18:00:01+08:00\","
                + "\"by\":\"duchat_fin\",\"do\":\"user.add\",\"login\":\"duchat_fin\",\"role\":\"supervisor\"}")
        try writeJournal(roster, h)
        r = try ducha(roster, ["check"])
        #expect(r.status == 1 && r.stdout.contains("第 \(lines.count + 2) 条记录") && r.stdout.contains("只有督查室可以"), "\(r.stdout)")

        // A record appended without a link at all.
        let unlinked = try copy(base, "unlinked")
        var f = lines
        f.append(
            "{\"seq\":\(lines.count + 2),\"at\":\"2026-11-20T18:00:00+08:00\",\"by\":\"root\",\"do\":\"review.approve\","
                + "\"item\":\"督〔2026〕第0001号\",\"grade\":\"excellent\"}")
        try writeJournal(unlinked, f)
        r = try ducha(unlinked, ["check"])
        #expect(r.status == 1 && r.stdout.contains("缺少前一条记录的校验码"), "\(r.stdout)")
    }

    @Test func aSnapshotRewrittenAfterCompactionIsNamed() throws {
        let base = try ledgerWithHistory()
        try ok(base, "review", "1", "--approve", "--grade", "合格", today: "2026-11-24")
        let lines = try journal(base)
        // Fold the journal into the snapshot: the chain's head goes into its header.
        let repo = try Repository.open(at: base)
        try repo.compact()
        let snapshot = try String(contentsOfFile: base + "/ducha.json", encoding: .utf8)
        #expect(snapshot.contains("\"chain\":{\"from\":1,\"head\":\"\(Self.sha256(lines[lines.count - 1]))\"}"))
        #expect(try ok(base, "check", today: "2026-11-24").contains("检查通过"))
        // 合格 turned into 优秀 in the item's line, state and history alike.
        let regraded = try copy(base, "regraded")
        try snapshot.replacingOccurrences(of: "\"pass\"", with: "\"excellent\"")
            .write(toFile: regraded + "/ducha.json", atomically: false, encoding: .utf8)
        let r = try ducha(regraded, ["check"])
        #expect(r.status == 1 && r.stdout.contains("快照 ducha.json") && r.stdout.contains("快照中的记录被改动"), "\(r.stdout)")
        // New records chain on from the snapshot's head, and the notice prints the new head.
        try ok(base, "comment", "1", "办结质量较好。", today: "2026-11-24")
        let first = try journal(base)[0]
        #expect(first.contains("\"prev\":\"\(Self.sha256(lines[lines.count - 1]))\""))
        let notice = LedgerCodeFooter.split(try ok(base, "export", "overdue", today: "2026-11-24"))
        #expect(notice.hash == Self.sha256(first) && notice.seq == lines.count + 2)
        #expect(try ok(base, "check", today: "2026-11-24").contains("检查通过"))
    }

    @Test func recordsCarryTheServersDateWhateverTodaySays() throws {
        let repo = dir.sub("real")
        try ok(repo, "init", "--office", "青山县委督查室")
        try ok(repo, "unit", "add", "县财政局")
        let before = try journal(repo)
        // Writing under another date is refused, by option and by environment alike.
        var r = try ducha(repo, ["add", "--title", "事项", "--lead", "县财政局", "--deadline", "2030-01-01"], today: "2026-01-05")
        #expect(r.status == 1 && r.stderr.contains("记录的时间以服务器时钟为准"), "\(r.stderr)")
        r = try ducha(
            repo, ["add", "--title", "事项", "--lead", "县财政局", "--deadline", "2030-01-01"], env: ["DUCHA_TODAY": "1900-01-01"])
        #expect(r.status == 1 && r.stderr.contains("记录的时间以服务器时钟为准"), "\(r.stderr)")
        #expect(try journal(repo) == before)
        // Viewing under another date is fine.
        #expect(try ducha(repo, ["list"], today: "2026-01-05").status == 0)
        // A record made without --today is dated today by the system clock.
        try ok(repo, "add", "--title", "事项", "--lead", "县财政局", "--deadline", "2030-01-01")
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        let today = formatter.string(from: Date())
        #expect(try journal(repo).last!.contains("\"at\":\"\(today)T"))
        // init itself refuses another date unless the ledger is a test one.
        r = try ducha(dir.sub("real2"), ["init"], today: "2026-01-05")
        #expect(r.status == 1 && !FileManager.default.fileExists(atPath: dir.sub("real2") + "/ducha.json"), "\(r.stderr)")
    }

    @Test func theOfficeRecordsAnEarlierReportWithBothDates() throws {
        let repo = try ledgerWithHistory()
        // Returned once; the unit then says it reported the completion on the 9th, before the deadline.
        try ok(repo, "review", "1", "--return", "请补充化债资金来源。", today: "2026-11-21")
        let r = try ducha(repo, ["complete", "1", "已补充资金来源。", "--for", "县财政局", "--on", "2026-11-09"], today: "2026-11-24")
        #expect(r.status == 1 && r.stderr.contains("报送日期"), "补录的日期不能早于事项现在的状态：\(r.stderr)")
        try ok(repo, "complete", "1", "已补充资金来源。", "--for", "县财政局", "--on", "2026-11-23", today: "2026-11-24")
        let log = try ok(repo, "log", "1", today: "2026-11-24")
        #expect(log.contains("2026-11-23 报送，2026-11-24"), "\(log)")
        #expect(try journal(repo).last!.contains("\"on\":\"2026-11-23\""))
        let later = try ducha(repo, ["feedback", "1", "进展", "--for", "县财政局", "--on", "2026-11-30"], today: "2026-11-24")
        #expect(later.status == 1 && later.stderr.contains("晚于今天"), "\(later.stderr)")
        // Reported today is simply recorded today: no 补录 mark, no second date.
        try ok(repo, "review", "1", "--return", "请附资金拨付凭证。", today: "2026-11-24")
        try ok(repo, "feedback", "1", "凭证已附", "--for", "县财政局", "--on", "2026-11-24", today: "2026-11-24")
        let last = try journal(repo).last!
        #expect(last.contains("凭证已附") && !last.contains("\"on\":"), "\(last)")
        #expect(try ok(repo, "check", today: "2026-11-24").contains("检查通过"))
    }

    @Test func onlyRecordedCalendarsCount() throws {
        let repo = dir.sub("calendar")
        try ok(repo, "init")
        // A file dropped into the folder changes nothing.
        try FileManager.default.createDirectory(atPath: repo + "/calendar", withIntermediateDirectories: true)
        let table =
            #"{"year":2027,"source":"国务院办公厅关于2027年部分节假日安排的通知","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-03"}],"workdays":[{"date":"2027-01-09"}]}"#
        try table.write(toFile: repo + "/calendar/2027.json", atomically: true, encoding: .utf8)
        #expect(try ok(repo, "calendar", "show", "2027").contains("2027年的节假日安排尚未录入"))
        // Added by the office, it is recorded with the file's hash and used.
        try table.write(toFile: dir.sub("2027.json"), atomically: true, encoding: .utf8)
        let added = try ok(repo, "calendar", "add", dir.sub("2027.json"))
        #expect(added.contains("SHA-256 \(Self.sha256(table))"), "\(added)")
        #expect(try ok(repo, "calendar", "show", "2027").contains("元旦"))
        #expect(try ok(repo, "log").contains("添加2027年节假日安排"))
        #expect(try ok(repo, "check").contains("检查通过"))
    }

    static func sha256(_ text: String) -> String { LedgerCodeFooter.sha256(text) ?? "" }
}
