/// Builds a realistic demo ledger relative to a day: about forty items across every source and
/// state — some closed on time, some closed late, some overdue and reminded, some due soon,
/// returned, extended, declined, withdrawn, suspended. Every action goes through `Workflow`
/// on the day it happens, so the demo obeys the same rules as real use; as in an office, that
/// day is a working day, and so is every day an item is assigned or due.
public struct DemoBuilder {
    public enum Plot: CaseIterable, Sendable {
        case closedOnTime, closedLate, closedAfterReturn
        case overdue, overdueSilent, overdueReturnedTwice
        case dueSoon, dueToday, normal
        case pendingNew, pendingSignOverdue, declined
        case review, reviewLate
        case extensionPending, extensionApproved, extensionDenied
        case withdrawn, suspended
    }

    /// The plot of each template, in order; cycles when there are more templates.
    public static let plan: [Plot] = [
        .overdue, .normal, .closedOnTime, .dueSoon, .overdueSilent, .extensionApproved, .closedLate, .review,
        .pendingNew, .closedOnTime, .overdue, .dueToday, .declined, .closedAfterReturn, .overdueReturnedTwice, .normal,
        .closedOnTime, .pendingSignOverdue, .overdue, .closedLate, .dueSoon, .extensionPending, .withdrawn, .closedOnTime,
        .overdue, .normal, .reviewLate, .closedOnTime, .dueSoon, .suspended, .overdueSilent, .extensionDenied,
        .closedLate, .pendingSignOverdue, .normal, .overdue, .dueSoon, .closedOnTime, .normal, .review, .extensionApproved,
        .pendingNew,
    ]

    let scenario: DemoScenario
    let today: Day
    let calendar: WorkCalendar
    /// The last working day on or before `today`: records end there.
    let lastWorkday: Day
    let supervisor: String
    var random: SplitMix
    var events: [Event] = []

    struct Event {
        var at: Timestamp
        var order: Int
        var login: String
        var forUnit: String?
        /// The registration, or the title of the item the request is about.
        var registration: Registration?
        var title: String
        var request: ItemRequest?
    }

    /// Builds the ledger. `supervisor` is the login of the person running the demo, who becomes
    /// the office's user in the demo roster.
    public static func build(
        _ scenario: DemoScenario, settings: Settings, today: Day, calendar: WorkCalendar, supervisor: String
    )
        throws(CoreError) -> Ledger
    {
        var b = DemoBuilder(
            scenario: scenario, today: today, calendar: calendar,
            lastWorkday: DemoBuilder.isWorkday(today, calendar) ? today : DemoBuilder.previousWorkday(before: today, calendar),
            supervisor: supervisor, random: SplitMix(seed: 2026))
        return try b.run(settings: settings)
    }

    mutating func run(settings: Settings) throws(CoreError) -> Ledger {
        for (i, t) in scenario.items.enumerated() {
            plan(t, DemoBuilder.plan[i % DemoBuilder.plan.count], index: i)
        }
        events.sort { ($0.at, $0.order) < ($1.at, $1.order) }
        let start = previousWorkday(before: events.first?.at.day ?? today)
        var ledger = Ledger()
        var s = settings
        s.testClock = true  // dated relative to its today, whatever the clock says: a demo ledger
        if !scenario.office.isEmpty { s.officeName = scenario.office }
        var seq = 0
        func record(
            _ change: Change, _ at: Timestamp, _ login: String, unit: String? = nil, proxy: Bool = false
        ) throws(CoreError) {
            seq += 1
            try ledger.apply(Entry(seq: seq, at: at, actor: login, unit: unit, proxy: proxy, change: change))
        }
        let setup = Timestamp(day: start, hour: 8, minute: 30)
        try record(.initialize(s), setup, supervisor)
        for u in scenario.units { try record(.addUnit(u.unit), setup, supervisor) }
        try record(.addUser(User(login: supervisor, role: .supervisor, name: "督查室")), setup, supervisor)
        for u in scenario.units {
            if let login = u.login, login != supervisor {
                try record(.addUser(User(login: login, role: .unit, unit: u.unit.name, name: u.unit.contact)), setup, supervisor)
            }
        }
        for l in scenario.leaders where l.login != supervisor { try record(.addUser(l), setup, supervisor) }
        var numbers: [String: ItemNumber] = [:]
        for e in events {
            let actor = try ledger.actor(login: e.login)
            let command: Command
            if let r = e.registration {
                command = .register(r)
            } else if let request = e.request, let n = numbers[e.title] {
                let ref = ItemReference(n)
                command = .act(ref, request, forUnit: actor.role == .supervisor ? e.forUnit : nil)
            } else {
                throw .inconsistent("演示数据中“\(e.title)”的操作早于立项")
            }
            let d = try Workflow.decide(command, by: actor, in: ledger, today: e.at.day)
            for c in d.changes {
                if case .item(let n, .register) = c { numbers[e.title] = n }
                try record(c, e.at, e.login, unit: d.unit, proxy: d.proxy)
            }
        }
        return ledger
    }

