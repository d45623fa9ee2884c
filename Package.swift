// swift-tools-version:6.1
import PackageDescription

// The folders under Sources/ are the pipeline, in the order a document goes through it:
//   AssayCore  - the document model every stage reads and adds to, the stage protocol, the record
//   Ingest     - bytes -> clean text with blocks and sections (plain text, Markdown-like, HTML via libxml2)
//   Entities   - treaties, laws, provisions, organizations, acronyms; fact checks
//   Citations  - in-text citations, the reference list, linking, structural findings
//   Screening  - dubious references: topic mismatch, citation concentration
//   Pipeline   - reads pipelines/*.yaml, builds the stages, runs a batch in order on all cores
//   Views      - JSON Lines is the record; W3C Web Annotations, brat, SQLite, CSV, HTML report
//   assay      - the command-line tool
//   assay-bench, assay-fuzz - the benchmark, and a libFuzzer target over the whole pipeline
// Underneath, in C: CLibXML2 (the system libxml2), CSHA256 (document ids; SHA extensions when the CPU has them) and
// CByteScan (byte scans sixteen bytes a step with SSE2, for the record writer and ingest).
// Release builds link the Swift runtime and Foundation into the tools on Linux (`-static-stdlib`
// on every module and link, as `swift build --static-swift-stdlib` does): calls into the runtime
// (every retain and release) are then direct, not through the dynamic linker's tables, and
// start-up resolves far fewer symbols. Measured: a 100 MB run 6-7% faster, start-up 20 -> 10 ms.
let staticRuntimeFlag = ["-static-stdlib"]
let staticSwiftRuntime: [LinkerSetting] = [.unsafeFlags(staticRuntimeFlag, .when(platforms: [.linux], configuration: .release))]
let staticSwiftModule: [SwiftSetting] = [.unsafeFlags(staticRuntimeFlag, .when(platforms: [.linux], configuration: .release))]

let package = Package(
    name: "assay",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
        .executable(name: "assay-bench", targets: ["assay-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "CSHA256"),
        .target(name: "CByteScan"),
        .target(name: "AssayCore", dependencies: ["CSHA256", "CByteScan"], swiftSettings: staticSwiftModule),
        .target(name: "Ingest", dependencies: ["AssayCore", "CByteScan", "CLibXML2"], swiftSettings: staticSwiftModule),
        .target(name: "Entities", dependencies: ["AssayCore", "Yams"], swiftSettings: staticSwiftModule),
        .target(name: "Citations", dependencies: ["AssayCore"], swiftSettings: staticSwiftModule),
        .target(name: "Screening", dependencies: ["AssayCore", "CByteScan"], swiftSettings: staticSwiftModule),
        .target(name: "Pipeline", dependencies: ["AssayCore", "Ingest", "Entities", "Citations", "Screening", "Yams"], swiftSettings: staticSwiftModule),
        .target(name: "Views", dependencies: ["AssayCore", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: staticSwiftModule),
        .executableTarget(
            name: "assay",
            dependencies: [
                "Pipeline", "Views", "Ingest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticSwiftModule,
            linkerSettings: staticSwiftRuntime
        ),
        .executableTarget(name: "assay-bench", dependencies: ["Pipeline", "AssayCore"], swiftSettings: staticSwiftModule,
                          linkerSettings: staticSwiftRuntime),
        // A libFuzzer entry point over the whole pipeline (see its file for how to build and run it).
        .executableTarget(name: "assay-fuzz", dependencies: ["Pipeline", "AssayCore"], swiftSettings: staticSwiftModule,
                          linkerSettings: staticSwiftRuntime),
        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "AssayCore"]),
        .testTarget(name: "EntitiesTests", dependencies: ["Entities", "Ingest", "AssayCore"], exclude: ["Gold"]),
        .testTarget(name: "CitationsTests", dependencies: ["Citations", "Ingest", "AssayCore"], exclude: ["Gold"]),
        .testTarget(name: "ScreeningTests", dependencies: ["Screening", "Citations", "Ingest", "AssayCore"], exclude: ["Gold"]),
        // (tests' scratch folders, removed when each test ends: shared by the two test targets that make them)
        .target(name: "TestScratch", path: "Tests/TestScratch"),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Views", "AssayCore", "TestScratch"]),
        .testTarget(name: "ViewsTests", dependencies: ["Views", "Pipeline", "Ingest", "AssayCore", "TestScratch"]),
    ]
)
