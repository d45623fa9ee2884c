import AssayCore
import Foundation
import Testing
import TestScratch

@testable import Pipeline

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let defaultPipeline = repoRoot.appendingPathComponent("pipelines/default.yaml").path

/// A fresh folder for one test, removed when the test ends (see `ScratchFolders`).
func temporaryDirectory(_ name: String) throws -> String { try scratchFolder("assay-tests", name) }

/// Runs a program and returns its exit status and standard output.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], cwd: String? = nil,
                environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if !environment.isEmpty {
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

func findExecutable(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

/// The `assay` binary built beside the tests.
func assayBinary() throws -> String {
    for config in ["debug", "release"] {
        let p = repoRoot.appendingPathComponent(".build/\(config)/assay").path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "build the assay executable first (swift build)"])
}

@Suite struct PipelineDefinitionTests {
    @Test func defaultPipelineLoads() throws {
        let p = try Pipeline.load(defaultPipeline)
        #expect(type(of: p.stages[0]).name == "ingest")
        #expect(p.maxInputBytes == 67_108_864)
    }

    @Test func unknownStageNamesFileAndLine() throws {
        let yaml = "stages:\n  - stage: ingest\n  - stage: entites\n"
        let def = try PipelineDefinition.parse(yaml, file: "p.yaml")
        #expect(throws: ConfigError.self) { try Pipeline.build(def, context: PipelineContext(baseDirectory: repoRoot)) }
        do {
            _ = try Pipeline.build(def, context: PipelineContext(baseDirectory: repoRoot))
        } catch let e as ConfigError {
            #expect(e.file == "p.yaml" && e.line == 3)
            #expect(e.message.hasPrefix("unknown stage 'entites'"))
        }
    }

    @Test func unknownSettingNamesFileAndLine() throws {
        let yaml = "stages:\n  - stage: ingest\n    maxBytes: 100\n    maxbytes: 5\n"
        let def = try PipelineDefinition.parse(yaml, file: "p.yaml")
        do {
            _ = try Pipeline.build(def, context: PipelineContext(baseDirectory: repoRoot))
            Issue.record("an unknown setting must be an error")
        } catch let e as ConfigError {
            #expect(e.description == "p.yaml:4: unknown setting 'maxbytes' for stage 'ingest'")
        }
    }

    @Test func badYamlAndWrongTypesAreErrors() throws {
        #expect(throws: ConfigError.self) { try PipelineDefinition.parse("stages: [ingest\n", file: "p.yaml") }
        let def = try PipelineDefinition.parse("stages:\n  - stage: ingest\n    maxBytes: lots\n", file: "p.yaml")
        do {
            _ = try Pipeline.build(def, context: PipelineContext(baseDirectory: repoRoot))
            Issue.record("a wrong type must be an error")
        } catch let e as ConfigError {
            #expect(e.line == 3)
        }
    }
}

@Suite(.serialized, .scratchFolders) struct BatchTests {
    @Test func outputIsIdenticalWhateverTheNumberOfJobs() throws {
        let pipeline = try Pipeline.load(defaultPipeline)
        let items = InputCollector.collect([repoRoot.appendingPathComponent("corpus").path])
        #expect(items.count >= 8)
        let one = try temporaryDirectory("jobs1"), four = try temporaryDirectory("jobs4")
        let s1 = try BatchRun(pipeline: pipeline, jobs: 1).run(items, outDir: one)
        let s4 = try BatchRun(pipeline: pipeline, jobs: 4).run(items, outDir: four)
        #expect(s1.documents == items.count && s4.documents == items.count && s1.errors == 0)
        let a = try Data(contentsOf: URL(fileURLWithPath: one + "/annotations.jsonl"))
        let b = try Data(contentsOf: URL(fileURLWithPath: four + "/annotations.jsonl"))
        #expect(a == b)
        #expect(a.split(separator: 0x0A).count == items.count)
    }

    @Test func foldersAreReadInSortedOrderSkippingHiddenFilesAndLinkLoops() throws {
        let dir = try temporaryDirectory("walk")
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/b/2.txt"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/a.txt"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/.hidden.txt"))
        try fm.createSymbolicLink(atPath: dir + "/b/loop", withDestinationPath: dir)
        let items = InputCollector.collect([dir])
        #expect(items.map { $0.source.replacingOccurrences(of: dir, with: "") } == ["/a.txt", "/b/2.txt"])
    }

    @Test func onlyRegularFilesAreReadAheadAndReadingAheadNeverWaits() throws {
        let dir = try temporaryDirectory("ahead")
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/a.txt"))
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        // (the walk skips the fifo; named on its own, it is an item, but not a regular file)
        let items = InputCollector.collect([dir, fifo, dir + "/a.txt"])
        #expect(items.map(\.source) == [dir + "/a.txt", fifo, dir + "/a.txt"])
        #expect(items.map(\.isRegularFile) == [true, false, true])
        // A fifo nobody writes to, even if taken for a file: opening it must not wait for a writer.
        // (On a thread of its own, so that a wait fails the test instead of hanging the run.)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            InputCollector.prefetch(InputItem(source: fifo, error: nil, isRegularFile: true))
            InputCollector.prefetch(InputItem(source: dir + "/missing.txt", error: nil, isRegularFile: true))
            for item in items { InputCollector.prefetch(item) }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 20) == .success)
    }

    @Test func badInputsAreReportedAndTheRestIsWritten() throws {
        let dir = try temporaryDirectory("bad")
        try Data("A short note about CEDAW and the HRCP.".utf8).write(to: URL(fileURLWithPath: dir + "/good.txt"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: URL(fileURLWithPath: dir + "/image.txt"))
        try Data([0, 1, 0, 0, 7, 0, 0, 0, 0xFF, 0xFE, 0, 9]).write(to: URL(fileURLWithPath: dir + "/nul.txt"))
        try Data("Second good document about PECA.".utf8).write(to: URL(fileURLWithPath: dir + "/z-good.txt"))
        let out = try temporaryDirectory("bad-out")
        var items = InputCollector.collect([dir])
        items.append(contentsOf: InputCollector.collect([dir + "/missing.txt"]))
        let summary = try BatchRun(pipeline: try Pipeline.load(defaultPipeline), jobs: 2).run(items, outDir: out)
        #expect(summary.documents == 2 && summary.errors == 3)
        let errors = try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: String]
        }
        #expect(errors.map { $0["error"] } == ["not-text", "not-text", "unreadable"])
        #expect(errors[0]["message"] == "not text: looks like a PNG image")
        #expect(errors[2]["source"] == dir + "/missing.txt")
        let records = try String(contentsOfFile: out + "/annotations.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(records.count == 2)
        // Nothing temporary is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["annotations.jsonl", "errors.jsonl"])
    }

    @Test func tooLargeInputIsRefusedBeforeReading() throws {
        let def = try PipelineDefinition.parse("stages:\n  - stage: ingest\n    maxBytes: 10\n", file: "p.yaml")
        let pipeline = try Pipeline.build(def, context: PipelineContext(baseDirectory: repoRoot))
        let dir = try temporaryDirectory("large")
        try Data(String(repeating: "words ", count: 10).utf8).write(to: URL(fileURLWithPath: dir + "/big.txt"))
        let result = BatchRun(pipeline: pipeline, jobs: 1).process(InputItem(source: dir + "/big.txt", error: nil))
        guard case .failure(_, let e, _) = result else { Issue.record("expected a failure"); return }
        #expect(e.kind == .tooLarge)
    }

    @Test func recordsValidateAgainstTheSchemaAndEverySpanIsExact() throws {
        let python = try #require(findExecutable("python3"))
        let out = try temporaryDirectory("schema")
        let items = InputCollector.collect([repoRoot.appendingPathComponent("corpus").path])
        try BatchRun(pipeline: try Pipeline.load(defaultPipeline), jobs: 2).run(items, outDir: out)
        let schema = repoRoot.appendingPathComponent("Tests/Fixtures/annotations.schema.json").path
        let r = try runProcess(python, [repoRoot.appendingPathComponent("Tests/tools/validate_records.py").path, schema, out + "/annotations.jsonl"])
        #expect(r.status == 0, "\(r.output)\(r.error)")
        #expect(r.output.contains("\(items.count) records, 0 problems"))
    }

    @Test func theSchemaCopyMatchesTheSharedSpec() throws {
        let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/spec/annotations.schema.json")
        guard FileManager.default.fileExists(atPath: shared.path) else { return }  // only beside the workspace
        #expect(try Data(contentsOf: shared) == Data(contentsOf: repoRoot.appendingPathComponent("Tests/Fixtures/annotations.schema.json")))
    }
}

