import DuchaCLI
import DuchaCore
import DuchaPostgres
import DuchaStore

/// The command line's database backend: PostgresStore.
struct PostgresBackend: DatabaseBackend {
    func open(_ connection: String, mode: Repository.LoadMode, live: Bool) throws(StoreError) -> LedgerStore {
        let store = try PostgresStore.open(connection, mode: mode)
        if live { try store.listen() }
        return store
    }

    func check(_ connection: String) throws(StoreError) -> RepositoryCheck.Report {
        try PostgresStore.open(connection, mode: .only([])).check()
    }

    func copy(
        _ ledger: Ledger, from name: String, to connection: String, owner: String?
    ) throws(StoreError) -> (
        records: Int, items: Int, head: String?
    ) {
        let app = try PostgresLocation.parse(connection)
        var creator = app
        if let owner { creator.user = owner }
        let m = try PostgresStore.migrate(ledger, from: name, owner: creator, app: app.user)
        return (m.records, m.items, m.head)
    }
}
