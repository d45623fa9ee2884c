import AssayCore
import Foundation
import Testing
@testable import Screening

@Suite struct VocabularyTests {
    func stem(_ w: String) -> String { String(decoding: Stemmer.stem(Array(w.utf8)), as: UTF8.self) }

    @Test func stemmerConflatesCommonForms() {
        let groups: [[String]] = [
            ["navigating", "navigate", "navigation", "navigated"],
            ["intersection", "intersections"],
            ["political", "politics", "politically"],
            ["economy", "economic", "economies", "economics"],
            ["education", "educational", "educate", "educating"],
            ["religion", "religious"],
            ["minority", "minorities"],
            ["disability", "disabilities"],
            ["environment", "environmental"],
            ["globalization", "globalisation", "global"],
            ["rights", "right"],
            ["critical", "critically"],
        ]
        for g in groups {
            let stems = Set(g.map(stem))
            #expect(stems.count == 1, "\(g) -> \(stems)")
        }
        // words that must stay apart
        #expect(stem("mental") != stem("mention"))
        #expect(stem("journalism") != stem("journal"))
        #expect(stem("justice") != stem("just"))
        #expect(stem("nation") == "nation")
        #expect(stem("analysis") == "analysis")
        #expect(stem("status") == "status")
        #expect(stem("ai") == "ai")
    }

    @Test func wordsAreFoldedAndSplit() {
        #expect(Words.words(of: "Tomaševski's COVID-19 Möser, Padía—state-of-the-art") ==
                ["tomasevski", "s", "covid", "moser", "padia", "state", "of", "the", "art"])
        #expect(Words.words(of: "“Human” rights’ law") == ["human", "rights", "law"])
    }

    @Test func shippedWordListsLoadAndAgree() throws {
        let v = try Fixtures.stage.vocabulary
        #expect(v.stop.contains(v.key(Array("the".utf8))))
        #expect(v.stop.contains(v.key(Array("challenges".utf8))))
        #expect(!v.stop.contains(v.key(Array("navigating".utf8))))
        #expect(v.key(Array("women".utf8)) == v.key(Array("woman".utf8)))
        #expect(v.abbreviations.contains("et") && v.abbreviations.contains("e.g"))
        #expect(v.documents == 1_000_000)
        #expect(v.backgroundDF.count > 20_000)
        #expect(v.rarity(v.key(Array("the".utf8))) < 0.05)
        #expect(v.rarity(v.key(Array("khwajasira".utf8))) == 1)
        #expect(v.rarity(v.key(Array("human".utf8))) < v.rarity(v.key(Array("blasphemy".utf8))))
        #expect(v.fields.count >= 10)
        let ids = Set(v.fields.map(\.id))
        for id in ["law", "human-rights", "politics", "gender", "religion", "engineering", "computing", "health", "environment", "business", "education"] {
            #expect(ids.contains(id), "field \(id)")
        }
        let law = try #require(v.fields.firstIndex { $0.id == "law" })
        let hr = try #require(v.fields.firstIndex { $0.id == "human-rights" })
        #expect(v.fields[law].near.contains(hr) && v.fields[hr].near.contains(law))
        #expect(v.fieldTerms["human right"] == [hr])
        // a single field word that is also a stop word would never count: the lists must not overlap
        let clashes = v.fieldTerms.keys.filter { !$0.contains(" ") && v.stop.contains($0) }.sorted()
        #expect(clashes.isEmpty, "field words that are stop words: \(clashes)")
    }

    /// The background list's byte reader (for the usual `word<TAB>df` line) and the general line
    /// reader (comments, blanks, `#documents`, spaces, other letters) share the work of one file.
    @Test func backgroundLinesOfEveryKind() throws {
        let long = String(repeating: "ab", count: 40)
        let lines = [
            "# a comment", "#documents\t500000", "", "  ", "the\t999000", "The\t5", "navigating\t1200",
            "navigate\t3400", "navigation\t2", "women\t77000", "woman\t76000", "  spaced \t 12 ", "well-known\t9",
            "café\t40", "zero\t0", "digits\t12345678", "more\t123456789", "x\t1", "\(long)\t3", "tail\t7 # note",
            "Übermensch\t8", "last\t42",
        ]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The same lists saved with Windows line ends read the same.
        for lineEnd in ["\n", "\r\n"] {
            let variants = dir.appendingPathComponent("variants.tsv")
            try "women\twoman\(lineEnd)".write(to: variants, atomically: true, encoding: .utf8)
            let background = dir.appendingPathComponent("background.tsv")
            try lines.joined(separator: lineEnd).write(to: background, atomically: true, encoding: .utf8)
            let v = try Vocabulary.load(stopWords: nil, variants: variants, abbreviations: nil, background: background, fields: nil)
            #expect(v.documents == 500_000)
            let expected: [String: Int] = [
                "the": 999_000, "navigating": 3400, "woman": 77000, "spaced": 12, "café": 40, "digits": 12_345_678,
                "more": 123_456_789, "x": 1, long: 3, "tail": 7, "Übermensch": 8, "last": 42,
            ]
            var keyed: [String: Int] = [:]
            for (word, df) in expected { keyed[v.key(word)] = df }
            #expect(v.backgroundDF == keyed, "line end \(lineEnd.debugDescription)")
        }
    }

    /// The eight-bytes-at-a-time tests agree with the byte tests.
    @Test func wordScanningEightBytesAtATime() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array(0x2F...0x3A) + Array(0x40...0x5B) + Array(0x60...0x7B) + [0x00, 0x20, 0x7F, 0x80, 0xC3, 0xE2, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ in alphabet.randomElement(using: &rng)! }
            let v = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            #expect(Words.letterRun(v) == (bytes.firstIndex { !Words.isASCIILetter($0) } ?? 8))
            let digits = bytes.firstIndex { $0 < 0x30 || $0 > 0x39 } ?? 8
            #expect(Words.digitRun(v) == digits)
            if digits > 0 {
                #expect(Words.digitsValue(v, digits) == Int(String(decoding: bytes[0..<digits], as: UTF8.self)))
            }
        }
    }

    @Test func fieldFileErrorsNameTheLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("screening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("fields.yaml")
        try "fields:\n  law:\n    label: law\n    near: nowhere\n    words: law court\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try Vocabulary.load(stopWords: nil, variants: nil, abbreviations: nil, background: nil, fields: bad) }
        try "fields:\n  law:\n    colour: red\n".write(to: bad, atomically: true, encoding: .utf8)
        do {
            _ = try Vocabulary.load(stopWords: nil, variants: nil, abbreviations: nil, background: nil, fields: bad)
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.line == 3)
            #expect(e.message.contains("colour"))
        }
        try "fields:\n  law:\n    words: law court\n      judge\n  rights:\n    near: law\n    words: human_rights\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let v = try Vocabulary.load(stopWords: nil, variants: nil, abbreviations: nil, background: nil, fields: bad)
        #expect(v.fields.map(\.id) == ["law", "rights"])
        #expect(v.fieldTerms[v.key("judge")] == [0])
        #expect(v.fields[0].near == [1])
    }

    @Test func stageSettings() throws {
        // defaults: every setting known
        var settings = StageSettings(file: "p.yaml", stage: "screening", stageLine: 3, values: [
            "topicThreshold": (.number(0.4), 4), "concentrationShare": (.number(0.3), 5),
            "fields": (.string("screening/fields.yaml"), 6), "topicContextSentences": (.number(2), 7),
        ])
        let s = try ScreeningStage(settings: &settings, context: PipelineContext(baseDirectory: Fixtures.pipelines))
        #expect(settings.unknown.isEmpty)
        #expect(s.topic?.threshold == 0.4 && s.topic?.contextSentences == 2)
        #expect(s.concentration?.share == 0.3)
        // a bad value and a missing file are configuration errors naming the line
        var bad = StageSettings(file: "p.yaml", stage: "screening", stageLine: 3, values: ["topicThreshold": (.number(2), 9)])
        #expect(throws: ConfigError.self) { try ScreeningStage(settings: &bad, context: PipelineContext(baseDirectory: Fixtures.pipelines)) }
        var missing = StageSettings(file: "p.yaml", stage: "screening", stageLine: 3, values: ["background": (.string("nope.tsv"), 8)])
        do {
            _ = try ScreeningStage(settings: &missing, context: PipelineContext(baseDirectory: Fixtures.pipelines))
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.line == 8 && e.message.contains("background"))
        }
    }
}