@Suite(.serialized, .scratchFolders) struct CommandLineTests {
    @Test func runExitCodesAndSummary() throws {
        let assay = try assayBinary()
        let out = try temporaryDirectory("cli")
        let good = try runProcess(assay, ["run", repoRoot.appendingPathComponent("corpus/seeds").path, "--out", out, "--jobs", "2"])
        #expect(good.status == 0, "\(good.error)")
        #expect(good.output.contains("5 documents"))
        let bad = try runProcess(assay, ["run", repoRoot.appendingPathComponent("corpus/seeds").path, "/nonexistent/file.txt", "--out", out])
        #expect(bad.status == 3)
        #expect(bad.error.contains("/nonexistent/file.txt: unreadable"))
        let usage = try runProcess(assay, ["run", "--out"])
        #expect(usage.status == 2)
        let badPipeline = try temporaryDirectory("cli-pipeline") + "/p.yaml"
        try Data("stages:\n  - stage: ingest\n  - stage: nope\n".utf8).write(to: URL(fileURLWithPath: badPipeline))
        let config = try runProcess(assay, ["run", repoRoot.appendingPathComponent("corpus/seeds").path, "--out", out, "--pipeline", badPipeline])
        #expect(config.status == 2)
        #expect(config.error.contains("p.yaml:3: unknown stage 'nope'"))
    }

