import AssayCore
import Foundation
import Pipeline
import Testing
import TestScratch
import Views

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let defaultPipelinePath = repoRoot.appendingPathComponent("pipelines/default.yaml").path
let seedsPath = repoRoot.appendingPathComponent("corpus/seeds").path
let viewsTool = repoRoot.appendingPathComponent("Tests/tools/check_views.py").path

/// The default pipeline, built once per test process (its gazetteers are compiled once).
let sharedPipeline: Result<Pipeline, Error> = Result { try Pipeline.load(defaultPipelinePath) }

func defaultPipeline() throws -> Pipeline { try sharedPipeline.get() }

/// Ingest alone: the text and its source map, for documents annotated by hand.
func ingestPipeline() throws -> Pipeline {
    let definition = try PipelineDefinition.parse("stages:\n  - stage: ingest\n", file: "(ingest only)")
    return try Pipeline.build(definition, context: PipelineContext(baseDirectory: repoRoot))
}

/// A fresh folder for one test, removed when the test ends (see `ScratchFolders`).
func scratch(_ name: String) throws -> String { try scratchFolder("assay-views", name) }

struct ProcessResult {
    var status: Int32
    var output: String
    var error: String
}

/// Runs a program to completion; standard output and error are read concurrently (no pipe stall).
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                cwd: String? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    if let environment {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
    }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let box = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        box.set(err.fileHandleForReading.readDataToEndOfFile())
        group.leave()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, output: String(decoding: o, as: UTF8.self),
                         error: String(decoding: box.get(), as: UTF8.self))
}

final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

func findExecutable(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

/// The `assay` executable built with these tests (beside the test binary), else under .build.
func assayBinary() throws -> String {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On Linux the test binary is DIR/assayPackageTests.xctest; on macOS a bundle inside DIR.
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("assay").path)
            dir = dir.deletingLastPathComponent()
        }
    }
    for config in ["debug", "release"] {
        candidates.append(repoRoot.appendingPathComponent(".build/\(config)/assay").path)
    }
    if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
    throw ViewError("build the assay executable first (swift build); looked in \(candidates)")
}

func python() throws -> String {
    guard let p = findExecutable("python3") else { throw ViewError("python3 is not on PATH (scripts/setup --tests installs it)") }
    return p
}

/// Runs Tests/tools/check_views.py; the check passes when it exits 0.
func checkWithPython(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let r = try runProcess(try python(), [viewsTool] + arguments)
    #expect(r.status == 0, "check_views.py \(arguments.joined(separator: " ")):\n\(r.output)\(r.error)", sourceLocation: sourceLocation)
    return r.output
}

/// Writes records as annotations.jsonl (exactly as BatchRun writes them).
func writeRecords(_ documents: [Document], to path: String) throws {
    var bytes: [UInt8] = []
    for d in documents {
        bytes += RecordWriter.json(d)
        bytes.append(0x0A)
    }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func readFile(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

/// Line and column (1-based, column in Unicode scalars) of the `occurrence`-th `needle` in a file,
/// computed from the raw bytes alone (an independent check of the source map).
func filePosition(of needle: String, occurrence: Int = 0, in raw: [UInt8]) -> (line: Int, column: Int)? {
    let n = Array(needle.utf8)
    var seen = 0
    var i = 0
    while i + n.count <= raw.count {
        if Array(raw[i..<(i + n.count)]) == n {
            if seen == occurrence {
                let before = raw[..<i]
                let line = before.filter { $0 == 0x0A }.count + 1
                let lineStart = (before.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
                let column = raw[lineStart..<i].filter { $0 & 0xC0 != 0x80 }.count + 1
                return (line, column)
            }
            seen += 1
        }
        i += 1
    }
    return nil
}
