import DuchaCLI

// The same command line with the PostgreSQL store (issue #16): `ducha` runs this program when
// the repository is a postgresql:// connection string.
Backend.database = PostgresBackend()
CLI.start()