    /// A bug stops the whole run: a trap (ASSAY_DEBUG_TRAP makes a debug build stop as one would)
    /// or a recursion too deep for the stack (ASSAY_DEBUG_OVERFLOW; 200,000 nested Markdown links
    /// once did that, and the handler needs its alternate stack then), on a worker thread
    /// (`--jobs 2`) or the main one (`--jobs 1`). The documents in progress are named and no
    /// partial output stays behind.
    @Test(arguments: [("ASSAY_DEBUG_TRAP", "2"), ("ASSAY_DEBUG_OVERFLOW", "1"), ("ASSAY_DEBUG_OVERFLOW", "2")])
    func aBugNamesTheDocumentAndLeavesNoPartialOutput(hook: String, jobs: String) throws {
        let assay = try assayBinary()
        guard assay.contains("/debug/") else {
            Issue.record("needs the debug build of assay (swift build)")
            return
        }
        let out = try temporaryDirectory("cli-bug-\(hook)-\(jobs)")
        let seeds = repoRoot.appendingPathComponent("corpus/seeds").path
        let r = try runProcess(assay, ["run", seeds, "--out", out, "--jobs", jobs],
                               environment: [hook: "002_", "SWIFT_BACKTRACE": "enable=no"])
        #expect(r.status != 0)
        #expect(r.error.contains("stopped by a bug in assay"), "\(r.error)")
        #expect(r.error.contains("corpus/seeds/002_3fae1602d43e06cc.txt"), "\(r.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }

    @Test func helpShowsExamples() throws {
        let assay = try assayBinary()
        for command in ["run", "text"] {
            let r = try runProcess(assay, [command, "--help"])
            #expect(r.status == 0 && r.output.contains("Examples:"), "\(command)")
        }
    }

    @Test func textServeAnswersEachPathWithNUL() throws {
        let assay = try assayBinary()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: assay)
        p.arguments = ["text", "--serve"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        let paths = [repoRoot.appendingPathComponent("corpus/seeds/001_f82b43d4eb800135.txt").path, "/nonexistent", repoRoot.appendingPathComponent("corpus/samples/windows-1252.txt").path]
        input.fileHandleForWriting.write(Data((paths.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let answers = data.split(separator: 0, omittingEmptySubsequences: false)
        #expect(answers.count == 4)  // three answers and what follows the last NUL
        #expect(String(decoding: answers[0], as: UTF8.self).hasPrefix("PROTECTION OF HUMAN RIGHTS DEFENDERS IN PAKISTAN"))
        #expect(answers[1].isEmpty)
        #expect(String(decoding: answers[2], as: UTF8.self).contains("José Muñoz"))
    }
}

/// Scratch folders (`scratchFolder`, behind `temporaryDirectory(_:)` here and `scratch(_:)` in the
/// views' tests) are gone when the test that made them ends, also when it throws, and none is made
/// where nothing would remove it.
@Suite struct ScratchFoldersTests {
    struct Stop: Error {}

    @Test func foldersAreRemovedWhenTheTestEndsAlsoByAnError() async throws {
        let test = try #require(Test.current)
        let made = ScratchFolders.Made()  // (here only a list of what the scopes made)
        try await ScratchFolders().provideScope(for: test, testCase: nil) {
            let dir = try temporaryDirectory("scratch-passes")
            try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/sub/file.txt"))
            #expect(FileManager.default.fileExists(atPath: dir + "/sub/file.txt"))
            made.add(dir)
        }
        await #expect(throws: Stop.self) {
            try await ScratchFolders().provideScope(for: test, testCase: nil) {
                let dir = try temporaryDirectory("scratch-throws")
                try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file.txt"))
                #expect(FileManager.default.fileExists(atPath: dir + "/file.txt"))
                made.add(dir)
                throw Stop()
            }
        }
        #expect(made.list().count == 2)
        for dir in made.list() { #expect(!FileManager.default.fileExists(atPath: dir), "\(dir)") }
    }

    @Test func temporaryDirectoryOutsideAScopeIsAnError() {
        #expect(ScratchFolders.current == nil)  // this suite does not carry the trait
        #expect(throws: ScratchError.self) { try temporaryDirectory("scratch-outside") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-tests-scratch-outside-\(getpid())")
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }
}
