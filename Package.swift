// swift-tools-version:6.0
//
// FabricScope: per-queue-pair analysis of RDMA fabric captures.
// Data flows one way through the targets:
//   CPcap (C shim over libpcap) → FabricIngest (capture → decoded packets)
//   → FabricStats (per-flow statistics, the analysis pipeline)
//   → FabricModels (collective detection and models: facts)
//   → FabricCompare (two configurations side by side, with confidence)
//   → FabricHealth (a night's checks) → FabricHistory (the runs, in SQLite, and judging them)
//   → FabricReport (the document and its renderings) → fabricscope (command line).
// FabricSynth builds realistic RoCEv2 traffic for tests, demos and users' pipelines.
import PackageDescription

let package = Package(
    name: "FabricScope",
    // Linux (glibc) only: the C shim over libpcap uses glibc's stdio internals
    // (fopencookie, stdio_ext.h), and says so with #error elsewhere. SwiftPM has no
    // way to declare "Linux only"; no Apple platform is declared or claimed.
    products: [
        .executable(name: "fabricscope", targets: ["fabricscope"]),
        .library(name: "FabricIngest", targets: ["FabricIngest"]),
        .library(name: "FabricStats", targets: ["FabricStats"]),
        .library(name: "FabricModels", targets: ["FabricModels"]),
        .library(name: "FabricCompare", targets: ["FabricCompare"]),
        .library(name: "FabricHealth", targets: ["FabricHealth"]),
        .library(name: "FabricHistory", targets: ["FabricHistory"]),
        .library(name: "FabricReport", targets: ["FabricReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // Run history in SQLite (WAL, migrations); Debian's libsqlite3-dev underneath.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev", "zlib1g-dev"])]
        ),
        // Every metric defined once (name, unit, direction, advice, Prometheus name) and
        // the one formatter per unit: read by every output, below everything else.
        .target(name: "FabricMetrics"),
        .target(name: "FabricIngest", dependencies: ["CPcap"]),
        .target(
            name: "FabricStats",
            dependencies: ["FabricIngest", .product(name: "Histogram", package: "hdrhistogram-swift")]),
        // Collective detection and models: facts from summaries, no rendering.
        .target(name: "FabricModels", dependencies: ["FabricStats"]),
        // Two configurations side by side: units of replication, tests, verdicts.
        .target(name: "FabricCompare", dependencies: ["FabricMetrics", "FabricStats", "FabricModels"]),
        // Nightly health: checks against thresholds and against the run history.
        .target(name: "FabricHealth", dependencies: ["FabricMetrics", "FabricStats", "FabricCompare"]),
        // The run history: one SQLite file, readable with the sqlite3 command line.
        .target(name: "FabricHistory", dependencies: [
            "FabricStats", "FabricCompare", "FabricHealth", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "FabricReport", dependencies: [
            "FabricMetrics", "FabricStats", "FabricModels", "FabricCompare", "FabricHealth",
        ]),
        .target(name: "FabricSynth", dependencies: ["FabricIngest", "FabricStats"]),
        .executableTarget(
            name: "fabricscope",
            dependencies: [
                "FabricMetrics", "FabricIngest", "FabricStats", "FabricModels", "FabricCompare", "FabricHealth",
                "FabricHistory", "FabricReport", "FabricSynth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (scripts/fuzz/build.sh builds them with -sanitize=fuzzer,address
        // and -D FUZZING); in ordinary builds they replay inputs given as files.
        .target(name: "FuzzDriver"),
        .executableTarget(name: "fuzz-packets", dependencies: ["FabricIngest", "FabricStats", "FabricReport", "FuzzDriver"],
                          path: "Sources/FuzzPackets"),
        .executableTarget(name: "fuzz-summary", dependencies: ["FabricStats", "FabricCompare", "FabricHealth", "FabricReport", "FuzzDriver"],
                          path: "Sources/FuzzSummary"),
        .testTarget(
            name: "UnitTests",
            dependencies: [
                "FabricMetrics", "FabricIngest", "FabricStats", "FabricModels", "FabricCompare", "FabricHealth",
                "FabricHistory", "FabricReport", "FabricSynth",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            // Read from the source tree by path (TestPaths), not bundled as resources.
            exclude: ["Vectors"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["fabricscope"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