    // MARK: Plots

    mutating func plan(_ t: DemoScenario.ItemTemplate, _ plot: Plot, index: Int) {
        let limit = t.source == "人大代表建议" || t.source == "政协委员提案" ? 0 : [Urgency.critical: 1, .urgent: 3, .normal: 15][t.urgency]!
        func assigned(forDeadline d: Day) -> Day {
            let a = limit == 0 ? d.adding(months: -3) : workdays(-limit, from: d)
            return min(a, today)
        }
        var deadline: Day
        switch plot {
        case .closedOnTime, .closedLate, .closedAfterReturn: deadline = today.adding(days: -(12 + random.next(40)))
        case .overdue, .overdueSilent, .overdueReturnedTwice: deadline = today.adding(days: -(3 + random.next(35)))
        case .dueSoon, .extensionPending: deadline = workdays(1 + random.next(3), from: today)
        case .dueToday: deadline = today
        case .normal, .extensionDenied, .withdrawn, .suspended: deadline = workdays(8 + random.next(30), from: today)
        case .pendingNew, .declined, .pendingSignOverdue: deadline = workdays(max(limit, 4) + 8, from: today)
        case .review: deadline = workdays(2 + random.next(6), from: today)
        case .reviewLate: deadline = today.adding(days: -(4 + random.next(6)))
        case .extensionApproved: deadline = today.adding(days: -(2 + random.next(4)))
        }
        // A deadline falls on a working day: one past moves back (it stays past), one due
        // today moves on to the next working day when today is a day off.
        deadline = plot == .dueToday ? workday(onOrAfter: deadline) : previousWorkday(before: deadline.adding(days: 1))
        var a = assigned(forDeadline: deadline)
        switch plot {
        case .pendingNew: a = previousWorkday(before: today.adding(days: 1))
        case .declined: a = workdays(-1, from: today)
        case .pendingSignOverdue: a = workdays(-(3 + random.next(3)), from: today)
        case .withdrawn, .suspended, .normal, .extensionDenied, .review:
            a = min(a, workdays(-(6 + random.next(10)), from: today))
        default: break
        }
        a = previousWorkday(before: a.adding(days: 1))
        if deadline < a { deadline = workdays(1, from: a) }
        let lead = t.lead
        let key = index
        // Phrases about deputies' replies only suit NPC suggestions and CPPCC proposals.
        let deputies = t.source == "人大代表建议" || t.source == "政协委员提案"
        let suits: (String) -> Bool = { deputies || !$0.contains("代表") }
        var scenario = self.scenario
        scenario.feedback = scenario.feedback.filter(suits)
        scenario.reports = scenario.reports.filter(suits)
        var step = 0
        // Times rise with each step of one item, so its events keep their order within a day.
        let base = 9 * 60 + (key * 37) % 180
        func at(_ d: Day) -> Timestamp {
            step += 1
            return Timestamp(day: d, secondOfDay: (base + step * 9) * 60 + key % 60)
        }
        let register = Registration(
            title: t.title, instruction: t.instruction, source: t.source, leader: t.leader, leadUnit: lead, coUnits: t.co,
            assignedOn: a, deadline: deadline, urgency: t.urgency, feedbackCycle: t.cycle)
        add(at(a), supervisor, nil, t.title, registration: register)

        // The item's number is only known once all events are ordered; refer to it by title.
        func act(_ day: Day, _ request: ItemRequest, as unit: String? = nil, office: Bool = false) {
            let u = unit ?? lead
            let login = office ? supervisor : (loginOf(u) ?? supervisor)
            add(at(day), login, office ? nil : u, t.title, request: request)
        }
        func feedback(_ day: Day, _ n: Int, unit: String? = nil) {
            act(day, .action(.feedback(text: pick(scenario.feedback, n))), as: unit)
        }
        let signDay = min(workdays(1, from: a), today)

        switch plot {
        case .pendingNew, .pendingSignOverdue:
            if plot == .pendingSignOverdue { act(today, .action(.remind(method: .phone, note: "电话提醒尽快签收。")), office: true) }
        case .declined:
            act(today, .action(.decline(reason: pick(scenario.declineReasons, key))))
        default:
            act(signDay, .action(.sign))
        }
        let span = max(1, signDay.days(to: min(today, deadline)))
        switch plot {
        case .closedOnTime, .closedLate, .closedAfterReturn:
            feedback(signDay.adding(days: span / 3), key)
            if let co = t.co.first { feedback(signDay.adding(days: span / 2), key + 1, unit: co) }
            let request = plot == .closedLate ? deadline.adding(days: 2 + random.next(6)) : deadline.adding(days: -random.next(3))
            var r = max(request, signDay)
            if plot == .closedAfterReturn {
                act(r, .action(.requestCompletion(report: pick(scenario.reports, key))))
                r = min(r.adding(days: 1), today)
                act(r, .action(.returnCompletion(reason: pick(scenario.returnReasons, key))), office: true)
                r = min(r.adding(days: 1), today)
            }
            if plot == .closedLate {
                act(
                    deadline.adding(days: 1), .action(.remind(method: .letter, note: pick(scenario.reminderNotes, key))),
                    office: true)
            }
            act(r, .action(.requestCompletion(report: pick(scenario.reports, key + 1))))
            act(
                min(r.adding(days: 1 + random.next(3)), today),
                .action(.approveCompletion(grade: [.excellent, .good, .pass][key % 3], note: "")), office: true)
        case .overdue:
            feedback(signDay.adding(days: span / 2), key)
            act(deadline.adding(days: 1), .action(.remind(method: .phone, note: pick(scenario.reminderNotes, key))), office: true)
            if today.days(to: deadline) < -7 {
                act(
                    deadline.adding(days: 6), .action(.remind(method: .letter, note: pick(scenario.reminderNotes, key + 1))),
                    office: true)
                feedback(deadline.adding(days: 7), key + 8)
            }
            if key % 2 == 0, let leader = scenario.leaders.first {
                add(at(today), leader.login, nil, t.title, request: .action(.comment(text: pick(scenario.comments, key))))
            }
        case .overdueSilent:
            act(deadline.adding(days: 1), .action(.remind(method: .phone, note: pick(scenario.reminderNotes, key))), office: true)
        case .overdueReturnedTwice:
            var d = max(deadline.adding(days: -4), signDay)
            for k in 0..<2 {
                act(d, .action(.requestCompletion(report: pick(scenario.reports, key + k))))
                d = min(d.adding(days: 1), today)
                act(d, .action(.returnCompletion(reason: pick(scenario.returnReasons, key + k))), office: true)
            }
            act(
                min(deadline.adding(days: 2), today),
                .action(.remind(method: .meeting, note: pick(scenario.reminderNotes, key + 2))), office: true)
        case .dueSoon, .dueToday, .normal:
            feedback(signDay.adding(days: max(0, span / 2)), key)
            if let co = t.co.last, plot == .normal { feedback(min(signDay.adding(days: span / 2 + 1), today), key + 3, unit: co) }
        case .review:
            feedback(signDay.adding(days: 1), key)
            act(max(today.adding(days: -1), signDay), .action(.requestCompletion(report: pick(scenario.reports, key))))
        case .reviewLate:
            feedback(signDay.adding(days: 1), key)
            act(today.adding(days: -2), .action(.requestCompletion(report: pick(scenario.reports, key))))
        case .extensionPending:
            feedback(signDay, key)
            act(today, .action(.requestExtension(to: workdays(10, from: deadline), reason: pick(scenario.extensionReasons, key))))
        case .extensionApproved:
            let ask = max(workdays(-2, from: deadline), signDay)
            act(ask, .action(.requestExtension(to: workdays(12, from: today), reason: pick(scenario.extensionReasons, key))))
            act(min(ask.adding(days: 1), today), .approveExtension(to: nil, note: "同意延期，请抓紧办理。"), office: true)
            feedback(today, key)
        case .extensionDenied:
            let ask = max(today.adding(days: -3), signDay)
            act(ask, .action(.requestExtension(to: workdays(20, from: deadline), reason: pick(scenario.extensionReasons, key))))
            act(min(ask.adding(days: 1), today), .action(.denyExtension(reason: "时限内能够完成，不同意延期。")), office: true)
        case .withdrawn:
            feedback(signDay, key)
            act(today.adding(days: -2), .action(.withdraw(reason: scenario.withdrawReason)), office: true)
        case .suspended:
            feedback(signDay, key)
            act(today.adding(days: -3), .action(.suspend(reason: scenario.suspendReason)), office: true)
        case .pendingNew, .pendingSignOverdue, .declined:
            break
        }
    }

