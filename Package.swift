// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ducha",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ducha", targets: ["ducha"]),
        .executable(name: "ducha-papers", targets: ["ducha-papers"]),
        .executable(name: "ducha-pg", targets: ["ducha-pg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // 4.x reads FoundationEssentials rather than the whole Foundation (and its ICU data).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // TLS to a database server on another host (postgres-nio's own TLS library).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // ncursesw from Debian's libncurses-dev (`make deps`), named in the module map rather than
        // through pkg-config: its -L/usr/lib/x86_64-linux-gnu would come before the release
        // build's own library folder (.ci/static), which links ncurses statically.
        .systemLibrary(name: "CNcursesw"),
        // The scheduler calls Swift's Glibc leaves out (`Parallel` starts threads on other cores).
        .systemLibrary(name: "CSched"),
        .target(name: "DuchaCore", dependencies: ["CSched"]),
        .target(name: "DuchaStore", dependencies: ["DuchaCore", .product(name: "Crypto", package: "swift-crypto")]),
        // The one way in for both front ends: typed input → the core's commands, recorded through
        // the store; reports filtered by what the person may see.
        .target(name: "DuchaOps", dependencies: ["DuchaCore", "DuchaStore", "DuchaPapers"]),
        .target(name: "DuchaTUI", dependencies: ["DuchaCore", "DuchaStore", "DuchaOps", "CNcursesw"]),
        // The papers offices exchange, as data: sheets and 公文 built from the ledger (no Foundation).
        .target(name: "DuchaPapers", dependencies: ["DuchaCore"]),
        // Writing and reading them (.xlsx/.docx: zip containers of XML; CSV): Foundation,
        // ZIPFoundation, CSV.swift — only in the `ducha-papers` helper that `ducha` runs for them.
        .target(
            name: "DuchaDocuments",
            dependencies: [
                "DuchaCore", "DuchaStore", "DuchaPapers", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
            ]),
        .executableTarget(name: "ducha-papers", dependencies: ["DuchaCore", "DuchaStore", "DuchaPapers", "DuchaDocuments"]),
        // The PostgreSQL store (issue #16): a second LedgerStore, on vapor/postgres-nio.
        .target(
            name: "DuchaPostgres",
            dependencies: [
                "DuchaCore", "DuchaStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The command line (and the interface it opens), for both programs below.
        .target(
            name: "DuchaCLI",
            dependencies: [
                "DuchaCore", "DuchaStore", "DuchaOps", "DuchaTUI", "DuchaPapers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `ducha`: the command line on the file store, without Foundation (issue #13 point 9).
        .executableTarget(name: "ducha", dependencies: ["DuchaCLI", "DuchaStore"]),
        // `ducha-pg`: the same command line with the PostgreSQL store (postgres-nio, Foundation);
        // `ducha` runs it when the repository is a PostgreSQL database.
        .executableTarget(name: "ducha-pg", dependencies: ["DuchaCLI", "DuchaStore", "DuchaPostgres"]),
        // A PostgreSQL server of one's own in a temporary folder (the tests' and the benchmark's).
        .target(name: "DuchaLocalPostgres"),
        // The benchmark (make bench); its measurements on a database in ducha-bench-pg.
        .target(name: "DuchaBenchKit", dependencies: ["DuchaCore", "DuchaStore", "DuchaTUI"]),
        .executableTarget(
            name: "ducha-bench",
            dependencies: ["DuchaCore", "DuchaStore", "DuchaTUI", "DuchaLocalPostgres", "DuchaBenchKit"]
        ),
        .executableTarget(
            name: "ducha-bench-pg",
            dependencies: ["DuchaCore", "DuchaStore", "DuchaPostgres", "DuchaBenchKit"]
        ),
        .executableTarget(
            name: "ducha-torture",
            dependencies: ["DuchaCore", "DuchaStore"],
            path: "Tests/Torture"
        ),
        .target(
            name: "DuchaTestSupport",
            dependencies: ["DuchaCore", "DuchaStore", "DuchaLocalPostgres"],
            path: "Tests/DuchaTestSupport"
        ),
        .testTarget(name: "DuchaCoreTests", dependencies: ["DuchaCore", "DuchaTestSupport"]),
        .testTarget(name: "DuchaStoreTests", dependencies: ["DuchaStore", "DuchaDocuments", "DuchaTestSupport"]),
        .testTarget(name: "DuchaTUITests", dependencies: ["DuchaTUI", "DuchaOps", "CNcursesw", "DuchaCore", "DuchaTestSupport"]),
        .testTarget(
            name: "DuchaOpsTests",
            dependencies: ["DuchaOps", "DuchaCore", "DuchaStore", "DuchaDocuments", "DuchaPostgres", "DuchaTestSupport"]),
        .testTarget(name: "DuchaEndToEndTests", dependencies: ["DuchaCore", "DuchaStore", "DuchaPostgres", "DuchaTestSupport"]),
        .testTarget(
            name: "DuchaPostgresTests", dependencies: ["DuchaPostgres", "DuchaCore", "DuchaStore", "DuchaTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
