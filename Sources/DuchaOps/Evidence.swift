import DuchaCore
import DuchaStore

/// A file a person gives as evidence (佐证材料): the name it had (a path typed is cut to its
/// last part) and its bytes, read with the person's own rights by the front end.
public struct AttachedFile: Sendable, Equatable {
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    /// The record it makes: its SHA-256, cleaned name, size and type, with `note`.
    public func attachment(note: String) -> Evidence {
        let clean = Evidence.cleanName(name)
        return Evidence(
            sha256: AttachmentFiles.hash(bytes), name: clean, size: bytes.count,
            type: EvidenceType.detect(name: clean, head: bytes.prefix(8)), note: note.trimmingSpaces)
    }
}

extension Plan {
    /// The request the files come with (a feedback, a completion report), then one 佐证材料
    /// record per file, all in the name of the same unit.
    static func attachments(
        _ ref: ItemReference, _ files: [AttachedFile], note: String, forUnit: String?, with request: ItemRequest?
    ) throws(CoreError) -> [Command] {
        guard !files.isEmpty else { throw .invalidField("佐证材料", "没有指定文件") }
        var commands: [Command] = request.map { [.act(ref, $0, forUnit: forUnit)] } ?? []
        var seen = Set<String>()
        for f in files {
            let a = f.attachment(note: note)
            guard seen.insert(a.sha256).inserted else {
                throw .invalidField("佐证材料", "文件“\(a.name.sanitized())”重复指定（内容相同）")
            }
            commands.append(.act(ref, .action(.attach(a)), forUnit: forUnit))
        }
        return commands
    }
}

extension Operations {
    /// Keeps the files in the store and records the request they come with and one record per
    /// file, in one commit. Who may, on which item and in which state is judged before any file
    /// is kept; nothing is recorded when anything is refused.
    func runAttach(_ operation: Operation, reportedOn: Day?) throws(StoreError) -> Outcome {
        guard case .attach(_, let files, _, _, let request) = operation else { return Outcome(entries: [], summary: "没有改动") }
        guard reportedOn == nil else {
            throw .refused(.invalidField("报送日期", "佐证材料不能按报送日期补录（--on），请按上传当天录入"))
        }
        guard let kept = store as? AttachmentStore else {
            throw .refused(.notAllowedNow("这种台账存储不能保存佐证材料"))
        }
        var commands: [Command]
        do throws(CoreError) {
            let actor = try actor()
            commands = try Plan.commands(operation, ledger: ledger, calendar: calendar, today: today, actor: actor)
            // The office recording a unit's feedback records its files in the unit's name too.
            if case .attach(let ref, _, let note, nil, let request?) = operation, let first = commands.first {
                let d = try Workflow.decide(first, by: actor, in: ledger, today: today)
                if d.proxy, let unit = d.unit {
                    commands = try Plan.commands(
                        .attach(ref, files, note: note, forUnit: unit, with: request), ledger: ledger, calendar: calendar,
                        today: today, actor: actor)
                }
            }
            for c in commands { _ = try Workflow.decide(c, by: actor, in: ledger, today: today) }
        } catch {
            throw .refused(error)
        }
        for f in files {
            let sha = try kept.storeAttachment(f.bytes)
            guard sha == AttachmentFiles.hash(f.bytes) else { throw .badDataFile(f.name, "保存后的校验码不符") }
        }
        let entries = try store.commitAll(commands, login: login, uid: uid, clock: clock)
        let attached = entries.compactMap { e -> Evidence? in
            if case .attach(let a)? = e.itemAction { return a }
            return nil
        }
        let names = attached.map(\.name).joined(separator: "、")
        guard request != nil, let first = commands.first else {
            let n = entries.last?.item
            var done =
                "已为 \(n.flatMap { ledger.item($0)?.shownNumber } ?? n?.description ?? "") 上传佐证材料 \(attached.count) 件：\(names)"
            if let e = entries.last, e.proxy, let u = e.unit { done += "（代 \(u) 录入）" }
            return Outcome(entries: entries, summary: done)
        }
        let done = entries.filter { if case .attach? = $0.itemAction { false } else { true } }
        return Outcome(
            entries: entries,
            summary: Operations.summary(of: first, done, in: ledger) + "；附佐证材料 \(attached.count) 件：\(names)")
    }
}
