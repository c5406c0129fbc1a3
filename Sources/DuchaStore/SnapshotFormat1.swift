import DuchaCore

extension SnapshotCodec {
    /// Format 1 (entries grouped by item, state derived by folding): read for migration; the
    /// next compaction writes format 2.
    static func decodeFormat1(_ bytes: Bytes, path: String) throws(StoreError) -> Ledger {
        var ledger = Ledger()
        do throws(JSONError) {
            try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) in
                try r.beginObject()
                guard try r.nextKey() == "format", try r.readInt() == 1 else { throw r.error("格式版本无效") }
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
                            try apply(try EntryCodec.decode(&r), at)
                        }
                    case "items":
                        try r.beginArray()
                        while try r.nextElement() {
                            try r.beginObject()
                            while let k = try r.nextKey() {
                                if k == "events" {
                                    try r.beginArray()
                                    while try r.nextElement() {
                                        let at = r.position
                                        try apply(try EntryCodec.decode(&r), at)
                                    }
                                } else {
                                    try r.skipValue()
                                }
                            }
                        }
                    default: try r.skipValue()
                    }
                }
                try r.expectEnd()
                guard let seq, maxSeq <= seq else { throw r.error("序号无效") }
                ledger.restoreFinished(seq: seq)
            }
        } catch {
            throw .badSnapshot(path, "第 \(lineNumber(bytes, error.offset)) 行：\(error.message)")
        }
        return ledger
    }
}
