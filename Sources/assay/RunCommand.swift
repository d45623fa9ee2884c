import ArgumentParser
import AssayCore
import Foundation
import Pipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the pipeline on files and folders and write one annotation record per document.",
        discussion: """
        Folders are read recursively in sorted path order; hidden files and symbolic-link loops are \
        skipped. Writes DIR/annotations.jsonl (one record per document, in input order) and \
        DIR/errors.jsonl (one line per input that could not be read), each renamed into place only \
        when complete. The output is byte-identical whatever --jobs is.

        Examples:
          assay run corpus --out out
          assay run paper.txt reports/ --out out --jobs 1
          assay run corpus --out out --pipeline pipelines/default.yaml
        """
    )

    @Argument(help: ArgumentHelp("Files or folders to read.", valueName: "path"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("The folder to write annotations.jsonl and errors.jsonl into.", valueName: "dir"))
    var out: String

    @OptionGroup var options: PipelineOptions

    func run() throws {
        let pipeline = try Pipeline.load(options.pipeline ?? defaultPipelinePath())
        let items = InputCollector.collect(paths)
        let batch = BatchRun(pipeline: pipeline, jobs: options.jobCount)
        let summary = try batch.run(items, outDir: out, reportError: { source, error in
            printError("assay: \(source): \(error.kind.rawValue): \(error.message)")
        })
        print("assay: \(summary.line); wrote \(out)/annotations.jsonl")
        if summary.errors > 0 { throw ExitCode(3) }
    }
}
