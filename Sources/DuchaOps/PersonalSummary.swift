import DuchaCore

/// What is waiting for one person, in a few lines: a unit's 待签收、临期、逾期、应反馈 (items it
/// leads; 临期 and 逾期 also those it co-handles), the office's 待审核 and 待审批 besides the
/// lights. Empty when nothing is pending.
public struct PersonalSummary: Sendable, Equatable {
    /// Whose figures: the unit's name, or the office's.
    public var whose: String
    /// Counts by name, in the order they are printed; only those above zero.
    public var counts: [(name: String, count: Int)]

    public var isEmpty: Bool { counts.isEmpty }

    public static func == (a: PersonalSummary, b: PersonalSummary) -> Bool {
        a.whose == b.whose && a.counts.map(\.name) == b.counts.map(\.name) && a.counts.map(\.count) == b.counts.map(\.count)
    }

    /// ducha：县交通局 待签收 1 件、临期 2 件、逾期 1 件、应反馈 1 件（运行 ducha 查看）
    public var lines: [String] {
        guard !isEmpty else { return [] }
        return [
            "督查督办（\(whose)）：" + counts.map { "\($0.name) \($0.count) 件" }.joined(separator: "、") + "。",
            "运行 ducha 查看和办理。",
        ]
    }
}

extension Operations {
    /// The person's own summary (`ducha summary --me`): nil when they are not in the roster.
    public func personalSummary() -> PersonalSummary? {
        guard let actor = try? actor() else { return nil }
        let evaluator = self.evaluator
        var toSign = 0
        var dueSoon = 0
        var overdue = 0
        var feedback = 0
        var review = 0
        var decide = 0
        // A database is read a batch of states at a time; what cannot be read says nothing.
        let read: ()? = try? store.forEachVisibleBatch(actor) { items in
            for item in items where item.state.isOpen {
                let status = evaluator.status(of: item)
                let leads = actor.role != .unit || item.leadUnit == actor.unit
                if status.light == .yellow { dueSoon += 1 }
                if status.light == .red { overdue += 1 }
                switch actor.role {
                case .unit:
                    guard leads else { continue }
                    if item.state == .pending, item.pendingDecline == nil { toSign += 1 }
                    if let next = status.nextFeedback, next <= today { feedback += 1 }
                case .supervisor:
                    if item.state == .review { review += 1 }
                    if item.pendingExtension != nil || item.pendingDecline != nil { decide += 1 }
                case .leader:
                    break
                }
            }
        }
        guard read != nil else { return nil }
        let whose: String
        var counts: [(String, Int)]
        switch actor.role {
        case .unit:
            whose = actor.unit ?? ""
            counts = [("待签收", toSign), ("临期", dueSoon), ("逾期", overdue), ("应反馈", feedback)]
        case .supervisor:
            whose = ledger.settings.officeName
            counts = [("待审核", review), ("待审批", decide), ("临期", dueSoon), ("逾期", overdue)]
        case .leader:
            whose = "全县"
            counts = [("临期", dueSoon), ("逾期", overdue)]
        }
        return PersonalSummary(whose: whose, counts: counts.filter { $0.1 > 0 }.map { (name: $0.0, count: $0.1) })
    }
}
