import AssayCore
import Foundation
import Pipeline
import Testing
import TestScratch
import Views

/// Records for the export tests: the hand-built article, the hostile document, a document whose
/// finding message looks like a spreadsheet formula and whose text has a carriage return, and the seeds.
func exportRecords(_ dir: String) throws -> (path: String, records: [AnnotationRecord]) {
    let built = try HandBuilt.make(in: dir)
    var formula = Document(source: dir + "/formula.txt", raw: Array("Formula =1+1\r\nand more, \"quoted\"".utf8))
    formula.textBytes = Array("Formula =1+1\r\nand more, \"quoted\"".utf8)
    formula.entities = [Entity(type: .organization, span: Span(8, 20))]  // crosses the CR LF
    formula.findings = [Finding(kind: .undefinedAcronym, message: "=HYPERLINK(\"http://x\",\"y\"), then \"quotes\",\nand a break", entities: [0])]
    var docs = [built.document, Hostile.document(), formula]
    let pipeline = try defaultPipeline()
    for item in InputCollector.collect([seedsPath]) {
        docs.append(try pipeline.process(source: item.source, bytes: try InputCollector.read(item.source, limit: 1 << 26).get()).get())
    }
    let path = dir + "/annotations.jsonl"
    try writeRecords(docs, to: path)
    return (path, try RecordReader(path).readAll())
}

func noTemporaryFiles(_ dir: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let left = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.filter { $0.hasSuffix(".tmp") || $0.hasSuffix(".old") } ?? []
    #expect(left.isEmpty, "temporary files left: \(left)", sourceLocation: sourceLocation)
}

@Suite(.serialized, .scratchFolders) struct ExportTests {
    @Test func webAnnotationsReadBackWithPython() throws {
        let dir = try scratch("webanno")
        let (records, all) = try exportRecords(dir)
        let r = try runProcess(try assayBinary(), ["export", "webanno", "--in", records, "--out", dir + "/out.jsonld"])
        #expect(r.status == 0, "\(r.error)")
        #expect(r.output.contains("exported \(all.count) documents as webanno"))
        let checked = try checkWithPython(["webanno", records, dir + "/out.jsonld"])
        #expect(checked.contains("ok: \(all.count) collections"))
        noTemporaryFiles(dir)
        // The astral character counts as one code point in the position selector.
        let json = try readFile(dir + "/out.jsonld")
        let upr = try #require(all[0].entities.first { $0.key == "upr" })
        #expect(json.contains("\"type\":\"TextPositionSelector\",\"start\":\(upr.start),\"end\":\(upr.end)},{\"type\":\"TextQuoteSelector\",\"exact\":\"Universal Periodic Review 😀\""))
    }

