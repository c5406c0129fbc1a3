import DuchaCLI
import DuchaCore
import DuchaPostgres
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// The command line's database backend: PostgresStore.
struct PostgresBackend: DatabaseBackend {
    func open(_ connection: String, mode: Repository.LoadMode, live: Bool) throws(StoreError) -> LedgerStore {
        let store = try PostgresStore.open(location(connection), mode: mode)
        if live { try store.listen() }
        return store
    }

    func check(_ connection: String) throws(StoreError) -> RepositoryCheck.Report {
        try PostgresStore.open(location(connection), mode: .only([])).check()
    }

    func copy(
        _ ledger: Ledger, from name: String, to connection: String, owner: String?
    ) throws(StoreError) -> (
        records: Int, items: Int, head: String?
    ) {
        let app = try location(connection)
        var creator = app
        if let owner { creator.user = owner }
        let m = try PostgresStore.migrate(ledger, from: name, owner: creator, app: app.user)
        return (m.records, m.items, m.head)
    }

    /// A connection string, or a service name looked up in the system's service file (in a
    /// setuid run always; otherwise $PGSYSCONFDIR's, as libpq does).
    func location(_ connection: String) throws(StoreError) -> PostgresLocation {
        guard PostgresLocation.isServiceName(connection) else { return try PostgresLocation.parse(connection) }
        var folder = "/etc/postgresql-common"
        if !UserRights.isPrivileged, let d = getenv("PGSYSCONFDIR").flatMap({ String(validatingCString: $0) }), d.hasPrefix("/") {
            folder = d
        }
        return try PostgresLocation.service(connection, file: folder + "/pg_service.conf")
    }
}
