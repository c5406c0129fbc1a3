import DuchaCLI

// The command line on the file store; the whole program is in DuchaCLI, shared with ducha-pg.
CLI.start()
