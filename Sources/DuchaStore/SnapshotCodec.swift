import DuchaCore

/// The snapshot file, ducha.json: the format version, the sequence number it includes, the
/// repository-wide entries and every item's entries, one record per line so that the file is
/// both valid JSON and easy to scan:
///
///     {"format":1,"seq":42,
///     "log":[
///     {"seq":1,"at":"…","by":"clerk","do":"init",…},
///     …],
///     "items":[
///     {"number":"督〔2026〕第0001号","events":[{…},{…}]},
///     …]}
///
/// The state is the fold of these entries, so there is no second copy of anything to drift.
enum SnapshotCodec {
    /// The format this version writes and reads.
    static let format = 1

    static func encode(_ ledger: Ledger) -> [UInt8] {
        var w = JSONWriter(capacity: 1 << 16)
        w.raw("{\"format\":\(format),\"seq\":\(ledger.seq),\n\"log\":[")
        for (i, e) in ledger.log.enumerated() {
            w.raw(i == 0 ? "\n" : ",\n")
            EntryCodec.encode(e, into: &w)
        }
        w.raw("],\n\"items\":[")
        for (i, item) in ledger.items.enumerated() {
            w.raw(i == 0 ? "\n" : ",\n")
            w.raw("{\"number\":")
            w.value(item.number.description)
            w.raw(",\"events\":[")
            for (j, e) in item.history.enumerated() {
                if j > 0 { w.raw(",") }
                EntryCodec.encode(e, into: &w)
            }
            w.raw("]}")
        }
        w.raw("]}\n")
        return w.bytes
    }

    /// Reads a snapshot. The version is checked before anything else is interpreted.
    static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> Ledger {
        var ledger = Ledger()
        var problem: StoreError? = nil
        do throws(JSONError) {
            try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) in
                try r.beginObject()
                guard try r.nextKey() == "format" else { throw r.error("第一项应为格式版本 format") }
                let version = try r.readInt()
                guard version == format else {
                    problem =
                        version > format
                        ? .unsupportedFormat(path, version, format) : .badSnapshot(path, "格式版本 \(version) 无效")
                    return
                }
                var seq: Int? = nil
                var maxSeq = 0
                func apply(_ e: Entry, _ offset: Int) throws(JSONError) {
                    maxSeq = max(maxSeq, e.seq)
                    do throws(CoreError) { try ledger.applyUnordered(e) } catch {
                        throw JSONError(message: error.message, offset: offset)
                    }
                }
                while let key = try r.nextKey() {
                    switch key {
                    case "seq": seq = try r.readInt()
                    case "log":
                        try r.beginArray()
                        while try r.nextElement() {
                            let at = r.position
                            let e = try EntryCodec.decode(&r)
                            guard e.item == nil else { throw JSONError(message: "事项记录混入了全局记录", offset: at) }
                            try apply(e, at)
                        }
                    case "items":
                        try r.beginArray()
                        while try r.nextElement() {
                            try r.beginObject()
                            var number: ItemNumber? = nil
                            while let k = try r.nextKey() {
                                switch k {
                                case "number":
                                    let text = try r.readString()
                                    number = ItemNumber.parseFull(text)
                                    guard number != nil else { throw r.error("事项编号 \(text.sanitized()) 无效") }
                                case "events":
                                    try r.beginArray()
                                    var previous = 0
                                    while try r.nextElement() {
                                        let at = r.position
                                        let e = try EntryCodec.decode(&r)
                                        guard let n = number, e.item == n else {
                                            throw JSONError(message: "记录不属于此事项", offset: at)
                                        }
                                        guard e.seq > previous else { throw JSONError(message: "事项记录的顺序错乱", offset: at) }
                                        previous = e.seq
                                        try apply(e, at)
                                    }
                                default: try r.skipValue()
                                }
                            }
                        }
                    default: try r.skipValue()
                    }
                }
                try r.expectEnd()
                guard let seq else { throw r.error("缺少 seq") }
                guard maxSeq <= seq else { throw r.error("记录的序号 \(maxSeq) 超过快照的序号 \(seq)") }
                ledger.restoreFinished(seq: seq)
            }
        } catch {
            throw .badSnapshot(path, "第 \(lineNumber(bytes, error.offset)) 行：\(error.message)")
        }
        if let problem { throw problem }
        return ledger
    }

    static func lineNumber(_ bytes: [UInt8], _ offset: Int) -> Int {
        var n = 1
        for b in bytes.prefix(min(offset, bytes.count)) where b == 0x0A { n += 1 }
        return n
    }
}

/// The journal file, journal.jsonl: one entry per line, appended under the lock.
enum JournalCodec {
    struct Scan {
        var entries: [Entry] = []
        /// Bytes up to and including the last newline.
        var consumed = 0
        /// Complete lines read.
        var lines = 0
        /// Bytes after the last newline: a line whose writing was interrupted, never acknowledged.
        var tornBytes = 0
    }

    /// Parses the complete lines of `bytes`; `firstLine` is the line number of its first line.
    static func scan(_ bytes: [UInt8], firstLine: Int, path: String) throws(StoreError) -> Scan {
        var scan = Scan()
        var start = 0
        var line = firstLine
        let count = bytes.count
        try bytes.withUnsafeBufferPointer { (buf: UnsafeBufferPointer<UInt8>) throws(StoreError) in
            while start < count {
                guard let nl = buf[start..<count].firstIndex(of: 0x0A) else {
                    scan.tornBytes = count - start
                    break
                }
                if nl > start {
                    do throws(JSONError) {
                        scan.entries.append(try EntryCodec.decodeLine(UnsafeBufferPointer(rebasing: buf[start..<nl])))
                    } catch {
                        throw .badJournal(path, line, error.message)
                    }
                }
                scan.lines += 1
                line += 1
                start = nl + 1
                scan.consumed = start
            }
        }
        return scan
    }
}
