import DuchaCore

/// One item's line: `{"n":number,"s":state,"e":[entries]}` (the state by `ItemStateCodec`, the
/// entries by `EntryCodec`).
extension SnapshotCodec {
    /// One item's line, without separator or newline. The item must hold its whole history.
    static func line(_ item: Item) -> [UInt8] {
        var w = JSONWriter(capacity: 1024)
        w.raw("{\"n\":")
        w.value(item.number.description)
        if let facts = ClosedFacts(item) {
            w.raw(",\"c\":")
            ItemStateCodec.encode(facts, into: &w)
        }
        w.raw(",\"s\":")
        ItemStateCodec.encode(item, into: &w)
        w.raw(",\"e\":[")
        for (j, e) in item.history.enumerated() {
            if j > 0 { w.raw(",") }
            EntryCodec.encode(e, into: &w)
        }
        w.raw("]}")
        return w.bytes
    }

    /// Decodes one item line (without separator and newline).
    static func decodeLine(_ line: Bytes, mode: Mode, pool: StringPool? = nil) throws(JSONError) -> Item {
        try JSONReader.read(line) { (r: inout JSONReader) throws(JSONError) -> Item in
            let number = try readNumber(&r)
            var facts: ClosedFacts? = nil
            var key = try r.nextKey()
            if key == "c" {
                // Read whole (check, compaction): the facts must be the state's.
                if case .full = mode {
                    facts = try ItemStateCodec.decodeClosedFacts(&r, number: number, pool: pool ?? StringPool())
                } else {
                    try r.skipValue()
                }
                key = try r.nextKey()
            }
            guard key == "s" else { throw r.error("缺少事项状态") }
            return try readItem(&r, number, mode: mode, pool: pool, facts: facts)
        }
    }

    /// What a line holds for a reader of open items: a closed item's facts alone when the
    /// line begins with them, otherwise the item's state.
    enum Decoded {
        case item(Item)
        case closed(ClosedFacts)
    }

    /// Decodes one item line's closed facts when it begins with them, otherwise its state.
    static func decodeFactsOrState(_ line: Bytes, pool: StringPool) throws(JSONError) -> Decoded {
        try JSONReader.read(line) { (r: inout JSONReader) throws(JSONError) -> Decoded in
            let number = try readNumber(&r)
            let key = try r.nextKey()
            if key == "c" { return .closed(try ItemStateCodec.decodeClosedFacts(&r, number: number, pool: pool)) }
            guard key == "s" else { throw r.error("缺少事项状态") }
            return .item(try readItem(&r, number, mode: .summary, pool: pool, facts: nil))
        }
    }

    /// The line's opening and its number.
    @inline(__always)
    static func readNumber(_ r: inout JSONReader) throws(JSONError) -> ItemNumber {
        try r.beginObject()
        guard try r.nextKey() == "n" else { throw r.error("事项行应以编号开头") }
        return try r.readItemNumber()
    }

    /// The rest of a line from its state on (the reader is past the key "s"); `facts` are
    /// those the line began with, which must be the state's.
    @inline(__always)
    static func readItem(
        _ r: inout JSONReader, _ number: ItemNumber, mode: Mode, pool: StringPool?, facts: ClosedFacts?
    ) throws(JSONError) -> Item {
        var item = try ItemStateCodec.decode(&r, number: number, pool: pool)
        if let facts, facts != ClosedFacts(item) { throw r.error("行首的办结概要与事项状态不符") }
        // A state from before reminders were counted: read its history for the count only.
        if case .summary = mode, item.reminders != nil { return item }
        guard try r.nextKey() == "e" else { throw r.error("缺少办理记录") }
        var events: [Entry] = []
        events.reserveCapacity(item.eventCount)
        try r.beginArray()
        var previous = 0
        while try r.nextElement() {
            let e = try EntryCodec.decode(&r)
            guard e.item == number else { throw r.error("记录不属于此事项") }
            guard e.seq > previous else { throw r.error("事项记录的顺序错乱") }
            previous = e.seq
            events.append(e)
        }
        if case .summary = mode {
            item.countReminders(in: events)
        } else {
            do throws(CoreError) { try item.attachHistory(events) } catch { throw r.error(error.message) }
        }
        guard try r.nextKey() == nil else { throw r.error("事项行有多余内容") }
        try r.expectEnd()
        return item
    }

    static let lineOpening: [UInt8] = Array("{\"n\":\"".utf8)

    /// The number at the start of an item line, read without parsing the rest.
    static func lineNumber(of line: Bytes) -> ItemNumber? {
        guard line.count > lineOpening.count, line.starts(with: lineOpening) else { return nil }
        let from = lineOpening.count
        guard let close = line[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return ItemNumber.parseStored(Bytes(rebasing: line[from..<close]))
    }
}