@Suite struct StageBehaviourTests {
    /// The stage is one immutable value used from several threads: the same documents give the
    /// same findings whatever the concurrency.
    @Test func concurrentUseGivesTheSameFindings() async throws {
        let docs = [try Fixtures.seed("000"), try Fixtures.seed("004"), try Fixtures.article(TopicMismatchArticleTests.article)]
        let expected = try docs.map { try Fixtures.screened($0).findings }
        let stage = try Fixtures.stage
        let results = try await withThrowingTaskGroup(of: (Int, [Finding]).self) { group in
            for _ in 0..<4 {
                for (i, d) in docs.enumerated() {
                    group.addTask {
                        var doc = d
                        try stage.process(&doc)
                        return (i, doc.findings)
                    }
                }
            }
            var out: [(Int, [Finding])] = []
            for try await r in group { out.append(r) }
            return out
        }
        #expect(results.count == 12)
        for (i, f) in results { #expect(f == expected[i]) }
    }

    /// Cost grows linearly with the text and the citations: a long article (many paragraphs, one
    /// very long paragraph, thousands of citations) is screened quickly.
    @Test func longDocumentIsScreenedQuickly() throws {
        var h = HandDocument()
        h.title("Refugee law and the state")
        let n = 3000
        for i in 0..<n {
            h.paragraph([.text("Refugees are protected against return to persecution by courts and treaties in case \(i) ("),
                         .cite("Author \(i % 50), 2020", i % 50), .text("). Another sentence follows here.")])
        }
        var long: [HandDocument.Part] = []
        for i in 0..<2000 { long += [.text("Asylum seekers are held in detention again ("), .cite("A, 2020", i % 50), .text("). ")] }
        h.paragraph(long)
        for r in 0..<50 {
            h.reference("Author\(r), A., 2020. Title \(r).", family: "Author\(r)", year: "2020",
                        title: r % 2 == 0 ? "Refugee protection under international law \(r)" : "Tomato leaf disease detection with neural networks")
        }
        let d = h.document()
        let clock = ContinuousClock()
        var screened = d
        let stage = try Fixtures.stage
        let elapsed = try clock.measure { try stage.process(&screened) }
        let flagged = screened.findings.filter { $0.kind == .topicMismatch }
        #expect(flagged.count == (n + 2000) / 2)
        #expect(elapsed < .seconds(20), "took \(elapsed)")
        print("screened \(d.textBytes.count) bytes, \(d.citations.count) citations in \(elapsed)")
    }
}
