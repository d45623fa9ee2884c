import AssayCore
import Foundation
import Ingest
import Pipeline
import Testing
import TestScratch
import Views

@Suite(.scratchFolders) struct RecordModelTests {
    @Test func decodesTheRecordTheWriterWritesWithExactSpans() throws {
        let built = try HandBuilt.make(in: try scratch("record"))
        let record = try AnnotationRecord(built.document)
        #expect(record.schema == "assay.annotations/1")
        #expect(record.document.encoding == "UTF-8")
        #expect(record.entities.count == 11 && record.citations.count == 4 && record.references.count == 5 && record.findings.count == 9)
        let text = ScalarText(record.text)
        #expect(text.count == record.document.textLength)
        for e in record.entities { #expect(text.slice(e.start, e.end) == e.text) }
        for c in record.citations { #expect(text.slice(c.start, c.end) == c.text) }
        for r in record.references { #expect(text.slice(r.start, r.end) == r.text) }
        // Extra fields the writer adds are kept.
        let cedaw = try #require(record.entities.first { $0.text == "CEDAW" })
        #expect(cedaw.attributes == ["acronym": "CEDAW"])
        let kai = try #require(record.citations.first { $0.authors == ["Kai"] })
        #expect(kai.defects == ["et. Al"] && kai.etAl == true)
        #expect(record.references.first { $0.volume == "4" }?.issue == "2")
        // Astral characters count as one offset each.
        let upr = try #require(record.entities.first { $0.key == "upr" })
        #expect(upr.end - upr.start == "Universal Periodic Review 😀".unicodeScalars.count)
    }

    @Test func toleratesAddedFieldsAndReportsTheLineOfABadRecord() throws {
        let dir = try scratch("reader")
        let built = try HandBuilt.make(in: dir)
        var line = String(decoding: RecordWriter.json(built.document), as: UTF8.self)
        line = line.replacingOccurrences(of: "\"schema\":\"assay.annotations/1\",", with: "\"schema\":\"assay.annotations/1\",\"futureField\":{\"x\":[1,2]},")
        let path = dir + "/annotations.jsonl"
        try Data((line + "\n\n" + line + "\n{\"schema\":\"assay.annotations/1\"}\n").utf8).write(to: URL(fileURLWithPath: path))
        var seen = 0
        do {
            try RecordReader(path).forEach { _ in seen += 1 }
            Issue.record("a record without its fields must be an error")
        } catch let e as RecordReader.ReadError {
            #expect(e.line == 4)
            #expect(e.description.contains("annotations.jsonl:4: not an annotation record: missing 'document'"))
        }
        #expect(seen == 2)
        #expect(throws: RecordReader.ReadError.self) { try RecordReader(dir + "/missing.jsonl").readAll() }
    }

    @Test func byteOffsetsInvertScalarOffsets() {
        let text = Array("a😀b\né𝔘\n\u{2028}xyz".utf8) + Array(String(repeating: "ü😀", count: 100).utf8)
        let forward = ScalarIndex(text)
        let back = ByteOffsets(text)
        var b = 0
        while b <= text.count {
            if b == text.count || text[b] & 0xC0 != 0x80 {
                #expect(back.byteOffset(forScalar: forward.scalarOffset(b)) == b)
            }
            b += 1
        }
    }
}

@Suite(.scratchFolders) struct FindingsListingTests {
    @Test func positionsPointAtTheFirstSpanInTheInputFile() throws {
        let built = try HandBuilt.make(in: try scratch("positions"))
        let record = try AnnotationRecord(built.document)
        let decoded = try decodedSource(built.raw)
        let located = FindingsListing.locate(record: record, document: built.document, decodedSource: decoded)
        #expect(located.count == 9)
        for f in located {
            let (needle, occurrence) = try #require(HandBuilt.expectedAnchors[f.finding.kind], "\(f.finding.kind)")
            let expected = try #require(filePosition(of: needle, occurrence: occurrence, in: built.raw))
            #expect(f.position == SourcePosition(line: expected.line, column: expected.column), "\(f.finding.kind)")
        }
        // The file and the text disagree for text after the repaired line breaks: the check is real.
        let orphan = try #require(located.first { $0.finding.kind == "orphan-citation" })
        let inText = try #require(FindingsListing.locateInText(record: record).first { $0.finding.kind == "orphan-citation" })
        #expect(orphan.position != inText.position)
    }

    @Test func locatorAgreesWithLineAndColumnEverywhere() throws {
        let built = try HandBuilt.make(in: try scratch("locator"))
        let decoded = try decodedSource(built.raw)
        let locator = SourceLocator(document: built.document, decodedSource: decoded)
        for offset in 0...built.document.textBytes.count {
            let reference = lineAndColumn(in: decoded, at: built.document.sourceMap.sourceOffset(forTextOffset: offset))
            #expect(locator.position(forTextOffset: offset) == SourcePosition(line: reference.line, column: reference.column))
        }
    }

    @Test func linesHaveTheCompilerFormAndColourOnlyWhenAsked() throws {
        let built = try HandBuilt.make(in: try scratch("lines"))
        let record = try AnnotationRecord(built.document)
        let located = FindingsListing.locate(record: record, document: built.document, decodedSource: try decodedSource(built.raw))
        let lines = located.map { FindingsListing.line($0) }
        let pattern = /^(.+):(\d+):(\d+): (error|warning|info): (.+) \[([a-z-]+)\]$/
        for (l, f) in zip(lines, located) {
            let m = try #require(l.wholeMatch(of: pattern), "\(l)")
            #expect(String(m.1) == built.path && String(m.4) == f.finding.severity && String(m.6) == f.finding.kind)
            #expect(!l.contains("\u{1B}") && !l.contains("\n"))
        }
        // A message with a line break stays on one line.
        #expect(lines.contains { $0.contains("ICCPR is not defined in this document.") })
        let coloured = FindingsListing.line(located[0], style: .init(color: true))
        #expect(coloured.contains("\u{1B}[") && coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) == lines[0])

        var summary = FindingsListing.Summary()
        summary.add(record)
        #expect(summary.highest == .error)
        let text = summary.lines()
        #expect(text[0] == "3 errors, 4 warnings, 2 info in 1 of 1 document")
        #expect(text.contains { $0.hasPrefix("  orphan-citation") && $0.hasSuffix(" 1") })
        #expect(text.count == 10)
    }
}

@Suite(.serialized, .scratchFolders) struct CheckCommandTests {
    @Test func checkListsFindingsOfRecordsAndExitsByThreshold() throws {
        let assay = try assayBinary()
        let dir = try scratch("check-in")
        let built = try HandBuilt.make(in: dir)
        try writeRecords([built.document], to: dir + "/annotations.jsonl")
        let r = try runProcess(assay, ["check", "--in", dir + "/annotations.jsonl"])
        #expect(r.status == 1, "\(r.error)")
        let lines = r.output.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix(built.path + ":") }.count == 9)
        #expect(lines.contains("3 errors, 4 warnings, 2 info in 1 of 1 document"))
        #expect(!r.output.contains("\u{1B}"))  // not a terminal: no colour

        // Only warnings and info: passes at the default threshold, fails at --fail-on warning.
        var mild = built.document
        mild.findings = mild.findings.filter { $0.severity != .error }
        try writeRecords([mild], to: dir + "/mild.jsonl")
        #expect(try runProcess(assay, ["check", "--in", dir + "/mild.jsonl"]).status == 0)
        #expect(try runProcess(assay, ["check", "--in", dir + "/mild.jsonl", "--fail-on", "warning"]).status == 1)
        var infoOnly = built.document
        infoOnly.findings = infoOnly.findings.filter { $0.severity == .info }
        try writeRecords([infoOnly], to: dir + "/info.jsonl")
        #expect(try runProcess(assay, ["check", "--in", dir + "/info.jsonl", "--fail-on", "warning"]).status == 0)
        #expect(try runProcess(assay, ["check", "--in", dir + "/info.jsonl", "--fail-on", "info"]).status == 1)

        // Colour when forced, never with --color never; NO_COLOR keeps auto plain.
        let forced = try runProcess(assay, ["check", "--in", dir + "/annotations.jsonl", "--color", "always"])
        #expect(forced.output.contains("\u{1B}[1;31merror"))
        let noColor = try runProcess(assay, ["check", "--in", dir + "/annotations.jsonl"], environment: ["NO_COLOR": "1"])
        #expect(!noColor.output.contains("\u{1B}"))

        // JSON: one object with findings, errors and summary.
        let json = try runProcess(assay, ["check", "--in", dir + "/annotations.jsonl", "--format", "json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 9)
        #expect(findings.allSatisfy { $0["path"] as? String == built.path && $0["line"] is Int && $0["kind"] is String })
        let summary = try #require(object["summary"] as? [String: Any])
        #expect((summary["severities"] as? [String: Int])?["error"] == 3)
    }

    @Test func checkRunsThePipelineOnTheSeeds() throws {
        let assay = try assayBinary()
        let r = try runProcess(assay, ["check", seedsPath, "--jobs", "2"])
        // Exit 1 once the citation stages report errors on the seeds; 0 while they report none.
        #expect(r.status == 0 || r.status == 1, "\(r.error)")
        let lines = r.output.split(separator: "\n").map(String.init)
        let summary = try #require(lines.first { $0.hasSuffix(" of 5 documents") }, "\(r.output)")
        if r.status == 0 {
            #expect(summary.hasPrefix("0 errors"))
        } else {
            #expect(lines.contains { $0.contains(": error: ") })
        }
        // Every finding points at its span's text in the input file.
        let json = try runProcess(assay, ["check", seedsPath, "--format", "json", "--fail-on", "info"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == lines.filter { $0.hasPrefix(seedsPath) }.count)
        for f in findings {
            guard let span = f["span"] as? [String: Any], let spanText = span["text"] as? String,
                  let path = f["path"] as? String, let line = f["line"] as? Int, let column = f["column"] as? Int else { continue }
            let fileLines = try readFile(path).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(line >= 1 && line <= fileLines.count, "\(f)")
            guard line >= 1 && line <= fileLines.count else { continue }
            let rest = String(String.UnicodeScalarView(fileLines[line - 1].unicodeScalars.dropFirst(column - 1)))
            let head = String(spanText.prefix { !$0.isWhitespace && $0 != "-" }.prefix(6))
            #expect(rest.hasPrefix(head), "\(path):\(line):\(column) should start with '\(head)': '\(rest.prefix(40))'")
        }
    }

    @Test func checkExitCodesForUnreadableInputsAndUsage() throws {
        let assay = try assayBinary()
        let missing = try runProcess(assay, ["check", seedsPath + "/001_f82b43d4eb800135.txt", "/nonexistent/paper.txt"])
        #expect(missing.status == 3)
        #expect(missing.error.contains("/nonexistent/paper.txt: unreadable"))
        #expect(missing.output.contains("1 input could not be read"))
        #expect(try runProcess(assay, ["check"]).status == 2)
        #expect(try runProcess(assay, ["check", seedsPath, "--fail-on", "fatal"]).status == 2)
        #expect(try runProcess(assay, ["check", "--in", "/nonexistent/annotations.jsonl"]).status == 3)
    }

    @Test func everyCommandHelpShowsExamples() throws {
        let assay = try assayBinary()
        for command in ["run", "check", "report", "export", "text"] {
            let r = try runProcess(assay, [command, "--help"])
            #expect(r.status == 0 && r.output.contains("Examples:"), "\(command)")
        }
    }
}

@Suite struct ScaleTests {
    /// A 1 MB document with 24,000 spans: every view stays linear (a quadratic step would take minutes).
    @Test func largeDocumentsRenderInLinearTime() throws {
        let paragraph = "The Convention against Torture (CAT) binds Pakistan 😀 since 2010 (Ahmed, 2019).\n"
        let count = 12_000
        var doc = Document(source: "large.txt", raw: Array(paragraph.utf8))
        doc.textBytes = Array(String(repeating: paragraph, count: count).utf8)
        let step = paragraph.utf8.count
        let cat = Array(paragraph.utf8).firstRange(of: Array("Convention against Torture".utf8))!
        let cite = Array(paragraph.utf8).firstRange(of: Array("(Ahmed, 2019)".utf8))!
        for i in 0..<count {
            let o = i * step
            doc.entities.append(Entity(type: .treaty, span: Span(o + cat.lowerBound, o + cat.upperBound), key: "cat"))
            doc.citations.append(Citation(span: Span(o + cite.lowerBound, o + cite.upperBound), style: .parenthetical,
                                          authors: ["Ahmed"], etAl: false, year: "2019"))
            if i % 10 == 0 { doc.findings.append(Finding(kind: .orphanCitation, message: "No entry for Ahmed 2019.", citations: [i])) }
        }
        let record = try AnnotationRecord(doc)
        let clock = ContinuousClock()
        let started = clock.now
        let html = HTMLReport(records: [record]).render()
        let webanno = WebAnnotationExport.collection(record)
        let brat = BratExport.render(record)
        var csvBytes = 0
        var csv = try FindingsCSV(write: { csvBytes += $0.count })
        try csv.add(record)
        let elapsed = clock.now - started
        #expect(elapsed < .seconds(60), "views of a 1 MB document took \(elapsed)")
        #expect(html.components(separatedBy: "<mark id=").count - 1 == 2 * count)
        #expect(!webanno.isEmpty && !brat.ann.isEmpty && csvBytes > 0 && csv.rows == count / 10)
    }
}
