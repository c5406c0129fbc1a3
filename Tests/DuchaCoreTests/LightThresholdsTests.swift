import DuchaCore
import DuchaTestSupport
import Testing

/// The thresholds a database selects lights by are `StatusEvaluator`'s rule turned around: on
/// every day they must say what the evaluator says.
@Suite struct LightThresholdsTests {
    /// A small deterministic generator (the same items on every run).
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func maybe(_ d: Day, within days: Int) -> Day? { next(3) == 0 ? nil : d.adding(days: next(2 * days) - days) }
    }

    func randomFacts(_ r: inout Random) -> StatusEvaluator.Facts {
        let states: [ItemState] = [.pending, .active, .review, .closed, .withdrawn, .suspended]
        let state = states[r.next(states.count)]
        let assigned = Fixtures.day("2026-01-05").adding(days: r.next(600))
        let deadline = assigned.adding(days: r.next(90))
        let cycles: [FeedbackCycle?] = [nil, .weekly(weekday: 1 + r.next(7)), .monthly(day: 1 + r.next(31)), .quarterly(day: 20)]
        var feedback: [Day] = []
        for _ in 0..<r.next(4) { feedback.append(assigned.adding(days: r.next(120))) }
        feedback.sort()
        let closedOn = state == .closed ? deadline.adding(days: r.next(30) - 15) : nil
        return StatusEvaluator.Facts(
            state: state, deadline: deadline, assignedOn: assigned,
            completedOn: state == .closed && r.next(2) == 0 ? closedOn?.adding(days: -r.next(5)) : nil, closedOn: closedOn,
            completionRequestedOn: state == .review ? r.maybe(deadline, within: 10) : nil, declinePending: r.next(4) == 0,
            extensionsApproved: r.next(4), feedbackCycle: cycles[r.next(cycles.count)], feedbackDays: feedback,
            isSplit: r.next(12) == 0)
    }

    @Test(arguments: [
        (Settings(), Fixtures.calendar), (Settings(dueSoonWorkdays: 0, signWithinWorkdays: 0), Fixtures.calendar),
        (Settings(dueSoonWorkdays: 7, signWithinWorkdays: 3), WorkCalendar.weekendsOnly),
    ])
    func thresholdsSayWhatTheEvaluatorSaysOnEveryDay(_ settings: Settings, _ calendar: WorkCalendar) {
        var r = Random(state: 20_261_130)
        var lights: [Light: Int] = [:]
        var marks = (sign: 0, feedback: 0)
        for _ in 0..<600 {
            let facts = randomFacts(&r)
            let t = LightThresholds(facts, calendar: calendar, settings: settings)
            // Every day from well before the assignment to well after the deadline.
            var day = Fixtures.day("2025-12-01")
            while day <= Fixtures.day("2027-12-31") {
                let s = StatusEvaluator(today: day, calendar: calendar, settings: settings).status(facts)
                #expect(t.light(on: day) == s.light, "\(facts) on \(day)")
                #expect(t.signOverdue(on: day) == s.signOverdue, "\(facts) on \(day)")
                #expect(t.feedbackOverdue(on: day) == s.feedbackOverdue, "\(facts) on \(day)")
                if s.light == .closedLate { #expect(t.lateDays == s.overdueDays) }
                lights[s.light, default: 0] += 1
                if s.signOverdue { marks.sign += 1 }
                if s.feedbackOverdue { marks.feedback += 1 }
                day = day.adding(days: r.next(9) + 1)
            }
        }
        // The random items reach every light and both marks.
        #expect(Set(lights.keys) == Set(Light.allCases))
        #expect(marks.sign > 0 && marks.feedback > 0)
    }

    @Test func theFingerprintChangesWithTheCalendarAndTheSettingsItReads() {
        let base = LightThresholds.fingerprint(calendar: Fixtures.calendar, settings: Settings())
        #expect(base == LightThresholds.fingerprint(calendar: Fixtures.calendar, settings: Settings()))
        #expect(base != LightThresholds.fingerprint(calendar: .weekendsOnly, settings: Settings()))
        #expect(base != LightThresholds.fingerprint(calendar: Fixtures.calendar, settings: Settings(dueSoonWorkdays: 5)))
        #expect(base != LightThresholds.fingerprint(calendar: Fixtures.calendar, settings: Settings(signWithinWorkdays: 2)))
    }
}
