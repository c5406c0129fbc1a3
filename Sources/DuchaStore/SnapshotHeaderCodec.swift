import DuchaCore

/// The snapshot's header: format, sequence number, serials, item count, chain mark and the
/// repository-wide entries (settings, units, roster, notices), up to the line opening the items.
extension SnapshotCodec {
    /// The header, the log and the line opening the items (everything before the first item).
    static func headerBytes(seq: Int, serials: [Int: Int], count: Int, log: [Entry], chain: Chain.Mark?) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        w.raw("{\"format\":\(format),\"seq\":\(seq),\"serials\":{")
        w.raw(serials.keys.sorted().map { "\"\($0)\":\(serials[$0]!)" }.joined(separator: ","))
        // Every closed item that stands alone begins its line with its facts (both ways of
        // writing a snapshot make it so): compaction need not look for lines without them.
        w.raw("},\"count\":\(count),\"facts\":true,")
        if let chain { w.raw("\"chain\":{\"from\":\(chain.from),\"head\":\"\(chain.head)\"},") }
        w.raw("\n\"log\":[")
        for (i, e) in log.enumerated() {
            w.raw(i == 0 ? "\n" : ",\n")
            EntryCodec.encode(e, into: &w)
        }
        w.raw("\n],\n\"items\":[\n")
        return w.bytes
    }

    /// What the header says, and where the items are.
    struct Header {
        var format: Int
        var seq: Int
        var serials: [Int: Int]
        var count: Int
        var log: [Entry]
        var chain: Chain.Mark? = nil
        /// Whether every closed item's line that should carry closed facts does (`"facts":true`;
        /// snapshots written before they were have lines without).
        var closedFacts = false
        /// Byte offset of the first item line.
        var itemsStart: Int
        /// Byte offset of the closing line `]}`.
        var itemsEnd: Int
    }

    static let itemsMarker: [UInt8] = Array("\n\"items\":[\n".utf8)

    /// Reads the header and finds the items. A format-1 snapshot gives a header with only its
    /// format set (the caller reads it whole with `decodeFormat1`).
    static func decodeHeader(_ bytes: Bytes, path: String) throws(StoreError) -> Header {
        var header = Header(format: 0, seq: 0, serials: [:], count: 0, log: [], itemsStart: 0, itemsEnd: 0)
        if let f = peekFormat(bytes), f != format {
            if f > format { throw .unsupportedFormat(path, f, format) }
            guard f == 1 else { throw .badSnapshot(path, "格式版本 \(f) 无效") }
            header.format = 1
            return header
        }
        guard let marker = find(itemsMarker, in: bytes) else {
            if bytes.isEmpty { throw .badSnapshot(path, "文件为空") }
            // Say where the JSON goes wrong, if it does.
            do throws(JSONError) {
                try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) in
                    try r.skipValue()
                    try r.expectEnd()
                }
            } catch {
                throw .badSnapshot(path, "第 \(lineNumber(bytes, error.offset)) 行：\(error.message)")
            }
            throw .badSnapshot(path, "没有找到逐行排列的事项部分（文件不是 ducha 写入的格式）")
        }
        header.itemsStart = marker + itemsMarker.count
        guard bytes.count >= header.itemsStart + footer.count,
            bytes[(bytes.count - footer.count)...].elementsEqual(footer),
            bytes.count - footer.count == header.itemsStart || bytes[bytes.count - footer.count - 1] == 0x0A
        else { throw .badSnapshot(path, "第 \(lineNumber(bytes, bytes.count)) 行：文件在此中断，缺少结尾（文件不完整）") }
        header.itemsEnd = bytes.count - footer.count
        // The header's lines (settings, roster, notices) are records: the journal's limit.
        var at = 0
        while at < header.itemsStart {
            let nl = newline(in: bytes, from: at, to: header.itemsStart) ?? header.itemsStart
            try checkLength(bytes, at, nl, path: path, limit: JournalCodec.maxLine)
            at = nl + 1
        }
        var problem: StoreError? = nil
        do throws(JSONError) {
            try JSONReader.read(Bytes(rebasing: bytes[0..<header.itemsStart])) { (r: inout JSONReader) throws(JSONError) in
                try r.beginObject()
                guard try r.nextKey() == "format" else { throw r.error("第一项应为格式版本 format") }
                header.format = try r.readInt()
                guard header.format == format else {
                    problem =
                        header.format > format
                        ? .unsupportedFormat(path, header.format, format) : .badSnapshot(path, "格式版本 \(header.format) 无效")
                    return
                }
                while let key = try r.nextKey() {
                    switch key {
                    case "seq": header.seq = try r.readInt()
                    case "count": header.count = try r.readInt()
                    case "facts": header.closedFacts = try r.readBool()
                    case "chain":
                        var from: Int? = nil
                        var head: String? = nil
                        try r.beginObject()
                        while let k = try r.nextKey() {
                            switch k {
                            case "from": from = try r.readInt()
                            case "head": head = try r.readString()
                            default: try r.skipValue()
                            }
                        }
                        guard let from, from >= 1, let head, Chain.isHash(head) else { throw r.error("校验链（chain）无效") }
                        header.chain = Chain.Mark(from: from, head: head)
                    case "serials":
                        try r.beginObject()
                        while let y = try r.nextKey() {
                            guard let year = Int(y) else { throw r.error("年份 \(y.sanitized()) 无效") }
                            header.serials[year] = try r.readInt()
                        }
                    case "log":
                        try r.beginArray()
                        while try r.nextElement() {
                            let e = try EntryCodec.decode(&r)
                            guard e.item == nil else { throw r.error("事项记录混入了全局记录") }
                            header.log.append(e)
                        }
                    case "items":
                        try r.beginArray()
                        return
                    default: try r.skipValue()
                    }
                }
                throw r.error("缺少事项部分")
            }
        } catch {
            throw .badSnapshot(path, "第 \(lineNumber(bytes, error.offset)) 行：\(error.message)")
        }
        if let problem { throw problem }
        return header
    }

    /// The format number at the start of a snapshot, if it can be seen.
    static func peekFormat(_ bytes: Bytes) -> Int? {
        let text = String(decoding: bytes.prefix(32), as: UTF8.self)
        guard text.hasPrefix("{\"format\":") else { return nil }
        return Int(text.dropFirst(10).prefix(while: { $0.isNumber }))
    }

    /// The repository-wide part of the header: settings, roster, notices, serials, sequence.
    static func restoreHeader(_ header: Header, into ledger: inout Ledger, path: String) throws(StoreError) {
        do throws(CoreError) {
            for e in header.log { try ledger.applyUnordered(e) }
        } catch {
            throw .badSnapshot(path, error.message)
        }
        ledger.restoreSerials(header.serials)
        ledger.restoreFinished(seq: header.seq)
        ledger.chainFrom = header.chain?.from
        ledger.chainHead = header.chain?.head
    }
}
