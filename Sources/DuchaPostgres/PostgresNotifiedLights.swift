import DuchaStore
import PostgresNIO

/// The lights the 临期 and 逾期 hooks were last run for, in the table `hook_lights` (one row per
/// open item notified as yellow or red). The role ducha uses may change this table (it is
/// ducha's memory of what it told people, not the record), under an advisory lock of its own
/// taken for the transaction: two runs, on one host or several, never notify the same change twice.
extension PostgresStore: NotifiedLights {
    /// The advisory lock the light notices take (not the commits'; commits go on meanwhile).
    static let lightsLock: Int64 = 0x6475_6368_6100_0002

    /// Every item's state is read for `.full` and `.summary` only (a database answers other
    /// reads itself).
    public var readsEveryItem: Bool {
        switch mode {
        case .full, .summary: return true
        default: return false
        }
    }

    /// The database answers `ItemQueries` itself, whatever this process read.
    public var queriesSeeEveryItem: Bool { true }

    public func updateNotifiedLights(_ update: ([String: String]) -> [String: String]) throws(StoreError) -> Bool {
        let what = "读取和记录已通知的临期、逾期"
        return try session.transaction(what) { () throws(StoreError) -> Bool in
            let table = try session.query("SELECT to_regclass('hook_lights') IS NOT NULL", what)
            guard try PostgresStore.decodeBool(table.rows.first) else {
                throw .database(
                    "数据库中的台账表建于有临期、逾期通知之前，缺少 hook_lights 表：须由数据库所有者按 README 补建后才能发出这两种通知")
            }
            let locked = try session.query("SELECT pg_try_advisory_xact_lock(\(PostgresStore.lightsLock))", what)
            // Another run is notifying right now: it will see the same lights.
            guard try PostgresStore.decodeBool(locked.rows.first) else { return false }
            var old: [String: String] = [:]
            for row in try session.query("SELECT number, light FROM hook_lights", what).rows {
                guard let (number, light) = try? row.decode((String, String).self) else {
                    throw .database("读取已通知的临期、逾期失败：数据库中的行格式不对")
                }
                old[number] = light
            }
            let new = update(old)
            let gone = old.keys.filter { new[$0] == nil }.sorted()
            if !gone.isEmpty {
                try session.query("DELETE FROM hook_lights WHERE number = ANY(\(gone))", what)
            }
            let changed = new.keys.filter { old[$0] != new[$0] }.sorted()
            if !changed.isEmpty {
                let lights = changed.map { new[$0]! }
                try session.query(
                    """
                    INSERT INTO hook_lights (number, light) SELECT * FROM unnest(\(changed)::text[], \(lights)::text[])
                    ON CONFLICT (number) DO UPDATE SET light = EXCLUDED.light
                    """, what)
            }
            return true
        }
    }
}