    @Test func bratLoadsByBratsRules() throws {
        let dir = try scratch("brat")
        let (records, all) = try exportRecords(dir)
        let out = dir + "/brat"
        let r = try runProcess(try assayBinary(), ["export", "brat", "--in", records, "--out", out])
        #expect(r.status == 0, "\(r.error)")
        _ = try checkWithPython(["brat", records, out])
        noTemporaryFiles(dir)
        // The span across two line breaks is two fragments; offsets are code points.
        let record = all[0]
        let ann = try readFile(out + "/" + BratExport.baseName(record) + ".ann")
        let person = try #require(record.entities.first { $0.type == "person" })
        let khan = person.start, abstract = person.end - "ABSTRACT".count
        #expect(ann.contains("\tperson \(khan) \(khan + 4);\(abstract) \(person.end)\tKhan ABSTRACT\n"))
        let urdu = try #require(record.entities.first { $0.text == "𝔘rdu" })
        #expect(ann.contains("\tplace \(urdu.start) \(urdu.start + 4)\t𝔘rdu\n"))
        #expect(ann.contains("\tAnnotatorNotes T"))
        #expect(ann.contains("resolves_to Arg1:T"))
        let conf = try readFile(out + "/annotation.conf")
        #expect(conf.hasPrefix(BratExport.marker) && conf.contains("[entities]\ntreaty\n"))

        // Exporting again replaces the earlier export; a folder of other files is never replaced.
        #expect(try runProcess(try assayBinary(), ["export", "brat", "--in", records, "--out", out]).status == 0)
        let foreign = dir + "/mine"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: foreign + "/notes.txt"))
        let refused = try runProcess(try assayBinary(), ["export", "brat", "--in", records, "--out", foreign])
        #expect(refused.status == 1 && refused.error.contains("folder of other files"))
        #expect(try readFile(foreign + "/notes.txt") == "keep me")
        noTemporaryFiles(dir)
    }

    @Test func sqliteIsUpdatedInPlaceWithoutDuplicates() throws {
        let dir = try scratch("sqlite")
        let (records, all) = try exportRecords(dir)
        let db = dir + "/corpus.sqlite"
        for _ in 0..<2 {
            let r = try runProcess(try assayBinary(), ["export", "sqlite", "--in", records, "--out", db])
            #expect(r.status == 0, "\(r.error)")
        }
        _ = try checkWithPython(["sqlite", records, db])
        let store = try SQLiteStore(path: db)
        #expect(try store.count("documents") == all.count)
        #expect(try store.count("findings") == all.reduce(0) { $0 + $1.findings.count })

        // A changed record replaces its rows; the other documents stay as they were.
        let dir2 = try scratch("sqlite-changed")
        var built = try HandBuilt.make(in: dir2).document
        built.findings.removeLast(3)
        try writeRecords([built], to: dir2 + "/changed.jsonl")
        #expect(try runProcess(try assayBinary(), ["export", "sqlite", "--in", dir2 + "/changed.jsonl", "--out", db]).status == 0)
        #expect(try store.count("documents") == all.count)
        #expect(try store.count("findings") == all.reduce(0) { $0 + $1.findings.count } - 3)
        #expect(try store.count("finding_spans") > 0)

        // The record's SQLite view written directly by the library matches the CLI's.
        let direct = try SQLiteStore(path: dir + "/direct.sqlite")
        try direct.upsert(all)
        _ = try checkWithPython(["sqlite", records, dir + "/direct.sqlite"])
    }

    @Test func csvReadsBackWithPythonsCsvModule() throws {
        let dir = try scratch("csv")
        let (records, _) = try exportRecords(dir)
        let out = dir + "/findings.csv"
        let r = try runProcess(try assayBinary(), ["export", "csv", "--in", records, "--out", out])
        #expect(r.status == 0, "\(r.error)")
        _ = try checkWithPython(["csv", records, out])
        let csv = try readFile(out)
        #expect(csv.hasPrefix("document_id,source,finding_id,kind,severity,message,text_line,text_column,span_text,citations,references,entities,score\r\n"))
        #expect(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\"), then \"\"quotes\"\",\nand a break\","))
        noTemporaryFiles(dir)
    }

    @Test func runWritesEveryViewInOneGo() throws {
        let assay = try assayBinary()
        let dir = try scratch("run-views")
        let built = try HandBuilt.make(in: dir)
        let out = dir + "/out"
        let r = try runProcess(assay, ["run", built.path, seedsPath, "--out", out, "--format", "webanno,brat", "--format", "sqlite",
                                       "--format", "csv,html", "--report", dir + "/report.html", "--db", dir + "/db.sqlite",
                                       "--verbose", "--jobs", "2"])
        #expect(r.status == 0, "\(r.error)")
        let records = out + "/annotations.jsonl"
        for name in ["annotations.jsonl", "errors.jsonl", "annotations.jsonld", "brat", "annotations.sqlite", "findings.csv", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
        }
        _ = try checkWithPython(["webanno", records, out + "/annotations.jsonld"])
        _ = try checkWithPython(["brat", records, out + "/brat"])
        _ = try checkWithPython(["sqlite", records, out + "/annotations.sqlite"])
        _ = try checkWithPython(["sqlite", records, dir + "/db.sqlite"])
        _ = try checkWithPython(["csv", records, out + "/findings.csv"])
        #expect(try readFile(dir + "/report.html") == (try readFile(out + "/report.html")))
        // --verbose: a line per document on standard error; off a terminal no progress bar.
        let verbose = r.error.split(separator: "\n").filter { $0.hasPrefix("assay: ") && $0.contains(" characters, ") }
        #expect(verbose.count == 6)
        #expect(!r.error.contains("\u{1B}") && !r.error.contains("\r"))
        #expect(r.output.hasPrefix("assay: 6 documents"))
        noTemporaryFiles(out)

        // --quiet: nothing on standard output; errors still on standard error.
        let quiet = try runProcess(assay, ["run", built.path, "/nonexistent.txt", "--out", dir + "/q", "--quiet"])
        #expect(quiet.status == 3 && quiet.output.isEmpty)
        #expect(quiet.error.contains("/nonexistent.txt: unreadable"))
        #expect(try runProcess(assay, ["run", built.path, "--out", dir + "/q", "--format", "pdf"]).status == 2)
        #expect(try runProcess(assay, ["run", built.path, "--out", dir + "/q", "--quiet", "--verbose"]).status == 2)
        // The report of a run lists the inputs that could not be read.
        let withErrors = try runProcess(assay, ["run", built.path, "/nonexistent.txt", "--out", dir + "/e", "--report", dir + "/e.html"])
        #expect(withErrors.status == 3)
        #expect(try readFile(dir + "/e.html").contains("<code>/nonexistent.txt</code>"))
    }

    @Test func reportAndExportCommandsReadRecords() throws {
        let assay = try assayBinary()
        let dir = try scratch("report-cmd")
        let (records, all) = try exportRecords(dir)
        try Data("{\"source\":\"lost.txt\",\"error\":\"not-text\",\"message\":\"looks like a PNG image\"}\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/errors.jsonl"))
        let r = try runProcess(assay, ["report", "--in", dir, "-o", dir + "/r.html", "--title", "Review <1>"])
        #expect(r.status == 0, "\(r.error)")
        let html = try readFile(dir + "/r.html")
        #expect(html.contains("<title>Review &lt;1&gt;</title>") && html.contains("<code>lost.txt</code>"))
        #expect(html.components(separatedBy: "<article class=\"doc\"").count - 1 == all.count)
        let fromPaths = try runProcess(assay, ["report", seedsPath, "-o", dir + "/seeds.html"])
        #expect(fromPaths.status == 0 && fromPaths.output.contains("5 documents"))
        #expect(try runProcess(assay, ["report", "-o", dir + "/x.html"]).status == 2)
        #expect(try runProcess(assay, ["export", "html", "--in", records, "--out", dir + "/e.html"]).status == 0)
        #expect(try runProcess(assay, ["export", "csv", "--in", dir + "/missing.jsonl", "--out", dir + "/x.csv"]).status == 3)
        #expect(try runProcess(assay, ["export", "yaml", "--in", records, "--out", dir + "/x"]).status == 2)
        noTemporaryFiles(dir)
    }
}

