import DuchaCLI

// The same command line with the PostgreSQL store (issue #16).
CLI.start()
