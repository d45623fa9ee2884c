import ArgumentParser
import AssayCore
import Foundation
import Pipeline
import Views

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page to read the results in a browser.",
        discussion: """
        The page has a corpus overview (documents, findings by kind and severity, the most-mentioned \
        entities), then each document's text with entities, citations and reference entries \
        highlighted: hover or click one to see what it is, which reference a citation resolved to and \
        the findings about it. Each document lists its findings (click one to jump to its place) and \
        its references, with uncited and duplicated entries marked. Filters by severity and kind and a \
        colour legend sit at the top. The file loads nothing from the network; all document text is \
        escaped, so markup in a document is shown as text and never runs.

        Runs the pipeline on the paths given, or reads existing records with --in (and the \
        errors.jsonl beside them). Exit codes: 0 written; 3 some inputs could not be read (the report \
        is still written and lists them); 2 usage or pipeline-definition errors.

        Examples:
          assay report corpus/seeds -o report.html
          assay report --in out/annotations.jsonl -o report.html
          assay report paper.txt -o paper.html --title "Review of paper.txt"
        """
    )

    @Argument(help: ArgumentHelp("Files or folders to run the pipeline on.", valueName: "path"))
    var paths: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output: String

    @Option(name: .customLong("in"), help: ArgumentHelp("Read these records (annotations.jsonl, or the folder holding it) instead of running the pipeline.", valueName: "file"))
    var records: String?

    @Option(name: .long, help: ArgumentHelp("The page title.", valueName: "text"))
    var title: String = "assay report"

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup var options: PipelineOptions

    func validate() throws {
        if paths.isEmpty && records == nil { throw ValidationError("give files or folders, or --in FILE") }
        if !paths.isEmpty && records != nil { throw ValidationError("give either paths or --in, not both") }
    }

    func run() throws {
        var all: [AnnotationRecord] = []
        var errors: [HTMLReport.InputErrorLine] = []
        if let records {
            let path = recordsPath(records)
            do {
                all = try RecordReader(path).readAll()
            } catch let e as RecordReader.ReadError {
                printError("assay: \(e)")
                throw ExitCode(3)
            }
            errors = inputErrors(besideRecords: path)
        } else {
            let pipeline = try Pipeline.load(options.pipeline ?? defaultPipelinePath())
            let items = InputCollector.collect(paths)
            let batch = BatchRun(pipeline: pipeline, jobs: options.jobCount)
            let progress = Progress(items: items, enabled: Terminal.isTTY(2) && !quiet)
            try orderedParallelMap(count: items.count, jobs: options.jobCount, work: { batch.process(items[$0]) }) { _, result in
                switch result {
                case .record(let line, _, let bytes):
                    all.append(try AnnotationRecord.decode(line))
                    progress.advance(bytes: bytes)
                case .failure(let source, let error, let bytes):
                    errors.append(HTMLReport.InputErrorLine(source: source, error: error.kind.rawValue, message: error.message))
                    progress.log("assay: \(source): \(error.kind.rawValue): \(error.message)")
                    progress.advance(bytes: bytes)
                }
            }
            progress.finish()
        }
        let html = HTMLReport(records: all, errors: errors, title: title).render()
        let file = try AtomicFile(output)
        try file.write(html)
        try file.commit()
        if !quiet {
            let findings = all.reduce(0) { $0 + $1.findings.count }
            print("assay: \(all.count) document\(all.count == 1 ? "" : "s"), \(findings) finding\(findings == 1 ? "" : "s"); wrote \(output)")
        }
        if !errors.isEmpty && records == nil { throw ExitCode(3) }
    }
}