/// Runs a command line under a pseudo-terminal (util-linux `script`), so isatty(1) and isatty(2) hold.
func runOnTerminal(_ command: String, environment: [String: String] = [:]) throws -> ProcessResult? {
    guard let script = findExecutable("script") else { return nil }
    var env = ["TERM": "xterm-256color"]  // `swift test` may run with TERM=dumb
    for (k, v) in environment { env[k] = v }
    return try runProcess(script, ["-qec", command, "/dev/null"], environment: env)
}

func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

@Suite(.serialized, .scratchFolders) struct TerminalTests {
    @Test func progressBarAndColourOnlyOnATerminal() throws {
        let assay = shellQuote(try assayBinary())
        let dir = try scratch("terminal")
        let corpus = shellQuote(repoRoot.appendingPathComponent("corpus").path)
        guard let tty = try runOnTerminal("\(assay) run \(corpus) --out \(shellQuote(dir + "/out")) --jobs 2") else {
            print("util-linux `script` is not installed: terminal behaviour not checked")
            return
        }
        #expect(tty.status == 0, "\(tty.output)")
        #expect(tty.output.contains("\u{1B}[2K") && tty.output.contains(" documents  "), "a progress bar on a terminal")
        #expect(tty.output.contains("/s"))
        let quiet = try #require(try runOnTerminal("\(assay) run \(corpus) --out \(shellQuote(dir + "/q")) --quiet"))
        #expect(quiet.status == 0 && quiet.output.isEmpty, "--quiet prints nothing: \(quiet.output)")

        let built = try HandBuilt.make(in: dir)
        try writeRecords([built.document], to: dir + "/a.jsonl")
        let records = shellQuote(dir + "/a.jsonl")
        let coloured = try #require(try runOnTerminal("\(assay) check --in \(records)", environment: ["NO_COLOR": ""]))
        #expect(coloured.status == 1 && coloured.output.contains("\u{1B}[1;31merror\u{1B}[0m"), "\(coloured.output.debugDescription)")
        let plain = try #require(try runOnTerminal("\(assay) check --in \(records)", environment: ["NO_COLOR": "1"]))
        #expect(plain.status == 1 && !plain.output.contains("\u{1B}") && plain.output.contains(": error: "))
    }
}
