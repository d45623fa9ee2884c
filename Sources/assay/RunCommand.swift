import ArgumentParser
import AssayCore
import Foundation
import Pipeline
import Views

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the pipeline on files and folders and write one annotation record per document.",
        discussion: """
        Folders are read recursively in sorted path order; hidden files and symbolic-link loops are \
        skipped. Writes DIR/annotations.jsonl (one record per document, in input order) and \
        DIR/errors.jsonl (one line per input that could not be read), each renamed into place only \
        when complete. The output is byte-identical whatever --jobs is.

        Views of the same records can be written in the same run: --format (into DIR, repeatable or \
        comma-separated), --report FILE (the HTML report) and --db FILE (SQLite, updated in place). \
        The formats and where --format puts them:
          webanno  DIR/annotations.jsonld   W3C Web Annotations (JSON-LD)
          brat     DIR/brat/                brat standoff .txt/.ann + annotation.conf
          sqlite   DIR/annotations.sqlite   SQLite tables + FTS5 index
          csv      DIR/findings.csv         findings, RFC 4180
          html     DIR/report.html          the HTML report

        On a terminal a progress bar on standard error shows documents and bytes done, the rate and \
        the time left; off a terminal only the final summary is printed. --quiet prints only errors; \
        --verbose adds a line per document.
        Exit codes: 0 every document processed; 3 some inputs could not be read (the others are still \
        written); 2 usage or pipeline-definition errors; 1 an output could not be written.

        Examples:
          assay run corpus --out out
          assay run paper.txt reports/ --out out --jobs 1
          assay run corpus --out out --pipeline pipelines/default.yaml
          assay run corpus --out out --report out/report.html --db corpus.sqlite
          assay run corpus --out out --format webanno,brat,csv --quiet
        """
    )

    @Argument(help: ArgumentHelp("Files or folders to read.", valueName: "path"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("The folder to write annotations.jsonl and errors.jsonl into.", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Also write these views into the output folder: webanno, brat, sqlite, csv, html (repeat the option or separate with commas).", valueName: "format"))
    var format: [String] = []

    @Option(name: .long, help: ArgumentHelp("Also write the HTML report to this file.", valueName: "file"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Also write the records into this SQLite database (updated in place by document id).", valueName: "file"))
    var db: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors (no progress, no summary).")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print a line per document on standard error.")
    var verbose = false

    @OptionGroup var options: PipelineOptions

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
        _ = try formats()
    }

    func formats() throws -> [ExportFormat] {
        var out: [ExportFormat] = []
        for value in format {
            for part in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
                guard let f = ExportFormat(rawValue: part.lowercased()) else {
                    throw ValidationError("unknown format '\(part)' (known: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                if !out.contains(f) { out.append(f) }
            }
        }
        return out
    }

    func run() throws {
        let pipeline = try Pipeline.load(options.pipeline ?? defaultPipelinePath())
        let items = InputCollector.collect(paths)
        let progress = Progress(items: items, enabled: Terminal.isTTY(2) && !quiet)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)

        // Views written in the same run.
        var errorsSeen: [HTMLReport.InputErrorLine] = []
        let errorList = { errorsSeen }
        var sinks: [RecordSink] = []
        do {
            for f in try formats() {
                sinks.append(try makeSink(f, path: out + "/" + f.defaultName, inputErrors: errorList))
            }
            if let report { sinks.append(try makeSink(.html, path: report, inputErrors: errorList)) }
            if let db { sinks.append(try makeSink(.sqlite, path: db)) }
        } catch {
            sinks.forEach { $0.abort() }
            throw error
        }
        let needRecords = !sinks.isEmpty || verbose

        let batch = BatchRun(pipeline: pipeline, jobs: options.jobCount)
        let summary: BatchSummary
        do {
            summary = try batch.run(items, outDir: out, observe: { _, result in
                switch result {
                case .record(let line, _, let bytes):
                    if needRecords {
                        let record = try AnnotationRecord.decode(line)
                        for s in sinks { try s.add(record) }
                        if verbose { progress.log(Self.describe(record)) }
                    }
                    progress.advance(bytes: bytes)
                case .failure(_, _, let bytes):
                    progress.advance(bytes: bytes)
                }
            }, reportError: { source, error in
                errorsSeen.append(HTMLReport.InputErrorLine(source: source, error: error.kind.rawValue, message: error.message))
                progress.log("assay: \(source): \(error.kind.rawValue): \(error.message)")
            })
            for s in sinks { try s.finish() }
        } catch {
            progress.finish()
            sinks.forEach { $0.abort() }
            throw error
        }
        progress.finish()
        if !quiet {
            var wrote = ["\(out)/annotations.jsonl"] + sinks.map(\.output)
            if wrote.count > 3 { wrote = [wrote[0], "\(wrote.count - 1) views"] }
            print("assay: \(summary.line); wrote \(wrote.joined(separator: ", "))")
        }
        if summary.errors > 0 { throw ExitCode(3) }
    }

    /// The --verbose line of one document.
    static func describe(_ r: AnnotationRecord) -> String {
        let sev = Dictionary(grouping: r.findings, by: \.severity).mapValues(\.count)
        var findings = "\(r.findings.count) finding\(r.findings.count == 1 ? "" : "s")"
        let parts = ["error", "warning", "info"].compactMap { s in sev[s].map { "\($0) \(s)" } }
        if !parts.isEmpty { findings += " (\(parts.joined(separator: ", ")))" }
        return "assay: \(r.document.source): \(r.document.mediaType), \(r.document.textLength) characters, "
            + "\(r.entities.count) entities, \(r.citations.count) citations, \(r.references.count) references, \(findings)"
    }
}
