import DuchaTestSupport
import Testing

@testable import DuchaCore

@Suite struct CodecTests {
    static let n = ItemNumber(prefix: "督", year: 2026, serial: 3)
    static let at = Timestamp(day: Day(year: 2026, month: 11, day: 2)!, hour: 9, minute: 30, second: 5)

    static let changes: [Change] = [
        .initialize(Settings(officeName: "青山县委督查室")),
        .setting(key: "due-soon", value: "5"),
        .addUnit(Unit(name: "县财政局", kind: .department, owner: "谢志强", contact: "罗丹", phone: "0731-5521102")),
        .addUser(User(login: "zhang", role: .supervisor, uid: 1001)),
        .addUser(User(login: "cz", role: .unit, unit: "县财政局", name: "罗丹")),
        .removeUser(login: "cz"),
        .issueNotice(serial: 2, day: Day(year: 2026, month: 11, day: 2)!, overdue: 7),
        .issueProgress(basis: "县政府第12次常务会议（〔2026〕12号）", serial: 3, day: Day(year: 2026, month: 11, day: 2)!, items: 9, closed: 4),
        .item(
            n,
            .attach(
                Evidence(
                    sha256: String(repeating: "ab", count: 32), name: "实施方案（定稿）.pdf", size: 1_234_567, type: .pdf,
                    note: "第二版\n附图"))),
        .item(n, .attach(Evidence(sha256: String(repeating: "0f", count: 32), name: "照片.jpg", size: 1, type: .file))),
        .item(
            n,
            .register(
                Registration(
                    title: "标题 \"引号\" \\ 反斜杠", instruction: "第一行\n第二行\t制表", source: "领导批示", leader: "李明远", leadUnit: "县财政局",
                    coUnits: ["县发改局", "城关镇"], owner: "谢志强", contact: "罗丹", phone: "123",
                    assignedOn: Day(year: 2026, month: 11, day: 2)!,
                    deadline: Day(year: 2026, month: 11, day: 30)!, urgency: .urgent))),
        .item(
            ItemNumber(prefix: "督", year: 2026, serial: 4),
            .register(
                Registration(
                    title: "有依据", source: "会议议定", leadUnit: "县财政局", assignedOn: Day(year: 2026, month: 11, day: 2)!,
                    deadline: Day(year: 2026, month: 11, day: 30)!, basis: "县政府第12次常务会议", basisNumber: "〔2026〕12号",
                    basisDate: Day(year: 2026, month: 10, day: 28)!))),
        .item(n, .sign),
        .item(n, .decline(reason: "不属本单位")),
        .item(n, .reassign(lead: "县教育局", coUnits: [], reason: "调整")),
        .item(n, .feedback(text: "进展😀")),
        .item(n, .requestExtension(to: Day(year: 2026, month: 12, day: 15)!, reason: "天气")),
        .item(n, .approveExtension(to: Day(year: 2026, month: 12, day: 15)!, note: "")),
        .item(n, .denyExtension(reason: "不同意")),
        .item(n, .requestCompletion(report: "报告")),
        .item(n, .approveCompletion(grade: .excellent, note: "好")),
        .item(n, .approveCompletion(grade: nil, note: "")),
        .item(n, .returnCompletion(reason: "退回")),
        .item(n, .remind(method: .meeting, note: "会上点名")),
        .item(n, .comment(text: "批注")),
        .item(n, .commend(note: "县长批示：工作扎实，予以肯定。")),
        .setting(key: "score.base", value: "100"),
        .item(n, .withdraw(reason: "撤")),
        .item(n, .suspend(reason: "缓")),
        .item(n, .resume(reason: "")),
        .item(
            n,
            .resume(
                reason: "恢复",
                shift: DeadlineShift(
                    workdays: 11, from: Day(year: 2026, month: 11, day: 30)!, to: Day(year: 2026, month: 12, day: 15)!))),
        .item(
            n,
            .reassign(
                lead: "县财政局", coUnits: ["县发改局"], reason: "职责调整",
                assignment: NewAssignment(
                    assignedOn: Day(year: 2026, month: 11, day: 30)!, deadline: Day(year: 2026, month: 12, day: 3)!, owner: "谢志强",
                    contact: "罗丹", phone: "0731-5521102", droppedExtension: Day(year: 2026, month: 12, day: 20)!, reminders: 3,
                    declinedOn: Day(year: 2026, month: 11, day: 3)!))),
        .item(
            n,
            .reassign(
                lead: "县财政局", coUnits: [], reason: "调整",
                assignment: NewAssignment(
                    assignedOn: Day(year: 2026, month: 11, day: 30)!, deadline: Day(year: 2026, month: 12, day: 3)!))),
        .item(n, .withdrawExtension(to: Day(year: 2026, month: 12, day: 15)!, reason: "申请办结，同时撤回待审批的延期申请")),
        .item(n, .withdrawExtension(to: Day(year: 2026, month: 12, day: 15)!, reason: "")),
        .item(n, .reopen(reason: "回头看", deadline: Day(year: 2026, month: 12, day: 31)!)),
        .item(n, .reopen(reason: "新的批示", deadline: Day(year: 2026, month: 12, day: 31)!, reminders: 2)),
        .item(n, .undo(Undo(seq: 41, code: "sign"))),
        .item(
            n,
            .undo(
                Undo(
                    seq: 42, code: "feedback",
                    progress: Item.Progress(day: Day(year: 2026, month: 11, day: 2)!, text: "初稿", unit: "城关镇")))),
        .item(
            n,
            .undo(
                Undo(
                    seq: 43, code: "feedback",
                    progress: Item.Progress(day: Day(year: 2026, month: 11, day: 2)!, text: "导入", unit: nil)))),
        .item(n, .undo(Undo(seq: 44, code: "feedback"))),
        .item(n, .edit(changes: [FieldChange(field: .deadline, old: "2026-11-30", new: "2026-12-31")], reason: "调整")),
    ]

