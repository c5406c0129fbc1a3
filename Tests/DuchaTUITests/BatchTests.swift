import DuchaCore
import DuchaOps
import DuchaTUI
import DuchaTestSupport
import Testing

private typealias F = TUIFixtures

/// Batch actions: Space marks rows (a mark column); r, a and the export dialog act on the marked
/// rows together after one confirmation; the list marks items new since the last visit.
@Suite struct BatchTests {
    /// The list sorted by number, its first `count` rows marked with Space.
    static func marked(_ count: Int, login: String = "clerk") -> AppState {
        var s = F.state(login)
        F.type(&s, [.char("2")])
        while s.list.query.order != .number { F.type(&s, [.char("o")]) }
        F.type(&s, [.home] + Array(repeating: .char(" "), count: count))
        return s
    }

    static func numbers(_ s: AppState, _ count: Int) -> [ItemNumber] {
        s.list.rows.prefix(count).map { s.ledger.items[$0.index].number }
    }

    @Test func spaceMarksRowsInAMarkColumnAndEscClearsThem() {
        var s = Self.marked(3)
        let marked = Self.numbers(s, 3)
        #expect(s.marked == Set(marked))
        // The selection moved past the marked rows.
        #expect(s.list.selected == 3)
        let f = Renderer.render(s)
        for r in 3..<6 { #expect(f.line(r).hasPrefix("*"), "\(f.line(r))") }
        #expect(!f.line(6).hasPrefix("*"))
        #expect(f.row(containing: "已标记 3 件") == 22, "\(f.text)")
        #expect(f.line(23) == " Enter 详情  / 搜索  空格 标记  Esc 取消标记  r 催办  a 审核  ? 更多  q 退出", "\(f.line(23))")
        // Space again on a marked row unmarks it.
        F.type(&s, [.up, .char(" ")])
        #expect(s.marked.count == 2 && !s.marked.contains(marked[2]))
        // Esc clears the marks first, then (as before) the filter or the page.
        F.type(&s, [.escape])
        #expect(s.marked.isEmpty && s.page == .list)
        F.type(&s, [.escape])
        #expect(s.page == .dashboard)
    }

    @Test func rRemindsEveryMarkedItemAfterOneConfirmation() {
        var s = Self.marked(3)
        let marked = Self.numbers(s, 3)
        F.type(&s, [.char("r")])
        #expect(s.modal?.title == "催办已标记的 3 件")
        F.type(&s, [.down, .enter] + F.text("请本周内报送"))
        #expect(s.modal?.title == "书面催办已标记的 3 件")
        #expect(F.type(&s, [.enter]).isEmpty)
        guard case .confirm(let question)? = s.modal?.body else {
            Issue.record("应先确认")
            return
        }
        #expect(question == "对已标记的 3 件事项书面催办（请本周内报送）？")
        let effects = F.type(&s, [.char("y")])
        let expected = marked.map {
            Operation.act(try! ItemReference.parse($0.description), .action(.remind(method: .letter, note: "请本周内报送")))
        }
        #expect(effects == [.performBatch(expected, verb: "催办")])
        #expect(s.modal == nil && s.marked.isEmpty)
        // n cancels: nothing runs.
        var t = Self.marked(2)
        F.type(&t, [.char("r"), .enter, .enter])
        #expect(F.type(&t, [.char("n")]).isEmpty && t.marked.count == 2)
    }

    @Test func aApprovesOnlyTheMarkedItemsAwaitingReview() {
        var s = F.state()
        F.type(&s, [.char("2")])
        while s.list.query.order != .number { F.type(&s, [.char("o")]) }
        // Mark every item awaiting review and two that are not.
        let review = s.list.rows.indices.filter { s.ledger.items[s.list.rows[$0].index].state == .review }
        let other = s.list.rows.indices.filter { s.ledger.items[s.list.rows[$0].index].state == .active }.prefix(2)
        #expect(review.count >= 2)
        for i in (review + other).sorted() {
            F.type(&s, [.home] + Array(repeating: .down, count: i) + [.char(" ")])
        }
        F.type(&s, [.char("a")])
        // One 办结质量评价 for all of them (or none), then one confirmation.
        guard case .choice(let prompt, let options, _)? = s.modal?.body else {
            Issue.record("应先选评价：\(String(describing: s.message))")
            return
        }
        #expect(prompt == "办结质量评价（同一评价用于这 \(review.count) 件）")
        #expect(options == Grade.allCases.map(\.label) + ["不评价"])
        F.type(&s, [.down, .enter])
        guard case .confirm(let question)? = s.modal?.body else {
            Issue.record("应先确认：\(String(describing: s.message))")
            return
        }
        let grade = Grade.allCases[1]
        #expect(question == "审核通过待审核的 \(review.count) 件并办结销号（评价：\(grade.label)）？其余 2 件不在待审核状态，不处理。")
        let effects = F.type(&s, [.enter])
        let approved = review.map { s.ledger.items[s.list.rows[$0].index].number }
        #expect(
            effects == [
                .performBatch(
                    approved.map {
                        Operation.act(
                            try! ItemReference.parse($0.description), .action(.approveCompletion(grade: grade, note: "")))
                    }, verb: "审核通过")
            ])
        // None awaiting review among the marked: said at once, no dialog.
        var t = F.state()
        F.type(&t, [.char("2")])
        let active = t.list.rows.firstIndex { t.ledger.items[$0.index].state == .active }!
        F.type(&t, Array(repeating: .down, count: active) + [.char(" "), .char("a")])
        #expect(t.modal == nil && t.message?.text == "已标记的 1 件中没有待审核的事项")
    }

