import DuchaCore
import DuchaStore
import DuchaTestSupport
import Testing

/// What the interface offers (`Workflow.available`, judged on role, state and situation) is
/// what the workflow then accepts: for every operation, every demo item and every kind of
/// user, a real request with good values is accepted exactly when the operation is offered.
@Suite struct AvailabilityTests {
    static let today = Fixtures.day("2026-11-21")
    static let ledger = try! DemoBuilder.build(
        DataDirectory(path: Fixtures.dataPath).demo(), settings: DataDirectory(path: Fixtures.dataPath).settings(), today: today,
        calendar: Fixtures.calendar, supervisor: "clerk")

    /// A request a careful user would make for `operation` on `item`.
    func request(_ operation: ItemOperation, _ item: Item) -> ItemRequest {
        let calendar = Fixtures.calendar
        switch operation {
        case .sign: return .action(.sign)
        case .decline: return .action(.decline(reason: "不属本单位职责"))
        case .feedback: return .action(.feedback(text: "已完成初稿"))
        case .extend: return .action(.requestExtension(to: item.deadline.adding(days: 10), reason: "需常委会审定"))
        case .complete: return .action(.requestCompletion(report: "已办结"))
        case .review:
            return item.pendingExtension != nil
                ? .approveExtension(to: nil, note: "") : .action(.approveCompletion(grade: nil, note: ""))
        case .remind: return .action(.remind(method: .phone, note: ""))
        case .comment: return .action(.comment(text: "请抓紧"))
        case .withdraw: return .action(.withdraw(reason: "情况变化"))
        case .suspend:
            return item.state == .suspended ? .resume(reason: "", calendar: calendar) : .action(.suspend(reason: "等待上级政策"))
        case .edit: return .edit([FieldValue(.title, item.title + "（调整）")], reason: "表述调整")
        case .reopen: return .reopen(reason: "回头看", deadline: nil, calendar: calendar)
        case .undo: return .undo
        case .attach:
            return .action(
                .attach(Evidence(sha256: String(repeating: "5e", count: 32), name: "现场照片.jpg", size: 2048, type: .jpeg)))
        }
    }

    @Test(arguments: ["clerk", "ldzhao", "cgz", "fgj", "czj"])
    func whatIsOfferedIsWhatIsAccepted(_ login: String) throws {
        let ledger = Self.ledger
        let actor = try ledger.actor(login: login)
        var offered = 0
        for item in ledger.items {
            let available = Set(Workflow.available(on: item, by: actor, in: ledger, today: Self.today))
            offered += available.count
            for op in ItemOperation.allCases {
                let ref = try ItemReference.parse(item.number.description)
                var accepted = true
                var why = ""
                do throws(CoreError) {
                    _ = try Workflow.decide(.act(ref, request(op, item)), by: actor, in: ledger, today: Self.today)
                } catch {
                    accepted = false
                    why = error.message
                }
                #expect(
                    available.contains(op) == accepted,
                    "\(login) \(op.label) \(item.number)（\(item.state.label)）：提供=\(available.contains(op))，接受=\(accepted) \(why)")
            }
        }
        #expect(offered > 0)
    }

    /// The help lists what a role may do at all: a unit its own items' actions and its own undo;
    /// a leader comments; the office everything but a unit's own steps done for it.
    @Test func whatARoleMayDoAtAll() {
        #expect(
            ItemOperation.allCases.filter { Workflow.roleMay($0, .unit) != nil } == [
                .undo, .sign, .decline, .feedback, .extend, .complete, .attach,
            ])
        #expect(ItemOperation.allCases.filter { Workflow.roleMay($0, .leader) != nil } == [.undo, .comment])
        #expect(ItemOperation.allCases.allSatisfy { Workflow.roleMay($0, .supervisor) != nil })
        #expect(Workflow.roleMay(.sign, .unit) == true && Workflow.roleMay(.feedback, .unit) == false)
        // Registering, the unit roster and issuing notices are the office's; a unit has only its
        // own 催办通知.
        let ledger = Self.ledger
        let office = try! ledger.actor(login: "clerk")
        let leader = try! ledger.actor(login: "ldzhao")
        let unit = try! ledger.actor(login: "czj")
        for right in [ReportRight.register, .manageUnits, .issueNotice, .wholeLedger, .importLedger, .recordReminders] {
            #expect(Workflow.may(right, office) && !Workflow.may(right, leader) && !Workflow.may(right, unit), "\(right)")
        }
        #expect(throws: CoreError.notPermitted("县财政局 无权立项交办：只有督查室可以立项交办")) { try Workflow.check(.register, by: unit) }
        #expect(Workflow.may(.reminders(unit: "县财政局"), unit) && !Workflow.may(.reminders(unit: "县发改局"), unit))
    }
}
