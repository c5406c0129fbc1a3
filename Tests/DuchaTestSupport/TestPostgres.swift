@_exported import DuchaLocalPostgres
import Foundation

/// A real PostgreSQL server for the tests (`LocalPostgres`: initdb into a temporary folder,
/// pg_ctl on a Unix socket only; the benchmark starts its own the same way).
///
/// Each test takes a fresh database from the shared server (`TestPostgres.shared()`), which is
/// stopped and removed when the test process exits.
public typealias TestPostgres = LocalPostgres

extension LocalPostgres {
    /// The server the tests of this process share, started on first use, stopped at exit.
    public static func shared() throws -> TestPostgres {
        try sharedServer.get()
    }

    private static let sharedServer: Result<TestPostgres, Error> = {
        let r = Result { try TestPostgres.start() }
        if case .success(let s) = r {
            sharedForExit = s
            atexit { TestPostgres.sharedForExit?.stop() }
        }
        return r
    }()
    nonisolated(unsafe) private static var sharedForExit: TestPostgres?
}
