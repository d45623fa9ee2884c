import ArgumentParser
import AssayCore
import Foundation
import Ingest
import Pipeline

struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Print the ingested text of a document: what every later stage sees.",
        discussion: """
        With --serve, reads one path per line on standard input and answers each with its text \
        followed by a NUL byte (an unreadable page answers with an empty text), until input ends.

        Examples:
          assay text corpus/samples/article-page.html
          printf '%s\\n' page1.html page2.html | assay text --serve
        """
    )

    @Argument(help: ArgumentHelp("The document to read.", valueName: "path"))
    var path: String?

    @Flag(name: .long, help: "Answer paths read from standard input, each text ended by a NUL byte.")
    var serve = false

    @Flag(name: .long, help: "Also print the blocks and sections found, one per line, after the text.")
    var blocks = false

    func validate() throws {
        if serve == (path != nil) { throw ValidationError("give either a path or --serve") }
    }

    func run() throws {
        if serve {
            while let line = readLine(strippingNewline: true) {
                var out: [UInt8] = []
                if case .success(let bytes) = InputCollector.read(line, limit: 1 << 30),
                   let doc = try? ingestDocument(source: line, bytes: bytes) {
                    out = doc.textBytes
                }
                out.append(0)
                FileHandle.standardOutput.write(Data(out))
            }
            return
        }
        guard let path else { return }
        let bytes: [UInt8]
        switch InputCollector.read(path, limit: 1 << 30) {
        case .failure(let e):
            printError("assay: \(path): \(e.kind.rawValue): \(e.message)")
            throw ExitCode(3)
        case .success(let b): bytes = b
        }
        do {
            let doc = try ingestDocument(source: path, bytes: bytes)
            FileHandle.standardOutput.write(Data(doc.textBytes + [0x0A]))
            if blocks {
                print("--- \(doc.mediaType.rawValue), \(doc.encoding), title: \(doc.title ?? "-")")
                for b in doc.blocks { print("block \(b.kind.rawValue)\(b.level > 0 ? "/\(b.level)" : "") \(b.span.start)..<\(b.span.end): \(doc.string(b.span).prefix(70))") }
                for s in doc.sections { print("section \(s.kind.rawValue) \(s.span.start)..<\(s.span.end)\(s.label.map { " [\($0)]" } ?? ""): \(doc.string(s.span).prefix(60))") }
            }
        } catch let e as InputError {
            printError("assay: \(path): \(e.kind.rawValue): \(e.message)")
            throw ExitCode(3)
        }
    }
}
