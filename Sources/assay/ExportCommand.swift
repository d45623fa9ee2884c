import ArgumentParser
import AssayCore
import Foundation
import Pipeline
import Views

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Turn annotation records into another format: Web Annotations, brat, SQLite, CSV or HTML.",
        discussion: """
        Reads annotations.jsonl (as written by `assay run`) and writes:

        \(ExportFormat.help)

        Files are written under a temporary name and renamed into place when complete; a brat folder \
        is built beside its destination and swapped in (an existing folder is replaced only if it is \
        empty or an earlier assay brat export). SQLite is updated in place: each document's rows are \
        replaced, keyed by document id, in a transaction, so running again never duplicates rows.
        Exit codes: 0 written; 3 the records could not be read; 1 the output could not be written; \
        2 usage errors.

        Examples:
          assay export webanno --in out/annotations.jsonl --out out/annotations.jsonld
          assay export brat --in out --out out/brat
          assay export sqlite --in out/annotations.jsonl --out corpus.sqlite
          assay export csv --in out/annotations.jsonl --out findings.csv
        """
    )

    @Argument(help: ArgumentHelp("webanno, brat, sqlite, csv or html.", valueName: "format"))
    var format: ExportFormat

    @Option(name: .customLong("in"), help: ArgumentHelp("The records: annotations.jsonl, or the folder holding it.", valueName: "file"))
    var records: String

    @Option(name: .long, help: ArgumentHelp("The file (folder for brat) to write.", valueName: "path"))
    var out: String

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let path = recordsPath(records)
        guard FileManager.default.isReadableFile(atPath: path) else {
            printError("assay: \(path): unreadable: cannot read the records")
            throw ExitCode(3)
        }
        let sink = try makeSink(format, path: out, inputErrors: { inputErrors(besideRecords: path) })
        var count = 0
        do {
            try RecordReader(path).forEach { r in
                try sink.add(r)
                count += 1
            }
            try sink.finish()
        } catch let e as RecordReader.ReadError {
            sink.abort()
            printError("assay: \(e)")
            throw ExitCode(3)
        } catch {
            sink.abort()
            throw error
        }
        if !quiet {
            print("assay: exported \(count) document\(count == 1 ? "" : "s") as \(format.rawValue) to \(out)")
        }
    }
}
