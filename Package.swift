// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ducha",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ducha", targets: ["ducha"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(name: "DuchaCore"),
        .target(
            name: "DuchaStore",
            dependencies: [
                "DuchaCore", .product(name: "CSV", package: "CSV.swift"), .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(name: "DuchaTUI", dependencies: ["DuchaCore", "DuchaStore", "CNcursesw"]),
        // .xlsx and .docx (zip containers of XML): Foundation and ZIPFoundation, used by the
        // import and export commands only.
        .target(name: "DuchaDocuments", dependencies: ["DuchaCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The PostgreSQL store (issue #16): a second LedgerStore, on vapor/postgres-nio.
        .target(
            name: "DuchaPostgres",
            dependencies: ["DuchaCore", "DuchaStore", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .executableTarget(
            name: "ducha",
            dependencies: [
                "DuchaCore", "DuchaStore", "DuchaTUI", "DuchaDocuments",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "ducha-bench",
            dependencies: ["DuchaCore", "DuchaStore", "DuchaTUI"]
        ),
        .executableTarget(
            name: "ducha-torture",
            dependencies: ["DuchaCore", "DuchaStore"],
            path: "Tests/Torture"
        ),
        .target(
            name: "DuchaTestSupport",
            dependencies: ["DuchaCore", "DuchaStore"],
            path: "Tests/DuchaTestSupport"
        ),
        .testTarget(name: "DuchaCoreTests", dependencies: ["DuchaCore", "DuchaTestSupport"]),
        .testTarget(name: "DuchaStoreTests", dependencies: ["DuchaStore", "DuchaTestSupport"]),
        .testTarget(name: "DuchaTUITests", dependencies: ["DuchaTUI", "CNcursesw", "DuchaCore", "DuchaTestSupport"]),
        .testTarget(name: "DuchaEndToEndTests", dependencies: ["DuchaCore", "DuchaStore", "DuchaTestSupport"]),
        .testTarget(
            name: "DuchaPostgresTests", dependencies: ["DuchaPostgres", "DuchaCore", "DuchaStore", "DuchaTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
