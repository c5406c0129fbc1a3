import DuchaCore

/// How records are kept, as the operations layer, the command line and the interface see it.
/// Two implementations give the same guarantees: the files (`Repository`: snapshot and
/// hash-chained journal under flock) and PostgreSQL. A commit is judged by the workflow against
/// the current state under the store's lock, appended, made durable and only then acknowledged;
/// history is append-only and hash-chained; a record takes the server's time.
public protocol LedgerStore: AnyObject {
    /// The ledger as last read (all of it, items' states only, or the items asked for).
    var ledger: Ledger { get }
    /// Notices for the user about the store's condition (e.g. a torn line that was cut).
    var warnings: [String] { get }
    /// Picks up what others committed since; true when the ledger changed. Never waits long.
    @discardableResult func refresh() throws(StoreError) -> Bool
    /// Judges `command` from `login` (recognised by `uid` when given) against the current state
    /// and records it at the time `clock` gives once the lock is held. Nothing is written when
    /// the request is refused. Returns the entries written.
    @discardableResult func commit(
        _ command: Command, login: String, uid: UInt32?, clock: RecordClock, on: Day?
    ) throws(StoreError) -> [Entry]
    /// Several commands, all or nothing, each judged on the state the ones before it leave.
    @discardableResult func commitAll(
        _ commands: [Command], login: String, uid: UInt32?, clock: RecordClock
    ) throws(StoreError) -> [Entry]
    /// The whole history of an item (nil when unknown), for a ledger read without histories.
    func history(of number: ItemNumber) throws(StoreError) -> [Entry]?
}

extension Repository: LedgerStore {}
