/// The whole ledger as one JSON file (`ducha export ledger --format json`, office only): the
/// settings, units with their contacts and the roster as they now stand, for a reader, then every
/// record in order, each as the journal stores it (one per line). `ducha import` of the file into
/// a repository just created rebuilds the same ledger from the records — the sections before
/// them are derived from the records and are not read back.
///
///     {"format":"ducha-ledger","version":1,"records":42,
///      "settings":{…},"units":[…],"users":[…],"entries":[
///     {"seq":1,"at":"…","by":"clerk","do":"init",…},
///     …
///     ]}
public enum LedgerExport {
    public static let format = "ducha-ledger"

    /// Every entry of a ledger read whole, in order; nil when some are missing (a ledger read
    /// only in part).
    public static func entries(of ledger: Ledger) -> [Entry]? {
        var all = ledger.log
        for item in ledger.items {
            guard item.hasFullHistory else { return nil }
            all.append(contentsOf: item.history)
        }
        all.sort { $0.seq < $1.seq }
        guard all.count == ledger.seq, all.last?.seq == ledger.seq else { return nil }
        return all
    }

    public static func json(_ ledger: Ledger, entries: [Entry]) -> [UInt8] {
        var w = JSONWriter(capacity: 1 << 16)
        w.beginObject()
        w.field("format", format)
        w.field("version", 1)
        w.field("records", entries.count)
        w.key("settings")
        EntryCodec.encode(ledger.settings, into: &w)
        w.key("units")
        w.beginArray()
        for u in ledger.units {
            w.beginObject()
            w.field("name", u.name)
            w.field("kind", u.kind.rawValue)
            w.optionalField("owner", u.owner)
            w.optionalField("contact", u.contact)
            w.optionalField("phone", u.phone)
            if u.retired { w.field("retired", true) }
            let former = ledger.formerNames.filter { $0.value == u.name }.keys.sorted()
            if !former.isEmpty { w.field("formerNames", former) }
            w.endObject()
        }
        w.endArray()
        w.key("users")
        w.beginArray()
        for u in ledger.users {
            w.beginObject()
            w.field("login", u.login)
            w.field("role", u.role.rawValue)
            w.optionalField("unitName", u.unit)
            w.optionalField("name", u.name)
            if let uid = u.uid { w.field("uid", Int(uid)) }
            w.endObject()
        }
        w.endArray()
        writeEvidence(entries, into: &w)
        w.key("entries")
        w.raw("[")
        var bytes = w.bytes
        for (i, e) in entries.enumerated() {
            var line = JSONWriter(capacity: 256)
            EntryCodec.encode(e, into: &line)
            bytes.append(contentsOf: Array((i == 0 ? "\n" : ",\n").utf8))
            bytes.append(contentsOf: line.bytes)
        }
        bytes.append(contentsOf: Array("\n]}\n".utf8))
        return escapingC1(bytes)
    }

    /// The 佐证材料 the records name, for a reader (the files themselves stay in the repository's
    /// attachments folder): item, record, SHA-256, name, size and type. Written only when there
    /// are some; not read back (the records hold the same).
    static func writeEvidence(_ entries: [Entry], into w: inout JSONWriter) {
        let evidence = entries.compactMap { e -> (Entry, Evidence)? in
            if case .attach(let a)? = e.itemAction { return (e, a) }
            return nil
        }
        guard !evidence.isEmpty else { return }
        w.key("attachments")
        w.beginArray()
        for (e, a) in evidence {
            w.beginObject()
            w.field("item", e.item?.description ?? "")
            w.field("seq", e.seq)
            w.field("sha256", a.sha256)
            w.field("name", a.name)
            w.field("size", a.size)
            w.field("type", a.type.rawValue)
            w.field("path", a.path)
            w.endObject()
        }
        w.endArray()
    }

    /// C1 control characters (U+0080–U+009F, which JSONWriter leaves as they are in the journal)
    /// written as \u0080…: the file is inert in any viewer and decodes to the same text. Their
    /// UTF-8 form (C2 80–C2 9F) occurs only inside strings, so bytes are replaced as they are.
    static func escapingC1(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.indices.dropLast().contains(where: { bytes[$0] == 0xC2 && (0x80...0x9F).contains(bytes[$0 + 1]) }) else {
            return bytes
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) {
                let h = JSONWriter.hex
                out.append(contentsOf: [
                    0x5C, UInt8(ascii: "u"), 0x30, 0x30, h[Int(bytes[i + 1] >> 4)], h[Int(bytes[i + 1] & 0xF)],
                ])
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// Whether `bytes` look like a whole-ledger export (rather than a CSV table).
    public static func looksLikeExport(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(64), as: UTF8.self)
        return head.hasPrefix("{\"format\":\"\(format)\"")
    }

    /// The records of an export, in order, read strictly.
    public static func read(_ bytes: [UInt8]) throws(JSONError) -> [Entry] {
        try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) -> [Entry] in
            try r.beginObject()
            var entries: [Entry] = []
            var count: Int? = nil
            var sawFormat = false
            while let key = try r.nextKey() {
                switch key {
                case "format":
                    guard try r.readString() == format else { throw r.error("不是 ducha 导出的整个台账") }
                    sawFormat = true
                case "version":
                    guard try r.readInt() == 1 else { throw r.error("台账文件的格式版本无法识别（请用更新的 ducha 导入）") }
                case "records": count = try r.readInt()
                case "entries":
                    try r.beginArray()
                    while try r.nextElement() { entries.append(try EntryCodec.decode(&r)) }
                default: try r.skipValue()
                }
            }
            try r.expectEnd()
            guard sawFormat else { throw r.error("不是 ducha 导出的整个台账") }
            guard count == entries.count else { throw r.error("文件应有 \(count ?? 0) 条记录，读到 \(entries.count) 条：文件不完整") }
            return entries
        }
    }

    /// The ledger the records make, each judged as `ducha check` judges it (the actor could have
    /// made it, on the ledger as it stood) and applied in order from the creation.
    public static func fold(_ entries: [Entry]) throws(CoreError) -> Ledger {
        guard let first = entries.first, case .initialize = first.change, first.seq == 1 else {
            throw .invalidField("台账文件", "第一条记录应为创建台账")
        }
        var ledger = Ledger()
        for e in entries {
            do throws(CoreError) {
                try Workflow.audit(e, in: ledger)
                try ledger.apply(e)
            } catch {
                throw .invalidField("台账文件", "第 \(e.seq) 条记录：\(error.message)")
            }
        }
        return ledger
    }
}
