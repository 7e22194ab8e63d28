// swift-tools-version:6.0
//
// FabricScope: per-queue-pair analysis of RDMA fabric captures.
// Data flows one way through the targets:
//   FabricWire (bytes → decoded packets: pure, no I/O)
//   CPcap (C shim over libpcap) → FabricIngest (capture files → batches of decoded packets)
//   → FabricStats (per-flow statistics, the analysis pipeline)
//   → FabricModels (collective detection and models: facts)
//   → FabricCompare (two configurations side by side, with confidence)
//   → FabricHealth (a night's checks) → FabricHistory (the runs, in SQLite, and judging them)
//   → FabricReport (the document and its renderings) → fabricscope (command line).
// FabricSynth builds realistic RoCEv2 traffic for tests, demos and users' pipelines.
// Beneath them, with no knowledge of RDMA: FabricMetrics (every metric defined once),
// FabricJSON (the streaming JSON codecs), FabricConcurrency, FabricRandom.
import PackageDescription

/// Every file imports each module whose members it uses (SE-0444), so a target's
/// declared dependencies are its real ones; `scripts/test.sh` also builds with
/// SwiftPM's explicit target dependency check.
let strict: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

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
        .target(name: "FabricMetrics", swiftSettings: strict),
        // Work spread over the cores, results in input order.
        .target(name: "FabricConcurrency", swiftSettings: strict),
        // Seeded, reproducible random numbers: the generator, the bootstrap, the Monte Carlo.
        .target(name: "FabricRandom", swiftSettings: strict),
        // Streaming JSON encoding and tape decoding for documents of 10⁵ flows.
        .target(name: "FabricJSON", dependencies: ["FabricConcurrency"], swiftSettings: strict),
        // Wire formats: bytes of one record → a decoded packet; no files, no libpcap.
        .target(name: "FabricWire", swiftSettings: strict),
        .target(name: "FabricIngest", dependencies: ["CPcap", "FabricWire", "FabricConcurrency"], swiftSettings: strict),
        .target(
            name: "FabricStats",
            dependencies: ["FabricWire", "FabricIngest", "FabricJSON", "FabricMetrics", "FabricConcurrency", "FabricRandom",
                           .product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: strict),
        // Collective detection and models: facts from summaries, no rendering.
        .target(name: "FabricModels", dependencies: ["FabricWire", "FabricStats", "FabricRandom", "FabricConcurrency"],
                swiftSettings: strict),
        // Two configurations side by side: units of replication, tests, verdicts.
        .target(name: "FabricCompare", dependencies: ["FabricMetrics", "FabricWire", "FabricStats", "FabricModels", "FabricRandom",
                                                     "FabricConcurrency"],
                swiftSettings: strict),
        // Nightly health: checks against thresholds and against the run history.
        .target(name: "FabricHealth", dependencies: ["FabricMetrics", "FabricStats", "FabricCompare"], swiftSettings: strict),
        // The run history: one SQLite file, readable with the sqlite3 command line.
        .target(name: "FabricHistory", dependencies: [
            "FabricStats", "FabricCompare", "FabricHealth", .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .target(name: "FabricReport", dependencies: [
            "FabricMetrics", "FabricConcurrency", "FabricWire", "FabricJSON", "FabricStats", "FabricModels", "FabricCompare",
            "FabricHealth",
        ], swiftSettings: strict),
        .target(name: "FabricSynth", dependencies: ["FabricWire", "FabricRandom"], swiftSettings: strict),
        .executableTarget(
            name: "fabricscope",
            dependencies: [
                "FabricMetrics", "FabricConcurrency", "FabricWire", "FabricIngest", "FabricStats", "FabricModels",
                "FabricCompare", "FabricHealth", "FabricHistory", "FabricReport", "FabricSynth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // libFuzzer targets (scripts/fuzz/build.sh builds them with -sanitize=fuzzer,address
        // and -D FUZZING); in ordinary builds they replay inputs given as files.
        .target(name: "FuzzDriver"),
        .executableTarget(name: "fuzz-packets", dependencies: ["FabricWire", "FabricIngest", "FabricStats", "FabricReport", "FuzzDriver"],
                          path: "Sources/FuzzPackets"),
        .executableTarget(name: "fuzz-summary", dependencies: ["FabricStats", "FabricCompare", "FabricHealth", "FabricReport", "FuzzDriver"],
                          path: "Sources/FuzzSummary"),
        // Tests by module (unit), then the command line as a user runs it (end to end);
        // TestSupport holds what both share: paths, running the binary, tshark, the
        // schema validator. Vectors/ holds the independent implementations' answers.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "FabricConcurrencyTests", dependencies: ["FabricConcurrency"]),
        .testTarget(name: "FabricMetricsTests", dependencies: ["FabricMetrics", "FabricCompare", "TestSupport"]),
        .testTarget(name: "FabricWireTests", dependencies: ["FabricWire", "TestSupport"]),
        .testTarget(name: "FabricIngestTests", dependencies: ["FabricWire", "FabricIngest", "FabricConcurrency", "TestSupport"]),
        .testTarget(name: "FabricJSONTests", dependencies: ["FabricJSON", "FabricStats", "FabricReport", "TestSupport"]),
        .testTarget(name: "FabricStatsTests", dependencies: [
            "FabricWire", "FabricIngest", "FabricStats", "FabricRandom", "FabricJSON", "FabricSynth", "TestSupport",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        .testTarget(name: "FabricModelsTests", dependencies: [
            "FabricWire", "FabricStats", "FabricModels", "FabricRandom", "FabricSynth", "TestSupport",
        ]),
        .testTarget(name: "FabricCompareTests", dependencies: [
            "FabricMetrics", "FabricWire", "FabricStats", "FabricCompare", "FabricSynth", "TestSupport",
        ]),
        .testTarget(name: "FabricHistoryTests", dependencies: [
            "FabricStats", "FabricCompare", "FabricHealth", "FabricHistory", "FabricSynth", "FabricIngest", "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "FabricReportTests", dependencies: [
            "FabricMetrics", "FabricWire", "FabricIngest", "FabricJSON", "FabricStats", "FabricModels", "FabricCompare",
            "FabricHealth", "FabricReport", "FabricSynth", "TestSupport",
        ]),
        .testTarget(name: "FabricSynthTests", dependencies: ["FabricWire", "FabricSynth", "TestSupport"]),
        .testTarget(name: "CommandLineTests", dependencies: [
            "fabricscope", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["fabricscope", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