    @Test func withoutMarksRAndAAreTheSelectedItemsKeysAndAUnitHasNoBatch() {
        var s = F.state()
        F.select(&s, DemoTitles.overdue(s))
        F.type(&s, [.char("r")])
        #expect(s.modal?.title == "催办 \(s.currentItem!.number)")
        // A unit marks rows to export them; r is not its key with or without marks.
        var u = Self.marked(2, login: "czj")
        #expect(u.marked.count == 2)
        F.type(&u, [.char("r")])
        #expect(u.modal == nil)
        #expect(!Renderer.render(u).line(23).contains("催办"))
    }

    @Test func theExportDialogOffersTheMarkedRows() {
        var s = Self.marked(2)
        let marked = Self.numbers(s, 2)
        F.type(&s, [.char("x")])
        guard case .choice(_, let options, _)? = s.modal?.body else {
            Issue.record("应为导出选项")
            return
        }
        #expect(options.first == "已标记的 2 件事项（台账 CSV）")
        F.type(&s, [.enter])
        #expect(s.modal?.title == "已标记的 2 件事项（台账 CSV）")
        let effects = F.type(&s, [.enter])
        #expect(effects == [.exportMarked(path: "/tmp/导出/台账-已标记-2026-11-21.csv", numbers: marked)])
        // Without marks, the dialog is as before.
        var t = F.state()
        F.type(&t, [.char("2"), .char("x")])
        guard case .choice(_, let plain, _)? = t.modal?.body else { return }
        #expect(plain.first == "逾期事项通报（预览稿）")
    }

    @Test func theStatusLineSaysHowManyWereDoneAndWhichWereRefused() {
        var s = Self.marked(0)
        s.batchFinished(
            verb: "催办", done: ["督〔2026〕第0001号", "督〔2026〕第0002号"],
            refused: [("督〔2026〕第0003号", "该事项已办结，不能催办")], ledger: s.ledger)
        #expect(s.message == Message(text: "已催办 2 件；1 件未催办：督〔2026〕第0003号（该事项已办结，不能催办）", isError: true))
        let f = Renderer.render(s)
        #expect(f.row(containing: "已催办 2 件；1 件未催办") == 22, "\(f.text)")
    }

