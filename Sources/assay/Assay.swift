import ArgumentParser
import AssayCore
import Foundation
import Views

@main
struct Assay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Text mining for documents about human-rights law: entities, citations, references and dubious references.",
        discussion: """
        Exit codes: 0 every document processed; 3 some inputs could not be read (the others are still \
        written); 2 usage or pipeline-definition errors; 1 `check` found findings at or above \
        --fail-on, or an output could not be written.

        Examples:
          assay run corpus --out out
          assay check corpus/seeds
          assay report corpus/seeds -o report.html
          assay export sqlite --in out/annotations.jsonl --out corpus.sqlite
          assay text corpus/seeds/004_77903b2262417d41.txt
        """,
        version: "0.1.0",
        subcommands: [RunCommand.self, CheckCommand.self, ReportCommand.self, ExportCommand.self, TextCommand.self]
    )

    /// Maps ArgumentParser's usage errors (64) to 2, as the README promises.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as ConfigError {
            FileHandle.standardError.write(Data("assay: error: \(e)\n".utf8))
            Foundation.exit(2)
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)
        } catch let e as ViewError {
            FileHandle.standardError.write(Data("assay: error: \(e)\n".utf8))
            Foundation.exit(1)
        } catch let e as RecordReader.ReadError {
            FileHandle.standardError.write(Data("assay: error: \(e)\n".utf8))
            Foundation.exit(3)
        } catch let e as InputError {
            FileHandle.standardError.write(Data("assay: error: \(e.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Options every command that runs the pipeline shares.
struct PipelineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The pipeline definition to run.", valueName: "file"))
    var pipeline: String?

    @Option(name: .long, help: ArgumentHelp("Documents processed at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}
