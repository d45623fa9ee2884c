import ArgumentParser
import AssayCore
import Foundation
import Ingest
import Pipeline
import Views

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List the findings of documents as compiler-style lines, for editors and CI.",
        discussion: """
        Runs the pipeline on the files and folders given and prints one line per finding:

          path:line:column: severity: message [kind]

        line and column point at the finding's first span in the INPUT FILE (column in characters), \
        so editors and CI annotators can jump there. A summary per kind follows. Nothing is written \
        to disk. Inputs that cannot be read are reported on standard error.

        With --in, lists the findings of existing records instead; positions are then in each \
        record's normalized text (the record keeps no map back to the input file).

        Exit codes: 0 no finding at or above --fail-on; 1 some finding at or above --fail-on; \
        3 some inputs could not be read (wins over 1); 2 usage or pipeline-definition errors.
        Colour only when standard output is a terminal and NO_COLOR is not set (or --color).

        Examples:
          assay check corpus/seeds
          assay check paper.txt --fail-on warning
          assay check corpus --format json > findings.json
          assay check --in out/annotations.jsonl
        """
    )

    enum Threshold: String, ExpressibleByArgument, CaseIterable, Sendable {
        case error, warning, info
        var severity: Severity { Severity(rawValue: rawValue)! }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case text, json
    }

    @Argument(help: ArgumentHelp("Files or folders to check.", valueName: "path"))
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("Exit 1 when a finding of this severity or higher exists.", valueName: "severity"))
    var failOn: Threshold = .error

    @Option(name: .long, help: ArgumentHelp("text: one line per finding and a summary; json: one JSON object with findings, errors and summary.", valueName: "format"))
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("Colour the text output: auto (a terminal without NO_COLOR), always, never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Option(name: .customLong("in"), help: ArgumentHelp("List the findings of this annotations.jsonl (or folder holding it) instead of running the pipeline.", valueName: "file"))
    var records: String?

    @Flag(name: .shortAndLong, help: "No summary: only the finding lines (and errors).")
    var quiet = false

    @OptionGroup var options: PipelineOptions

    func validate() throws {
        if paths.isEmpty && records == nil { throw ValidationError("give files or folders to check, or --in FILE") }
        if !paths.isEmpty && records != nil { throw ValidationError("give either paths or --in, not both") }
    }

    /// What checking one input gave.
    enum Checked: Sendable {
        case document(AnnotationRecord, [LocatedFinding], bytes: Int)
        case failure(source: String, error: InputError, bytes: Int)
    }

    func run() throws {
        let style = FindingsListing.Style(color: format == .text && color.enabled(fd: 1))
        let out = StandardOutput()
        var summary = FindingsListing.Summary()
        var errors: [(String, InputError)] = []
        var first = true
        if format == .json { out.write("{\"findings\":[") }

        func emit(_ located: [LocatedFinding]) {
            for f in located {
                switch format {
                case .text: out.write(FindingsListing.line(f, style: style) + "\n")
                case .json:
                    out.write(first ? "\n" : ",\n")
                    out.write(FindingsListing.json(f))
                    first = false
                }
            }
        }

        if let records {
            let path = recordsPath(records)
            do {
                try RecordReader(path).forEach { r in
                    summary.add(r)
                    emit(FindingsListing.locateInText(record: r))
                }
            } catch let e as RecordReader.ReadError {
                out.flush()
                printError("assay: \(e)")
                throw ExitCode(3)
            }
        } else {
            let pipeline = try Pipeline.load(options.pipeline ?? defaultPipelinePath())
            let items = InputCollector.collect(paths)
            var configured = BatchRun(pipeline: pipeline, jobs: options.jobCount)
            configured.keepDocuments = true
            let batch = configured
            let progress = Progress(items: items, enabled: Terminal.isTTY(2) && !quiet)
            let work: @Sendable (Int) -> Checked = { i in Self.check(items[i], batch: batch) }
            orderedParallelMap(count: items.count, jobs: options.jobCount, work: work) { _, result in
                switch result {
                case .document(let record, let located, let bytes):
                    summary.add(record)
                    emit(located)
                    progress.advance(bytes: bytes)
                case .failure(let source, let error, let bytes):
                    summary.unreadable += 1
                    errors.append((source, error))
                    out.flush()
                    progress.log("assay: \(source): \(error.kind.rawValue): \(error.message)")
                    progress.advance(bytes: bytes)
                }
            }
            progress.finish()
        }

        switch format {
        case .text:
            if !quiet {
                for line in summary.lines(style: style) { out.write(line + "\n") }
            }
        case .json:
            out.write(first ? "]" : "\n]")
            out.write(",\"errors\":[")
            for (n, e) in errors.enumerated() {
                if n > 0 { out.write(",") }
                out.write(BatchRun.errorLine(source: e.0, error: e.1))
            }
            out.write("],\"summary\":")
            out.write(FindingsListing.json(summary))
            out.write("}\n")
        }
        out.flush()
        if summary.unreadable > 0 { throw ExitCode(3) }
        if let highest = summary.highest, highest >= failOn.severity { throw ExitCode(1) }
    }

    /// Runs the pipeline on one input and locates its findings in the input file.
    static func check(_ item: InputItem, batch: BatchRun) -> Checked {
        switch batch.process(item) {
        case .failure(let source, let error, let bytes):
            return .failure(source: source, error: error, bytes: bytes)
        case .record(let line, let document, let bytes):
            let record: AnnotationRecord
            do {
                record = try AnnotationRecord.decode(line)
            } catch {
                return .failure(source: item.source, error: InputError(.internalError, "record not readable: \(error)"), bytes: bytes)
            }
            guard !record.findings.isEmpty else { return .document(record, [], bytes: bytes) }
            // The document's source map points into the decoded input: read the file again and
            // decode it the way ingest did.
            if let document, case .success(let raw) = InputCollector.read(item.source, limit: batch.pipeline.maxInputBytes),
               let decoded = try? decodedSource(raw) {
                return .document(record, FindingsListing.locate(record: record, document: document, decodedSource: decoded), bytes: bytes)
            }
            return .document(record, FindingsListing.locateInText(record: record), bytes: bytes)
        }
    }
}