    @Test func aMessageWiderThanTheScreenIsWrappedNotCut() throws {
        var s = Self.marked(0)
        let reason = "该事项已办结，不能催办"
        s.batchFinished(
            verb: "催办", done: ["督〔2026〕第0001号"],
            refused: (2...5).map { ("督〔2026〕第000\($0)号", reason) }, ledger: s.ledger)
        let f = Renderer.render(s)
        // Over the page's last rows, above the key bar; every refusal readable.
        let first = try #require(f.row(containing: "已催办 1 件；4 件未催办"), "\(f.text)")
        #expect(first < 22 && f.line(23).hasPrefix(" Enter 详情"), "\(f.text)")
        let shown = (first...22).map { f.line($0).trimmingSpaces }.joined()
        // One reason for all four: said once, after their numbers.
        #expect(shown.contains("4 件未催办：督〔2026〕第0002号、督〔2026〕第0003号、督〔2026〕第0004号、督〔2026〕第0005号（该事项已办结，不能催办）"), "\(shown)")
        for r in first...22 { #expect(f.line(r).displayWidth <= 80 && f.style(of: "：", inRow: first) == .error) }
        // Each line keeps the one-cell margin, the first one too.
        for r in first...22 { #expect(f.line(r).hasPrefix(" ") && !f.line(r).hasPrefix("  "), "\(f.line(r))") }
        // The list gives up the rows the message takes: the selected row stays in sight.
        F.type(&s, [.end])
        s.batchFinished(
            verb: "催办", done: ["督〔2026〕第0001号"],
            refused: (2...5).map { ("督〔2026〕第000\($0)号", reason) }, ledger: s.ledger)
        let selected = try #require(s.currentItem)
        let h = Renderer.render(s)
        let at = try #require(h.row(containing: String(selected.title.prefix(5))), "\(h.text)")
        #expect(at < first && h.style(of: String(selected.title.prefix(1)), inRow: at)?.reverse == true, "\(h.text)")
        // More than four lines' worth: four lines, the last ending in …
        s.batchFinished(
            verb: "催办", done: [], refused: (1...9).map { ("督〔2026〕第000\($0)号", "第\($0)件" + reason + reason) }, ledger: s.ledger)
        let g = Renderer.render(s)
        #expect(g.row(containing: "已催办 0 件") == 19 && g.line(22).hasSuffix("…"), "\(g.text)")
    }

    @Test func itemsChangedSinceTheLastVisitAreMarkedNew() {
        var s = Self.marked(0)
        let items = s.ledger.visibleItems(to: s.actor)
        var last = LastVisit(items: items)
        #expect(last.changed(items).isEmpty)
        // One item had a record since, one was registered since (not seen at all).
        let first = Self.numbers(s, 2)
        last.seen[first[0].description]! -= 1
        last.seen[first[1].description] = nil
        #expect(LastVisit.parse(Array(last.text.utf8)) == last)
        s.markNew(last.changed(items))
        #expect(s.newItems == Set(first))
        // On a database the marks come as the store's values by number, compared the same way.
        #expect(last.changed(since: LastVisit(items: items)) == Set(first))
        // Or batch by batch, as a database pages them: the same items, and the lines written as
        // they come read back as what was seen.
        let now = items.map { (number: $0.number.description, mark: $0.eventCount) }
        var batched = Set<ItemNumber>()
        for start in stride(from: 0, to: now.count, by: 3) {
            batched.formUnion(last.changed(Array(now[start..<min(now.count, start + 3)])))
        }
        #expect(batched == Set(first))
        let written = now.map { LastVisit.line($0.number, $0.mark) }.joined()
        #expect(LastVisit.parse(Array(written.utf8)) == LastVisit(items: items))
        let f = Renderer.render(s)
        #expect(f.line(3).contains(" 新 "), "\(f.line(3))")
        #expect(f.line(4).contains(" 新 "))
        #expect(!f.line(5).contains(" 新 "))
        // Drawn before the title, the title shortened to fit.
        let title = s.ledger.item(first[0])!.title
        #expect(f.line(3).contains("新 " + String(title.prefix(2))), "\(f.line(3))")
        #expect(LastVisit.path(repository: "/srv/台账", stateHome: "/home/li/.state").hasPrefix("/home/li/.state/ducha/seen-"))
        #expect(
            LastVisit.path(repository: "/srv/台账", stateHome: nil).hasSuffix(
                "/.local/state/ducha/seen-" + LastVisit.path(repository: "/srv/台账", stateHome: "/x").suffix(16)))
    }
}

/// Titles from the demo ledger for these tests.
enum DemoTitles {
    static func overdue(_ s: AppState) -> String {
        s.ledger.items.first { s.evaluator.status(of: $0).light == .red && $0.state == .active }!.title
    }
}
