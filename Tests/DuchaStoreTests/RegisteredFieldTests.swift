import DuchaTestSupport
import Testing

@testable import DuchaCore
@testable import DuchaStore

/// The list of an item's registered fields (`RegisteredField.all`): it covers `Registration`,
/// and every field on it — set to a value other than the default, when registering and by an
/// edit — survives each file and table that carries items. A field added to the list but not to
/// one of them fails here.
@Suite struct RegisteredFieldTests {
    static let today = "2026-11-02"
    static let base = Registration(
        title: "路灯整改", source: "领导批示", leadUnit: "县财政局", assignedOn: Fixtures.day("2026-11-02"),
        deadline: Fixtures.day("2026-11-30"), basis: "县委常委会第5次会议")
    /// For each field, a value that differs from `base`'s and that the workflow accepts.
    static let samples: [String: String] = [
        "title": "停车治理专项行动", "instruction": "第一行\n第二行", "source": "上级交办", "leader": "李明远", "lead": "县教育局",
        "co": "县发改局、城关镇", "owner": "谢志强", "contact": "罗丹", "phone": "0731-5521102", "assigned": "2026-11-01",
        "deadline": "2026-12-15", "urgency": "急", "cycle": "每月25日", "basis": "县政府第12次常务会议", "basisNo": "〔2026〕12号",
        "basisDate": "2026-10-20",
    ]

    func sample(_ f: RegisteredField) throws -> String {
        try #require(Self.samples[f.key], "登记字段“\(f.key)”没有样例值：请在 samples 中加一个")
    }

    func ledger() throws -> LedgerBuilder {
        var b = LedgerBuilder(today: Self.today)
        try b.units("县财政局", "县教育局", "县发改局", "城关镇")
        return b
    }

    @Test func theListCoversRegistrationOnceAndNamesEveryEditableField() throws {
        let properties = Mirror(reflecting: Self.base).children.compactMap(\.label)
        let before = Mirror(reflecting: Self.base).children.map { String(describing: $0.value) }
        var changed: [String] = []
        for f in RegisteredField.all {
            let s = try sample(f)
            var r = Self.base
            #expect(f.text(of: Self.base) != s, "\(f.key)")
            #expect(f.set(s, in: &r), "\(f.key)")
            #expect(f.text(of: r) == s, "\(f.key)")
            let after = Mirror(reflecting: r).children.map { String(describing: $0.value) }
            let differ = zip(properties, zip(before, after)).filter { $0.1.0 != $0.1.1 }.map(\.0)
            #expect(differ.count == 1, "\(f.key) 改动了 \(differ)")
            changed += differ
        }
        // Every property of Registration is in the list, once.
        #expect(changed.sorted() == properties.sorted())
        #expect(Set(RegisteredField.all.map(\.key)).count == RegisteredField.all.count)
        #expect(Set(RegisteredField.all.map(\.label)).count == RegisteredField.all.count)
        for field in ItemField.allCases {
            #expect(RegisteredField.of(field).key == field.rawValue)
            #expect(field.label == RegisteredField.of(field).label)
        }
        #expect(RegisteredField.all.compactMap(\.editable).count == ItemField.allCases.count)
        // A text that is no value is refused, and nothing is set.
        for f in RegisteredField.all where f.key == "deadline" || f.key == "urgency" || f.key == "cycle" || f.key == "basisDate" {
            var r = Self.base
            #expect(!f.set("不是值", in: &r), "\(f.key)")
            #expect(r == Self.base)
        }
    }

    @Test(arguments: RegisteredField.all.map(\.key))
    func eachFieldSurvivesEveryFileAndTable(key: String) throws {
        let f = try #require(RegisteredField.all.first { $0.key == key })
        let s = try sample(f)
        var ways: [(String, LedgerBuilder, ItemNumber)] = []
        var r = Self.base
        #expect(f.set(s, in: &r))
        var registered = try ledger()
        let n = try #require(try registered.run(.register(r)).last?.item)
        ways.append(("立项", registered, n))
        if let field = f.editable {
            var edited = try ledger()
            let m = try #require(try edited.run(.register(Self.base)).last?.item)
            try edited.act(m, ItemRequest.edit([FieldValue(field, s)], reason: "更正"))
            ways.append(("修改", edited, m))
        }
        for (way, b, n) in ways {
            let item = b.item(n)
            #expect(f.text(of: item.registration) == s, "\(way)")
            #expect(item.registration != Self.base, "\(way)")
            let entries = try #require(LedgerExport.entries(of: b.ledger))
            // The journal: every record written as a line and read back.
            let lines = try entries.map { e in try EntryCodec.decodeLine(EntryCodec.line(e)) }
            #expect(lines == entries, "\(way)：日志")
            #expect(try LedgerExport.fold(lines).item(n)?.registration == item.registration, "\(way)：日志")
            // The snapshot, read whole and for its states only.
            let snapshot = SnapshotCodec.encode(b.ledger)
            for mode in [SnapshotCodec.Mode.full, .summary] {
                let got = try #require(try SnapshotCodec.decode(snapshot, path: "ducha.json", mode: mode).item(n))
                #expect(got.sameState(as: item), "\(way)：快照 \(mode)")
                #expect(f.text(of: got.registration) == s, "\(way)：快照 \(mode)")
            }
            // The whole-ledger export, and the ledger its records rebuild.
            let exported = try LedgerExport.read(LedgerExport.json(b.ledger, entries: entries))
            #expect(exported == entries, "\(way)：导出整个台账")
            #expect(try LedgerExport.fold(exported).item(n)?.registration == item.registration, "\(way)：导出整个台账")
            // The ledger table: exported, then imported into a ledger with the same units.
            let evaluator = StatusEvaluator(today: b.today, calendar: Fixtures.calendar, settings: b.ledger.settings)
            let row = LedgerTable.row(item, evaluator)
            let column = try #require(LedgerTable.columns.firstIndex(of: f.label), "台账没有“\(f.label)”列")
            #expect(row[column] == s, "\(way)：台账")
            let plan = LedgerImport.plan(
                header: LedgerTable.columns, rows: [LedgerImport.Row(line: 2, cells: row)], ledger: try ledger().ledger,
                actor: .supervisor("clerk"), today: b.today, calendar: Fixtures.calendar, createUnits: false)
            switch plan {
            case .success(let p):
                let back = try #require(p.understood.first).registration
                #expect(f.text(of: back) == s, "\(way)：导入台账")
                #expect(back == item.registration, "\(way)：导入台账")
            case .failure(let problems):
                Issue.record("\(way)：导入台账失败 \(problems.list.map(\.description))")
            }
        }
    }
}
