/// The 台账校验码 printed on every issued notice: the number of the last record and the hash
/// of its journal line (the head of the ledger's hash chain). A printed paper thus anchors the
/// history: `ducha check` on a ledger rewritten afterwards no longer reaches this code.
public struct LedgerCode: Sendable, Equatable {
    public var seq: Int
    public var head: String

    public init(seq: Int, head: String) {
        self.seq = seq
        self.head = head
    }

    /// 台账校验码：第 203 条记录  SHA-256 3f9a…, as two lines (the hash alone is 64 cells).
    public var lines: [String] { ["台账校验码：第\(seq)条记录", "SHA-256 \(head)"] }
}

extension Ledger {
    /// The ledger's code as it stands, when its history is chained.
    public var ledgerCode: LedgerCode? { chainHead.map { LedgerCode(seq: seq, head: $0) } }
}