    @Test func everyKindOfEntryRoundTrips() throws {
        for (i, c) in CodecTests.changes.enumerated() {
            let e = Entry(
                seq: i + 1, at: CodecTests.at, actor: "clerk", unit: i % 2 == 0 ? "县财政局" : nil, proxy: i % 2 == 0, change: c)
            let line = EntryCodec.line(e)
            #expect(line.last == 0x0A)
            #expect(!line.dropLast().contains(0x0A), "一条记录只占一行")
            let back = try EntryCodec.decodeLine(line.dropLast())
            #expect(back == e)
            #expect(EntryCodec.line(back) == line, "再次编码须逐字节相同：\(HistoryText.what(e))")
        }
    }

    @Test func theJournalLineIsReadableChinese() {
        let e = Entry(
            seq: 5, at: CodecTests.at, actor: "clerk", unit: "县财政局", proxy: true,
            change: .item(CodecTests.n, .feedback(text: "已完成初步设计")))
        let text = String(decoding: EntryCodec.line(e), as: UTF8.self)
        #expect(
            text
                == #"{"seq":5,"at":"2026-11-02T09:30:05+08:00","by":"clerk","unit":"县财政局","proxy":true,"do":"feedback","item":"督〔2026〕第0003号","text":"已完成初步设计"}"#
                + "\n")
    }

    @Test func damagedLinesAreRefusedWithAReason() {
        let bad: [(String, String)] = [
            (#"{"seq":1,"at":"2026-11-02T09:30:05+08:00","by":"x","do":"sign"}"#, "缺少“item”"),
            (#"{"seq":1,"at":"2026-11-02T09:30:05+08:00","by":"x","do":"teleport","item":"督〔2026〕第0003号"}"#, "未知的操作"),
            (#"{"seq":1,"at":"yesterday","by":"x","do":"sign","item":"督〔2026〕第0003号"}"#, "时间"),
            (#"{"seq":1,"at":"2026-11-02T09:30:05+08:00","by":"x","do":"sign","item":"督〔2026〕第0003号""#, "对象未结束"),
            (#"{"seq":"1"}"#, "整数"),
            (
                #"{"seq":1,"at":"2026-11-02T09:30:05+08:00","by":"x","do":"feedback","item":"督〔2026〕第0003号","text":"\u001"}"#,
                "\\u"
            ),
            (#"[1,2]"#, "对象"),
            (#"{"seq":1,"at":"2026-11-02T09:30:05+08:00","by":"x","do":"sign","item":"督〔2026〕第0003号"} trailing"#, "多余"),
        ]
        for (line, reason) in bad {
            do {
                _ = try EntryCodec.decodeLine(Array(line.utf8))
                Issue.record("应拒绝：\(line)")
            } catch {
                #expect(error.message.contains(reason), "\(line) → \(error.message)")
            }
        }
        // Invalid UTF-8 inside a string.
        var bytes = Array(
            #"{"seq":1,"at":"2026-11-02T09:30:05+08:00","by":"x","do":"feedback","item":"督〔2026〕第0003号","text":"ab"}"#.utf8)
        bytes.insert(0xFF, at: bytes.count - 3)
        #expect(throws: JSONError.self) { try EntryCodec.decodeLine(bytes) }
    }

    @Test func deeplyNestedInputCannotExhaustTheStack() {
        let deep = "{\"seq\":1,\"x\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: JSONError.self) { try EntryCodec.decodeLine(Array(deep.utf8)) }
    }

    @Test func escapesAreDecoded() throws {
        let json =
            #"{"seq":1,"at":"2026-11-02T09:30:05+08:00","by":"x","do":"feedback","item":"督〔2026〕第0003号","text":"\u4e2d\ud83d\ude00\n\"\/"}"#
        let e = try EntryCodec.decodeLine(Array(json.utf8))
        #expect(e.change == .item(CodecTests.n, .feedback(text: "中😀\n\"/")))
    }

    @Test func keyCodesMatchTheirKeys() {
        #expect(StateKey.assigned == JSONReader.code("assigned"))
        #expect(StateKey.reminders == JSONReader.code("reminders"))
        #expect(StateKey.pausedDays == JSONReader.code("pausedDays"))
        #expect(StateKey.earlier == JSONReader.code("earlier"))
        #expect(StateKey.ended == JSONReader.code("ended"))
        #expect(StateKey.commends == JSONReader.code("commends"))
        #expect(StateKey.basis == JSONReader.code("basis"))
        #expect(EntryKey.items == JSONReader.code("items"))
        #expect(EntryKey.closed == JSONReader.code("closed"))
        #expect(StateKey.basisNo == JSONReader.code("basisNo"))
        #expect(StateKey.basisDate == JSONReader.code("basisDate"))
        #expect(EntryKey.paused == JSONReader.code("paused"))
        #expect(EntryKey.undoes == JSONReader.code("undoes"))
        #expect(EntryKey.reminded == JSONReader.code("reminded"))
        #expect(StateKey.closed == JSONReader.code("closed"))
        #expect(StateKey.co == JSONReader.code("co"))
        #expect(StateKey.completed == JSONReader.code("completed"))
        #expect(StateKey.contact == JSONReader.code("contact"))
        #expect(StateKey.cycle == JSONReader.code("cycle"))
        #expect(StateKey.day == JSONReader.code("day"))
        #expect(StateKey.deadline == JSONReader.code("deadline"))
        #expect(StateKey.declined == JSONReader.code("declined"))
        #expect(StateKey.events == JSONReader.code("events"))
        #expect(StateKey.`extension` == JSONReader.code("extension"))
        #expect(StateKey.extensions == JSONReader.code("extensions"))
        #expect(StateKey.feedbackDays == JSONReader.code("feedbackDays"))
        #expect(StateKey.grade == JSONReader.code("grade"))
        #expect(StateKey.instruction == JSONReader.code("instruction"))
        #expect(StateKey.lead == JSONReader.code("lead"))
        #expect(StateKey.leader == JSONReader.code("leader"))
        #expect(StateKey.on == JSONReader.code("on"))
        #expect(StateKey.original == JSONReader.code("original"))
        #expect(StateKey.owner == JSONReader.code("owner"))
        #expect(StateKey.phone == JSONReader.code("phone"))
        #expect(StateKey.progress == JSONReader.code("progress"))
        #expect(StateKey.reason == JSONReader.code("reason"))
        #expect(StateKey.registered == JSONReader.code("registered"))
        #expect(StateKey.reported == JSONReader.code("reported"))
        #expect(StateKey.resumeTo == JSONReader.code("resumeTo"))
        #expect(StateKey.returns == JSONReader.code("returns"))
        #expect(StateKey.signed == JSONReader.code("signed"))
        #expect(StateKey.source == JSONReader.code("source"))
        #expect(StateKey.state == JSONReader.code("state"))
        #expect(StateKey.text == JSONReader.code("text"))
        #expect(StateKey.title == JSONReader.code("title"))
        #expect(StateKey.to == JSONReader.code("to"))
        #expect(StateKey.unit == JSONReader.code("unit"))
        #expect(StateKey.urgency == JSONReader.code("urgency"))
        #expect(EntryKey.seq == JSONReader.code("seq"))
        #expect(EntryKey.at == JSONReader.code("at"))
        #expect(EntryKey.by == JSONReader.code("by"))
        #expect(EntryKey.unit == JSONReader.code("unit"))
        #expect(EntryKey.proxy == JSONReader.code("proxy"))
        #expect(EntryKey.prev == JSONReader.code("prev"))
        #expect(EntryKey.on == JSONReader.code("on"))
        #expect(EntryKey.year == JSONReader.code("year"))
        #expect(EntryKey.holidays == JSONReader.code("holidays"))
        #expect(EntryKey.workdays == JSONReader.code("workdays"))
        #expect(EntryKey.`do` == JSONReader.code("do"))
        #expect(EntryKey.item == JSONReader.code("item"))
        #expect(EntryKey.settings == JSONReader.code("settings"))
        #expect(EntryKey.co == JSONReader.code("co"))
        #expect(EntryKey.sources == JSONReader.code("sources"))
        #expect(EntryKey.serial == JSONReader.code("serial"))
        #expect(EntryKey.overdue == JSONReader.code("overdue"))
        #expect(EntryKey.changes == JSONReader.code("changes"))
        #expect(EntryKey.field == JSONReader.code("field"))
        #expect(EntryKey.old == JSONReader.code("old"))
        #expect(EntryKey.new == JSONReader.code("new"))
        #expect(EntryKey.uid == JSONReader.code("uid"))
        // Reading a key gives its code, escaped or not.
        let codes = try? JSONReader.read(Array(#"{"title":1,"\u0074itle":2}"#.utf8)) { (r: inout JSONReader) throws(JSONError) in
            try r.beginObject()
            var out: [UInt64] = []
            while let k = try r.nextKeyCode() {
                out.append(k)
                _ = try r.readInt()
            }
            return out
        }
        #expect(codes == [StateKey.title, StateKey.title])
    }

    @Test func utf8CheckAgreesWithTheStandardLibrary() {
        var random = SystemRandomNumberGenerator()
        // Every one- and two-byte sequence, then random runs biased towards multibyte forms.
        var samples: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for a in 0xC0...0xF7 { for b in 0x70...0xC0 { samples.append([UInt8(a), UInt8(b)]) } }
        let pieces: [[UInt8]] = [
            [0x41], [0xE4, 0xB8, 0xAD], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xC2], [0x80], [0xEF, 0xBF, 0xBD], [0xF0, 0x90], [0xC3, 0xA9],
        ]
        for _ in 0..<20_000 {
            var s: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &random) { s += pieces.randomElement(using: &random)! }
            samples.append(s)
        }
        for s in samples {
            let ours = s.withUnsafeBufferPointer { UTF8Check.isValid($0) }
            #expect(s.withUnsafeBufferPointer { UTF8Check.string($0) != nil } == ours)
            #expect(ours == (String(validating: s, as: UTF8.self) != nil), "\(s.map { String($0, radix: 16) })")
        }
    }
}