    mutating func add(
        _ at: Timestamp, _ login: String, _ forUnit: String?, _ title: String, registration: Registration? = nil,
        request: ItemRequest? = nil
    ) {
        // Records are made on working days, none after the last one: a day off moves on to the
        // next working day, which keeps each item's events in order.
        var at = at
        let day = min(workday(onOrAfter: at.day), lastWorkday)
        if day != at.day { at = Timestamp(day: day, secondOfDay: at.secondOfDay) }
        events.append(
            Event(
                at: at, order: events.count, login: login, forUnit: forUnit, registration: registration, title: title,
                request: request))
    }

    func loginOf(_ unit: String) -> String? { scenario.units.first { $0.unit.name == unit }?.login }

    func pick(_ list: [String], _ n: Int) -> String { list[((n % list.count) + list.count) % list.count] }

    func workdays(_ n: Int, from d: Day) -> Day {
        var day = d
        var left = abs(n)
        while left > 0 {
            day = day.adding(days: n > 0 ? 1 : -1)
            if DemoBuilder.isWorkday(day, calendar) { left -= 1 }
        }
        return day
    }

    func previousWorkday(before d: Day) -> Day { DemoBuilder.previousWorkday(before: d, calendar) }

    static func previousWorkday(before d: Day, _ calendar: WorkCalendar) -> Day {
        var day = d.adding(days: -1)
        while !isWorkday(day, calendar) { day = day.adding(days: -1) }
        return day
    }

    func workday(onOrAfter d: Day) -> Day {
        var day = d
        while !DemoBuilder.isWorkday(day, calendar) { day = day.adding(days: 1) }
        return day
    }

    /// A day the demo's deadlines and records may fall on: a working day by the calendar and,
    /// in a year whose holidays are not published yet (counted Monday to Friday), not one of
    /// the days off fixed every year — 元旦 (1 January), 劳动节 (1 May), 国庆 (1–3 October).
    static func isWorkday(_ d: Day, _ calendar: WorkCalendar) -> Bool {
        guard calendar.isWorkday(d) else { return false }
        guard !calendar.hasTable(for: d.year) else { return true }
        return !((d.month == 1 && d.day == 1) || (d.month == 5 && d.day == 1) || (d.month == 10 && d.day <= 3))
    }
}

/// A small deterministic generator so the demo depends only on the day it is built for.
public struct SplitMix {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
